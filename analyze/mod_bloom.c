/* mod_bloom.c: RedisBloom's scalable Bloom filter, type "MBbloom--".
 *
 * Layout (RedisBloom src/rebloom.c BFRdbSave / BFRdbLoad, v2.4.23, v2.6.28
 * and v8.8.0 alike; encver 0..4, BF_MIN_GROWTH_ENC 4 is what they write):
 *
 *   UINT size          items added to the chain (sb->size)
 *   UINT nfilters      links in the chain (>= 1)
 *   UINT options       encver >= 2 (BF_MIN_OPTIONS_ENC)
 *   UINT growth        encver >= 4 (BF_MIN_GROWTH_ENC)
 *   nfilters x {
 *     UINT entries  DOUBLE error  UINT hashes  DOUBLE bpe
 *     UINT bits  UINT n2           encver >= 1
 *     STRING bf                    the filter's bit array, bm->bytes long
 *     UINT size                    items in this link
 *   }
 *
 * Memory (exact: the dump holds every allocated buffer):
 *   mem_usage = sizeof(SBChain) 32 + nfilters * sizeof(SBLink) 64 + sum(bytes)
 *     (BFMemUsage; src/sb.h SBChain {filters, size, nfilters, options,
 *     growth}, SBLink {struct bloom inner (deps/bloom/bloom.h: 56), size})
 *   ram = J(32) (RedisModule_Calloc of the chain) + J(64 * nfilters) (the
 *     links array) + sum J(bytes) (each bit array is the buffer
 *     RedisModule_LoadStringBuffer allocated, zmalloc of its length)
 */
#include "analyze/modval.h"
#include "analyze/model_int.h"

typedef struct bf_state {
    const model_profile *p;
    unsigned encver;
    unsigned field;            /* next field of the header or of the current link */
    bool in_links;
    uint64_t nfilters, link, items;
    uint64_t bytes, ram;
} bf_state;

enum { U = RDB_MOP_UINT, D = RDB_MOP_DOUBLE, S = RDB_MOP_STRING };
static const uint8_t link_v1[] = {U, D, U, D, U, U, S, U};
static const uint8_t link_v0[] = {U, D, U, D, S, U};

static void bf_begin(void *st, const mod_env *env) {
    *(bf_state *)st = (bf_state){.p = env->p, .encver = env->encver};
}

static unsigned header_fields(unsigned encver) { return 2 + (encver >= 2) + (encver >= 4); }

static int bf_op(void *vs, const rdb_module_op *op) {
    bf_state *s = vs;
    if (!s->in_links) {
        if (op->code != RDB_MOP_UINT) return MOD_BAD;
        if (s->field == 0) s->items = op->uint;
        if (s->field == 1) {
            if (op->uint == 0) return MOD_BAD;
            s->nfilters = op->uint;
        }
        if (++s->field == header_fields(s->encver)) s->in_links = true, s->field = 0;
        return MOD_OK;
    }
    const uint8_t *f = s->encver >= 1 ? link_v1 : link_v0;
    unsigned nf = s->encver >= 1 ? sizeof link_v1 : sizeof link_v0;
    if (s->link >= s->nfilters || op->code != f[s->field]) return MOD_BAD;
    if (op->code == RDB_MOP_STRING) {
        s->bytes += op->str_len;
        s->ram += je_size(s->p, op->str_len);
    }
    if (++s->field == nf) s->field = 0, s->link++;
    return MOD_OK;
}

static int bf_end(void *vs, mod_size *out) {
    bf_state *s = vs;
    if (!s->in_links || s->link != s->nfilters || s->field) return MOD_BAD;
    out->mem_usage = 32 + 64 * s->nfilters + s->bytes;
    out->ram = je_size(s->p, 32) + je_size(s->p, 64 * s->nfilters) + s->ram;
    out->elements = s->items;
    return MOD_OK;
}

const mod_decoder mod_bloom = {
    .type = "MBbloom--", .module = "bf", .basis = KEY_BASIS_MEASURED, .max_encver = 4,
    .state_size = sizeof(bf_state), .begin = bf_begin, .op = bf_op, .end = bf_end,
};
