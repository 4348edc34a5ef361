/* model.c: the event state machine of the memory model: per-db bookkeeping,
 * per-key accumulation, the key-level terms (key name, dict entry, expires
 * entry) and the whole-dump totals. The value terms are in model_string.c,
 * model_collections.c and model_stream.c. */
#include <stdlib.h>
#include <string.h>

#include "analyze/model_int.h"

static void settings_init(model_settings *s, const model_profile *p, const model_config *c)
{
    s->hash_entries = p->hash_entries; s->hash_value = p->hash_value;
    s->set_intset = p->set_intset; s->set_lp_entries = p->set_lp_entries;
    s->set_lp_value = p->set_lp_value; s->zset_entries = p->zset_entries;
    s->zset_value = p->zset_value; s->list_size = p->list_size;
    s->list_compress = p->list_compress;
    s->maxmemory = 0; s->policy_lru_lfu = false;
    if (!c) return;
#define OV(f) if (c->set_##f) s->f = c->v.f;
    OV(hash_entries) OV(hash_value) OV(set_intset) OV(set_lp_entries) OV(set_lp_value)
    OV(zset_entries) OV(zset_value) OV(list_size) OV(list_compress)
    OV(maxmemory)
#undef OV
    if (c->set_policy) s->policy_lru_lfu = c->v.policy_lru_lfu;
}

model *model_new(const model_profile *p, const model_config *cfg)
{
    if (!p) p = model_profile_find("redis-7.0");
    model *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->p = p;
    settings_init(&m->s, p, cfg);
    return m;
}

void model_free(model *m)
{
    if (!m) return;
    db_state *d = m->dbs;
    while (d) { db_state *n = d->next; free(d); d = n; }
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
    for (db_state *d = m->dbs; d; d = d->next)
        if (d->id == id) return d;
    db_state *d = calloc(1, sizeof *d);
    if (!d) return NULL;
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
    m->cur->have_hint = true;
    m->cur->hint_keys = db_size;
    m->cur->hint_expires = expires_size;
    return RDB_CONTINUE;
}

int model_on_key_begin(void *ctx, const rdb_key *k)
{
    model *m = ctx;
    key_state *ks = &m->k;
    memset(ks, 0, sizeof *ks);
    ks->active = true;
    ks->kind = k->kind;
    ks->rdb_type = k->rdb_type;
    ks->c.all_int = true;
    if (k->kind == RDB_KIND_MODULE) return RDB_SKIP;
    /* Long strings need only their length: never decompress them. */
    if (k->kind == RDB_KIND_STRING) return RDB_NO_CONTENT;
    /* A blob the loader keeps as it is needs no per-element work: its
     * length and count come with the container event, and the rare blob
     * the loader converts is walked there (model_coll_container). */
    if (model_blob_kept(m, k)) {
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
    if (c->kind == RDB_CT_STREAM_NODE) model_stream_container(m, c);
    else model_coll_container(m, k, c);
    return RDB_CONTINUE;
}

int model_on_entry(void *ctx, const rdb_key *k, const rdb_entry *e)
{
    model *m = ctx;
    if (k->kind == RDB_KIND_STREAM) return RDB_CONTINUE;
    model_coll_entry(m, k, e);
    return RDB_CONTINUE;
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
        uint64_t e = je_size(p, 8 + 8 + 1 + sds_hdr(p, klen) + klen + 1);
        *mu = e;
        *ram = e;
    } else {
        uint64_t ks = sds_alloc(p, klen);
        uint64_t ks_mu = p->mu_sds_rounded ? ks : sds_hdr(p, klen) + klen + 1;
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
    switch (k->kind) {
    case RDB_KIND_STRING: model_string_cost(m, ks, &vc); break;
    case RDB_KIND_LIST:   model_list_cost(m, ks, end, &vc); break;
    case RDB_KIND_SET:    model_set_cost(m, ks, end, &vc); break;
    case RDB_KIND_ZSET:   model_zset_cost(m, ks, end, &vc); break;
    case RDB_KIND_HASH:   model_hash_cost(m, ks, end, &vc); break;
    case RDB_KIND_STREAM: model_stream_cost(m, ks, end, &vc); break;
    default: break;
    }
    ks->active = false;
    if (k->kind == RDB_KIND_MODULE || k->kind >= RDB_KIND_COUNT_) {
        rec->encoding = NULL;
        rec->has_bytes = false;
        rec->bytes = rec->ram = 0;
        return;
    }
    uint64_t kmu, kram;
    key_terms(m, k, &kmu, &kram);
    rec->encoding = vc.encoding;
    rec->has_bytes = true;
    rec->bytes = vc.mu + kmu;
    rec->ram = vc.ram + kram;

    db_state *d = m->cur;
    if (!d || d->id != k->db) d = m->cur = get_db(m, k->db);
    if (d && d->have_hint && d->hint_keys)
        rec->ram += 8 * next_pow2(d->hint_keys) / d->hint_keys;

    bool expired = k->has_expire && m->have_now && k->expire_ms <= m->now_ms;
    if (expired) {
        m->t.keys_expired++;
        m->t.bytes_expired += rec->bytes;
        return;
    }
    m->t.keys_loaded++;
    m->t.usage_sum += rec->bytes;
    m->t.keys_ram += vc.ram + kram;
    if (d) {
        d->keys++;
        if (k->has_expire) d->expires++;
    }
}

/* After a load each table has next_pow2(RESIZEDB hint) buckets (rdb.c
 * rdbLoadRio: dictExpand(db->dict, db_size), dictExpand(db->expires,
 * expires_size), even for 0), or grew by doubling when there was no hint
 * (RDB < 7) or more keys arrived; growth rehashes finish in serverCron. */
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
    for (db_state *d = m->dbs; d; d = d->next) {
        if (!d->have_hint && d->keys == 0) continue;
        tables += table_bytes(p, d->have_hint, d->hint_keys, d->keys);
        if (d->have_hint || d->expires)
            tables += table_bytes(p, d->have_hint, d->hint_expires, d->expires);
    }
    m->t.tables_ram = tables;
    /* Function libraries (7.0+): the code sds, the library and function
     * structs and their dict entries; calibrated, see profile.c. */
    m->t.functions_ram = m->func_libs ? m->func_bytes + m->func_libs * p->func_lib_overhead
                                        + m->func_count * p->func_overhead : 0;
    m->t.startup_memory = p->startup_used;
    m->t.predicted_used_memory = m->t.startup_memory + m->t.keys_ram + m->t.tables_ram
                                 + m->t.functions_ram;
    if (out) *out = m->t;
}
