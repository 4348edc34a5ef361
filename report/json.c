/* json.c: the machine-readable report, schema_version 2 (see
 * docs/report-schema.md). Every count and size is an exact integer; the
 * only non-integers are percentages inside finding evidence. Layout: one
 * top-level member per line, one array element per line, so diffs of two
 * reports read well; the bytes are deterministic for golden tests. */
#include "report/report.h"

#include <inttypes.h>
#include <string.h>

#include "report/cluster.h"
#include "report/keyfmt.h"

/* A JSON string of plain (static, mostly ASCII) text. */
static void jstr(FILE *out, const char *s) {
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
        else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
        else fputc(*p, out);
    }
    fputc('"', out);
}

/* Text as the user typed it (a pattern): JSON-escaped once, not in the
 * printable form, so "user:\\d+" reads back as user:\d+. */
static void jtext(FILE *out, const char *s) {
    if (!s) fputs("null", out);
    else keyfmt_json_text(out, s);
}

/* Arbitrary bytes (paths, aux values, prefixes): redis-cli printable form. */
static void jbytes(FILE *out, const void *p, size_t n) {
    keyfmt_json_string(out, (const uint8_t *)p, n);
}

static void ju(FILE *out, const char *name, uint64_t v, bool comma) {
    fprintf(out, "%s\"%s\":%" PRIu64, comma ? "," : "", name, v);
}

static void ju_opt(FILE *out, const char *name, bool has, uint64_t v) {
    if (has) ju(out, name, v, true);
    else fprintf(out, ",\"%s\":null", name);
}

static const char *checksum_name(const agg_file *f) {
    if (!f->have_checksum) return NULL;
    switch (f->checksum) {
    case RDB_CHECKSUM_OK: return "ok";
    case RDB_CHECKSUM_MISMATCH: return "mismatch";
    case RDB_CHECKSUM_DISABLED: return "disabled";
    default: return "absent";
    }
}

static void file_totals(FILE *out, const agg_totals *t) {
    ju(out, "keys", t->keys, false);
    ju(out, "bytes", t->bytes, true);
    ju(out, "elements", t->elements, true);
    ju(out, "string_length", t->string_length, true);
    ju_opt(out, "predicted_used_memory", t->has_predicted_used_memory, t->predicted_used_memory);
    ju_opt(out, "aux_used_mem", t->has_aux_used_mem, t->aux_used_mem);
    ju(out, "keys_with_ttl", t->keys_with_ttl, true);
    ju(out, "bytes_with_ttl", t->bytes_with_ttl, true);
    ju(out, "keys_expired", t->keys_expired, true);
    ju(out, "bytes_expired", t->bytes_expired, true);
    ju(out, "keys_unmodelled", t->keys_unmodelled, true);
    ju(out, "keys_module", t->keys_module, true);
    ju(out, "keys_module_unmodelled", t->keys_module_unmodelled, true);
    fputs(",\"bytes_by_basis\":{", out);
    ju(out, "measured-model", t->bytes_measured_model, false);
    ju(out, "source-model", t->bytes_source_model, true);
    ju(out, "serialized-size", t->bytes_serialized_size, true);
    fputc('}', out);
}

/* the model's used_memory after load and its parts, or null */
static void memory_obj(FILE *out, const agg_memory *m) {
    if (!m->present) {
        fputs("null", out);
        return;
    }
    fprintf(out, "{\"used_memory\":%" PRIu64, m->used_memory);
    ju(out, "startup", m->startup, true);
    ju(out, "keys", m->keys, true);
    ju(out, "tables", m->tables, true);
    ju(out, "functions", m->functions, true);
    ju(out, "modules", m->modules, true);
    ju(out, "templates", m->templates, true);
    ju(out, "memory_usage", m->memory_usage, true);
    ju(out, "keys_loaded", m->keys_loaded, true);
    ju(out, "keys_not_loaded", m->keys_not_loaded, true);
    ju(out, "bytes_not_loaded", m->bytes_not_loaded, true);
    fputc('}', out);
}

