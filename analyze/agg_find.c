/* agg_find.c: the findings rules; thresholds and wording live here.
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
    t->big_string_bytes = 10 * MIB;
    t->big_elements = 10000;
    t->list_element_bytes = 8192;
    t->dominant_min_bytes = MIB;
    t->dominant_pct = 50;
    t->no_ttl_pct = 90;
    t->no_ttl_min_share_pct = 5;
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
                  agg_estimate_fn est, void *est_ctx) {
    memset(f, 0, sizeof *f);
    f->th = *th;
    f->estimate = est;
    f->estimate_ctx = est_ctx;
    for (int k = 0; k < AGG_FK_COUNT_; k++)
        if (agg_topn_init(&f->kind[k].worst, per_kind) < 0) { agg_find_free(f); return -1; }
    return 0;
}

void agg_find_free(agg_find *f) {
    for (int k = 0; k < AGG_FK_COUNT_; k++) agg_topn_free(&f->kind[k].worst);
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

typedef struct near_limit {
    const char *config;      /* the config directive that decides */
    uint64_t limit;
    const char *target;      /* the compact encoding */
    unsigned per_element;    /* rough bytes saved per element */
} near_limit;

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
 *  - big_key_bytes reads largest only for strings, never shallow. */
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

/* ---- per-key checks ------------------------------------------------------ */

static uint64_t bytes_of(const key_record *r) { return r->has_bytes ? r->bytes : 0; }

static bool is_collection(const key_record *r) {
    return r->type == RDB_KIND_LIST || r->type == RDB_KIND_SET || r->type == RDB_KIND_ZSET ||
           r->type == RDB_KIND_HASH || r->type == RDB_KIND_STREAM;
}

static bool is_big_bytes(const agg_thresholds *th, const key_record *r) {
    if (th->big_bytes && r->has_bytes && r->bytes >= th->big_bytes) return true;
    return th->big_string_bytes && r->type == RDB_KIND_STRING && r->largest >= th->big_string_bytes;
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

int agg_find_add(agg_find *f, const key_record *r, uint64_t seq, uint32_t file) {
    const agg_thresholds *th = &f->th;
    if (is_big_bytes(th, r)) {
        uint64_t score = r->has_bytes ? r->bytes : r->largest;
        if (track(f, AGG_FK_BIG_BYTES, score, r, seq, file) < 0) return -1;
    }
    if (th->big_elements && is_collection(r) && r->elements >= th->big_elements)
        if (track(f, AGG_FK_BIG_ELEMENTS, r->elements, r, seq, file) < 0) return -1;
    if (is_dominated(th, r))
        if (track(f, AGG_FK_DOMINANT, r->largest, r, seq, file) < 0) return -1;
    if (th->list_element_bytes && r->type == RDB_KIND_LIST && r->largest > th->list_element_bytes)
        if (track(f, AGG_FK_LIST_BIG_ELEMENTS, r->largest, r, seq, file) < 0) return -1;
    near_limit nl;
    if (near_limit_of(limits_of(f, file), th->near_pct, r, &nl)) {
        bool model;
        if (track(f, AGG_FK_NEAR_LIMIT, near_saving(f, r, &nl, &model), r, seq, file) < 0) return -1;
    }
    return 0;
}

/* ---- building the list --------------------------------------------------- */

static agg_finding *push(agg_find *f, const char *kind, const char *severity,
                         agg_subject_kind sk, const char *suggestion) {
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 32;
        agg_finding *v = realloc(f->v, cap * sizeof *v);
        if (!v) return NULL;
        f->v = v;
        f->cap = cap;
    }
    agg_finding *x = &f->v[f->n++];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->severity = severity;
    x->subject_kind = sk;
    x->suggestion = suggestion;
    return x;
}

static void ev_u(agg_finding *x, const char *name, uint64_t v) {
    if (x->nev < AGG_MAX_EVIDENCE) x->ev[x->nev++] = (agg_evidence){.name = name, .kind = AGG_EV_U64, .u = v};
}
static void ev_i(agg_finding *x, const char *name, int64_t v) {
    if (x->nev < AGG_MAX_EVIDENCE) x->ev[x->nev++] = (agg_evidence){.name = name, .kind = AGG_EV_I64, .i = v};
}
static void ev_s(agg_finding *x, const char *name, const char *v) {
    if (x->nev < AGG_MAX_EVIDENCE) x->ev[x->nev++] = (agg_evidence){.name = name, .kind = AGG_EV_STR, .s = v};
}
static void ev_pct(agg_finding *x, const char *name, uint64_t part, uint64_t whole) {
    double p = whole ? 100.0 * (double)part / (double)whole : 0.0;
    if (x->nev < AGG_MAX_EVIDENCE) x->ev[x->nev++] = (agg_evidence){.name = name, .kind = AGG_EV_PCT, .pct = p};
}

typedef struct kind_info {
    const char *name;
    const char *suggestion;
} kind_info;

