/* model_hints.c: signs in a dump that its server ran a config the
 * prediction does not assume. A dump carries no config, yet some settings
 * leave marks:
 *
 *  - list-compress-depth > 0: quicklist nodes held LZF-compressed in memory
 *    are saved as they are, compressed, whatever rdbcompression says
 *    (rdb.c rdbSaveObject: quicklistNodeIsCompressed -> rdbSaveLzfBlob).
 *    With rdbcompression no every other value is saved plain, so LZF nodes
 *    among plain values can only come from list compression; their
 *    position says the depth (the first `depth` nodes of a list are never
 *    compressed, quicklist.c __quicklistCompress). With rdbcompression yes
 *    nothing tells the two apart, and nothing is said.
 *  - raised *-max-listpack-* / *-max-ziplist-* / set-max-intset-entries: a
 *    key saved compact (listpack, ziplist, intset) was compact on the
 *    server that wrote it, so that server's limit was at least its size;
 *    when the target's default is lower the prediction converts it.
 *
 * For each the report names the --config setting and how much the
 * predicted used_memory would move with it: for list compression exactly
 * the J(plain) - J(held) of the LZF nodes, for the limits the difference
 * between the converted key and the same key kept as its compact blob.
 */
#include "analyze/model_int.h"

#include <string.h>

void model_hints_init(model *m) {
    memset(&m->hints, 0, sizeof m->hints);
    m->hints.ql_head_min = UINT64_MAX;
    m->hints.list_first_lzf = -1;
}

void model_hints_string(model *m, const rdb_string_chunk *c) {
    if (c->offset != 0 || c->is_int || c->total_len < 64) return;
    if (c->compressed) m->hints.long_lzf++;
    else m->hints.long_raw++;
}

void model_hints_blob(model *m, const rdb_key *k, const rdb_container *c) {
    if (k->kind == RDB_KIND_LIST || c->blob.len < 64) return;
    if (c->compressed) m->hints.long_lzf++;
    else m->hints.long_raw++;
}

void model_hints_ql_node(model *m, uint64_t index, bool held, uint64_t plain_alloc, uint64_t held_alloc) {
    hint_state *h = &m->hints;
    h->list_nodes = index + 1;
    if (!held) return;
    if (h->list_first_lzf < 0) h->list_first_lzf = (int64_t)index;
    h->ql_lzf_nodes++;
    /* the prediction counts the node plain unless list-compress-depth is set */
    if (m->s.list_compress == 0 && plain_alloc > held_alloc) h->ql_saving += plain_alloc - held_alloc;
}

static void conv(hint_state *h, const char *directive, uint64_t value, uint64_t saving) {
    size_t i = 0;
    while (i < h->nconv && strcmp(h->conv[i].directive, directive) != 0) i++;
    if (i == h->nconv) {
        if (h->nconv == sizeof h->conv / sizeof h->conv[0]) return;
        h->nconv++;
        h->conv[i].directive = directive;
    }
    h->conv[i].keys++;
    h->conv[i].saving += saving;
    if (value > h->conv[i].value) h->conv[i].value = value;
}

void model_hints_key_end(model *m, const rdb_key *k, const rdb_key_end *end, const key_record *rec,
                         uint64_t value_ram) {
    hint_state *h = &m->hints;
    if (k->kind == RDB_KIND_LIST) {
        if (h->list_nodes >= 3) h->ql_multi++;
        if (h->list_first_lzf >= 0) {  /* reset at each key's begin (model.c) */
            h->ql_lists++;
            if ((uint64_t)h->list_first_lzf < h->ql_head_min) h->ql_head_min = (uint64_t)h->list_first_lzf;
        }
        return;
    }
    const char *e = rec->encoding;
    if (!e || !rec->has_bytes || !m->k.c.have_blob) return;
    /* (per blob key: the first letter spares most of them a libc call) */
    bool big = (e[0] == 'h' && !strcmp(e, "hashtable")) || (e[0] == 's' && !strcmp(e, "skiplist"));
    if (!big) return;
    /* saved compact, loaded big: the writer's limits held it compact */
    const model_profile *p = m->p;
    uint64_t kept = je_size(p, p->robj) + je_size(p, m->k.c.blob_len);
    uint64_t saving = value_ram > kept ? value_ram - kept : 0;
    bool zl = !p->listpack;
    switch (k->rdb_type) {
    case RDB_TYPE_HASH_LISTPACK: case RDB_TYPE_HASH_ZIPLIST: case RDB_TYPE_HASH_ZIPMAP:
        if ((long long)end->elements > m->s.hash_entries)
            conv(h, zl ? "hash-max-ziplist-entries" : "hash-max-listpack-entries", end->elements, saving);
        else if ((long long)end->largest > m->s.hash_value)
            conv(h, zl ? "hash-max-ziplist-value" : "hash-max-listpack-value", end->largest, saving);
        break;
    case RDB_TYPE_ZSET_LISTPACK: case RDB_TYPE_ZSET_ZIPLIST:
        if ((long long)end->elements > m->s.zset_entries)
            conv(h, zl ? "zset-max-ziplist-entries" : "zset-max-listpack-entries", end->elements, saving);
        else if ((long long)end->largest > m->s.zset_value)
            conv(h, zl ? "zset-max-ziplist-value" : "zset-max-listpack-value", end->largest, saving);
        break;
    case RDB_TYPE_SET_INTSET:
        if ((long long)end->elements > m->s.set_intset) conv(h, "set-max-intset-entries", end->elements, saving);
        break;
    case RDB_TYPE_SET_LISTPACK:
        if ((long long)end->elements > m->s.set_lp_entries)
            conv(h, "set-max-listpack-entries", end->elements, saving);
        else if ((long long)end->largest > m->s.set_lp_value)
            conv(h, "set-max-listpack-value", end->largest, saving);
        break;
    default: break;
    }
}

void model_hints_finish(const model *m, model_totals *t) {
    const hint_state *h = &m->hints;
    t->nhints = 0;
    /* most lists that compression would touch are compressed: one odd list
     * (compressed once under another setting) is no sign of the config */
    if (h->ql_lzf_nodes && h->long_lzf == 0 && h->long_raw > 0 && m->s.list_compress == 0 &&
        h->ql_lists * 2 > h->ql_multi) {
        model_config_hint *x = &t->hints[t->nhints++];
        x->directive = "list-compress-depth";
        x->value = h->ql_head_min == UINT64_MAX || h->ql_head_min == 0 ? 1 : h->ql_head_min;
        x->keys = h->ql_lists;
        x->saving = h->ql_saving;
        x->sign = "quicklist nodes saved LZF-compressed while every other value is saved plain "
                  "(rdbcompression no): the server compressed them in memory";
    }
    for (size_t i = 0; i < h->nconv && t->nhints < MODEL_MAX_HINTS; i++) {
        model_config_hint *x = &t->hints[t->nhints++];
        x->directive = h->conv[i].directive;
        x->value = h->conv[i].value;
        x->keys = h->conv[i].keys;
        x->saving = h->conv[i].saving;
        x->sign = "keys saved compact that this server's limit would convert: the server that "
                  "wrote the dump ran a higher limit";
    }
}
