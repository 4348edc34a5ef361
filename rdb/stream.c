/* stream.c: stream values, types 15, 19, 21, 26 and 27 (rdb-format.md §10;
 * 26: Redis 8.6 IDMP, redis PR #14615; 27: Redis 8.8 XNACK, redis PR
 * #14797, every stream saved so from 8.8; both as redis/librdb 2.3.x
 * src/lib/parser.c elementStreamLP reads them).
 *
 *   nodes: len N, then N x (string 16-byte master ID, string listpack)
 *   len length, len last_id.ms, len last_id.seq
 *   [types >= 19] len first_id ms/seq, max_deleted_id ms/seq, entries_added
 *   len groups, per group:
 *     string name, len last_id ms/seq, [>= 19] len entries_read
 *     len pel, pel x (16-byte ID, 8-byte delivery ms, len delivery count)
 *     len consumers, per consumer: string name, 8-byte seen ms,
 *       [>= 21] 8-byte active ms, len pel, pel x 16-byte ID
 *     [>= 27] NACK zone: len n, n x 16-byte ID (big-endian ms, seq): the
 *       group's PEL entries no consumer owns (so n <= pel - owned)
 *   [>= 26] IDMP: len duration, len max entries, len producers, per
 *     producer: string id, len n, n x (string iid, len ms, len seq);
 *     then len iids_added, len iids_duplicates
 *
 * A node's listpack starts with a master entry (count, deleted, num_fields,
 * field names, 0), then entries: flags, ms-delta, seq-delta, then
 * [num_fields, field, value, ...] or, with the same-fields flag, the values
 * only; then the entry's element count (lp-count).
 */
#include "rdb/internal.h"
#include "rdb/bytes.h"

#include <stdio.h>
#include <string.h>

#include "rdb/listpack.h"
#include "rdb/lzf_peek.h"

#define STREAM_ITEM_FLAG_DELETED 1
#define STREAM_ITEM_FLAG_SAMEFIELDS 2

typedef struct node_ctx {
    const uint8_t *blob;
    size_t len;
    uint64_t file_off;
    bool compressed;
    lp_iter it;
} node_ctx;

static rdb_status node_error(parser *p, const node_ctx *n, const char *msg) {
    if (n->compressed)
        return perr(p, RDB_ERR_FORMAT, n->file_off, "corrupt stream listpack (LZF-compressed, byte %zu): %s",
                    n->it.pos, msg);
    return perr(p, RDB_ERR_FORMAT, n->file_off + n->it.pos, "corrupt stream listpack (byte %zu of %zu): %s",
                n->it.pos, n->len, msg);
}

/* Next listpack element, which must exist (an end here is corruption). */
static rdb_status node_next(parser *p, node_ctx *n, rdb_item *out, const char *what) {
    const char *err = NULL;
    int rc = lp_iter_next(&n->it, out, &err);
    if (rc < 0) return node_error(p, n, err);
    if (rc == 0) return node_error(p, n, what);
    return RDB_OK;
}

static rdb_status node_int(parser *p, node_ctx *n, int64_t *v, const char *what) {
    rdb_item it = {0};   /* set by node_next; LTO cannot see that */
    rdb_status st = node_next(p, n, &it, what);
    if (st) return st;
    if (!it.is_int) return node_error(p, n, what);
    *v = it.ival;
    return RDB_OK;
}

static rdb_status emit_field(parser *p, const rdb_item *f, const rdb_item *v) {
    kend_largest(p, f->len);
    kend_largest(p, v->len);
    if (p->skip || !p->h->on_entry) return RDB_OK;
    rdb_entry e = {.member = *f, .value = *v};
    return pcb(p, p->h->on_entry(p->ctx, &p->key, &e));
}

