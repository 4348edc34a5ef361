/* listpack.c: validating iterator over a listpack blob. (The size a server
 * gives an entry is the memory model's: analyze/alloc.c lp_entry_item.)
 *
 * Layout (all multi-byte header fields little-endian):
 *
 *   <total-bytes:u32> <num-elements:u16> <entry> ... <entry> <0xFF>
 *   |<-------- 6-byte header -------->|
 *
 *   entry = <encoding-type+len> [<data>] <backlen>
 *
 *   0xxxxxxx                       7-bit unsigned int               1 byte
 *   10llllll <data>                string, len 0..63                1+len
 *   110vvvvv vvvvvvvv              13-bit signed int                2
 *   1110llll llllllll <data>       string, len 0..4095 (hi first)   2+len
 *   11110000 <len:u32 LE> <data>   string, 32-bit len               5+len
 *   11110001 <v:i16 LE>            int16                            3
 *   11110010 <v:i24 LE>            int24                            4
 *   11110011 <v:i32 LE>            int32                            5
 *   11110100 <v:i64 LE>            int64                            9
 *   11110101 .. 11111110           invalid
 *   11111111                       end of listpack
 *
 *   backlen: the size of <encoding+data> written in 1..5 bytes, 7 bits a
 *   byte, most significant group first; every byte but the first has bit 7
 *   set, so a reader walking backwards knows where it stops:
 *
 *     size <= 127          [s]
 *     size <  16383        [s>>7] [s&127|128]
 *     size <  2097151      [s>>14] [s>>7&127|128] [s&127|128]
 *     size <  268435455    4 bytes, likewise
 *     otherwise            5 bytes
 *
 *   (The thresholds are those of the server's lpEncodeBacklen, not the
 *   mathematically tight ones: 16383 takes three bytes.)
 *
 * Bounds: the header's total must equal the blob length and the last byte
 * must be 0xFF, so every entry (including its backlen) has to end at or
 * before len-1. Each entry's header bytes are checked to exist before they
 * are read, and its full size is computed in 64 bits before it is compared
 * with the bytes left, so a hostile 32-bit string length cannot wrap. The
 * backlen must be byte-for-byte what the server's encoder writes for the
 * entry's size. The element count is checked at the terminator unless the
 * header says 65535 (unknown).
 */
#include <string.h>

#include "rdb/listpack.h"
#include "rdb/bytes.h"
#include "rdb/numtext.h"

#define LP_EOF 0xFFu
#define LP_COUNT_UNKNOWN 65535u
#define LP_MAX_BACKLEN 5u

/* Bytes of the backlen for an <encoding+data> of l > 127 bytes (lp_next
 * checks the one-byte backlens of smaller entries itself). */
static size_t backlen_size(uint64_t l)
{
    if (l < 16383)
        return 2;
    if (l < 2097151)
        return 3;
    if (l < 268435455)
        return 4;
    return 5;
}

/* Writes the backlen bytes for size l (> 127) into buf; returns how many. */
static size_t backlen_encode(uint64_t l, uint8_t buf[LP_MAX_BACKLEN])
{
    size_t n = backlen_size(l);
    for (size_t i = 0; i < n; i++) {
        unsigned shift = (unsigned)(7 * (n - 1 - i));
        uint8_t b = (uint8_t)((l >> shift) & 127);
        buf[i] = i == 0 ? (uint8_t)((l >> shift) & 0xFF) : (uint8_t)(b | 128);
    }
    return n;
}

static int lp_init(lp_iter *it, const uint8_t *blob, size_t have, size_t len, const char **err)
{
    memset(it, 0, sizeof *it);
    it->blob = blob;
    it->len = len;
    it->have = have;
    if (blob == NULL || len < LP_HEADER_SIZE + 1 || have < LP_HEADER_SIZE) {
        *err = "listpack shorter than its 7-byte minimum";
        return -1;
    }
    if ((uint64_t)rdb_u32le(blob) != (uint64_t)len) {
        *err = "listpack total bytes does not match the blob length";
        return -1;
    }
    if (have == len && blob[len - 1] != LP_EOF) {
        it->pos = len - 1;
        *err = "listpack does not end with 0xFF";
        return -1;
    }
    it->declared = rdb_u16le(blob + 4);
    it->pos = LP_HEADER_SIZE;
    return 0;
}

int lp_iter_init(lp_iter *it, const uint8_t *blob, size_t len, const char **err)
{
    return lp_init(it, blob, len, len, err);
}

int lp_iter_init_pieces(lp_iter *it, const uint8_t *head, size_t have, size_t len,
                        const char **err)
{
    return lp_init(it, head, have < len ? have : len, len, err);
}

void lp_iter_window(lp_iter *it, const uint8_t *win, size_t base, size_t have)
{
    it->blob = win;
    it->base = base;
    it->have = have;
}

/* Asks for the blob up to 'end' (LP_ITER_MORE). */
static int lp_more(lp_iter *it, size_t end)
{
    it->need = end;
    return LP_ITER_MORE;
}

/* What the first byte(s) of an entry say. */
typedef struct lp_enc {
    uint32_t hdr;     /* encoding bytes */
    uint64_t data;    /* data bytes after them */
    bool is_int;
    int64_t ival;     /* for ints stored inside the encoding bytes */
    unsigned int_bytes; /* for ints stored in the data: 2, 3, 4 or 8 */
} lp_enc;

