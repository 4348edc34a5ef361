/* mod_tdigest.c: RedisBloom's t-digest, type "TDIS-TYPE".
 *
 * Layout (RedisBloom src/rm_tdigest.c TDigestRdbSave / TDigestRdbLoad,
 * TDIGEST_ENC_VER 0, unchanged from v2.4.23 to v8.8.0):
 *
 *   DOUBLE compression  DOUBLE min  DOUBLE max
 *   SINT cap  SINT merged_nodes  SINT unmerged_nodes  SINT total_compressions
 *   DOUBLE merged_weight  DOUBLE unmerged_weight
 *   merged_nodes x DOUBLE mean
 *   merged_nodes x DOUBLE weight
 *
 * Memory (exact: cap, the nodes arrays' length, is stored):
 *   mem_usage: up to RedisBloom 8.4, TDigestMemUsage returns sizeof(tdigest)
 *     (a pointer: 8) + 2 * cap * 8; from 8.6 (commit 3f366229)
 *     sizeof(td_histogram_t) 80 + 2 * cap * 8 (deps/t-digest-c
 *     src/tdigest.h: 3 doubles, 3 ints, 3 long longs, 2 pointers).
 *   ram: td_new() allocates the histogram and its two arrays of cap
 *     entries; RedisBloom 2.4 / 2.6 build t-digest-c with plain malloc
 *     (upstream Makefile, as the corpus build did), so none of it counts in
 *     used_memory; from 2.8 (Redis 7.4) build/t-digest-c/Makefile passes
 *     TD_MALLOC_INCLUDE=td_redismodule_malloc.h: J(80) + 2 * J(8 * cap).
 */
#include "analyze/modval.h"
#include "analyze/model_int.h"

typedef struct td_state {
    const model_profile *p;
    bool fixed_memusage, counted;
    unsigned field;
    int64_t cap, merged;
    uint64_t nodes_seen;
} td_state;

static void td_begin(void *st, const mod_env *env) {
    unsigned v = env->module_ver;
    *(td_state *)st = (td_state){
        .p = env->p,
        .fixed_memusage = v ? v >= 80600 : env->p->ver >= 806,
        .counted = v ? v >= 20800 : env->p->ver >= 704};
}

static bool is_num(const rdb_module_op *op) {
    return op->code == RDB_MOP_SINT || op->code == RDB_MOP_UINT;
}

static int td_op(void *vs, const rdb_module_op *op) {
    td_state *s = vs;
    unsigned f = s->field < 9 ? s->field++ : 9;
    switch (f) {
    case 0: case 1: case 2: case 7: case 8:
        return op->code == RDB_MOP_DOUBLE ? MOD_OK : MOD_BAD;
    case 3: case 4: case 5: case 6:
        if (!is_num(op)) return MOD_BAD;
        if (f == 3) s->cap = op->sint;
        if (f == 4) s->merged = op->sint;
        return MOD_OK;
    default:
        /* the loader rejects merged_nodes outside 0..cap */
        if (s->merged < 0 || s->merged > s->cap || op->code != RDB_MOP_DOUBLE ||
            s->nodes_seen >= 2 * (uint64_t)s->merged)
            return MOD_BAD;
        s->nodes_seen++;
        return MOD_OK;
    }
}

static int td_end(void *vs, mod_size *out) {
    td_state *s = vs;
    if (s->field < 9 || s->merged < 0 || s->merged > s->cap || s->nodes_seen != 2 * (uint64_t)s->merged ||
        s->cap > INT32_MAX)
        return MOD_BAD;
    uint64_t arrays = 2 * 8 * (uint64_t)s->cap;
    out->mem_usage = (s->fixed_memusage ? 80 : 8) + arrays;
    out->ram = s->counted ? je_size(s->p, 80) + 2 * je_size(s->p, 8 * (uint64_t)s->cap) : 0;
    out->elements = (uint64_t)s->merged;
    return MOD_OK;
}

const mod_decoder mod_tdigest = {
    .type = "TDIS-TYPE", .module = "bf", .basis = KEY_BASIS_MEASURED, .max_encver = 0,
    .state_size = sizeof(td_state), .begin = td_begin, .op = td_op, .end = td_end,
};
