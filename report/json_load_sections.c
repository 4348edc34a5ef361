/* json_load_sections.c: a saved report's aggregate sections back into the
 * aggregate (json_load_int.h): totals, by_db, by_type with its histograms,
 * by_encoding, the TTL buckets, the module rows, the cluster view and the
 * prefix table. Schema 1 reports have the sections only; schema 2 adds
 * what a merge needs in the "merge" member (histograms, every prefix
 * node, the cluster's slot sums and tag sketch).
 */
#include "report/json_load_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jl_read_totals(jctx *c, const report_doc *d, json_t *o, const char *w, agg_totals *t) {
    t->keys = jl_get_u64(c, o, w, "keys");
    t->bytes = jl_get_u64(c, o, w, "bytes");
    t->elements = jl_get_u64(c, o, w, "elements");
    t->string_length = jl_get_u64_v2(c, d, o, w, "string_length");
    t->keys_module = jl_get_u64_v2(c, d, o, w, "keys_module");
    t->keys_module_unmodelled = jl_get_u64_v2(c, d, o, w, "keys_module_unmodelled");
    json_t *bb = jl_has_v2(d, o, "bytes_by_basis") ? jl_get_obj(c, o, w, "bytes_by_basis", false) : NULL;
    if (bb) {
        char wb[96];
        snprintf(wb, sizeof wb, "%s.bytes_by_basis", w);
        t->bytes_measured_model = jl_get_u64(c, bb, wb, "measured-model");
        t->bytes_source_model = jl_get_u64(c, bb, wb, "source-model");
        t->bytes_serialized_size = jl_get_u64(c, bb, wb, "serialized-size");
    }
    t->predicted_used_memory = jl_get_u64_opt(c, o, w, "predicted_used_memory", &t->has_predicted_used_memory);
    t->aux_used_mem = jl_get_u64_opt(c, o, w, "aux_used_mem", &t->has_aux_used_mem);
    t->keys_with_ttl = jl_get_u64(c, o, w, "keys_with_ttl");
    t->bytes_with_ttl = jl_get_u64(c, o, w, "bytes_with_ttl");
    t->keys_expired = jl_get_u64(c, o, w, "keys_expired");
    t->bytes_expired = jl_get_u64(c, o, w, "bytes_expired");
    t->keys_unmodelled = jl_get_u64(c, o, w, "keys_unmodelled");
}


void jl_read_dbs(jctx *c, report_doc *d, agg *a) {
    json_t *rows = jl_get_arr(c, d->root, "report", "by_db");
    for (size_t i = 0; !c->failed && i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        char w[64];
        snprintf(w, sizeof w, "by_db[%zu]", i);
        agg_db_row row;
        memset(&row, 0, sizeof row);
        row.db = jl_get_u64(c, r, w, "db");
        row.keys = jl_get_u64(c, r, w, "keys");
        row.bytes = jl_get_u64(c, r, w, "bytes");
        row.elements = jl_get_u64(c, r, w, "elements");
        json_t *types = d->schema >= 2 ? jl_get_arr(c, r, w, "types") : NULL;
        for (size_t j = 0; !c->failed && types && j < json_array_size(types); j++) {
            json_t *t = json_array_get(types, j);
            char wt[96];
            snprintf(wt, sizeof wt, "%s.types[%zu]", w, j);
            int k = jl_kind_of(c, jl_get_str(c, t, wt, "type", false), wt);
            if (k < 0) break;
            row.type_keys[k] = jl_get_u64(c, t, wt, "keys");
            row.type_bytes[k] = jl_get_u64(c, t, wt, "bytes");
            row.type_keys_no_ttl[k] = jl_get_u64(c, t, wt, "keys_no_ttl");
        }
        if (!c->failed && agg_part_db(a, &row) < 0) jl_fail(c, "out of memory");
    }
}

