/* agg_topn.c: bounded min-heap of the best N keys; see agg_topn.h. */
#include "analyze/agg_topn.h"

#include <stdlib.h>
#include <string.h>

/* a ranks below b (is worse): lower score, or same score and later arrival */
static bool worse(const agg_key *a, const agg_key *b) {
    if (a->score != b->score) return a->score < b->score;
    return a->seq > b->seq;
}

int agg_topn_init(agg_topn *t, size_t cap) {
    memset(t, 0, sizeof *t);
    t->cap = cap;
    if (cap == 0) return 0;
    if (cap > SIZE_MAX / sizeof *t->v) return -1;
    t->v = calloc(cap, sizeof *t->v);
    return t->v ? 0 : -1;
}

void agg_topn_free(agg_topn *t) {
    for (size_t i = 0; i < t->n; i++) free((void *)t->v[i].rec.key);
    free(t->v);
    memset(t, 0, sizeof *t);
}

bool agg_topn_wants(const agg_topn *t, uint64_t score, uint64_t seq) {
    if (t->sorted || t->cap == 0) return false;
    if (t->n < t->cap) return true;
    agg_key probe = {.score = score, .seq = seq};
    return worse(&t->v[0], &probe);
}

static void sift_down(agg_key *v, size_t n, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && worse(&v[l], &v[m])) m = l;
        if (r < n && worse(&v[r], &v[m])) m = r;
        if (m == i) return;
        agg_key tmp = v[i]; v[i] = v[m]; v[m] = tmp;
        i = m;
    }
}

static void sift_up(agg_key *v, size_t i) {
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!worse(&v[i], &v[p])) return;
        agg_key tmp = v[i]; v[i] = v[p]; v[p] = tmp;
        i = p;
    }
}

/* Fills e from r, copying at most AGG_KEY_KEEP bytes of the key;
 * e->rec.key is freed by the caller on replacement. */
static int fill(agg_key *e, uint64_t score, uint64_t seq, uint32_t file, const key_record *r) {
    size_t keep = r->key_len < AGG_KEY_KEEP ? r->key_len : AGG_KEY_KEEP;
    uint8_t *copy = malloc(keep ? keep : 1);
    if (!copy) return -1;
    if (keep) memcpy(copy, r->key, keep);
    e->rec = *r;
    e->rec.key = copy;
    e->rec.key_len = keep;
    if (keep < r->key_len && !r->key_full_len) e->rec.key_full_len = r->key_len;
    e->score = score;
    e->seq = seq;
    e->file = file;
    /* Entries move inside the heap, so rec.module_name is pointed at
     * module[] only once they stop moving (agg_topn_sort). */
    memset(e->module, 0, sizeof e->module);
    e->rec.module_name = NULL;
    if (r->module_name) strncpy(e->module, r->module_name, sizeof e->module - 1);
    return 0;
}

int agg_topn_offer(agg_topn *t, uint64_t score, uint64_t seq, uint32_t file,
                   const key_record *r) {
    if (!agg_topn_wants(t, score, seq)) return 0;
    if (t->n < t->cap) {
        if (fill(&t->v[t->n], score, seq, file, r) < 0) return -1;
        sift_up(t->v, t->n);
        t->n++;
        return 1;
    }
    agg_key e;
    if (fill(&e, score, seq, file, r) < 0) return -1;
    free((void *)t->v[0].rec.key);
    t->v[0] = e;
    sift_down(t->v, t->n, 0);
    return 1;
}

static int cmp_best_first(const void *a, const void *b) {
    const agg_key *x = a, *y = b;
    if (worse(y, x)) return -1;
    if (worse(x, y)) return 1;
    return 0;
}

void agg_topn_sort(agg_topn *t) {
    if (t->sorted) return;
    if (t->n > 1) qsort(t->v, t->n, sizeof *t->v, cmp_best_first);
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].module[0]) t->v[i].rec.module_name = t->v[i].module;
    t->sorted = true;
}
