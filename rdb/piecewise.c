/* piecewise.c: a packed blob decoded a piece at a time (piecewise.h).
 *
 * The window is one growable buffer holding blob bytes [wbase, wbase+wlen).
 * A fill first drops what no one needs any more (before the entry being
 * read, and for LZF before the last LZF_HISTORY bytes produced), then
 * produces up to PIECE_OUT bytes past what was asked for, so that a run of
 * short entries costs one fill per PIECE_OUT bytes, not one per entry.
 * Input comes from the reader in pieces of at most half its block; an LZF
 * piece may be decoded over several fills (the pointer into the reader's
 * block stays valid: nothing else reads in between).
 */
#include "rdb/internal.h"

#include <string.h>

/* Bytes produced per fill beyond what was asked for. */
#define PIECE_OUT ((size_t)RD_BLOCK_SIZE / 8)
/* Input taken from the reader at a time. */
#define PIECE_IN ((size_t)RD_BLOCK_SIZE / 2)

/* An RDB length at b[*i] (every form); *enc set for the special string
 * encodings (then *v is the encoding). False when b[0..n) is too short. */
static bool peek_len(const uint8_t *b, size_t n, size_t *i, uint64_t *v, bool *enc) {
    if (*i >= n) return false;
    uint8_t f = b[(*i)++];
    *enc = false;
    switch (f >> 6) {
    case 0: *v = f & 0x3f; return true;
    case 1:
        if (*i >= n) return false;
        *v = (uint64_t)(f & 0x3f) << 8 | b[(*i)++];
        return true;
    case 3: *enc = true; *v = f & 0x3f; return true;
    default: break;
    }
    unsigned w = f == 0x80 ? 4 : f == 0x81 ? 8 : 0;
    if (w == 0 || n - *i < w) return false;
    uint64_t x = 0;
    for (unsigned k = 0; k < w; k++) x = x << 8 | b[(*i)++];
    *v = x;
    return true;
}

bool rdb_pieces_wanted(parser *p) {
    reader *r = &p->rd;
    /* the longest prefix: LZF marker, then two 9-byte lengths */
    if (rd_avail(r) < 19) (void)rd_fill(r, 19);   /* short at the file's end: fine */
    const uint8_t *b = r->buf + r->pos;
    size_t n = rd_avail(r), i = 0;
    uint64_t v, clen, ulen;
    bool enc, e1, e2;
    if (!peek_len(b, n, &i, &v, &enc)) return false;
    if (!enc) return v > RDB_PIECES_MIN;
    if (v != 3 || !peek_len(b, n, &i, &clen, &e1) || !peek_len(b, n, &i, &ulen, &e2) || e1 || e2)
        return false;
    return ulen > RDB_PIECES_MIN;
}

static void start(pieces *pc, bool lzf, uint64_t len, uint64_t left, uint64_t at) {
    pc->active = true;
    pc->lzf = lzf;
    pc->len = len;
    pc->left = left;
    pc->at = at;
    pc->in = NULL;
    pc->in_n = 0;
    pc->wbase = 0;
    pc->wlen = 0;
    if (lzf) lzf_dec_init(&pc->dec, len);
}

void rdb_pieces_open_lzf(parser *p, uint64_t clen, uint64_t ulen, uint64_t at) {
    start(&p->pcs, true, ulen, clen, at);
}

rdb_status rdb_pieces_open(parser *p, const char *what) {
    uint64_t at = rd_offset(&p->rd);
    uint64_t len = 0;
    bool enc;
    rdb_status st = rdb_read_len(p, &len, &enc, what);
    if (st) return st;
    if (!enc) {
        if ((st = rdb_check_len(p, len, at, what))) return st;
        start(&p->pcs, false, len, len, rd_offset(&p->rd));
        return RDB_OK;
    }
    uint64_t clen = 0, ulen = 0;   /* rdb_pieces_wanted saw an LZF header */
    if ((st = rdb_read_lzf_header(p, at, &clen, &ulen, what))) return st;
    rdb_pieces_open_lzf(p, clen, ulen, at);
    return RDB_OK;
}

static rdb_status short_lzf(parser *p, const char *what) {
    return perr(p, RDB_ERR_FORMAT, p->pcs.at,
                "%s: LZF data does not decompress to the %llu bytes its header states", what,
                (unsigned long long)p->pcs.len);
}

rdb_status rdb_pieces_fill(parser *p, uint64_t keep, uint64_t need, const char *what) {
    pieces *pc = &p->pcs;
    uint64_t end = pc->wbase + pc->wlen;
    /* drop what is no longer needed */
    uint64_t nb = keep < end ? keep : end;
    if (pc->lzf && end - nb < LZF_HISTORY) nb = end > LZF_HISTORY ? end - LZF_HISTORY : 0;
    if (nb > pc->wbase) {
        size_t drop = (size_t)(nb - pc->wbase);
        memmove(pc->win.p, pc->win.p + drop, pc->wlen - drop);
        pc->wbase = nb;
        pc->wlen -= drop;
    }
    uint64_t target = pc->len - need > PIECE_OUT ? need + PIECE_OUT : pc->len;
    if (rd_buf_reserve(&pc->win, (size_t)(target - pc->wbase)) != RD_OK)
        return perr(p, RDB_ERR_NOMEM, pc->at, "out of memory walking a %llu-byte blob",
                    (unsigned long long)pc->len);
    while (pc->wbase + pc->wlen < target) {
        size_t room = (size_t)(target - pc->wbase - pc->wlen);
        uint8_t *out = pc->win.p + pc->wlen;
        if (!pc->lzf) {
            if (pc->left == 0) break;
            size_t n = room < PIECE_IN ? room : PIECE_IN;
            if (n > pc->left) n = (size_t)pc->left;
            const uint8_t *src = NULL;   /* set by rdb_read_raw; LTO cannot see that */
            rdb_status st = rdb_read_raw(p, n, &src, what);
            if (st) return st;
            memcpy(out, src, n);
            pc->left -= n;
            pc->wlen += n;
            continue;
        }
        if (pc->in_n == 0) {
            if (pc->left == 0) break;
            size_t n = pc->left < PIECE_IN ? (size_t)pc->left : PIECE_IN;
            rdb_status st = rdb_read_raw(p, n, &pc->in, what);
            if (st) return st;
            pc->in_n = n;
            pc->left -= n;
        }
        size_t used, made;
        int rc = lzf_dec_run(&pc->dec, pc->in, pc->in_n, &used, out, room, &made);
        pc->in += used;
        pc->in_n -= used;
        pc->wlen += made;
        if (rc < 0) return short_lzf(p, what);
    }
    if (pc->wbase + pc->wlen < need) return short_lzf(p, what);   /* raw input never falls short */
    return RDB_OK;
}

rdb_status rdb_pieces_close(parser *p, const char *what) {
    pieces *pc = &p->pcs;
    pc->active = false;
    if (!pc->lzf) {
        rd_status s = rd_skip(&p->rd, pc->left);   /* nothing, after a whole walk */
        return s == RD_OK ? RDB_OK : perr_rd(p, s, what);
    }
    /* every byte was produced: input left over would produce more */
    if (pc->in_n || pc->left || lzf_dec_end(&pc->dec) < 0) return short_lzf(p, what);
    return RDB_OK;
}