/* Decodes the encoding at p, with 'avail' bytes before the terminator.
 * Returns 0, or -1 with *err set. */
static int lp_decode_enc(const uint8_t *p, size_t avail, lp_enc *e, const char **err)
{
    uint8_t b = p[0];
    memset(e, 0, sizeof *e);
    if ((b & 0x80) == 0) {                 /* 7-bit uint */
        e->hdr = 1;
        e->is_int = true;
        e->ival = b & 0x7F;
    } else if ((b & 0xC0) == 0x80) {       /* 6-bit string */
        e->hdr = 1;
        e->data = b & 0x3F;
    } else if ((b & 0xE0) == 0xC0) {       /* 13-bit int */
        e->hdr = 2;
        e->is_int = true;
    } else if ((b & 0xF0) == 0xE0) {       /* 12-bit string */
        e->hdr = 2;
    } else if (b == 0xF0) {                /* 32-bit string */
        e->hdr = 5;
    } else if (b >= 0xF1 && b <= 0xF4) {   /* int16/24/32/64 */
        static const unsigned widths[4] = { 2, 3, 4, 8 };
        e->hdr = 1;
        e->is_int = true;
        e->int_bytes = widths[b - 0xF1];
        e->data = e->int_bytes;
    } else {
        *err = "listpack entry has an invalid encoding byte";
        return -1;
    }
    if (e->hdr > avail) {
        *err = "listpack entry runs past the blob end";
        return -1;
    }
    if ((b & 0xE0) == 0xC0)
        e->ival = rdb_sign_extend(((uint64_t)(b & 0x1F) << 8) | p[1], 13);
    else if ((b & 0xF0) == 0xE0)
        e->data = ((uint64_t)(b & 0x0F) << 8) | p[1];
    else if (b == 0xF0)
        e->data = rdb_u32le(p + 1);
    return 0;
}

/* One entry; 'win' (a constant in each caller) says whether the blob is
 * walked in pieces, so that a whole blob, the common case, pays for none
 * of the window's checks. */
static inline int lp_next(lp_iter *it, rdb_item *out, const char **err, const bool win)
{
    const uint8_t *p;
    size_t avail;
    uint64_t enc_size, total;
    uint8_t expect[LP_MAX_BACKLEN];
    size_t blen;
    lp_enc e;

    if (it->pos < LP_HEADER_SIZE || it->pos >= it->len || (win && it->pos < it->base)) {
        *err = "listpack iterator position out of range";
        return -1;
    }
    if (win && it->pos >= it->have)
        return lp_more(it, it->pos + 1);
    p = it->blob + (win ? it->pos - it->base : it->pos);
    if (*p == LP_EOF) {
        if (it->pos != it->len - 1) {
            *err = "listpack end marker before the blob end";
            return -1;
        }
        if (it->declared != LP_COUNT_UNKNOWN && it->seen != it->declared) {
            *err = "listpack element count does not match the header";
            return -1;
        }
        return 0;
    }
    avail = it->len - 1 - it->pos;   /* bytes before the terminator */
    if (win && avail == 0) {         /* a whole blob's init checked the terminator */
        *err = "listpack does not end with 0xFF";
        return -1;
    }
    /* the encoding bytes (at most 5) must be at hand before they are read */
    if (win && it->have - it->pos < (avail < 5 ? avail : 5))
        return lp_more(it, it->pos + (avail < 5 ? avail : 5));
    if (lp_decode_enc(p, avail, &e, err) < 0)
        return -1;
    enc_size = (uint64_t)e.hdr + e.data;
    if (enc_size <= 127) {
        /* The common case: a one-byte backlen equal to the size. */
        total = enc_size + 1;
        if (total > avail) {
            *err = "listpack entry runs past the blob end";
            return -1;
        }
        if (win && total > it->have - it->pos)
            return lp_more(it, it->pos + (size_t)total);
        if (p[enc_size] != enc_size) {
            *err = "listpack backlen does not match entry size";
            return -1;
        }
    } else {
        blen = backlen_encode(enc_size, expect);
        total = enc_size + blen;
        if (total > avail) {
            *err = "listpack entry runs past the blob end";
            return -1;
        }
        if (win && total > it->have - it->pos)
            return lp_more(it, it->pos + (size_t)total);
        if (memcmp(p + enc_size, expect, blen) != 0) {
            *err = "listpack backlen does not match entry size";
            return -1;
        }
    }
    memset(out, 0, sizeof *out);
    if (e.is_int) {
        int64_t v = e.ival;
        if (e.int_bytes)
            v = rdb_sign_extend(rdb_uint_le(p + 1, e.int_bytes), 8 * e.int_bytes);
        out->is_int = true;
        out->ival = v;
        out->len = rdb_int_text_len(v);
    } else {
        out->ptr = p + e.hdr;
        out->len = (size_t)e.data;
    }
    it->pos += (size_t)total;
    it->seen++;
    return 1;
}

int lp_iter_next(lp_iter *it, rdb_item *out, const char **err)
{
    return lp_next(it, out, err, false);
}

int lp_iter_next_pieces(lp_iter *it, rdb_item *out, const char **err)
{
    return lp_next(it, out, err, true);
}
