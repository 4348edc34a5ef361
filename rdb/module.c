/* module.c: module values and records (rdb-format.md §8), walked by the
 * module opcode framing and never by guessing.
 *
 * A module type id packs a 9-character name (6 bits per character from the
 * set A-Z a-z 0-9 - _, first character highest) above a 10-bit encoding
 * version:
 *
 *   bit 63                                      10 9          0
 *   +-------+-------+-- ... --+-------+-------+---+------------+
 *   | c0 (6)| c1 (6)|         | c7 (6)| c8 (6)|   encver (10)  |
 *   +-------+-------+-- ... --+-------+-------+---+------------+
 *
 * A MODULE_2 value (and a MODULE_AUX payload, a KEY_META class) is what the
 * module wrote with RedisModule_Save*, each item preceded by its opcode
 * (src/rdb.h RDB_MODULE_OPCODE_*), ending with opcode 0:
 *
 *   <id: rdb len> { <opcode: rdb len> <item> }* <0: EOF>
 *     1 SINT    rdb len (the int64's bits)        SaveSigned
 *     2 UINT    rdb len                           SaveUnsigned
 *     3 FLOAT   4 bytes, binary float32 (LE)      SaveFloat
 *     4 DOUBLE  8 bytes, binary float64 (LE)      SaveDouble
 *     5 STRING  rdb string (raw, int or LZF)      SaveString, SaveStringBuffer
 *
 * That framing is what makes a value of an unknown module skippable, and
 * what the per-module decoders of the model read (rdb.h on_module_op).
 * MODULE (pre-GA, type 6) values have no framing and cannot be walked.
 */
#include "rdb/internal.h"

#include <string.h>

#include "rdb/numtext.h"

enum { MOP_EOF = 0 };

