/* shallow.c: packed blobs delivered by their header alone (rdb.h, the
 * shallow delivery under rdb_container).
 *
 * A consumer that sizes a blob the server keeps as it is needs only its
 * length and element count, both in the header; walking the entries (and
 * decompressing them) is most of the parser's work on a dump of small
 * collections. What walking also gives, the longest element, is then not
 * known, which rdb_key_end says (largest_exact), so that a consumer that
 * shows it can re-read the key (rdb_parse_key_at).
 *
 * The header is still checked, so that a corrupt blob fails with an offset
 * even unwalked: the total length against the blob, the terminator, the count
 * against what the length can hold (every entry takes at least two bytes).
 * The rest of the validation (each entry, the count at the terminator, zset
 * scores) happens only when the blob is walked; the file's checksum still
 * covers every byte.
 *
 * An LZF-compressed listpack or ziplist is not even decompressed for its
 * header: lzf_peek decodes the first bytes only, the blob goes out with
 * blob.ptr NULL, and liblzf decompresses it only if the consumer wants the
 * walk. Its terminator cannot be checked without the whole blob. Intsets
 * are decompressed: their largest comes from their last member.
 */
#include "rdb/internal.h"

#include "rdb/bytes.h"
#include "rdb/intset.h"
#include "rdb/lzf_peek.h"
#include "rdb/numtext.h"

#define LP_HDR 6u
#define ZL_HDR 10u
#define COUNT_UNKNOWN 65535u
/* An integer element's text ("-9223372036854775808") may be longer than a
 * tiny blob holding it; no element is longer than max(blob length, this). */
#define INT_TEXT_MAX 20u

/* The consumer asked for no element events, the caller allows shallow
 * blobs, and the kind carries a count in its header. Field-TTL listpacks
 * (arity 3) are walked: the key's has_field_ttl comes from their entries. */
static bool shallow_candidate(const parser *p, rdb_container_kind kind, int arity) {
    if (!p->skip || p->opt.shallow_max == 0 || arity > 2) return false;
    return kind == RDB_CT_LISTPACK || kind == RDB_CT_ZIPLIST || kind == RDB_CT_INTSET;
}

/* Checks the header of a listpack or ziplist of 'len' bytes from its first
 * bytes 'head' (at least the header; the whole blob when 'whole').
 * Returns 1 with *count set, 0 when the header does not state the count,
 * -1 with *err and *pos (offset in the blob) set. */
static int packed_header(rdb_container_kind kind, const uint8_t *head, size_t len, bool whole,
                         int arity, uint32_t *count, const char **err, size_t *pos) {
    bool lp = kind == RDB_CT_LISTPACK;
    size_t hdr = lp ? LP_HDR : ZL_HDR;
    *pos = 0;
    if (len < hdr + 1) {
        *err = lp ? "listpack shorter than its 7-byte minimum" : "ziplist shorter than its 11-byte minimum";
        return -1;
    }
    if ((uint64_t)rdb_u32le(head) != (uint64_t)len) {
        *err = lp ? "listpack total bytes does not match the blob length"
                  : "ziplist zlbytes does not match the blob length";
        return -1;
    }
    if (whole && head[len - 1] != 0xFF) {
        *pos = len - 1;
        *err = lp ? "listpack does not end with 0xFF" : "ziplist does not end with 0xFF";
        return -1;
    }
    if (!lp) {
        uint32_t tail = rdb_u32le(head + 4);
        if (tail < ZL_HDR || (uint64_t)tail > (uint64_t)len - 1) {
            *pos = 4;
            *err = "ziplist zltail points outside the entries";
            return -1;
        }
    }
    uint32_t n = rdb_u16le(head + (lp ? 4 : 8));
    if (n == COUNT_UNKNOWN) return 0;
    /* every entry takes two bytes at least (encoding + backlen, or
     * prevlen + encoding) */
    if ((uint64_t)n * 2 > (uint64_t)len - hdr - 1) {
        *pos = lp ? 4 : 8;
        *err = "element count in the header does not fit the blob length";
        return -1;
    }
    if (n % (uint32_t)arity != 0) {
        *pos = len - 1;
        *err = "element count is not a multiple of the entry size";
        return -1;
    }
    *count = n;
    return 1;
}

/* An intset's members ascend, so its longest decimal text is that of its
 * first (most negative) or last (largest) member: O(1) instead of a walk.
 * The width and length are checked as the walk would; of the order, only
 * that the ends ascend. Returns 0 or -1 with *err and *pos set. */
static int intset_ends(const uint8_t *b, size_t len, uint32_t *count, uint8_t *width,
                       uint64_t *largest, const char **err, size_t *pos) {
    intset_iter it;
    *pos = 0;
    if (intset_iter_init(&it, b, len, err) < 0) return -1;
    int64_t first = rdb_int_le(b + 8, it.width);
    int64_t last = rdb_int_le(b + 8 + (size_t)(it.count - 1) * it.width, it.width);
    if (it.count > 1 && first >= last) {
        *pos = 8 + (size_t)(it.count - 1) * it.width;
        *err = "intset members not ascending";
        return -1;
    }
    size_t a = rdb_int_text_len(first), z = rdb_int_text_len(last);
    *largest = a > z ? a : z;
    *count = it.count;
    *width = (uint8_t)it.width;
    return 0;
}

/* The start of an LZF-compressed listpack or ziplist that may go out
 * shallow: reads its compressed bytes and peeks at its header. Returns
 * RDB_OK with *peeked set when it did (the compressed bytes in *in, valid
 * until the next read: callbacks do not read), else RDB_OK with the reader
 * where it was, for rdb_read_blob. */
