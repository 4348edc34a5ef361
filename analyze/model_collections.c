/* model_collections.c: lists, sets, sorted sets and hashes as the loader
 * builds them (redis src/rdb.c rdbLoadObject of 3.2.13 .. 7.4.1, valkey
 * 8.0.1), and what MEMORY USAGE SAMPLES 0 reports for them (src/object.c
 * objectComputeSize of the same tags).
 *
 * Per key only sums are kept: element count, the sds allocations of the
 * elements, the listpack the loader would build by appending every element
 * (lpAppend re-encodes integer-looking strings as integers), the longest
 * element, the intset range, and for quicklists the per-node sizes. */
#include <math.h>
#include <string.h>

#include "analyze/model_int.h"
#include "rdb/intset.h"
#include "rdb/listpack.h"
#include "rdb/numtext.h"
#include "rdb/ziplist.h"

/* ---- entries ------------------------------------------------------------ */

static uint64_t item_len(const rdb_item *it) { return it->len; }

static void add_sds(const model *m, coll_state *c, uint64_t len)
{
    c->ele_alloc += model_sds_alloc(m, len);
    c->ele_raw += model_sds_hdr(m, len) + len + 1;
    if (len > c->max_len) c->max_len = len;
    c->sum_len += len;
}

/* Expected J(zskiplistNode) for a random level: zslRandomLevel (t_zset.c)
 * gives level L with probability 0.75 * 0.25^(L-1), capped at
 * ZSKIPLIST_MAXLEVEL; a node is zmalloc(24 + 16 * L). MEMORY USAGE SAMPLES 0
 * sees the real levels, so this is the one non-exact term (about 45.84 B). */
static double skip_node_expect(const model_profile *p)
{
    double e = 0, prob = 0.75, rest = 1.0;
    for (unsigned L = 1; L <= p->zsl_maxlevel; L++) {
        double pl = L == p->zsl_maxlevel ? rest : prob;
        e += pl * (double)je_size(p, 24 + 16 * (uint64_t)L);
        rest -= pl;
        prob *= 0.25;
    }
    return e;
}

/* One element of each kind; idx is its position (c->n before it). */
static inline void list_entry(model *m, coll_state *c, const rdb_entry *e)
{
    if (m->k.rdb_type == RDB_TYPE_LIST || m->k.rdb_type == RDB_TYPE_LIST_ZIPLIST) {
        if (m->p->has_quicklist) model_list_push(m, &e->member);
    } else {
        m->k.ql.lp_cur += lp_entry_item(&e->member);
        m->k.ql.lp_cur_n++;
    }
    if (item_len(&e->member) > c->max_len) c->max_len = item_len(&e->member);
}

static inline void set_entry(model *m, coll_state *c, const rdb_entry *e, uint64_t idx)
{
    add_sds(m, c, item_len(&e->member));
    /* Past both thresholds the set is a hashtable whatever follows: the
     * listpack size and whether the members are all integers matter only
     * to a near-limit finding (key_record.int_members, compact_bytes),
     * which stops caring a quarter past the limits (enc_near_window). */
    bool sizing = idx < m->s.near_set_lp || (long long)idx < m->s.set_intset;
    if (!sizing && !(c->all_int && idx < m->s.near_set_intset)) return;
    long long v;
    bool isint = e->member.is_int ? (v = e->member.ival, true)
                                  : str_to_ll(e->member.ptr, e->member.len, &v);
    /* lp_entry_item, without parsing the member a second time; only
     * 7.2+ has listpack sets */
    if (sizing && m->p->set_listpack)
        c->lp_bytes += isint ? lp_entry_int(v) : lp_entry_str(NULL, e->member.len);
    if (isint) {
        if (idx == 0 || v < c->imin) c->imin = v;
        if (idx == 0 || v > c->imax) c->imax = v;
    } else {
        c->all_int = false;
        if (!c->have_nonint) { c->have_nonint = true; c->first_nonint = idx; }
    }
}

