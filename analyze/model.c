/* model.c: the event state machine of the memory model: per-db bookkeeping,
 * per-key accumulation, the key-level terms (key name, dict entry, expires
 * entry) and the whole-dump totals. The value terms are in model_string.c,
 * model_collections.c and model_stream.c. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/model_int.h"
#include "analyze/slot.h"

static uint64_t near_window(long limit)
{
    return limit > 0 ? enc_near_window((uint64_t)limit) : 0;
}

static void settings_init(model_settings *s, const model_profile *p, const model_config *c)
{
    s->hash_entries = p->hash_entries; s->hash_value = p->hash_value;
    s->set_intset = p->set_intset; s->set_lp_entries = p->set_lp_entries;
    s->set_lp_value = p->set_lp_value; s->zset_entries = p->zset_entries;
    s->zset_value = p->zset_value; s->list_size = p->list_size;
    s->list_compress = p->list_compress;
    s->maxmemory = 0; s->policy_lru_lfu = false;
    if (c) {
#define OV(f) if (c->set_##f) s->f = c->v.f;
        OV(hash_entries) OV(hash_value) OV(set_intset) OV(set_lp_entries) OV(set_lp_value)
        OV(zset_entries) OV(zset_value) OV(list_size) OV(list_compress)
        OV(maxmemory)
#undef OV
        if (c->set_policy) s->policy_lru_lfu = c->v.policy_lru_lfu;
    }
    s->near_hash = near_window(s->hash_entries);
    s->near_zset = near_window(s->zset_entries);
    s->near_set_intset = near_window(s->set_intset);
    s->near_set_lp = near_window(s->set_lp_entries);
}

model *model_new(const model_profile *p, const model_config *cfg)
{
    if (!p) p = model_profile_find("redis-7.0");
    model *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->p = p;
    settings_init(&m->s, p, cfg);
    model_hints_init(m);
    if (cfg) {
        memcpy(m->modver, cfg->modver, sizeof m->modver);
        m->nmodver = cfg->nmodver;
    }
    for (uint64_t len = 0; len < MODEL_SDS_SMALL; len++) {
        m->sds_alloc_small[len] = (uint16_t)sds_alloc(p, len);
        m->sds_hdr_small[len] = (uint8_t)sds_hdr(p, len);
    }
    return m;
}

static uint64_t non_negative(long v) { return v > 0 ? (uint64_t)v : 0; }

void model_enc_limits(const model *m, enc_limits *out)
{
    const model_settings *s = &m->s;
    *out = (enc_limits){
        .ziplist = !m->p->listpack,
        .hash_entries = non_negative(s->hash_entries), .hash_value = non_negative(s->hash_value),
        .zset_entries = non_negative(s->zset_entries), .zset_value = non_negative(s->zset_value),
        .set_intset = non_negative(s->set_intset),
    };
    /* model_config accepts set-max-listpack-* for any profile (one option
     * list for every target), but only 7.2+ servers have listpack sets */
    if (m->p->set_listpack) {
        out->set_lp_entries = non_negative(s->set_lp_entries);
        out->set_lp_value = non_negative(s->set_lp_value);
    }
}

void model_free(model *m)
{
    if (!m) return;
    model_module_release(&m->k);   /* a parse stopped inside a module value */
    db_state *d = m->dbs;
    while (d) { db_state *n = d->next; free(d); d = n; }
    idmap_free(&m->db_index);
    free(m->slots);
    free(m);
}

void model_set_reference_time_ms(model *m, int64_t now_ms)
{
    m->now_ms = now_ms;
    m->have_now = true;
    m->now_from_user = true;
}

static db_state *get_db(model *m, uint64_t id)
{
    uint64_t found;
    if (idmap_get(&m->db_index, id, &found)) return (db_state *)(uintptr_t)found;
    db_state *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    if (idmap_put(&m->db_index, id, (uint64_t)(uintptr_t)d) < 0) {
        free(d);
        return NULL;
    }
    d->id = id;
    d->next = m->dbs;
    m->dbs = d;
    return d;
}

