/* model_list.c: lists as the loader builds them (quicklists of ziplist
 * nodes 3.2.13 .. 6.2.16, of listpack nodes from 7.0.15, and the plain
 * listpack 7.2.6+ makes of a small one; redis src/rdb.c rdbLoadObject,
 * src/quicklist.c, src/t_list.c of those tags and valkey 8.0.1), and what
 * MEMORY USAGE SAMPLES 0 reports for them (src/object.c objectComputeSize).
 *
 * Per node only its sizes are kept (ql_state): a list stored as quicklist
 * nodes keeps the file's nodes, re-encoded when ziplists meet a listpack
 * server; a list stored element by element (RDB_TYPE_LIST, and the whole-
 * list ziplist of RDB < 7) is rebuilt by quicklistPushTail, replayed here
 * node by node (model_list_push). 2.8's ziplist / linked list is model.c's. */
#include "analyze/model_int.h"

static void ql_node(model *m, uint64_t plain_len, uint64_t held_len, bool held_ok)
{
    const model_profile *p = m->p;
    ql_state *q = &m->k.ql;
    uint64_t plain = je_size(p, plain_len);
    /* quicklistLZF: sz (unsigned int up to 6.2, size_t from 7.0) + data */
    uint64_t held = held_ok ? je_size(p, (p->ver >= 700 ? 8 : 4) + held_len) : plain;
    uint64_t hlen = held_ok ? held_len : plain_len;
    uint64_t i = q->nodes++;
    long depth = m->s.list_compress;
    bool inner = depth > 0 && i >= (uint64_t)depth;
    model_hints_ql_node(m, i, held_ok, plain, held);
    q->plain_sum += plain;
    q->node_alloc_sum += inner ? held : plain;
    q->node_len_sum += inner ? hlen : plain_len;
    q->ring_plain[i % QL_RING] = plain;
    q->ring_held[i % QL_RING] = inner ? held : plain;
    q->ring_plain_len[i % QL_RING] = plain_len;
    q->ring_held_len[i % QL_RING] = inner ? hlen : plain_len;
    if (i == 0) q->first_len = plain_len;
}

/* quicklist.c optimization_level: the node size limit of a negative fill
 * (list-max-listpack-size -1 .. -5). Up to 7.0 a fill below -5 has no
 * level, so no element joins a node (_quicklistNodeSizeMeetsOptimization-
 * Requirement); from 7.2 quicklistNodeLimit clamps it to 64 KiB. */
static bool ql_level(const model_profile *p, long fill, uint64_t *limit)
{
    static const uint64_t lv[] = { 4096, 8192, 16384, 32768, 65536 };
    long i = -fill - 1;
    if (i > 4) {
        if (p->ver < 702 && p->family == FAM_REDIS) return false;
        i = 4;
    }
    *limit = lv[i];
    return true;
}

/* SIZE_SAFETY_LIMIT (quicklist.c 3.2.13 .. valkey 8.0.1) */
#define QL_SAFETY_LIMIT 8192

/* One quicklistPushTail of the loader (rdb.c rdbLoadObject: RDB_TYPE_LIST
 * element by element; RDB_TYPE_LIST_ZIPLIST through
 * quicklistAppendValuesFromZiplist up to 6.2, _listZiplistEntryConvertAndValidate
 * from 7.0, both pushing each entry's text). The element joins the tail
 * node when _quicklistNodeAllowInsert says so:
 *  - 3.2.13 .. 6.2.16 (ziplist nodes): new_sz = node sz + len + the
 *    ziplist overhead (prevlen 1 or 5 bytes at 254, encoding 1/2/5 bytes at
 *    64 / 16384); a negative fill allows new_sz <= its level, a positive
 *    one new_sz <= SIZE_SAFETY_LIMIT and fewer than fill entries;
 *  - 7.0.15 ..: the same with SIZE_ESTIMATE_OVERHEAD 8 for listpack nodes
 *    (7.2 quicklistNodeExceedsLimit says it the other way round, to the
 *    same effect), and a large element gets a PLAIN node of its own: from
 *    1 GiB (packed_threshold) in 7.0 / 7.2, from the fill's size limit in
 *    7.4 / valkey 8.0 (isLargeElement(sz, fill)).
 * A PLAIN tail takes nothing more. The node's blob grows by ziplistPush /
 * lpAppend (zl_entry_item / lp_entry_item: integer-looking text is stored
 * as an integer) and ends exactly sized (zrealloc / lp_realloc). */
void model_list_push(model *m, const rdb_item *it)
{
    const model_profile *p = m->p;
    ql_state *q = &m->k.ql;
    long fill = m->s.list_size;
    uint64_t sz = it->len;
    bool large;
    if (p->ql_plain_by_fill) {
        uint64_t lim = 0;   /* set when ql_level is true; -O1 (make tsan) cannot tell */
        large = fill >= 0 ? sz > QL_SAFETY_LIMIT : (ql_level(p, fill, &lim) && sz > lim);
    } else {
        large = p->listpack && sz >= ((uint64_t)1 << 30);
    }
    bool allow = false;
    if (q->tail_open && !q->tail_plain && !large) {
        uint64_t over;
        if (!p->listpack)
            over = (sz < 254 ? 1 : 5) + (sz < 64 ? 1 : sz < 16384 ? 2 : 5);
        else
            over = 8;
        uint64_t new_sz = q->tail_sz + sz + over, lim = 0;
        if (fill < 0) allow = ql_level(p, fill, &lim) && new_sz <= lim;
        else allow = new_sz <= QL_SAFETY_LIMIT && q->tail_count < (uint64_t)(fill ? fill : 1);
    }
    if (!allow) {
        if (q->tail_open) {
            if (q->nodes == 0) { q->first_entries = q->tail_count; q->first_plain = q->tail_plain; }
            ql_node(m, q->tail_sz, 0, false);
        }
        q->tail_open = true;
        q->tail_plain = large;
        q->tail_count = 0;
        q->tail_prev = 0;
        q->tail_sz = large ? 0 : p->listpack ? 7 : 11;   /* empty listpack / ziplist */
    }
    q->tail_count++;
    if (q->tail_plain) { q->tail_sz = sz; return; }
    if (p->listpack) {
        q->tail_sz += lp_entry_item(it);
    } else {
        uint64_t e = zl_entry_item(q->tail_prev, it);
        q->tail_sz += e;
        q->tail_prev = e;
    }
}

