/* mod_vset.c: Redis 8 vector sets, type "vectorset" (redis modules/
 * vector-sets, read at commit 074b493c of redis/redis: vset.c, hnsw.c,
 * hnsw.h). No server with vector sets ran here: source-model.
 *
 * Layout (vset.c VectorSetRdbSave / VectorSetRdbLoad, encver 0):
 *
 *   UINT dim  UINT elements  UINT hnsw_config (quant_type | M << 8)
 *   UINT save_flags              bit 0: projection matrix, bit 1: attributes
 *                                (absent in the first releases: then the
 *                                next item is already an element's STRING)
 *   [UINT input_dim  STRING proj_matrix (4 * input_dim * dim)]   flag bit 0
 *   elements x {
 *     STRING item
 *     STRING attrib              flag bit 1 ("" = none)
 *     STRING vector              hnsw_quants_bytes: 4 * dim (f32), dim (int8),
 *                                (dim + 63) / 64 * 8 (bin)
 *     UINT params_count, params_count x UINT   hnsw.c hnsw_serialize_node:
 *       id, level | version << 24, per level 0..level {num_links,
 *       max_links, num_links ids, [worst link, version >= 1]}, l2 | range
 *   }
 *
 * mem_usage (VectorSetMemUsage, itself an estimate the module makes):
 *   sizeof(vsetObject) 112 + sizeof(HNSW) 1672 + 4 * input_dim * dim
 *   and with N > 0 nodes: N * (sizeof(hnswNode) 312 + vector bytes)
 *   + N * sizeof(hnswNodeLayer) 24 * 4 / 3
 *   + 8 * L0 * N + 8 * (L0 / 2) * N / 3   (L0: the head node's layer-0
 *     max_links; the head is the last node loaded, hnsw_add_node)
 *   + N * (mean RM_MallocSizeString of the first 20 items from the head)
 *   + numattribs * (the same mean over their attributes, 64 if none seen)
 *   + N * 16 (the element dict).
 *   Struct sizes from hnsw.h / vset.c on x86-64 (32 visited_epoch slots,
 *   32 slot mutexes).
 * ram (the load's allocations, hnsw.c hnsw_node_new and hnsw_insert_serialized):
 *   per node J(312 + 24 * (level + 1)) + per level J(8 * max_links) +
 *   J(vector) + J(16) (vsetNodeVal) + the item and attribute strings
 *   (robj J(16) + sds) + about J(32) of rax per element in the dict; plus
 *   J(112) + J(1672) + the projection matrix.
 */
#include <string.h>

#include "analyze/modval.h"
#include "analyze/model_int.h"

#define RING 20   /* VectorSetMemUsage scans the first 20 nodes from the head */

typedef enum { V_HEADER, V_INPUT_DIM, V_MATRIX, V_ITEM, V_ATTRIB, V_VECTOR, V_PCOUNT, V_PARAMS, V_DONE } vphase;

typedef struct vset_state {
    const model_profile *p;
    vphase phase;
    unsigned field;
    uint64_t dim, elements, seen, m, quant, flags, input_dim, matrix;
    /* the current node's params */
    uint64_t params_left, pidx, level, version, layer, layer_stage, links_left;
    uint64_t vec_bytes;
    /* the last RING nodes' string sizes (the first 20 from the head) */
    uint64_t item_ring[RING], attr_ring[RING];
    bool attr_has[RING];
    uint64_t cur_item, cur_attr;
    bool cur_has_attr;
    uint64_t numattribs;
    uint64_t head_l0;            /* layer-0 max_links of the last node */
    uint64_t cur_l0;
    uint64_t ram;
} vset_state;

static uint64_t module_string(const model_profile *p, uint64_t len) {
    return 16 + sds_alloc(p, len);   /* RM_MallocSizeString of a loaded (raw) string */
}

static void vset_begin(void *st, const mod_env *env) {
    *(vset_state *)st = (vset_state){.p = env->p};
}

static bool is_num(const rdb_module_op *op) {
    return op->code == RDB_MOP_UINT || op->code == RDB_MOP_SINT;
}

static void next_element(vset_state *s) {
    s->phase = s->seen < s->elements ? V_ITEM : V_DONE;
}

static void after_flags(vset_state *s) {
    if (s->flags & 1) s->phase = V_INPUT_DIM;
    else next_element(s);
}

/* One parameter of the current node (see the layout above). */
static int node_param(vset_state *s, uint64_t v) {
    const model_profile *p = s->p;
    uint64_t i = s->pidx++;
    if (i == 0) return MOD_OK;                       /* id */
    if (i == 1) {                                    /* level | version << 24 */
        s->level = v & 0xff;
        s->version = (v >> 24) & 0xff;
        if (s->level > 32) return MOD_BAD;
        s->ram += je_size(p, 312 + 24 * (s->level + 1));
        s->layer = 0;
        s->layer_stage = 0;
        return MOD_OK;
    }
    if (s->layer > s->level) return MOD_OK;          /* l2 | range */
    switch (s->layer_stage) {
    case 0: s->links_left = v; s->layer_stage = 1; return MOD_OK;      /* num_links */
    case 1: {                                                           /* max_links */
        uint64_t max = v < 2 * s->m && s->layer == 0 ? 2 * s->m : v;
        if (s->layer == 0) s->cur_l0 = max;
        s->ram += je_size(p, 8 * (max ? max : 1));
        s->layer_stage = s->links_left ? 2 : (s->version >= 1 ? 3 : 4);
        break;
    }
    case 2:                                                             /* link ids */
        if (--s->links_left == 0) s->layer_stage = s->version >= 1 ? 3 : 4;
        break;
    case 3: s->layer_stage = 4; break;                                  /* worst link */
    default: break;
    }
    if (s->layer_stage == 4) s->layer++, s->layer_stage = 0;
    return MOD_OK;
}