int model_on_aux(void *ctx, rdb_bytes k, rdb_bytes v)
{
    model *m = ctx;
    if (k.len == 5 && memcmp(k.ptr, "ctime", 5) == 0 && !m->now_from_user) {
        char buf[32];
        size_t n = v.len < sizeof buf - 1 ? v.len : sizeof buf - 1;
        memcpy(buf, v.ptr, n);
        buf[n] = 0;
        char *end;
        long long s = strtoll(buf, &end, 10);
        if (end != buf) { m->now_ms = (int64_t)s * 1000; m->have_now = true; }
    }
    /* valkey 8.0 src/rdb.c: "slot-info" aux fields between the keys */
    if (k.len == 9 && memcmp(k.ptr, "slot-info", 9) == 0)
        model_cluster_implied(m, MODEL_CLUSTER_SLOT_INFO_AUX);
    return RDB_CONTINUE;
}

int model_on_function(void *ctx, rdb_bytes code)
{
    model *m = ctx;
    m->func_libs++;
    m->func_bytes += code.len;
    /* count "register_function" calls: one function each */
    static const char pat[] = "register_function";
    for (size_t i = 0; i + sizeof pat - 1 <= code.len; i++)
        if (memcmp(code.ptr + i, pat, sizeof pat - 1) == 0) m->func_count++;
    return RDB_CONTINUE;
}

int model_on_select_db(void *ctx, uint64_t db)
{
    model *m = ctx;
    m->cur_db = db;
    m->cur = get_db(m, db);
    return m->cur ? RDB_CONTINUE : -1;
}

int model_on_resize_db(void *ctx, uint64_t db_size, uint64_t expires_size)
{
    model *m = ctx;
    if (!m->cur && !(m->cur = get_db(m, m->cur_db))) return -1;
    /* A server sizes its tables from the hint (dictExpand) and dies trying
     * when the hint is absurd: such a hint is not one to model, and keeping
     * it would overflow the table arithmetic below. */
    if (db_size > MODEL_MAX_RESIZE_HINT || expires_size > MODEL_MAX_RESIZE_HINT) {
        m->cur->have_hint = false;
        m->cur->hint_ram_per_key = 0;
        return RDB_CONTINUE;
    }
    m->cur->have_hint = true;
    m->cur->hint_keys = db_size;
    m->cur->hint_expires = expires_size;
    /* Each key's share of the hinted table, once per hint, not per key. */
    m->cur->hint_ram_per_key = db_size ? 8 * next_pow2(db_size) / db_size : 0;
    return RDB_CONTINUE;
}

int model_on_key_begin(void *ctx, const rdb_key *k)
{
    model *m = ctx;
    key_state *ks = &m->k;
    /* key_state is about 1 KiB, most of it the list and stream scratch:
     * clear only what this key's type uses (a profile showed the whole-struct
     * memset at 3 % of a report). Strings, most keys, use none of the
     * collection state; the element objects are 2.8 / 3.2's. */
    memset(ks, 0, offsetof(key_state, c));
    if (k->kind != RDB_KIND_STRING) memset(&ks->c, 0, sizeof ks->c);
    if (m->p->robj_elements || !m->p->has_quicklist) memset(&ks->ro, 0, sizeof ks->ro);
    if (k->kind == RDB_KIND_LIST) memset(&ks->ql, 0, sizeof ks->ql);
    if (k->kind == RDB_KIND_STREAM) memset(&ks->st, 0, sizeof ks->st);
    if (k->kind == RDB_KIND_ARRAY) memset(&ks->ar, 0, sizeof ks->ar);
    if (k->kind == RDB_KIND_MODULE) {
        model_module_release(ks);
        ks->mod.dec = NULL;
        ks->mod.bad = false;
    }
    ks->active = true;
    m->hints.list_first_lzf = -1;
    m->hints.list_nodes = 0;
    ks->kind = k->kind;
    ks->rdb_type = k->rdb_type;
    ks->c.all_int = true;
    /* a module value: its type and opcodes follow (model_module.c) */
    if (k->kind == RDB_KIND_MODULE) return RDB_CONTINUE;
    /* Long strings need only their length: never decompress them. */
    if (k->kind == RDB_KIND_STRING) return RDB_NO_CONTENT;
    /* A blob the loader keeps as it is needs no per-element work: its
     * length and count come with the container event, and the rare blob
     * the loader converts is walked there (model_coll_container). On 2.8 /
     * 3.2 a converted blob's elements become objects (robj_entry), so
     * their entries are read. */
    if (model_blob_kept(m, k) && !(m->p->robj_elements && k->kind != RDB_KIND_LIST)) {
        ks->entries_skipped = true;
        return RDB_SKIP;
    }
    return RDB_CONTINUE;
}

