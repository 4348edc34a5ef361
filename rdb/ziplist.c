/* ziplist.c: validating iterator over a ziplist blob.
 *
 * Layout (header fields little-endian):
 *
 *   <zlbytes:u32> <zltail:u32> <zllen:u16> <entry> ... <entry> <0xFF>
 *   |<------------ 10-byte header ---------->|
 *
 *   zlbytes  size of the whole blob
 *   zltail   offset of the last entry (10, the header end, when empty)
 *   zllen    entry count; 65535 means "too many, count by walking"
 *
 *   entry = <prevlen> <encoding> [<data>]
 *
 *   prevlen: size of the previous entry (0 for the first one)
 *     xxxxxxxx (< 0xFE)            1 byte
 *     0xFE <u32 LE>                5 bytes (the server may keep this form
 *                                  for sizes below 254 too, so any value is
 *                                  accepted here)
 *
 *   encoding (string lengths are BIG-endian):
 *     00pppppp                     string, len 0..63             1 + len
 *     01pppppp qqqqqqqq            string, 14-bit len            2 + len
 *     10______ <u32 BE>            string, 32-bit len            5 + len
 *     11000000  0xC0               int16 LE                      1 + 2
 *     11010000  0xD0               int32 LE                      1 + 4
 *     11100000  0xE0               int64 LE                      1 + 8
 *     11110000  0xF0               int24 LE                      1 + 3
 *     11111110  0xFE               int8                          1 + 1
 *     1111xxxx  0xF1..0xFD         immediate xxxx-1 (0..12)      1
 *     11111111  0xFF               end (only where an entry would start)
 *   (the server ignores the low six bits of 10______, and so do we)
 *
 * Bounds: zlbytes must equal the blob length and the last byte must be 0xFF,
 * so no entry may reach past len-1. Each entry's prevlen, then its encoding
 * bytes, are checked to exist before they are read, and its total size is
 * summed in 64 bits before it is compared with what is left. prevlen must
 * equal the previous entry's size (which is how a reader walking backwards
 * would find it), zltail must name the last entry, and zllen must match the
 * walked count unless it is 65535.
 */
#include <string.h>

#include "rdb/ziplist.h"
#include "rdb/bytes.h"
#include "rdb/numtext.h"

#define ZL_HEADER_SIZE 10u
#define ZL_END 0xFFu
#define ZL_BIG_PREVLEN 0xFEu
#define ZL_COUNT_UNKNOWN 65535u

static int zl_init(zl_iter *it, const uint8_t *blob, size_t have, size_t len, const char **err)
{
    uint32_t tail;

    memset(it, 0, sizeof *it);
    it->blob = blob;
    it->len = len;
    it->have = have;
    if (blob == NULL || len < ZL_HEADER_SIZE + 1 || have < ZL_HEADER_SIZE) {
        *err = "ziplist shorter than its 11-byte minimum";
        return -1;
    }
    if ((uint64_t)rdb_u32le(blob) != (uint64_t)len) {
        *err = "ziplist zlbytes does not match the blob length";
        return -1;
    }
    if (have == len && blob[len - 1] != ZL_END) {
        it->pos = len - 1;
        *err = "ziplist does not end with 0xFF";
        return -1;
    }
    tail = rdb_u32le(blob + 4);
    if (tail < ZL_HEADER_SIZE || (uint64_t)tail > (uint64_t)len - 1) {
        it->pos = 4;
        *err = "ziplist zltail points outside the entries";
        return -1;
    }
    it->tail = tail;
    it->declared = rdb_u16le(blob + 8);
    it->pos = ZL_HEADER_SIZE;
    return 0;
}

int zl_iter_init(zl_iter *it, const uint8_t *blob, size_t len, const char **err)
{
    return zl_init(it, blob, len, len, err);
}

int zl_iter_init_pieces(zl_iter *it, const uint8_t *head, size_t have, size_t len,
                        const char **err)
{
    return zl_init(it, head, have < len ? have : len, len, err);
}

void zl_iter_window(zl_iter *it, const uint8_t *win, size_t base, size_t have)
{
    it->blob = win;
    it->base = base;
    it->have = have;
}

/* Asks for the blob up to 'end' (ZL_ITER_MORE). */
static int zl_more(zl_iter *it, size_t end)
{
    it->need = end;
    return ZL_ITER_MORE;
}

/* Checks at the terminator: nothing after it, zltail, zllen. */
static int zl_at_end(zl_iter *it, const char **err)
{
    size_t last = it->seen ? it->pos - it->prev_size : ZL_HEADER_SIZE;

    if (it->pos != it->len - 1) {
        *err = "ziplist end marker before the blob end";
        return -1;
    }
    if ((uint64_t)it->tail != (uint64_t)last) {
        *err = "ziplist zltail does not point at the last entry";
        return -1;
    }
    if (it->declared != ZL_COUNT_UNKNOWN && it->seen != it->declared) {
        *err = "ziplist entry count does not match zllen";
        return -1;
    }
    return 0;
}