static rdb_status walk_node(parser *p, node_ctx *n, rdb_stream_id master, uint32_t *entries) {
    const char *err = NULL;
    rdb_status st;
    if (lp_iter_init(&n->it, n->blob, n->len, &err) < 0) return node_error(p, n, err);
    int64_t count = 0, deleted = 0, master_fields = 0, zero = 0;  /* for LTO: set by node_int */
    if ((st = node_int(p, n, &count, "missing master entry count"))) return st;
    if ((st = node_int(p, n, &deleted, "missing master deleted count"))) return st;
    if ((st = node_int(p, n, &master_fields, "missing master field count"))) return st;
    if (count < 0 || deleted < 0 || master_fields < 0 || (uint64_t)master_fields > n->len)
        return node_error(p, n, "negative or impossible master entry counts");
    lp_iter fields_start = n->it;
    rdb_item item;
    for (int64_t i = 0; i < master_fields; i++)
        if ((st = node_next(p, n, &item, "master entry ends early"))) return st;
    if ((st = node_int(p, n, &zero, "missing master entry terminator"))) return st;
    if (zero != 0) return node_error(p, n, "master entry terminator is not 0");

    int64_t live = 0, dead = 0;
    for (;;) {
        rdb_item flags_item;
        int rc = lp_iter_next(&n->it, &flags_item, &err);
        if (rc < 0) return node_error(p, n, err);
        if (rc == 0) break;
        if (!flags_item.is_int) return node_error(p, n, "entry flags are not an integer");
        int64_t flags = flags_item.ival, ms_delta, seq_delta, nf;
        if ((st = node_int(p, n, &ms_delta, "entry ms delta missing"))) return st;
        if ((st = node_int(p, n, &seq_delta, "entry seq delta missing"))) return st;
        bool same = flags & STREAM_ITEM_FLAG_SAMEFIELDS;
        if (same) nf = master_fields;
        else if ((st = node_int(p, n, &nf, "entry field count missing"))) return st;
        if (nf < 0 || (uint64_t)nf > n->len) return node_error(p, n, "impossible entry field count");
        bool is_deleted = flags & STREAM_ITEM_FLAG_DELETED;
        if (is_deleted) dead++; else live++;
        rdb_stream_entry se = {.id = {master.ms + (uint64_t)ms_delta, master.seq + (uint64_t)seq_delta},
                               .deleted = is_deleted, .num_fields = (uint32_t)nf};
        if (!p->skip && p->h->on_stream_entry &&
            (st = pcb(p, p->h->on_stream_entry(p->ctx, &p->key, &se))))
            return st;
        lp_iter mf = fields_start;
        for (int64_t i = 0; i < nf; i++) {
            rdb_item f, v;
            if (same) {
                if (lp_iter_next(&mf, &f, &err) != 1) return node_error(p, n, "master fields unreadable");
            } else if ((st = node_next(p, n, &f, "entry ends inside its fields"))) {
                return st;
            }
            if ((st = node_next(p, n, &v, "entry ends inside its values"))) return st;
            if ((st = emit_field(p, &f, &v))) return st;
        }
        int64_t lp_count;
        if ((st = node_int(p, n, &lp_count, "entry lp-count missing"))) return st;
        if (lp_count != (same ? 3 + nf : 4 + 2 * nf))
            return node_error(p, n, "entry lp-count does not match its fields");
    }
    if (live != count || dead != deleted)
        return node_error(p, n, "master entry counts do not match the entries");
    *entries = (uint32_t)(live + dead);
    return RDB_OK;
}

/* Shallow delivery of a node (rdb.h, rdb_container): its entry count from
 * the master entry alone, the rest unwalked. Only the listpack's header
 * (total bytes, and the terminator when the bytes are at hand) and the
 * master entry's two counts are checked; a walked node also checks every
 * entry against them, and the file's checksum still covers every byte.
 * 'head' holds the node's first 'have' bytes (all of them, or what
 * lzf_peek decoded of an LZF-compressed node). Returns RDB_OK with
 * *verdict 1 when the consumer took the node so, 0 when it must be walked
 * (the consumer asked, or the peeked bytes do not reach both counts). */