int model_on_string(void *ctx, const rdb_key *k, const rdb_string_chunk *c)
{
    model *m = ctx;
    key_state *ks = &m->k;
    (void)k;
    if (c->offset == 0) {
        model_hints_string(m, c);
        ks->str_len = c->total_len;
        ks->str_is_int = c->is_int;
        ks->str_ival = c->ival;
        ks->str_compressed = c->compressed;
    }
    if (!c->is_int && c->ptr && c->offset < sizeof ks->str_head) {
        size_t n = c->len;
        if (c->offset + n > sizeof ks->str_head) n = sizeof ks->str_head - c->offset;
        memcpy(ks->str_head + c->offset, c->ptr, n);
        if (c->offset + n > ks->str_head_len) ks->str_head_len = c->offset + n;
    }
    return RDB_CONTINUE;
}

int model_on_container(void *ctx, const rdb_key *k, const rdb_container *c)
{
    model *m = ctx;
    if (c->shallow && c->kind == RDB_CT_STREAM_NODE) {
        /* the loader keeps a node's listpack as it is: its length and master
         * ID size it, and the model reads no stream entries */
        model_hints_blob(m, k, c);
        model_stream_container(m, c);
        return RDB_SKIP;
    }
    if (c->shallow) {
        int rc = model_coll_shallow(m, k, c);
        if (rc == RDB_SKIP) model_hints_blob(m, k, c);  /* else it comes back walked */
        return rc;
    }
    model_hints_blob(m, k, c);
    if (!m->p->has_quicklist && k->rdb_type == RDB_TYPE_LIST_ZIPLIST) {
        robj_state *ro = &m->k.ro;   /* 2.8: the blob as loaded (list28_cost) */
        ro->have_blob = true;
        ro->blob_len = c->blob.len;
        ro->blob_entries = c->entries;
    }
    if (k->rdb_type >= RDB_TYPE_HASH_TMPL_LP && k->rdb_type <= RDB_TYPE_HASH_TMPL_ARRAY_REF &&
        k->kind == RDB_KIND_HASH) {
        /* a template's values listpack: sized by model_newer.c, not a hash blob */
        m->k.c.blob_len = c->blob.len;
        return RDB_CONTINUE;
    }
    if (c->kind == RDB_CT_STREAM_NODE) model_stream_container(m, c);
    else model_coll_container(m, k, c);
    return RDB_CONTINUE;
}

/* ---- Redis 2.8 / 3.2: collection elements are objects --------------------
 * rdbLoadObject (2.8.24 / 3.2.13 src/rdb.c) reads the elements of sets,
 * sorted sets, hashtable hashes and 2.8 lists with
 * rdbLoadEncodedStringObject and tryObjectEncoding (src/object.c), and keeps
 * the robj in the dict / skiplist / list node (4.0 moved sets, zsets and
 * hashes to bare sds); blobs converted on load make theirs with
 * createStringObject / createStringObjectFromLongLong (hashTypeConvertZiplist,
 * setTypeConvert, zsetConvert, listTypeConvert), to the same effect:
 *  - text that string2l accepts (at most 21 bytes) and RDB integers: the
 *    shared object for 0..9999 (OBJ_SHARED_INTEGERS, unless maxmemory with an
 *    LRU policy), else a robj with the value in ptr;
 *  - 3.2: other text of at most 44 bytes is EMBSTR, one allocation of
 *    robj 16 + sdshdr8 3 + len + 1 (createEmbeddedStringObject);
 *  - longer text (any text on 2.8, which has no EMBSTR): robj + an exact sds. */
static uint64_t elem_obj(const model *m, const rdb_item *it)
{
    const model_profile *p = m->p;
    long long v;
    bool isint = it->is_int ? (v = it->ival, true)
                            : (it->ptr && str_to_ll(it->ptr, it->len, &v));
    if (isint) return v >= 0 && v < 10000 && model_shared_ints(m) ? 0 : je_size(p, p->robj);
    if (p->embstr_limit && it->len <= p->embstr_limit)
        return je_size(p, p->robj + 3 + it->len + 1);
    return je_size(p, p->robj) + sds_alloc(p, it->len);
}