static rdb_status lzf_start(parser *p, blob *bl, const char *what, bool *peeked,
                            const uint8_t **in, uint8_t *head, size_t *headlen) {
    *peeked = false;
    const uint8_t *b = NULL;
    uint64_t at = rd_offset(&p->rd);
    rdb_status st = rdb_read_raw(p, 1, &b, what);
    if (st) return st;
    if (b[0] != 0xC3) {
        p->rd.pos--;   /* not LZF: read it whole, the usual way */
        return RDB_OK;
    }
    uint64_t clen = 0, ulen = 0;   /* set by rdb_read_lzf_header; LTO cannot see that */
    if ((st = rdb_read_lzf_header(p, at, &clen, &ulen, what))) return st;
    if (ulen > RDB_PIECES_MIN) {
        /* too long to hold: walked in pieces (piecewise.h), never shallow */
        rdb_pieces_open_lzf(p, clen, ulen, at);
        *bl = (blob){.len = (size_t)ulen, .file_off = at, .stored_len = clen, .compressed = true,
                     .pieces = true};
        return RDB_OK;
    }
    if (ulen > p->opt.shallow_max) {
        /* too long to skip: decompress it for the walk */
        rd_status rs = rd_read_into(&p->rd, clen, &p->lzfin, in);
        if (rs != RD_OK) return perr_rd(p, rs, what);
        if ((st = rdb_lzf_decompress(p, *in, clen, ulen, at, &p->lzfout, what))) return st;
        *bl = (blob){.ptr = p->lzfout.p, .len = (size_t)ulen, .file_off = at, .stored_len = clen,
                     .compressed = true};
        return RDB_OK;
    }
    if (clen <= RD_BLOCK_SIZE / 2) st = rdb_read_raw(p, (size_t)clen, in, what);
    else {
        rd_status rs = rd_read_into(&p->rd, clen, &p->lzfin, in);
        st = rs == RD_OK ? RDB_OK : perr_rd(p, rs, what);
    }
    if (st) return st;
    int got = lzf_peek(*in, (size_t)clen, head, ZL_HDR, (size_t)ulen);
    if (got < 0)
        return perr(p, RDB_ERR_FORMAT, at, "%s: LZF data does not decompress to the %llu bytes its header states",
                    what, (unsigned long long)ulen);
    *headlen = (size_t)got;
    *bl = (blob){.ptr = NULL, .len = (size_t)ulen, .file_off = at, .stored_len = clen,
                 .compressed = true};
    *peeked = true;
    return RDB_OK;
}

rdb_status rdb_read_packed_blob(parser *p, rdb_container_kind kind, int arity, blob *bl,
                                const char *what, bool *done, uint64_t *entries) {
    *done = false;
    rdb_status st;
    bool peeked = false;
    const uint8_t *in = NULL;
    uint8_t head[LZF_PEEK_MAX];
    size_t headlen = 0;
    bool candidate = shallow_candidate(p, kind, arity);
    bl->ptr = NULL;
    bl->pieces = false;
    if (candidate && kind != RDB_CT_INTSET) {
        if ((st = lzf_start(p, bl, what, &peeked, &in, head, &headlen))) return st;
        bl->kind = kind;
        if (!peeked && (bl->ptr || bl->pieces)) return RDB_OK;   /* too long to skip */
    }
    if (!peeked && (st = rdb_read_blob_to_walk(p, kind, bl, what))) return st;
    if (!candidate || bl->len > p->opt.shallow_max || bl->pieces) return RDB_OK;
    rdb_container c = {.kind = kind, .blob = {bl->ptr, bl->len}, .stored_len = bl->stored_len,
                       .compressed = bl->compressed, .shallow = true};
    const char *err = NULL;
    size_t pos = 0;
    uint64_t ilargest = 0;
    if (kind == RDB_CT_INTSET) {
        if (intset_ends(bl->ptr, bl->len, &c.entries, &c.intset_width, &ilargest, &err, &pos) < 0)
            return rdb_blob_error(p, bl, pos, "intset", err);
    } else {
        const uint8_t *h = peeked ? head : bl->ptr;
        int rc = packed_header(kind, h, bl->len, !peeked, arity, &c.entries, &err, &pos);
        if (rc < 0)
            return rdb_blob_error(p, bl, pos, kind == RDB_CT_LISTPACK ? "listpack" : "ziplist", err);
        if (rc == 0) goto walk;   /* count unknown */
    }
    int rc = p->h->on_container ? p->h->on_container(p->ctx, &p->key, &c) : RDB_SKIP;
    if (rc < 0) return pcb(p, rc);
    if (rc != RDB_SKIP) goto walk;
    *done = true;
    *entries = c.entries / (uint32_t)arity;
    p->kend.containers++;
    if (kind == RDB_CT_INTSET) {
        kend_largest(p, ilargest);
    } else {
        uint64_t bound = bl->len > INT_TEXT_MAX ? bl->len : INT_TEXT_MAX;
        p->kend.largest_exact = false;
        if (bound > p->kend.largest_bound) p->kend.largest_bound = bound;
    }
    return RDB_OK;
walk:
    /* the walk needs the bytes: decompress what was only peeked at */
    if (peeked) {
        if ((st = rdb_lzf_decompress(p, in, bl->stored_len, bl->len, bl->file_off, &p->lzfout, what)))
            return st;
        bl->ptr = p->lzfout.p;
    }
    return RDB_OK;
}
