/* diff_render.c: `rdblens diff` as JSON (docs/diff-schema.md), text and
 * Markdown. Pure functions of the diff (analyze/diff.h) and the options. */
#include "report/diff_render.h"

#include <inttypes.h>
#include <string.h>

#include "report/keyfmt.h"
#include "report/rfmt.h"
#include "report/table.h"

/* ---- JSON ------------------------------------------------------------------- */

static void jtriple(FILE *out, const char *name, const diff_val *v, bool comma) {
    fprintf(out, "%s\"%s\":{\"old\":", comma ? "," : "", name);
    if (v->has_old) fprintf(out, "%" PRIu64, v->old);
    else fputs("null", out);
    fputs(",\"new\":", out);
    if (v->has_new) fprintf(out, "%" PRIu64, v->new_);
    else fputs("null", out);
    fputs(",\"delta\":", out);
    if (v->has_old && v->has_new) fprintf(out, "%" PRId64, diff_delta(v));
    else fputs("null", out);
    fputc('}', out);
}

static void jside(FILE *out, const char *name, const diff_side *x) {
    fprintf(out, "  \"%s\": {\"path\":", name);
    keyfmt_json_string(out, (const uint8_t *)x->path, strlen(x->path));
    fprintf(out, ",\"kind\":\"%s\",\"profile\":", x->kind);
    if (x->s->profile) keyfmt_json_text(out, x->s->profile);
    else fputs("null", out);
    fputs(",\"reference_time_ms\":", out);
    if (x->s->has_reference) fprintf(out, "%" PRId64, x->s->reference_ms);
    else fputs("null", out);
    fputs(",\"files\":[", out);
    for (size_t i = 0; i < x->s->nfiles; i++) {
        const agg_file *f = &x->s->files[i];
        fputs(i ? ",{\"path\":" : "{\"path\":", out);
        keyfmt_json_string(out, (const uint8_t *)f->path, strlen(f->path));
        const char *st = !f->have_result ? NULL : f->unreadable ? "unreadable" : f->complete ? "complete" : "truncated";
        fprintf(out, ",\"status\":%s%s%s}", st ? "\"" : "", st ? st : "null", st ? "\"" : "");
    }
    fprintf(out, "],\"prefixes_complete\":%s},\n", x->prefixes_complete ? "true" : "false");
}

static void jrows(FILE *out, const char *name, const diff_rows *r, int kind) {
    fprintf(out, "  \"%s\": [", name);
    for (size_t i = 0; i < r->n; i++) {
        const diff_row *x = &r->v[i];
        fputs(i ? ",\n    {" : "\n    {", out);
        switch (kind) {
        case 0: fprintf(out, "\"db\":%" PRIu64, x->db); break;
        case 1: fprintf(out, "\"type\":\"%s\"", rdb_kind_name(x->type)); break;
        case 2:
            fprintf(out, "\"type\":\"%s\",\"encoding\":", rdb_kind_name(x->type));
            if (x->encoding) keyfmt_json_text(out, x->encoding);
            else fputs("null", out);
            break;
        case 3: fprintf(out, "\"name\":\"%s\"", x->name); break;
        default:
            fputs("\"prefix\":", out);
            keyfmt_json_string(out, x->prefix, x->prefix_len);
            fprintf(out, ",\"depth\":%u,\"other\":%s", x->depth, x->other ? "true" : "false");
        }
        jtriple(out, "keys", &x->keys, true);
        jtriple(out, "bytes", &x->bytes, true);
        fputc('}', out);
    }
    fputs(r->n ? "\n  ],\n" : "],\n", out);
}

