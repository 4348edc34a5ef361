/* packed.c: packed blobs as values (internal.h): a ziplist, listpack,
 * intset or zipmap read as one RDB string, or, when too long to hold,
 * opened to be read in pieces (piecewise.h), then walked entry by entry
 * through the format's iterator (ziplist.h, listpack.h, intset.h,
 * zipmap.h) and validated as it goes.
 *
 * The entries are delivered as element events, grouped by the value's
 * arity (a list item, a hash field and value, a zset member and score, a
 * field with its TTL), and the blob as one container event *after* them,
 * so that the event carries the walked entry count. Element events stop
 * after a consumer returns RDB_SKIP, but the walk goes on: the key summary
 * and the validation do not depend on it. Corrupt bytes are reported at
 * their offset in the file, or at the blob's start when it was compressed.
 */
#include "rdb/internal.h"

#include "rdb/intset.h"
#include "rdb/listpack.h"
#include "rdb/numtext.h"
#include "rdb/ziplist.h"
#include "rdb/zipmap.h"

/* ---- reading ---------------------------------------------------------------- */

rdb_status rdb_read_blob(parser *p, rdb_container_kind kind, blob *bl, const char *what) {
    rdb_item it;
    uint64_t at = rd_offset(&p->rd);
    rdb_status st = rdb_read_string(p, NULL, &it, &bl->stored_len, &bl->compressed, what);
    if (st) return st;
    if (it.is_int) return perr(p, RDB_ERR_FORMAT, at, "%s is an integer, expected a blob", what);
    bl->kind = kind;
    bl->ptr = it.ptr;
    bl->len = it.len;
    bl->file_off = bl->compressed ? at : rd_offset(&p->rd) - it.len;
    bl->pieces = false;
    return RDB_OK;
}

rdb_status rdb_read_blob_to_walk(parser *p, rdb_container_kind kind, blob *bl, const char *what) {
    if (!rdb_pieces_wanted(p)) return rdb_read_blob(p, kind, bl, what);
    uint64_t at = rd_offset(&p->rd);
    rdb_status st = rdb_pieces_open(p, what);
    if (st) return st;
    const pieces *pc = &p->pcs;
    *bl = (blob){.kind = kind, .len = (size_t)pc->len, .stored_len = pc->left,
                 .file_off = pc->lzf ? at : rd_offset(&p->rd), .compressed = pc->lzf,
                 .pieces = true};
    return RDB_OK;
}

rdb_status rdb_blob_error(parser *p, const blob *bl, size_t inner, const char *kind,
                          const char *msg) {
    if (bl->compressed)
        return perr(p, RDB_ERR_FORMAT, bl->file_off,
                    "corrupt %s (LZF-compressed, at byte %zu of %zu decompressed): %s", kind, inner,
                    bl->len, msg);
    return perr(p, RDB_ERR_FORMAT, bl->file_off + inner, "corrupt %s (byte %zu of %zu): %s", kind,
                inner, bl->len, msg);
}

/* ---- walking ---------------------------------------------------------------- */

/* One iterator over the three item-yielding blob kinds. */
typedef struct item_iter {
    rdb_container_kind kind;
    bool pieces;          /* walked in pieces: the iterators' window versions */
    zl_iter zl;
    lp_iter lp;
    intset_iter is;
} item_iter;

/* walk_blob's kinds (a zipmap and a stream node are walked elsewhere) */
static const char *blob_kind_name(rdb_container_kind k) {
    return k == RDB_CT_ZIPLIST ? "ziplist" : k == RDB_CT_INTSET ? "intset" : "listpack";
}

/* bytes: the blob's first 'have' bytes (all of them unless walked in
 * pieces, when at least its header) */
static int iter_init(item_iter *it, const blob *bl, const uint8_t *bytes, size_t have,
                     const char **err, size_t *pos) {
    it->kind = bl->kind;
    it->pieces = bl->pieces;
    int rc;
    switch (bl->kind) {
    case RDB_CT_ZIPLIST:
        rc = bl->pieces ? zl_iter_init_pieces(&it->zl, bytes, have, bl->len, err)
                        : zl_iter_init(&it->zl, bytes, bl->len, err);
        *pos = it->zl.pos;
        break;
    case RDB_CT_INTSET:
        rc = bl->pieces ? intset_iter_init_pieces(&it->is, bytes, have, bl->len, err)
                        : intset_iter_init(&it->is, bytes, bl->len, err);
        *pos = 0;
        break;
    default:
        rc = bl->pieces ? lp_iter_init_pieces(&it->lp, bytes, have, bl->len, err)
                        : lp_iter_init(&it->lp, bytes, bl->len, err);
        *pos = it->lp.pos;
        break;
    }
    return rc;
}

