/* value.c: value payloads of strings, lists, sets, sorted sets and hashes, in
 * every encoding the format has had (rdb-format.md §7, §9, §11), and the
 * dispatch of every value type to its reader.
 *
 * Strings and plain (non-packed) collections are read here, element by
 * element; packed blobs (ziplist, listpack, intset, zipmap), whole values or
 * quicklist nodes, are walked by packed.c. Large strings are delivered in
 * block-sized chunks, never held whole.
 */
#include "rdb/internal.h"

#include <math.h>
#include <string.h>

#include "rdb/bytes.h"
#include "rdb/lzf_peek.h"
#include "rdb/numtext.h"

/* The number of elements a collection claims must fit in what is left of the
 * file (each element takes at least one byte per field). */
static rdb_status check_count(parser *p, uint64_t n, unsigned per, uint64_t at, const char *what) {
    uint64_t here = rd_offset(&p->rd);
    if (p->opt.input_size && here <= p->opt.input_size &&
        n > (p->opt.input_size - here) / per)
        return perr(p, RDB_ERR_TRUNCATED, at, "%s claims %llu elements but only %llu bytes remain",
                    what, (unsigned long long)n, (unsigned long long)(p->opt.input_size - here));
    return RDB_OK;
}

/* ---- strings ------------------------------------------------------------ */

/* Consumes an LZF string's clen stored bytes, checking that they decompress
 * to ulen bytes (as rdb_lzf_decompress would) in block-sized pieces,
 * without a buffer of ulen bytes. */
rdb_status rdb_lzf_verify(parser *p, uint64_t clen, uint64_t ulen, uint64_t at, const char *what) {
    lzf_check chk;
    lzf_check_init(&chk, ulen);
    for (uint64_t done = 0; done < clen;) {
        size_t piece = RD_BLOCK_SIZE / 2;
        if (piece > clen - done) piece = (size_t)(clen - done);
        const uint8_t *b = NULL;
        rdb_status st = rdb_read_raw(p, piece, &b, what);
        if (st) return st;
        lzf_check_feed(&chk, b, piece);
        done += piece;
    }
    if (ulen && lzf_check_end(&chk) < 0)
        return perr(p, RDB_ERR_FORMAT, at, "%s: LZF data does not decompress to the %llu bytes its header states",
                    what, (unsigned long long)ulen);
    return RDB_OK;
}

static rdb_status read_string_value(parser *p) {
    uint64_t at = rd_offset(&p->rd);
    const char *what = "string value";
    bool want = p->h->on_string && !p->skip;
    const uint8_t *b = NULL;
    rdb_status st;
    if ((st = rdb_read_raw(p, 1, &b, what))) return st;
    uint8_t first = b[0];
    p->rd.pos--;  /* re-read the prefix through the general decoder */
    if (first == 0xc3 && (!want || p->no_content)) {
        /* LZF that nobody reads: its length is in the header; the bytes are
         * still checksummed, and checked without being decompressed when
         * asked to be (verify_lzf). */
        uint64_t clen, ulen;
        p->rd.pos++;
        if ((st = rdb_read_lzf_header(p, at, &clen, &ulen, what))) return st;
        p->kend.elements = p->kend.largest = ulen;
        if (p->opt.verify_lzf) st = rdb_lzf_verify(p, clen, ulen, at, what);
        else {
            rd_status s = rd_skip(&p->rd, clen);
            st = s == RD_OK ? RDB_OK : perr_rd(p, s, what);
        }
        if (st) return st;
        if (!want) return RDB_OK;
        rdb_string_chunk c = {.total_len = ulen, .compressed = true, .stored_len = clen};
        return pcb(p, p->h->on_string(p->ctx, &p->key, &c));
    }
    if ((first >> 6) == 3) {
        /* Integer or LZF: decoded whole (an LZF string must be, to check it). */
        rdb_item it;
        uint64_t stored;
        bool compressed;
        if ((st = rdb_read_string(p, NULL, &it, &stored, &compressed, what))) return st;
        char text[24];
        rdb_string_chunk c = {.total_len = it.len, .ptr = it.ptr, .len = it.len,
                              .is_int = it.is_int, .ival = it.ival, .compressed = compressed,
                              .stored_len = stored};
        if (it.is_int) c.ptr = (const uint8_t *)text, c.len = rdb_int_to_text(it.ival, text);
        p->kend.elements = p->kend.largest = it.len;
        return want ? pcb(p, p->h->on_string(p->ctx, &p->key, &c)) : RDB_OK;
    }
    uint64_t len;
    bool enc;
    if ((st = rdb_read_len(p, &len, &enc, what))) return st;
    if ((st = rdb_check_len(p, len, at, what))) return st;
    p->kend.elements = p->kend.largest = len;
    if (!want) {
        rd_status s = rd_skip(&p->rd, len);
        return s == RD_OK ? RDB_OK : perr_rd(p, s, what);
    }
    /* Large values are delivered in block-sized chunks, never held whole. */
    rdb_string_chunk c = {.total_len = len, .stored_len = len};
    do {
        size_t want_now = RD_BLOCK_SIZE / 2;
        if (want_now > len - c.offset) want_now = (size_t)(len - c.offset);
        if ((st = rdb_read_raw(p, want_now, &c.ptr, what))) return st;
        c.len = want_now;
        if ((st = pcb(p, p->h->on_string(p->ctx, &p->key, &c)))) return st;
        c.offset += want_now;
        if (p->skip) {
            rd_status s = rd_skip(&p->rd, len - c.offset);
            return s == RD_OK ? RDB_OK : perr_rd(p, s, what);
        }
    } while (c.offset < len);
    return RDB_OK;
}