static void end_node(vset_state *s) {
    unsigned slot = (unsigned)(s->seen % RING);
    s->item_ring[slot] = s->cur_item;
    s->attr_ring[slot] = s->cur_attr;
    s->attr_has[slot] = s->cur_has_attr;
    s->head_l0 = s->cur_l0;
    s->seen++;
    next_element(s);
}

static int vset_op(void *st, const rdb_module_op *op) {
    vset_state *s = st;
    const model_profile *p = s->p;
    switch (s->phase) {
    case V_HEADER:
        if (s->field == 3 && op->code == RDB_MOP_STRING) {
            s->flags = 0;           /* an early save without save_flags */
            next_element(s);
            return vset_op(st, op);
        }
        if (!is_num(op)) return MOD_BAD;
        switch (s->field++) {
        case 0: s->dim = op->uint; break;
        case 1: s->elements = op->uint; break;
        case 2:
            s->quant = op->uint & 0xff;
            s->m = (op->uint >> 8) & 0xffff;
            if (!s->m) s->m = 16;
            if (s->quant > 2 || s->dim == 0) return MOD_BAD;
            if (s->elements == 0) s->phase = V_DONE;   /* and perhaps the flags */
            break;
        default:
            s->flags = op->uint;
            after_flags(s);
        }
        return MOD_OK;
    case V_INPUT_DIM:
        if (!is_num(op)) return MOD_BAD;
        s->input_dim = op->uint;
        s->phase = V_MATRIX;
        return MOD_OK;
    case V_MATRIX:
        if (op->code != RDB_MOP_STRING) return MOD_BAD;
        s->matrix = op->str_len;
        s->ram += je_size(p, op->str_len);
        next_element(s);
        return MOD_OK;
    case V_ITEM:
        if (op->code != RDB_MOP_STRING) return MOD_BAD;
        s->cur_item = module_string(p, op->str_len);
        s->cur_attr = 0;
        s->cur_has_attr = false;
        s->cur_l0 = 2 * s->m;
        s->ram += je_size(p, 16) + sds_alloc(p, op->str_len) + je_size(p, 16) + je_size(p, 32);
        s->phase = s->flags & 2 ? V_ATTRIB : V_VECTOR;
        return MOD_OK;
    case V_ATTRIB:
        if (op->code != RDB_MOP_STRING) return MOD_BAD;
        if (op->str_len) {
            s->cur_attr = module_string(p, op->str_len);
            s->cur_has_attr = true;
            s->numattribs++;
            s->ram += je_size(p, 16) + sds_alloc(p, op->str_len);
        }
        s->phase = V_VECTOR;
        return MOD_OK;
    case V_VECTOR:
        if (op->code != RDB_MOP_STRING) return MOD_BAD;
        if (s->seen && op->str_len != s->vec_bytes) return MOD_BAD;   /* the loader requires one size */
        s->vec_bytes = op->str_len;
        s->ram += je_size(p, op->str_len);
        s->phase = V_PCOUNT;
        return MOD_OK;
    case V_PCOUNT:
        if (!is_num(op) || op->uint < 2) return MOD_BAD;
        s->params_left = op->uint;
        s->pidx = 0;
        s->phase = V_PARAMS;
        return MOD_OK;
    case V_PARAMS:
        if (!is_num(op)) return MOD_BAD;
        if (node_param(s, op->uint) != MOD_OK) return MOD_BAD;
        if (--s->params_left == 0) end_node(s);
        return MOD_OK;
    case V_DONE:
        /* an empty set may still carry its save_flags */
        if (s->elements == 0 && s->field == 3 && is_num(op)) {
            s->field++;
            s->flags = op->uint;
            if (s->flags & 1) s->phase = V_INPUT_DIM;
            return MOD_OK;
        }
        return MOD_BAD;
    default:
        return MOD_BAD;
    }
}

static int vset_end(void *st, mod_size *out) {
    vset_state *s = st;
    if (s->phase != V_DONE || s->seen != s->elements) return MOD_BAD;
    const model_profile *p = s->p;
    uint64_t n = s->elements;
    uint64_t size = 112 + 1672 + s->matrix;
    if (n) {
        size += 312 * n + s->vec_bytes * n;
        size += 24 * n * 4 / 3;
        size += 8 * s->head_l0 * n;
        size += 8 * (s->head_l0 / 2) * n / 3;
        unsigned scanned = n < RING ? (unsigned)n : RING;
        uint64_t items = 0, attrs = 0, attrs_seen = 0;
        for (unsigned i = 0; i < scanned; i++) {
            unsigned slot = (unsigned)((s->seen - 1 - i) % RING);
            items += s->item_ring[slot];
            if (s->attr_has[slot]) attrs += s->attr_ring[slot], attrs_seen++;
        }
        size += items / scanned * n;
        if (!attrs_seen) attrs_seen = 1, attrs = 64;
        size += attrs / attrs_seen * s->numattribs;
        size += n * 16;
    }
    out->mem_usage = size;
    out->ram = je_size(p, 112) + je_size(p, 1672) + je_size(p, 8) + je_size(p, 24) + s->ram;
    out->elements = n;
    return MOD_OK;
}

const mod_decoder mod_vset = {
    .type = "vectorset", .module = "vectorset", .basis = KEY_BASIS_SOURCE, .max_encver = 0,
    .state_size = sizeof(vset_state), .begin = vset_begin, .op = vset_op, .end = vset_end,
};
