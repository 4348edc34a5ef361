/* html_keys.c: the HTML report's sections over key names: the prefix
 * treemap and table, the top-key tables, and the treemap's data.
 *
 * Key tables carry each number's exact value in data-v (the cell shows it
 * humanized), which the script sorts by; without the script they are plain
 * tables in the summary's order. The treemap's nodes are JSON in a
 * <script type="application/json"> block, which no browser executes; its
 * strings are escaped with html_json_string so no name can close it. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_escape.h"
#include "report/html_int.h"
#include "report/rfmt.h"
#include "report/sections.h"

#define CELL RFMT_CELL
/* a table longer than this scrolls in a box of its own (not in print) */
#define TALL_ROWS 15

static void th(FILE *out, const char *label, const char *sort) {
    fprintf(out, "<th scope=\"col\" data-sort=\"%s\"%s>%s</th>", sort,
            !strcmp(sort, "num") ? " class=\"num\"" : "", label);
}

/* a number cell: humanized text, exact value for sorting */
static void num(FILE *out, const char *text, uint64_t v) {
    fprintf(out, "<td class=\"num\" data-v=\"%" PRIu64 "\">", v);
    html_text(out, text);
    fputs("</td>", out);
}

void hp_key_table(const hpage *p, const agg_key_list *l, const char *id, const char *caption,
                  long file, size_t rows) {
    const agg_summary *s = p->s;
    FILE *out = p->out;
    size_t shown = 0;
    for (size_t i = 0; i < l->n && shown < rows; i++)
        if (file < 0 || l->v[i].file == (uint32_t)file) shown++;
    if (shown == 0) {
        fputs("<p class=\"none\">(none)</p>\n", out);
        return;
    }
    fprintf(out, "<div class=\"scroll%s\"><table class=\"keys sortable\" id=\"%s\">",
            shown > TALL_ROWS ? " tall" : "", id);
    hp_elem(p, "caption", NULL, caption);
    fputs("\n<thead><tr>", out);
    th(out, "#", "num");
    if (p->multi && file < 0) th(out, "file", "num");
    th(out, "db", "num");
    th(out, "key", "text");
    th(out, "type", "text");
    th(out, "encoding", "text");
    th(out, "bytes", "num");
    th(out, "size", "num");
    th(out, "largest", "num");
    th(out, "TTL", "num");
    fputs("</tr></thead>\n<tbody>\n", out);
    shown = 0;
    for (size_t i = 0; i < l->n && shown < rows; i++) {
        const agg_key *e = &l->v[i];
        const key_record *r = &e->rec;
        if (file >= 0 && e->file != (uint32_t)file) continue;
        shown++;
        char a[CELL];
        fprintf(out, "<tr data-type=\"%s\">", rdb_kind_name(r->type));
        snprintf(a, CELL, "%zu", i + 1);
        num(out, a, i + 1);
        if (p->multi && file < 0) {
            snprintf(a, CELL, "%u", e->file + 1);
            num(out, a, e->file + 1u);
        }
        snprintf(a, CELL, "%" PRIu64, r->db);
        num(out, a, r->db);
        fputs("<td class=\"key\">", out);
        hp_key(p, r);
        fprintf(out, "</td><td><span class=\"sw %s\"></span>%s</td><td>", hp_type_class(r->type),
                rdb_kind_name(r->type));
        hp_text(p, r->encoding ? r->encoding : "-");
        fputs("</td>", out);
        if (r->has_bytes) num(out, rfmt_bytes(a, CELL, r->bytes), r->bytes);
        else fputs("<td class=\"num\" data-v=\"\">-</td>", out);
        num(out, sec_size_cell(a, CELL, r), r->elements);
        num(out, rfmt_bytes(a, CELL, r->largest), r->largest);
        if (!r->has_expire) {
            fputs("<td class=\"num\" data-v=\"\">-</td>", out);
        } else {
            int64_t ref = e->file < s->nfiles ? s->files[e->file].reference_ms : s->reference_ms;
            uint64_t left = r->expire_ms <= ref ? 0 : (uint64_t)r->expire_ms - (uint64_t)ref;
            num(out, sec_remaining(a, CELL, s, e), left);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
}

static void prefix_types(FILE *out, const agg_prefix_row *r) {
    bool first = true;
    char pct[CELL];
    for (int k = 0; k < RDB_KIND_COUNT_; k++) {
        if (!r->type_bytes[k]) continue;
        fprintf(out, "%s<span class=\"sw %s\"></span>%s %s", first ? "" : ", ",
                hp_type_class((rdb_kind)k), rdb_kind_name((rdb_kind)k),
                rfmt_pct(pct, CELL, r->type_bytes[k], r->bytes));
        first = false;
    }
    if (first) fputs("-", out);
}

static void legend(FILE *out) {
    fputs("<ul class=\"legend\" aria-label=\"colours by type\">", out);
    for (int k = 0; k < RDB_KIND_COUNT_; k++)
        fprintf(out, "<li><span class=\"sw %s\"></span>%s</li>", hp_type_class((rdb_kind)k),
                rdb_kind_name((rdb_kind)k));
    fputs("<li><span class=\"sw t-rest\"></span>keys not in a block shown</li></ul>\n", out);
}

void hsec_prefixes(const hpage *p) {
    const agg_summary *s = p->s;
    FILE *out = p->out;
    char a[CELL], b[CELL];
    hp_section(p, "prefixes", "Prefixes");
    fputs("<figure class=\"treemap\">\n<figcaption>Where the bytes go, by key prefix (separators ", out);
    fputs("<code>", out);
    hp_text(p, rfmt_text(a, CELL, s->opt->separators));
    fprintf(out, "</code>, depth &le; %u, id segments folded to <code>*</code>). Each block's area is "
                 "its bytes and its colour the type holding most of them; select a block to open "
                 "the prefixes under it. The table below has every number.</figcaption>\n",
            s->opt->prefix_depth);
    fputs("<nav class=\"crumbs noprint\" id=\"tm-crumbs\" aria-label=\"treemap level\" hidden></nav>\n"
          "<div class=\"tm-box\" id=\"tm\"><svg id=\"tm-svg\" role=\"group\" "
          "aria-label=\"treemap of key prefixes by bytes\" hidden></svg><noscript><p class=\"note\">"
          "The treemap is drawn by the page's script; the table below has the same numbers.</p>"
          "</noscript></div>\n"
          "<div class=\"tip\" id=\"tm-tip\" role=\"tooltip\" hidden></div>\n"
          "<p class=\"vh\" id=\"tm-live\" aria-live=\"polite\"></p>\n", out);
    legend(out);
    fputs("</figure>\n", out);
    if (s->prefix_budget_hit)
        fprintf(out, "<p class=\"note\">The prefix budget of %s nodes was hit: %s of the lightest "
                     "were merged into <code>(other)</code>.</p>\n",
                rfmt_count(a, CELL, s->prefix_budget), rfmt_count(b, CELL, s->prefix_evicted));
    if (s->nprefixes == 0) {
        fputs("<p class=\"none\">(none)</p>\n", out);
        hp_end_section(p);
        return;
    }
    fprintf(out, "<div class=\"scroll%s\"><table class=\"sortable\" id=\"prefix-table\"><caption>"
                 "Heaviest prefixes at any depth</caption>\n<thead><tr>",
            s->nprefixes > TALL_ROWS ? " tall" : "");
    th(out, "prefix", "text");
    th(out, "depth", "num");
    th(out, "keys", "num");
    th(out, "bytes", "num");
    th(out, "bytes %", "num");
    th(out, "no TTL", "num");
    th(out, "types", "text");
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < s->nprefixes; i++) {
        const agg_prefix_row *r = &s->prefixes[i];
        fputs("<tr><td class=\"key\">", out);
        if (r->other) fputs("<em>(other)</em>", out);
        else hp_bytes(p, r->name, r->name_len, false);
        fputs("</td>", out);
        snprintf(a, CELL, "%u", r->depth);
        num(out, a, r->depth);
        num(out, rfmt_count(a, CELL, r->keys), r->keys);
        num(out, rfmt_bytes(a, CELL, r->bytes), r->bytes);
        num(out, rfmt_pct(a, CELL, r->bytes, s->totals.bytes),
            s->totals.bytes ? r->bytes * 1000 / s->totals.bytes : 0);
        num(out, rfmt_pct(a, CELL, r->bytes_no_ttl, r->bytes), r->bytes ? r->bytes_no_ttl * 1000 / r->bytes : 0);
        fputs("<td>", out);
        prefix_types(out, r);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
    hp_end_section(p);
}

void hsec_keys(const hpage *p) {
    const agg_summary *s = p->s;
    char caption[160], id[64], n[CELL];
    hp_section(p, "keys", "Top keys");
    fprintf(p->out, "<p class=\"note\">The %s heaviest keys (<code>--top</code>); select a column "
                    "heading to sort, type in the box to filter.</p>\n",
            rfmt_count(n, sizeof n, s->opt->top_n));
    fputs("<div class=\"filter noprint\" id=\"keys-filter\" hidden></div>\n", p->out);
    hp_key_table(p, &s->top_bytes, "top-bytes", "Top keys by bytes", -1, SIZE_MAX);
    fputs("<details><summary>Top keys by elements</summary>\n", p->out);
    hp_key_table(p, &s->top_elements, "top-elements", "Top keys by elements", -1, SIZE_MAX);
    fputs("</details>\n", p->out);
    for (unsigned k = 0; k < RDB_KIND_COUNT_; k++) {
        if (!s->types[k].keys) continue;
        const char *name = rdb_kind_name((rdb_kind)k);
        fprintf(p->out, "<details><summary>Top %s keys (%s)</summary>\n", name,
                rfmt_count(n, sizeof n, s->types[k].keys));
        snprintf(caption, sizeof caption, "Top %s keys by bytes", name);
        snprintf(id, sizeof id, "top-%s-bytes", name);
        hp_key_table(p, &s->type_top_bytes[k], id, caption, -1, SIZE_MAX);
        if (k != RDB_KIND_STRING) {
            snprintf(caption, sizeof caption, "Top %s keys by elements", name);
            snprintf(id, sizeof id, "top-%s-elements", name);
            hp_key_table(p, &s->type_top_elements[k], id, caption, -1, SIZE_MAX);
        }
        fputs("</details>\n", p->out);
    }
    hp_end_section(p);
}

/* {"keys":N,"bytes":N,"keys_no_ttl":N,"bytes_no_ttl":N,"types":[...],"tree":[[name,depth,parent,keys,bytes,
 *  keys_no_ttl,bytes_no_ttl,other,[bytes per type]],...]}; parent -1 for a
 * top-level node. JavaScript numbers are doubles: exact below 2^53 bytes. */
void hsec_data(const hpage *p) {
    const agg_summary *s = p->s;
    FILE *out = p->out;
    char name[HTML_KEY_CAP(AGG_PREFIX_MAX_NAME)];
    const agg_totals *t = &s->totals;
    fprintf(out, "<script type=\"application/json\" id=\"rdblens-data\">{\"keys\":%" PRIu64
                 ",\"bytes\":%" PRIu64 ",\"keys_no_ttl\":%" PRIu64 ",\"bytes_no_ttl\":%" PRIu64
                 ",\"types\":[",
            t->keys, t->bytes, t->keys - t->keys_with_ttl, t->bytes - t->bytes_with_ttl);
    for (int k = 0; k < RDB_KIND_COUNT_; k++)
        fprintf(out, "%s\"%s\"", k ? "," : "", rdb_kind_name((rdb_kind)k));
    fputs("],\"tree\":[", out);
    for (size_t i = 0; i < s->nprefix_tree; i++) {
        const agg_prefix_tree_row *x = &s->prefix_tree[i];
        const agg_prefix_row *r = &x->row;
        fputs(i ? ",\n[" : "\n[", out);
        if (r->other) snprintf(name, sizeof name, "(other)");
        else html_key_form(name, sizeof name, r->name, r->name_len, 0, false);
        html_json_string(out, name);
        fprintf(out, ",%u,%lld,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%d,[", r->depth,
                x->parent == SIZE_MAX ? -1LL : (long long)x->parent, r->keys, r->bytes, r->keys_no_ttl,
                r->bytes_no_ttl, r->other ? 1 : 0);
        for (int k = 0; k < RDB_KIND_COUNT_; k++)
            fprintf(out, "%s%" PRIu64, k ? "," : "", r->type_bytes[k]);
        fputs("]]", out);
    }
    fputs("]}</script>\n", out);
}