/* ---- plain (non-packed) collections ---------------------------------- */

/* Most elements are short raw strings (a length byte under 64, then the
 * bytes) or integers in the string encodings (int8, int16, int32), and sit
 * whole in the block: one element, or a hash's field and value, or a zset
 * member and its binary score, is taken from there in one step, without
 * copying the first string out of the way of the second (nothing is read
 * in between, so the block does not move). Anything else (longer, LZF,
 * astride the block's end, a limit below 64 bytes, or past the file's
 * stated size, which the general path reports) returns false with nothing
 * consumed. */
enum { SHAPE_ONE, SHAPE_PAIR, SHAPE_SCORED };

/* One short string or integer at b (avail bytes): its size, or 0. */
static inline size_t short_item(const uint8_t *b, size_t avail, rdb_item *it) {
    uint8_t f = avail ? b[0] : 0xFF;
    size_t w;
    if (f < 64) {
        if (avail < 1 + (size_t)f) return 0;
        *it = (rdb_item){.ptr = b + 1, .len = f};
        return 1 + (size_t)f;
    }
    switch (f) {
    case 0xC0: w = 1; break;
    case 0xC1: w = 2; break;
    case 0xC2: w = 4; break;
    default: return 0;
    }
    if (avail < 1 + w) return 0;
    int64_t v = rdb_int_le(b + 1, (unsigned)w);
    *it = (rdb_item){.is_int = true, .ival = v, .len = rdb_int_text_len(v)};
    return 1 + w;
}

static inline bool take_short(parser *p, int shape, rdb_entry *e) {
    const reader *r = &p->rd;
    const uint8_t *b = r->buf + r->pos;
    size_t avail = rd_avail(r);
    size_t need = short_item(b, avail, &e->member);
    if (need == 0) return false;
    if (shape == SHAPE_PAIR) {
        size_t n2 = short_item(b + need, avail - need, &e->value);
        if (n2 == 0) return false;
        need += n2;
    } else if (shape == SHAPE_SCORED) {
        if (avail - need < 8) return false;
        uint64_t bits = rdb_u64le(b + need);
        memcpy(&e->score, &bits, sizeof e->score);
        need += 8;
    }
    if (p->opt.max_string < 64 || (p->opt.input_size && rd_offset(r) + need > p->opt.input_size))
        return false;
    p->rd.pos += need;
    return true;
}

/* Batched element events (rdb_handlers.on_entries): a plain collection's
 * short elements are taken into p->batch in place and handed over
 * RDB_ENTRY_BATCH at a time, or earlier, before anything that may move
 * the block they point into. The slots keep only the current shape's
 * fields: the others are cleared when the shape changes. */
static void batch_begin(parser *p, int shape) {
    p->nbatch = 0;
    if (p->batch_shape == shape) return;
    for (size_t i = 0; i < RDB_ENTRY_BATCH; i++) {
        if (shape != SHAPE_PAIR) p->batch[i].value = (rdb_item){0};
        if (shape != SHAPE_SCORED) p->batch[i].score = 0;
    }
    p->batch_shape = shape;
}

/* Before an error too: one at a time, the elements before a bad one were
 * delivered and it was not (it is not counted in nbatch yet). */
