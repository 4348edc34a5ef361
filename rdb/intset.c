/* intset.c: validating iterator over an intset blob.
 *
 * Layout (all fields little-endian):
 *
 *   <encoding:u32> <length:u32> <member 0> <member 1> ... <member length-1>
 *   |<------- 8-byte header ------->|
 *
 *   encoding  bytes per member: 2 (int16), 4 (int32) or 8 (int64)
 *   members   signed, encoding bytes each, strictly ascending (a set)
 *
 * Bounds: the blob must be exactly 8 + length * encoding bytes (computed in
 * 64 bits, so a hostile length cannot wrap), which makes every member read
 * in range without further checks. Like the server's loader we also refuse
 * an empty intset: a set with no members is never written.
 */
#include <string.h>

#include "rdb/intset.h"
#include "rdb/bytes.h"

#define INTSET_HEADER_SIZE 8u

static int intset_init(intset_iter *it, const uint8_t *blob, size_t have, size_t len,
                       const char **err)
{
    uint32_t width, count;

    memset(it, 0, sizeof *it);
    it->blob = blob;
    it->len = len;
    it->have = have;
    if (blob == NULL || len < INTSET_HEADER_SIZE || have < INTSET_HEADER_SIZE) {
        *err = "intset shorter than its 8-byte header";
        return -1;
    }
    width = rdb_u32le(blob);
    if (width != 2 && width != 4 && width != 8) {
        *err = "intset width is not 2, 4 or 8";
        return -1;
    }
    count = rdb_u32le(blob + 4);
    if ((uint64_t)INTSET_HEADER_SIZE + (uint64_t)count * width != (uint64_t)len) {
        *err = "intset length does not match its member count";
        return -1;
    }
    if (count == 0) {
        *err = "intset is empty";
        return -1;
    }
    it->width = width;
    it->count = count;
    return 0;
}

int intset_iter_init(intset_iter *it, const uint8_t *blob, size_t len, const char **err)
{
    return intset_init(it, blob, len, len, err);
}

int intset_iter_init_pieces(intset_iter *it, const uint8_t *head, size_t have, size_t len,
                            const char **err)
{
    return intset_init(it, head, have < len ? have : len, len, err);
}

void intset_iter_window(intset_iter *it, const uint8_t *win, size_t base, size_t have)
{
    it->blob = win;
    it->base = base;
    it->have = have;
}

int intset_iter_next(intset_iter *it, int64_t *v, size_t *offset, const char **err)
{
    size_t off;
    int64_t x;

    if (it->index >= it->count)
        return 0;
    off = INTSET_HEADER_SIZE + (size_t)it->index * it->width;
    if (offset)
        *offset = off;
    if (off + it->width > it->len || off < it->base) {  /* only if the iterator was tampered with */
        *err = "intset member runs past the blob end";
        return -1;
    }
    if (off + it->width > it->have) {
        it->need = off + it->width;
        return INTSET_ITER_MORE;
    }
    x = rdb_int_le(it->blob + (off - it->base), it->width);
    if (it->index > 0 && x <= it->prev) {
        *err = "intset members not ascending";
        return -1;
    }
    it->prev = x;
    it->index++;
    *v = x;
    return 1;
}
