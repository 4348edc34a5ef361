/* report.h: renderers of an aggregate summary (analyze/agg.h).
 *
 * Pure functions of the summary and these options: no analysis here, so the
 * output is stable and golden-testable. The CLI wires it as
 *
 *     report_options ro; report_options_init(&ro);
 *     report_parse_format("json", &ro.format);   // --format
 *     report_parse_color("auto", &ro.color);     // --color
 *     ro.rows = ...;                             // --rows (text/md), optional
 *     const agg_summary *s = agg_finish(a);
 *     if (!s || report_render(out, s, &ro) != 0) ... error ...
 *
 * JSON follows docs/report-schema.md (schema_version 2, exact integers).
 */
#ifndef RDBLENS_REPORT_H
#define RDBLENS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analyze/agg.h"

#define REPORT_SCHEMA_VERSION 2

typedef enum report_format {
    REPORT_TEXT, REPORT_JSON, REPORT_MD, REPORT_CSV, REPORT_PROM, REPORT_HTML
} report_format;
typedef enum report_color { REPORT_COLOR_AUTO, REPORT_COLOR_NEVER, REPORT_COLOR_ALWAYS } report_color;

typedef struct report_options {
    report_format format;     /* REPORT_TEXT */
    report_color color;       /* REPORT_COLOR_AUTO: on only when 'out' is a TTY (text only) */
    size_t rows;              /* rows per text/md table (20); SIZE_MAX = all kept */
    unsigned key_width;       /* longest key shown in text/md tables, in columns (40) */
    /* html: the nonce of the page's one script in its Content-Security-
     * Policy (base64, at most 64 characters). The CLI draws a random one
     * per page; the default is a fixed string, for tests. */
    const char *html_nonce;
} report_options;

/* The prefix tree the HTML report's treemap needs: set agg_options.
 * tree_nodes to this when rendering HTML (it is a few hundred rows). */
#define REPORT_HTML_TREE_NODES 600

void report_options_init(report_options *o);
/* "text" | "json" | "md" (also "markdown") | "csv" | "prom" | "html"; -1 when unknown */
int report_parse_format(const char *s, report_format *out);
/* "never" | "always" | "auto"; -1 when unknown */
int report_parse_color(const char *s, report_color *out);

/* Writes the report; 0, or -1 when writing failed (ferror on out). */
int report_render(FILE *out, const agg_summary *s, const report_options *o);

/* The renderers, for tests and special uses. */
void report_json(FILE *out, const agg_summary *s);
void report_text(FILE *out, const agg_summary *s, const report_options *o, bool color);
void report_md(FILE *out, const agg_summary *s, const report_options *o);
/* prefixes and top keys as one CSV for spreadsheets (csv.c has the columns) */
void report_csv(FILE *out, const agg_summary *s);
/* Prometheus text exposition (prom.c), for node_exporter's textfile
 * collector; at most 'rows' prefix series (+ "(other)"). */
void report_prom(FILE *out, const agg_summary *s, const report_options *o);

/* The JSON report's "merge" member (json_state.c), what a merge needs. */
void report_json_state(FILE *out, const agg_summary *s);
/* One self-contained page (report/html.c). */
void report_html(FILE *out, const agg_summary *s, const report_options *o);

#endif
