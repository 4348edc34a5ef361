/* render.c: option parsing and dispatch to the json / text / md / html renderers. */
#include "report/report.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>

void report_options_init(report_options *o) {
    memset(o, 0, sizeof *o);
    o->format = REPORT_TEXT;
    o->color = REPORT_COLOR_AUTO;
    o->rows = 20;
    o->key_width = 40;
    o->html_nonce = "rdblens-fixed-nonce";
}

int report_parse_format(const char *s, report_format *out) {
    if (strcmp(s, "text") == 0) *out = REPORT_TEXT;
    else if (strcmp(s, "json") == 0) *out = REPORT_JSON;
    else if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0) *out = REPORT_MD;
    else if (strcmp(s, "csv") == 0) *out = REPORT_CSV;
    else if (strcmp(s, "prom") == 0) *out = REPORT_PROM;
    else if (strcmp(s, "html") == 0) *out = REPORT_HTML;
    else return -1;
    return 0;
}

int report_parse_color(const char *s, report_color *out) {
    if (strcmp(s, "auto") == 0) *out = REPORT_COLOR_AUTO;
    else if (strcmp(s, "never") == 0) *out = REPORT_COLOR_NEVER;
    else if (strcmp(s, "always") == 0) *out = REPORT_COLOR_ALWAYS;
    else return -1;
    return 0;
}

int report_render(FILE *out, const agg_summary *s, const report_options *o) {
    report_options def;
    if (!o) {
        report_options_init(&def);
        o = &def;
    }
    switch (o->format) {
    case REPORT_JSON:
        report_json(out, s);
        break;
    case REPORT_MD:
        report_md(out, s, o);
        break;
    case REPORT_CSV:
        report_csv(out, s);
        break;
    case REPORT_PROM:
        report_prom(out, s, o);
        break;
    case REPORT_HTML:
        report_html(out, s, o);
        break;
    default: {
        bool color = o->color == REPORT_COLOR_ALWAYS ||
                     (o->color == REPORT_COLOR_AUTO && isatty(fileno(out)));
        report_text(out, s, o, color);
        break;
    }
    }
    if (fflush(out) != 0 || ferror(out)) return -1;
    return 0;
}