/* Decodes the encoding at p (avail bytes before the terminator): header
 * size, data size, and for integers the value (immediates) or width. */
typedef struct zl_enc {
    uint32_t hdr;
    uint64_t data;
    bool is_int;
    unsigned int_bytes;   /* 0 for immediates */
    int64_t imm;
} zl_enc;

static int zl_decode_enc(const uint8_t *p, size_t avail, zl_enc *e, const char **err)
{
    uint8_t b = p[0];

    memset(e, 0, sizeof *e);
    switch (b >> 6) {
    case 0:
        e->hdr = 1;
        e->data = b & 0x3F;
        return 0;
    case 1:
        e->hdr = 2;
        break;
    case 2:
        e->hdr = 5;
        break;
    default:
        e->hdr = 1;
        e->is_int = true;
        switch (b) {
        case 0xC0: e->int_bytes = 2; break;
        case 0xD0: e->int_bytes = 4; break;
        case 0xE0: e->int_bytes = 8; break;
        case 0xF0: e->int_bytes = 3; break;
        case 0xFE: e->int_bytes = 1; break;
        default:
            if (b >= 0xF1 && b <= 0xFD) {
                e->imm = (int64_t)(b & 0x0F) - 1;
                return 0;
            }
            *err = "ziplist entry has an invalid encoding byte";
            return -1;
        }
        e->data = e->int_bytes;
        return 0;
    }
    if (e->hdr > avail) {
        *err = "ziplist entry runs past the blob end";
        return -1;
    }
    if (e->hdr == 2)
        e->data = ((uint64_t)(b & 0x3F) << 8) | p[1];
    else
        e->data = rdb_u32be(p + 1);
    return 0;
}

/* One entry; 'win' (a constant in each caller) says whether the blob is
 * walked in pieces, so that a whole blob pays for none of the window's
 * checks. */
static inline int zl_next(zl_iter *it, rdb_item *out, const char **err, const bool win)
{
    const uint8_t *p;
    size_t avail, plsize;
    uint64_t prevlen, total;
    zl_enc e;

    if (it->pos < ZL_HEADER_SIZE || it->pos >= it->len || (win && it->pos < it->base)) {
        *err = "ziplist iterator position out of range";
        return -1;
    }
    if (win && it->pos >= it->have)
        return zl_more(it, it->pos + 1);
    p = it->blob + (win ? it->pos - it->base : it->pos);
    if (*p == ZL_END)
        return zl_at_end(it, err) < 0 ? -1 : 0;

    avail = it->len - 1 - it->pos;   /* bytes before the terminator */
    if (win && avail == 0) {         /* a whole blob's init checked the terminator */
        *err = "ziplist does not end with 0xFF";
        return -1;
    }
    /* prevlen and encoding (at most 5 + 5 bytes) must be at hand before
     * they are read */
    if (win && it->have - it->pos < (avail < 10 ? avail : 10))
        return zl_more(it, it->pos + (avail < 10 ? avail : 10));
    if (*p < ZL_BIG_PREVLEN) {
        plsize = 1;
        prevlen = *p;
    } else {
        plsize = 5;
        if (plsize >= avail) {       /* the encoding byte must follow */
            *err = "ziplist entry runs past the blob end";
            return -1;
        }
        prevlen = rdb_u32le(p + 1);
    }
    if (prevlen != (uint64_t)it->prev_size) {
        *err = "ziplist prevlen does not match previous entry size";
        return -1;
    }
    if (plsize >= avail) {
        *err = "ziplist entry runs past the blob end";
        return -1;
    }
    if (zl_decode_enc(p + plsize, avail - plsize, &e, err) < 0)
        return -1;
    total = (uint64_t)plsize + e.hdr + e.data;
    if (total > avail) {
        *err = "ziplist entry runs past the blob end";
        return -1;
    }
    if (win && total > it->have - it->pos)
        return zl_more(it, it->pos + (size_t)total);

    memset(out, 0, sizeof *out);
    if (e.is_int) {
        int64_t v = e.int_bytes ? rdb_int_le(p + plsize + 1, e.int_bytes) : e.imm;
        out->is_int = true;
        out->ival = v;
        out->len = rdb_int_text_len(v);
    } else {
        out->ptr = p + plsize + e.hdr;
        out->len = (size_t)e.data;
    }
    it->prev_size = (size_t)total;
    it->pos += (size_t)total;
    it->seen++;
    return 1;
}

int zl_iter_next(zl_iter *it, rdb_item *out, const char **err)
{
    return zl_next(it, out, err, false);
}

int zl_iter_next_pieces(zl_iter *it, rdb_item *out, const char **err)
{
    return zl_next(it, out, err, true);
}
