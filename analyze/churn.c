/* churn.c: the fingerprint table and the movers heap of churn.h.
 *
 * Slot layout (16 bytes):
 *
 *   +------------------------+---+--------------------------------+
 *   | fingerprint (64 bits)  | M | bytes of the old key (63 bits) |
 *   +------------------------+---+--------------------------------+
 *     0 = empty slot           M: met in the new dump (or, in the
 *                              second pass, already offered as removed)
 *
 * Linear probing at a load of at most 3/4; the table doubles (rehashing
 * every slot) when it would pass that. No deletions, so no tombstones.
 */
#include "analyze/churn.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "analyze/agg_topn.h"
#include "analyze/hashseed.h"

#define MET (UINT64_C(1) << 63)
#define BYTES_MASK (MET - 1)

typedef struct slot {
    uint64_t fp, val;
} slot;

struct churn {
    uint64_t seed;
    slot *t;
    size_t cap, n;            /* cap: a power of two, or 0 */
    uint64_t matched;         /* old keys met in the new dump */
    churn_counts counts;      /* added, changed, unchanged, duplicates */
    uint64_t new_seen, removed_seen;
    churn_mover *h;           /* movers: a min-heap until churn_movers sorts it */
    size_t nh, keep;
    bool sorted;
    size_t peak;
};

churn *churn_new(size_t keep) {
    churn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->seed = hashseed_new();
    c->keep = keep;
    if (keep && !(c->h = calloc(keep, sizeof *c->h))) {
        free(c);
        return NULL;
    }
    return c;
}

static void free_movers(churn *c) {
    for (size_t i = 0; i < c->nh; i++) free(c->h[i].key);
    c->nh = 0;
    c->sorted = false;
}

void churn_free(churn *c) {
    if (!c) return;
    free_movers(c);
    free(c->h);
    free(c->t);
    free(c);
}

static uint64_t fingerprint(const churn *c, const key_record *r) {
    uint64_t f = XXH3_64bits_withSeed(r->key, r->key_len, c->seed ^ (r->db * UINT64_C(0x9e3779b97f4a7c15)));
    /* a key cut to its head (a report's copy) is not what the dump holds:
     * mix in its true length so it is never taken for a shorter key */
    if (r->key_full_len > r->key_len) f ^= XXH3_64bits_withSeed(&r->key_full_len, sizeof r->key_full_len, c->seed);
    return f ? f : 1;
}

/* the slot holding fp, or the empty slot where it would go */
static slot *find(const churn *c, uint64_t fp) {
    size_t mask = c->cap - 1;
    for (size_t i = (size_t)fp & mask;; i = (i + 1) & mask)
        if (c->t[i].fp == fp || c->t[i].fp == 0) return &c->t[i];
}

size_t churn_memory(const churn *c) { return c->cap * sizeof(slot) + c->keep * sizeof(churn_mover); }
size_t churn_memory_peak(const churn *c) { return c->peak > churn_memory(c) ? c->peak : churn_memory(c); }

static int grow_to(churn *c, size_t cap) {
    if (cap > SIZE_MAX / sizeof(slot)) return -1;
    slot *old = c->t;
    size_t oldcap = c->cap;
    c->t = calloc(cap, sizeof *c->t);
    if (!c->t) {
        c->t = old;
        return -1;
    }
    c->cap = cap;
    size_t during = (oldcap + cap) * sizeof(slot);
    if (during > c->peak) c->peak = during;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].fp) *find(c, old[i].fp) = old[i];
    free(old);
    return 0;
}

static int grow(churn *c) { return grow_to(c, c->cap ? c->cap * 2 : 1024); }

void churn_reserve(churn *c, uint64_t n) {
    if (n > (SIZE_MAX / sizeof(slot)) / 2) return;
    size_t cap = c->cap ? c->cap : 1024;
    while ((uint64_t)cap * 3 < n * 4) cap *= 2;
    if (cap > c->cap) grow_to(c, cap);   /* on failure the table just grows later */
}

int churn_add_old(churn *c, const key_record *r) {
    if ((c->n + 1) * 4 > c->cap * 3 && grow(c) < 0) return -1;
    uint64_t fp = fingerprint(c, r);
    slot *s = find(c, fp);
    if (s->fp) {
        c->counts.duplicates++;
        return 0;
    }
    uint64_t b = r->has_bytes ? r->bytes : 0;
    s->fp = fp;
    s->val = b & BYTES_MASK;
    c->n++;
    return 0;
}

