/* model_string.c: string values as the loader builds them.
 * Source: redis src/rdb.c rdbLoadObject (RDB_TYPE_STRING ->
 * rdbLoadEncodedStringObject + tryObjectEncoding) and src/object.c
 * (tryObjectEncoding, createStringObject, createStringObjectFromLongLongForValue)
 * of 3.2.13 .. 7.4.1 and valkey 8.0.1:
 *  - an RDB integer encoding, or text of <= 20 bytes that string2l accepts,
 *    becomes OBJ_ENCODING_INT; 0..9999 (OBJ_SHARED_INTEGERS = 10000) is the
 *    shared object unless maxmemory is set with an LRU/LFU policy;
 *  - other text of <= 44 bytes is EMBSTR: one allocation of robj 16 +
 *    sdshdr8 3 + len + 1;
 *  - longer text is RAW: robj + an exact-length sds (an LZF-compressed value
 *    is decompressed into sdsnewlen(len)).
 * MEMORY USAGE: INT 16; EMBSTR zmalloc_size(robj) (7.0+) or 16+len+2
 * (4.0-6.2); RAW 16 + sdsZmallocSize (6.2+) or 16 + sdsAllocSize. */
#include "analyze/model_int.h"

/* tryObjectEncoding (object.c): 0..9999 become the shared objects, unless
 * maxmemory is set with an LRU/LFU policy (each key needs its own LRU bits). */
bool model_shared_ints(const model *m)
{
    return !(m->s.maxmemory != 0 && m->s.policy_lru_lfu);
}

void model_string_cost(const model *m, const key_state *ks, value_cost *out)
{
    const model_profile *p = m->p;
    long long v = 0;
    bool is_int = ks->str_is_int;
    if (is_int) v = ks->str_ival;
    else if (ks->str_len <= 20 && ks->str_head_len == ks->str_len)
        is_int = str_to_ll(ks->str_head, (size_t)ks->str_len, &v);
    if (is_int) {
        out->encoding = "int";
        out->mu = p->robj;
        out->ram = (v >= 0 && v < 10000 && model_shared_ints(m)) ? 0 : je_size(p, p->robj);
        return;
    }
    uint64_t len = ks->str_len;
    if (p->embstr_limit && len <= p->embstr_limit) {
        out->encoding = "embstr";
        out->ram = je_size(p, p->robj + 3 + len + 1);
        out->mu = p->mu_embstr == MU_EMB_ZMALLOC ? out->ram : p->robj + len + 2;
        return;
    }
    out->encoding = "raw";
    uint64_t sds = sds_alloc(p, len);
    out->ram = je_size(p, p->robj) + sds;
    out->mu = p->robj + (p->mu_sds_rounded ? sds : sds_hdr(p, len) + len + 1);
}