/* --info: the live server's numbers and the gap to the prediction */
static void live_obj(FILE *out, const agg_summary *s) {
    if (!s->has_live) {
        fputs("null", out);
        return;
    }
    const live_info *li = &s->live;
    const live_explained *x = &s->live_explained;
    fputs("{\"version\":", out);
    jstr(out, li->version[0] ? li->version : NULL);
    fprintf(out, ",\"used_memory\":%" PRIu64, x->live);
    ju_opt(out, "used_memory_rss", x->has_rss, x->rss);
    ju_opt(out, "used_memory_peak", li->has[LI_USED_MEMORY_PEAK], li->v[LI_USED_MEMORY_PEAK]);
    ju_opt(out, "maxmemory", li->has[LI_MAXMEMORY], li->v[LI_MAXMEMORY]);
    ju_opt(out, "keys", li->has_keyspace, li->keys);
    fprintf(out, ",\"explained\":{\"predicted\":%" PRIu64 ",\"gap\":%" PRId64, x->predicted, x->gap);
    ju(out, "clients", x->clients, true);
    ju(out, "replication", x->replication, true);
    ju(out, "aof_buffer", x->aof_buffer, true);
    ju(out, "scripts", x->scripts, true);
    fprintf(out, ",\"rest\":%" PRId64, x->rest);
    if (x->has_rss) fprintf(out, ",\"rss_over_used_memory\":%" PRId64 "}}", x->rss_over_used);
    else fputs(",\"rss_over_used_memory\":null}}", out);
}

static void access_rows(FILE *out, const char *name, const agg_ttl_row *v, size_t n) {
    fprintf(out, "\"%s\":[", name);
    for (size_t b = 0; b < n; b++) {
        fprintf(out, "%s{\"name\":", b ? "," : "");
        jstr(out, v[b].name);
        ju(out, "keys", v[b].keys, true);
        ju(out, "bytes", v[b].bytes, true);
        fputc('}', out);
    }
    fputc(']', out);
}

static void key_list(FILE *out, const agg_key_list *l, const char *indent);

/* LRU idle / LFU counter rows and the biggest cold keys, or null */
static void access_obj(FILE *out, const agg_summary *s) {
    const agg_access *x = &s->access;
    if (!x->keys_idle && !x->keys_freq) {
        fputs("null", out);
        return;
    }
    fprintf(out, "{\"keys_idle\":%" PRIu64, x->keys_idle);
    ju(out, "keys_freq", x->keys_freq, true);
    fputc(',', out);
    access_rows(out, "idle", x->idle, AGG_IDLE_COUNT_);
    fputc(',', out);
    access_rows(out, "freq", x->freq, AGG_FREQ_COUNT_);
    fputs(",\"cold\": ", out);
    key_list(out, &x->cold, "    ");
    fputc('}', out);
}

