/* json_state.c: the "merge" member of the JSON report (schema 2): what the
 * sections meant for reading leave out and `rdblens merge` (and diff of
 * saved reports) needs to rebuild the aggregate exactly
 * (report/json_load.c reads it back; docs/report-schema.md documents it):
 *
 *   "merge": {
 *     "keys_seen": N,                      arrival counter (orders ties)
 *     "options": {top, findings_per_kind, separators, prefix_depth,
 *                 prefix_budget, thresholds: {...}},
 *     "files": [{"enc_limits": LIMITS | null}],
 *     "histograms": [{"type", "bytes": HIST, "elements": HIST}],
 *     "records": [REC],                    every key some table keeps, once, by seq
 *     "lists": {"by_bytes": [[rec, score]], "by_elements": [...],
 *               "by_type": {"hash": {"by_bytes": [...], "by_elements": [...]}},
 *               "findings": {"big_key": {"keys", "bytes", "worst": [[rec, score]]}}},
 *     "near_groups": [{file, type, config, limit, ..., "worst": [[rec, score]]}],
 *     "access": {keys_idle, keys_freq, idle: [[keys, bytes]], freq: [...], cold: [[rec, score]]},
 *     "modules": [[module, encver, keys, bytes, serialized_bytes, elements, [by basis]]],
 *     "prefix_nodes": [[prefix, depth, other, keys, bytes, elements,
 *                       keys_no_ttl, bytes_no_ttl, {type: bytes}]]
 *   }
 *
 * HIST = {"count", "min", "max", "buckets": [[index, count]]} (non-empty
 * buckets of analyze/agg_hist.h). One line per record and per prefix
 * node, like the rest of the report. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg_hist.h"
#include "report/keyfmt.h"
#include "report/report.h"

static void str_or_null(FILE *out, const char *s) {
    if (s) keyfmt_json_text(out, s);
    else fputs("null", out);
}

static void limits(FILE *out, const enc_limits *l) {
    fprintf(out,
            "{\"ziplist\":%s,\"hash_entries\":%" PRIu64 ",\"hash_value\":%" PRIu64
            ",\"zset_entries\":%" PRIu64 ",\"zset_value\":%" PRIu64 ",\"set_intset\":%" PRIu64
            ",\"set_lp_entries\":%" PRIu64 ",\"set_lp_value\":%" PRIu64 "}",
            l->ziplist ? "true" : "false", l->hash_entries, l->hash_value, l->zset_entries,
            l->zset_value, l->set_intset, l->set_lp_entries, l->set_lp_value);
}

static void options(FILE *out, const agg_summary *s) {
    const agg_options *o = s->opt;
    const agg_thresholds *t = &o->th;
    fprintf(out, "    \"options\": {\"top\":%zu,\"findings_per_kind\":%zu,\"separators\":", o->top_n,
            o->findings_per_kind);
    keyfmt_json_string(out, (const uint8_t *)o->separators, strlen(o->separators));
    fprintf(out,
            ",\"prefix_depth\":%u,\"prefix_budget\":%zu,\"thresholds\":{\"big_bytes\":%" PRIu64
            ",\"big_elements\":%" PRIu64 ",\"list_element_bytes\":%" PRIu64
            ",\"dominant_min_bytes\":%" PRIu64 ",\"dominant_pct\":%u,\"no_ttl_pct\":%u"
            ",\"no_ttl_min_share_pct\":%u,\"no_ttl_warn_share_pct\":%u"
            ",\"expired_warn_pct\":%u,\"near_pct\":%u,\"enc\":",
            o->prefix_depth, s->prefix_budget, t->big_bytes, t->big_elements,
            t->list_element_bytes, t->dominant_min_bytes, t->dominant_pct, t->no_ttl_pct,
            t->no_ttl_min_share_pct, t->no_ttl_warn_share_pct, t->expired_warn_pct, t->near_pct);
    limits(out, &t->enc);
    fputs("},\"config\":[", out);
    for (size_t i = 0; i < o->nconfig; i++) {
        if (i) fputc(',', out);
        keyfmt_json_text(out, o->config[i]);
    }
    fputs("]},\n", out);
}

static void files(FILE *out, const agg_summary *s) {
    fputs("    \"files\": [", out);
    for (size_t i = 0; i < s->nfiles; i++) {
        const agg_file *f = &s->files[i];
        fprintf(out, "%s{\"enc_limits\":", i ? "," : "");
        if (f->has_enc_limits) limits(out, &f->enc_limits);
        else fputs("null", out);
        fputc('}', out);
    }
    fputs("],\n", out);
}

static void hist(FILE *out, const agg_hist *h) {
    fprintf(out, "{\"count\":%" PRIu64 ",\"min\":%" PRIu64 ",\"max\":%" PRIu64 ",\"buckets\":[",
            h->count, h->min, h->max);
    bool first = true;
    for (unsigned i = 0; i < AGG_HIST_BUCKETS; i++) {
        if (!h->bucket[i]) continue;
        fprintf(out, "%s[%u,%" PRIu64 "]", first ? "" : ",", i, h->bucket[i]);
        first = false;
    }
    fputs("]}", out);
}

static void histograms(FILE *out, const agg_summary *s) {
    fputs("    \"histograms\": [", out);
    bool first = true;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        if (!s->types[t].keys || !s->hist_bytes[t]) continue;
        fprintf(out, "%s\n      {\"type\":\"%s\",\"bytes\":", first ? "" : ",", rdb_kind_name((rdb_kind)t));
        hist(out, s->hist_bytes[t]);
        fputs(",\"elements\":", out);
        hist(out, s->hist_elements[t]);
        fputc('}', out);
        first = false;
    }
    fputs(first ? "],\n" : "\n    ],\n", out);
}

/* ---- records: every kept key once, ordered by seq ------------------------- */

