/* mod_topk.c: RedisBloom's Top-K, type "TopK-TYPE".
 *
 * Layout (RedisBloom src/rm_topk.c TopKRdbSave / TopKRdbLoad, TOPK_ENC_VER 0,
 * unchanged from v2.4.23 to v8.8.0):
 *
 *   UINT k  UINT width  UINT depth  DOUBLE decay
 *   STRING data        width * depth Buckets {fp, count} (8 bytes each)
 *   STRING heap        k HeapBuckets {fp, itemlen, item, count} (24 bytes each)
 *   k x STRING item    the item with its NUL, or "" (1 byte) for an empty slot
 *
 * Memory (exact):
 *   mem_usage = sizeof(TopK) 2088 + width * depth * 8 + k * 24
 *     (TopKMemUsage; src/topk.h TopK {k, width, depth, decay, data, heap,
 *     double lookupTable[256]})
 *   ram = J(2088) + J(data) + J(heap) + sum J(item) over the items longer
 *     than 1 byte (a 1-byte item is freed on load, its slot left NULL).
 */
#include "analyze/modval.h"
#include "analyze/model_int.h"

typedef struct topk_state {
    const model_profile *p;
    unsigned field;
    uint64_t k, width, depth, items_seen;
    uint64_t data, heap, items_ram, items;
} topk_state;

static void topk_begin(void *st, const mod_env *env) {
    *(topk_state *)st = (topk_state){.p = env->p};
}

static int topk_op(void *vs, const rdb_module_op *op) {
    topk_state *s = vs;
    unsigned f = s->field < 6 ? s->field++ : 6;
    switch (f) {
    case 0: case 1: case 2:
        if (op->code != RDB_MOP_UINT || op->uint == 0 || op->uint > UINT32_MAX) return MOD_BAD;
        if (f == 0) s->k = op->uint;
        else if (f == 1) s->width = op->uint;
        else s->depth = op->uint;
        return MOD_OK;
    case 3: return op->code == RDB_MOP_DOUBLE ? MOD_OK : MOD_BAD;
    case 4:
        /* width * depth Buckets, without a product that could overflow */
        if (op->code != RDB_MOP_STRING || op->str_len % 8 || op->str_len / 8 % s->width ||
            op->str_len / 8 / s->width != s->depth)
            return MOD_BAD;
        s->data = op->str_len;
        return MOD_OK;
    case 5:
        if (op->code != RDB_MOP_STRING || op->str_len != s->k * 24) return MOD_BAD;
        s->heap = op->str_len;
        return MOD_OK;
    default:
        if (op->code != RDB_MOP_STRING || s->items_seen >= s->k) return MOD_BAD;
        s->items_seen++;
        if (op->str_len > 1) {
            s->items++;
            s->items_ram += je_size(s->p, op->str_len);
        }
        return MOD_OK;
    }
}

static int topk_end(void *vs, mod_size *out) {
    topk_state *s = vs;
    if (s->field < 6 || s->items_seen != s->k) return MOD_BAD;
    out->mem_usage = 2088 + s->data + s->heap;
    out->ram = je_size(s->p, 2088) + je_size(s->p, s->data) + je_size(s->p, s->heap) + s->items_ram;
    out->elements = s->items;
    return MOD_OK;
}

const mod_decoder mod_topk = {
    .type = "TopK-TYPE", .module = "bf", .basis = KEY_BASIS_MEASURED, .max_encver = 0,
    .state_size = sizeof(topk_state), .begin = topk_begin, .op = topk_op, .end = topk_end,
};