static void file_obj(FILE *out, const agg_file *f) {
    fputs("{\"path\":", out);
    jbytes(out, f->path, strlen(f->path));
    ju(out, "size", f->size, true);
    fputs(",\"compression\":", out);
    jstr(out, f->compression[0] ? f->compression : NULL);
    fputs(",\"magic\":", out);
    if (f->have_header) jbytes(out, f->magic, strlen(f->magic));
    else fputs("null", out);
    ju_opt(out, "rdb_version", f->have_header, f->rdb_version);
    fputs(",\"aux\":{", out);
    for (size_t i = 0; i < f->naux; i++) {
        if (i) fputc(',', out);
        jbytes(out, f->aux[i].key, f->aux[i].key_len);
        fputc(':', out);
        jbytes(out, f->aux[i].val, f->aux[i].val_len);
    }
    fputc('}', out);
    ju(out, "functions", f->functions, true);
    fputs(",\"profile\":", out);
    jstr(out, f->profile[0] ? f->profile : NULL);
    fputs(",\"profile_basis\":", out);
    jstr(out, f->profile[0] ? f->profile_basis : NULL);
    fputs(",\"memory\":", out);
    memory_obj(out, &f->memory);
    fputs(",\"config_hints\":[", out);
    for (size_t i = 0; i < f->nhints; i++) {
        const agg_hint *h = &f->hints[i];
        fprintf(out, "%s{\"directive\":", i ? "," : "");
        jstr(out, h->directive);
        ju(out, "value", h->value, true);
        ju(out, "keys", h->keys, true);
        ju(out, "saving_bytes", h->saving, true);
        fputs(",\"sign\":", out);
        jstr(out, h->sign);
        fputc('}', out);
    }
    fputc(']', out);
    fputs(",\"checksum\":", out);
    jstr(out, checksum_name(f));
    fputs(",\"status\":", out);
    jstr(out, !f->have_result ? NULL : f->unreadable ? "unreadable" : f->complete ? "complete" : "truncated");
    ju(out, "rdb_bytes", f->rdb_bytes, true);
    if (f->aof.present) {
        const agg_aof *x = &f->aof;
        fprintf(out, ",\"aof\":{\"tail_bytes\":%" PRIu64 ",\"tail_commands\":", x->tail_bytes);
        if (x->tail_commands_known) fprintf(out, "%" PRIu64, x->tail_commands);
        else fputs("null", out);
        fprintf(out, ",\"incremental_files\":%" PRIu64 ",\"incremental_bytes\":%" PRIu64
                     ",\"incremental_commands\":", x->incr_files, x->incr_bytes);
        if (x->incr_commands_known) fprintf(out, "%" PRIu64, x->incr_commands);
        else fputs("null", out);
        fputc('}', out);
    } else {
        fputs(",\"aof\":null", out);
    }
    if (f->have_result && !f->complete) {
        fprintf(out, ",\"error\":{\"offset\":%" PRIu64 ",\"code\":", f->error_offset);
        jstr(out, f->error_code);
        fputs(",\"message\":", out);
        jbytes(out, f->error_message, strlen(f->error_message));
        fputc('}', out);
    } else {
        fputs(",\"error\":null", out);
    }
    fprintf(out, ",\"reference_time_ms\":%" PRId64 ",\"reference_basis\":", f->reference_ms);
    jstr(out, f->reference_basis);
    fputs(",\"totals\":{", out);
    file_totals(out, &f->totals);
    fputs("}}", out);
}

static void source(FILE *out, const agg_summary *s) {
    fputs("  \"source\": {\"files\": [\n", out);
    for (size_t i = 0; i < s->nfiles; i++) {
        fputs("    ", out);
        file_obj(out, &s->files[i]);
        fputs(i + 1 < s->nfiles ? ",\n" : "\n", out);
    }
    fputs("  ], \"profile\":", out);
    jstr(out, s->profile);
    if (s->has_reference) fprintf(out, ", \"reference_time_ms\":%" PRId64, s->reference_ms);
    else fputs(", \"reference_time_ms\":null", out);
    fputs(", \"reference_basis\":", out);
    jstr(out, s->reference_basis);
    const key_filter *f = &s->opt->filter;
    fputs(", \"filters\":{\"db\":", out);
    if (f->has_db) fprintf(out, "%" PRIu64, f->db);
    else fputs("null", out);
    /* "type": the one type asked for (null for none or several); "types": all of them */
    int one = -1, ntypes = 0;
    for (int k = 0; k < RDB_KIND_COUNT_; k++)
        if (f->type_mask & (1u << k)) one = k, ntypes++;
    fputs(",\"type\":", out);
    jstr(out, ntypes == 1 ? rdb_kind_name((rdb_kind)one) : NULL);
    fputs(",\"types\":[", out);
    for (int k = 0, n = 0; k < RDB_KIND_COUNT_; k++)
        if (f->type_mask & (1u << k)) fprintf(out, "%s\"%s\"", n++ ? "," : "", rdb_kind_name((rdb_kind)k));
    fputs("],\"match\":", out);
    jtext(out, f->match);
    fputs(",\"regex\":", out);
    jtext(out, f->regex);
    ju(out, "min_bytes", f->min_bytes, true);
    ju(out, "min_elements", f->min_elements, true);
    fputs(",\"expiry\":", out);
    jtext(out, f->expiry_text);
    ju(out, "keys_filtered_out", s->keys_filtered_out, true);
    fputs("}},\n", out);
}

