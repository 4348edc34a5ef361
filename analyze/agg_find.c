/* agg_find.c: the findings rules: thresholds, severity tiers, and what is
 * collected per key while the dump streams (agg_find.h). The list itself,
 * its wording and commands, is built in agg_find_out.c.
 *
 * Savings for "just above an encoding limit" come from the memory model's
 * estimate callback when it is given. Without it we use a rough per-element
 * difference between the big and the compact encoding on a 64-bit server
 * with jemalloc (memory-model.md §2, §5): a hashtable entry costs a
 * dictEntry (24 B), its share of the bucket array (8-16 B) and the SDS
 * header + allocator rounding of each string (~8 B each), where a listpack
 * entry costs 2-3 bytes of header and back-length. Zset skiplist nodes add
 * ~56 B per element on top. The evidence says which of the two was used.
 */
#include "analyze/agg_find.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (UINT64_C(1) << 20)

void agg_thresholds_init(agg_thresholds *t) {
    memset(t, 0, sizeof *t);
    t->big_bytes = 10 * MIB;
    t->big_elements = 10000;
    t->list_element_bytes = 8192;
    t->dominant_min_bytes = MIB;
    t->dominant_pct = 50;
    t->no_ttl_pct = 90;
    t->no_ttl_min_share_pct = 5;
    t->no_ttl_warn_share_pct = 25;
    t->expired_warn_pct = 10;
    t->near_pct = ENC_NEAR_LIMIT_PCT;
    /* Redis 7.2+ defaults (src/config.c), for callers that do not say
     * which server the keys were modelled for; the report always says
     * (agg_find_set_limits, per file) */
    t->enc = (enc_limits){.hash_entries = 512, .hash_value = 64, .zset_entries = 128,
                          .zset_value = 64, .set_intset = 512, .set_lp_entries = 128,
                          .set_lp_value = 64};
}

struct agg_find_limits {
    bool set;
    enc_limits l;
};

int agg_find_init(agg_find *f, const agg_thresholds *th, size_t per_kind,
                  agg_estimate_fn est, void *est_ctx, const char *separators) {
    memset(f, 0, sizeof *f);
    f->th = *th;
    f->estimate = est;
    f->estimate_ctx = est_ctx;
    f->separators = separators ? separators : "";
    for (int k = 0; k < AGG_FK_COUNT_; k++)
        if (agg_topn_init(&f->kind[k].worst, per_kind) < 0) { agg_find_free(f); return -1; }
    return 0;
}

void agg_find_free(agg_find *f) {
    for (int k = 0; k < AGG_FK_COUNT_; k++) agg_topn_free(&f->kind[k].worst);
    for (size_t i = 0; i < f->ngroups; i++) agg_topn_free(&f->groups[i].worst);
    free(f->groups);
    f->groups = NULL;
    f->ngroups = 0;
    free(f->v);
    f->v = NULL;
    f->n = f->cap = 0;
    free(f->file_limits);
    f->file_limits = NULL;
    f->nfile_limits = 0;
}

int agg_find_set_limits(agg_find *f, uint32_t file, const enc_limits *l) {
    if (file >= f->nfile_limits) {
        size_t n = (size_t)file + 1;
        struct agg_find_limits *v = realloc(f->file_limits, n * sizeof *v);
        if (!v) return -1;
        memset(v + f->nfile_limits, 0, (n - f->nfile_limits) * sizeof *v);
        f->file_limits = v;
        f->nfile_limits = n;
    }
    f->file_limits[file] = (struct agg_find_limits){.set = true, .l = *l};
    return 0;
}

static const enc_limits *limits_of(const agg_find *f, uint32_t file) {
    if (file < f->nfile_limits && f->file_limits[file].set) return &f->file_limits[file].l;
    return &f->th.enc;
}

/* ---- "just above an encoding limit" -------------------------------------- */

typedef agg_near_limit near_limit;

static bool just_above(uint64_t n, uint64_t limit, unsigned pct) {
    if (limit == 0 || n <= limit) return false;
    return n <= limit + limit * pct / 100;
}

