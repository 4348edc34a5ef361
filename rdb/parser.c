/* parser.c: the record loop of an RDB file (rdb-format.md §2, §3, §15).
 *
 * One byte at each record boundary is either an opcode (>= 0xF2, and the
 * Redis Enterprise opcodes) or a value type. Key-level opcodes (expire, idle,
 * freq, key meta) set state for the next key only. Byte values 22, 23, 242
 * and 243 mean different things in REDIS and VALKEY files, so every dispatch
 * looks at the flavor first.
 */
#include "rdb/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdb/numtext.h"

enum {
    OP_ENT_RAM_LRU = 107, OP_ENT_SLOT_NUM = 121,
    OP_TMPL_OR_UPDATE = 0xF2, OP_META_OR_SLOT_IMPORT = 0xF3, OP_SLOT_INFO = 0xF4,
    OP_FUNCTION2 = 0xF5, OP_FUNCTION_PRE_GA = 0xF6, OP_MODULE_AUX = 0xF7, OP_IDLE = 0xF8,
    OP_FREQ = 0xF9, OP_AUX = 0xFA, OP_RESIZEDB = 0xFB, OP_EXPIRETIME_MS = 0xFC,
    OP_EXPIRETIME = 0xFD, OP_SELECTDB = 0xFE, OP_EOF = 0xFF,
};

/* Highest versions whose every documented record we read; types and opcodes
 * whose layout is not documented still fail closed inside these versions. */
#define MAX_REDIS_VERSION 15
#define MIN_VALKEY_VERSION 80
#define MAX_VALKEY_VERSION 81