static void rows_begin(FILE *out, const char *name) { fprintf(out, "  \"%s\": [\n", name); }
static void row_end(FILE *out, bool more) { fputs(more ? "},\n" : "}\n", out); }

static void by_db(FILE *out, const agg_summary *s) {
    rows_begin(out, "by_db");
    for (size_t i = 0; i < s->ndbs; i++) {
        const agg_db_row *d = &s->dbs[i];
        fprintf(out, "    {\"db\":%" PRIu64, d->db);
        ju(out, "keys", d->keys, true);
        ju(out, "bytes", d->bytes, true);
        ju(out, "elements", d->elements, true);
        fputs(",\"types\":[", out);
        for (unsigned t = 0, n = 0; t < RDB_KIND_COUNT_; t++) {
            if (!d->type_keys[t]) continue;
            fprintf(out, "%s{\"type\":\"%s\"", n++ ? "," : "", rdb_kind_name((rdb_kind)t));
            ju(out, "keys", d->type_keys[t], true);
            ju(out, "bytes", d->type_bytes[t], true);
            ju(out, "keys_no_ttl", d->type_keys_no_ttl[t], true);
            fputc('}', out);
        }
        fputc(']', out);
        row_end(out, i + 1 < s->ndbs);
    }
    fputs("  ],\n", out);
}

static void by_type(FILE *out, const agg_summary *s) {
    rows_begin(out, "by_type");
    unsigned last = 0;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++)
        if (s->types[t].keys) last = t;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        const agg_type_row *r = &s->types[t];
        if (!r->keys) continue;
        fputs("    {\"type\":", out);
        jstr(out, rdb_kind_name(r->type));
        ju(out, "keys", r->keys, true);
        ju(out, "bytes", r->bytes, true);
        ju(out, "elements", r->elements, true);
        bool str = r->type == RDB_KIND_STRING;
        if (str) ju(out, "length", r->length, true);
        ju(out, "bytes_p50", r->bytes_p50, true);
        ju(out, "bytes_p90", r->bytes_p90, true);
        ju(out, "bytes_p99", r->bytes_p99, true);
        ju(out, "bytes_max", r->bytes_max, true);
        /* a string's distribution is of its length, never of "elements" */
        const char *const q[] = {"elements_p50", "elements_p90", "elements_p99", "elements_max",
                                 "length_p50", "length_p90", "length_p99", "length_max"};
        uint64_t v[] = {r->elements_p50, r->elements_p90, r->elements_p99, r->elements_max};
        for (int i = 0; i < 4; i++) ju(out, q[i], str ? 0 : v[i], true);
        if (str)
            for (int i = 0; i < 4; i++) ju(out, q[4 + i], v[i], true);
        row_end(out, t < last);
    }
    fputs("  ],\n", out);
}

static void by_encoding(FILE *out, const agg_summary *s) {
    rows_begin(out, "by_encoding");
    for (size_t i = 0; i < s->nencs; i++) {
        const agg_enc_row *e = &s->encs[i];
        fputs("    {\"type\":", out);
        jstr(out, rdb_kind_name(e->type));
        fputs(",\"encoding\":", out);
        jstr(out, e->encoding);
        ju(out, "keys", e->keys, true);
        ju(out, "bytes", e->bytes, true);
        ju(out, "elements", e->elements, true);
        if (e->type == RDB_KIND_STRING) ju(out, "length", e->length, true);
        row_end(out, i + 1 < s->nencs);
    }
    fputs("  ],\n", out);
}

static void by_module(FILE *out, const agg_summary *s) {
    rows_begin(out, "by_module");
    for (size_t i = 0; i < s->nmodules; i++) {
        const agg_module_row *m = &s->modules[i];
        fputs("    {\"module\":", out);
        jstr(out, m->module);
        ju(out, "encver", m->encver, true);
        ju(out, "keys", m->keys, true);
        ju(out, "bytes", m->bytes, true);
        ju(out, "serialized_bytes", m->serialized_bytes, true);
        ju(out, "elements", m->elements, true);
        fputs(",\"basis\":", out);
        jstr(out, agg_module_row_basis(m));
        ju(out, "keys_serialized_size", m->keys_by_basis[KEY_BASIS_SERIALIZED], true);
        row_end(out, i + 1 < s->nmodules);
    }
    fputs("  ],\n", out);
}