/* Walked in pieces: where the next item starts, and (after *_ITER_MORE)
 * how far the blob must be at hand. */
static size_t iter_at(const item_iter *it) {
    switch (it->kind) {
    case RDB_CT_ZIPLIST: return it->zl.pos;
    case RDB_CT_INTSET: return 8 + (size_t)it->is.index * it->is.width;
    default: return it->lp.pos;
    }
}

static size_t iter_need(const item_iter *it) {
    switch (it->kind) {
    case RDB_CT_ZIPLIST: return it->zl.need;
    case RDB_CT_INTSET: return it->is.need;
    default: return it->lp.need;
    }
}

static void iter_window(item_iter *it, const pieces *pc) {
    size_t end = (size_t)(pc->wbase + pc->wlen);
    switch (it->kind) {
    case RDB_CT_ZIPLIST: zl_iter_window(&it->zl, pc->win.p, (size_t)pc->wbase, end); break;
    case RDB_CT_INTSET: intset_iter_window(&it->is, pc->win.p, (size_t)pc->wbase, end); break;
    default: lp_iter_window(&it->lp, pc->win.p, (size_t)pc->wbase, end); break;
    }
}

/* Brings the blob up to the iterator's need, keeping the items of the
 * entry in progress (items[0..have), which start at 'keep'): they point
 * into the window, which may move. */
static rdb_status iter_refill(parser *p, item_iter *it, rdb_item *items, int have, size_t keep) {
    const pieces *pc = &p->pcs;
    size_t off[3];
    for (int k = 0; k < have; k++)
        off[k] = items[k].ptr ? (size_t)(items[k].ptr - pc->win.p) + (size_t)pc->wbase : 0;
    rdb_status st = rdb_pieces_fill(p, keep, iter_need(it), "packed value");
    if (st) return st;
    for (int k = 0; k < have; k++)
        if (items[k].ptr) items[k].ptr = pc->win.p + (off[k] - (size_t)pc->wbase);
    iter_window(it, pc);
    return RDB_OK;
}

static int iter_next(item_iter *it, rdb_item *out, const char **err, size_t *pos) {
    int rc;
    switch (it->kind) {
    case RDB_CT_ZIPLIST:
        rc = it->pieces ? zl_iter_next_pieces(&it->zl, out, err) : zl_iter_next(&it->zl, out, err);
        *pos = it->zl.pos;
        break;
    case RDB_CT_INTSET: {
        size_t off = 0;
        rc = intset_iter_next(&it->is, &out->ival, &off, err);
        if (rc == 1) {
            out->is_int = true;
            out->ptr = NULL;
            out->len = rdb_int_text_len(out->ival);
        }
        *pos = off;
        break;
    }
    default:
        rc = it->pieces ? lp_iter_next_pieces(&it->lp, out, err) : lp_iter_next(&it->lp, out, err);
        *pos = it->lp.pos;
        break;
    }
    return rc;
}

