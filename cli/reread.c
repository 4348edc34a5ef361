/* reread.c: exact largest for the keys a report keeps (reread.h).
 *
 * The kept keys are re-read in ascending offsets through one key reader
 * (rdb_key_reader), so the input only moves forward: a mapped file jumps,
 * a compressed one is decompressed once more up to the last kept key. */
#include "cli/reread.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdatomic.h>
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

/* The keys to read, biggest first, taken one at a time by each reader
 * (this thread and, with two, one more): a few huge keys dominate the
 * work, and taking the next key when free keeps the two busy to the end
 * where a split made in advance by any size estimate would not. */
typedef struct work {
    wanted **v;
    size_t n;
    _Atomic size_t next;
    const input *in;
    const rdb_header *hdr;
} work;

/* One reader's outcome: rc -1 with err at its failure. */
typedef struct reader_out {
    work *w;
    int rc;
    uint64_t fail_offset;
    char err[512];
} reader_out;

static void fail(reader_out *o, uint64_t offset, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(reader_out *o, uint64_t offset, const char *fmt, ...) {
    atomic_store(&o->w->next, o->w->n);   /* the other reader stops too */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->err, sizeof o->err, fmt, ap);
    va_end(ap);
    o->rc = -1;
    o->fail_offset = offset;
}

static void *read_keys(void *arg) {
    reader_out *o = arg;
    work *w = o->w;
    rdb_options opt = {.input_size = w->in->src->rdb_size};   /* shallow_max 0: walk it all */
    rdb_key_reader *kr = rdb_key_reader_new(w->in->src, w->hdr, &opt);
    if (!kr) {
        fail(o, 0, "out of memory");
        return NULL;
    }
    /* the first failure ends both readers: the caller then redoes the
     * report walking everything (cmd_report), so which failure is told
     * matters little; the one of lowest offset is kept */
    for (size_t i; o->rc == 0 && (i = atomic_fetch_add(&w->next, 1)) < w->n;) {
        wanted *k = w->v[i];
        rr_key r = {.want = k->rec};
        rdb_result res;
        rdb_status st = rdb_key_reader_read(kr, k->offset, &rr_handlers, &r, &res);
        if (st == RDB_OK && r.seen) {
            k->largest = r.largest;
        } else if (st == RDB_ERR_ABORTED || st == RDB_OK) {
            fail(o, k->offset, "the key at offset %llu is no longer the one first read",
                 (unsigned long long)k->offset);
        } else {
            fail(o, k->offset, "re-reading the key at offset %llu: %s at offset %llu: %s",
                 (unsigned long long)k->offset, rdb_status_name(st),
                 (unsigned long long)res.error.offset, res.error.message);
        }
    }
    rdb_key_reader_free(kr);
    return NULL;
}

/* ---- early re-reads ------------------------------------------------------ */

/* Offers waiting at most: past it the thread is behind the parse, and a
 * key not read early is read at the end anyway. The queue is a ring of
 * that many slots. */
#define EARLY_QUEUE_MAX 64

typedef struct early_done {
    uint64_t offset, largest;
} early_done;

struct reread_early {
    const input *in;
    rdb_header hdr;
    pthread_t thread;
    bool joined;
    pthread_mutex_t mu;      /* guards everything below */
    pthread_cond_t cv;
    key_record queue[EARLY_QUEUE_MAX];   /* offers not yet read, each with its own name copy */
    size_t head, n;          /* the oldest offer's slot, and how many wait */
    bool busy;               /* a key is being read, at busy_offset */
    uint64_t busy_offset;
    early_done *done;        /* keys read (and checked to be the same key) */
    size_t ndone, capdone;
    bool stop;
};

