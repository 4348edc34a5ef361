/* keymeta.c: Redis KEY_META records (RDB 13+, Redis 8.6; opcode 0xF3 in a
 * REDIS file; the same byte is Valkey's SLOT_IMPORT, see parser.c).
 *
 * Sources: redis/redis src/keymeta.c (rdbSaveKeyMetadata,
 * rdbLoadKeyMetadata, keyMetaClassEncode / keyMetaClassDecode), redis PR
 * #14445; redis/librdb PR #93 src/lib/parserRaw.c elementRawKeyMeta.
 *
 *   F3 <len num_classes>                    1..7 (KEY_META_MAX_NUM_MODULES)
 *   num_classes x:
 *     <4 bytes class spec, little-endian>   written with rdbWriteRaw(&uint32)
 *        31                      8 7       3 2     0
 *        +------------------------+---------+-------+
 *        | name: 4 chars x 6 bits | version | flags |
 *        +------------------------+---------+-------+
 *        charset "A-Za-z0-9_-" (note: '_' before '-', unlike module names)
 *        flags bit 0 = ALLOW_IGNORE (a loader without the class may skip it)
 *     <module opcode stream ... 0>          the class's value, then EOF (module.c)
 *
 * The record sets state for the next key only, like EXPIRETIME_MS: its
 * classes go into that key's rdb_key (meta_classes, meta_bytes). Every class
 * is registered by a module (id 0, the key's expiry, is never saved), so no
 * class has a layout the parser could know: each value is walked by its
 * opcode framing, which is what the server itself does for a class it does
 * not have (rdbLoadSkipMetaIfAllowed -> rdbLoadCheckModuleValue). */
#include "rdb/internal.h"

#include <string.h>

#include "rdb/bytes.h"

#define KEY_META_MAX_CLASSES 7

static const char keymeta_charset[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

void rdb_key_meta_decode(uint32_t spec, rdb_key_meta *m) {
    m->flags = spec & 7;
    spec >>= 3;
    m->version = spec & 31;
    spec >>= 5;
    for (int i = 3; i >= 0; i--) {
        m->name[i] = keymeta_charset[spec & 63];
        spec >>= 6;
    }
    m->name[4] = '\0';
}

rdb_status rdb_read_key_meta(parser *p, uint64_t op_off) {
    uint64_t at = rd_offset(&p->rd);
    uint64_t n;
    rdb_status st = rdb_read_plain_len(p, &n, "KEY_META class count");
    if (st) return st;
    if (n > KEY_META_MAX_CLASSES || p->key.meta_classes + n > KEY_META_MAX_CLASSES)
        return perr(p, RDB_ERR_FORMAT, at,
                    "KEY_META claims %llu metadata classes for one key (%u already pending); a key has at most %d",
                    (unsigned long long)n, p->key.meta_classes, KEY_META_MAX_CLASSES);
    for (uint64_t i = 0; i < n; i++) {
        rdb_key_meta m;
        m.offset = rd_offset(&p->rd);
        const uint8_t *spec = NULL;
        if ((st = rdb_read_raw(p, 4, &spec, "KEY_META class spec"))) return st;
        rdb_key_meta_decode(rdb_u32le(spec), &m);
        uint64_t vstart = rd_offset(&p->rd);
        if ((st = rdb_skip_module_opcodes(p, "KEY_META class value"))) return st;
        m.value_bytes = rd_offset(&p->rd) - vstart;
        p->key.meta_classes++;
        if (p->h->on_key_meta && (st = pcb(p, p->h->on_key_meta(p->ctx, &m)))) return st;
    }
    p->key.meta_bytes += rd_offset(&p->rd) - op_off;
    return RDB_OK;
}