static rdb_status shallow_node(parser *p, node_ctx *n, const uint8_t *head, size_t have,
                               rdb_stream_id master, uint64_t stored, int *verdict) {
    *verdict = 0;
    const char *err = NULL;
    if (lp_iter_init_pieces(&n->it, head, have, n->len, &err) < 0) return node_error(p, n, err);
    int64_t counts[2];
    for (int i = 0; i < 2; i++) {
        rdb_item it;
        int rc = lp_iter_next_pieces(&n->it, &it, &err);
        if (rc == LP_ITER_MORE) return RDB_OK;   /* not in the peeked bytes: walk it */
        if (rc < 0) return node_error(p, n, err);
        if (rc == 0 || !it.is_int)
            return node_error(p, n, i ? "missing master deleted count" : "missing master entry count");
        counts[i] = it.ival;
    }
    int64_t count = counts[0], deleted = counts[1];
    /* an entry is at least 4 elements (flags, ms, seq, lp-count) of 2 bytes */
    if (count < 0 || deleted < 0 || (uint64_t)count + (uint64_t)deleted > n->len / 8)
        return node_error(p, n, "master entry counts exceed what the listpack can hold");
    rdb_container c = {.kind = RDB_CT_STREAM_NODE, .blob = {n->blob, n->len}, .stored_len = (size_t)stored,
                       .compressed = n->compressed, .entries = (uint64_t)count + (uint64_t)deleted,
                       .stream_ms = master.ms, .stream_seq = master.seq, .shallow = true};
    int rc = p->h->on_container(p->ctx, &p->key, &c);
    if (rc < 0) return pcb(p, rc);
    if (rc != RDB_SKIP) return RDB_OK;   /* walked as usual, and delivered again */
    /* RDB_SKIP here is this node's alone: the key's later events still come */
    *verdict = 1;
    p->kend.containers++;
    p->kend.largest_exact = false;
    uint64_t bound = n->len > 20 ? n->len : 20;   /* an integer's text is at most 20 bytes */
    if (bound > p->kend.largest_bound) p->kend.largest_bound = bound;
    return RDB_OK;
}

/* A node's listpack string. One that may go shallow and is LZF-compressed
 * is not decompressed for it: its first bytes are peeked at (lzf_peek) and
 * the node offered shallow; only if the consumer then wants it walked is it
 * decompressed. */
static rdb_status read_node(parser *p, rdb_stream_id master) {
    bool may = p->opt.shallow_max && p->h->on_container;
    uint64_t lat = rd_offset(&p->rd);
    rdb_item lp;
    uint64_t stored;
    bool compressed;
    rdb_status st;
    const uint8_t *b = NULL;
    if (may && (st = rdb_read_raw(p, 1, &b, "stream node listpack"))) return st;
    if (may && b[0] == 0xC3) {
        uint64_t clen = 0, ulen = 0;   /* set by rdb_read_lzf_header; LTO cannot see that */
        if ((st = rdb_read_lzf_header(p, lat, &clen, &ulen, "stream node listpack"))) return st;
        const uint8_t *in;
        rd_status rs = rd_read_into(&p->rd, clen, &p->lzfin, &in);
        if (rs != RD_OK) return perr_rd(p, rs, "stream node listpack");
        node_ctx n = {.len = (size_t)ulen, .compressed = true, .file_off = lat};
        if (ulen <= p->opt.shallow_max) {
            uint8_t head[LZF_PEEK_MAX];
            int got = lzf_peek(in, (size_t)clen, head, LZF_PEEK_MAX, (size_t)ulen);
            if (got < 0)
                return perr(p, RDB_ERR_FORMAT, lat,
                            "stream node listpack: LZF data does not decompress to the %llu bytes its header states",
                            (unsigned long long)ulen);
            int verdict;
            if ((st = shallow_node(p, &n, head, (size_t)got, master, clen, &verdict))) return st;
            if (verdict) return RDB_OK;
        }
        if ((st = rdb_lzf_decompress(p, in, clen, ulen, lat, &p->lzfout, "stream node listpack"))) return st;
        lp = (rdb_item){.ptr = p->lzfout.p, .len = (size_t)ulen};
        stored = clen;
        compressed = true;
    } else {
        if (may) p->rd.pos--;   /* not LZF: read it the usual way */
        if ((st = rdb_read_string(p, NULL, &lp, &stored, &compressed, "stream node listpack"))) return st;
    }
    if (lp.is_int || lp.len == 0)
        return perr(p, RDB_ERR_FORMAT, lat, "stream node listpack is empty or an integer");
    node_ctx n = {.blob = lp.ptr, .len = lp.len, .compressed = compressed,
                  .file_off = compressed ? lat : rd_offset(&p->rd) - lp.len};
    if (may && !compressed && lp.len <= p->opt.shallow_max) {
        int verdict;
        if ((st = shallow_node(p, &n, lp.ptr, lp.len, master, stored, &verdict))) return st;
        if (verdict) return RDB_OK;
    }
    uint32_t entries = 0;
    if ((st = walk_node(p, &n, master, &entries))) return st;
    p->kend.containers++;
    if (p->h->on_container) {
        rdb_container c = {.kind = RDB_CT_STREAM_NODE, .blob = {lp.ptr, lp.len},
                           .stored_len = stored, .compressed = compressed, .entries = entries,
                           .stream_ms = master.ms, .stream_seq = master.seq};
        if ((st = pcb(p, p->h->on_container(p->ctx, &p->key, &c)))) return st;
    }
    return RDB_OK;
}

