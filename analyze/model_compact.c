/* model_compact.c: what a hashtable / skiplist collection would cost in the
 * compact encoding a near_encoding_limit finding proposes (model_int.h). */
#include "analyze/model_int.h"

/* What the value would cost in the compact encoding agg_find's
 * near_encoding_limit proposes for a hashtable / skiplist collection: a
 * listpack (a ziplist before 7.0) for a hash or zset, an intset for a set of
 * integers, else a listpack set (7.2+). The sizes are tracked for
 * collections just past the limits (enc_near_window, model_coll_entry);
 * beyond that, or for a hash with field TTLs, there is no estimate: false. */
bool model_compact_cost(const model *m, const key_state *ks, uint64_t n, value_cost *out)
{
    const model_profile *p = m->p;
    const coll_state *c = &ks->c;
    const char *packed = p->listpack ? "listpack" : "ziplist";
    uint64_t lp_len = 7 + c->lp_bytes;
    if (c->have_blob && (c->blob_kind == RDB_CT_LISTPACK || (c->blob_kind == RDB_CT_ZIPLIST && !p->listpack)))
        lp_len = c->blob_len;
    switch (ks->kind) {
    case RDB_KIND_HASH:
    case RDB_KIND_ZSET: {
        uint64_t window = ks->kind == RDB_KIND_HASH ? m->s.near_hash : m->s.near_zset;
        if (c->ttl_fields || ks->entries_skipped || n > window) return false;
        *out = (value_cost){packed, p->robj + blob_mu(p, lp_len), je_size(p, p->robj) + je_size(p, lp_len)};
        return true;
    }
    case RDB_KIND_SET:
        if (ks->entries_skipped || c->have_blob) return false;
        if (c->all_int && n <= m->s.near_set_intset) {
            unsigned w = intset_width(c->imin);
            if (intset_width(c->imax) > w) w = intset_width(c->imax);
            uint64_t bytes = 8 + n * w;
            *out = (value_cost){"intset", p->robj + blob_mu(p, bytes), je_size(p, p->robj) + je_size(p, bytes)};
            return true;
        }
        if (p->set_listpack && n <= m->s.near_set_lp) {
            *out = (value_cost){"listpack", p->robj + je_size(p, lp_len), je_size(p, p->robj) + je_size(p, lp_len)};
            return true;
        }
        return false;
    default:
        return false;
    }
}