/* The loader's last node, before model_list_cost. */
void model_list_close(model *m)
{
    ql_state *q = &m->k.ql;
    if (!q->tail_open) return;
    if (q->nodes == 0) { q->first_entries = q->tail_count; q->first_plain = q->tail_plain; }
    ql_node(m, q->tail_sz, 0, false);
    q->tail_open = false;
}

void model_list_container(model *m, const rdb_key *k, const rdb_container *c)
{
    const model_profile *p = m->p;
    key_state *ks = &m->k;
    ql_state *q = &ks->ql;
    uint64_t len = c->blob.len;
    if (c->kind == RDB_CT_ZIPLIST && p->listpack) len = 7 + q->lp_cur;  /* re-encoded */
    if (k->rdb_type == RDB_TYPE_LIST_ZIPLIST) {
        /* a whole-list ziplist (RDB < 7): rebuilt entry by entry (model_list_push) */
        return;
    }
    /* An LZF-stored node is what quicklist compression makes of it too
     * (same lzf_compress on the same bytes); it stays compressed in RAM
     * when list-compress-depth puts it inside and the gain holds
     * (quicklist.c __quicklistCompressNode: sz >= 48, 8 bytes saved). */
    bool held_ok = c->compressed && c->blob.len >= 48 && c->stored_len + 8 < c->blob.len &&
                   len == c->blob.len;
    if (q->nodes == 0) {
        q->first_entries = c->entries;
        q->first_plain = c->kind == RDB_CT_QUICKLIST_PLAIN;
    }
    ql_node(m, len, c->stored_len, held_ok);
    q->lp_cur = 0;
    q->lp_cur_n = 0;
}

/* ---- lists -------------------------------------------------------------- */

/* quicklist.c optimization_level (3.2.13 .. 7.4.1) */
static uint64_t ql_size_limit(long fill)
{
    static const uint64_t lv[] = { 4096, 8192, 16384, 32768, 65536 };
    if (fill >= 0) return 8192;   /* SIZE_SAFETY_LIMIT */
    long i = -fill - 1;
    if (i > 4) i = 4;
    return lv[i];
}

void model_list_cost(const model *m, const key_state *ks, const rdb_key_end *end, value_cost *out)
{
    const model_profile *p = m->p;
    ql_state q = ks->ql;
    (void)end;
    /* the last `depth` nodes stay uncompressed (a list the loader rebuilt
     * element by element, ql_push, is modelled uncompressed) */
    long depth = m->s.list_compress;
    if (depth > 0) {
        uint64_t tail = (uint64_t)depth < q.nodes ? (uint64_t)depth : q.nodes;
        if (tail > QL_RING) tail = QL_RING;
        for (uint64_t j = 0; j < tail; j++) {
            uint64_t i = q.nodes - 1 - j;
            if (i < (uint64_t)depth) break;   /* already counted plain */
            q.node_alloc_sum += q.ring_plain[i % QL_RING] - q.ring_held[i % QL_RING];
            q.node_len_sum += q.ring_plain_len[i % QL_RING] - q.ring_held_len[i % QL_RING];
        }
    }
    if (q.nodes == 0) { out->encoding = "quicklist"; out->mu = out->ram = 0; return; }
    /* 7.2+: a single packed node under the limits becomes a plain listpack
     * (t_list.c listTypeTryConvertQuicklist, LIST_CONV_AUTO after a load of
     * RDB_TYPE_LIST or a quicklist; rdb.c leaves the quicklist it builds
     * from an RDB_TYPE_LIST_ZIPLIST as it is, 7.2.6 .. valkey 8.0.1) */
    if (p->list_listpack && q.nodes == 1 && !q.first_plain &&
        ks->rdb_type != RDB_TYPE_LIST_ZIPLIST &&
        q.first_len <= ql_size_limit(m->s.list_size) &&
        (m->s.list_size < 0 || q.first_entries <= (uint64_t)m->s.list_size)) {
        out->encoding = "listpack";
        out->ram = je_size(p, p->robj) + je_size(p, q.first_len);
        out->mu = p->robj + je_size(p, q.first_len);
        return;
    }
    out->encoding = "quicklist";
    out->ram = je_size(p, p->robj) + je_size(p, p->ql_struct) +
               q.nodes * je_size(p, p->ql_node) + q.node_alloc_sum;
    uint64_t ele = q.nodes * p->ql_node + (p->mu_blob_rounded ? q.node_alloc_sum : q.node_len_sum);
    out->mu = mu_add_avg(p->robj + p->ql_struct, ele, q.nodes, q.nodes);
}