static void key_list(FILE *out, const agg_key_list *l, const char *indent) {
    if (l->n == 0) {
        fputs("[]", out);
        return;
    }
    fputs("[\n", out);
    for (size_t i = 0; i < l->n; i++) {
        fprintf(out, "%s  ", indent);
        keyfmt_json_record(out, &l->v[i].rec);
        fputs(i + 1 < l->n ? ",\n" : "\n", out);
    }
    fprintf(out, "%s]", indent);
}

static void top_keys(FILE *out, const agg_summary *s) {
    fputs("  \"top_keys\": {\n    \"by_bytes\": ", out);
    key_list(out, &s->top_bytes, "    ");
    fputs(",\n    \"by_elements\": ", out);
    key_list(out, &s->top_elements, "    ");
    fputs(",\n    \"by_type\": {", out);
    bool first = true;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        if (!s->types[t].keys) continue;
        fprintf(out, "%s\n      \"%s\": {\"by_bytes\": ", first ? "" : ",", rdb_kind_name((rdb_kind)t));
        key_list(out, &s->type_top_bytes[t], "      ");
        fputs(", \"by_elements\": ", out);
        key_list(out, &s->type_top_elements[t], "      ");
        fputc('}', out);
        first = false;
    }
    fputs(first ? "}\n  },\n" : "\n    }\n  },\n", out);
}

static void ttl(FILE *out, const agg_summary *s) {
    fputs("  \"ttl\": {\"buckets\": [\n", out);
    for (unsigned b = 0; b < AGG_TTL_COUNT_; b++) {
        fputs("    {\"name\":", out);
        jstr(out, s->ttl[b].name);
        ju(out, "keys", s->ttl[b].keys, true);
        ju(out, "bytes", s->ttl[b].bytes, true);
        row_end(out, b + 1 < AGG_TTL_COUNT_);
    }
    fputs("  ]},\n", out);
}

/* up to three types holding the most bytes of a node */
static void top_types(FILE *out, const agg_prefix_row *p) {
    bool used[RDB_KIND_COUNT_] = {false};
    fputs(",\"top_types\":[", out);
    for (int k = 0; k < 3; k++) {
        int best = -1;
        for (int t = 0; t < RDB_KIND_COUNT_; t++)
            if (!used[t] && p->type_bytes[t] && (best < 0 || p->type_bytes[t] > p->type_bytes[best]))
                best = t;
        if (best < 0) break;
        used[best] = true;
        fprintf(out, "%s{\"type\":\"%s\"", k ? "," : "", rdb_kind_name((rdb_kind)best));
        ju(out, "bytes", p->type_bytes[best], true);
        fputc('}', out);
    }
    fputc(']', out);
}

static void prefixes(FILE *out, const agg_summary *s) {
    fputs("  \"prefixes\": {\"separators\":", out);
    jbytes(out, s->opt->separators, strlen(s->opt->separators));
    fprintf(out, ",\"depth\":%u,\"numeric_segments_folded\":true,\"id_segments_folded\":true", s->opt->prefix_depth);
    ju(out, "budget", s->prefix_budget, true);
    fprintf(out, ",\"budget_hit\":%s", s->prefix_budget_hit ? "true" : "false");
    ju(out, "evicted_nodes", s->prefix_evicted, true);
    fputs(",\"nodes\": [\n", out);
    for (size_t i = 0; i < s->nprefixes; i++) {
        const agg_prefix_row *p = &s->prefixes[i];
        fputs("    {\"prefix\":", out);
        jbytes(out, p->name, p->name_len);
        fprintf(out, ",\"depth\":%u,\"other\":%s", p->depth, p->other ? "true" : "false");
        ju(out, "keys", p->keys, true);
        ju(out, "bytes", p->bytes, true);
        ju(out, "elements", p->elements, true);
        ju(out, "keys_no_ttl", p->keys_no_ttl, true);
        ju(out, "bytes_no_ttl", p->bytes_no_ttl, true);
        top_types(out, p);
        row_end(out, i + 1 < s->nprefixes);
    }
    fputs("  ]},\n", out);
}