static rdb_status read_id_pair(parser *p, rdb_stream_id *id, const char *what) {
    rdb_status st = rdb_read_plain_len(p, &id->ms, what);
    return st ? st : rdb_read_plain_len(p, &id->seq, what);
}

static rdb_status read_raw_id(parser *p, rdb_stream_id *id, const char *what) {
    const uint8_t *b = NULL;
    rdb_status st = rdb_read_raw(p, 16, &b, what);
    if (st) return st;
    id->ms = rdb_u64be(b);
    id->seq = rdb_u64be(b + 8);
    return RDB_OK;
}

static rdb_status read_nodes(parser *p, uint64_t *nodes_out) {
    uint64_t at = rd_offset(&p->rd);
    uint64_t nodes;
    rdb_status st;
    if ((st = rdb_read_plain_len(p, &nodes, "stream node count"))) return st;
    uint64_t here = rd_offset(&p->rd);
    if (p->opt.input_size && here <= p->opt.input_size && nodes > (p->opt.input_size - here) / 18)
        return perr(p, RDB_ERR_TRUNCATED, at, "stream claims %llu nodes, more than the file can hold",
                    (unsigned long long)nodes);
    for (uint64_t i = 0; i < nodes; i++) {
        rdb_item key;
        uint64_t kat = rd_offset(&p->rd);
        if ((st = rdb_read_string(p, &p->pairbuf, &key, NULL, NULL, "stream node key"))) return st;
        if (key.is_int || key.len != 16)
            return perr(p, RDB_ERR_FORMAT, kat, "stream node key is %zu bytes, expected 16", key.len);
        rdb_stream_id master = {rdb_u64be(key.ptr), rdb_u64be(key.ptr + 8)};
        if ((st = read_node(p, master))) return st;
    }
    *nodes_out = nodes;
    return RDB_OK;
}

/* A consumer's PEL: its IDs only (the delivery data is in the group's PEL). */
static rdb_status read_consumer_pel(parser *p, uint64_t count) {
    rdb_status st;
    for (uint64_t j = 0; j < count; j++) {
        rdb_stream_id id;
        if ((st = read_raw_id(p, &id, "consumer PEL id"))) return st;
        if (!p->skip && p->h->on_stream_consumer_pel &&
            (st = pcb(p, p->h->on_stream_consumer_pel(p->ctx, &p->key, &id))))
            return st;
    }
    return RDB_OK;
}

/* Type 27: the IDs of the group's PEL entries that no consumer owns. */
static rdb_status read_nack_zone(parser *p, const rdb_stream_group *g, uint64_t owned) {
    uint64_t at = rd_offset(&p->rd);
    rdb_stream_nack_zone z = {.group = g->name};
    rdb_status st = rdb_read_plain_len(p, &z.count, "NACK zone size");
    if (st) return st;
    if (z.count > g->pel_count - owned)
        return perr(p, RDB_ERR_FORMAT, at,
                    "NACK zone of group with %llu pending entries, %llu owned by consumers, claims %llu",
                    (unsigned long long)g->pel_count, (unsigned long long)owned, (unsigned long long)z.count);
    if (p->h->on_stream_nack_zone && (st = pcb(p, p->h->on_stream_nack_zone(p->ctx, &p->key, &z)))) return st;
    for (uint64_t i = 0; i < z.count; i++) {
        rdb_stream_id id;
        if ((st = read_raw_id(p, &id, "NACK zone id"))) return st;
        if (!p->skip && p->h->on_stream_nack && (st = pcb(p, p->h->on_stream_nack(p->ctx, &p->key, &id))))
            return st;
    }
    return RDB_OK;
}

