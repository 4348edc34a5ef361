/* module.c: module values and records, skipped without the module
 * (rdb-format.md §8).
 *
 * A module type id packs a 9-character name (6 bits per character from the
 * set A-Z a-z 0-9 - _, first character highest) above a 10-bit encoding
 * version. MODULE_2 values (and MODULE_AUX, KEY_META) are a stream of
 * (opcode, value) pairs ending with opcode 0, which is what makes them
 * skippable; MODULE (pre-GA, type 6) values are opaque and cannot be.
 */
#include "rdb/internal.h"

#include <string.h>

enum { MOP_EOF = 0, MOP_SINT = 1, MOP_UINT = 2, MOP_FLOAT = 3, MOP_DOUBLE = 4, MOP_STRING = 5 };

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

rdb_status rdb_skip_module_opcodes(parser *p, const char *what) {
    for (;;) {
        uint64_t at = rd_offset(&p->rd);
        uint64_t op = 0, v;  /* op: set by rdb_read_plain_len (LTO cannot see it) */
        const uint8_t *b = NULL;
        rdb_item it;
        rdb_status st = rdb_read_plain_len(p, &op, what);
        if (st) return st;
        switch (op) {
        case MOP_EOF: return RDB_OK;
        case MOP_SINT:
        case MOP_UINT: st = rdb_read_plain_len(p, &v, what); break;
        case MOP_FLOAT: st = rdb_read_raw(p, 4, &b, what); break;
        case MOP_DOUBLE: st = rdb_read_raw(p, 8, &b, what); break;
        case MOP_STRING: st = rdb_read_string(p, NULL, &it, NULL, NULL, what); break;
        default:
            return perr(p, RDB_ERR_FORMAT, at, "%s: unknown module opcode %llu (expected 0-5)", what,
                        (unsigned long long)op);
        }
        if (st) return st;
    }
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
    if ((st = rdb_skip_module_opcodes(p, "module value"))) return st;
    *bytes = rd_offset(&p->rd) - start;
    return RDB_OK;
}
