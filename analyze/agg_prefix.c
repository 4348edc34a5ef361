/* agg_prefix.c: the prefix table behind agg_prefix.h.
 *
 * Nodes live in a flat vector (for eviction and reporting) and are found
 * through an open-addressing table of (vector index, hash bits). A node's
 * hash chains XXH3 over its segments (each segment seeded with the parent's
 * hash; the first with a per-table secret, so that a dump cannot choose
 * key names that pile into one run of slots), so a key is hashed once, not
 * once per depth; the slot keeps 32 hash bits so a probe rarely touches a
 * node it does not want. Eviction compacts the vector and rebuilds the
 * table, so no tombstones are needed; it runs once per budget/4 new nodes,
 * which keeps the cost amortized O(1) per key.
 */
#include "analyze/agg_prefix.h"

#include <stdlib.h>
#include <string.h>

/* xxHash's own header-only mode: XXH3 on the short segments of a key name
 * is a few multiplications, and a call through the shared library cost
 * about as much again (a profile of `report` put the calls at 3 %). */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyze/hashseed.h"

/* Byte classes, one table per tree: the separator test and the id test
 * below share one pass over the key. */
enum { C_SEP = 1, C_DIGIT = 2, C_HEXL = 4, C_DASH = 8, C_OTHER = 16 };

typedef struct prefix_slot {
    uint32_t idx;            /* index + 1 into v; 0 = empty */
    uint32_t tag;            /* the hash's high 32 bits */
} prefix_slot;

typedef struct node {
    union {
        uint64_t hash;
        struct node *next_spare;   /* on a spare list (node_release) */
    };
    agg_prefix_row s;        /* s.name points at name[] */
    uint8_t name[];
} node;

/* Evicted nodes are kept for the nodes that come next (an eviction frees a
 * quarter of the budget, which the next quarter's new prefixes take up):
 * with a million distinct prefixes, malloc and free were a quarter of the
 * report. Spares are kept by name room, in steps of 8 bytes. */
#define NAME_STEP 8
#define NAME_CLASSES (AGG_PREFIX_MAX_NAME / NAME_STEP + 1)

struct agg_prefix {
    uint8_t cls[256];        /* C_* per byte; separators take C_SEP */
    unsigned depth;
    size_t budget;
    node **v;                /* live nodes, insertion order */
    size_t n;
    prefix_slot *slot;       /* idx: index + 1 into v, 0 = empty */
    size_t nslots;           /* power of two, >= 2 * n */
    agg_prefix_row other[AGG_PREFIX_MAX_DEPTH + 1];
    bool budget_hit;
    uint64_t evicted;
    uint64_t seed;           /* the hash chain's start, secret (hashseed.h) */
    uint64_t pivot_rng;      /* eviction's pivots, secret too (select_kth) */
    node *spare[NAME_CLASSES];  /* evicted nodes by name room (node_alloc) */
    size_t nspare;           /* at most budget / 4 */
};

static const uint8_t OTHER_NAME[] = "(other)";

