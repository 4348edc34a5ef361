/* decode.c: errors and the RDB primitives: lengths, strings (integer and LZF
 * encoded), doubles and fixed-width integers. See rdb-format.md §4-§6.
 *
 * Length encoding (first byte, top two bits):
 *   00xxxxxx                 6-bit length
 *   01xxxxxx yyyyyyyy        14-bit length, big-endian
 *   10000000 + 4 bytes       32-bit length, big-endian
 *   10000001 + 8 bytes       64-bit length, big-endian (RDB 8+)
 *   11xxxxxx                 special string encoding xxxxxx:
 *                            0 int8, 1 int16, 2 int32 (little-endian), 3 LZF
 */
#include "rdb/internal.h"

#include <lzf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdb/bytes.h"
#include "rdb/numtext.h"

/* LZF cannot expand more than ~88x (a 3-byte back-reference yields at most
 * 264 bytes), so a header claiming more is corrupt, whatever the file size. */
#define LZF_MAX_RATIO 90

static void append_printable(char *dst, size_t cap, const uint8_t *s, size_t n) {
    size_t used = strlen(dst);
    for (size_t i = 0; i < n && used + 5 < cap; i++) {
        uint8_t c = s[i];
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
            dst[used++] = (char)c;
        } else {
            snprintf(dst + used, cap - used, "\\x%02x", c);
            used += 4;
        }
    }
    if (used + 4 < cap && n > 0 && used + 5 >= cap) {
        memcpy(dst + used, "...", 3);
        used += 3;
    }
    dst[used] = '\0';
}

rdb_status perr(parser *p, rdb_status code, uint64_t offset, const char *fmt, ...) {
    rdb_error *e = &p->res->error;
    if (e->code != RDB_OK) return e->code;  /* keep the first, innermost error */
    e->code = code;
    e->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    if (p->in_key && n >= 0 && (size_t)n < sizeof e->message - 40) {
        size_t used = strlen(e->message);
        snprintf(e->message + used, sizeof e->message - used, " (key '");
        char name[96] = "";
        size_t shown = p->key.name_len < 60 ? p->key.name_len : 60;
        append_printable(name, sizeof name, p->key.name, shown);
        used = strlen(e->message);
        snprintf(e->message + used, sizeof e->message - used, "%s%s', db %llu, type %u %s)", name,
                 shown < p->key.name_len ? "..." : "", (unsigned long long)p->db,
                 p->key.rdb_type, rdb_type_name(p->hdr.flavor, p->key.rdb_type));
    }
    return code;
}

rdb_status perr_rd(parser *p, rd_status s, const char *what) {
    uint64_t at = rd_offset(&p->rd);
    const rdb_src_error *se = &p->rd.src->err;
    switch (s) {
    case RD_OK: return RDB_OK;
    case RD_EOF:
        return perr(p, RDB_ERR_TRUNCATED, rd_produced(&p->rd),
                    "file ends while reading %s (started at offset %llu)", what,
                    (unsigned long long)at);
    case RD_NOMEM: return perr(p, RDB_ERR_NOMEM, at, "out of memory reading %s", what);
    case RD_TRUNC:
    case RD_IOERR:
    default:
        if (!se->has_in_offset)
            return perr(p, RDB_ERR_IO, at, "%s while reading %s", se->message, what);
        /* A decompressor failed: the RDB offset is how far it had got. */
        return perr(p, s == RD_TRUNC ? RDB_ERR_TRUNCATED : RDB_ERR_COMPRESSION, rd_produced(&p->rd),
                    "%s at compressed offset %llu (RDB offset %llu) while reading %s", se->message,
                    (unsigned long long)se->in_offset, (unsigned long long)rd_produced(&p->rd), what);
    }
}

rdb_status pcb(parser *p, int rc) {
    if (rc == RDB_SKIP) {
        p->skip = true;
        return RDB_OK;
    }
    if (rc == RDB_NO_CONTENT) {
        p->no_content = true;
        return RDB_OK;
    }
    if (rc < 0) return perr(p, RDB_ERR_ABORTED, rd_offset(&p->rd), "stopped by the consumer");
    return RDB_OK;
}

rdb_status rdb_read_raw(parser *p, size_t n, const uint8_t **out, const char *what) {
    rd_status s = rd_take(&p->rd, n, out);
    return s == RD_OK ? RDB_OK : perr_rd(p, s, what);
}

rdb_status rdb_read_u8(parser *p, uint8_t *v, const char *what) {
    const uint8_t *b = NULL;
    rdb_status st = rdb_read_raw(p, 1, &b, what);
    if (st == RDB_OK) *v = b[0];
    return st;
}