static inline void zset_entry(model *m, coll_state *c, const rdb_entry *e, uint64_t idx)
{
    add_sds(m, c, item_len(&e->member));
    /* The score's text (printf-like, the costly part) only matters while
     * the zset can still be a listpack, and just past the limit for
     * the size it would have as one (model_compact_cost). */
    if (idx < m->s.near_zset) {
        /* A ziplist converted to a listpack (rdb.c 7.0.15+
         * ziplistPairsConvertAndValidateIntegrity) keeps the score's
         * text as the writer formatted it (%.17g before 7.2), where a
         * listpack built from scores formats them as the target does
         * (zzlInsertAt, d2string: fpconv from 7.2). */
        bool stored = m->k.rdb_type == RDB_TYPE_ZSET_ZIPLIST && (e->value.is_int || e->value.ptr);
        c->lp_bytes += lp_entry_item(&e->member) +
                       (stored ? lp_entry_item(&e->value) : lp_entry_score(m->p, e->score));
    }
}

static inline void hash_entry(model *m, coll_state *c, const rdb_entry *e)
{
    const model_profile *p = m->p;
    uint64_t fl = item_len(&e->member), vl = item_len(&e->value);
    if (e->has_ttl && m->have_now && e->ttl_ms <= m->now_ms) {
        c->n--;              /* an expired field is not loaded (7.4+) */
        c->ttl_dropped++;
        return;
    }
    if (e->has_ttl && p->hfe) {
        /* 7.4 hfield: an mstr with ExpireMeta (16) + flags (1) before the
         * header (src/mstr.c mstrNewWithMeta; t_hash.c hfieldNew) */
        unsigned h = fl < 32 ? 1 : fl < 65536 ? 3 : 9;
        uint64_t a = je_size(p, 16 + 1 + h + fl + 1);
        c->ele_alloc += a;
        c->ele_raw += a;
        if (fl > c->max_len) c->max_len = fl;
        c->sum_len += fl;
    } else {
        add_sds(m, c, fl);
    }
    add_sds(m, c, vl);
    /* The listpack size matters while the hash can be one, and just
     * past the limit (model_compact_cost); c->n counts loaded fields
     * and only grows. */
    if (c->n <= m->s.near_hash || (long long)c->n <= m->s.hash_entries) {
        c->lp_bytes += lp_entry_item(&e->member) + lp_entry_item(&e->value);
        c->lp_ttl_bytes += lp_entry_int(e->has_ttl ? e->ttl_ms : 0);
    }
    if (e->has_ttl) c->ttl_fields++;
    if (!c->have_big && ((long)fl > m->s.hash_value || (long)vl > m->s.hash_value)) {
        c->have_big = true;
        c->first_big = c->n - 1;
    }
}

void model_coll_entry(model *m, const rdb_key *k, const rdb_entry *e)
{
    coll_state *c = &m->k.c;
    uint64_t idx = c->n++;
    switch (k->kind) {
    case RDB_KIND_LIST: list_entry(m, c, e); break;
    case RDB_KIND_SET:  set_entry(m, c, e, idx); break;
    case RDB_KIND_ZSET: zset_entry(m, c, e, idx); break;
    case RDB_KIND_HASH: hash_entry(m, c, e); break;
    default: break;
    }
}

/* The same for n elements in a row: the kind is looked at once, and the
 * loop runs inside each kind's code (a third of the per-element work was
 * getting there: model_on_entries). */
void model_coll_entries(model *m, const rdb_key *k, const rdb_entry *e, size_t n)
{
    coll_state *c = &m->k.c;
    switch (k->kind) {   /* as model_coll_entry: the count first, then the element */
    case RDB_KIND_LIST:
        for (size_t i = 0; i < n; i++) {
            c->n++;
            list_entry(m, c, &e[i]);
        }
        break;
    case RDB_KIND_SET:
        for (size_t i = 0; i < n; i++) {
            uint64_t idx = c->n++;
            set_entry(m, c, &e[i], idx);
        }
        break;
    case RDB_KIND_ZSET:
        for (size_t i = 0; i < n; i++) {
            uint64_t idx = c->n++;
            zset_entry(m, c, &e[i], idx);
        }
        break;
    case RDB_KIND_HASH:
        for (size_t i = 0; i < n; i++) {
            c->n++;
            hash_entry(m, c, &e[i]);
        }
        break;
    default:
        c->n += n;
        break;
    }
}

/* ---- blobs kept as loaded ---------------------------------------------- */

/* Does the loader keep this key's packed blob(s) as they are, so that only
 * their lengths and counts matter? The loaders convert a blob only on its
 * element count (rdb.c rdbLoadObject 3.2.13 .. 7.4.1: intsetLen >
 * set-max-intset-entries, zsetLength / hashTypeLength > *-max-*-entries;
 * the value-length limits apply to elements read one by one), and such a
 * blob is replayed from the container event. Re-encoded blobs (ziplists
 * on a listpack server, whole-list ziplists, 2.8's lists) and blobs whose
 * entries carry field TTLs still need every entry. */