static void read_hist(jctx *c, json_t *h, const char *w, agg_hist *out) {
    memset(out, 0, sizeof *out);
    out->count = jl_get_u64(c, h, w, "count");
    out->min = jl_get_u64(c, h, w, "min");
    out->max = jl_get_u64(c, h, w, "max");
    json_t *b = jl_get_arr(c, h, w, "buckets");
    uint64_t sum = 0;
    char wb[96];
    snprintf(wb, sizeof wb, "%s.buckets", w);
    for (size_t i = 0; !c->failed && i < json_array_size(b); i++) {
        uint64_t idx, n;
        if (!jl_pair_at(c, b, i, wb, "[index, count]", wb, &idx, &n)) break;
        if (idx >= AGG_HIST_BUCKETS) {
            jl_fail(c, "%s[%zu]: bucket %llu out of range", wb, i, (unsigned long long)idx);
            break;
        }
        out->bucket[idx] += n;
        sum += n;
    }
    if (!c->failed && sum != out->count)
        jl_fail(c, "%s: buckets hold %llu values, count says %llu", w, (unsigned long long)sum,
                (unsigned long long)out->count);
}

/* The counts of a by_type or by_encoding row: keys, bytes, elements and,
 * for strings, the sum of their lengths (which schema 1 may lack: 0). */
static void read_counts(jctx *c, const report_doc *d, json_t *r, const char *w, rdb_kind type,
                        uint64_t *keys, uint64_t *bytes, uint64_t *elements, uint64_t *length) {
    *keys = jl_get_u64(c, r, w, "keys");
    *bytes = jl_get_u64(c, r, w, "bytes");
    *elements = jl_get_u64(c, r, w, "elements");
    if (type == RDB_KIND_STRING) *length = jl_get_u64_v2(c, d, r, w, "length");
}

void jl_read_types(jctx *c, report_doc *d, agg *a, json_t *merge) {
    json_t *rows = jl_get_arr(c, d->root, "report", "by_type");
    json_t *hists = merge ? jl_get_arr(c, merge, "merge", "histograms") : NULL;
    agg_hist *hb = NULL, *he = NULL;
    if (hists) {
        hb = malloc(sizeof *hb);
        he = malloc(sizeof *he);
        if (!hb || !he) jl_fail(c, "out of memory");
    }
    for (size_t i = 0; !c->failed && i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        char w[64];
        snprintf(w, sizeof w, "by_type[%zu]", i);
        agg_type_row row;
        memset(&row, 0, sizeof row);
        int k = jl_kind_of(c, jl_get_str(c, r, w, "type", false), w);
        if (k < 0) break;
        row.type = (rdb_kind)k;
        read_counts(c, d, r, w, row.type, &row.keys, &row.bytes, &row.elements, &row.length);
        bool found = false;
        for (size_t j = 0; hists && !c->failed && j < json_array_size(hists); j++) {
            json_t *h = json_array_get(hists, j);
            char wh[64];
            snprintf(wh, sizeof wh, "merge.histograms[%zu]", j);
            const char *tn = jl_get_str(c, h, wh, "type", false);
            if (!tn || strcmp(tn, rdb_kind_name(row.type))) continue;
            char wb[80], we[80];
            snprintf(wb, sizeof wb, "%s.bytes", wh);
            snprintf(we, sizeof we, "%s.elements", wh);
            read_hist(c, jl_get_obj(c, h, wh, "bytes", false), wb, hb);
            read_hist(c, jl_get_obj(c, h, wh, "elements", false), we, he);
            if (!c->failed && (hb->count != row.keys || he->count != row.keys))
                jl_fail(c, "%s: histograms of %llu keys for a type of %llu", wh,
                        (unsigned long long)hb->count, (unsigned long long)row.keys);
            found = true;
        }
        if (hists && !found && !c->failed) jl_fail(c, "merge.histograms: no histograms for type %s", rdb_kind_name(row.type));
        if (!c->failed) agg_part_type(a, &row, found ? hb : NULL, found ? he : NULL);
    }
    free(hb);
    free(he);
}