rdb_status rdb_read_len(parser *p, uint64_t *len, bool *encoded, const char *what) {
    uint64_t at = rd_offset(&p->rd);
    const uint8_t *b = NULL;
    rdb_status st = rdb_read_raw(p, 1, &b, what);
    if (st) return st;
    uint8_t first = b[0];
    *encoded = false;
    switch (first >> 6) {
    case 0: *len = first & 0x3f; return RDB_OK;
    case 1:
        if ((st = rdb_read_raw(p, 1, &b, what))) return st;
        *len = ((uint64_t)(first & 0x3f) << 8) | b[0];
        return RDB_OK;
    case 3: *encoded = true; *len = first & 0x3f; return RDB_OK;
    default: break;
    }
    if (first == 0x80) {
        if ((st = rdb_read_raw(p, 4, &b, what))) return st;
        *len = (uint64_t)b[0] << 24 | (uint64_t)b[1] << 16 | (uint64_t)b[2] << 8 | b[3];
        return RDB_OK;
    }
    if (first == 0x81) {
        if ((st = rdb_read_raw(p, 8, &b, what))) return st;
        uint64_t v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | b[i];
        *len = v;
        return RDB_OK;
    }
    return perr(p, RDB_ERR_FORMAT, at, "invalid length prefix 0x%02x in %s", first, what);
}

rdb_status rdb_read_plain_len(parser *p, uint64_t *len, const char *what) {
    uint64_t at = rd_offset(&p->rd);
    bool enc;
    rdb_status st = rdb_read_len(p, len, &enc, what);
    if (st) return st;
    if (enc) return perr(p, RDB_ERR_FORMAT, at, "%s: expected a length, found string encoding %llu",
                         what, (unsigned long long)*len);
    return RDB_OK;
}

rdb_status rdb_check_len(parser *p, uint64_t len, uint64_t at, const char *what) {
    if (len > p->opt.max_string)
        return perr(p, RDB_ERR_LIMIT, at, "%s claims %llu bytes, over the %llu-byte limit", what,
                    (unsigned long long)len, (unsigned long long)p->opt.max_string);
    uint64_t here = rd_offset(&p->rd);
    if (p->opt.input_size && (here > p->opt.input_size || len > p->opt.input_size - here))
        return perr(p, RDB_ERR_TRUNCATED, at, "%s claims %llu bytes but only %llu remain in the file",
                    what, (unsigned long long)len,
                    (unsigned long long)(here < p->opt.input_size ? p->opt.input_size - here : 0));
    return RDB_OK;
}

rdb_status rdb_read_i64le(parser *p, int64_t *v, const char *what) {
    const uint8_t *b = NULL;
    rdb_status st = rdb_read_raw(p, 8, &b, what);
    if (st == RDB_OK) *v = rdb_int_le(b, 8);
    return st;
}

rdb_status rdb_read_double_bin(parser *p, double *v, const char *what) {
    const uint8_t *b = NULL;
    rdb_status st = rdb_read_raw(p, 8, &b, what);
    if (st) return st;
    uint64_t bits = (uint64_t)rdb_int_le(b, 8);
    memcpy(v, &bits, sizeof *v);
    return RDB_OK;
}

rdb_status rdb_read_double_legacy(parser *p, double *v, const char *what) {
    uint64_t at = rd_offset(&p->rd);
    uint8_t n;
    rdb_status st = rdb_read_u8(p, &n, what);
    if (st) return st;
    if (n == 253) { *v = NAN; return RDB_OK; }
    if (n == 254) { *v = INFINITY; return RDB_OK; }
    if (n == 255) { *v = -INFINITY; return RDB_OK; }
    const uint8_t *b = NULL;
    if ((st = rdb_read_raw(p, n, &b, what))) return st;
    char text[256];
    memcpy(text, b, n);
    text[n] = '\0';
    char *end;
    *v = strtod(text, &end);
    if (n == 0 || *end != '\0')
        return perr(p, RDB_ERR_FORMAT, at, "%s: '%.40s' is not a number", what, text);
    return RDB_OK;
}

double rdb_item_to_double(const rdb_item *it, bool *ok) {
    if (it->is_int) { *ok = true; return (double)it->ival; }
    char text[128];
    if (it->len == 0 || it->len >= sizeof text) { *ok = false; return 0; }
    memcpy(text, it->ptr, it->len);
    text[it->len] = '\0';
    char *end;
    double d = strtod(text, &end);
    *ok = (*end == '\0');
    return d;
}