static rdb_status read_group(parser *p) {
    uint8_t t = p->key.rdb_type;
    rdb_stream_group g = {0};
    rdb_item name;
    rdb_status st;
    if ((st = rdb_read_string(p, &p->pairbuf, &name, NULL, NULL, "consumer group name"))) return st;
    char tmp[24];
    if (name.is_int) return perr(p, RDB_ERR_FORMAT, rd_offset(&p->rd), "consumer group name is an integer");
    (void)tmp;
    g.name = (rdb_bytes){name.ptr, name.len};
    if ((st = read_id_pair(p, &g.last_id, "consumer group last id"))) return st;
    if (t >= RDB_TYPE_STREAM_LISTPACKS_2) {
        g.has_entries_read = true;
        if ((st = rdb_read_plain_len(p, &g.entries_read, "consumer group entries_read"))) return st;
    }
    uint64_t at = rd_offset(&p->rd);
    if ((st = rdb_read_plain_len(p, &g.pel_count, "group PEL size"))) return st;
    uint64_t here = rd_offset(&p->rd);
    if (p->opt.input_size && here <= p->opt.input_size && g.pel_count > (p->opt.input_size - here) / 25)
        return perr(p, RDB_ERR_TRUNCATED, at, "group PEL claims %llu entries, more than the file can hold",
                    (unsigned long long)g.pel_count);
    for (uint64_t i = 0; i < g.pel_count; i++) {
        rdb_stream_pel pe;
        if ((st = read_raw_id(p, &pe.id, "PEL entry id"))) return st;
        if ((st = rdb_read_i64le(p, &pe.delivery_time_ms, "PEL delivery time"))) return st;
        if ((st = rdb_read_plain_len(p, &pe.delivery_count, "PEL delivery count"))) return st;
        if (!p->skip && p->h->on_stream_pel &&
            (st = pcb(p, p->h->on_stream_pel(p->ctx, &p->key, &pe))))
            return st;
    }
    if ((st = rdb_read_plain_len(p, &g.consumers, "consumer count"))) return st;
    /* The group name lives in pairbuf; consumer names go to blobbuf. */
    if (p->h->on_stream_group && (st = pcb(p, p->h->on_stream_group(p->ctx, &p->key, &g)))) return st;
    uint64_t owned = 0;
    for (uint64_t i = 0; i < g.consumers; i++) {
        rdb_stream_consumer c = {0};
        rdb_item cname;
        if ((st = rdb_read_string(p, &p->blobbuf, &cname, NULL, NULL, "consumer name"))) return st;
        if (cname.is_int) {
            size_t n = (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)cname.ival);
            cname.ptr = (const uint8_t *)tmp;
            cname.len = n;
        }
        c.name = (rdb_bytes){cname.ptr, cname.len};
        if ((st = rdb_read_i64le(p, &c.seen_time_ms, "consumer seen time"))) return st;
        if (t >= RDB_TYPE_STREAM_LISTPACKS_3) {
            c.has_active_time = true;
            if ((st = rdb_read_i64le(p, &c.active_time_ms, "consumer active time"))) return st;
        }
        uint64_t cat = rd_offset(&p->rd);
        if ((st = rdb_read_plain_len(p, &c.pel_count, "consumer PEL size"))) return st;
        if (c.pel_count > g.pel_count - owned)
            return perr(p, RDB_ERR_FORMAT, cat, "consumers claim %llu pending entries, the group's PEL has %llu",
                        (unsigned long long)(owned + c.pel_count), (unsigned long long)g.pel_count);
        owned += c.pel_count;
        if ((st = read_consumer_pel(p, c.pel_count))) return st;
        if (p->h->on_stream_consumer && (st = pcb(p, p->h->on_stream_consumer(p->ctx, &p->key, &c))))
            return st;
    }
    if (t >= RDB_TYPE_STREAM_LISTPACKS_5) return read_nack_zone(p, &g, owned);
    return RDB_OK;
}