/* Which limit pushed r out of its compact encoding, if it is just above one
 * and its elements are short enough for the compact form. L is the target
 * server's: a limit of 0 is an encoding it does not have (just_above never
 * matches it), and the directive is named as that server spells it. */
static bool near_limit_of(const enc_limits *L, unsigned pct, const key_record *r, near_limit *out) {
    if (!r->encoding || !r->has_bytes) return false;
    const char *e = r->encoding;  /* first letters first: this runs for every key */
    bool big_enc = (e[0] == 'h' && strcmp(e, "hashtable") == 0) || (e[0] == 's' && strcmp(e, "skiplist") == 0);
    if (!big_enc) return false;
    const char *packed = L->ziplist ? "ziplist" : "listpack";
    switch (r->type) {
    case RDB_KIND_HASH:
        if (just_above(r->elements, L->hash_entries, pct) && r->largest <= L->hash_value) {
            *out = (near_limit){L->ziplist ? "hash-max-ziplist-entries" : "hash-max-listpack-entries",
                                L->hash_entries, packed, 48};
            return true;
        }
        return false;
    case RDB_KIND_ZSET:
        if (just_above(r->elements, L->zset_entries, pct) && r->largest <= L->zset_value) {
            *out = (near_limit){L->ziplist ? "zset-max-ziplist-entries" : "zset-max-listpack-entries",
                                L->zset_entries, packed, 88};
            return true;
        }
        return false;
    case RDB_KIND_SET:
        /* all members integers: an intset candidate */
        if (just_above(r->elements, L->set_intset, pct) && r->int_members) {
            *out = (near_limit){"set-max-intset-entries", L->set_intset, "intset", 40};
            return true;
        }
        /* set listpacks exist only from 7.2, always under this name */
        if (just_above(r->elements, L->set_lp_entries, pct) && r->largest <= L->set_lp_value) {
            *out = (near_limit){"set-max-listpack-entries", L->set_lp_entries, "listpack", 36};
            return true;
        }
        return false;
    default:
        return false;
    }
}

/* (saving, from_model) */
static uint64_t near_saving(const agg_find *f, const key_record *r, const near_limit *nl, bool *model) {
    *model = false;
    /* the memory model sized the compact form while it read the key */
    if (r->compact_encoding && r->compact_bytes && strcmp(r->compact_encoding, nl->target) == 0) {
        *model = true;
        return r->compact_bytes < r->bytes ? r->bytes - r->compact_bytes : 0;
    }
    if (f->estimate) {
        uint64_t compact = f->estimate(f->estimate_ctx, r, nl->target);
        if (compact) {
            *model = true;
            return compact < r->bytes ? r->bytes - compact : 0;
        }
    }
    uint64_t s = r->elements * nl->per_element;
    return s < r->bytes ? s : r->bytes;
}

/* ---- what a shallow parse may leave unwalked ------------------------------
 * Findings read a key's largest in three places. With a shallow parse, the
 * largest seen (L) is the exact one (X) over the walked blobs only, and no
 * element of an unwalked blob is longer than max(its length, 20) (rdb.h,
 * largest_bound; 20 is an integer's longest text). So L <= X, and when X
 * exceeds every unwalked element, L == X. Then, for blobs up to S:
 *  - list_big_elements (X > list_element_bytes): with S <= list_element_bytes
 *    an unwalked element cannot exceed it; a key qualifies only through a
 *    walked element, where L == X, so the same keys qualify, scored alike.
 *  - dominant_element (X * 100 >= bytes * pct, with bytes >= min_bytes):
 *    needs X * 100 >= min_bytes * pct; with S * 100 < min_bytes * pct an
 *    unwalked element cannot reach it, so again L == X for every key that
 *    qualifies (the score is largest) and no other key does.
 *  - near_encoding_limit reads largest only for hashtable / skiplist keys:
 *    read element by element from the file (walked), or blobs the loader
 *    converts, which the memory model has the parser walk (model_coll_shallow).
 *  - big_key reads largest only for a string the model could not size,
 *    never shallow. */