const char *rdb_status_name(rdb_status s) {
    static const char *const names[] = {"ok", "io", "truncated", "bad-magic", "version",
                                        "format", "unsupported", "limit", "nomem", "aborted",
                                        "compression"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

const char *rdb_kind_name(rdb_kind k) {
    static const char *const names[] = {"string", "list", "set", "zset", "hash", "stream", "module",
                                        "array"};
    return (unsigned)k < RDB_KIND_COUNT_ ? names[k] : "unknown";
}

const char *rdb_type_name(rdb_flavor flavor, uint8_t t) {
    static const char *const names[] = {
        "string", "list", "set", "zset", "hash", "zset-2", "module-pre-ga", "module-2", "8",
        "hash-zipmap", "list-ziplist", "set-intset", "zset-ziplist", "hash-ziplist",
        "list-quicklist", "stream-listpacks", "hash-listpack", "zset-listpack", "list-quicklist-2",
        "stream-listpacks-2", "set-listpack", "stream-listpacks-3", "hash-metadata-pre-ga",
        "hash-listpack-ex-pre-ga", "hash-metadata", "hash-listpack-ex", "stream-listpacks-4",
        "stream-listpacks-5", "array", "hash-tmpl-lp", "hash-tmpl-lp-ref", "hash-tmpl-array",
        "hash-tmpl-array-ref", "gcra"};
    if (flavor == RDB_FLAVOR_VALKEY && t == 22) return "hash-2";
    if (flavor == RDB_FLAVOR_VALKEY && t == 23) return "path-hash";
    if (t == 8 || t >= sizeof names / sizeof names[0]) return "unknown";
    return names[t];
}

/* Maps a type byte to its kind; false when it is not a value type this
 * parser can read in this flavor. Bytes 22-33 differ by flavor: Redis
 * 7.4-8.10 types in REDIS files, Valkey 9 types in VALKEY files. */
static bool type_kind(const parser *p, uint8_t t, rdb_kind *kind) {
    bool valkey = p->hdr.flavor == RDB_FLAVOR_VALKEY;
    switch (t) {
    case RDB_TYPE_STRING: *kind = RDB_KIND_STRING; return true;
    case RDB_TYPE_LIST: case RDB_TYPE_LIST_ZIPLIST: case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2: *kind = RDB_KIND_LIST; return true;
    case RDB_TYPE_SET: case RDB_TYPE_SET_INTSET: case RDB_TYPE_SET_LISTPACK:
        *kind = RDB_KIND_SET; return true;
    case RDB_TYPE_ZSET: case RDB_TYPE_ZSET_2: case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_ZSET_LISTPACK: *kind = RDB_KIND_ZSET; return true;
    case RDB_TYPE_HASH: case RDB_TYPE_HASH_ZIPMAP: case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_LISTPACK: *kind = RDB_KIND_HASH; return true;
    case RDB_TYPE_MODULE_PRE_GA: case RDB_TYPE_MODULE_2: *kind = RDB_KIND_MODULE; return true;
    case RDB_TYPE_STREAM_LISTPACKS: case RDB_TYPE_STREAM_LISTPACKS_2:
    case RDB_TYPE_STREAM_LISTPACKS_3: *kind = RDB_KIND_STREAM; return true;
    case 22: *kind = RDB_KIND_HASH; return true;  /* Redis pre-GA metadata / Valkey HASH_2 */
    case 23: *kind = RDB_KIND_HASH; return !valkey; /* Valkey PATH_HASH: undocumented */
    case RDB_TYPE_HASH_METADATA: case RDB_TYPE_HASH_LISTPACK_EX:
    case RDB_TYPE_HASH_TMPL_LP: case RDB_TYPE_HASH_TMPL_LP_REF:
    case RDB_TYPE_HASH_TMPL_ARRAY: case RDB_TYPE_HASH_TMPL_ARRAY_REF:
        *kind = RDB_KIND_HASH; return !valkey;
    case RDB_TYPE_STREAM_LISTPACKS_4: case RDB_TYPE_STREAM_LISTPACKS_5:
        *kind = RDB_KIND_STREAM; return !valkey;
    case RDB_TYPE_ARRAY: *kind = RDB_KIND_ARRAY; return !valkey;
    default: return false;
    }
}

static const char *flavor_name(const parser *p) {
    return p->hdr.flavor == RDB_FLAVOR_REDIS ? "REDIS" : "VALKEY";
}

/* A type byte this parser cannot read: a named refusal for the types that
 * exist but whose layout is not public, else "unknown". */
static rdb_status refuse_type(parser *p, uint8_t t, uint64_t at) {
    bool valkey = p->hdr.flavor == RDB_FLAVOR_VALKEY;
    const char *newer = p->hdr.newer
        ? "; the file's RDB version is newer than this parser knows (read with --accept-newer), "
          "so this may be a type added since"
        : "";
    if (valkey && t == RDB_TYPE_VALKEY_PATH_HASH)
        return perr(p, RDB_ERR_UNSUPPORTED, at,
                    "value type 23 (Valkey PATH_HASH, RDB 81) has no public byte layout; cannot read this "
                    "key or anything after it");
    if (!valkey && t == RDB_TYPE_GCRA)
        return perr(p, RDB_ERR_UNSUPPORTED, at,
                    "value type 33 (Redis GCRA rate limiter, RDB 15, builds with ENABLE_GCRA) has no public "
                    "byte layout; cannot read this key or anything after it");
    if (valkey && t >= 24 && t <= 33)
        return perr(p, RDB_ERR_UNSUPPORTED, at,
                    "value type %u is a Redis type (RDB 12+) in a VALKEY version %u file, where Valkey "
                    "defines no such type", t, p->hdr.version);
    return perr(p, RDB_ERR_UNSUPPORTED, at, "unknown %s %u in a %s RDB version %u file%s",
                t < 0xF0 ? "value type" : "opcode", t, flavor_name(p), p->hdr.version, newer);
}

static rdb_status read_header(parser *p) {
    const uint8_t *b = NULL;
    rd_status s = rd_take(&p->rd, 9, &b);
    if (s != RD_OK) {
        if (s == RD_EOF && p->rd.end == 0)
            return perr(p, RDB_ERR_BAD_MAGIC, 0, "not an RDB file: the input is empty (0 bytes)");
        if (s == RD_EOF)
            return perr(p, RDB_ERR_BAD_MAGIC, 0, "not an RDB file: shorter than the 9-byte header");
        return perr_rd(p, s, "the header");
    }
    memcpy(p->hdr.magic, b, 9);
    p->hdr.magic[9] = '\0';
    const char *digits;
    size_t ndig;
    if (memcmp(b, "REDIS", 5) == 0) {
        p->hdr.flavor = RDB_FLAVOR_REDIS;
        digits = (const char *)b + 5;
        ndig = 4;
    } else if (memcmp(b, "VALKEY", 6) == 0) {
        p->hdr.flavor = RDB_FLAVOR_VALKEY;
        digits = (const char *)b + 6;
        ndig = 3;
    } else {
        const char *hint = "";
        if (b[0] == '*') hint = " (it looks like a plain AOF of RESP commands)";
        else if (b[0] == '$') hint = " (it looks like a replication stream; strip the $ header)";
        else if (b[0] == 0x1f && b[1] == 0x8b) hint = " (it is gzip-compressed)";
        if (memcmp(b, "VKCS", 4) == 0) return rdb_vkcs_refusal(p, b);
        return perr(p, RDB_ERR_BAD_MAGIC, 0,
                    "not an RDB file: expected magic REDIS or VALKEY, found '%.9s'%s",
                    (const char *)p->hdr.magic, hint);
    }
    unsigned v = 0;
    for (size_t i = 0; i < ndig; i++) {
        if (digits[i] < '0' || digits[i] > '9')
            return perr(p, RDB_ERR_BAD_MAGIC, 0, "bad version digits in header '%.9s'",
                        (const char *)p->hdr.magic);
        v = v * 10 + (unsigned)(digits[i] - '0');
    }
    p->hdr.version = v;
    bool ok = p->hdr.flavor == RDB_FLAVOR_REDIS
                  ? v >= 1 && v <= MAX_REDIS_VERSION
                  : v >= MIN_VALKEY_VERSION && v <= MAX_VALKEY_VERSION;
    if (p->hdr.flavor == RDB_FLAVOR_REDIS && v >= MIN_VALKEY_VERSION) ok = false;
    /* Newer than the newest known: Redis 16-79 (80+ are Valkey's numbers),
     * Valkey 82+. Read on request, as the newest known version. */
    bool newer = p->hdr.flavor == RDB_FLAVOR_REDIS ? v > MAX_REDIS_VERSION && v < MIN_VALKEY_VERSION
                                                   : v > MAX_VALKEY_VERSION;
    if (newer && p->opt.accept_newer) {
        ok = true;
        p->hdr.newer = true;
    }
    if (!ok)
        return perr(p, RDB_ERR_VERSION, ndig == 4 ? 5 : 6,
                    "RDB version %u (%s flavor) is %s (this parser reads REDIS 1-%d, VALKEY %d-%d)%s",
                    v, p->hdr.flavor == RDB_FLAVOR_REDIS ? "REDIS" : "VALKEY",
                    newer ? "newer than the newest it knows" : "not one this parser can read",
                    MAX_REDIS_VERSION, MIN_VALKEY_VERSION, MAX_VALKEY_VERSION,
                    newer ? "; --accept-newer reads it anyway, up to the first unknown type or opcode" : "");
    p->res->have_header = true;
    p->res->header = p->hdr;
    return p->h->on_header ? pcb(p, p->h->on_header(p->ctx, &p->hdr)) : RDB_OK;
}

/* A string as text: integer encodings become decimal. tmp must hold 24. */
static rdb_bytes item_text(const rdb_item *it, char *tmp) {
    rdb_bytes b;
    if (it->is_int) {
        b.len = rdb_int_to_text(it->ival, tmp);
        b.ptr = (const uint8_t *)tmp;
    } else {
        b.ptr = it->ptr;
        b.len = it->len;
    }
    return b;
}

static rdb_status read_aux(parser *p) {
    rdb_item k, v;
    rdb_status st;
    if ((st = rdb_read_string(p, &p->pairbuf, &k, NULL, NULL, "AUX field name"))) return st;
    if ((st = rdb_read_string(p, &p->valbuf, &v, NULL, NULL, "AUX field value"))) return st;
    if (!p->h->on_aux) return RDB_OK;
    char kt[24], vt[24];
    return pcb(p, p->h->on_aux(p->ctx, item_text(&k, kt), item_text(&v, vt)));
}

static rdb_status read_module_aux(parser *p) {
    uint64_t start = rd_offset(&p->rd) - 1;
    uint64_t id, when_op, when;
    rdb_status st;
    if ((st = rdb_read_plain_len(p, &id, "MODULE_AUX module id"))) return st;
    char name[10];
    unsigned encver;
    rdb_module_name(id, name, &encver);
    uint64_t at = rd_offset(&p->rd);
    if ((st = rdb_read_plain_len(p, &when_op, "MODULE_AUX 'when' opcode"))) return st;
    if (when_op != 2)
        return perr(p, RDB_ERR_FORMAT, at, "MODULE_AUX of module '%s': 'when' opcode is %llu, expected 2 (UINT)",
                    name, (unsigned long long)when_op);
    if ((st = rdb_read_plain_len(p, &when, "MODULE_AUX 'when' value"))) return st;
    if ((st = rdb_skip_module_opcodes(p, "MODULE_AUX payload"))) return st;
    if (!p->h->on_module_aux) return RDB_OK;
    return pcb(p, p->h->on_module_aux(p->ctx, name, encver, when, rd_offset(&p->rd) - start));
}

static rdb_status read_function(parser *p, bool pre_ga) {
    rdb_item it;
    rdb_status st;
    if (pre_ga) {
        uint64_t has_desc;
        if ((st = rdb_read_string(p, NULL, &it, NULL, NULL, "FUNCTION name"))) return st;
        if ((st = rdb_read_string(p, NULL, &it, NULL, NULL, "FUNCTION engine"))) return st;
        if ((st = rdb_read_plain_len(p, &has_desc, "FUNCTION description flag"))) return st;
        if (has_desc &&
            (st = rdb_read_string(p, NULL, &it, NULL, NULL, "FUNCTION description")))
            return st;
    }
    if ((st = rdb_read_string(p, &p->valbuf, &it, NULL, NULL, "FUNCTION library code"))) return st;
    if (!p->h->on_function) return RDB_OK;
    char tmp[24];
    return pcb(p, p->h->on_function(p->ctx, item_text(&it, tmp)));
}

static rdb_status read_key(parser *p, uint8_t type, uint64_t type_off) {
    rdb_kind kind;
    if (!type_kind(p, type, &kind)) return refuse_type(p, type, type_off);
    rdb_item name;
    rdb_status st = rdb_read_string(p, &p->keybuf, &name, NULL, NULL, "key name");
    if (st) return st;
    char tmp[24];
    if (name.is_int) {  /* keys are never int-encoded by servers, but the format allows it */
        size_t n = rdb_int_to_text(name.ival, tmp);
        if (rd_buf_reserve(&p->keybuf, n) != RD_OK)
            return perr(p, RDB_ERR_NOMEM, type_off, "out of memory");
        memcpy(p->keybuf.p, tmp, n);
        name.ptr = p->keybuf.p;
        name.len = n;
    }
    p->key.db = p->db;
    p->key.name = name.ptr;
    p->key.name_len = name.len;
    p->key.rdb_type = type;
    p->key.kind = kind;
    p->key.offset = type_off;
    p->in_key = true;
    p->skip = false;
    p->no_content = false;
    p->piece_entries = false;
    memset(&p->kend, 0, sizeof p->kend);
    p->kend.largest_exact = true;
    if (p->h->on_key_begin && (st = pcb(p, p->h->on_key_begin(p->ctx, &p->key)))) return st;
    uint64_t value_start = rd_offset(&p->rd);
    if ((st = rdb_read_value(p))) return st;
    p->kend.value_bytes = rd_offset(&p->rd) - value_start;
    if (p->h->on_key_end && (st = pcb(p, p->h->on_key_end(p->ctx, &p->key, &p->kend)))) return st;
    p->in_key = false;
    p->res->keys++;
    /* Key-level state applies to one key only. */
    p->key.has_expire = p->key.has_idle = p->key.has_freq = false;
    p->key.meta_classes = 0;
    p->key.meta_bytes = 0;
    return RDB_OK;
}

static rdb_status read_trailer(parser *p, uint64_t eof_off) {
    rdb_trailer t = {.eof_offset = eof_off};
    t.computed_crc = rd_crc_freeze(&p->rd);
    if (p->hdr.version >= 5) {
        const uint8_t *b = NULL;
        rdb_status st = rdb_read_raw(p, 8, &b, "the 8-byte checksum after EOF");
        if (st) return st;
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | b[i];
        t.stored_crc = v;
        t.checksum = v == 0 ? RDB_CHECKSUM_DISABLED
                     : v == t.computed_crc ? RDB_CHECKSUM_OK : RDB_CHECKSUM_MISMATCH;
    } else {
        t.checksum = RDB_CHECKSUM_ABSENT;
    }
    p->res->have_trailer = true;
    p->res->trailer = t;
    if (p->h->on_end) return pcb(p, p->h->on_end(p->ctx, &t));
    return RDB_OK;
}

static rdb_status parse_records(parser *p) {
    rdb_status st = read_header(p);
    if (st) return st;
    bool redis = p->hdr.flavor == RDB_FLAVOR_REDIS;
    for (;;) {
        uint64_t at = rd_offset(&p->rd);
        uint8_t op;
        if ((st = rdb_read_u8(p, &op, "a record type (file ends without an EOF opcode)"))) return st;
        uint64_t a, b, c;
        int64_t ms;
        switch (op) {
        case OP_EOF: return read_trailer(p, at);
        case OP_SELECTDB:
            if ((st = rdb_read_plain_len(p, &p->db, "SELECTDB database number"))) return st;
            if (p->h->on_select_db && (st = pcb(p, p->h->on_select_db(p->ctx, p->db)))) return st;
            break;
        case OP_EXPIRETIME: {
            const uint8_t *x;
            if ((st = rdb_read_raw(p, 4, &x, "EXPIRETIME seconds"))) return st;
            int32_t secs = (int32_t)((uint32_t)x[0] | (uint32_t)x[1] << 8 |
                                     (uint32_t)x[2] << 16 | (uint32_t)x[3] << 24);
            p->key.has_expire = true;
            p->key.expire_ms = (int64_t)secs * 1000;
            break;
        }
        case OP_EXPIRETIME_MS:
            if ((st = rdb_read_i64le(p, &ms, "EXPIRETIME_MS milliseconds"))) return st;
            p->key.has_expire = true;
            p->key.expire_ms = ms;
            break;
        case OP_RESIZEDB:
            if ((st = rdb_read_plain_len(p, &a, "RESIZEDB db size"))) return st;
            if ((st = rdb_read_plain_len(p, &b, "RESIZEDB expires size"))) return st;
            if (p->h->on_resize_db && (st = pcb(p, p->h->on_resize_db(p->ctx, a, b)))) return st;
            break;
        case OP_AUX:
            if ((st = read_aux(p))) return st;
            break;
        case OP_FREQ:
            if ((st = rdb_read_u8(p, &p->key.freq, "FREQ counter"))) return st;
            p->key.has_freq = true;
            break;
        case OP_IDLE:
            if ((st = rdb_read_plain_len(p, &p->key.idle_s, "IDLE seconds"))) return st;
            p->key.has_idle = true;
            break;
        case OP_MODULE_AUX:
            if ((st = read_module_aux(p))) return st;
            break;
        case OP_FUNCTION_PRE_GA:
        case OP_FUNCTION2:
            if ((st = read_function(p, op == OP_FUNCTION_PRE_GA))) return st;
            break;
        case OP_SLOT_INFO:
            if ((st = rdb_read_plain_len(p, &a, "SLOT_INFO slot"))) return st;
            if ((st = rdb_read_plain_len(p, &b, "SLOT_INFO keys"))) return st;
            if ((st = rdb_read_plain_len(p, &c, "SLOT_INFO expires"))) return st;
            if (p->h->on_slot_info && (st = pcb(p, p->h->on_slot_info(p->ctx, a, b, c)))) return st;
            break;
        case OP_META_OR_SLOT_IMPORT:   /* same byte, two meanings: by magic */
            if (redis && p->hdr.version >= 13) st = rdb_read_key_meta(p, at);
            else if (!redis) st = rdb_read_slot_import(p);
            else st = perr(p, RDB_ERR_FORMAT, at, "opcode 0xF3 (KEY_META) in an RDB version %u file; it exists from version 13",
                           p->hdr.version);
            if (st) return st;
            break;
        case OP_TMPL_OR_UPDATE:        /* same byte, two meanings: by magic */
            if (redis && p->hdr.version >= 15) st = rdb_read_hash_template(p);
            else if (!redis && p->hdr.version >= 81) st = rdb_read_update_command(p, at);
            else st = perr(p, RDB_ERR_FORMAT, at,
                           "opcode 0xF2 (%s) in a %s RDB version %u file; it exists from version %d",
                           redis ? "HASH_TEMPLATES" : "UPDATE", flavor_name(p), p->hdr.version,
                           redis ? 15 : 81);
            if (st) return st;
            break;
        case OP_ENT_RAM_LRU:
        case OP_ENT_SLOT_NUM:
            if (!redis) return read_key(p, op, at);
            /* Redis Enterprise: one length-encoded integer (as librdb reads it). */
            if ((st = rdb_read_plain_len(p, &a, "Redis Enterprise opcode payload"))) return st;
            break;
        default:
            if ((st = read_key(p, op, at))) return st;
            break;
        }
    }
}

/* One key record at the reader's position (rdb_parse_key_at). */
static rdb_status parse_one_key(parser *p) {
    uint64_t at = rd_offset(&p->rd);
    uint8_t type;
    rdb_status st = rdb_read_u8(p, &type, "the key's type byte");
    if (st) return st;
    bool enterprise = p->hdr.flavor == RDB_FLAVOR_REDIS && (type == OP_ENT_RAM_LRU || type == OP_ENT_SLOT_NUM);
    if (type >= OP_TMPL_OR_UPDATE || enterprise)
        return perr(p, RDB_ERR_FORMAT, at, "byte %u at this offset is an opcode, not a key's type", type);
    return read_key(p, type, at);
}

static void free_parser(parser *p) {
    rd_close(&p->rd);
    rdb_tmpl_free(p->tmpl);
    rd_buf *bufs[] = {&p->keybuf, &p->pairbuf, &p->blobbuf, &p->lzfin, &p->lzfout, &p->valbuf,
                      &p->pcs.win};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) rd_buf_free(bufs[i]);
    free(p);
}

/* A parser over src, or NULL (res filled) when out of memory. */
static parser *new_parser(rdb_source *src, const rdb_handlers *h, void *ctx, const rdb_options *opt,
                          rdb_result *res) {
    static const rdb_handlers none;
    memset(res, 0, sizeof *res);
    parser *p = calloc(1, sizeof *p);
    if (p && rd_open(&p->rd, src) != RD_OK) {
        free_parser(p);
        p = NULL;
    }
    if (!p) {
        res->error.code = RDB_ERR_NOMEM;
        snprintf(res->error.message, sizeof res->error.message, "out of memory");
        return NULL;
    }
    p->h = h ? h : &none;
    p->ctx = ctx;
    p->res = res;
    if (opt) p->opt = *opt;
    if (p->opt.max_string == 0) p->opt.max_string = 1ULL << 30;
    if (p->opt.input_size == 0) p->opt.input_size = src->rdb_size;
    p->rd.progress = p->opt.progress;
    p->rd.progress_ctx = p->opt.progress_ctx;
    return p;
}

rdb_status rdb_parse(rdb_source *src, const rdb_handlers *h, void *ctx, const rdb_options *opt,
                     rdb_result *res) {
    parser *p = new_parser(src, h, ctx, opt, res);
    if (!p) return RDB_ERR_NOMEM;
    if (p->opt.checksum_thread) rd_trail_start(&p->rd);
    rdb_status st = parse_records(p);
    res->bytes_read = rd_offset(&p->rd);
    res->input_bytes = rd_produced(&p->rd);
    free_parser(p);
    res->error.code = st;
    return st;
}

rdb_status rdb_parse_fd(int fd, const rdb_handlers *h, void *ctx, const rdb_options *opt,
                        rdb_result *res) {
    rdb_fd_source src;
    rdb_fd_source_init(&src, fd, NULL, 0);
    return rdb_parse(&src.base, h, ctx, opt, res);
}

struct rdb_key_reader {
    parser *p;
    rdb_result scratch;
};

rdb_key_reader *rdb_key_reader_new(rdb_source *src, const rdb_header *hdr, const rdb_options *opt) {
    rdb_key_reader *kr = calloc(1, sizeof *kr);
    if (!kr) return NULL;
    kr->p = new_parser(src, NULL, NULL, opt, &kr->scratch);
    if (!kr->p || !hdr) {
        rdb_key_reader_free(kr);
        return NULL;
    }
    /* offsets stay absolute; no checksum over a part of the file */
    kr->p->rd.crc_on = false;
    kr->p->rd.read_max = 16384;
    kr->p->rd.progress = NULL;
    kr->p->hdr = *hdr;
    return kr;
}

rdb_status rdb_key_reader_read(rdb_key_reader *kr, uint64_t offset, const rdb_handlers *h,
                               void *ctx, rdb_result *res) {
    static const rdb_handlers none;
    parser *p = kr->p;
    memset(res, 0, sizeof *res);
    p->h = h ? h : &none;
    p->ctx = ctx;
    p->res = res;
    p->in_key = false;
    p->db = 0;
    res->have_header = true;
    res->header = p->hdr;
    rdb_status st;
    rd_status rs = rd_seek(&p->rd, offset);
    if (rs != RD_OK) {
        st = perr_rd(p, rs, "a key to re-read");
        res->error.offset = offset;
    } else {
        st = parse_one_key(p);
        res->bytes_read = rd_offset(&p->rd) - offset;
        /* keys are re-read in any order, so release (behind the reader)
         * would leave each key's pages mapped: drop them now */
        rd_drop(&p->rd, offset, rd_offset(&p->rd));
    }
    res->error.code = st;
    return st;
}

void rdb_key_reader_free(rdb_key_reader *kr) {
    if (!kr) return;
    if (kr->p) free_parser(kr->p);
    free(kr);
}

rdb_status rdb_parse_key_at(rdb_source *src, uint64_t offset, const rdb_header *hdr,
                            const rdb_handlers *h, void *ctx, const rdb_options *opt,
                            rdb_result *res) {
    rdb_key_reader *kr = rdb_key_reader_new(src, hdr, opt);
    if (!kr) {
        memset(res, 0, sizeof *res);
        res->error.code = hdr ? RDB_ERR_NOMEM : RDB_ERR_IO;
        snprintf(res->error.message, sizeof res->error.message, hdr ? "out of memory" : "no header");
        return res->error.code;
    }
    rdb_status st = rdb_key_reader_read(kr, offset, h, ctx, res);
    rdb_key_reader_free(kr);
    return st;
}
