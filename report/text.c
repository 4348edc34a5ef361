/* text.c: the report for people at a terminal: a header with the inputs,
 * then aligned tables in 80-120 columns with humanized sizes. Bold headings
 * and colored severities only when 'color' (the caller decides, see
 * report_render). */
#include "report/report.h"

#include <inttypes.h>
#include <string.h>

#include "report/rfmt.h"
#include "report/sections.h"

#define BOLD "\033[1m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

typedef struct ctx {
    FILE *out;
    const agg_summary *s;
    size_t rows;
    unsigned kw;
    bool color;
} ctx;

static void heading(const ctx *c, const char *title) {
    fprintf(c->out, "\n%s%s%s\n", c->color ? BOLD : "", title, c->color ? RESET : "");
}

static void show(const ctx *c, const char *title, table *t, size_t left_out) {
    heading(c, title);
    if (t->nrows == 0) fputs("  (none)\n", c->out);
    else table_print_text(c->out, t, 2, c->color);
    char n[RFMT_CELL];
    if (left_out) fprintf(c->out, "  (%s more rows not shown)\n", rfmt_count(n, sizeof n, left_out));
    table_free(t);
}

static void header(const ctx *c) {
    const agg_summary *s = c->s;
    char line[1024], k[RFMT_CELL], iso[RFMT_CELL];
    fprintf(c->out, "%srdblens report%s\n", c->color ? BOLD : "", c->color ? RESET : "");
    for (size_t i = 0; i < s->nfiles && i < c->rows; i++) {
        const agg_file *f = &s->files[i];
        fprintf(c->out, "%-10s %s\n", i ? "" : "file", rfmt_key(k, RFMT_CELL, (const uint8_t *)f->path,
                                                          strlen(f->path), 100));
        bool bad = c->color && sec_file_bad(f);
        fprintf(c->out, "%-10s %s%s%s\n", "", bad ? RED : "", sec_file_line(line, sizeof line, f),
                bad ? RESET : "");
        if (sec_aof_line(line, sizeof line, f)) fprintf(c->out, "%-10s %s\n", "aof", line);
    }
    if (s->nfiles > c->rows)
        fprintf(c->out, "%-10s (%s more files)\n", "", rfmt_count(k, sizeof k, s->nfiles - c->rows));
    if (s->has_reference)
        fprintf(c->out, "%-10s %s (%s); TTLs are judged against it\n", "reference",
                rfmt_iso(iso, sizeof iso, s->reference_ms), s->reference_basis);
    else
        fprintf(c->out, "%-10s none (no --now, ctime or mtime): TTLs judged against 1970\n", "reference");
    fprintf(c->out, "%-10s %s\n", "profile", s->profile ? s->profile : "(none)");
    if (filter_active(&s->opt->filter))
        fprintf(c->out, "%-10s %s (%s keys left out)\n", "filters",
                rfmt_filter(line, sizeof line, &s->opt->filter), rfmt_count(k, sizeof k, s->keys_filtered_out));
    if (s->oom) fprintf(c->out, "WARNING: out of memory while aggregating; numbers are partial\n");
}

/* Writes words of 'text' wrapped at WRAP columns, every line starting with
 * 'indent' spaces and the first with 'lead' after them. */
#define WRAP 100
static void wrapped(FILE *out, unsigned indent, const char *lead, const char *text) {
    size_t col = indent + rfmt_width(lead);
    fprintf(out, "%*s%s", (int)indent, "", lead);
    bool first = true;
    while (*text) {
        while (*text == ' ') text++;
        size_t n = strcspn(text, " ");
        if (n == 0) break;
        char word[1024];
        snprintf(word, sizeof word, "%.*s", (int)n, text);
        size_t w = rfmt_width(word);
        if (!first && col + 1 + w > WRAP) {
            fprintf(out, "\n%*s%*s", (int)indent, "", (int)rfmt_width(lead), "");
            col = indent + rfmt_width(lead);
            first = true;
        }
        fprintf(out, "%s%s", first ? "" : " ", word);
        col += w + (first ? 0 : 1);
        first = false;
        text += n;
    }
    fputc('\n', out);
}

