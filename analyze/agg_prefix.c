/* agg_prefix.c: the prefix table behind agg_prefix.h.
 *
 * Nodes live in a flat vector (for eviction and reporting) and are found
 * through an open-addressing table of vector indices, hashed with XXH3 over
 * (name, depth). Eviction compacts the vector and rebuilds the table, so no
 * tombstones are needed; it runs once per budget/4 new nodes, which keeps
 * the cost amortized O(1) per key.
 */
#include "analyze/agg_prefix.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct node {
    uint64_t hash;
    agg_prefix_row s;        /* s.name points at name[] */
    uint8_t name[];
} node;

struct agg_prefix {
    bool sep[256];
    unsigned depth;
    size_t budget;
    node **v;                /* live nodes, insertion order */
    size_t n;
    uint32_t *slot;          /* index + 1 into v; 0 = empty */
    size_t nslots;           /* power of two, >= 2 * n */
    agg_prefix_row other[AGG_PREFIX_MAX_DEPTH + 1];
    bool budget_hit;
    uint64_t evicted;
};

static const uint8_t OTHER_NAME[] = "(other)";

agg_prefix *agg_prefix_new(const char *separators, unsigned depth, size_t budget) {
    agg_prefix *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    for (const unsigned char *s = (const unsigned char *)(separators ? separators : ""); *s; s++)
        p->sep[*s] = true;
    if (depth < 1) depth = 1;
    if (depth > AGG_PREFIX_MAX_DEPTH) depth = AGG_PREFIX_MAX_DEPTH;
    if (budget < AGG_PREFIX_MIN_BUDGET) budget = AGG_PREFIX_MIN_BUDGET;
    if (budget > UINT32_MAX / 4) budget = UINT32_MAX / 4;
    p->depth = depth;
    p->budget = budget;
    p->v = malloc(budget * sizeof *p->v);
    p->nslots = 64;
    p->slot = calloc(p->nslots, sizeof *p->slot);
    if (!p->v || !p->slot) { agg_prefix_free(p); return NULL; }
    for (unsigned d = 0; d <= AGG_PREFIX_MAX_DEPTH; d++) {
        p->other[d].name = OTHER_NAME;
        p->other[d].name_len = sizeof OTHER_NAME - 1;
        p->other[d].depth = d;
        p->other[d].other = true;
    }
    return p;
}

void agg_prefix_free(agg_prefix *p) {
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) free(p->v[i]);
    free(p->v);
    free(p->slot);
    free(p);
}

bool agg_prefix_budget_hit(const agg_prefix *p) { return p->budget_hit; }
size_t agg_prefix_nodes(const agg_prefix *p) { return p->n; }
uint64_t agg_prefix_evicted(const agg_prefix *p) { return p->evicted; }

static void add_stats(agg_prefix_row *dst, const agg_prefix_row *src) {
    dst->keys += src->keys;
    dst->bytes += src->bytes;
    dst->elements += src->elements;
    dst->keys_no_ttl += src->keys_no_ttl;
    dst->bytes_no_ttl += src->bytes_no_ttl;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) dst->type_bytes[t] += src->type_bytes[t];
}

static void rebuild_slots(agg_prefix *p) {
    memset(p->slot, 0, p->nslots * sizeof *p->slot);
    size_t mask = p->nslots - 1;
    for (size_t i = 0; i < p->n; i++) {
        size_t h = (size_t)p->v[i]->hash & mask;
        while (p->slot[h]) h = (h + 1) & mask;
        p->slot[h] = (uint32_t)(i + 1);
    }
}

static int grow_slots(agg_prefix *p) {
    size_t want = p->nslots * 2;
    uint32_t *s = calloc(want, sizeof *s);
    if (!s) return -1;
    free(p->slot);
    p->slot = s;
    p->nslots = want;
    rebuild_slots(p);
    return 0;
}

/* (bytes, keys) of a node, the eviction order */
typedef struct weight { uint64_t bytes, keys; } weight;

static bool lighter(weight a, weight b) {
    return a.bytes != b.bytes ? a.bytes < b.bytes : a.keys < b.keys;
}

/* Hoare quickselect: leaves the k-th lightest (0-based) at w[k]. Linear on
 * average, which keeps an eviction at O(budget) instead of a full sort. */