typedef struct rec_index {
    const agg_key **v;
    size_t n, cap;
    bool oom;
} rec_index;

static void idx_add_list(rec_index *x, const agg_key_list *l) {
    for (size_t i = 0; i < l->n; i++) {
        if (x->n == x->cap) {
            size_t cap = x->cap ? x->cap * 2 : 256;
            const agg_key **v = realloc(x->v, cap * sizeof *v);
            if (!v) {
                x->oom = true;
                return;
            }
            x->v = v;
            x->cap = cap;
        }
        x->v[x->n++] = &l->v[i];
    }
}

static int by_seq(const void *a, const void *b) {
    const agg_key *x = *(const agg_key *const *)a, *y = *(const agg_key *const *)b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static size_t idx_find(const rec_index *x, uint64_t seq) {
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->v[mid]->seq < seq) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void record(FILE *out, const agg_key *k) {
    const key_record *r = &k->rec;
    fprintf(out, "{\"seq\":%" PRIu64 ",\"file\":%" PRIu32 ",\"db\":%" PRIu64 ",\"key\":", k->seq,
            k->file, r->db);
    keyfmt_json_string(out, r->key, r->key_len);
    fprintf(out, ",\"key_length\":%" PRIu64 ",\"type\":\"%s\",\"rdb_type\":%u,\"encoding\":",
            r->key_full_len > r->key_len ? r->key_full_len : (uint64_t)r->key_len,
            rdb_kind_name(r->type), r->rdb_type);
    str_or_null(out, r->encoding);
    fputs(",\"bytes\":", out);
    if (r->has_bytes) fprintf(out, "%" PRIu64, r->bytes);
    else fputs("null", out);
    fprintf(out, ",\"ram\":%" PRIu64 ",\"compact_encoding\":", r->ram);
    str_or_null(out, r->compact_encoding);
    fprintf(out,
            ",\"compact_bytes\":%" PRIu64 ",\"elements\":%" PRIu64 ",\"largest\":%" PRIu64
            ",\"largest_exact\":%s,\"int_members\":%s,\"offset\":%" PRIu64 ",\"expires_at_ms\":",
            r->compact_bytes, r->elements, r->largest, r->largest_exact ? "true" : "false",
            r->int_members ? "true" : "false", r->offset);
    if (r->has_expire) fprintf(out, "%" PRId64, r->expire_ms);
    else fputs("null", out);
    fputs(",\"idle_s\":", out);
    if (r->has_idle) fprintf(out, "%" PRIu64, r->idle_s);
    else fputs("null", out);
    fputs(",\"freq\":", out);
    if (r->has_freq) fprintf(out, "%u", r->freq);
    else fputs("null", out);
    fputs(",\"module\":", out);
    str_or_null(out, k->module[0] ? k->module : NULL);
    fprintf(out, ",\"module_encver\":%u,\"bytes_basis\":%u,\"serialized_bytes\":%" PRIu64 ",\"slot\":",
            r->module_encver, (unsigned)r->bytes_basis, r->serialized_bytes);
    if (r->has_slot) fprintf(out, "%u}", (unsigned)r->slot);
    else fputs("null}", out);
}

static void list(FILE *out, const rec_index *x, const agg_key_list *l) {
    fputc('[', out);
    for (size_t i = 0; i < l->n; i++)
        fprintf(out, "%s[%zu,%" PRIu64 "]", i ? "," : "", idx_find(x, l->v[i].seq), l->v[i].score);
    fputc(']', out);
}

static void lists(FILE *out, const agg_summary *s, const rec_index *x) {
    fputs("    \"lists\": {\"by_bytes\":", out);
    list(out, x, &s->top_bytes);
    fputs(",\n      \"by_elements\":", out);
    list(out, x, &s->top_elements);
    fputs(",\n      \"by_type\":{", out);
    bool first = true;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        if (!s->type_top_bytes[t].n && !s->type_top_elements[t].n) continue;
        fprintf(out, "%s\n        \"%s\":{\"by_bytes\":", first ? "" : ",", rdb_kind_name((rdb_kind)t));
        list(out, x, &s->type_top_bytes[t]);
        fputs(",\"by_elements\":", out);
        list(out, x, &s->type_top_elements[t]);
        fputc('}', out);
        first = false;
    }
    fputs("},\n      \"findings\":{", out);
    for (unsigned k = 0; k < AGG_FK_COUNT_; k++) {
        fprintf(out, "%s\n        \"%s\":{\"keys\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"worst\":",
                k ? "," : "", agg_find_kind_name(k), s->find_kind[k].keys, s->find_kind[k].bytes);
        list(out, x, &s->find_kind[k].worst);
        fputc('}', out);
    }
    fputs("}},\n", out);
}