static rdb_status batch_flush(parser *p) {
    size_t n = p->nbatch;
    p->nbatch = 0;
    if (n == 0 || (p->skip && !p->piece_entries)) return RDB_OK;
    return pcb(p, p->h->on_entries(p->ctx, &p->key, p->batch, n));
}

static rdb_status read_plain_collection(parser *p) {
    uint8_t t = p->key.rdb_type;
    uint64_t at = rd_offset(&p->rd);
    uint64_t n;
    rdb_status st;
    if ((st = rdb_read_plain_len(p, &n, "element count"))) return st;
    bool pairs = t == RDB_TYPE_HASH;
    bool zset = t == RDB_TYPE_ZSET || t == RDB_TYPE_ZSET_2;
    if ((st = check_count(p, n, pairs ? 2 : zset ? (t == RDB_TYPE_ZSET ? 2 : 9) : 1, at,
                          "collection")))
        return st;
    /* One entry for the whole loop: each element overwrites the fields its
     * type has, and zeroing 88 bytes per element cost more than reading it. */
    rdb_entry e = {0};
    int shape = pairs ? SHAPE_PAIR : t == RDB_TYPE_ZSET_2 ? SHAPE_SCORED : SHAPE_ONE;
    bool batched = p->h->on_entries != NULL && p->h->on_entry != NULL;
    if (batched) batch_begin(p, shape);
    for (uint64_t i = 0; i < n; i++) {
        rdb_entry *slot = batched ? &p->batch[p->nbatch] : &e;
        if (t != RDB_TYPE_ZSET && take_short(p, shape, slot)) {
            kend_largest(p, slot->member.len);
            if (pairs) kend_largest(p, slot->value.len);
            /* rdb.c (7.0+): "Zset with NAN score detected" */
            if (zset && isnan(slot->score)) {
                if (batched && (st = batch_flush(p))) return st;
                return perr(p, RDB_ERR_FORMAT, rd_offset(&p->rd) - 8,
                            "zset score is NaN, which a server refuses to load");
            }
            if (!batched) {
                if ((st = rdb_emit_entry(p, &e))) return st;
            } else if (++p->nbatch == RDB_ENTRY_BATCH && (st = batch_flush(p))) {
                return st;
            }
            continue;
        }
        /* the batch points into the block, which the reads below may move */
        if (batched && (st = batch_flush(p))) return st;
        /* The first string is copied: reading the second may move the block. */
        rd_buf *first = (pairs || zset) ? &p->pairbuf : NULL;
        if ((st = rdb_read_string(p, first, &e.member, NULL, NULL, "collection element")))
            return st;
        kend_largest(p, e.member.len);
        if (pairs) {
            if ((st = rdb_read_string(p, NULL, &e.value, NULL, NULL, "hash value"))) return st;
            kend_largest(p, e.value.len);
        } else if (zset) {
            uint64_t sat = rd_offset(&p->rd);
            if (t == RDB_TYPE_ZSET) st = rdb_read_double_legacy(p, &e.score, "zset score");
            else st = rdb_read_double_bin(p, &e.score, "zset score");
            if (st) return st;
            /* rdb.c (7.0+): "Zset with NAN score detected"; no server
             * writes one (ZADD refuses NaN) */
            if (isnan(e.score))
                return perr(p, RDB_ERR_FORMAT, sat, "zset score is NaN, which a server refuses to load");
        }
        if ((st = rdb_emit_entry(p, &e))) return st;
    }
    if (batched && (st = batch_flush(p))) return st;
    p->kend.elements = n;
    return RDB_OK;
}

/* ---- packed blobs --------------------------------------------------------- */

/* A value that is one packed blob: delivered by its header (shallow.c) when
 * the consumer lets it, else walked (packed.c). */
static rdb_status read_packed(parser *p, rdb_container_kind kind, int arity, bool zset) {
    blob bl;
    bool done;
    uint64_t n;
    rdb_status st = rdb_read_packed_blob(p, kind, arity, &bl, "packed value", &done, &n);
    if (st) return st;
    if (!done && (st = rdb_walk_blob(p, &bl, arity, zset, &n))) return st;
    p->kend.elements = n;
    return RDB_OK;
}

/* ---- quicklists ------------------------------------------------------------ */