static void robj_entry(model *m, const rdb_key *k, const rdb_entry *e)
{
    robj_state *ro = &m->k.ro;
    switch (k->kind) {
    case RDB_KIND_LIST: {
        if (m->p->has_quicklist) break;
        ro->obj += elem_obj(m, &e->member);
        uint64_t sz = zl_entry_item(ro->zl_prev, &e->member);
        ro->zl_bytes += sz;
        ro->zl_prev = sz;
        /* list-max-ziplist-value (redis.h REDIS_LIST_MAX_ZIPLIST_VALUE 64),
         * checked on RAW elements only */
        if (!e->member.is_int && e->member.len > 64) ro->zl_big = true;
        break;
    }
    case RDB_KIND_SET: case RDB_KIND_ZSET:
        ro->obj += elem_obj(m, &e->member);
        break;
    case RDB_KIND_HASH:
        ro->obj += elem_obj(m, &e->member) + elem_obj(m, &e->value);
        break;
    default:
        break;
    }
}

int model_on_entry(void *ctx, const rdb_key *k, const rdb_entry *e)
{
    model *m = ctx;
    if (k->kind == RDB_KIND_STREAM) return RDB_CONTINUE;
    if (k->kind == RDB_KIND_ARRAY) {
        if (m->p->arrays) model_array_entry(m, e);
        return RDB_CONTINUE;
    }
    if (m->p->robj_elements) robj_entry(m, k, e);
    model_coll_entry(m, k, e);
    if (k->rdb_type >= RDB_TYPE_HASH_TMPL_LP && k->rdb_type <= RDB_TYPE_HASH_TMPL_ARRAY_REF)
        m->k.c.val_alloc += sds_alloc(m->p, e->value.len);
    return RDB_CONTINUE;
}

int model_on_entries(void *ctx, const rdb_key *k, const rdb_entry *e, size_t n)
{
    model *m = ctx;
    bool plain = k->kind != RDB_KIND_STREAM && k->kind != RDB_KIND_ARRAY && !m->p->robj_elements &&
                 !(k->rdb_type >= RDB_TYPE_HASH_TMPL_LP && k->rdb_type <= RDB_TYPE_HASH_TMPL_ARRAY_REF);
    if (!plain) {
        for (size_t i = 0; i < n; i++) model_on_entry(m, k, &e[i]);
        return RDB_CONTINUE;
    }
    model_coll_entries(m, k, e, n);
    return RDB_CONTINUE;
}

/* 2.8 lists (2.8.24 src/rdb.c rdbLoadObject, t_list.c listTypeConvert,
 * adlist.c): RDB_TYPE_LIST becomes a ziplist built by ziplistPush (10-byte
 * header, the entries, 1 end byte) while it has at most
 * list-max-ziplist-entries items and no RAW one over 64 bytes, else a
 * linked list; RDB_TYPE_LIST_ZIPLIST keeps its blob (zmalloc of its length)
 * unless it has more than list-max-ziplist-entries entries. A linked list is
 * a list struct (48) and per item a listNode (24) holding the item's
 * object. */
static void list28_cost(const model *m, const key_state *ks, const rdb_key_end *end,
                        value_cost *out)
{
    const model_profile *p = m->p;
    const robj_state *ro = &ks->ro;
    uint64_t n = end->elements ? end->elements : ks->c.n;
    bool zl;
    uint64_t zl_len;
    if (ro->have_blob) {
        zl = ro->blob_entries <= (uint64_t)m->s.list_size;
        zl_len = ro->blob_len;
    } else {
        zl = n <= (uint64_t)m->s.list_size && !ro->zl_big;
        zl_len = 10 + ro->zl_bytes + 1;
    }
    if (zl) {
        out->encoding = "ziplist";
        out->ram = je_size(p, p->robj) + je_size(p, zl_len);
    } else {
        out->encoding = "linkedlist";
        out->ram = je_size(p, p->robj) + je_size(p, 48) + n * je_size(p, 24) + ro->obj;
    }
    out->mu = out->ram;
}

/* ---- Redis 7.4+: hash field expiration ---------------------------------- */

static bool hfe_type(uint8_t t)
{
    return t == RDB_TYPE_HASH_METADATA || t == RDB_TYPE_HASH_LISTPACK_EX ||
           t == RDB_TYPE_HASH_METADATA_PRE_GA || t == RDB_TYPE_HASH_LISTPACK_EX_PRE_GA;
}