static const kind_info KINDS[AGG_FK_COUNT_] = {
    [AGG_FK_BIG_BYTES] = {"big_key_bytes",
        "split the value over several keys or shrink it; delete it with UNLINK, not DEL, "
        "and expect latency when it is migrated or replicated"},
    [AGG_FK_BIG_ELEMENTS] = {"big_key_elements",
        "shard it into buckets (for example by id modulo) so each stays well under the limit; "
        "read it with HSCAN/SSCAN/ZSCAN or ranges, never whole"},
    [AGG_FK_DOMINANT] = {"dominant_element",
        "one element holds most of this key; store that payload in its own string key "
        "and keep a reference in the collection"},
    [AGG_FK_LIST_BIG_ELEMENTS] = {"list_big_elements",
        "list elements over 8 KB become plain quicklist nodes; keep large payloads in "
        "separate keys and push only their ids"},
    [AGG_FK_NEAR_LIMIT] = {"near_encoding_limit",
        "the key is just over the compact-encoding limit: trim it below the limit or raise "
        "the config directive above its size to get the compact encoding back"},
};

/* What to do about a big key depends on what it is: a list or a stream
 * that only grows is trimmed, a keyed collection is sharded and scanned
 * with its own command, for bytes and elements alike. NULL (strings,
 * modules): the kind's general suggestion. */
static const char *big_key_suggestion(rdb_kind type) {
    switch (type) {
    case RDB_KIND_LIST:
        return "a list this long is usually a queue or a log: consume or LTRIM it, or shard it "
               "by id over several lists; read it with LRANGE ranges, never whole";
    case RDB_KIND_STREAM:
        return "cap the stream: XADD with MAXLEN or MINID, or XTRIM it on a schedule; read it "
               "with XRANGE/XREAD COUNT";
    case RDB_KIND_HASH:
        return "shard it into buckets (for example by id modulo) so each stays well under the "
               "limit; read it with HSCAN, never HGETALL; delete it with UNLINK";
    case RDB_KIND_SET:
        return "shard it into buckets (for example by id modulo) so each stays well under the "
               "limit; read it with SSCAN, never SMEMBERS; delete it with UNLINK";
    case RDB_KIND_ZSET:
        return "shard it into buckets (for example by id modulo) so each stays well under the "
               "limit; read it with ZRANGE ranges or ZSCAN, never whole; delete it with UNLINK";
    default:
        return NULL;
    }
}

static const char *key_severity(const agg_thresholds *th, int k, const agg_key *e) {
    if (k == AGG_FK_BIG_BYTES) {
        uint64_t lim = th->big_bytes ? th->big_bytes : th->big_string_bytes;
        return e->score / 10 >= lim ? "critical" : "warning";
    }
    if (k == AGG_FK_BIG_ELEMENTS)
        return e->rec.elements / 10 >= th->big_elements ? "critical" : "warning";
    return "info";
}

static int emit_key_kind(agg_find *f, int k) {
    const agg_thresholds *th = &f->th;
    agg_topn *t = &f->kind[k].worst;
    agg_topn_sort(t);
    for (size_t i = 0; i < t->n; i++) {
        const agg_key *e = &t->v[i];
        const key_record *r = &e->rec;
        const char *advice = NULL;
        if (k == AGG_FK_BIG_BYTES || k == AGG_FK_BIG_ELEMENTS) advice = big_key_suggestion(r->type);
        agg_finding *x = push(f, KINDS[k].name, key_severity(th, k, e), AGG_SUBJECT_KEY,
                              advice ? advice : KINDS[k].suggestion);
        if (!x) return -1;
        x->key = e;
        ev_u(x, "db", r->db);
        ev_s(x, "type", rdb_kind_name(r->type));
        if (r->encoding) ev_s(x, "encoding", r->encoding);
        if (r->has_bytes) ev_u(x, "bytes", r->bytes);
        ev_u(x, "elements", r->elements);
        ev_u(x, "largest", r->largest);
        switch (k) {
        case AGG_FK_BIG_BYTES:
            if (r->has_bytes && th->big_bytes && r->bytes >= th->big_bytes)
                ev_u(x, "threshold_bytes", th->big_bytes);
            else
                ev_u(x, "threshold_string_bytes", th->big_string_bytes);
            break;
        case AGG_FK_BIG_ELEMENTS: ev_u(x, "threshold_elements", th->big_elements); break;
        case AGG_FK_DOMINANT: ev_pct(x, "largest_pct", r->largest, r->bytes); break;
        case AGG_FK_LIST_BIG_ELEMENTS: ev_u(x, "threshold_element_bytes", th->list_element_bytes); break;
        case AGG_FK_NEAR_LIMIT: {
            near_limit nl;
            if (near_limit_of(limits_of(f, e->file), th->near_pct, r, &nl)) {
                bool model;
                uint64_t save = near_saving(f, r, &nl, &model);
                ev_s(x, "config", nl.config);
                ev_u(x, "limit", nl.limit);
                ev_s(x, "compact_encoding", nl.target);
                ev_u(x, "estimated_saving_bytes", save);
                ev_s(x, "estimate", model ? "memory model" : "rough per-element overhead");
            }
            break;
        }
        default: break;
        }
    }
    uint64_t more = f->kind[k].keys - t->n;
    if (more > 0) {
        agg_finding *x = push(f, KINDS[k].name, "info", AGG_SUBJECT_MORE,
                              "list them all with `rdblens keys` and a --min-bytes filter");
        if (!x) return -1;
        snprintf(x->text, sizeof x->text, "(%llu more keys)", (unsigned long long)more);
        ev_u(x, "keys_total", f->kind[k].keys);
        ev_u(x, "bytes_total", f->kind[k].bytes);
        ev_u(x, "keys_not_listed", more);
    }
    return 0;
}