bool model_blob_kept(const model *m, const rdb_key *k)
{
    const model_profile *p = m->p;
    switch (k->rdb_type) {
    case RDB_TYPE_SET_INTSET: case RDB_TYPE_SET_LISTPACK:
    case RDB_TYPE_ZSET_LISTPACK: case RDB_TYPE_HASH_LISTPACK:
        return true;
    case RDB_TYPE_ZSET_ZIPLIST: case RDB_TYPE_HASH_ZIPLIST:
        return !p->listpack;
    case RDB_TYPE_LIST_QUICKLIST:
        return p->has_quicklist && !p->listpack;
    case RDB_TYPE_LIST_QUICKLIST_2:
        return p->has_quicklist;
    default:
        return false;
    }
}

/* Entries per element and the count above which the loader converts. */
static void blob_rule(const model *m, uint8_t rdb_type, unsigned *arity, long *limit)
{
    *arity = 1;
    switch (rdb_type) {
    case RDB_TYPE_SET_INTSET: *limit = m->s.set_intset; break;
    case RDB_TYPE_SET_LISTPACK: *limit = m->s.set_lp_entries; break;
    case RDB_TYPE_ZSET_LISTPACK: case RDB_TYPE_ZSET_ZIPLIST: *arity = 2; *limit = m->s.zset_entries; break;
    default: *arity = 2; *limit = m->s.hash_entries; break;
    }
}

/* A blob the loader converts to a hashtable / skiplist: its elements
 * become sds strings, so walk it (the parser has validated it) and feed the
 * same per-entry accounting as elements read one by one. */
static void replay_blob(model *m, const rdb_key *k, const rdb_container *c, unsigned arity)
{
    const char *err = NULL;
    zl_iter zl;
    lp_iter lp;
    intset_iter is;
    int rc;
    if (c->kind == RDB_CT_INTSET) rc = intset_iter_init(&is, c->blob.ptr, c->blob.len, &err);
    else if (c->kind == RDB_CT_ZIPLIST) rc = zl_iter_init(&zl, c->blob.ptr, c->blob.len, &err);
    else rc = lp_iter_init(&lp, c->blob.ptr, c->blob.len, &err);
    if (rc < 0) return;
    rdb_item items[2];
    unsigned have = 0;
    for (;;) {
        rdb_item *it = &items[have];
        if (c->kind == RDB_CT_INTSET) {
            size_t off;
            memset(it, 0, sizeof *it);
            rc = intset_iter_next(&is, &it->ival, &off, &err);
            it->is_int = true;
            if (rc == 1) it->len = rdb_int_text_len(it->ival);
        } else if (c->kind == RDB_CT_ZIPLIST) {
            rc = zl_iter_next(&zl, it, &err);
        } else {
            rc = lp_iter_next(&lp, it, &err);
        }
        if (rc <= 0) return;
        if (++have < arity) continue;
        have = 0;
        rdb_entry e = {.member = items[0]};
        if (arity == 2 && k->kind == RDB_KIND_HASH) e.value = items[1];
        model_coll_entry(m, k, &e);   /* zset scores do not matter once converted */
    }
}

/* ---- containers --------------------------------------------------------- */

void model_coll_container(model *m, const rdb_key *k, const rdb_container *c)
{
    key_state *ks = &m->k;
    if (k->kind == RDB_KIND_LIST) {
        model_list_container(m, k, c);
        return;
    }
    coll_state *cs = &ks->c;
    /* A blob walked in pieces has no bytes to replay; its entries came as
     * events (rdb_options.streamed_elements), as if not skipped. */
    if (ks->entries_skipped && !c->streamed) {
        unsigned arity;
        long limit;
        blob_rule(m, k->rdb_type, &arity, &limit);
        uint64_t n = c->entries / arity;
        if ((long long)n > limit) replay_blob(m, k, c, arity);
        else cs->n = n;
    }
    cs->have_blob = true;
    cs->blob_kind = c->kind;
    cs->blob_len = c->blob.len;
    cs->blob_entries = c->entries;
    cs->blob_width = c->intset_width;
}