void jl_read_encodings(jctx *c, report_doc *d, agg *a) {
    json_t *rows = jl_get_arr(c, d->root, "report", "by_encoding");
    for (size_t i = 0; !c->failed && i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        char w[64];
        snprintf(w, sizeof w, "by_encoding[%zu]", i);
        agg_enc_row row;
        memset(&row, 0, sizeof row);
        int k = jl_kind_of(c, jl_get_str(c, r, w, "type", false), w);
        if (k < 0) break;
        row.type = (rdb_kind)k;
        row.encoding = jl_get_str(c, r, w, "encoding", true);
        read_counts(c, d, r, w, row.type, &row.keys, &row.bytes, &row.elements, &row.length);
        if (!c->failed && agg_part_encoding(a, &row) < 0) jl_fail(c, "out of memory");
    }
}

void jl_read_ttl(jctx *c, report_doc *d, agg *a) {
    json_t *t = jl_get_obj(c, d->root, "report", "ttl", false);
    json_t *b = jl_get_arr(c, t, "ttl", "buckets");
    for (size_t i = 0; !c->failed && i < json_array_size(b); i++) {
        json_t *r = json_array_get(b, i);
        char w[64];
        snprintf(w, sizeof w, "ttl.buckets[%zu]", i);
        const char *name = jl_get_str(c, r, w, "name", false);
        unsigned k = 0;
        while (name && k < AGG_TTL_COUNT_ && strcmp(agg_ttl_bucket_name(k), name)) k++;
        if (!c->failed && k == AGG_TTL_COUNT_) jl_fail(c, "%s.name: unknown bucket \"%s\"", w, name);
        uint64_t keys = jl_get_u64(c, r, w, "keys"), bytes = jl_get_u64(c, r, w, "bytes");
        if (!c->failed) agg_part_ttl(a, k, keys, bytes);
    }
}

/* merge.modules: the module rows, as [module, encver, keys, bytes,
 * serialized_bytes, elements, [keys by basis]] */
void jl_read_modules(jctx *c, agg *a, json_t *merge) {
    json_t *mods = jl_get_arr(c, merge, "merge", "modules");
    for (size_t i = 0; !c->failed && i < json_array_size(mods); i++) {
        json_t *o = json_array_get(mods, i);
        char w[64];
        snprintf(w, sizeof w, "merge.modules[%zu]", i);
        json_t *kb = json_array_get(o, 6);
        if (!json_is_array(o) || json_array_size(o) != 7 || !json_is_string(json_array_get(o, 0)) ||
            !json_is_array(kb) || json_array_size(kb) != KEY_BASIS_COUNT_) {
            jl_fail(c, "%s: expected [module, encver, keys, bytes, serialized_bytes, elements, [keys by basis]]", w);
            break;
        }
        agg_module_row m;
        memset(&m, 0, sizeof m);
        const char *name = json_string_value(json_array_get(o, 0));
        if (strlen(name) >= sizeof m.module) {
            jl_fail(c, "%s: module name longer than 9 bytes", w);
            break;
        }
        strcpy(m.module, name);
        uint64_t ev = jl_at_u64(c, o, 1, w);
        m.encver = (unsigned)(ev > UINT32_MAX ? UINT32_MAX : ev);
        m.keys = jl_at_u64(c, o, 2, w);
        m.bytes = jl_at_u64(c, o, 3, w);
        m.serialized_bytes = jl_at_u64(c, o, 4, w);
        m.elements = jl_at_u64(c, o, 5, w);
        for (unsigned b = 0; b < KEY_BASIS_COUNT_; b++) m.keys_by_basis[b] = jl_at_u64(c, kb, b, w);
        if (!c->failed && agg_part_module(a, &m) < 0) jl_fail(c, "out of memory");
    }
}