/* ---- movers ---------------------------------------------------------------- */

static uint64_t size_of_move(const churn_mover *m) {
    if (m->has_old && m->has_new)
        return m->new_bytes > m->old_bytes ? m->new_bytes - m->old_bytes : m->old_bytes - m->new_bytes;
    return m->has_new ? m->new_bytes : m->old_bytes;
}

/* a ranks below b: a smaller move, or the same and later */
static bool worse(const churn_mover *a, const churn_mover *b) {
    uint64_t x = size_of_move(a), y = size_of_move(b);
    if (x != y) return x < y;
    return a->seq > b->seq;
}

static void sift_down(churn_mover *v, size_t n, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && worse(&v[l], &v[m])) m = l;
        if (r < n && worse(&v[r], &v[m])) m = r;
        if (m == i) return;
        churn_mover t = v[i]; v[i] = v[m]; v[m] = t;
        i = m;
    }
}

static void sift_up(churn_mover *v, size_t i) {
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!worse(&v[i], &v[p])) return;
        churn_mover t = v[i]; v[i] = v[p]; v[p] = t;
        i = p;
    }
}

static int offer(churn *c, churn_mover m, const key_record *r) {
    if (c->keep == 0 || c->sorted) return 0;
    if (c->nh == c->keep && !worse(&c->h[0], &m)) return 0;
    size_t keep = r->key_len < AGG_KEY_KEEP ? r->key_len : AGG_KEY_KEEP;
    m.key = malloc(keep ? keep : 1);
    if (!m.key) return -1;
    if (keep) memcpy(m.key, r->key, keep);
    m.key_len = keep;
    m.key_full_len = r->key_full_len > r->key_len ? r->key_full_len : keep < r->key_len ? r->key_len : 0;
    m.db = r->db;
    m.type = r->type;
    if (c->nh < c->keep) {
        c->h[c->nh] = m;
        sift_up(c->h, c->nh++);
    } else {
        free(c->h[0].key);
        c->h[0] = m;
        sift_down(c->h, c->nh, 0);
    }
    return 0;
}

int churn_add_new(churn *c, const key_record *r) {
    uint64_t seq = c->new_seen++;
    uint64_t b = r->has_bytes ? r->bytes : 0;
    slot *s = c->cap ? find(c, fingerprint(c, r)) : NULL;
    churn_mover m = {.has_new = true, .new_bytes = b, .seq = seq};
    if (!s || !s->fp) {
        c->counts.added++;
        return offer(c, m, r);
    }
    if (s->val & MET) {
        c->counts.duplicates++;
        return 0;
    }
    s->val |= MET;
    c->matched++;
    uint64_t old = s->val & BYTES_MASK;
    if (old == (b & BYTES_MASK)) {
        c->counts.unchanged++;
        return 0;
    }
    c->counts.changed++;
    m.has_old = true;
    m.old_bytes = old;
    return offer(c, m, r);
}

int churn_removed(churn *c, const key_record *r) {
    uint64_t seq = c->new_seen + c->removed_seen++;
    if (!c->cap) return 0;
    slot *s = find(c, fingerprint(c, r));
    if (!s->fp || (s->val & MET)) return 0;
    s->val |= MET;   /* offered once, even if the old dump repeats it */
    churn_mover m = {.has_old = true, .old_bytes = s->val & BYTES_MASK, .seq = seq};
    return offer(c, m, r);
}

void churn_reset_old(churn *c) {
    free(c->t);
    c->t = NULL;
    c->cap = c->n = 0;
    c->matched = 0;
    c->counts.duplicates = 0;
}

void churn_reset_new(churn *c) {
    for (size_t i = 0; i < c->cap; i++) c->t[i].val &= BYTES_MASK;
    c->matched = 0;
    memset(&c->counts, 0, sizeof c->counts);
    c->new_seen = c->removed_seen = 0;
    free_movers(c);
}

churn_counts churn_counts_of(const churn *c) {
    churn_counts k = c->counts;
    k.removed = c->n - c->matched;
    return k;
}

static int best_first(const void *a, const void *b) {
    const churn_mover *x = a, *y = b;
    return worse(y, x) ? -1 : worse(x, y) ? 1 : 0;
}

const churn_mover *churn_movers(churn *c, size_t *n) {
    if (!c->sorted && c->nh > 1) qsort(c->h, c->nh, sizeof *c->h, best_first);
    c->sorted = true;
    *n = c->nh;
    return c->h;
}