/* A blob delivered unwalked (rdb.h, shallow delivery). One the loader keeps
 * is sized from its length and count alone (model_coll_container reads
 * nothing else of it), so it need not be walked: RDB_SKIP. One the loader
 * converts is replayed element by element, so the parser must walk it:
 * RDB_CONTINUE, and it comes back walked. Walking it also keeps the key's
 * largest exact, which matters for exactly these keys: the near-encoding-
 * limit finding reads the largest of hashtable / skiplist keys only. */
int model_coll_shallow(model *m, const rdb_key *k, const rdb_container *c)
{
    key_state *ks = &m->k;
    if (!ks->entries_skipped) return RDB_CONTINUE;   /* every entry is read anyway */
    if (k->kind != RDB_KIND_LIST) {
        unsigned arity;
        long limit;
        blob_rule(m, k->rdb_type, &arity, &limit);
        if ((long long)(c->entries / arity) > limit) return RDB_CONTINUE;
    }
    model_coll_container(m, k, c);
    return RDB_SKIP;
}

/* ---- hashtable helpers -------------------------------------------------- */

/* Entries a no-value dict (7.2+ sets) allocates for n elements in b
 * buckets: the first element of a bucket sits in it, each further one takes
 * a 16-byte entry, so entries = n - occupied buckets. Which buckets a
 * process's random hash seed fills is unknown; the expected number is
 * b * (1 - (1 - 1/b)^n) (exact for small n, where the Poisson form of
 * memory-model.md §3.2 overstates collisions: two elements in four buckets
 * collide one time in four, 0.25 entries, not 0.43). The mean, not a
 * rounded count, keeps a small set within a few percent whichever way its
 * buckets fell. */
static double novalue_entries(uint64_t n, uint64_t b)
{
    if (n == 0 || b == 0) return 0;
    double occupied = (double)b * -expm1((double)n * log1p(-1.0 / (double)b));
    double e = (double)n - occupied;
    return e > 0 ? e : 0;
}

static uint64_t sds_mu(const model_profile *p, const coll_state *c)
{
    return p->mu_sds_rounded ? c->ele_alloc : c->ele_raw;
}

uint64_t blob_mu(const model_profile *p, uint64_t len)
{
    return p->mu_blob_rounded ? je_size(p, len) : len;
}

/* A dict-encoded collection: robj + dict struct + tables + elements. */
static void ht_cost(const model *m, const dictsim *d, uint64_t n, uint64_t per_ele_mu,
                    uint64_t ele_mu_sum, uint64_t ele_ram_sum, value_cost *out)
{
    const model_profile *p = m->p;
    uint64_t base = p->robj + p->dict_struct + 8 * dict_mu_slots(d);
    out->mu = mu_add_avg(base, ele_mu_sum + per_ele_mu * n, n, n);
    out->ram = je_size(p, p->robj) + je_size(p, p->dict_struct) + dict_ram_tables(p, d) + ele_ram_sum;
}

/* ---- sets --------------------------------------------------------------- */