/* a is a proper ancestor of b in the prefix tree */
static bool ancestor(const agg_prefix_row *a, const agg_prefix_row *b) {
    return a->depth < b->depth && a->name_len <= b->name_len &&
           memcmp(a->name, b->name, a->name_len) == 0;
}

static int emit_prefixes(agg_find *f, const agg_prefix_row *rows, size_t n, uint64_t total) {
    const agg_thresholds *th = &f->th;
    size_t limit = f->kind[0].worst.cap, flagged = 0;
    const agg_prefix_row *done[64];
    if (limit > 64) limit = 64;
    for (size_t i = 0; i < n && flagged < limit; i++) {
        const agg_prefix_row *p = &rows[i];
        if (p->other || p->bytes == 0 || total == 0) continue;
        if ((unsigned __int128)p->bytes * 100 < (unsigned __int128)total * th->no_ttl_min_share_pct) continue;
        if ((unsigned __int128)p->bytes_no_ttl * 100 < (unsigned __int128)p->bytes * th->no_ttl_pct) continue;
        bool covered = false;
        for (size_t j = 0; j < flagged; j++) covered |= ancestor(done[j], p);
        if (covered) continue;
        agg_finding *x = push(f, "prefix_without_ttl", "warning", AGG_SUBJECT_PREFIX,
                              "if these keys are a cache or sessions, give them a TTL "
                              "(EXPIRE on write) so they cannot grow without bound");
        if (!x) return -1;
        x->subject = p->name;
        x->subject_len = p->name_len;
        ev_u(x, "depth", p->depth);
        ev_u(x, "keys", p->keys);
        ev_u(x, "bytes", p->bytes);
        ev_u(x, "bytes_no_ttl", p->bytes_no_ttl);
        ev_pct(x, "no_ttl_pct", p->bytes_no_ttl, p->bytes);
        ev_pct(x, "share_pct", p->bytes, total);
        done[flagged++] = p;
    }
    return 0;
}

static int emit_expired(agg_find *f, const agg_find_file *files, size_t nfiles) {
    for (size_t i = 0; i < nfiles; i++) {
        const agg_find_file *ff = &files[i];
        if (ff->keys_expired == 0) continue;
        bool warn = (unsigned __int128)ff->bytes_expired * 100 >=
                    (unsigned __int128)ff->bytes * f->th.expired_warn_pct && ff->bytes_expired > 0;
        agg_finding *x = push(f, "expired_in_dump", warn ? "warning" : "info", AGG_SUBJECT_FILE,
                              "these keys were already expired at the reference time and are "
                              "dropped on load; if many, active expiry is not keeping up "
                              "(check hz / active-expire-effort)");
        if (!x) return -1;
        x->subject = (const uint8_t *)ff->path;
        x->subject_len = strlen(ff->path);
        ev_u(x, "keys", ff->keys_expired);
        ev_u(x, "bytes", ff->bytes_expired);
        ev_pct(x, "share_pct", ff->bytes_expired, ff->bytes);
        ev_i(x, "reference_time_ms", ff->reference_ms);
    }
    return 0;
}

static int severity_rank(const char *s) {
    return strcmp(s, "critical") == 0 ? 0 : strcmp(s, "warning") == 0 ? 1 : 2;
}

/* stable: insertion sort on severity keeps rule order inside a level */
static void order_by_severity(agg_finding *v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        agg_finding x = v[i];
        size_t j = i;
        while (j > 0 && severity_rank(v[j - 1].severity) > severity_rank(x.severity)) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

int agg_find_finish(agg_find *f, const agg_prefix_row *prefixes, size_t nprefixes,
                    uint64_t total_bytes, const agg_find_file *files, size_t nfiles) {
    if (f->finished) return 0;
    f->finished = true;
    for (int k = 0; k < AGG_FK_COUNT_; k++)
        if (emit_key_kind(f, k) < 0) return -1;
    if (emit_prefixes(f, prefixes, nprefixes, total_bytes) < 0) return -1;
    if (emit_expired(f, files, nfiles) < 0) return -1;
    order_by_severity(f->v, f->n);
    return 0;
}