/* An ebuckets of n items (7.4.1 src/ebuckets.c): up to EB_LIST_MAX_ITEMS
 * (16) it is a list threaded through the items' own ExpireMeta, no
 * allocation; beyond, a rax with 8 bytes of metadata (raxNewWithMetadata)
 * whose leaves, keyed by 6 bytes of expiry time, are buckets: a FirstSegHdr
 * (16) and segments of up to EB_SEG_MAX_ITEMS (16) items that split when
 * full (so 8 to 16 items per bucket), or NextSegHdrs (24) for items of one
 * expiry time. The times are not kept per key, so this is the size measured
 * on a 7.4.1 build for times spread over hours, 17 to 5000 items per
 * ebuckets (hash fields, and hashes in db->hexpires): 64 + 5.4 bytes per
 * item, within about 10 %. */
static uint64_t ebuckets_bytes(uint64_t n)
{
    return n <= 16 ? 0 : 64 + n * 27 / 5;
}

/* The key-level terms.
 * MEMORY USAGE (redis src/object.c memoryCommand, 4.0.14 .. 7.4.1):
 *   objectComputeSize + sdsZmallocSize(key) (4.0/5.0: sdsAllocSize) + sizeof(dictEntry).
 *   4.0.14 charges sdsAllocSize(c->argv[2]->ptr), the key as the command
 *   argument: createStringObject (networking.c processMultibulkBuffer), so
 *   an EMBSTR with an sdshdr8 header (3) up to 44 bytes, else sdsnewlen's
 *   type; 5.0 switched to dictGetKey(de), the loaded key (type 5 below 32).
 * Valkey 8.0.1 (src/object.c): objectComputeSize + dictEntryMemUsage, the
 *   zmalloc size of the entry that embeds the key: J(8 + 8 + 1 + key sds),
 *   the key sds being type 5 below 32 bytes when loaded from an RDB
 *   (memory-model.md §3.4, measured).
 * RAM: the dict entry (J(24)), the key sds (J(hdr+len+1)), the value, and a
 *   24-byte entry in the expires dict for a key with a TTL. */
static void key_terms(const model *m, const rdb_key *k, uint64_t *mu, uint64_t *ram)
{
    const model_profile *p = m->p;
    uint64_t klen = k->name_len;
    if (p->valkey_embkey) {
        uint64_t e = je_size(p, 8 + 8 + 1 + model_sds_hdr(m, klen) + klen + 1);
        *mu = e;
        *ram = e;
    } else {
        uint64_t ks = model_sds_alloc(m, klen);
        uint64_t ks_mu = p->mu_sds_rounded ? ks : model_sds_hdr(m, klen) + klen + 1;
        if (p->has_memory_usage && p->ver < 500 && klen <= p->embstr_limit)
            ks_mu = 3 + klen + 1;
        *mu = ks_mu + p->dict_entry;
        *ram = ks + je_size(p, p->dict_entry);
    }
    if (k->has_expire) *ram += je_size(p, p->dict_entry);
}