static void *early_main(void *arg) {
    reread_early *e = arg;
#ifdef __linux__
    /* the idle time of the two busy threads only (a thread's own nice) */
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
#endif
    rdb_options opt = {.input_size = e->in->src->rdb_size};   /* shallow_max 0: walk it all */
    rdb_key_reader *kr = rdb_key_reader_new(e->in->src, &e->hdr, &opt);
    pthread_mutex_lock(&e->mu);
    for (;;) {
        while (!e->stop && e->n == 0) pthread_cond_wait(&e->cv, &e->mu);
        if (e->stop || !kr) break;
        key_record want = e->queue[e->head];
        e->head = (e->head + 1) % EARLY_QUEUE_MAX;
        e->n--;
        e->busy = true;
        e->busy_offset = want.offset;
        pthread_mutex_unlock(&e->mu);
        rr_key r = {.want = &want};
        rdb_result res;
        rdb_status st = rdb_key_reader_read(kr, want.offset, &rr_handlers, &r, &res);
        free((void *)want.key);
        pthread_mutex_lock(&e->mu);
        e->busy = false;
        if (st != RDB_OK || !r.seen) continue;   /* left to reread_inexact */
        if (e->ndone == e->capdone) {
            size_t cap = e->capdone ? e->capdone * 2 : 64;
            early_done *d = realloc(e->done, cap * sizeof *d);
            if (!d) continue;
            e->done = d;
            e->capdone = cap;
        }
        e->done[e->ndone++] = (early_done){want.offset, r.largest};
    }
    pthread_mutex_unlock(&e->mu);
    rdb_key_reader_free(kr);
    return NULL;
}

reread_early *reread_early_start(const input *in, const rdb_header *hdr) {
    if (!in->src->ops->map) return NULL;
    reread_early *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->in = in;
    e->hdr = *hdr;
    if (pthread_mutex_init(&e->mu, NULL) != 0) goto fail;
    if (pthread_cond_init(&e->cv, NULL) != 0) goto fail_mu;
    if (pthread_create(&e->thread, NULL, early_main, e) == 0) return e;
    pthread_cond_destroy(&e->cv);
fail_mu:
    pthread_mutex_destroy(&e->mu);
fail:
    free(e);
    return NULL;
}

void reread_early_offer(reread_early *e, const key_record *rec) {
    if (!e) return;
    pthread_mutex_lock(&e->mu);
    uint8_t *name;
    if (e->stop || e->n == EARLY_QUEUE_MAX || !(name = malloc(rec->key_len ? rec->key_len : 1))) goto out;
    memcpy(name, rec->key, rec->key_len);
    key_record *q = &e->queue[(e->head + e->n) % EARLY_QUEUE_MAX];
    *q = *rec;
    q->key = name;
    q->module_name = NULL;
    e->n++;
    pthread_cond_signal(&e->cv);
out:
    pthread_mutex_unlock(&e->mu);
}

/* No more keys: the offers still waiting are dropped (the thread finishes
 * the key it is reading; reread_inexact reads around it, then joins). */