void jl_read_prefixes(jctx *c, report_doc *d, agg *a, json_t *merge) {
    json_t *p = jl_get_obj(c, d->root, "report", "prefixes", false);
    bool hit = jl_get_bool(c, p, "prefixes", "budget_hit");
    uint64_t evicted = jl_get_u64(c, p, "prefixes", "evicted_nodes");
    if (c->failed) return;
    agg_part_prefix_state(a, hit, evicted);
    if (!merge) {
        /* schema 1: the reported nodes only */
        json_t *nodes = jl_get_arr(c, p, "prefixes", "nodes");
        for (size_t i = 0; !c->failed && i < json_array_size(nodes); i++) {
            json_t *o = json_array_get(nodes, i);
            char w[64];
            snprintf(w, sizeof w, "prefixes.nodes[%zu]", i);
            agg_prefix_row r;
            memset(&r, 0, sizeof r);
            r.name = jl_get_bytes(c, d, o, w, "prefix", &r.name_len);
            r.depth = (unsigned)jl_get_u64(c, o, w, "depth");
            r.other = jl_get_bool(c, o, w, "other");
            r.keys = jl_get_u64(c, o, w, "keys");
            r.bytes = jl_get_u64(c, o, w, "bytes");
            r.elements = jl_get_u64(c, o, w, "elements");
            r.keys_no_ttl = jl_get_u64(c, o, w, "keys_no_ttl");
            r.bytes_no_ttl = jl_get_u64(c, o, w, "bytes_no_ttl");
            if (!c->failed && agg_part_prefix(a, &r) != 0) jl_fail(c, "%s: not a node of this table (depth or name)", w);
        }
        return;
    }
    json_t *nodes = jl_get_arr(c, merge, "merge", "prefix_nodes");
    for (size_t i = 0; !c->failed && i < json_array_size(nodes); i++) {
        json_t *o = json_array_get(nodes, i);
        char w[64];
        snprintf(w, sizeof w, "merge.prefix_nodes[%zu]", i);
        if (!json_is_array(o) || json_array_size(o) != 9) {
            jl_fail(c, "%s: expected [prefix, depth, other, keys, bytes, elements, keys_no_ttl, bytes_no_ttl, {type: bytes}]", w);
            break;
        }
        agg_prefix_row r;
        memset(&r, 0, sizeof r);
        r.name = jl_unprintable(c, d, json_array_get(o, 0), w, &r.name_len);
        uint64_t v[7];
        for (size_t j = 1; j < 8; j++) v[j - 1] = jl_at_u64(c, o, j, w);
        r.depth = (unsigned)(v[0] > AGG_PREFIX_MAX_DEPTH ? 0 : v[0]);
        r.other = v[1] != 0;
        r.keys = v[2];
        r.bytes = v[3];
        r.elements = v[4];
        r.keys_no_ttl = v[5];
        r.bytes_no_ttl = v[6];
        json_t *tb = json_array_get(o, 8);
        const char *tn;
        json_t *tv;
        if (!json_is_object(tb)) jl_fail(c, "%s[8]: expected an object of type bytes", w);
        else {
            json_object_foreach(tb, tn, tv) {
                int k = jl_kind_of(c, tn, w);
                if (k < 0) break;
                char wt[96];
                snprintf(wt, sizeof wt, "%s[8].%s", w, tn);
                jl_u64_of(c, tv, wt, &r.type_bytes[k]);
            }
        }
        if (!c->failed && agg_part_prefix(a, &r) != 0)
            jl_fail(c, "%s: not a node of this table (depth %u, name of %zu bytes)", w, r.depth, r.name_len);
    }
}