rdb_status rdb_walk_blob(parser *p, const blob *bl, int arity, bool zset, uint64_t *n) {
    const char *kname = blob_kind_name(bl->kind);
    const char *err = NULL;
    size_t pos = 0;
    item_iter it;
    rdb_status st;
    const uint8_t *bytes = bl->ptr;
    size_t at_hand = bl->len;
    if (bl->pieces) {
        /* the header first; entries are brought as the walk needs them */
        if ((st = rdb_pieces_fill(p, 0, bl->len < 16 ? bl->len : 16, "packed value"))) return st;
        bytes = p->pcs.win.p;
        at_hand = p->pcs.wlen;
        p->piece_entries = p->opt.streamed_elements;
    }
    if (iter_init(&it, bl, bytes, at_hand, &err, &pos) < 0) return rdb_blob_error(p, bl, pos, kname, err);
    rdb_item items[3];
    int have = 0;
    size_t entry_at = 0;   /* where the entry in progress starts */
    uint64_t raw = 0;
    *n = 0;
    rdb_entry e = {.streamed = bl->pieces};  /* reused: zeroing it per element was measurable */
    for (;;) {
        if (have == 0 && bl->pieces) entry_at = iter_at(&it);
        int rc = iter_next(&it, &items[have], &err, &pos);
        if (rc == LP_ITER_MORE) {   /* = ZL_ITER_MORE = INTSET_ITER_MORE */
            if ((st = iter_refill(p, &it, items, have, entry_at))) return st;
            continue;
        }
        if (rc < 0) return rdb_blob_error(p, bl, pos, kname, err);
        if (rc == 0) break;
        raw++;
        if (++have < arity) continue;
        have = 0;
        e.member = items[0];
        kend_largest(p, items[0].len);
        if (arity >= 2 && zset) {
            bool ok;
            e.score = rdb_item_to_double(&items[1], &ok);
            if (!ok) return rdb_blob_error(p, bl, pos, kname, "zset score is not a number");
            e.value = items[1];   /* the score as stored (rdb_entry) */
        } else if (arity >= 2) {
            e.value = items[1];
            kend_largest(p, items[1].len);
        }
        if (arity == 3) {
            if (!items[2].is_int) return rdb_blob_error(p, bl, pos, kname, "hash field TTL is not an integer");
            e.has_ttl = items[2].ival != 0;
            e.ttl_ms = items[2].ival;
            if (e.has_ttl) p->kend.has_field_ttl = true;
        }
        (*n)++;
        if ((st = rdb_emit_entry(p, &e))) return st;
    }
    if (have != 0) return rdb_blob_error(p, bl, pos, kname, "element count is not a multiple of the entry size");
    if (bl->pieces) {
        p->piece_entries = false;
        if ((st = rdb_pieces_close(p, "packed value"))) return st;
    }
    rdb_container c = {.kind = bl->kind, .blob = {bl->ptr, bl->len}, .stored_len = bl->stored_len,
                       .compressed = bl->compressed, .entries = (uint32_t)raw,
                       .streamed = bl->pieces};
    if (bl->kind == RDB_CT_INTSET) c.intset_width = (uint8_t)it.is.width;
    return rdb_emit_container(p, &c);
}

/* A HASH_ZIPMAP value (small hashes of old servers): field / value pairs in
 * one zipmap blob. */
rdb_status rdb_read_zipmap(parser *p) {
    blob bl;
    rdb_status st = rdb_read_blob_to_walk(p, RDB_CT_ZIPMAP, &bl, "zipmap");
    if (st) return st;
    zm_iter it;
    const char *err = NULL;
    int rc;
    if (bl.pieces) {
        if ((st = rdb_pieces_fill(p, 0, 1, "zipmap"))) return st;
        rc = zm_iter_init_pieces(&it, p->pcs.win.p, p->pcs.wlen, bl.len, &err);
        p->piece_entries = p->opt.streamed_elements;
    } else {
        rc = zm_iter_init(&it, bl.ptr, bl.len, &err);
    }
    if (rc < 0) return rdb_blob_error(p, &bl, it.pos, "zipmap", err);
    uint64_t n = 0;
    rdb_entry e = {.streamed = bl.pieces};  /* both items are overwritten by every step */
    for (;;) {
        rc = zm_iter_next(&it, &e.member, &e.value, &err);
        if (rc == ZM_ITER_MORE) {
            if ((st = rdb_pieces_fill(p, it.pos, it.need, "zipmap"))) return st;
            zm_iter_window(&it, p->pcs.win.p, (size_t)p->pcs.wbase, (size_t)(p->pcs.wbase + p->pcs.wlen));
            continue;
        }
        if (rc < 0) return rdb_blob_error(p, &bl, it.pos, "zipmap", err);
        if (rc == 0) break;
        kend_largest(p, e.member.len);
        kend_largest(p, e.value.len);
        n++;
        if ((st = rdb_emit_entry(p, &e))) return st;
    }
    p->kend.elements = n;
    if (bl.pieces) {
        p->piece_entries = false;
        if ((st = rdb_pieces_close(p, "zipmap"))) return st;
    }
    rdb_container c = {.kind = RDB_CT_ZIPMAP, .blob = {bl.ptr, bl.len}, .stored_len = bl.stored_len,
                       .compressed = bl.compressed, .entries = (uint32_t)(2 * n),
                       .streamed = bl.pieces};
    return rdb_emit_container(p, &c);
}
