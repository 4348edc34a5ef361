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

static int zm_init(zm_iter *it, const uint8_t *blob, size_t have, size_t len, const char **err)
{
    memset(it, 0, sizeof *it);
    it->blob = blob;
    it->len = len;
    it->have = have;
    if (blob == NULL || len < 2 || have < 1) {
        *err = "zipmap shorter than its 2-byte minimum";
        return -1;
    }
    if (have == len && blob[len - 1] != ZM_END) {
        it->pos = len - 1;
        *err = "zipmap does not end with 0xFF";
        return -1;
    }
    it->declared = blob[0];
    it->pos = 1;
    return 0;
}

int zm_iter_init(zm_iter *it, const uint8_t *blob, size_t len, const char **err)
{
    return zm_init(it, blob, len, len, err);
}

int zm_iter_init_pieces(zm_iter *it, const uint8_t *head, size_t have, size_t len,
                        const char **err)
{
    return zm_init(it, head, have < len ? have : len, len, err);
}

void zm_iter_window(zm_iter *it, const uint8_t *win, size_t base, size_t have)
{
    it->blob = win;
    it->base = base;
    it->have = have;
}

/* Asks for the blob up to 'end' (ZM_ITER_MORE). */
static int zm_more(zm_iter *it, uint64_t end)
{
    it->need = (size_t)end;
    return ZM_ITER_MORE;
}

/* Reads a length at *q, which must stay within [.., limit). Advances *q.
 * ZM_ITER_MORE when its bytes are not at hand. */
static int zm_read_len(zm_iter *it, size_t limit, uint64_t *q, uint64_t *out, const char **err)
{
    if (*q >= limit) {
        *err = "zipmap entry runs past the blob end";
        return -1;
    }
    if (*q >= it->have)
        return zm_more(it, *q + 5 < limit ? *q + 5 : limit);
    const uint8_t *b = it->blob + (*q - it->base);
    if (b[0] < ZM_BIGLEN) {
        *out = b[0];
        *q += 1;
        return 0;
    }
    if (*q + 5 > limit) {
        *err = "zipmap entry runs past the blob end";
        return -1;
    }
    if (*q + 5 > it->have)
        return zm_more(it, *q + 5);
    *out = rdb_u32le(b + 1);
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

    int rc;

    if (it->pos < 1 || it->pos >= it->len || it->pos < it->base) {
        *err = "zipmap iterator position out of range";
        return -1;
    }
    if (it->pos >= it->have)
        return zm_more(it, it->pos + 1);
    if (it->blob[it->pos - it->base] == ZM_END)
        return zm_at_end(it, err) < 0 ? -1 : 0;
    if (it->pos == limit) {   /* only when walked in pieces */
        *err = "zipmap does not end with 0xFF";
        return -1;
    }

    if ((rc = zm_read_len(it, limit, &q, &flen, err)) != 0)
        return rc;
    fpos = q;
    q += flen;
    if ((rc = zm_read_len(it, limit, &q, &vlen, err)) != 0)
        return rc;
    if (q >= limit) {
        *err = "zipmap entry runs past the blob end";
        return -1;
    }
    if (q >= it->have)
        return zm_more(it, q + 1);
    freeb = it->blob[q - it->base];
    q += 1;
    vpos = q;
    q += vlen + freeb;
    if (q > limit) {
        *err = "zipmap entry runs past the blob end";
        return -1;
    }
    if (vpos + vlen > it->have)
        return zm_more(it, vpos + vlen);

    memset(field, 0, sizeof *field);
    memset(value, 0, sizeof *value);
    field->ptr = it->blob + (fpos - it->base);
    field->len = (size_t)flen;
    value->ptr = it->blob + (vpos - it->base);
    value->len = (size_t)vlen;
    it->pos = (size_t)q;
    it->seen++;
    return 1;
}
