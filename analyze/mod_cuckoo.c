/* mod_cuckoo.c: RedisBloom's Cuckoo filter, type "MBbloomCF".
 *
 * Layout (RedisBloom src/rebloom.c CFRdbSave / CFRdbLoad, v2.4.23, v2.6.28,
 * v8.8.0; encver 4 = CF_MIN_EXPANSION_VERSION is what they write, older
 * values lack the four settings and the per-filter bucket count):
 *
 *   UINT numFilters  UINT numBuckets  UINT numItems
 *   UINT numDeletes  UINT bucketSize  UINT maxIterations  UINT expansion   encver >= 4
 *   numFilters x {
 *     UINT numBuckets                      encver >= 4
 *     STRING data                          bucketSize * numBuckets bytes
 *   }
 *
 * Memory (exact):
 *   mem_usage = sizeof(CuckooFilter) 40 + numFilters * sizeof(SubCF) 16 + sum(data)
 *     (CFMemUsage; src/cuckoo.h CuckooFilter {numBuckets, numItems,
 *     numDeletes, 4 x uint16_t, filters}, SubCF {numBuckets:56,
 *     bucketSize:8, data})
 *   ram = J(40) + J(16 * numFilters) + sum J(data): the filter and the
 *     filters array (RedisModule_Calloc), each data buffer as
 *     RedisModule_LoadStringBuffer allocated it.
 */
#include "analyze/modval.h"
#include "analyze/model_int.h"

typedef struct cf_state {
    const model_profile *p;
    unsigned encver;
    unsigned field;
    bool in_filters;
    uint64_t nfilters, filter, items;
    uint64_t bytes, ram;
} cf_state;

static void cf_begin(void *st, const mod_env *env) {
    *(cf_state *)st = (cf_state){.p = env->p, .encver = env->encver};
}

static int cf_op(void *vs, const rdb_module_op *op) {
    cf_state *s = vs;
    if (!s->in_filters) {
        if (op->code != RDB_MOP_UINT) return MOD_BAD;
        if (s->field == 0) {
            if (op->uint == 0) return MOD_BAD;
            s->nfilters = op->uint;
        }
        if (s->field == 2) s->items = op->uint;
        if (++s->field == (s->encver >= 4 ? 7u : 3u)) s->in_filters = true, s->field = 0;
        return MOD_OK;
    }
    if (s->filter >= s->nfilters) return MOD_BAD;
    if (s->encver >= 4 && s->field == 0) {
        if (op->code != RDB_MOP_UINT) return MOD_BAD;
        s->field = 1;
        return MOD_OK;
    }
    if (op->code != RDB_MOP_STRING) return MOD_BAD;
    s->bytes += op->str_len;
    s->ram += je_size(s->p, op->str_len);
    s->field = 0;
    s->filter++;
    return MOD_OK;
}

static int cf_end(void *vs, mod_size *out) {
    cf_state *s = vs;
    if (!s->in_filters || s->filter != s->nfilters || s->field) return MOD_BAD;
    out->mem_usage = 40 + 16 * s->nfilters + s->bytes;
    out->ram = je_size(s->p, 40) + je_size(s->p, 16 * s->nfilters) + s->ram;
    out->elements = s->items;
    return MOD_OK;
}

const mod_decoder mod_cuckoo = {
    .type = "MBbloomCF", .module = "bf", .basis = KEY_BASIS_MEASURED, .max_encver = 4,
    .state_size = sizeof(cf_state), .begin = cf_begin, .op = cf_op, .end = cf_end,
};