static rdb_status read_quicklist(parser *p, bool v2) {
    uint64_t at = rd_offset(&p->rd);
    uint64_t nodes;
    rdb_status st;
    if ((st = rdb_read_plain_len(p, &nodes, "quicklist node count"))) return st;
    if ((st = check_count(p, nodes, v2 ? 2 : 1, at, "quicklist"))) return st;
    uint64_t total = 0;
    for (uint64_t i = 0; i < nodes; i++) {
        uint64_t container = 2;
        uint64_t cat = rd_offset(&p->rd);
        if (v2 && (st = rdb_read_plain_len(p, &container, "quicklist node container"))) return st;
        if (container == 1) {  /* PLAIN: one element stored as itself */
            blob bl;
            if ((st = rdb_read_blob(p, RDB_CT_QUICKLIST_PLAIN, &bl, "quicklist plain node"))) return st;
            rdb_entry e = {.member = {.ptr = bl.ptr, .len = bl.len}};
            kend_largest(p, bl.len);
            total++;
            if ((st = rdb_emit_entry(p, &e))) return st;
            rdb_container c = {.kind = RDB_CT_QUICKLIST_PLAIN, .blob = {bl.ptr, bl.len},
                               .stored_len = bl.stored_len, .compressed = bl.compressed, .entries = 1};
            if ((st = rdb_emit_container(p, &c))) return st;
            continue;
        }
        if (container != 2)
            return perr(p, RDB_ERR_FORMAT, cat, "quicklist node container %llu, expected 1 (PLAIN) or 2 (PACKED)",
                        (unsigned long long)container);
        blob bl;
        bool done;
        uint64_t n;
        if ((st = rdb_read_packed_blob(p, v2 ? RDB_CT_LISTPACK : RDB_CT_ZIPLIST, 1, &bl,
                                       "quicklist node", &done, &n)))
            return st;
        if (!done && (st = rdb_walk_blob(p, &bl, 1, false, &n))) return st;
        total += n;
    }
    p->kend.elements = total;
    return RDB_OK;
}

/* ---- hashes with field TTLs (rdb-format.md §11) --------------------------- */

static rdb_status read_hash_listpack_ex(parser *p, bool has_min_expire) {
    rdb_status st;
    if (has_min_expire) {
        int64_t min_expire;
        if ((st = rdb_read_i64le(p, &min_expire, "hash min expire"))) return st;
    }
    return read_packed(p, RDB_CT_LISTPACK, 3, false);
}

/* One field of a hash read field by field, with its TTL when it has one. */
static rdb_status emit_hash_field(parser *p, rdb_entry *e, bool has_ttl, int64_t ttl_ms) {
    e->has_ttl = has_ttl;
    e->ttl_ms = has_ttl ? ttl_ms : 0;
    if (has_ttl) p->kend.has_field_ttl = true;
    kend_largest(p, e->member.len);
    kend_largest(p, e->value.len);
    return rdb_emit_entry(p, e);
}

/* Redis HASH_METADATA (24) and its pre-GA form (22). */
static rdb_status read_hash_metadata(parser *p, bool has_min_expire) {
    rdb_status st;
    int64_t min_expire = 0;
    if (has_min_expire && (st = rdb_read_i64le(p, &min_expire, "hash min expire"))) return st;
    uint64_t at = rd_offset(&p->rd);
    uint64_t n;
    if ((st = rdb_read_plain_len(p, &n, "hash field count"))) return st;
    if ((st = check_count(p, n, 3, at, "hash"))) return st;
    rdb_entry e = {0};  /* every field is overwritten by every step */
    for (uint64_t i = 0; i < n; i++) {
        uint64_t ttl;
        if ((st = rdb_read_plain_len(p, &ttl, "hash field TTL"))) return st;
        if ((st = rdb_read_string(p, &p->pairbuf, &e.member, NULL, NULL, "hash field"))) return st;
        if ((st = rdb_read_string(p, NULL, &e.value, NULL, NULL, "hash value"))) return st;
        int64_t abs_ms = has_min_expire ? (int64_t)(ttl + (uint64_t)min_expire - 1) : (int64_t)ttl;
        if ((st = emit_hash_field(p, &e, ttl != 0, abs_ms))) return st;
    }
    p->kend.elements = n;
    return RDB_OK;
}

/* Valkey HASH_2 (22 in VALKEY files, RDB 80+; valkey src/rdb.c 9.0
 * rdbSaveObject / rdbLoadObject): len n, then n x (string field, string
 * value, 8-byte little-endian unix-ms expiry, -1 = none). Written only for a
 * hashtable hash with a volatile field; the loader refuses an expiry below
 * -1 and loads the hash as a hashtable whatever its size. */