static void diff_json(FILE *out, const diff_result *d) {
    fprintf(out, "{\n  \"schema_version\": %d,\n", DIFF_SCHEMA_VERSION);
    jside(out, "old", &d->old);
    jside(out, "new", &d->new_);
    fputs("  \"totals\": {", out);
    jtriple(out, "keys", &d->keys, false);
    jtriple(out, "bytes", &d->bytes, true);
    jtriple(out, "predicted_used_memory", &d->predicted_used_memory, true);
    fputs("},\n", out);
    jrows(out, "by_db", &d->dbs, 0);
    jrows(out, "by_type", &d->types, 1);
    jrows(out, "by_encoding", &d->encodings, 2);
    jrows(out, "ttl", &d->ttl, 3);
    jrows(out, "prefixes", &d->prefixes, 4);
    if (d->has_churn)
        fprintf(out,
                "  \"churn\": {\"added\":%" PRIu64 ",\"removed\":%" PRIu64 ",\"changed\":%" PRIu64
                ",\"unchanged\":%" PRIu64 "},\n",
                d->churn.added, d->churn.removed, d->churn.changed, d->churn.unchanged);
    else
        fputs("  \"churn\": null,\n", out);
    fprintf(out, "  \"top_changes_from\": \"%s\",\n  \"top_changes\": [", d->changes_from ? d->changes_from : "top keys");
    for (size_t i = 0; i < d->nchanges; i++) {
        const diff_change *c = &d->changes[i];
        fprintf(out, "%s{\"db\":%" PRIu64 ",\"key\":", i ? ",\n    " : "\n    ", c->db);
        keyfmt_json_string(out, c->key, c->key_len);
        if (c->key_full_len > c->key_len)
            fprintf(out, ",\"key_truncated\":true,\"key_length\":%" PRIu64, c->key_full_len);
        fprintf(out, ",\"type\":\"%s\",\"status\":\"%s\"", rdb_kind_name(c->type), c->status);
        jtriple(out, "bytes", &c->bytes, true);
        fputc('}', out);
    }
    fputs(d->nchanges ? "\n  ]\n}\n" : "]\n}\n", out);
}

/* ---- text and markdown ------------------------------------------------------ */

static char *fmt_val(char *buf, size_t cap, bool has, uint64_t v, bool bytes) {
    if (!has) return strcpy(buf, "?");
    return bytes ? rfmt_bytes(buf, cap, v) : rfmt_count(buf, cap, v);
}

static char *fmt_delta(char *buf, size_t cap, const diff_val *v, bool bytes) {
    if (!v->has_old || !v->has_new) return strcpy(buf, "?");
    if (v->old == v->new_) return strcpy(buf, "0");
    char n[RFMT_CELL];
    uint64_t m = v->new_ > v->old ? v->new_ - v->old : v->old - v->new_;
    if (bytes) rfmt_bytes(n, sizeof n, m);
    else rfmt_count(n, sizeof n, m);
    snprintf(buf, cap, "%c%s", v->new_ > v->old ? '+' : '-', n);
    return buf;
}

typedef struct sink {
    FILE *out;
    bool md, color;
} sink;

static void show(const sink *k, const char *title, table *t, size_t left_out) {
    if (k->md) fprintf(k->out, "\n## %s\n\n", title);
    else fprintf(k->out, "\n%s%s%s\n", k->color ? "\033[1m" : "", title, k->color ? "\033[0m" : "");
    if (t->nrows == 0) fputs(k->md ? "(none)\n" : "  (none)\n", k->out);
    else if (k->md) table_print_md(k->out, t);
    else table_print_text(k->out, t, 2, k->color);
    char n[RFMT_CELL];
    if (left_out) fprintf(k->out, k->md ? "\n%s more rows not shown.\n" : "  (%s more rows not shown)\n",
                          rfmt_count(n, sizeof n, left_out));
    table_free(t);
}

static const char *const ROW_HEADS[] = {"keys old", "keys new", "keys delta", "bytes old", "bytes new",
                                        "bytes delta"};

static void value_cells(const diff_row *r, char c[6][RFMT_CELL]) {
    fmt_val(c[0], RFMT_CELL, r->keys.has_old, r->keys.old, false);
    fmt_val(c[1], RFMT_CELL, r->keys.has_new, r->keys.new_, false);
    fmt_delta(c[2], RFMT_CELL, &r->keys, false);
    fmt_val(c[3], RFMT_CELL, r->bytes.has_old, r->bytes.old, true);
    fmt_val(c[4], RFMT_CELL, r->bytes.has_new, r->bytes.new_, true);
    fmt_delta(c[5], RFMT_CELL, &r->bytes, true);
}

