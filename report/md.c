/* md.c: the report as GitHub-flavored Markdown, in the text report's order
 * (summary first, then the details) with the same tables (sections.c). */
#include "report/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/cluster.h"
#include "report/rfmt.h"
#include "report/sections.h"

/* Text that goes into a Markdown paragraph or list item: its punctuation
 * escaped so a key or path cannot format, link or embed anything. */
static void md_text(FILE *out, const char *s) {
    for (; *s; s++) {
        if (strchr("\\`*_[]<>|~#!()", *s)) fputc('\\', out);
        fputc(*s, out);
    }
}

static void show(FILE *out, const char *title, table *t, size_t left_out) {
    fprintf(out, "\n## %s\n\n", title);
    if (t->nrows == 0) fputs("(none)\n", out);
    else table_print_md(out, t);
    char n[RFMT_CELL];
    if (left_out) fprintf(out, "\n%s more rows not shown.\n", rfmt_count(n, sizeof n, left_out));
    table_free(t);
}

/* A command in a fenced block: it is shell text, never Markdown. Commands
 * carry no newline or backtick run (agg_find_out.c quotes key bytes). */
static void command(FILE *out, const char *cmd) {
    if (!cmd[0]) return;
    fputs("\n  ```sh\n  ", out);
    for (const char *p = cmd; *p; p++) fputc(*p == '\n' ? ' ' : *p, out);
    fputs("\n  ```\n", out);
}

void report_md(FILE *out, const agg_summary *s, const report_options *o) {
    size_t rows = o && o->rows ? o->rows : 20;
    unsigned kw = o && o->key_width ? o->key_width : 40;
    table t;
    char title[200], line[1024], k[RFMT_CELL], iso[RFMT_CELL], b[RFMT_CELL];
    fputs("# rdblens report\n\n", out);
    size_t *off = sec_file_name_offsets(s);
    for (size_t i = 0; i < s->nfiles; i++) {
        const agg_file *f = &s->files[i];
        const char *name = s->nfiles > 1 && off ? f->path + off[i] : f->path;
        fputs("- file ", out);
        md_text(out, rfmt_key(k, RFMT_CELL, (const uint8_t *)name, strlen(name), 100));
        fputs(": ", out);
        md_text(out, sec_file_line(line, sizeof line, f));
        if (f->profile[0])
            fprintf(out, "; modelled as %s; TTLs judged at %s (%s)", f->profile,
                    rfmt_iso(iso, sizeof iso, f->reference_ms), f->reference_basis);
        fputc('\n', out);
        if (sec_aof_line(line, sizeof line, f)) {
            fputs("  - AOF: ", out);
            md_text(out, line);
            fputc('\n', out);
        }
    }
    free(off);
    if (filter_active(&s->opt->filter)) {
        fputs("- filters ", out);
        md_text(out, rfmt_filter(line, sizeof line, &s->opt->filter));
        fprintf(out, ": %s keys left out; the tables count the rest, used_memory is the whole dump's\n",
                rfmt_count(k, sizeof k, s->keys_filtered_out));
    }
    for (size_t i = 0; i < s->opt->nconfig; i++) {
        fputs("- config of the target server: ", out);
        md_text(out, rfmt_text(k, sizeof k, s->opt->config[i]));
        fputc('\n', out);
    }
    if (s->memory.present) {
        sec_memory(&t, s);
        snprintf(title, sizeof title, "After a restart: %s used_memory",
                 rfmt_bytes(b, sizeof b, s->memory.used_memory));
        show(out, title, &t, 0);
    }
    show(out, "Biggest prefixes", &t, sec_brief_prefixes(&t, s, 5, kw));
    show(out, "Biggest keys", &t, sec_brief_keys(&t, s, 5, kw));
    fputs("\n## What to do first\n\n", out);
    size_t shown = 0;
    for (size_t i = 0; i < s->nfindings && shown < 5; i++) {
        const agg_finding *f = &s->findings[i];
        if (f->subject_kind == AGG_SUBJECT_MORE) continue;
        char subj[2 * RFMT_CELL];
        fprintf(out, "%zu. **%s** %s: ", ++shown, f->severity, f->kind);
        md_text(out, sec_subject(subj, sizeof subj, f, kw));
        if (f->has_saving) fprintf(out, ", saves %s", rfmt_bytes(b, sizeof b, f->saving));
        fputc('\n', out);
        command(out, f->command);
    }
    if (!shown) fputs("Nothing stands out.\n", out);

    if (s->nfiles > 1) show(out, "Files", &t, sec_files(&t, s, rows));
    sec_totals(&t, s);
    show(out, "Totals", &t, 0);
    show(out, "By type", &t, sec_by_type(&t, s));
    show(out, "By encoding", &t, sec_by_encoding(&t, s, rows));
    if (s->nmodules) show(out, "By module", &t, sec_by_module(&t, s, rows));
    show(out, "By database", &t, sec_by_db(&t, s, rows));
    show(out, "Sizes by type (percentiles within 1.6%)", &t, sec_type_sizes(&t, s));
    show(out, "TTL (time left at the reference time)", &t, sec_ttl(&t, s));
    if (s->access.keys_idle) show(out, "Idle time (LRU, weighted by bytes)", &t, sec_idle(&t, s));
    if (s->access.keys_freq) show(out, "Access frequency (LFU counters)", &t, sec_freq(&t, s));
    if (s->access.keys_idle || s->access.keys_freq)
        show(out, "Biggest cold keys (eviction or TTL candidates)", &t, sec_keys(&t, s, &s->access.cold, rows, kw));
    show(out, "Top keys by bytes", &t, sec_keys(&t, s, &s->top_bytes, rows, kw));
    show(out, "Top collections by elements", &t, sec_keys(&t, s, &s->top_elements, rows, kw));
    snprintf(title, sizeof title, "Prefixes (depth <= %u, id segments folded to *)", s->opt->prefix_depth);
    show(out, title, &t, sec_prefixes(&t, s, rows, kw));
    if (s->prefix_budget_hit) {
        char nb[RFMT_CELL], ne[RFMT_CELL];
        fprintf(out, "\nThe prefix budget of %s nodes was hit: %s smallest nodes were merged into (other).\n",
                rfmt_count(nb, sizeof nb, s->prefix_budget), rfmt_count(ne, sizeof ne, s->prefix_evicted));
    }
    if (s->cluster) {
        sec_cluster_overview(&t, s->cluster);
        show(out, "Cluster", &t, 0);
        show(out, "Heaviest slots", &t, sec_cluster_slots(&t, s->cluster, rows));
        show(out, "Hash tags", &t, sec_cluster_tags(&t, s->cluster, rows, kw));
        if (s->cluster->nshards) show(out, "Shards", &t, sec_cluster_shards(&t, s->cluster, rows));
    }
    show(out, "Findings", &t, sec_findings(&t, s, rows, kw));
    if (rows > 20)
        for (unsigned ki = 0; ki < RDB_KIND_COUNT_; ki++) {
            if (!s->types[ki].keys) continue;
            const char *name = rdb_kind_name((rdb_kind)ki);
            snprintf(title, sizeof title, "Top %s keys by bytes", name);
            show(out, title, &t, sec_keys(&t, s, &s->type_top_bytes[ki], rows, kw));
        }
}
