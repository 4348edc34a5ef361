/* reread.c: exact largest for the keys a report keeps (reread.h).
 *
 * The kept keys are re-read in ascending offsets through one key reader
 * (rdb_key_reader), so the input only moves forward: a mapped file jumps,
 * a compressed one is decompressed once more up to the last kept key. */
#include "cli/reread.h"

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
    const key_record *want;  /* the record being re-read */
    bool seen, name_ok;
    uint64_t largest;
} reread;

static int rr_key_begin(void *ctx, const rdb_key *k) {
    reread *r = ctx;
    /* a kept name may be only the head of the key (agg_topn.h) */
    uint64_t full = r->want->key_full_len ? r->want->key_full_len : r->want->key_len;
    r->name_ok = k->name_len == full &&
                 (r->want->key_len == 0 || memcmp(k->name, r->want->key, r->want->key_len) == 0) &&
                 k->rdb_type == r->want->rdb_type;
    /* no element events: the walk alone computes largest */
    return r->name_ok ? RDB_SKIP : -1;
}

static int rr_key_end(void *ctx, const rdb_key *k, const rdb_key_end *end) {
    reread *r = ctx;
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

static int patch(void *ctx, key_record *rec) {
    reread *r = ctx;
    wanted key = {.offset = rec->offset};
    const wanted *w = bsearch(&key, r->v, r->n, sizeof *r->v, by_offset);
    if (!w) return -1;
    rec->largest = w->largest;
    rec->largest_exact = true;
    return 0;
}

int reread_inexact(agg *a, const input *in, const rdb_header *hdr, char *err, size_t errlen) {
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
    rdb_options opt = {.input_size = in->src->rdb_size};   /* shallow_max 0: walk it all */
    rdb_key_reader *kr = rdb_key_reader_new(in->src, hdr, &opt);
    int rc = kr ? 0 : -1;
    if (!kr) snprintf(err, errlen, "out of memory");
    for (size_t i = 0; rc == 0 && i < r.n; i++) {
        r.want = r.v[i].rec;
        r.seen = r.name_ok = false;
        rdb_result res;
        rdb_status st = rdb_key_reader_read(kr, r.v[i].offset, &rr_handlers, &r, &res);
        if (st != RDB_OK || !r.seen) {
            if (st == RDB_ERR_ABORTED || st == RDB_OK)
                snprintf(err, errlen, "the key at offset %llu is no longer the one first read",
                         (unsigned long long)r.v[i].offset);
            else
                snprintf(err, errlen, "re-reading the key at offset %llu: %s at offset %llu: %s",
                         (unsigned long long)r.v[i].offset, rdb_status_name(st),
                         (unsigned long long)res.error.offset, res.error.message);
            rc = -1;
            break;
        }
        r.v[i].largest = r.largest;
    }
    rdb_key_reader_free(kr);
    if (rc == 0) rc = agg_visit_inexact(a, patch, &r) ? -1 : 0;
    free(r.v);
    return rc;
}
