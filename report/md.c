/* md.c: the report as GitHub-flavored markdown: the same tables as the
 * text report (sections.c), under ## headings. */
#include "report/report.h"

#include <inttypes.h>
#include <string.h>

#include "report/rfmt.h"
#include "report/sections.h"

static void show(FILE *out, const char *title, table *t, size_t left_out) {
    fprintf(out, "\n## %s\n\n", title);
    if (t->nrows == 0) fputs("(none)\n", out);
    else table_print_md(out, t);
    char n[RFMT_CELL];
    if (left_out) fprintf(out, "\n%s more rows not shown.\n", rfmt_count(n, sizeof n, left_out));
    table_free(t);
}

void report_md(FILE *out, const agg_summary *s, const report_options *o) {
    size_t rows = o && o->rows ? o->rows : 20;
    unsigned kw = o && o->key_width ? o->key_width : 40;
    table t;
    char title[160], line[1024], k[RFMT_CELL], iso[RFMT_CELL];
    fputs("# rdblens report\n\n", out);
    for (size_t i = 0; i < s->nfiles && i < rows; i++) {
        const agg_file *f = &s->files[i];
        fprintf(out, "- file `%s`: %s\n", rfmt_key(k, RFMT_CELL, (const uint8_t *)f->path, strlen(f->path), 100),
                sec_file_line(line, sizeof line, f));
        if (sec_aof_line(line, sizeof line, f)) fprintf(out, "  - AOF: %s\n", line);
    }
    if (s->has_reference)
        fprintf(out, "- reference time %s (%s); TTLs are judged against it\n",
                rfmt_iso(iso, sizeof iso, s->reference_ms), s->reference_basis);
    fprintf(out, "- profile %s\n", s->profile ? s->profile : "(none)");
    if (filter_active(&s->opt->filter))
        fprintf(out, "- filters `%s`: %s keys left out\n", rfmt_filter(line, sizeof line, &s->opt->filter),
                rfmt_count(k, sizeof k, s->keys_filtered_out));
    if (s->nfiles > 1) show(out, "Files", &t, sec_files(&t, s, rows));
    sec_totals(&t, s);
    show(out, "Totals", &t, 0);
    show(out, "By database", &t, sec_by_db(&t, s, rows));
    show(out, "By type", &t, sec_by_type(&t, s));
    show(out, "Sizes by type (percentiles within 1.6%)", &t, sec_type_sizes(&t, s));
    show(out, "By encoding", &t, sec_by_encoding(&t, s, rows));
    if (s->nmodules) show(out, "By module", &t, sec_by_module(&t, s, rows));
    show(out, "TTL (time left at the reference time)", &t, sec_ttl(&t, s));
    show(out, "Top keys by bytes", &t, sec_keys(&t, s, &s->top_bytes, rows, kw));
    show(out, "Top keys by elements", &t, sec_keys(&t, s, &s->top_elements, rows, kw));
    for (unsigned ki = 0; ki < RDB_KIND_COUNT_; ki++) {
        if (!s->types[ki].keys) continue;
        const char *name = rdb_kind_name((rdb_kind)ki);
        snprintf(title, sizeof title, "Top %s keys by bytes", name);
        show(out, title, &t, sec_keys(&t, s, &s->type_top_bytes[ki], rows, kw));
        if (ki == RDB_KIND_STRING) continue;
        snprintf(title, sizeof title, "Top %s keys by elements", name);
        show(out, title, &t, sec_keys(&t, s, &s->type_top_elements[ki], rows, kw));
    }
    snprintf(title, sizeof title, "Prefixes (depth <= %u, id segments folded to *)",
             s->opt->prefix_depth);
    show(out, title, &t, sec_prefixes(&t, s, rows, kw));
    if (s->prefix_budget_hit) {
        char nb[RFMT_CELL], ne[RFMT_CELL];
        fprintf(out, "\nThe prefix budget of %s nodes was hit: %s smallest nodes were merged into (other).\n",
                rfmt_count(nb, sizeof nb, s->prefix_budget), rfmt_count(ne, sizeof ne, s->prefix_evicted));
    }
    show(out, "Findings", &t, sec_findings(&t, s, rows, kw));
}
