/* reread.c: exact largest for the keys a report keeps (reread.h).
 *
 * The kept keys are re-read in ascending offsets through one key reader
 * (rdb_key_reader), so the input only moves forward: a mapped file jumps,
 * a compressed one is decompressed once more up to the last kept key. */
#include "cli/reread.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One kept key: one key may sit in several tables (top by bytes, its
 * type's top, a finding), and is read once. A few hundred at most. */
typedef struct wanted {
    uint64_t offset, largest;
    const key_record *rec;   /* the first record seen for it (name, type) */
} wanted;

typedef struct reread {
    wanted *v;
    size_t n, cap;
    bool oom;
} reread;

/* One key reader's state during a key's re-read. */
typedef struct rr_key {
    const key_record *want;  /* the record being re-read */
    bool seen, name_ok;
    uint64_t largest;
} rr_key;

static int rr_key_begin(void *ctx, const rdb_key *k) {
    rr_key *r = ctx;
    /* a kept name may be only the head of the key (agg_topn.h) */
    uint64_t full = r->want->key_full_len ? r->want->key_full_len : r->want->key_len;
    r->name_ok = k->name_len == full &&
                 (r->want->key_len == 0 || memcmp(k->name, r->want->key, r->want->key_len) == 0) &&
                 k->rdb_type == r->want->rdb_type;
    /* no element events: the walk alone computes largest */
    return r->name_ok ? RDB_SKIP : -1;
}

static int rr_key_end(void *ctx, const rdb_key *k, const rdb_key_end *end) {
    rr_key *r = ctx;
    (void)k;
    r->seen = true;
    r->largest = end->largest;
    return end->largest_exact ? RDB_CONTINUE : -1;
}

static const rdb_handlers rr_handlers = {.on_key_begin = rr_key_begin, .on_key_end = rr_key_end};

static int collect(void *ctx, key_record *rec) {
    reread *r = ctx;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        wanted *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            r->oom = true;
            return -1;
        }
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = (wanted){.offset = rec->offset, .rec = rec};
    return 0;
}

static int by_offset(const void *a, const void *b) {
    uint64_t x = ((const wanted *)a)->offset, y = ((const wanted *)b)->offset;
    return x < y ? -1 : x > y;
}

static int ptr_by_offset(const void *a, const void *b) {
    return by_offset(*(const wanted *const *)a, *(const wanted *const *)b);
}

static int ptr_by_bytes_desc(const void *a, const void *b) {
    const wanted *x = *(const wanted *const *)a, *y = *(const wanted *const *)b;
    if (x->rec->bytes != y->rec->bytes) return x->rec->bytes > y->rec->bytes ? -1 : 1;
    return by_offset(x, y);
}

static int patch(void *ctx, key_record *rec) {
    reread *r = ctx;
    wanted key = {.offset = rec->offset};
    const wanted *w = bsearch(&key, r->v, r->n, sizeof *r->v, by_offset);
    if (!w) return -1;
    rec->largest = w->largest;
    rec->largest_exact = true;
    return 0;
}

/* A share of the keys, read in ascending offsets by a key reader of its
 * own; rc -1 with err and fail_offset set at the first key that failed. */
typedef struct share {
    wanted **v;
    size_t n;
    const input *in;
    const rdb_header *hdr;
    int rc;
    uint64_t fail_offset;
    char err[512];
} share;

static void read_share(share *s) {
    s->rc = 0;
    if (s->n == 0) return;
    rdb_options opt = {.input_size = s->in->src->rdb_size};   /* shallow_max 0: walk it all */
    rdb_key_reader *kr = rdb_key_reader_new(s->in->src, s->hdr, &opt);
    if (!kr) {
        snprintf(s->err, sizeof s->err, "out of memory");
        s->fail_offset = 0;
        s->rc = -1;
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        wanted *w = s->v[i];
        rr_key r = {.want = w->rec};
        rdb_result res;
        rdb_status st = rdb_key_reader_read(kr, w->offset, &rr_handlers, &r, &res);
        if (st != RDB_OK || !r.seen) {
            if (st == RDB_ERR_ABORTED || st == RDB_OK)
                snprintf(s->err, sizeof s->err, "the key at offset %llu is no longer the one first read",
                         (unsigned long long)w->offset);
            else
                snprintf(s->err, sizeof s->err, "re-reading the key at offset %llu: %s at offset %llu: %s",
                         (unsigned long long)w->offset, rdb_status_name(st),
                         (unsigned long long)res.error.offset, res.error.message);
            s->fail_offset = w->offset;
            s->rc = -1;
            break;
        }
        w->largest = r.largest;
    }
    rdb_key_reader_free(kr);
}

