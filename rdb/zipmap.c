/* zipmap.c: validating iterator over a zipmap blob (hashes of Redis <= 2.4).
 *
 * Layout:
 *
 *   <count:u8> <len> <field> <len> <free:u8> <value> <free bytes> ... <0xFF>
 *
 *   count   number of pairs; 254 or more means "unknown, walk to count"
 *   len     xxxxxxxx (< 0xFE)      1 byte, the length itself
 *           0xFE <u32 LE>          5 bytes (the server reads any first byte
 *                                  >= 0xFE this way in the value position)
 *   free    unused bytes left after the value by an in-place update; they
 *           are skipped
 *   0xFF    end marker, where a field length would start; must be the last
 *           byte of the blob
 *
 * Bounds: the blob must end with 0xFF, so every pair must end at or before
 * len-1 (the marker's offset). Each length prefix is checked to exist before
 * it is read, and field, value and free runs are added in 64 bits before
 * being compared with that limit. As the server's loader does, an empty
 * zipmap is refused and a count below 254 must match the pairs found.
 */
#include <string.h>

#include "rdb/zipmap.h"
#include "rdb/bytes.h"

#define ZM_END 0xFFu
#define ZM_BIGLEN 0xFEu

int zm_iter_init(zm_iter *it, const uint8_t *blob, size_t len, const char **err)
{
    memset(it, 0, sizeof *it);
    it->blob = blob;
    it->len = len;
    if (blob == NULL || len < 2) {
        *err = "zipmap shorter than its 2-byte minimum";
        return -1;
    }
    if (blob[len - 1] != ZM_END) {
        it->pos = len - 1;
        *err = "zipmap does not end with 0xFF";
        return -1;
    }
    it->declared = blob[0];
    it->pos = 1;
    return 0;
}

/* Reads a length at *q, which must stay within [.., limit). Advances *q. */
static int zm_read_len(const uint8_t *blob, size_t limit, uint64_t *q,
                       uint64_t *out, const char **err)
{
    if (*q >= limit) {
        *err = "zipmap entry runs past the blob end";
        return -1;
    }
    if (blob[*q] < ZM_BIGLEN) {
        *out = blob[*q];
        *q += 1;
        return 0;
    }
    if (*q + 5 > limit) {
        *err = "zipmap entry runs past the blob end";
        return -1;
    }
    *out = rdb_u32le(blob + *q + 1);
    *q += 5;
    return 0;
}

static int zm_at_end(zm_iter *it, const char **err)
{
    if (it->pos != it->len - 1) {
        *err = "zipmap end marker before the blob end";
        return -1;
    }
    if (it->seen == 0) {
        *err = "zipmap is empty";
        return -1;
    }
    if (it->declared < ZM_BIGLEN && it->seen != it->declared) {
        *err = "zipmap entry count does not match the header";
        return -1;
    }
    return 0;
}

int zm_iter_next(zm_iter *it, rdb_item *field, rdb_item *value, const char **err)
{
    const size_t limit = it->len - 1;   /* offset of the end marker */
    uint64_t q = it->pos, flen, vlen, fpos, vpos, freeb;

    if (it->pos < 1 || it->pos >= it->len) {
        *err = "zipmap iterator position out of range";
        return -1;
    }
    if (it->blob[it->pos] == ZM_END)
        return zm_at_end(it, err) < 0 ? -1 : 0;

    if (zm_read_len(it->blob, limit, &q, &flen, err) < 0)
        return -1;
    fpos = q;
    q += flen;
    if (zm_read_len(it->blob, limit, &q, &vlen, err) < 0)
        return -1;
    if (q >= limit) {
        *err = "zipmap entry runs past the blob end";
        return -1;
    }
    freeb = it->blob[q];
    q += 1;
    vpos = q;
    q += vlen + freeb;
    if (q > limit) {
        *err = "zipmap entry runs past the blob end";
        return -1;
    }

    memset(field, 0, sizeof *field);
    memset(value, 0, sizeof *value);
    field->ptr = it->blob + fpos;
    field->len = (size_t)flen;
    value->ptr = it->blob + vpos;
    value->len = (size_t)vlen;
    it->pos = (size_t)q;
    it->seen++;
    return 1;
}