void model_key_end(model *m, const rdb_key *k, const rdb_key_end *end, key_record *rec)
{
    key_state *ks = &m->k;
    value_cost vc = { NULL, 0, 0 };
    const model_profile *p = m->p;
    switch (k->kind) {
    case RDB_KIND_STRING: model_string_cost(m, ks, &vc); break;
    case RDB_KIND_LIST:
        if (p->has_quicklist) { model_list_close(m); model_list_cost(m, ks, end, &vc); }
        else list28_cost(m, ks, end, &vc);
        break;
    case RDB_KIND_SET:    model_set_cost(m, ks, end, &vc); break;
    case RDB_KIND_ZSET:   model_zset_cost(m, ks, end, &vc); break;
    case RDB_KIND_HASH:
        if (!model_hash_newer_cost(m, ks, &vc)) model_hash_cost(m, ks, end, &vc);
        vc.ram += model_hash2_extra(m, ks);
        break;
    case RDB_KIND_STREAM: model_stream_cost(m, ks, end, &vc); break;
    case RDB_KIND_ARRAY:
        if (p->arrays) model_array_cost(m, ks, &vc);
        break;
    case RDB_KIND_MODULE: {
        uint64_t elements = 0;
        model_module_cost(m, ks, end, &vc, &rec->bytes_basis, &elements);
        rec->serialized_bytes = end->value_bytes;
        if (elements) rec->elements = elements;
        break;
    }
    default: break;
    }
    ks->active = false;
    /* first letters first: this runs for every key */
    bool ht = vc.encoding && ((vc.encoding[0] == 'h' && strcmp(vc.encoding, "hashtable") == 0) ||
                              (vc.encoding[0] == 's' && strcmp(vc.encoding, "skiplist") == 0));
    if (p->robj_elements && ht && k->kind != RDB_KIND_LIST) {
        /* 2.8 / 3.2: the element objects instead of the bare sds the
         * collection costs assume (4.0+) */
        uint64_t sds_ram = ks->c.ele_alloc, sds_mu = p->mu_sds_rounded ? sds_ram : ks->c.ele_raw;
        vc.ram = (vc.ram > sds_ram ? vc.ram - sds_ram : 0) + ks->ro.obj;
        vc.mu = (vc.mu > sds_mu ? vc.mu - sds_mu : 0) + ks->ro.obj;
    }
    bool hfe = p->hfe && k->kind == RDB_KIND_HASH && hfe_type(k->rdb_type);
    if (hfe && ht) {
        /* 7.4.1 rdb.c: a hashtable loaded from RDB_TYPE_HASH_METADATA (or
         * converted from a listpackex) gets dictTypeAddMeta(...,
         * mstrHashDictTypeWithHFE): the dict is reallocated with a
         * dictExpireMetadata (server.h: ExpireMeta 16, ebuckets hfe, sds key:
         * 32 bytes), and every field TTL goes into that ebuckets (ebAdd).
         * MEMORY USAGE counts neither. */
        vc.ram += je_size(p, p->dict_struct + 32) - je_size(p, p->dict_struct) +
                  ebuckets_bytes(ks->c.ttl_fields);
    }
    if (k->kind >= RDB_KIND_COUNT_ || (k->kind == RDB_KIND_ARRAY && !p->arrays)) {
        /* arrays: no such type before 8.8 */
        rec->encoding = NULL;
        rec->has_bytes = false;
        rec->bytes = rec->ram = 0;
        return;
    }
    uint64_t kmu, kram;
    key_terms(m, k, &kmu, &kram);
    if (p->keymeta && k->meta_classes) {
        /* 8.6+: a metadata slot of 8 bytes per class before the key object
         * (keymeta.c keyMetaSetMetadata; estimate, see profile.c) */
        kmu += 8u * k->meta_classes;
        kram += 8u * k->meta_classes;
    }
    bool cluster = m->cluster_reason != MODEL_CLUSTER_OFF;
    if (cluster) {
        uint64_t cmu, cram;
        model_cluster_key(m, k, &cmu, &cram);
        kmu += cmu;
        kram += cram;
        rec->has_slot = true;
        rec->slot = (uint16_t)slot_of_key(k->name, k->name_len);
    }
    rec->encoding = vc.encoding;
    value_cost compact;
    if (ht && model_compact_cost(m, ks, end->elements ? end->elements : ks->c.n, &compact)) {
        rec->compact_encoding = compact.encoding;
        rec->compact_bytes = compact.mu + kmu;
    }
    if (k->kind == RDB_KIND_SET)
        rec->int_members = (ks->c.have_blob && ks->c.blob_kind == RDB_CT_INTSET) ||
                           (ks->c.all_int && !ks->entries_skipped &&
                            end->elements <= m->s.near_set_intset);
    rec->has_bytes = true;
    rec->bytes = vc.mu + kmu;
    rec->ram = vc.ram + kram;

    db_state *d = m->cur;
    if (!d || d->id != k->db) d = m->cur = get_db(m, k->db);
    if (d && d->have_hint && !cluster) rec->ram += d->hint_ram_per_key;

    bool expired = k->has_expire && m->have_now && k->expire_ms <= m->now_ms;
    if (expired) {
        m->t.keys_expired++;
        m->t.bytes_expired += rec->bytes;
        return;
    }
    if (k->kind != RDB_KIND_MODULE) model_hints_key_end(m, k, end, rec, vc.ram);
    m->t.keys_loaded++;
    m->t.usage_sum += rec->bytes;
    m->t.keys_ram += vc.ram + kram;
    if (cluster) model_cluster_count(m, rec->slot, k->has_expire, vc.ram + kram, rec->bytes, k->db);
    if (d) {
        d->keys++;
        if (k->has_expire) d->expires++;
        /* rdbLoadRio (7.4.1 rdb.c): hashTypeAddToExpires registers a hash
         * with a field TTL in db->hexpires */
        if (hfe && ks->c.ttl_fields) d->hfe_hashes++;
    }
}

