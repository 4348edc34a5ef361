/* mod_cms.c: RedisBloom's Count-Min sketch, type "CMSk-TYPE".
 *
 * Layout (RedisBloom src/rm_cms.c CMSRdbSave / CMSRdbLoad, CMS_ENC_VER 0,
 * unchanged from v2.4.23 to v8.8.0):
 *
 *   UINT width  UINT depth  UINT counter
 *   STRING array              width * depth uint32_t counters
 *
 * Memory (exact):
 *   mem_usage: up to RedisBloom 8.4 (Redis < 8.6) CMSMemUsage returns
 *     sizeof(cms) (a pointer: 8) + width * depth * sizeof(size_t) (8);
 *     from 8.6 (commit 3f366229 "Correct memusage") sizeof(CMSketch) 32 +
 *     width * depth * sizeof(uint32_t).
 *   ram = J(32) (src/cms.h CMSketch {width, depth, array, counter},
 *     CMS_CALLOC) + J(array) (the RedisModule_LoadStringBuffer buffer).
 */
#include "analyze/modval.h"
#include "analyze/model_int.h"

typedef struct cms_state {
    const model_profile *p;
    bool fixed_memusage;   /* RedisBloom 8.6+ */
    unsigned field;
    uint64_t width, depth, count, array;
} cms_state;

static void cms_begin(void *st, const mod_env *env) {
    *(cms_state *)st = (cms_state){
        .p = env->p,
        .fixed_memusage = env->module_ver ? env->module_ver >= 80600 : env->p->ver >= 806};
}

static int cms_op(void *vs, const rdb_module_op *op) {
    cms_state *s = vs;
    switch (s->field++) {
    case 0: if (op->code != RDB_MOP_UINT) return MOD_BAD; s->width = op->uint; return MOD_OK;
    case 1: if (op->code != RDB_MOP_UINT) return MOD_BAD; s->depth = op->uint; return MOD_OK;
    case 2: if (op->code != RDB_MOP_UINT) return MOD_BAD; s->count = op->uint; return MOD_OK;
    case 3:
        if (op->code != RDB_MOP_STRING) return MOD_BAD;
        s->array = op->str_len;
        return MOD_OK;
    default: return MOD_BAD;
    }
}

static int cms_end(void *vs, mod_size *out) {
    cms_state *s = vs;
    /* the loader rejects a counter array of any other length */
    if (s->field != 4 || !s->width || !s->depth || s->array % 4 || s->array / 4 / s->width != s->depth ||
        s->array / 4 % s->width)
        return MOD_BAD;
    uint64_t cells = s->array / 4;
    out->mem_usage = s->fixed_memusage ? 32 + 4 * cells : 8 + 8 * cells;
    out->ram = je_size(s->p, 32) + je_size(s->p, s->array);
    out->elements = s->count;
    return MOD_OK;
}

const mod_decoder mod_cms = {
    .type = "CMSk-TYPE", .module = "bf", .basis = KEY_BASIS_MEASURED, .max_encver = 0,
    .state_size = sizeof(cms_state), .begin = cms_begin, .op = cms_op, .end = cms_end,
};
