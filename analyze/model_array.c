/* model_array.c: Redis 8.8 ARRAY values (RDB type 28), an ESTIMATE: no
 * 8.8 server ran here to measure one.
 *
 * The loader builds the array with arNew() and one arSet() per element in
 * file order, which is index order (redis src/sparsearray.c, 8.8; the tagged
 * values of src/sparsearray.h). The array tracks what it allocates in
 * ar->alloc_size (arAllocAndTrack: zmalloc usable sizes), which is what this
 * file replays:
 *  - the header: zmalloc_size(redisArray) = J(80)
 *    (count, insert_idx, dir_alloc, dir_highest_used, num_slices,
 *    alloc_size: 6 x 8; slice_size, sdir_len, sdir_cap, pad: 4 x 4; dir,
 *    superdir: 2 x 8);
 *  - slices of 4096 indexes (AR_SLICE_SIZE_DEFAULT): an arSlice header of
 *    32 bytes and a payload. A new slice is sparse with room for 4
 *    elements (offsets u16 + values 8, the values 8-aligned), grown 2x up to
 *    10 (AR_SPARSE_KMAX_DEFAULT); the 11th element promotes it to a dense
 *    window of 8 bytes a slot: next power of two >= the span, at least 8
 *    (AR_SLICE_MIN_ALLOC), doubled to the right as indexes grow, at most the
 *    whole slice (arSparsePromote, arSliceDenseGrowRight);
 *  - the directory: flat, a power of two of slice pointers >= the highest
 *    slice id + 1, while slice ids stay below 2048 (AR_SUPER_BLOCK_SLOTS);
 *    beyond, a superdir of 24-byte entries (capacity 4, doubling) and a
 *    2048-pointer block (16 KiB) per block of slices in use
 *    (arPromoteToSuperDir, arSuperDirEnsureSlot);
 *  - values: integers within 62 bits, doubles and strings of at most 7
 *    bytes live in the slot itself (tagged pointers); other values are an
 *    arString of a 2-byte (up to 32767 bytes) or 8-byte header + the bytes.
 * MEMORY USAGE: the robj + alloc_size (kvobjAllocSize uses ar->alloc_size:
 * "so that kvobjAllocSize() can return an O(1) answer"). Elements out of
 * index order are replayed as if each started its own run: an estimate of
 * an estimate, and no server writes them so. */
#include "analyze/model_int.h"

#define AR_SLICE 4096u
#define AR_KMAX 10u
#define AR_MIN_DENSE 8u
#define AR_BLOCK_SLOTS 2048u

static uint64_t sparse_bytes(uint32_t cap)
{
    uint64_t offs = 2ull * cap, pad = (8 - offs % 8) % 8;
    return 32 + offs + pad + 8ull * cap;
}

static uint64_t dense_bytes(uint32_t win) { return 32 + 8ull * win; }

static uint32_t pow2_at_least(uint32_t n)
{
    uint32_t w = 1;
    while (w < n) w <<= 1;
    return w;
}

/* The allocation the slice being filled holds now. */
static uint64_t slice_alloc(const model_profile *p, const array_state *a)
{
    return je_size(p, a->dense ? dense_bytes(a->cap) : sparse_bytes(a->cap));
}

static void dense_grow_right(array_state *a, uint32_t rel)
{
    uint32_t win = a->cap;
    while (rel >= a->win_off + win && win < AR_SLICE) win <<= 1;
    if (win >= AR_SLICE) {
        win = AR_SLICE;
        a->win_off = 0;
    } else if (a->win_off + win > AR_SLICE) {
        a->win_off = AR_SLICE - win;
    }
    a->cap = win;
}