/* near_encoding_limit groups (agg_find.h agg_near_group), in creation order */
static void near_groups(FILE *out, const agg_summary *s, const rec_index *x) {
    fputs("    \"near_groups\": [", out);
    for (size_t i = 0; i < s->nnear_groups; i++) {
        const agg_near_group *g = &s->near_groups[i];
        fprintf(out, "%s\n      {\"file\":%" PRIu32 ",\"type\":\"%s\",\"config\":", i ? "," : "", g->file,
                rdb_kind_name(g->type));
        keyfmt_json_text(out, g->nl.config);
        fprintf(out, ",\"limit\":%" PRIu64 ",\"target\":", g->nl.limit);
        keyfmt_json_text(out, g->nl.target);
        fprintf(out, ",\"per_element\":%u,\"other\":%s,\"segment\":", g->nl.per_element,
                g->other ? "true" : "false");
        keyfmt_json_string(out, g->segment, g->segment_len);
        fprintf(out,
                ",\"segment_cut\":%s,\"keys\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"saving\":%" PRIu64
                ",\"min_elements\":%" PRIu64 ",\"max_elements\":%" PRIu64 ",\"model\":%s,\"worst\":",
                g->segment_cut ? "true" : "false", g->keys, g->bytes, g->saving, g->min_elements,
                g->max_elements, g->model ? "true" : "false");
        /* a heap until the findings sort it: list by rank */
        agg_key_list l = {g->worst.v, g->worst.n};
        list(out, x, &l);
        fputc('}', out);
    }
    fputs(s->nnear_groups ? "\n    ],\n" : "],\n", out);
}