static rdb_status read_valkey_hash2(parser *p) {
    uint64_t at = rd_offset(&p->rd);
    uint64_t n;
    rdb_status st;
    if ((st = rdb_read_plain_len(p, &n, "hash field count"))) return st;
    if ((st = check_count(p, n, 10, at, "hash"))) return st;
    rdb_entry e = {0};  /* every field is overwritten by every step */
    for (uint64_t i = 0; i < n; i++) {
        int64_t exp;
        if ((st = rdb_read_string(p, &p->pairbuf, &e.member, NULL, NULL, "hash field"))) return st;
        if ((st = rdb_read_string(p, &p->blobbuf, &e.value, NULL, NULL, "hash value"))) return st;
        uint64_t eat = rd_offset(&p->rd);
        if ((st = rdb_read_i64le(p, &exp, "hash field expiry"))) return st;
        if (exp < -1)
            return perr(p, RDB_ERR_FORMAT, eat, "hash field expiry %lld (valid: -1 for none, or a unix time in ms)",
                        (long long)exp);
        if ((st = emit_hash_field(p, &e, exp != -1, exp))) return st;
    }
    p->kend.elements = n;
    return RDB_OK;
}

/* ---- dispatch --------------------------------------------------------------- */

rdb_status rdb_read_value(parser *p) {
    bool valkey = p->hdr.flavor == RDB_FLAVOR_VALKEY;
    switch (p->key.rdb_type) {
    case RDB_TYPE_STRING: return read_string_value(p);
    case RDB_TYPE_LIST: case RDB_TYPE_SET: case RDB_TYPE_ZSET: case RDB_TYPE_HASH:
    case RDB_TYPE_ZSET_2:
        return read_plain_collection(p);
    case RDB_TYPE_HASH_ZIPMAP: return rdb_read_zipmap(p);
    case RDB_TYPE_LIST_ZIPLIST: return read_packed(p, RDB_CT_ZIPLIST, 1, false);
    case RDB_TYPE_SET_INTSET: return read_packed(p, RDB_CT_INTSET, 1, false);
    case RDB_TYPE_ZSET_ZIPLIST: return read_packed(p, RDB_CT_ZIPLIST, 2, true);
    case RDB_TYPE_HASH_ZIPLIST: return read_packed(p, RDB_CT_ZIPLIST, 2, false);
    case RDB_TYPE_LIST_QUICKLIST: return read_quicklist(p, false);
    case RDB_TYPE_LIST_QUICKLIST_2: return read_quicklist(p, true);
    case RDB_TYPE_HASH_LISTPACK: return read_packed(p, RDB_CT_LISTPACK, 2, false);
    case RDB_TYPE_ZSET_LISTPACK: return read_packed(p, RDB_CT_LISTPACK, 2, true);
    case RDB_TYPE_SET_LISTPACK: return read_packed(p, RDB_CT_LISTPACK, 1, false);
    case 22: return valkey ? read_valkey_hash2(p) : read_hash_metadata(p, false);
    case RDB_TYPE_HASH_LISTPACK_EX_PRE_GA: return read_hash_listpack_ex(p, false);
    case RDB_TYPE_HASH_METADATA: return read_hash_metadata(p, true);
    case RDB_TYPE_HASH_LISTPACK_EX: return read_hash_listpack_ex(p, true);
    case RDB_TYPE_STREAM_LISTPACKS: case RDB_TYPE_STREAM_LISTPACKS_2:
    case RDB_TYPE_STREAM_LISTPACKS_3: case RDB_TYPE_STREAM_LISTPACKS_4:
    case RDB_TYPE_STREAM_LISTPACKS_5:
        return rdb_read_stream(p);
    case RDB_TYPE_ARRAY: return rdb_read_array(p);
    case RDB_TYPE_HASH_TMPL_LP: case RDB_TYPE_HASH_TMPL_LP_REF:
    case RDB_TYPE_HASH_TMPL_ARRAY: case RDB_TYPE_HASH_TMPL_ARRAY_REF:
        return rdb_read_hash_tmpl_value(p);
    case RDB_TYPE_MODULE_PRE_GA: case RDB_TYPE_MODULE_2: {
        uint64_t bytes;
        return rdb_read_module(p, &bytes);
    }
    default:
        return perr(p, RDB_ERR_UNSUPPORTED, p->key.offset, "value type %u (%s) is not supported",
                    p->key.rdb_type, rdb_type_name(p->hdr.flavor, p->key.rdb_type));
    }
}