/* kind: 0 db, 1 type, 2 encoding, 3 ttl, 4 prefix */
static void rows_table(const sink *k, const char *title, const diff_rows *rs, int kind, size_t rows,
                       unsigned kw) {
    static const char *const first[][2] = {{"db", NULL}, {"type", NULL}, {"type", "encoding"},
                                           {"remaining", NULL}, {"prefix", "depth"}};
    const char *heads[8];
    char align[9];
    unsigned nk = first[kind][1] ? 2 : 1, n = 0;
    for (unsigned i = 0; i < nk; i++) {
        heads[n] = first[kind][i];
        align[n++] = (kind == 0 || (kind == 4 && i == 1)) ? 'r' : 'l';
    }
    for (unsigned i = 0; i < 6; i++) {
        heads[n] = ROW_HEADS[i];
        align[n++] = 'r';
    }
    align[n] = '\0';
    table t;
    table_init(&t, align, heads);
    size_t shown = 0;
    for (size_t i = 0; i < rs->n && shown < rows; i++, shown++) {
        const diff_row *r = &rs->v[i];
        char a[RFMT_CELL], b[RFMT_CELL], v[6][RFMT_CELL];
        const char *cells[8];
        unsigned m = 0;
        switch (kind) {
        case 0: cells[m++] = rfmt_count(a, sizeof a, r->db); break;
        case 1: cells[m++] = rdb_kind_name(r->type); break;
        case 2:
            cells[m++] = rdb_kind_name(r->type);
            cells[m++] = r->encoding ? r->encoding : "(not modelled)";
            break;
        case 3: cells[m++] = r->name; break;
        default:
            cells[m++] = rfmt_key(a, sizeof a, r->prefix, r->prefix_len, kw);
            snprintf(b, sizeof b, "%u", r->depth);
            cells[m++] = b;
        }
        value_cells(r, v);
        for (unsigned j = 0; j < 6; j++) cells[m++] = v[j];
        table_row(&t, cells);
    }
    show(k, title, &t, rs->n - shown);
}

static void totals_table(const sink *k, const diff_result *d) {
    static const char *const heads[] = {"total", "old", "new", "delta"};
    table t;
    table_init(&t, "lrrr", heads);
    const diff_val *v[3] = {&d->keys, &d->bytes, &d->predicted_used_memory};
    const char *names[3] = {"keys", "bytes (memory usage)", "predicted used_memory"};
    for (int i = 0; i < 3; i++) {
        char a[RFMT_CELL], b[RFMT_CELL], c[RFMT_CELL];
        bool bytes = i > 0;
        const char *cells[4] = {names[i], fmt_val(a, sizeof a, v[i]->has_old, v[i]->old, bytes),
                                fmt_val(b, sizeof b, v[i]->has_new, v[i]->new_, bytes),
                                fmt_delta(c, sizeof c, v[i], bytes)};
        table_row(&t, cells);
    }
    show(k, "Totals", &t, 0);
}

static void churn_table(const sink *k, const diff_result *d) {
    static const char *const heads[] = {"keys", "count"};
    table t;
    table_init(&t, "lr", heads);
    const char *names[4] = {"added", "removed", "changed (bytes differ)", "unchanged"};
    uint64_t vals[4] = {d->churn.added, d->churn.removed, d->churn.changed, d->churn.unchanged};
    for (int i = 0; i < 4; i++) {
        char a[RFMT_CELL];
        const char *cells[2] = {names[i], rfmt_count(a, sizeof a, vals[i])};
        table_row(&t, cells);
    }
    show(k, "Churn (exact, keys = db + name)", &t, 0);
}