static void slice_insert(array_state *a, uint32_t rel)
{
    if (!a->dense) {
        if (a->slice_count < AR_KMAX) {
            if (a->slice_count >= a->cap) a->cap = a->cap * 2 > AR_KMAX ? AR_KMAX : a->cap * 2;
        } else {
            /* promote: a window over the span of the elements so far */
            uint32_t win = pow2_at_least(a->slice_max - a->slice_min + 1);
            if (win < AR_MIN_DENSE) win = AR_MIN_DENSE;
            uint32_t off = a->slice_min;
            if (win >= AR_SLICE) {
                win = AR_SLICE;
                off = 0;
            } else if (off + win > AR_SLICE) {
                off = AR_SLICE - win;
            }
            a->dense = true;
            a->cap = win;
            a->win_off = off;
        }
    }
    if (a->dense && (rel >= a->win_off + a->cap || rel < a->win_off)) {
        if (rel < a->win_off) {   /* left growth (out of order input only) */
            uint32_t end = a->win_off + a->cap;
            uint32_t win = pow2_at_least(end - rel);
            if (win < AR_MIN_DENSE) win = AR_MIN_DENSE;
            if (win > AR_SLICE) win = AR_SLICE;
            a->cap = win;
            a->win_off = win == AR_SLICE || end < win ? 0 : end - win;
        } else {
            dense_grow_right(a, rel);
        }
    }
    if (a->slice_count == 0 || rel < a->slice_min) a->slice_min = rel;
    if (a->slice_count == 0 || rel > a->slice_max) a->slice_max = rel;
    a->slice_count++;
}

static uint64_t arstring_bytes(const model_profile *p, uint64_t len)
{
    return je_size(p, (len <= 32767 ? 2 : 8) + len);
}

void model_array_entry(model *m, const rdb_entry *e)
{
    const model_profile *p = m->p;
    array_state *a = &m->k.ar;
    uint64_t slice = e->index / AR_SLICE;
    uint32_t rel = (uint32_t)(e->index % AR_SLICE);
    if (!a->have_slice || slice != a->slice_id) {
        if (a->have_slice) a->alloc += slice_alloc(p, a);
        a->have_slice = true;
        a->slice_id = slice;
        a->slice_count = 0;
        a->dense = false;
        a->cap = 4;
        a->win_off = 0;
        uint64_t block = slice / AR_BLOCK_SLOTS;
        if (!a->have_block || block != a->last_block) a->blocks++;
        a->have_block = true;
        a->last_block = block;
        if (slice > a->max_slice) a->max_slice = slice;
    }
    slice_insert(a, rel);
    a->count++;
    /* the value: inline unless it needs an arString (arValueFromRdb*) */
    switch (e->array_tag) {
    case RDB_AR_INT:
        if (e->member.ival < -(1ll << 61) || e->member.ival > (1ll << 61) - 1)
            a->values_alloc += arstring_bytes(p, e->member.len);
        break;
    case RDB_AR_FLOAT:
        break;
    case RDB_AR_SMALLSTR:
        if (e->member.len > 7) a->values_alloc += arstring_bytes(p, e->member.len);
        break;
    default:
        a->values_alloc += arstring_bytes(p, e->member.len);
        break;
    }
}

void model_array_cost(const model *m, const key_state *ks, value_cost *out)
{
    const model_profile *p = m->p;
    const array_state *a = &ks->ar;
    uint64_t alloc = je_size(p, 80) + a->alloc + a->values_alloc;
    if (a->have_slice) alloc += slice_alloc(p, a);
    if (a->count) {
        if (a->max_slice < AR_BLOCK_SLOTS) {
            uint64_t dir = 1;
            while (dir <= a->max_slice) dir <<= 1;
            alloc += je_size(p, 8 * dir);
        } else {
            uint64_t cap = 4;
            while (cap < a->blocks) cap *= 2;
            alloc += je_size(p, 24 * cap) + a->blocks * je_size(p, 8 * AR_BLOCK_SLOTS);
        }
    }
    out->encoding = "sliced-array";   /* OBJ_ENCODING_SLICED_ARRAY (t_array.c); its name is a guess */
    out->mu = p->robj + alloc;
    out->ram = je_size(p, p->robj) + alloc;
}