void model_set_cost(const model *m, const key_state *ks, const rdb_key_end *end, value_cost *out)
{
    const model_profile *p = m->p;
    const coll_state *c = &ks->c;
    uint64_t n = end->elements ? end->elements : c->n;
    dictsim d;
    ds_init(&d);
    bool ht = false;
    if (ks->rdb_type == RDB_TYPE_SET_INTSET && c->have_blob) {
        if ((long long)n > m->s.set_intset) { ht = true; ds_expand(&d, n); }
        else {
            out->encoding = "intset";
            out->ram = je_size(p, p->robj) + je_size(p, c->blob_len);
            out->mu = p->robj + blob_mu(p, c->blob_len);
            return;
        }
    } else if (ks->rdb_type == RDB_TYPE_SET_LISTPACK && c->have_blob) {
        if ((long long)n > m->s.set_lp_entries) { ht = true; ds_expand(&d, n); }
        else {
            out->encoding = "listpack";
            out->ram = je_size(p, p->robj) + je_size(p, c->blob_len);
            out->mu = p->robj + blob_mu(p, c->blob_len);
            return;
        }
    } else {
        /* RDB_TYPE_SET: intset while members are integers (and few enough) */
        if ((long long)n > m->s.set_intset) {
            ht = true;
            if (n > 4) ds_expand(&d, n);
            ds_add(&d, n);
        } else if (c->all_int) {
            unsigned w = intset_width(c->imin);
            if (intset_width(c->imax) > w) w = intset_width(c->imax);
            uint64_t bytes = 8 + n * w;
            out->encoding = "intset";
            out->ram = je_size(p, p->robj) + je_size(p, bytes);
            out->mu = p->robj + blob_mu(p, bytes);
            return;
        } else if (p->set_listpack && (long long)n <= m->s.set_lp_entries &&
                   (long long)c->max_len <= m->s.set_lp_value) {
            uint64_t bytes = 7 + c->lp_bytes;
            out->encoding = "listpack";
            out->ram = je_size(p, p->robj) + je_size(p, bytes);
            out->mu = p->robj + je_size(p, bytes);
            return;
        } else if (p->set_listpack) {
            ht = true;                       /* setTypeConvertAndExpand(len) */
            ds_expand(&d, n);
            ds_add(&d, n);
        } else {
            /* up to 7.0: setTypeConvert presizes to the integers so far,
             * then dictTryExpand(len) */
            ht = true;
            uint64_t k = c->first_nonint;
            ds_expand(&d, k);
            ds_add(&d, k);
            ds_expand(&d, n);
            ds_add(&d, n - k);
        }
    }
    (void)ht;
    if (ks->rdb_type != RDB_TYPE_SET) ds_add(&d, n);
    out->encoding = "hashtable";
    uint64_t ent_ram;
    uint64_t per_mu = p->dict_entry;
    if (p->set_novalue) {
        uint64_t b = d.rehashing ? d.s1 : d.s0;
        ent_ram = (uint64_t)llround(16.0 * novalue_entries(n, b));
        if (p->family == FAM_VALKEY) per_mu = 0;   /* Valkey counts the real entries */
    } else {
        ent_ram = n * je_size(p, p->dict_entry);
    }
    uint64_t ele_mu = sds_mu(p, c) + (per_mu == 0 ? ent_ram : 0);
    ht_cost(m, &d, n, per_mu, ele_mu, c->ele_alloc + ent_ram, out);
}

/* ---- sorted sets -------------------------------------------------------- */

void model_zset_cost(const model *m, const key_state *ks, const rdb_key_end *end, value_cost *out)
{
    const model_profile *p = m->p;
    const coll_state *c = &ks->c;
    uint64_t n = end->elements ? end->elements : c->n;
    bool listpack;
    dictsim d;
    ds_init(&d);
    uint64_t lp_len = 7 + c->lp_bytes;
    if (c->have_blob) {
        /* ziplist (converted to a listpack from 7.0) or listpack */
        if (c->blob_kind == RDB_CT_LISTPACK || !p->listpack) lp_len = c->blob_len;
        listpack = (long long)n <= m->s.zset_entries;   /* on the count alone */
        if (!listpack) ds_add(&d, n);      /* zsetConvert: no presize */
    } else {
        /* rdb.c: dictExpand(zs->dict, zsetlen) from 5.0; 3.2/4.0 grow by doubling */
        if (n > 4 && p->ver >= 500) ds_expand(&d, n);
        ds_add(&d, n);
        listpack = (long long)n <= m->s.zset_entries && (long long)c->max_len <= m->s.zset_value;
    }
    if (listpack) {
        out->encoding = p->listpack ? "listpack" : "ziplist";
        out->ram = je_size(p, p->robj) + je_size(p, lp_len);
        out->mu = p->robj + blob_mu(p, lp_len);
        return;
    }
    out->encoding = "skiplist";
    uint64_t header = je_size(p, 24 + 16 * (uint64_t)p->zsl_maxlevel);
    double nodes = skip_node_expect(p) * (double)n;
    /* object.c objectComputeSize: 4.0.14 charges robj + sizeof(zset) + the
     * table only; 5.0 added sizeof(zskiplist) + sizeof(dict) + the header */
    uint64_t base = p->ver < 500 ? p->robj + 16 + 8 * dict_mu_slots(&d)
                                 : p->robj + 16 + 32 + p->dict_struct + 8 * dict_mu_slots(&d) + header;
    /* MEMORY USAGE of one key: its most likely value, not the mean. Up to 3
     * nodes that is every node at level 1 (0.75^n against n * 0.75^(n-1) *
     * 0.1875 for one node at level 2; at 4 nodes they tie); beyond, the
     * expected size. used_memory (ram) sums the means. */
    double mu_nodes = n <= 3 ? (double)(n * je_size(p, 24 + 16)) : nodes;
    double ele = (double)(sds_mu(p, c) + n * p->dict_entry) + mu_nodes;
    out->mu = (uint64_t)((double)base + ele);
    out->ram = je_size(p, p->robj) + je_size(p, 16) + je_size(p, 32) + je_size(p, p->dict_struct) +
               dict_ram_tables(p, &d) + header + c->ele_alloc + n * je_size(p, p->dict_entry) +
               (uint64_t)llround(nodes);
}