void rdb_module_name(uint64_t id, char name[10], unsigned *encver) {
    static const char charset[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    uint64_t bits = id >> 10;
    for (int i = 8; i >= 0; i--) {
        name[i] = charset[bits & 63];
        bits >>= 6;
    }
    name[9] = '\0';
    *encver = (unsigned)(id & 1023);
}

static double read_le_float(const uint8_t *b) {
    uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static double read_le_double(const uint8_t *b) {
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--) u = u << 8 | b[i];
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* Calls a module event handler: a negative answer aborts, RDB_SKIP stops
 * this key's module events; *want is whether the answer was RDB_CONTINUE. */
static rdb_status module_cb(parser *p, int rc, bool *want) {
    if (want) *want = rc == RDB_CONTINUE;
    if (rc < 0) return perr(p, RDB_ERR_ABORTED, rd_offset(&p->rd), "stopped by the consumer");
    if (rc == RDB_SKIP) p->skip = true;
    return RDB_OK;
}

static rdb_status deliver_chunk(parser *p, rdb_string_chunk *c) {
    if (p->skip || !p->h->on_module_string) return RDB_OK;
    return module_cb(p, p->h->on_module_string(p->ctx, &p->key, c), NULL);
}

/* A STRING item. With 'op' (a key's value, delivering) the op event goes
 * out once its length is known, and the bytes follow if it asked for them;
 * otherwise the string is only walked. Raw bytes are never held whole. */
static rdb_status module_string(parser *p, rdb_module_op *op, const char *what) {
    uint64_t at = rd_offset(&p->rd);
    const uint8_t *b = NULL;
    rdb_status st = rdb_read_raw(p, 1, &b, what);
    if (st) return st;
    uint8_t first = b[0];
    bool deliver = op && !p->skip;
    bool want = false;
    if (first == 0xc3) {
        uint64_t clen = 0, ulen = 0;   /* set by rdb_read_lzf_header */
        if ((st = rdb_read_lzf_header(p, at, &clen, &ulen, what))) return st;
        if (deliver) {
            op->str_len = ulen;
            op->stored_len = clen;
            op->compressed = true;
            if (p->h->on_module_op &&
                (st = module_cb(p, p->h->on_module_op(p->ctx, &p->key, op), &want)))
                return st;
            want = want && p->h->on_module_string;
        }
        if (want) {
            const uint8_t *in;
            rd_status rs = rd_read_into(&p->rd, clen, &p->lzfin, &in);
            if (rs != RD_OK) return perr_rd(p, rs, what);
            if ((st = rdb_lzf_decompress(p, in, clen, ulen, at, &p->lzfout, what))) return st;
            rdb_string_chunk c = {.total_len = ulen, .ptr = p->lzfout.p, .len = (size_t)ulen,
                                  .compressed = true, .stored_len = clen};
            return deliver_chunk(p, &c);
        }
        if (p->opt.verify_lzf) return rdb_lzf_verify(p, clen, ulen, at, what);
        rd_status s = rd_skip(&p->rd, clen);
        return s == RD_OK ? RDB_OK : perr_rd(p, s, what);
    }
    p->rd.pos--;  /* re-read the length prefix through the general decoder */
    if ((first >> 6) == 3) {
        /* an integer encoding (or an unknown one, which rdb_read_string names) */
        rdb_item it;
        uint64_t stored;
        if ((st = rdb_read_string(p, NULL, &it, &stored, NULL, what))) return st;
        if (!deliver) return RDB_OK;
        op->str_len = it.len;
        op->stored_len = stored;
        op->is_int = it.is_int;
        op->ival = it.ival;
        if (p->h->on_module_op &&
            (st = module_cb(p, p->h->on_module_op(p->ctx, &p->key, op), &want)))
            return st;
        if (!want) return RDB_OK;
        char text[24];
        rdb_string_chunk c = {.total_len = it.len, .ptr = (const uint8_t *)text,
                              .len = rdb_int_to_text(it.ival, text), .is_int = true,
                              .ival = it.ival, .stored_len = stored};
        return deliver_chunk(p, &c);
    }
    uint64_t len;
    bool enc;
    if ((st = rdb_read_len(p, &len, &enc, what))) return st;
    if ((st = rdb_check_len(p, len, at, what))) return st;
    if (deliver) {
        op->str_len = op->stored_len = len;
        if (p->h->on_module_op &&
            (st = module_cb(p, p->h->on_module_op(p->ctx, &p->key, op), &want)))
            return st;
        want = want && p->h->on_module_string;
    }
    if (!want) {
        rd_status s = rd_skip(&p->rd, len);
        return s == RD_OK ? RDB_OK : perr_rd(p, s, what);
    }
    rdb_string_chunk c = {.total_len = len, .stored_len = len};
    do {
        size_t piece = RD_BLOCK_SIZE / 2;
        if (piece > len - c.offset) piece = (size_t)(len - c.offset);
        if ((st = rdb_read_raw(p, piece, &c.ptr, what))) return st;
        c.len = piece;
        if ((st = deliver_chunk(p, &c))) return st;
        c.offset += piece;
        if (p->skip) {
            rd_status s = rd_skip(&p->rd, len - c.offset);
            return s == RD_OK ? RDB_OK : perr_rd(p, s, what);
        }
    } while (c.offset < len);
    return RDB_OK;
}

/* Walks an opcode stream to its EOF opcode; with 'deliver' (a key's value)
 * each opcode goes to on_module_op. */
static rdb_status walk_opcodes(parser *p, bool deliver, const char *what) {
    for (uint64_t index = 0;; index++) {
        uint64_t at = rd_offset(&p->rd);
        uint64_t code = 0, v = 0;  /* set by rdb_read_plain_len (LTO cannot see it) */
        const uint8_t *b = NULL;
        rdb_status st = rdb_read_plain_len(p, &code, what);
        if (st) return st;
        rdb_module_op op = {.code = (rdb_module_opcode)code, .index = index, .offset = at};
        switch (code) {
        case MOP_EOF: return RDB_OK;
        case RDB_MOP_SINT:
        case RDB_MOP_UINT:
            if ((st = rdb_read_plain_len(p, &v, what))) return st;
            op.uint = v;
            op.sint = (int64_t)v;
            break;
        case RDB_MOP_FLOAT:
            if ((st = rdb_read_raw(p, 4, &b, what))) return st;
            op.dbl = read_le_float(b);
            break;
        case RDB_MOP_DOUBLE:
            if ((st = rdb_read_raw(p, 8, &b, what))) return st;
            op.dbl = read_le_double(b);
            break;
        case RDB_MOP_STRING:
            if ((st = module_string(p, deliver ? &op : NULL, what))) return st;
            continue;  /* module_string delivered the op itself */
        default:
            return perr(p, RDB_ERR_FORMAT, at, "%s: unknown module opcode %llu (expected 0-5)", what,
                        (unsigned long long)code);
        }
        if (deliver && !p->skip && p->h->on_module_op &&
            (st = module_cb(p, p->h->on_module_op(p->ctx, &p->key, &op), NULL)))
            return st;
    }
}

rdb_status rdb_skip_module_opcodes(parser *p, const char *what) {
    return walk_opcodes(p, false, what);
}

rdb_status rdb_read_module(parser *p, uint64_t *bytes) {
    uint64_t start = rd_offset(&p->rd);
    uint64_t id;
    rdb_status st = rdb_read_plain_len(p, &id, "module type id");
    if (st) return st;
    rdb_module_name(id, p->kend.module_name, &p->kend.module_encver);
    if (p->key.rdb_type == RDB_TYPE_MODULE_PRE_GA)
        return perr(p, RDB_ERR_UNSUPPORTED, start,
                    "value of module '%s' uses the pre-GA MODULE (type 6) format, which cannot be "
                    "read without the module itself", p->kend.module_name);
    bool deliver = !p->skip && (p->h->on_module_op || p->h->on_module_value);
    if (deliver && p->h->on_module_value) {
        rdb_module_type t = {.encver = p->kend.module_encver, .id = id};
        memcpy(t.name, p->kend.module_name, sizeof t.name);
        if ((st = module_cb(p, p->h->on_module_value(p->ctx, &p->key, &t), NULL))) return st;
    }
    if ((st = walk_opcodes(p, deliver, "module value"))) return st;
    *bytes = rd_offset(&p->rd) - start;
    return RDB_OK;
}
