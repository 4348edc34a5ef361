/* model_newer.c: what the types of Redis 8.10 and Valkey 9.0 cost on the
 * profiles of those servers. ESTIMATES: read from the sources named below,
 * never measured (no such server ran here).
 *
 * Redis 8.10 hash templates (redis branch hinted-hash-dev, target 8.10.0,
 * its design notes "Hinted Hash Templates", section Encodings):
 *  - OBJ_ENCODING_TMPL_LP, OBJECT ENCODING "template-listpack": o->ptr is a
 *    listpack [template id][value 0]..[value n-1], the very blob RDB type
 *    30 stores (type 29 stores the same values listpack after its names):
 *    like a listpack hash, the robj + the listpack by allocation;
 *  - OBJ_ENCODING_TMPL_ARRAY, "template-array": o->ptr is a
 *    hashTemplateArray { hashTemplate *tmpl; sds values[]; }: J(8 + 8 n) +
 *    each value's sds;
 *  - the template itself is shared and, per the notes, "not attributed to
 *    any single key: MEMORY USAGE reports only what that key owns"; it
 *    counts in used_memory (INFO memory used_memory_hash_templates): here
 *    a struct of about 48 bytes + 8 per field pointer + each field's sds +
 *    a 24-byte registry entry.
 * On a profile without templates (asking what such a dump would cost on an
 * older server), a template hash is sized as the plain hash of the same
 * fields and values.
 *
 * Valkey 9.0 HASH_2 (valkey src/rdb.c rdbLoadObject: a hash with a volatile
 * field is created as a hashtable whatever its size; src/entry.c keeps the
 * expiry in the entry, and the hash tracks its volatile entries): the
 * valkey-8.1-dev hashtable terms + 8 bytes per field with a TTL (the
 * entry's expiry) + 16 per such field and J(32) per hash for the tracking
 * set, not in MEMORY USAGE. */
#include "analyze/model_int.h"

static bool tmpl_type(uint8_t t)
{
    return t >= RDB_TYPE_HASH_TMPL_LP && t <= RDB_TYPE_HASH_TMPL_ARRAY_REF;
}

bool model_hash_newer_cost(const model *m, const key_state *ks, value_cost *out)
{
    const model_profile *p = m->p;
    const coll_state *c = &ks->c;
    if (!p->hash_templates || ks->kind != RDB_KIND_HASH || !tmpl_type(ks->rdb_type)) return false;
    if (ks->rdb_type == RDB_TYPE_HASH_TMPL_LP || ks->rdb_type == RDB_TYPE_HASH_TMPL_LP_REF) {
        out->encoding = "template-listpack";
        out->ram = je_size(p, p->robj) + je_size(p, c->blob_len);
        out->mu = p->robj + blob_mu(p, c->blob_len);
        return true;
    }
    uint64_t arr = je_size(p, 8 + 8 * c->n) + c->val_alloc;
    out->encoding = "template-array";
    out->ram = je_size(p, p->robj) + arr;
    out->mu = p->robj + arr;
    return true;
}

/* RAM a Valkey 9 hash with field TTLs adds to the hashtable (see above). */
uint64_t model_hash2_extra(const model *m, const key_state *ks)
{
    const model_profile *p = m->p;
    if (!p->valkey_hash2 || ks->rdb_type != RDB_TYPE_VALKEY_HASH_2 || !ks->c.ttl_fields) return 0;
    return 8 * ks->c.ttl_fields + 16 * ks->c.ttl_fields + je_size(p, 32);
}

int model_on_hash_template(void *ctx, const rdb_hash_template *t)
{
    model *m = ctx;
    const model_profile *p = m->p;
    if (!p->hash_templates || !t->fields) return RDB_CONTINUE;
    uint64_t avg = t->field_bytes / t->fields;
    m->templates_ram += je_size(p, 48 + 8 * t->fields) + t->fields * sds_alloc(p, avg) + je_size(p, 24);
    return RDB_CONTINUE;
}