/* ---- hashes ------------------------------------------------------------- */

void model_hash_cost(const model *m, const key_state *ks, const rdb_key_end *end, value_cost *out)
{
    const model_profile *p = m->p;
    const coll_state *c = &ks->c;
    (void)end;
    uint64_t n = c->n;   /* entries actually loaded (expired fields dropped) */
    /* 7.4: a hash with field TTLs (RDB types 24/25) is a listpackex: a
     * listpackEx struct of 32 bytes + a listpack of field, value, TTL
     * (t_hash.c listpackExCreate; object.c objectComputeSize) */
    bool ex = p->hfe && (ks->rdb_type == RDB_TYPE_HASH_METADATA ||
                         ks->rdb_type == RDB_TYPE_HASH_LISTPACK_EX ||
                         ks->rdb_type == RDB_TYPE_HASH_METADATA_PRE_GA ||
                         ks->rdb_type == RDB_TYPE_HASH_LISTPACK_EX_PRE_GA);
    dictsim d;
    ds_init(&d);
    uint64_t lp_len = 7 + c->lp_bytes + (ex ? c->lp_ttl_bytes : 0);
    bool listpack;
    if (c->have_blob) {
        /* A listpackex is loaded as stored, expired fields included
         * (7.4.1 rdb.c); the server's active expiry deletes those within
         * a cron tick (hashTypeDbActiveExpire), and lpDeleteRange leaves
         * the listpack shrunk to fit: the fields that remain. */
        if ((c->blob_kind == RDB_CT_LISTPACK && !(ex && c->ttl_dropped)) ||
            (c->blob_kind == RDB_CT_ZIPLIST && !p->listpack))
            lp_len = c->blob_len;
        listpack = (long long)n <= m->s.hash_entries;   /* on the count alone */
        if (!listpack) { ds_expand(&d, n); ds_add(&d, n); }
    } else if ((long long)n > m->s.hash_entries ||
               (p->valkey_hash2 && ks->rdb_type == RDB_TYPE_VALKEY_HASH_2)) {
        /* Valkey 9 HASH_2: a hashtable from the start, whatever its size */
        listpack = false;
        /* 7.4 RDB_TYPE_HASH_METADATA: not presized, the dict grows by
         * doubling (measured: 700 fields leave a 512 -> 1024 rehash open);
         * 3.2/4.0 rdb.c has no dictExpand for hashes either (5.0 added it) */
        if (!ex && p->ver >= 500) ds_expand(&d, n);
        ds_add(&d, n);
    } else if (c->have_big && p->ver < 500) {
        /* 3.2/4.0: the pair is pushed, the ziplist converted (no presize),
         * the rest added without dictExpand */
        listpack = false;
        ds_add(&d, n);
    } else if (c->have_big) {
        /* rdb.c: the listpack so far is converted (presized to its length),
         * the pair is added, then dictTryExpand(remaining) */
        listpack = false;
        uint64_t k = c->first_big, r = n - k - 1;
        ds_expand(&d, k);
        ds_add(&d, k + 1);
        if (r > 4) ds_expand(&d, r);
        ds_add(&d, r);
    } else {
        listpack = true;
    }
    if (listpack && ex) {
        out->encoding = "listpackex";
        out->ram = je_size(p, p->robj) + je_size(p, 32) + je_size(p, lp_len);
        out->mu = p->robj + je_size(p, 32) + je_size(p, lp_len);
        return;
    }
    if (listpack) {
        out->encoding = p->listpack ? "listpack" : "ziplist";
        out->ram = je_size(p, p->robj) + je_size(p, lp_len);
        out->mu = p->robj + blob_mu(p, lp_len);
        return;
    }
    out->encoding = "hashtable";
    ht_cost(m, &d, n, p->dict_entry, sds_mu(p, c), c->ele_alloc + n * je_size(p, p->dict_entry), out);
}