/* the access section: counts, idle and LFU rows as [keys, bytes], cold keys */
static void access(FILE *out, const agg_summary *s, const rec_index *x) {
    const agg_access *a = &s->access;
    fprintf(out, "    \"access\": {\"keys_idle\":%" PRIu64 ",\"keys_freq\":%" PRIu64 ",\"idle\":[", a->keys_idle,
            a->keys_freq);
    for (unsigned b = 0; b < AGG_IDLE_COUNT_; b++)
        fprintf(out, "%s[%" PRIu64 ",%" PRIu64 "]", b ? "," : "", a->idle[b].keys, a->idle[b].bytes);
    fputs("],\"freq\":[", out);
    for (unsigned b = 0; b < AGG_FREQ_COUNT_; b++)
        fprintf(out, "%s[%" PRIu64 ",%" PRIu64 "]", b ? "," : "", a->freq[b].keys, a->freq[b].bytes);
    fputs("],\"cold\":", out);
    list(out, x, &a->cold);
    fputs("},\n", out);
}

/* cluster mode: the options that shape it (the shard layout among them),
 * and the view's raw state: every used slot's sums and the hash-tag sketch */
static void cluster(FILE *out, const agg_summary *s) {
    const agg_cluster_options *o = &s->opt->cluster;
    fprintf(out, "    \"cluster_options\": {\"enabled\":%s,\"maxmemory\":%" PRIu64 ",\"shards_source\":",
            o->enabled ? "true" : "false", o->maxmemory);
    str_or_null(out, o->shards ? o->shards_source : NULL);
    fputs(",\"layout\":", out);
    if (!o->shards) {
        fputs("null", out);
    } else {
        fprintf(out, "{\"nodes\":%zu,\"shards\":[", o->shards->nodes);
        for (size_t i = 0; i < o->shards->nshards; i++) {
            const slotmap_shard *sh = &o->shards->shards[i];
            fputs(i ? ",[" : "[", out);
            keyfmt_json_string(out, (const uint8_t *)sh->name, strlen(sh->name));
            fputs(",[", out);
            for (size_t r = 0; r < sh->nranges; r++) {
                const slot_range *g = &o->shards->ranges[sh->first_range + r];
                fprintf(out, "%s[%u,%u]", r ? "," : "", g->first, g->last);
            }
            fputs("]]", out);
        }
        fputs("]}", out);
    }
    fputs("},\n    \"cluster\": ", out);
    const agg_cluster_summary *c = s->cluster;
    if (!c) {
        fputs("null,\n", out);
        return;
    }
    fputs("{\"reason\":", out);
    str_or_null(out, c->reason);
    fprintf(out, ",\"functions_ram\":%" PRIu64 ",\"other_db_keys\":%" PRIu64 ",\"slots\":[", c->functions_ram,
            c->other_db_keys);
    for (size_t i = 0; i < c->nslots; i++) {
        const agg_slot_row *r = &c->slots[i];
        fprintf(out, "%s[%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "]", i ? "," : "", r->slot, r->keys,
                r->expires, r->ram, r->bytes);
    }
    fprintf(out, "],\n      \"tags\":{\"tagged_keys\":%" PRIu64 ",\"tagged_bytes\":%" PRIu64 ",\"seen\":%" PRIu64
                 ",\"exact\":%s,\"rows\":[",
            c->tagged_keys, c->tagged_bytes, c->tags_seen, c->tags_exact ? "true" : "false");
    for (size_t i = 0; i < c->ntags; i++) {
        const agg_tag_row *t = c->tags[i];
        fputs(i ? ",[" : "[", out);
        keyfmt_json_string(out, t->tag, t->tag_len);
        fprintf(out, ",%" PRIu64 ",%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "]", t->tag_full_len, t->slot, t->keys,
                t->bytes, t->error);
    }
    fputs("]}},\n", out);
}