/* Types 26/27: the idempotent-producer (IDMP) section, delivered summed. */
static rdb_status read_idmp(parser *p) {
    rdb_stream_idmp m = {0};
    uint64_t v;
    rdb_item it;
    rdb_status st;
    if ((st = rdb_read_plain_len(p, &m.duration_s, "IDMP duration"))) return st;
    if ((st = rdb_read_plain_len(p, &m.max_entries, "IDMP max entries"))) return st;
    uint64_t at = rd_offset(&p->rd);
    if ((st = rdb_read_plain_len(p, &m.producers, "IDMP producer count"))) return st;
    uint64_t here = rd_offset(&p->rd);
    if (p->opt.input_size && here <= p->opt.input_size && m.producers > (p->opt.input_size - here) / 2)
        return perr(p, RDB_ERR_TRUNCATED, at, "IDMP claims %llu producers, more than the file can hold",
                    (unsigned long long)m.producers);
    for (uint64_t i = 0; i < m.producers; i++) {
        uint64_t n;
        if ((st = rdb_read_string(p, NULL, &it, NULL, NULL, "IDMP producer id"))) return st;
        m.pid_bytes += it.len;
        at = rd_offset(&p->rd);
        if ((st = rdb_read_plain_len(p, &n, "IDMP entry count"))) return st;
        here = rd_offset(&p->rd);
        if (p->opt.input_size && here <= p->opt.input_size && n > (p->opt.input_size - here) / 3)
            return perr(p, RDB_ERR_TRUNCATED, at, "IDMP producer claims %llu entries, more than the file can hold",
                        (unsigned long long)n);
        for (uint64_t j = 0; j < n; j++) {
            if ((st = rdb_read_string(p, NULL, &it, NULL, NULL, "IDMP iid"))) return st;
            m.iid_bytes += it.len;
            if ((st = rdb_read_plain_len(p, &v, "IDMP entry ms"))) return st;
            if ((st = rdb_read_plain_len(p, &v, "IDMP entry seq"))) return st;
        }
        m.entries += n;
    }
    if ((st = rdb_read_plain_len(p, &m.iids_added, "IDMP iids_added"))) return st;
    if ((st = rdb_read_plain_len(p, &m.iids_duplicates, "IDMP iids_duplicates"))) return st;
    return p->h->on_stream_idmp ? pcb(p, p->h->on_stream_idmp(p->ctx, &p->key, &m)) : RDB_OK;
}

rdb_status rdb_read_stream(parser *p) {
    uint8_t t = p->key.rdb_type;
    rdb_stream_meta m = {0};
    rdb_status st;
    if ((st = read_nodes(p, &m.nodes))) return st;
    if ((st = rdb_read_plain_len(p, &m.length, "stream length"))) return st;
    if ((st = read_id_pair(p, &m.last_id, "stream last id"))) return st;
    if (t >= RDB_TYPE_STREAM_LISTPACKS_2) {
        m.has_v2_fields = true;
        if ((st = read_id_pair(p, &m.first_id, "stream first id"))) return st;
        if ((st = read_id_pair(p, &m.max_deleted_id, "stream max deleted id"))) return st;
        if ((st = rdb_read_plain_len(p, &m.entries_added, "stream entries_added"))) return st;
    }
    if ((st = rdb_read_plain_len(p, &m.num_groups, "stream group count"))) return st;
    p->kend.elements = m.length;
    if (p->h->on_stream_meta && (st = pcb(p, p->h->on_stream_meta(p->ctx, &p->key, &m)))) return st;
    for (uint64_t i = 0; i < m.num_groups; i++)
        if ((st = read_group(p))) return st;
    if (t >= RDB_TYPE_STREAM_LISTPACKS_4 && (st = read_idmp(p))) return st;
    return RDB_OK;
}