rdb_status rdb_read_lzf_header(parser *p, uint64_t at, uint64_t *clen, uint64_t *ulen,
                               const char *what) {
    rdb_status st;
    if ((st = rdb_read_plain_len(p, clen, what))) return st;
    if ((st = rdb_read_plain_len(p, ulen, what))) return st;
    if ((st = rdb_check_len(p, *clen, at, what))) return st;
    if (*ulen > p->opt.max_string)
        return perr(p, RDB_ERR_LIMIT, at, "%s: LZF string claims %llu bytes, over the limit", what,
                    (unsigned long long)*ulen);
    if (*clen == 0 || *ulen / LZF_MAX_RATIO > *clen || *clen > UINT32_MAX || *ulen > UINT32_MAX)
        return perr(p, RDB_ERR_FORMAT, at, "%s: LZF header claims %llu bytes from %llu compressed",
                    what, (unsigned long long)*ulen, (unsigned long long)*clen);
    return RDB_OK;
}

rdb_status rdb_lzf_decompress(parser *p, const uint8_t *in, uint64_t clen, uint64_t ulen,
                              uint64_t at, rd_buf *dst, const char *what) {
    if (rd_buf_reserve(dst, ulen ? (size_t)ulen : 1) != RD_OK)
        return perr(p, RDB_ERR_NOMEM, at, "out of memory for a %llu-byte LZF string",
                    (unsigned long long)ulen);
    unsigned got = ulen ? lzf_decompress(in, (unsigned)clen, dst->p, (unsigned)ulen) : 0;
    if (got != ulen)
        return perr(p, RDB_ERR_FORMAT, at, "%s: LZF data does not decompress to the %llu bytes its header states",
                    what, (unsigned long long)ulen);
    return RDB_OK;
}

static rdb_status read_lzf(parser *p, rd_buf *buf, rdb_item *out, uint64_t *stored_len,
                           const char *what) {
    uint64_t at = rd_offset(&p->rd) - 1;
    uint64_t clen = 0, ulen = 0;   /* set by rdb_read_lzf_header; LTO cannot see that */
    rdb_status st = rdb_read_lzf_header(p, at, &clen, &ulen, what);
    if (st) return st;
    const uint8_t *in;
    rd_status rs = rd_read_into(&p->rd, clen, &p->lzfin, &in);
    if (rs != RD_OK) return perr_rd(p, rs, what);
    rd_buf *dst = buf ? buf : &p->lzfout;
    if ((st = rdb_lzf_decompress(p, in, clen, ulen, at, dst, what))) return st;
    out->ptr = dst->p;
    out->len = (size_t)ulen;
    out->is_int = false;
    out->ival = 0;
    *stored_len = clen;
    return RDB_OK;
}

rdb_status rdb_read_string(parser *p, rd_buf *buf, rdb_item *out, uint64_t *stored_len,
                           bool *compressed, const char *what) {
    uint64_t at = rd_offset(&p->rd);
    uint64_t len = 0;  /* set by rdb_read_len; LTO cannot see that */
    bool enc;
    rdb_status st = rdb_read_len(p, &len, &enc, what);
    if (st) return st;
    uint64_t dummy_len;
    bool dummy_c;
    if (!stored_len) stored_len = &dummy_len;
    if (!compressed) compressed = &dummy_c;
    *compressed = false;
    if (enc) {
        const uint8_t *b = NULL;
        int width;
        switch (len) {
        case 0: width = 1; break;
        case 1: width = 2; break;
        case 2: width = 4; break;
        case 3:
            *compressed = true;
            return read_lzf(p, buf, out, stored_len, what);
        default:
            return perr(p, RDB_ERR_FORMAT, at, "%s: unknown string encoding %llu", what,
                        (unsigned long long)len);
        }
        if ((st = rdb_read_raw(p, (size_t)width, &b, what))) return st;
        out->is_int = true;
        out->ival = rdb_int_le(b, width);
        out->len = rdb_int_text_len(out->ival);
        out->ptr = NULL;
        *stored_len = (uint64_t)width;
        return RDB_OK;
    }
    if ((st = rdb_check_len(p, len, at, what))) return st;
    out->is_int = false;
    out->ival = 0;
    out->len = (size_t)len;
    *stored_len = len;
    if (!buf && len <= RD_BLOCK_SIZE / 2) {
        /* Zero copy: valid until the next read. */
        return rdb_read_raw(p, (size_t)len, &out->ptr, what);
    }
    rd_status rs = rd_read_into(&p->rd, len, buf ? buf : &p->valbuf, &out->ptr);
    return rs == RD_OK ? RDB_OK : perr_rd(p, rs, what);
}