agg_prefix *agg_prefix_new(const char *separators, unsigned depth, size_t budget) {
    agg_prefix *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    for (unsigned c = 0; c < 256; c++)
        p->cls[c] = c >= '0' && c <= '9' ? C_DIGIT
                  : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? C_HEXL
                  : c == '-' ? C_DASH : C_OTHER;
    for (const unsigned char *s = (const unsigned char *)(separators ? separators : ""); *s; s++)
        p->cls[*s] = C_SEP;
    if (depth < 1) depth = 1;
    if (depth > AGG_PREFIX_MAX_DEPTH) depth = AGG_PREFIX_MAX_DEPTH;
    if (budget < AGG_PREFIX_MIN_BUDGET) budget = AGG_PREFIX_MIN_BUDGET;
    if (budget > UINT32_MAX / 4) budget = UINT32_MAX / 4;
    p->depth = depth;
    p->budget = budget;
    p->seed = hashseed_new();
    p->pivot_rng = hashseed_new() | 1;
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
    for (size_t c = 0; c < NAME_CLASSES; c++)
        for (node *x = p->spare[c], *next; x; x = next) {
            next = x->next_spare;
            free(x);
        }
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

static void put_slot(agg_prefix *p, uint64_t hash, size_t index) {
    size_t mask = p->nslots - 1;
    size_t h = (size_t)hash & mask;
    while (p->slot[h].idx) h = (h + 1) & mask;
    p->slot[h] = (prefix_slot){(uint32_t)(index + 1), (uint32_t)(hash >> 32)};
}

static void rebuild_slots(agg_prefix *p) {
    memset(p->slot, 0, p->nslots * sizeof *p->slot);
    for (size_t i = 0; i < p->n; i++) put_slot(p, p->v[i]->hash, i);
}

static int grow_slots(agg_prefix *p) {
    size_t want = p->nslots * 2;
    prefix_slot *s = calloc(want, sizeof *s);
    if (!s) return -1;
    free(p->slot);
    p->slot = s;
    p->nslots = want;
    rebuild_slots(p);
    return 0;
}

/* A zeroed node with room for a name of len bytes. */
static node *node_alloc(agg_prefix *p, size_t len) {
    size_t c = (len + NAME_STEP - 1) / NAME_STEP;
    node *x = p->spare[c];
    if (!x) return calloc(1, sizeof *x + c * NAME_STEP);
    p->spare[c] = x->next_spare;
    p->nspare--;
    memset(x, 0, sizeof *x);   /* the name is written over */
    return x;
}

static void node_release(agg_prefix *p, node *x) {
    if (p->nspare >= p->budget / 4) {
        free(x);
        return;
    }
    size_t c = (x->s.name_len + NAME_STEP - 1) / NAME_STEP;
    x->next_spare = p->spare[c];
    p->spare[c] = x;
    p->nspare++;
}

/* (bytes, keys) of a node, the eviction order */
typedef struct weight { uint64_t bytes, keys; } weight;

static bool lighter(weight a, weight b) {
    return a.bytes != b.bytes ? a.bytes < b.bytes : a.keys < b.keys;
}

/* Hoare quickselect: leaves the k-th lightest (0-based) at w[k]. Linear on
 * average, which keeps an eviction at O(budget) instead of a full sort.
 * The weights come from the dump, and any pivot rule a dump can predict
 * can be driven quadratic by one (McIlroy's adversary), so pivots are
 * drawn at random from a secret seed; what is selected does not depend on
 * them. */
static void select_kth(weight *w, size_t n, size_t k, uint64_t *rng) {
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        *rng ^= *rng << 13, *rng ^= *rng >> 7, *rng ^= *rng << 17;   /* xorshift64 */
        weight pivot = w[lo + (size_t)(*rng % (hi - lo + 1))];
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
    select_kth(w, p->n, want - 1, &p->pivot_rng);
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
            node_release(p, x);
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

/* hash: of the name's segments, chained (see agg_prefix_add) */
static node *find_or_add(agg_prefix *p, uint64_t hash, const uint8_t *name, size_t len,
                         unsigned depth) {
    size_t mask = p->nslots - 1;
    uint32_t tag = (uint32_t)(hash >> 32);
    for (size_t h = (size_t)hash & mask; p->slot[h].idx; h = (h + 1) & mask) {
        if (p->slot[h].tag != tag) continue;
        node *x = p->v[p->slot[h].idx - 1];
        if (x->hash == hash && x->s.depth == depth && x->s.name_len == len &&
            memcmp(x->name, name, len) == 0)
            return x;
    }
    if (p->n == p->budget && evict(p) < 0) return NULL;
    if ((p->n + 1) * 2 > p->nslots && grow_slots(p) < 0) return NULL;
    node *x = node_alloc(p, len);
    if (!x) return NULL;
    x->hash = hash;
    memcpy(x->name, name, len);
    x->s.name = x->name;
    x->s.name_len = len;
    x->s.depth = depth;
    p->v[p->n++] = x;
    put_slot(p, hash, p->n - 1);
    return x;
}

/* Dashes in 36 bytes that are hex digits or dashes only: of those, only a
 * dash (0x2d) has neither bit 4 (digits, 0x30-0x39) nor bit 6 (letters) set,
 * so eight bytes are counted at once instead of one by one. */
static unsigned dashes36(const uint8_t *s) {
    const uint64_t ones = 0x0101010101010101u;
    unsigned other = 0;
    for (size_t i = 0; i < 32; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        other += (unsigned)(((((w >> 4) | (w >> 6)) & ones) * ones) >> 56);
    }
    uint32_t t;
    memcpy(&t, s + 32, 4);
    other += (unsigned)(((((t >> 4) | (t >> 6)) & 0x01010101u) * 0x01010101u) >> 24);
    return 36 - other;
}

/* Does a segment name one thing among many (an id), not a kind of thing?
 * Such segments fold to '*', so that "session:<uuid>" keys aggregate into
 * "session:*" instead of one node each: digits only ("12345"), a UUID in
 * canonical form, or a run of at least 8 hex digits with a digit in it
 * ("5f3a9c1e", an ObjectId). "deadbeef" and "board12" stay words.
 * classes: the OR of the segment's byte classes (the per-byte scan does
 * no more, so '-'s are placed only here, for the rare 36-byte candidate). */
static bool is_id_segment(const uint8_t *s, size_t n, unsigned classes) {
    if (n == 0) return false;
    if (classes == C_DIGIT) return true;
    if (n == 36 && !(classes & C_OTHER) && (classes & C_DASH)) {   /* 8-4-4-4-12 */
        if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return false;
        return dashes36(s) == 4;   /* and no other: 32 hex digits in five groups */
        return true;
    }
    return n >= 8 && classes == (C_DIGIT | C_HEXL);
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
    uint64_t hash = p->seed;
    do {
        size_t end = pos;
        unsigned classes = 0;
        for (; end < r->key_len; end++) {
            unsigned c = p->cls[r->key[end]];
            if (c == C_SEP) break;
            classes |= c;
        }
        bool has_sep = end < r->key_len;
        size_t from = len;
        if (is_id_segment(r->key + pos, end - pos, classes))
            append(name, &len, (const uint8_t *)"*", 1);
        else append(name, &len, r->key + pos, end - pos);
        if (has_sep) append(name, &len, r->key + end, 1);
        pos = end + (has_sep ? 1 : 0);
        depth++;
        /* The name is the parent's plus this segment: chain the hash (the
         * depth is in it too, as a name cut at the limit repeats). */
        hash = XXH3_64bits_withSeed(name + from, len - from, hash + depth);

        node *x = find_or_add(p, hash, name, len, depth);
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

/* Keeps the best n rows seen in a heap whose root is the worst of them. */
static void heap_offer(const agg_prefix_row **h, size_t *len, size_t cap, const agg_prefix_row *r) {
    size_t i;
    if (*len < cap) {
        i = (*len)++;
        while (i > 0 && cmp_best(&r, &h[(i - 1) / 2]) > 0) {  /* r worse than parent */
            h[i] = h[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        h[i] = r;
        return;
    }
    if (cmp_best(&r, &h[0]) >= 0) return;                      /* not better than the worst */
    i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = l;
        if (l >= *len) break;
        if (l + 1 < *len && cmp_best(&h[l + 1], &h[l]) > 0) m = l + 1;
        if (cmp_best(&h[m], &r) <= 0) break;
        h[i] = h[m];
        i = m;
    }
    h[i] = r;
}

/* The best n of possibly many nodes: one pass through a bounded heap, then
 * a sort of those n; cmp_best is a total order, so this equals sorting all. */
size_t agg_prefix_top(const agg_prefix *p, size_t n, agg_prefix_row *out) {
    if (n == 0) return 0;
    const agg_prefix_row **h = malloc(n * sizeof *h);
    if (!h) return 0;
    size_t len = 0;
    for (size_t i = 0; i < p->n; i++) heap_offer(h, &len, n, &p->v[i]->s);
    for (unsigned d = 1; d <= AGG_PREFIX_MAX_DEPTH; d++)
        if (p->other[d].keys) heap_offer(h, &len, n, &p->other[d]);
    qsort(h, len, sizeof *h, cmp_best);
    for (size_t i = 0; i < len; i++) out[i] = *h[i];
    free(h);
    return len;
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

const agg_prefix_row *agg_prefix_node(const agg_prefix *p, size_t i) {
    return i < p->n ? &p->v[i]->s : NULL;
}

const agg_prefix_row *agg_prefix_other(const agg_prefix *p, unsigned depth) {
    return depth <= AGG_PREFIX_MAX_DEPTH ? &p->other[depth] : NULL;
}

/* The hash agg_prefix_add chains for a node: its name is cut into the same
 * pieces (each up to and including a separator; a folded id is '*', never
 * a separator), and depths past a name cut at AGG_PREFIX_MAX_NAME hash an
 * empty piece, as there. */
static uint64_t row_hash(const agg_prefix *p, const uint8_t *name, size_t len, unsigned depth) {
    uint64_t hash = p->seed;
    size_t pos = 0;
    for (unsigned d = 1; d <= depth; d++) {
        size_t end = pos;
        while (end < len && p->cls[name[end]] != C_SEP) end++;
        if (end < len) end++;
        hash = XXH3_64bits_withSeed(name + pos, end - pos, hash + d);
        pos = end;
    }
    return hash;
}

int agg_prefix_add_row(agg_prefix *p, const agg_prefix_row *r) {
    if (r->depth < 1 || r->depth > p->depth || r->name_len > AGG_PREFIX_MAX_NAME) return -2;
    node *x;
    if (r->other) {
        add_stats(&p->other[r->depth], r);
        return 0;
    }
    x = find_or_add(p, row_hash(p, r->name, r->name_len, r->depth), r->name, r->name_len, r->depth);
    if (!x) return -1;
    add_stats(&x->s, r);
    return 0;
}

void agg_prefix_note_evicted(agg_prefix *p, bool budget_hit, uint64_t evicted) {
    if (budget_hit) p->budget_hit = true;
    p->evicted += evicted;
}

/* ---- a tree for a treemap (agg_prefix_tree) ------------------------------ */

/* name order, then depth: the nodes under a prefix are one run */
static int cmp_name(const void *x, const void *y) {
    const agg_prefix_row *a = *(const agg_prefix_row *const *)x;
    const agg_prefix_row *b = *(const agg_prefix_row *const *)y;
    size_t m = a->name_len < b->name_len ? a->name_len : b->name_len;
    int c = memcmp(a->name, b->name, m);
    if (c) return c;
    if (a->name_len != b->name_len) return a->name_len < b->name_len ? -1 : 1;
    return a->depth < b->depth ? -1 : a->depth > b->depth;
}

/* Are r's children the deeper nodes whose names start with r's? When r's
 * name ends at a separator: then it is the whole of their first
 * r->depth segments, so no other node of its depth is their parent (a name
 * that ends inside a segment is a whole key: "ab:c" starts with the leaf
 * "a" but is not under it). Names cut at the limit are not opened: their
 * children's names all equal theirs, nothing a treemap could tell apart. */
static bool has_children(const agg_prefix *p, const agg_prefix_row *r) {
    return r->name_len > 0 && r->name_len < AGG_PREFIX_MAX_NAME &&
           p->cls[r->name[r->name_len - 1]] == C_SEP;
}

/* out[] indices in a max-heap by bytes (ties: earlier index first) */
static bool tree_before(const agg_prefix_tree_row *out, size_t a, size_t b) {
    if (out[a].row.bytes != out[b].row.bytes) return out[a].row.bytes > out[b].row.bytes;
    return a < b;
}

static void tree_push(size_t *h, size_t *len, const agg_prefix_tree_row *out, size_t v) {
    size_t i = (*len)++;
    while (i > 0 && tree_before(out, v, h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = v;
}

static size_t tree_pop(size_t *h, size_t *len, const agg_prefix_tree_row *out) {
    size_t top = h[0], last = h[--*len], i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = l;
        if (l >= *len) break;
        if (l + 1 < *len && tree_before(out, h[l + 1], h[l])) m = l + 1;
        if (!tree_before(out, h[m], last)) break;
        h[i] = h[m];
        i = m;
    }
    if (*len) h[i] = last;
    return top;
}

/* Appends the best 'fanout' (at most 'room') nodes of 'depth' among
 * sorted[from, to) to out with 'parent'; returns how many. */
static size_t tree_children(const agg_prefix_row **sorted, size_t from, size_t to, unsigned depth,
                            size_t fanout, size_t room, size_t parent, agg_prefix_tree_row *out,
                            size_t nout, const agg_prefix_row **heap) {
    size_t cap = fanout < room ? fanout : room, len = 0;
    if (cap == 0) return 0;
    for (size_t i = from; i < to; i++)
        if (sorted[i]->depth == depth) heap_offer(heap, &len, cap, sorted[i]);
    qsort(heap, len, sizeof *heap, cmp_best);
    for (size_t i = 0; i < len; i++) out[nout + i] = (agg_prefix_tree_row){*heap[i], parent};
    return len;
}

size_t agg_prefix_tree(const agg_prefix *p, size_t max_nodes, size_t fanout, agg_prefix_tree_row *out) {
    if (max_nodes == 0 || fanout == 0) return 0;
    const agg_prefix_row **sorted = malloc((p->n ? p->n : 1) * sizeof *sorted);
    const agg_prefix_row **heap = malloc(fanout * sizeof *heap);
    size_t *open = malloc(max_nodes * sizeof *open);
    size_t n = 0, nopen = 0;
    if (!sorted || !heap || !open) goto done;
    for (size_t i = 0; i < p->n; i++) sorted[i] = &p->v[i]->s;
    qsort(sorted, p->n, sizeof *sorted, cmp_name);

    n = tree_children(sorted, 0, p->n, 1, fanout, max_nodes, SIZE_MAX, out, 0, heap);
    for (size_t i = 0; i < n; i++) tree_push(open, &nopen, out, i);
    if (p->other[1].keys && n < max_nodes) out[n++] = (agg_prefix_tree_row){p->other[1], SIZE_MAX};
    /* the heaviest node not yet opened gets its children next, so the
     * budget goes where the bytes are, whatever the depth */
    while (nopen && n < max_nodes) {
        size_t x = tree_pop(open, &nopen, out);
        const agg_prefix_row *r = &out[x].row;
        if (r->depth >= p->depth || !has_children(p, r)) continue;
        /* the run of names that start with r's */
        size_t lo = 0, hi = p->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            const agg_prefix_row *m = sorted[mid];
            size_t k = m->name_len < r->name_len ? m->name_len : r->name_len;
            int c = memcmp(m->name, r->name, k);
            if (c < 0 || (c == 0 && m->name_len < r->name_len)) lo = mid + 1;
            else hi = mid;
        }
        size_t end = lo;
        while (end < p->n && sorted[end]->name_len >= r->name_len &&
               memcmp(sorted[end]->name, r->name, r->name_len) == 0)
            end++;
        size_t added = tree_children(sorted, lo, end, r->depth + 1, fanout, max_nodes - n, x, out,
                                     n, heap);
        for (size_t i = n; i < n + added; i++) tree_push(open, &nopen, out, i);
        n += added;
    }
done:
    free(sorted);
    free(heap);
    free(open);
    return n;
}
