/* html.c: the report as one self-contained HTML page.
 *
 * One file, nothing fetched: the stylesheet (html_css.c) and the script
 * (html_js.c) are inline, there are no images, fonts or links outside the
 * page, and a Content-Security-Policy forbids any load and any script but
 * the page's own (by nonce), so even a key name that got past the escapes
 * could not run or call out. Everything is readable without JavaScript: the
 * summary, the tables and the bar charts (SVG drawn here) are plain HTML;
 * the script adds the prefix treemap, sorting and filtering.
 *
 * Layout, one function per section, in reading order:
 *
 *   head     <head>: CSP, title, stylesheet
 *   header   what was read: files, reference time, profile, filters
 *   overview key figures, the memory breakdown, the live server (--info)
 *   files    one panel per file (several files only)
 *   findings what to do, with the advice
 *   prefixes treemap (script) over the prefix table
 *   keys     top keys, sortable and filterable; per type under <details>
 *   ttl      TTL buckets: bars and table
 *   types    type x encoding: bars, tables, size percentiles
 *   access   LRU/LFU records: idle time, frequency, biggest cold keys
 *   cluster  slots, hash tags, shards (cluster mode only)
 *   dbs      per database
 *   data     the treemap's nodes as JSON in a non-executed <script> block
 *
 * Every string from the dump goes through html_escape.h: the display form
 * (printable, bidi controls inert), then the escape for its context.
 */
#include "report/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_assets.h"
#include "report/html_escape.h"
#include "report/html_int.h"
#include "report/rfmt.h"
#include "report/sections.h"

#define CELL RFMT_CELL

/* ---- small writers ------------------------------------------------------ */

void hp_text(const hpage *p, const char *s) { html_text(p->out, s); }

/* Text that may hold a name in its printable form (a shared table's cell,
 * a finding's command): bidi controls made inert, then escaped. */
void hp_name_text(const hpage *p, const char *s) {
    size_t cap = strlen(s) * 4 + 1;
    char *buf = malloc(cap);
    if (!buf) {
        html_text(p->out, "?");
        return;
    }
    html_inert_bidi(buf, cap, s);
    html_text(p->out, buf);
    free(buf);
}

/* <tag class="cls">text</tag> */
void hp_elem(const hpage *p, const char *tag, const char *cls, const char *text) {
    fprintf(p->out, "<%s", tag);
    if (cls) fprintf(p->out, " class=\"%s\"", cls);
    fputc('>', p->out);
    html_text(p->out, text);
    fprintf(p->out, "</%s>", tag);
}

/* A dump string (key, prefix, path) as <code>, in its display form. */
void hp_bytes(const hpage *p, const uint8_t *b, size_t n, bool head_only) {
    char buf[HTML_KEY_CAP(HP_KEY_WIDTH)];
    html_key_form(buf, sizeof buf, b, n, HP_KEY_WIDTH, head_only);
    fputs("<code class=\"k\">", p->out);
    html_text(p->out, buf);
    fputs("</code>", p->out);
}

void hp_key(const hpage *p, const key_record *r) {
    bool head_only = r->key_full_len > r->key_len;
    hp_bytes(p, r->key, r->key_len, head_only);
    if (head_only) {
        char n[CELL];
        fprintf(p->out, " <span class=\"note\">(first %zu of %s bytes)</span>", r->key_len,
                rfmt_count(n, sizeof n, r->key_full_len));
    }
}

/* A table of the shared sections (sections.c), so the page shows the same
 * rows and columns as the text and markdown reports. */