uint64_t agg_find_shallow_max(const agg_thresholds *th) {
    uint64_t s = UINT64_MAX;
    if (th->list_element_bytes && th->list_element_bytes < s) s = th->list_element_bytes;
    if (th->dominant_pct) {
        /* without a minimum size, any element may dominate a small key */
        if (th->dominant_min_bytes == 0) return 0;
        unsigned __int128 t = (unsigned __int128)th->dominant_min_bytes * th->dominant_pct;
        uint64_t d = t > (unsigned __int128)UINT64_MAX * 100 ? UINT64_MAX : (uint64_t)((t - 1) / 100);
        if (d < s) s = d;
    }
    /* the bound of an unwalked blob is never below 20 bytes */
    return s < 20 ? 0 : s;
}

/* ---- severity tiers ------------------------------------------------------ */

const char *agg_find_bytes_tier(const agg_thresholds *th, uint64_t bytes) {
    uint64_t b = th->big_bytes;
    if (!b) return NULL;
    if (bytes / 10 >= b) return "critical";
    if (bytes >= b) return "warning";
    if (bytes >= b / 10 && bytes > 0) return "info";
    return NULL;
}

const char *agg_find_elements_tier(const agg_thresholds *th, uint64_t elements) {
    uint64_t e = th->big_elements;
    if (!e) return NULL;
    if (elements / 100 >= e) return "critical";
    if (elements / 10 >= e) return "warning";
    if (elements >= e) return "info";
    return NULL;
}

int agg_find_severity_rank(const char *s) {
    if (!s) return 3;
    return strcmp(s, "critical") == 0 ? 0 : strcmp(s, "warning") == 0 ? 1 : 2;
}

/* ---- per-key checks ------------------------------------------------------ */

static uint64_t bytes_of(const key_record *r) { return r->has_bytes ? r->bytes : 0; }

static bool is_collection(const key_record *r) {
    return r->type == RDB_KIND_LIST || r->type == RDB_KIND_SET || r->type == RDB_KIND_ZSET ||
           r->type == RDB_KIND_HASH || r->type == RDB_KIND_STREAM;
}

/* A key's memory: its predicted size, or for a string the model could not
 * size its length (a lower bound). */
static uint64_t size_of(const key_record *r) {
    if (r->has_bytes) return r->bytes;
    return r->type == RDB_KIND_STRING ? r->largest : 0;
}

static bool is_big(const agg_thresholds *th, const key_record *r) {
    return agg_find_bytes_tier(th, size_of(r)) ||
           (is_collection(r) && agg_find_elements_tier(th, r->elements));
}

static bool is_dominated(const agg_thresholds *th, const key_record *r) {
    if (!is_collection(r) || !r->has_bytes || r->elements < 2 || r->bytes == 0) return false;
    if (r->bytes < th->dominant_min_bytes || th->dominant_pct == 0) return false;
    return (unsigned __int128)r->largest * 100 >= (unsigned __int128)r->bytes * th->dominant_pct;
}

static int track(agg_find *f, int k, uint64_t score, const key_record *r, uint64_t seq, uint32_t file) {
    f->kind[k].keys++;
    f->kind[k].bytes += bytes_of(r);
    return agg_topn_offer(&f->kind[k].worst, score, seq, file, r) < 0 ? -1 : 0;
}

/* The first segment of a key: up to and including its first separator
 * (the whole key when it has none), at most sizeof g->segment bytes. */
static size_t first_segment(const char *seps, const key_record *r, bool *cut) {
    size_t n = 0;
    while (n < r->key_len && !(r->key[n] && strchr(seps, r->key[n]))) n++;
    if (n < r->key_len) n++;  /* the separator */
    *cut = n > sizeof ((agg_near_group *)0)->segment;
    return *cut ? sizeof ((agg_near_group *)0)->segment : n;
}