static void select_kth(weight *w, size_t n, size_t k) {
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        weight pivot = w[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (lighter(w[i], pivot)) i++;
            while (lighter(pivot, w[j])) j--;
            if (i <= j) {
                weight t = w[i]; w[i] = w[j]; w[j] = t;
                i++;
                if (j == 0) break;
                j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return;
    }
}

/* Merges the smallest quarter of the nodes into the per-depth "(other)"
 * rows. The cut is the quarter's heaviest weight; nodes equal to the cut are
 * evicted in insertion order until the quarter is reached. */
static int evict(agg_prefix *p) {
    size_t want = p->n / 4 ? p->n / 4 : 1;
    weight *w = malloc(p->n * sizeof *w);
    if (!w) return -1;
    for (size_t i = 0; i < p->n; i++) w[i] = (weight){p->v[i]->s.bytes, p->v[i]->s.keys};
    select_kth(w, p->n, want - 1);
    weight cut = w[want - 1];
    free(w);
    size_t below = 0;
    for (size_t i = 0; i < p->n; i++) {
        weight x = {p->v[i]->s.bytes, p->v[i]->s.keys};
        if (lighter(x, cut)) below++;
    }
    size_t ties = want - below;  /* nodes equal to cut still to evict */

    size_t keep = 0;
    for (size_t i = 0; i < p->n; i++) {
        node *x = p->v[i];
        weight xw = {x->s.bytes, x->s.keys};
        bool go = lighter(xw, cut);
        if (!go && !lighter(cut, xw) && ties > 0) { go = true; ties--; }
        if (go) {
            add_stats(&p->other[x->s.depth], &x->s);
            free(x);
            p->evicted++;
        } else {
            p->v[keep++] = x;
        }
    }
    p->n = keep;
    p->budget_hit = true;
    rebuild_slots(p);
    return 0;
}

static node *find_or_add(agg_prefix *p, const uint8_t *name, size_t len, unsigned depth) {
    uint64_t hash = XXH3_64bits_withSeed(name, len, depth);
    size_t mask = p->nslots - 1;
    for (size_t h = (size_t)hash & mask; p->slot[h]; h = (h + 1) & mask) {
        node *x = p->v[p->slot[h] - 1];
        if (x->hash == hash && x->s.depth == depth && x->s.name_len == len &&
            memcmp(x->name, name, len) == 0)
            return x;
    }
    if (p->n == p->budget && evict(p) < 0) return NULL;
    if ((p->n + 1) * 2 > p->nslots && grow_slots(p) < 0) return NULL;
    node *x = calloc(1, sizeof *x + len);
    if (!x) return NULL;
    x->hash = hash;
    memcpy(x->name, name, len);
    x->s.name = x->name;
    x->s.name_len = len;
    x->s.depth = depth;
    p->v[p->n++] = x;
    mask = p->nslots - 1;
    size_t h = (size_t)hash & mask;
    while (p->slot[h]) h = (h + 1) & mask;
    p->slot[h] = (uint32_t)p->n;
    return x;
}

static bool all_digits(const uint8_t *s, size_t n) {
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* Appends src to the name buffer, cut at AGG_PREFIX_MAX_NAME. */
static void append(uint8_t *buf, size_t *len, const uint8_t *src, size_t n) {
    size_t room = AGG_PREFIX_MAX_NAME - *len;
    if (n > room) n = room;
    if (n == 0) return;
    memcpy(buf + *len, src, n);
    *len += n;
}

int agg_prefix_add(agg_prefix *p, const key_record *r) {
    uint8_t name[AGG_PREFIX_MAX_NAME];
    size_t len = 0, pos = 0;
    uint64_t bytes = r->has_bytes ? r->bytes : 0;
    unsigned depth = 0;
    do {
        size_t end = pos;
        while (end < r->key_len && !p->sep[r->key[end]]) end++;
        bool has_sep = end < r->key_len;
        if (all_digits(r->key + pos, end - pos)) append(name, &len, (const uint8_t *)"*", 1);
        else append(name, &len, r->key + pos, end - pos);
        if (has_sep) append(name, &len, r->key + end, 1);
        pos = end + (has_sep ? 1 : 0);
        depth++;

        node *x = find_or_add(p, name, len, depth);
        if (!x) return -1;
        x->s.keys++;
        x->s.bytes += bytes;
        x->s.elements += r->elements;
        if (!r->has_expire) {
            x->s.keys_no_ttl++;
            x->s.bytes_no_ttl += bytes;
        }
        if ((unsigned)r->type < RDB_KIND_COUNT_) x->s.type_bytes[r->type] += bytes;
        /* a key that ends in a separator has an empty last segment: stop */
    } while (pos < r->key_len && depth < p->depth);
    return 0;
}

static int cmp_best(const void *x, const void *y) {
    const agg_prefix_row *a = *(const agg_prefix_row *const *)x;
    const agg_prefix_row *b = *(const agg_prefix_row *const *)y;
    if (a->bytes != b->bytes) return a->bytes > b->bytes ? -1 : 1;
    if (a->keys != b->keys) return a->keys > b->keys ? -1 : 1;
    if (a->depth != b->depth) return a->depth < b->depth ? -1 : 1;
    if (a->other != b->other) return a->other ? 1 : -1;
    size_t m = a->name_len < b->name_len ? a->name_len : b->name_len;
    int c = memcmp(a->name, b->name, m);
    if (c) return c;
    return a->name_len < b->name_len ? -1 : a->name_len > b->name_len;
}

size_t agg_prefix_top(const agg_prefix *p, size_t n, agg_prefix_row *out) {
    size_t total = p->n + AGG_PREFIX_MAX_DEPTH + 1;
    const agg_prefix_row **all = malloc(total * sizeof *all);
    if (!all) return 0;
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++) all[k++] = &p->v[i]->s;
    for (unsigned d = 1; d <= AGG_PREFIX_MAX_DEPTH; d++)
        if (p->other[d].keys) all[k++] = &p->other[d];
    qsort(all, k, sizeof *all, cmp_best);
    if (n > k) n = k;
    for (size_t i = 0; i < n; i++) out[i] = *all[i];
    free(all);
    return n;
}

agg_prefix_row agg_prefix_depth_sum(const agg_prefix *p, unsigned depth) {
    agg_prefix_row sum;
    memset(&sum, 0, sizeof sum);
    sum.depth = depth;
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i]->s.depth == depth) add_stats(&sum, &p->v[i]->s);
    if (depth <= AGG_PREFIX_MAX_DEPTH) add_stats(&sum, &p->other[depth]);
    return sum;
}
