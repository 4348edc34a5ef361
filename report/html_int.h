/* html_int.h: what the HTML report's files share (html.c writes the page
 * and the small writers; html_sections.c and html_keys.c one function per
 * section). Not a public header: report.h has report_html(). */
#ifndef RDBLENS_HTML_INT_H
#define RDBLENS_HTML_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "analyze/agg.h"
#include "report/report.h"
#include "report/table.h"

/* Widest key or prefix shown, in columns; longer ones are cut in the middle
 * as in the text report (the page wraps them, nothing is hidden by CSS). */
#define HP_KEY_WIDTH 200

typedef struct hpage {
    FILE *out;
    const agg_summary *s;
    const report_options *o;
    bool multi;            /* several files: per-file panels, a file column */
    const char *nonce;     /* of the page's script (CSP) */
} hpage;

/* writers (html.c); every string goes through html_escape.h */
void hp_text(const hpage *p, const char *s);
void hp_name_text(const hpage *p, const char *s);
void hp_elem(const hpage *p, const char *tag, const char *cls, const char *text);
void hp_bytes(const hpage *p, const uint8_t *b, size_t n, bool head_only);
void hp_key(const hpage *p, const key_record *r);
void hp_table(const hpage *p, table *t, const char *caption, size_t left_out);
void hp_section(const hpage *p, const char *id, const char *title);
void hp_end_section(const hpage *p);
const char *hp_type_class(rdb_kind k);

/* sections (html_sections.c) */
void hsec_overview(const hpage *p);
void hsec_files(const hpage *p);
void hsec_findings(const hpage *p);
void hsec_ttl(const hpage *p);
void hsec_types(const hpage *p);
void hsec_dbs(const hpage *p);
void hsec_access(const hpage *p);
void hsec_cluster(const hpage *p);  /* nothing outside cluster mode */   /* nothing without LRU/LFU records */
/* the live server's view, --info (html_live.c); nothing without it */
void hsec_live(const hpage *p);

/* sections over keys and prefixes (html_keys.c) */
void hsec_prefixes(const hpage *p);
void hsec_keys(const hpage *p);
void hsec_data(const hpage *p);
/* a table of kept keys; file >= 0: only that file's, at most 'rows' */
void hp_key_table(const hpage *p, const agg_key_list *l, const char *id, const char *caption,
                  long file, size_t rows);

#endif