static void findings(const ctx *c) {
    const agg_summary *s = c->s;
    heading(c, "Findings");
    if (s->nfindings == 0) fputs("  (none)\n", c->out);
    size_t n = s->nfindings < c->rows ? s->nfindings : c->rows;
    for (size_t i = 0; i < n; i++) {
        const agg_finding *f = &s->findings[i];
        char subj[2 * RFMT_CELL], ev[1024];
        const char *col = !c->color ? "" : strcmp(f->severity, "critical") == 0 ? RED
                                       : strcmp(f->severity, "warning") == 0  ? YELLOW : "";
        fprintf(c->out, "  %s%-8s%s  %-20s %s\n", col, f->severity, *col ? RESET : "", f->kind,
                sec_subject(subj, sizeof subj, f, c->kw));
        sec_evidence(ev, sizeof ev, f);
        if (ev[0]) wrapped(c->out, 12, "", ev);
        wrapped(c->out, 12, "-> ", f->suggestion);
    }
    char more[RFMT_CELL];
    if (s->nfindings > n)
        fprintf(c->out, "  (%s more findings not shown)\n", rfmt_count(more, sizeof more, s->nfindings - n));
}

void report_text(FILE *out, const agg_summary *s, const report_options *o, bool color) {
    ctx c = {out, s, o && o->rows ? o->rows : 20, o && o->key_width ? o->key_width : 40, color};
    table t;
    char title[160];
    header(&c);
    if (s->nfiles > 1) {
        size_t left = sec_files(&t, s, c.rows);
        show(&c, "Files", &t, left);
    }
    sec_totals(&t, s);
    show(&c, "Totals", &t, 0);
    show(&c, "By database", &t, sec_by_db(&t, s, c.rows));
    show(&c, "By type", &t, sec_by_type(&t, s));
    show(&c, "Sizes by type (percentiles within 1.6%)", &t, sec_type_sizes(&t, s));
    show(&c, "By encoding", &t, sec_by_encoding(&t, s, c.rows));
    if (s->nmodules) show(&c, "By module", &t, sec_by_module(&t, s, c.rows));
    show(&c, "TTL (time left at the reference time)", &t, sec_ttl(&t, s));
    show(&c, "Top keys by bytes", &t, sec_keys(&t, s, &s->top_bytes, c.rows, c.kw));
    show(&c, "Top keys by elements", &t, sec_keys(&t, s, &s->top_elements, c.rows, c.kw));
    for (unsigned k = 0; k < RDB_KIND_COUNT_; k++) {
        if (!s->types[k].keys) continue;
        const char *name = rdb_kind_name((rdb_kind)k);
        snprintf(title, sizeof title, "Top %s keys by bytes", name);
        show(&c, title, &t, sec_keys(&t, s, &s->type_top_bytes[k], c.rows, c.kw));
        if (k == RDB_KIND_STRING) continue;  /* a string's elements are its length */
        snprintf(title, sizeof title, "Top %s keys by elements", name);
        show(&c, title, &t, sec_keys(&t, s, &s->type_top_elements[k], c.rows, c.kw));
    }
    snprintf(title, sizeof title, "Prefixes (depth <= %u, separators \"%s\", id segments folded to *)",
             s->opt->prefix_depth, s->opt->separators);
    show(&c, title, &t, sec_prefixes(&t, s, c.rows, c.kw));
    if (s->prefix_budget_hit) {
        char nb[RFMT_CELL], ne[RFMT_CELL];
        fprintf(out, "  prefix budget of %s nodes hit: %s smallest nodes were merged into (other)\n",
                rfmt_count(nb, sizeof nb, s->prefix_budget), rfmt_count(ne, sizeof ne, s->prefix_evicted));
    }
    findings(&c);
}