/* After a load each table has next_pow2(RESIZEDB hint) buckets (rdb.c
 * rdbLoadRio: dictExpand(db->dict, db_size), dictExpand(db->expires,
 * expires_size), even for 0), or grew by doubling when there was no hint
 * (RDB < 7) or more keys arrived; growth rehashes finish in serverCron.
 * 7.4+ (kvstore): see model_finish. */
static uint64_t table_bytes(const model_profile *p, bool hint, uint64_t hint_n, uint64_t n)
{
    dictsim d;
    ds_init(&d);
    if (hint) ds_expand(&d, hint_n);
    ds_add(&d, n);
    uint64_t b = d.rehashing ? d.s1 : d.s0;
    return b ? je_size(p, 8 * b) : 0;
}

void model_finish(model *m, model_totals *out)
{
    const model_profile *p = m->p;
    uint64_t tables = 0;
    bool kvstore_slots = m->cluster_reason != MODEL_CLUSTER_OFF && p->cluster_keyspace == CLUSTER_KVSTORE;
    for (db_state *d = m->dbs; d; d = d->next) {
        if (kvstore_slots) {
            /* per-slot dicts: model_cluster_bookkeeping */
        } else if (p->kvstore_dict) {
            /* Redis 7.4+, Valkey 8.0+ (redis 7.4.1 / valkey 8.0.1
             * src/server.c initServer: KVSTORE_ALLOCATE_DICTS_ON_DEMAND;
             * src/kvstore.c createDictIfNeeded): a db's keys and expires
             * are kvstores whose dict (+ kvstoreDictMetadata) is created
             * with the first key, so the RESIZEDB hint, applied before the
             * first key, finds no dict to expand (kvstoreExpand skips NULL
             * dicts) and the tables grow by doubling. */
            if (d->keys) tables += p->kvstore_dict + table_bytes(p, false, 0, d->keys);
            if (d->expires) tables += p->kvstore_dict + table_bytes(p, false, 0, d->expires);
        } else {
            if (!d->have_hint && d->keys == 0) continue;
            tables += table_bytes(p, d->have_hint, d->hint_keys, d->keys);
            if (d->have_hint || d->expires)
                tables += table_bytes(p, d->have_hint, d->hint_expires, d->expires);
        }
        tables += ebuckets_bytes(d->hfe_hashes);   /* db->hexpires (7.4+) */
    }
    /* the slot bookkeeping above the keys: 7.4+ per-slot dicts, 6.2's rax
     * branch nodes (6.2 - 7.2 keep the standalone main and expires tables
     * above) */
    if (m->cluster_reason != MODEL_CLUSTER_OFF) tables += model_cluster_bookkeeping(p, m->slots, NULL);
    m->t.tables_ram = tables;
    /* Function libraries (7.0+): the code sds, the library and function
     * structs and their dict entries; from 7.4 also the Lua VM's growth
     * (redis PR #13133: Lua allocates through zmalloc in its own jemalloc
     * arena and counts in used_memory): calibrated, see profile.c. */
    m->t.functions_ram = m->func_libs ? m->func_bytes * (1 + p->func_code_factor)
                                        + m->func_libs * p->func_lib_overhead
                                        + m->func_count * p->func_overhead : 0;
    m->t.startup_memory = m->cluster_reason != MODEL_CLUSTER_OFF ? p->cluster_startup_used
                                                                  : p->startup_used;
    m->t.templates_ram = m->templates_ram;
    m->t.modules_ram = model_modules_ram(m);
    model_hints_finish(m, &m->t);
    m->t.predicted_used_memory = m->t.startup_memory + m->t.keys_ram + m->t.tables_ram
                                 + m->t.functions_ram + m->t.templates_ram + m->t.modules_ram;
    if (out) *out = m->t;
}