static agg_near_group *near_group(agg_find *f, uint32_t file, const key_record *r, const near_limit *nl) {
    bool cut;
    size_t n = first_segment(f->separators, r, &cut);
    size_t named = 0;
    for (size_t i = 0; i < f->ngroups; i++) {
        agg_near_group *g = &f->groups[i];
        if (g->file != file || g->type != r->type || strcmp(g->nl.config, nl->config) != 0) continue;
        if (g->other) continue;
        named++;
        if (g->segment_len == n && memcmp(g->segment, r->key, n) == 0) return g;
    }
    bool other = named >= AGG_NEAR_GROUPS;
    if (other)
        for (size_t i = 0; i < f->ngroups; i++) {
            agg_near_group *g = &f->groups[i];
            if (g->other && g->file == file && g->type == r->type && strcmp(g->nl.config, nl->config) == 0)
                return g;
        }
    agg_near_group *v = realloc(f->groups, (f->ngroups + 1) * sizeof *v);
    if (!v) return NULL;
    f->groups = v;
    agg_near_group *g = &v[f->ngroups];
    memset(g, 0, sizeof *g);
    if (agg_topn_init(&g->worst, AGG_NEAR_EXAMPLES) < 0) return NULL;
    f->ngroups++;
    g->file = file;
    g->type = r->type;
    g->nl = *nl;
    g->other = other;
    g->model = true;
    g->min_elements = UINT64_MAX;
    if (!other) {
        memcpy(g->segment, r->key, n);
        g->segment_len = n;
        g->segment_cut = cut;
    }
    return g;
}

int agg_find_add(agg_find *f, const key_record *r, uint64_t seq, uint32_t file) {
    const agg_thresholds *th = &f->th;
    if (is_big(th, r)) {
        /* rank by memory; collections without a size by their elements */
        uint64_t score = size_of(r) ? size_of(r) : r->elements;
        if (track(f, AGG_FK_BIG, score, r, seq, file) < 0) return -1;
    }
    if (is_dominated(th, r))
        if (track(f, AGG_FK_DOMINANT, r->largest, r, seq, file) < 0) return -1;
    if (th->list_element_bytes && r->type == RDB_KIND_LIST && r->largest > th->list_element_bytes)
        if (track(f, AGG_FK_LIST_BIG_ELEMENTS, r->largest, r, seq, file) < 0) return -1;
    near_limit nl;
    if (near_limit_of(limits_of(f, file), th->near_pct, r, &nl)) {
        bool model;
        uint64_t save = near_saving(f, r, &nl, &model);
        f->kind[AGG_FK_NEAR_LIMIT].keys++;
        f->kind[AGG_FK_NEAR_LIMIT].bytes += bytes_of(r);
        agg_near_group *g = near_group(f, file, r, &nl);
        if (!g) return -1;
        g->keys++;
        g->bytes += bytes_of(r);
        g->saving += save;
        g->model &= model;
        if (r->elements < g->min_elements) g->min_elements = r->elements;
        if (r->elements > g->max_elements) g->max_elements = r->elements;
        if (agg_topn_offer(&g->worst, save, seq, file, r) < 0) return -1;
    }
    return 0;
}

static int visit_topn(agg_topn *t, uint32_t file, int (*fn)(void *, key_record *), void *ctx) {
    for (size_t i = 0; i < t->n; i++) {
        key_record *r = &t->v[i].rec;
        if (t->v[i].file != file || r->largest_exact) continue;
        int rc = fn(ctx, r);
        if (rc) return rc;
    }
    return 0;
}

int agg_find_visit(agg_find *f, uint32_t file, int (*fn)(void *ctx, key_record *r), void *ctx) {
    for (int k = 0; k < AGG_FK_COUNT_; k++) {
        int rc = visit_topn(&f->kind[k].worst, file, fn, ctx);
        if (rc) return rc;
    }
    for (size_t i = 0; i < f->ngroups; i++) {
        int rc = visit_topn(&f->groups[i].worst, file, fn, ctx);
        if (rc) return rc;
    }
    return 0;
}

int agg_find_finish(agg_find *f, const agg_prefix_row *prefixes, size_t nprefixes,
                    uint64_t total_bytes, const agg_find_file *files, size_t nfiles) {
    if (f->finished) return 0;
    f->finished = true;
    return agg_find_build(f, prefixes, nprefixes, total_bytes, files, nfiles);
}