void hp_table(const hpage *p, table *t, const char *caption, size_t left_out) {
    FILE *out = p->out;
    if (t->nrows == 0) {
        fputs("<p class=\"none\">(none)</p>\n", out);
        table_free(t);
        return;
    }
    fputs("<div class=\"scroll\"><table>", out);
    if (caption) hp_elem(p, "caption", NULL, caption);
    fputs("\n<thead><tr>", out);
    for (unsigned c = 0; c < t->ncols; c++) {
        fprintf(out, "<th scope=\"col\"%s>", t->right[c] ? " class=\"num\"" : "");
        html_text(out, t->head[c]);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t r = 0; r < t->nrows; r++) {
        fputs("<tr>", out);
        for (unsigned c = 0; c < t->ncols; c++) {
            const char *v = t->cell[r * t->ncols + c];
            fprintf(out, "<td%s>", t->right[c] ? " class=\"num\"" : "");
            hp_name_text(p, v ? v : "");
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
    if (left_out) {
        char n[CELL];
        fprintf(out, "<p class=\"note\">%s more rows not shown.</p>\n", rfmt_count(n, sizeof n, left_out));
    }
    table_free(t);
}

void hp_section(const hpage *p, const char *id, const char *title) {
    fprintf(p->out, "\n<section id=\"%s\" aria-labelledby=\"h-%s\">\n<h2 id=\"h-%s\">", id, id, id);
    html_text(p->out, title);
    fputs("</h2>\n", p->out);
}

void hp_end_section(const hpage *p) { fputs("</section>\n", p->out); }

const char *hp_type_class(rdb_kind k) {
    static const char *const cls[RDB_KIND_COUNT_] = {
        [RDB_KIND_STRING] = "t-string", [RDB_KIND_LIST] = "t-list", [RDB_KIND_SET] = "t-set",
        [RDB_KIND_ZSET] = "t-zset", [RDB_KIND_HASH] = "t-hash", [RDB_KIND_STREAM] = "t-stream",
        [RDB_KIND_MODULE] = "t-module", [RDB_KIND_ARRAY] = "t-array"};
    /* a kind added later without a colour of its own is drawn as a module */
    return (unsigned)k < RDB_KIND_COUNT_ && cls[k] ? cls[k] : "t-module";
}

/* ---- sections ----------------------------------------------------------- */

static void head(const hpage *p) {
    const agg_summary *s = p->s;
    FILE *out = p->out;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", out);
    /* nothing may load; only the page's own script runs */
    fputs("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'nonce-", out);
    html_attr(out, p->nonce);
    fputs("'; base-uri 'none'; form-action 'none'\">\n"
          "<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"rdblens\">\n<title>rdblens report", out);
    if (s->nfiles >= 1) {
        fputs(": ", out);
        char buf[HTML_KEY_CAP(80)];
        const char *path = s->files[0].path;
        html_key_form(buf, sizeof buf, (const uint8_t *)path, strlen(path), 80, false);
        html_text(out, buf);
        if (s->nfiles > 1) fprintf(out, " and %zu more", s->nfiles - 1);
    }
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", html_css);
}

static void header(const hpage *p) {
    const agg_summary *s = p->s;
    FILE *out = p->out;
    char line[1024], iso[CELL], n[CELL];
    fputs("<header>\n<h1>rdblens report</h1>\n<dl class=\"meta\">\n", out);
    for (size_t i = 0; i < s->nfiles; i++) {
        const agg_file *f = &s->files[i];
        fprintf(out, "<dt>%s</dt><dd>", i ? "" : s->nfiles > 1 ? "files" : "file");
        hp_bytes(p, (const uint8_t *)f->path, strlen(f->path), false);
        fprintf(out, "<br><span class=\"%s\">", sec_file_bad(f) ? "bad" : "sub");
        hp_text(p, sec_file_line(line, sizeof line, f));
        fputs("</span>", out);
        if (sec_aof_line(line, sizeof line, f)) {
            fputs("<br><span class=\"sub\">AOF: ", out);
            hp_text(p, line);
            fputs("</span>", out);
        }
        fputs("</dd>\n", out);
    }
    fputs("<dt>reference</dt><dd>", out);
    if (s->has_reference) {
        fprintf(out, "%s (%s); TTLs are judged against it", rfmt_iso(iso, sizeof iso, s->reference_ms),
                s->reference_basis);
    } else {
        fputs("none (no --now, ctime or mtime): TTLs judged against 1970", out);
    }
    fputs("</dd>\n<dt>profile</dt><dd>", out);
    hp_text(p, s->profile ? s->profile : "(none)");
    fputs("</dd>\n", out);
    if (filter_active(&s->opt->filter)) {
        fputs("<dt>filters</dt><dd><code>", out);
        hp_text(p, rfmt_filter(line, sizeof line, &s->opt->filter));
        fprintf(out, "</code> (%s keys left out; the totals are of the keys selected)</dd>\n",
                rfmt_count(n, sizeof n, s->keys_filtered_out));
    }
    fputs("</dl>\n", out);
    if (s->oom) fputs("<p class=\"bad\">Out of memory while aggregating: the numbers are partial.</p>\n", out);
    fputs("</header>\n", out);
}

static void nav(const hpage *p) {
    static const char *const items[][2] = {
        {"overview", "Overview"}, {"files", "Files"}, {"findings", "Findings"},
        {"prefixes", "Prefixes"}, {"keys", "Top keys"}, {"ttl", "TTL"},
        {"types", "Types and encodings"}, {"access", "Access"}, {"cluster", "Cluster"},
        {"dbs", "Databases"}};
    fputs("<nav aria-label=\"sections\"><ul>", p->out);
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        if (!strcmp(items[i][0], "files") && p->s->nfiles < 2) continue;
        if (!strcmp(items[i][0], "access") && !p->s->access.keys_idle && !p->s->access.keys_freq) continue;
        if (!strcmp(items[i][0], "cluster") && !p->s->cluster) continue;
        fprintf(p->out, "<li><a href=\"#%s\">%s</a></li>", items[i][0], items[i][1]);
    }
    fputs("</ul></nav>\n<main>\n", p->out);
}

static void footer(const hpage *p) {
    fputs("</main>\n<footer><p>Made by rdblens from the dump alone, offline. bytes = predicted "
          "<code>MEMORY USAGE key SAMPLES 0</code> on the target server right after it loads the "
          "dump; the exact integers are in <code>rdblens report --format json</code>.</p></footer>\n",
          p->out);
}

void report_html(FILE *out, const agg_summary *s, const report_options *o) {
    report_options def;
    if (!o) {
        report_options_init(&def);
        o = &def;
    }
    hpage p = {.out = out, .s = s, .o = o, .multi = s->nfiles > 1,
               .nonce = o->html_nonce && *o->html_nonce ? o->html_nonce : "rdblens-fixed-nonce"};
    head(&p);
    header(&p);
    nav(&p);
    hsec_overview(&p);
    if (p.multi) hsec_files(&p);
    hsec_findings(&p);
    hsec_prefixes(&p);
    hsec_keys(&p);
    hsec_ttl(&p);
    hsec_types(&p);
    hsec_access(&p);
    hsec_cluster(&p);
    hsec_dbs(&p);
    footer(&p);
    hsec_data(&p);
    fprintf(out, "<script nonce=\"");
    html_attr(out, p.nonce);
    fprintf(out, "\">\n%s</script>\n</body>\n</html>\n", html_js);
}