static void modules(FILE *out, const agg_summary *s) {
    fputs("    \"modules\": [", out);
    for (size_t i = 0; i < s->nmodules; i++) {
        const agg_module_row *m = &s->modules[i];
        fprintf(out, "%s[", i ? "," : "");
        keyfmt_json_text(out, m->module);
        fprintf(out, ",%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",[", m->encver, m->keys, m->bytes,
                m->serialized_bytes, m->elements);
        for (unsigned b = 0; b < KEY_BASIS_COUNT_; b++) fprintf(out, "%s%" PRIu64, b ? "," : "", m->keys_by_basis[b]);
        fputs("]]", out);
    }
    fputs("],\n", out);
}

static void prefix_node(FILE *out, const agg_prefix_row *p, bool *first) {
    fprintf(out, "%s\n      [", *first ? "" : ",");
    *first = false;
    keyfmt_json_string(out, p->name, p->name_len);
    fprintf(out, ",%u,%d,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",{", p->depth,
            p->other ? 1 : 0, p->keys, p->bytes, p->elements, p->keys_no_ttl, p->bytes_no_ttl);
    bool f2 = true;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        if (!p->type_bytes[t]) continue;
        fprintf(out, "%s\"%s\":%" PRIu64, f2 ? "" : ",", rdb_kind_name((rdb_kind)t), p->type_bytes[t]);
        f2 = false;
    }
    fputs("}]", out);
}

static void prefix_nodes(FILE *out, const agg_summary *s) {
    fputs("    \"prefix_nodes\": [", out);
    bool first = true;
    if (s->prefix_table) {
        const agg_prefix_row *r;
        for (size_t i = 0; (r = agg_prefix_node(s->prefix_table, i)) != NULL; i++)
            prefix_node(out, r, &first);
        for (unsigned d = 1; d <= AGG_PREFIX_MAX_DEPTH; d++) {
            r = agg_prefix_other(s->prefix_table, d);
            if (r && r->keys) prefix_node(out, r, &first);
        }
    }
    fputs(first ? "]\n" : "\n    ]\n", out);
}

void report_json_state(FILE *out, const agg_summary *s) {
    rec_index x = {0};
    idx_add_list(&x, &s->top_bytes);
    idx_add_list(&x, &s->top_elements);
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        idx_add_list(&x, &s->type_top_bytes[t]);
        idx_add_list(&x, &s->type_top_elements[t]);
    }
    for (unsigned k = 0; k < AGG_FK_COUNT_; k++) idx_add_list(&x, &s->find_kind[k].worst);
    for (size_t i = 0; i < s->nnear_groups; i++) {
        const agg_topn *w = &s->near_groups[i].worst;
        agg_key_list l = {w->v, w->n};
        idx_add_list(&x, &l);
    }
    idx_add_list(&x, &s->access.cold);
    if (x.oom) {
        /* an unreadable "merge" member makes the loader refuse the file */
        fputs("  \"merge\": null,\n", out);
        free(x.v);
        return;
    }
    if (x.n > 1) qsort(x.v, x.n, sizeof *x.v, by_seq);
    size_t u = 0;
    for (size_t i = 0; i < x.n; i++)
        if (u == 0 || x.v[u - 1]->seq != x.v[i]->seq) x.v[u++] = x.v[i];
    x.n = u;

    fprintf(out, "  \"merge\": {\n    \"keys_seen\": %" PRIu64 ",\n", s->keys_seen);
    options(out, s);
    files(out, s);
    histograms(out, s);
    fputs("    \"records\": [", out);
    for (size_t i = 0; i < x.n; i++) {
        fputs(i ? ",\n      " : "\n      ", out);
        record(out, x.v[i]);
    }
    fputs(x.n ? "\n    ],\n" : "],\n", out);
    lists(out, s, &x);
    near_groups(out, s, &x);
    access(out, s, &x);
    cluster(out, s);
    modules(out, s);
    prefix_nodes(out, s);
    fputs("  },\n", out);
    free(x.v);
}