static void *share_thread(void *arg) {
    read_share(arg);
    return NULL;
}

/* Two shares of about equal work, by the keys' predicted bytes (the keys
 * kept are the biggest, and a key's walk grows with its size): largest
 * first, each to the lighter share. */
static void split(wanted **by_bytes, size_t n, share *a, share *b) {
    uint64_t wa = 0, wb = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t w = by_bytes[i]->rec->bytes;
        if (wa <= wb) {
            a->v[a->n++] = by_bytes[i];
            wa += w;
        } else {
            b->v[b->n++] = by_bytes[i];
            wb += w;
        }
    }
    qsort(a->v, a->n, sizeof *a->v, ptr_by_offset);
    qsort(b->v, b->n, sizeof *b->v, ptr_by_offset);
}

int reread_inexact(agg *a, const input *in, const rdb_header *hdr, unsigned threads, char *err,
                   size_t errlen) {
    reread r = {0};
    if (agg_visit_inexact(a, collect, &r) != 0) {
        snprintf(err, errlen, "out of memory");
        free(r.v);
        return -1;
    }
    if (r.n == 0) return 0;
    qsort(r.v, r.n, sizeof *r.v, by_offset);
    size_t u = 0;
    for (size_t i = 0; i < r.n; i++)
        if (u == 0 || r.v[i].offset != r.v[u - 1].offset) r.v[u++] = r.v[i];
    r.n = u;
    /* [0, n): every key; then each share's keys */
    wanted **ptrs = malloc(3 * r.n * sizeof *ptrs);
    if (!ptrs) {
        snprintf(err, errlen, "out of memory");
        free(r.v);
        return -1;
    }
    for (size_t i = 0; i < r.n; i++) ptrs[i] = &r.v[i];
    share s[2] = {{.v = ptrs, .n = r.n, .in = in, .hdr = hdr}, {.in = in, .hdr = hdr}};
    /* Two readers at once need a mapped input: a mapping is read in place
     * by each (and release only drops pages, which fault back in), where
     * readers of one descriptor would move each other's file position. */
    pthread_t t;
    bool started = false;
    if (threads > 1 && r.n > 1 && in->src->ops->map) {
        qsort(ptrs, r.n, sizeof *ptrs, ptr_by_bytes_desc);
        s[0] = (share){.v = ptrs + r.n, .in = in, .hdr = hdr};
        s[1] = (share){.v = ptrs + 2 * r.n, .in = in, .hdr = hdr};
        split(ptrs, r.n, &s[0], &s[1]);
        started = pthread_create(&t, NULL, share_thread, &s[1]) == 0;
        if (!started) {   /* one reader after all, every key in ascending offsets */
            for (size_t i = 0; i < r.n; i++) ptrs[i] = &r.v[i];
            s[0] = (share){.v = ptrs, .n = r.n, .in = in, .hdr = hdr};
            s[1].n = 0;
        }
    }
    read_share(&s[0]);
    if (started) pthread_join(t, NULL);
    /* the first failure in file order, as one reader would have met it */
    const share *bad = NULL;
    for (int i = 0; i < 2; i++)
        if (s[i].rc != 0 && (!bad || s[i].fail_offset < bad->fail_offset)) bad = &s[i];
    int rc = 0;
    if (bad) {
        snprintf(err, errlen, "%s", bad->err);
        rc = -1;
    }
    free(ptrs);
    if (rc == 0) rc = agg_visit_inexact(a, patch, &r) ? -1 : 0;
    free(r.v);
    return rc;
}