static const char *subject_kind_name(agg_subject_kind k) {
    switch (k) {
    case AGG_SUBJECT_KEY: return "key";
    case AGG_SUBJECT_PREFIX: return "prefix";
    case AGG_SUBJECT_FILE: return "file";
    case AGG_SUBJECT_GROUP: return "group";
    case AGG_SUBJECT_TAG: return "hash_tag";
    case AGG_SUBJECT_SHARD: return "shard";
    default: return "more";
    }
}

static void finding(FILE *out, const agg_finding *f) {
    fputs("    {\"kind\":", out);
    jstr(out, f->kind);
    fputs(",\"severity\":", out);
    jstr(out, f->severity);
    fputs(",\"subject_kind\":", out);
    jstr(out, subject_kind_name(f->subject_kind));
    fputs(",\"subject\":", out);
    if (f->subject_kind == AGG_SUBJECT_KEY) {
        const key_record *r = &f->key->rec;
        jbytes(out, r->key, r->key_len);
        if (r->key_full_len > r->key_len)
            fprintf(out, ",\"subject_truncated\":true,\"subject_length\":%" PRIu64, r->key_full_len);
    } else if (f->subject_kind == AGG_SUBJECT_MORE) jstr(out, f->text);
    else jbytes(out, f->subject, f->subject_len);
    if (f->subject_kind == AGG_SUBJECT_GROUP) {
        fputs(",\"text\":", out);
        jstr(out, f->text);
    }
    ju(out, "keys", f->keys, true);
    ju(out, "bytes", f->bytes, true);
    ju_opt(out, "saving_bytes", f->has_saving, f->saving);
    fputs(",\"command\":", out);
    if (f->command[0]) keyfmt_json_text(out, f->command);
    else fputs("null", out);
    fputs(",\"examples\":[", out);
    for (size_t i = 0; i < f->nexamples; i++) {
        if (i) fputc(',', out);
        keyfmt_json_record(out, &f->examples[i]->rec);
    }
    fputc(']', out);
    fputs(",\"evidence\":{", out);
    for (unsigned i = 0; i < f->nev; i++) {
        const agg_evidence *e = &f->ev[i];
        fprintf(out, "%s\"%s\":", i ? "," : "", e->name);
        switch (e->kind) {
        case AGG_EV_U64: fprintf(out, "%" PRIu64, e->u); break;
        case AGG_EV_I64: fprintf(out, "%" PRId64, e->i); break;
        case AGG_EV_PCT: fprintf(out, "%.1f", e->pct); break;
        default: jstr(out, e->s); break;
        }
    }
    fputs("},\"suggestion\":", out);
    jstr(out, f->suggestion);
    fputc('}', out);
}

void report_json(FILE *out, const agg_summary *s) {
    fprintf(out, "{\n  \"schema_version\": %d,\n", REPORT_SCHEMA_VERSION);
    source(out, s);
    fputs("  \"totals\": {", out);
    file_totals(out, &s->totals);
    fputs("},\n  \"memory\": ", out);
    memory_obj(out, &s->memory);
    fputs(",\n  \"live\": ", out);
    live_obj(out, s);
    fputs(",\n  \"access\": ", out);
    access_obj(out, s);
    fputs(",\n", out);
    by_db(out, s);
    by_type(out, s);
    by_encoding(out, s);
    by_module(out, s);
    top_keys(out, s);
    ttl(out, s);
    prefixes(out, s);
    if (s->cluster) {
        report_json_cluster(out, s->cluster);
        fputs(",\n", out);
    }
    rows_begin(out, "findings");
    for (size_t i = 0; i < s->nfindings; i++) {
        finding(out, &s->findings[i]);
        fputs(i + 1 < s->nfindings ? ",\n" : "\n", out);
    }
    fputs("  ],\n", out);
    report_json_state(out, s);
    fprintf(out, "  \"partial\": %s\n}\n", s->oom ? "true" : "false");
}