/* merge.cluster: the cluster view's slot sums and hash-tag sketch */
void jl_read_cluster(jctx *c, report_doc *d, agg *a, json_t *merge) {
    json_t *cl = jl_get(c, merge, "merge", "cluster", JSON_OBJECT, true);
    if (!cl || c->failed) return;
    const char *w = "merge.cluster";
    agg_cluster_summary x;
    memset(&x, 0, sizeof x);
    x.reason = jl_get_str(c, cl, w, "reason", true);
    x.functions_ram = jl_get_u64(c, cl, w, "functions_ram");
    x.other_db_keys = jl_get_u64(c, cl, w, "other_db_keys");
    json_t *slots = jl_get_arr(c, cl, w, "slots");
    json_t *tags = jl_get_obj(c, cl, w, "tags", false);
    json_t *rows = jl_get_arr(c, tags, "merge.cluster.tags", "rows");
    if (c->failed) return;
    size_t ns = json_array_size(slots), nt = json_array_size(rows);
    if (ns > SLOT_COUNT || nt > AGG_TAGS_TRACKED) {
        jl_fail(c, "%s: %zu slots, %zu tags (at most %d and %d)", w, ns, nt, SLOT_COUNT, AGG_TAGS_TRACKED);
        return;
    }
    agg_slot_row *sv = calloc(ns ? ns : 1, sizeof *sv);
    agg_tag_row *tv = calloc(nt ? nt : 1, sizeof *tv);
    const agg_tag_row **tp = calloc(nt ? nt : 1, sizeof *tp);
    if (!sv || !tv || !tp) jl_fail(c, "out of memory");
    for (size_t i = 0; !c->failed && i < ns; i++) {
        json_t *r = json_array_get(slots, i);
        if (!json_is_array(r) || json_array_size(r) != 5) {
            jl_fail(c, "%s.slots[%zu]: expected [slot, keys, expires, ram, bytes]", w, i);
            break;
        }
        uint64_t sl = jl_at_u64(c, r, 0, "merge.cluster.slots");
        if (!c->failed && sl >= SLOT_COUNT) jl_fail(c, "%s.slots[%zu]: slot %llu", w, i, (unsigned long long)sl);
        sv[i] = (agg_slot_row){(unsigned)sl, jl_at_u64(c, r, 1, w), jl_at_u64(c, r, 4, w), jl_at_u64(c, r, 2, w),
                               jl_at_u64(c, r, 3, w)};
    }
    for (size_t i = 0; !c->failed && i < nt; i++) {
        json_t *r = json_array_get(rows, i);
        char wr[64];
        snprintf(wr, sizeof wr, "%s.tags.rows[%zu]", w, i);
        if (!json_is_array(r) || json_array_size(r) != 6) {
            jl_fail(c, "%s: expected [tag, length, slot, keys, bytes, error]", wr);
            break;
        }
        tv[i].tag = jl_unprintable(c, d, json_array_get(r, 0), wr, &tv[i].tag_len);
        tv[i].tag_full_len = jl_at_u64(c, r, 1, wr);
        uint64_t sl = jl_at_u64(c, r, 2, wr);
        tv[i].keys = jl_at_u64(c, r, 3, wr);
        tv[i].bytes = jl_at_u64(c, r, 4, wr);
        tv[i].error = jl_at_u64(c, r, 5, wr);
        if (!c->failed && (sl >= SLOT_COUNT || tv[i].tag_len > AGG_TAG_KEEP || tv[i].tag_full_len < tv[i].tag_len))
            jl_fail(c, "%s: slot or length out of range", wr);
        tv[i].slot = (unsigned)sl;
        tp[i] = &tv[i];
    }
    if (!c->failed) {
        x.slots = sv;
        x.nslots = ns;
        x.tags = tp;
        x.ntags = nt;
        x.tagged_keys = jl_get_u64(c, tags, "merge.cluster.tags", "tagged_keys");
        x.tagged_bytes = jl_get_u64(c, tags, "merge.cluster.tags", "tagged_bytes");
        x.tags_seen = jl_get_u64(c, tags, "merge.cluster.tags", "seen");
        x.tags_exact = jl_get_bool(c, tags, "merge.cluster.tags", "exact");
    }
    if (!c->failed) {
        int rc = agg_part_cluster(a, &x);
        if (rc == -1) jl_fail(c, "out of memory");
        else if (rc) jl_fail(c, "%s: a slot out of range", w);
    }
    free(sv);
    free(tv);
    free(tp);
}