static void changes_table(const sink *k, const diff_result *d, size_t rows, unsigned kw) {
    static const char *const heads[] = {"#", "db", "key", "type", "status", "bytes old", "bytes new", "delta"};
    table t;
    table_init(&t, "rrlllrrr", heads);
    size_t shown = 0;
    for (size_t i = 0; i < d->nchanges && shown < rows; i++, shown++) {
        const diff_change *c = &d->changes[i];
        char n[32], db[RFMT_CELL], key[RFMT_CELL], o[RFMT_CELL], w[RFMT_CELL], dl[RFMT_CELL];
        snprintf(n, sizeof n, "%zu", i + 1);
        key_record r = {.key = c->key, .key_len = c->key_len, .key_full_len = c->key_full_len};
        const char *cells[8] = {n, rfmt_count(db, sizeof db, c->db), rfmt_record_key(key, sizeof key, &r, kw),
                                rdb_kind_name(c->type), c->status,
                                fmt_val(o, sizeof o, c->bytes.has_old, c->bytes.old, true),
                                fmt_val(w, sizeof w, c->bytes.has_new, c->bytes.new_, true),
                                fmt_delta(dl, sizeof dl, &c->bytes, true)};
        table_row(&t, cells);
    }
    char title[128];
    snprintf(title, sizeof title, "Top changes by bytes (among %s)", d->changes_from ? d->changes_from : "top keys");
    show(k, title, &t, d->nchanges - shown);
}

static void side_line(const sink *k, const char *name, const diff_side *x) {
    char p[RFMT_CELL];
    rfmt_key(p, sizeof p, (const uint8_t *)x->path, strlen(x->path), 100);
    if (k->md) fprintf(k->out, "- %s `%s`: %s", name, p, x->kind);
    else fprintf(k->out, "%-4s %s (%s", name, p, x->kind);
    if (x->s->profile) fprintf(k->out, ", profile %s", x->s->profile);
    for (size_t i = 0; i < x->s->nfiles; i++)
        if (x->s->files[i].have_result && !x->s->files[i].complete) {
            fputs(", INCOMPLETE", k->out);
            break;
        }
    fputs(k->md ? "\n" : ")\n", k->out);
}

static void diff_tables(const sink *k, const diff_result *d, const report_options *o) {
    size_t rows = o && o->rows ? o->rows : 20;
    unsigned kw = o && o->key_width ? o->key_width : 40;
    fputs(k->md ? "# rdblens diff\n\n" : "rdblens diff\n", k->out);
    side_line(k, "old", &d->old);
    side_line(k, "new", &d->new_);
    totals_table(k, d);
    if (d->has_churn) churn_table(k, d);
    else fputs(k->md ? "\nChurn: not computed (--no-churn, or a saved report on one side).\n"
                     : "\nChurn: not computed (--no-churn, or a saved report on one side)\n", k->out);
    changes_table(k, d, rows, kw);
    rows_table(k, "By database", &d->dbs, 0, rows, kw);
    rows_table(k, "By type", &d->types, 1, rows, kw);
    rows_table(k, "By encoding", &d->encodings, 2, rows, kw);
    rows_table(k, "TTL (time left at each side's reference time)", &d->ttl, 3, rows, kw);
    rows_table(k, "Prefixes", &d->prefixes, 4, rows, kw);
    if (!d->old.prefixes_complete || !d->new_.prefixes_complete)
        fputs(k->md ? "\n`?`: a schema-1 report lists only its top prefix nodes.\n"
                    : "\n  ?: a schema-1 report lists only its top prefix nodes\n", k->out);
}

int diff_render(FILE *out, const diff_result *d, const report_options *o) {
    report_format f = o ? o->format : REPORT_TEXT;
    if (f == REPORT_JSON) {
        diff_json(out, d);
    } else {
        sink k = {out, f == REPORT_MD, f == REPORT_TEXT && o && o->color == REPORT_COLOR_ALWAYS};
        diff_tables(&k, d, o);
    }
    if (fflush(out) != 0 || ferror(out)) return -1;
    return 0;
}