void reread_early_stop(reread_early *e) {
    if (!e) return;
    pthread_mutex_lock(&e->mu);
    e->stop = true;
    for (; e->n > 0; e->n--, e->head = (e->head + 1) % EARLY_QUEUE_MAX) free((void *)e->queue[e->head].key);
    pthread_cond_signal(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

static void early_join(reread_early *e) {
    if (!e->joined) pthread_join(e->thread, NULL);
    e->joined = true;
}

void reread_early_free(reread_early *e) {
    if (!e) return;
    reread_early_stop(e);
    early_join(e);
    pthread_cond_destroy(&e->cv);
    pthread_mutex_destroy(&e->mu);
    free(e->done);
    free(e);
}

static int done_by_offset(const void *a, const void *b) {
    uint64_t x = ((const early_done *)a)->offset, y = ((const early_done *)b)->offset;
    return x < y ? -1 : x > y;
}

/* A copy of what a stopped early reader has done (malloc'd, *n entries,
 * sorted by offset), and the key it is still reading (*busy), at once. */
static early_done *early_results(reread_early *e, size_t *n, bool *busy, uint64_t *busy_offset) {
    pthread_mutex_lock(&e->mu);
    *busy = e->busy;
    *busy_offset = e->busy_offset;
    early_done *copy = e->ndone ? malloc(e->ndone * sizeof *copy) : NULL;
    *n = copy ? e->ndone : 0;
    if (copy) memcpy(copy, e->done, *n * sizeof *copy);
    pthread_mutex_unlock(&e->mu);
    if (*n) qsort(copy, *n, sizeof *copy, done_by_offset);
    return copy;
}

static const early_done *early_find(const early_done *done, size_t n, uint64_t offset) {
    early_done key = {.offset = offset};
    return n ? bsearch(&key, done, n, sizeof *done, done_by_offset) : NULL;
}

/* ---- the re-read at the end ------------------------------------------------ */

int reread_inexact(agg *a, const input *in, const rdb_header *hdr, unsigned threads,
                   reread_early *early, reread_stats *stats, char *err, size_t errlen) {
    reread r = {0};
    *stats = (reread_stats){0};
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
    work w = {.v = malloc(r.n * sizeof *w.v), .n = r.n, .in = in, .hdr = hdr};
    if (!w.v) {
        snprintf(err, errlen, "out of memory");
        free(r.v);
        return -1;
    }
    /* What the early reader got; the key it is still reading is left out
     * here and waited for after the others (it holds no lock meanwhile). */
    size_t ndone = 0;
    bool busy = false;
    uint64_t busy_offset = 0;
    early_done *done = early ? early_results(early, &ndone, &busy, &busy_offset) : NULL;
    w.n = 0;
    wanted *waiting = NULL;   /* the key the early reader is busy with */
    for (size_t i = 0; i < r.n; i++) {
        const early_done *d = early_find(done, ndone, r.v[i].offset);
        if (d) r.v[i].largest = d->largest;
        else if (busy && r.v[i].offset == busy_offset) waiting = &r.v[i];
        else w.v[w.n++] = &r.v[i];
    }
    free(done);
    stats->kept = r.n;
    stats->early = r.n - w.n - (waiting != NULL);
    reader_out out[2] = {{.w = &w}, {.w = &w}};
    /* Two readers at once need a mapped input: a mapping is read in place
     * by each (and release only drops pages, which fault back in), where
     * readers of one descriptor would move each other's file position.
     * One reader goes in ascending offsets, so that a file read (not
     * mapped) only moves forward. */
    pthread_t t;
    bool two = threads > 1 && w.n > 1 && in->src->ops->map;
    if (two) qsort(w.v, w.n, sizeof *w.v, ptr_by_bytes_desc);
    bool started = two && pthread_create(&t, NULL, read_keys, &out[1]) == 0;
    if (two && !started) qsort(w.v, w.n, sizeof *w.v, ptr_by_offset);
    read_keys(&out[0]);
    if (started) pthread_join(t, NULL);
    if (early) early_join(early);
    if (waiting) {
        /* its result if the early reader finished it, else read it now */
        const early_done *d = NULL;
        for (size_t i = 0; i < early->ndone && !d; i++)
            if (early->done[i].offset == waiting->offset) d = &early->done[i];
        if (d) {
            waiting->largest = d->largest;
            stats->early++;
        } else if (out[0].rc == 0 && out[1].rc == 0) {
            w.v[0] = waiting;
            w.n = 1;
            atomic_store(&w.next, 0);
            read_keys(&out[0]);
        }
    }
    const reader_out *bad = NULL;
    for (int i = 0; i < 2; i++)
        if (out[i].rc != 0 && (!bad || out[i].fail_offset < bad->fail_offset)) bad = &out[i];
    int rc = 0;
    if (bad) {
        snprintf(err, errlen, "%s", bad->err);
        rc = -1;
    }
    free(w.v);
    if (rc == 0) rc = agg_visit_inexact(a, patch, &r) ? -1 : 0;
    free(r.v);
    return rc;
}
