/* html_sections.c: the HTML report's summary sections (html_int.h): the
 * overview with the memory breakdown, per-file panels, findings, TTL, types
 * and encodings, databases. Tables come from sections.c, so they match the
 * text report row for row; the charts draw the same numbers. */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/cluster.h"
#include "report/html_escape.h"
#include "report/html_int.h"
#include "report/html_svg.h"
#include "report/rfmt.h"
#include "report/sections.h"

#define CELL RFMT_CELL
/* rows of the overview's heaviest prefixes and keys, as the text report */
#define BRIEF_ROWS 5
#define BRIEF_KEY_WIDTH 48

/* two columns side by side on a wide page, one above the other otherwise */
static void pair_begin(const hpage *p) { fputs("<div class=\"pair\"><div>\n", p->out); }
static void pair_next(const hpage *p) { fputs("</div><div>\n", p->out); }
static void pair_end(const hpage *p) { fputs("</div></div>\n", p->out); }

static void card(const hpage *p, const char *figure, const char *label, const char *sub) {
    fputs("<div class=\"card\"><div class=\"fig\">", p->out);
    hp_text(p, figure);
    fputs("</div><div class=\"lab\">", p->out);
    hp_text(p, label);
    fputs("</div>", p->out);
    if (sub && *sub) hp_elem(p, "div", "subl", sub);
    fputs("</div>\n", p->out);
}

static size_t count_severity(const agg_summary *s, const char *sev) {
    size_t n = 0;
    for (size_t i = 0; i < s->nfindings; i++)
        if (!strcmp(s->findings[i].severity, sev)) n++;
    return n;
}

/* Predicted used_memory after a restart and its parts (agg_memory, the
 * same numbers as the text report's first lines and sec_memory's table). */
static void memory_breakdown(const hpage *p) {
    const agg_memory *m = &p->s->memory;
    const agg_totals *t = &p->s->totals;
    FILE *out = p->out;
    char a[CELL], b[CELL], v[4][2 * CELL], title[10 * CELL];
    fputs("<h3>Memory after a restart</h3>\n", out);
    if (!m->present) {
        fputs("<p class=\"note\">No predicted used_memory (no memory profile for this dump).</p>\n", out);
        return;
    }
    const uint64_t part[4] = {m->keys, m->startup, m->tables, m->functions};
    for (int i = 0; i < 4; i++)
        snprintf(v[i], sizeof v[i], "%s (%s)", rfmt_bytes(a, CELL, part[i]), rfmt_pct(b, CELL, part[i], m->used_memory));
    html_bar parts[] = {
        {"keys, as allocated", v[0], m->keys, "m-keys"},
        {"startup: an empty server of the profile", v[1], m->startup, "m-startup"},
        {"key and expire tables", v[2], m->tables, "m-tables"},
        {"functions", v[3], m->functions, "m-func"},
    };
    snprintf(title, sizeof title, "Predicted used_memory after a restart, %s = keys %s + startup %s + "
             "tables %s + functions %s", rfmt_bytes(a, CELL, m->used_memory), v[0], v[1], v[2], v[3]);
    html_svg_stack(out, title, parts, m->functions ? 4 : 3);
    fprintf(out, "<dl class=\"meta\"><dt>used_memory</dt><dd>%s, predicted right after loading the dump",
            rfmt_bytes(a, CELL, m->used_memory));
    if (p->s->profile) {
        fputs(" on ", out);
        hp_text(p, p->s->profile);
    }
    fputs("</dd>", out);
    if (t->has_aux_used_mem)
        fprintf(out, "<dt>used-mem in the dump</dt><dd>%s: the writing server's used_memory when it "
                     "saved, its buffers and allocator state included</dd>",
                rfmt_bytes(a, CELL, t->aux_used_mem));
    if (m->keys_not_loaded)
        fprintf(out, "<dt>not loaded</dt><dd>%s already-expired keys (%s): a restart drops them</dd>",
                rfmt_count(a, CELL, m->keys_not_loaded), rfmt_bytes(b, CELL, m->bytes_not_loaded));
    fputs("</dl>\n", out);
    if (filter_active(&p->s->opt->filter))
        fputs("<p class=\"note\">Filtered report: used_memory and its parts are the whole dump's; "
              "the other totals only the selected keys'.</p>\n", out);
}

void hsec_overview(const hpage *p) {
    const agg_summary *s = p->s;
    const agg_totals *t = &s->totals;
    char a[CELL], b[CELL], c[CELL], sub[4 * CELL];
    hp_section(p, "overview", "Overview");
    fputs("<div class=\"cards\">\n", p->out);
    if (s->memory.present) {
        snprintf(sub, sizeof sub, "%s%s", s->profile ? "on " : "", s->profile ? s->profile : "");
        card(p, rfmt_bytes(a, CELL, s->memory.used_memory), "used_memory after a restart (predicted)", sub);
    }
    snprintf(sub, sizeof sub, "%s elements, %s of strings", rfmt_count(b, CELL, t->elements),
             rfmt_bytes(c, CELL, t->string_length));
    card(p, rfmt_bytes(a, CELL, t->bytes), "keys' memory (sum of MEMORY USAGE)", sub);
    snprintf(sub, sizeof sub, "%s with a TTL (%s)", rfmt_count(b, CELL, t->keys_with_ttl),
             rfmt_pct(c, CELL, t->keys_with_ttl, t->keys));
    card(p, rfmt_count(a, CELL, t->keys), "keys", sub);
    snprintf(sub, sizeof sub, "%s in %s keys", rfmt_bytes(b, CELL, t->bytes - t->bytes_with_ttl),
             rfmt_count(c, CELL, t->keys - t->keys_with_ttl));
    card(p, rfmt_pct(a, CELL, t->bytes - t->bytes_with_ttl, t->bytes), "of the bytes never expire", sub);
    if (t->keys_expired) {
        snprintf(sub, sizeof sub, "%s, not loaded by a restart", rfmt_bytes(b, CELL, t->bytes_expired));
        card(p, rfmt_count(a, CELL, t->keys_expired), "keys already expired", sub);
    }
    size_t with = 0;
    uint64_t saving = sec_total_saving(s, &with);
    if (with) snprintf(sub, sizeof sub, "%zu critical, %zu warning; they would save %s",
                       count_severity(s, "critical"), count_severity(s, "warning"), rfmt_bytes(b, CELL, saving));
    else snprintf(sub, sizeof sub, "%zu critical, %zu warning", count_severity(s, "critical"),
                  count_severity(s, "warning"));
    snprintf(a, CELL, "%zu", s->nfindings);
    card(p, a, "findings", sub);
    fputs("</div>\n", p->out);
    table tt;
    pair_begin(p);
    memory_breakdown(p);
    pair_next(p);
    if (s->memory.present) {
        sec_memory(&tt, s);
        hp_table(p, &tt, "Predicted used_memory and its parts", 0);
    }
    pair_end(p);
    hsec_live(p);
    /* the first screen's heaviest prefixes and keys (the text report's) */
    size_t left = sec_brief_prefixes(&tt, s, BRIEF_ROWS, BRIEF_KEY_WIDTH);
    hp_table(p, &tt, NULL, 0);
    if (left) fputs("<p class=\"note\"><a href=\"#prefixes\">All prefixes and the treemap</a></p>\n", p->out);
    left = sec_brief_keys(&tt, s, BRIEF_ROWS, BRIEF_KEY_WIDTH);
    hp_table(p, &tt, NULL, 0);
    if (left) fputs("<p class=\"note\"><a href=\"#keys\">All top keys</a></p>\n", p->out);
    sec_totals(&tt, s);
    hp_table(p, &tt, "Totals", 0);
    hp_end_section(p);
}

void hsec_files(const hpage *p) {
    const agg_summary *s = p->s;
    FILE *out = p->out;
    char line[1024], a[CELL];
    hp_section(p, "files", "Files");
    table t;
    hp_table(p, &t, "Files combined in this report", sec_files(&t, s, SIZE_MAX));
    for (size_t i = 0; i < s->nfiles; i++) {
        const agg_file *f = &s->files[i];
        const agg_totals *ft = &f->totals;
        fprintf(out, "<details class=\"panel\"><summary>file %zu: ", i + 1);
        hp_bytes(p, (const uint8_t *)f->path, strlen(f->path), false);
        fprintf(out, " <span class=\"sub\">%s keys, %s</span></summary>\n",
                rfmt_count(line, CELL, ft->keys), rfmt_bytes(a, CELL, ft->bytes));
        fprintf(out, "<p class=\"%s\">", sec_file_bad(f) ? "bad" : "sub");
        hp_text(p, sec_file_line(line, sizeof line, f));
        fputs("</p>\n", out);
        if (sec_aof_line(line, sizeof line, f)) {
            fputs("<p class=\"sub\">AOF: ", out);
            hp_text(p, line);
            fputs("</p>\n", out);
        }
        fputs("<dl class=\"meta\">", out);
        if (ft->has_predicted_used_memory)
            fprintf(out, "<dt>predicted used_memory</dt><dd>%s</dd>", rfmt_bytes(a, CELL, ft->predicted_used_memory));
        if (ft->has_aux_used_mem)
            fprintf(out, "<dt>used-mem in the dump</dt><dd>%s</dd>", rfmt_bytes(a, CELL, ft->aux_used_mem));
        fprintf(out, "<dt>with TTL</dt><dd>%s keys, ", rfmt_count(a, CELL, ft->keys_with_ttl));
        fprintf(out, "%s</dd>", rfmt_bytes(a, CELL, ft->bytes_with_ttl));
        fprintf(out, "<dt>expired</dt><dd>%s keys, ", rfmt_count(a, CELL, ft->keys_expired));
        fprintf(out, "%s</dd></dl>\n", rfmt_bytes(a, CELL, ft->bytes_expired));
        char id[64];
        snprintf(id, sizeof id, "file%zu-keys", i);
        hp_key_table(p, &s->top_bytes, id, "This file's keys among the top keys by bytes", (long)i, 10);
        fputs("</details>\n", out);
    }
    hp_end_section(p);
}

static const char *finding_title(const char *kind) {
    static const char *const names[][2] = {
        {"big_key", "Big key"},
        {"dominant_element", "One element holds most of the key"},
        {"list_big_elements", "List with large elements"},
        {"near_encoding_limit", "Just above a compact-encoding limit"},
        {"prefix_without_ttl", "Prefix without TTL"},
        {"expired_in_dump", "Expired keys still in the dump"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i][0], kind)) return names[i][1];
    return kind;
}

static void finding_subject(const hpage *p, const agg_finding *f) {
    FILE *out = p->out;
    switch (f->subject_kind) {
    case AGG_SUBJECT_KEY:
        fprintf(out, "db %" PRIu64 " ", f->key->rec.db);
        if (p->multi && f->key->file < p->s->nfiles)
            fprintf(out, "<span class=\"sub\">(file %u)</span> ", f->key->file + 1);
        hp_key(p, &f->key->rec);
        break;
    case AGG_SUBJECT_PREFIX:
        fputs("prefix ", out);
        hp_bytes(p, f->subject, f->subject_len, false);
        break;
    case AGG_SUBJECT_FILE:
        fputs("file ", out);
        hp_bytes(p, f->subject, f->subject_len, false);
        break;
    case AGG_SUBJECT_GROUP:
        hp_text(p, f->text);
        if (f->subject_len) {
            fputs(", keys ", out);
            char buf[HTML_KEY_CAP(HP_KEY_WIDTH)];
            html_key_form(buf, sizeof buf, f->subject, f->subject_len, HP_KEY_WIDTH, false);
            fputs("<code class=\"k\">", out);
            html_text(out, buf);
            fputs("*</code>", out);
        } else {
            fputs(", other keys", out);
        }
        break;
    default:
        hp_text(p, f->text);
        break;
    }
}

void hsec_findings(const hpage *p) {
    const agg_summary *s = p->s;
    FILE *out = p->out;
    hp_section(p, "findings", "Findings");
    if (s->nfindings == 0) {
        fputs("<p class=\"none\">Nothing stands out.</p>\n", out);
        hp_end_section(p);
        return;
    }
    size_t with = 0;
    uint64_t total = sec_total_saving(s, &with);
    char a[CELL], b[CELL];
    fputs("<p class=\"note\">Most serious first, then by the memory concerned.", out);
    if (with)
        fprintf(out, " All estimated savings: <strong>%s</strong> (%s of used_memory).",
                rfmt_bytes(a, CELL, total), rfmt_pct(b, CELL, total, s->memory.used_memory));
    fputs("</p>\n", out);
    fputs("<ol class=\"findings\">\n", out);
    for (size_t i = 0; i < s->nfindings; i++) {
        const agg_finding *f = &s->findings[i];
        char ev[1024];
        fputs("<li class=\"finding sev-", out);
        html_attr(out, f->severity);
        fputs("\"><div class=\"fhead\">", out);
        hp_elem(p, "span", "sev", f->severity);
        fputc(' ', out);
        hp_elem(p, "strong", NULL, finding_title(f->kind));
        fputs(" <span class=\"subject\">", out);
        finding_subject(p, f);
        fputs("</span>", out);
        if (f->has_saving)
            fprintf(out, " <span class=\"saving\">saves about %s</span>", rfmt_bytes(a, CELL, f->saving));
        else if (f->bytes)
            fprintf(out, " <span class=\"sub\">%s</span>", rfmt_bytes(a, CELL, f->bytes));
        fputs("</div>\n<p class=\"evidence\">", out);
        hp_text(p, sec_evidence(ev, sizeof ev, f));
        fputs(" <span class=\"kind\">(", out);
        hp_text(p, f->kind);
        fputs(")</span></p>\n", out);
        if (f->nexamples) {
            fputs("<ul class=\"examples\">", out);
            for (size_t j = 0; j < f->nexamples; j++) {
                const key_record *r = &f->examples[j]->rec;
                fprintf(out, "<li>e.g. db %" PRIu64 " ", r->db);
                hp_key(p, r);
                fprintf(out, " (%s, ", rfmt_bytes(a, CELL, r->bytes));
                hp_text(p, sec_size_cell(b, CELL, r));
                fputs(")</li>", out);
            }
            fputs("</ul>\n", out);
        }
        if (f->suggestion) {
            fputs("<p class=\"advice\"><span class=\"vh\">Advice: </span>", out);
            hp_text(p, f->suggestion);
            fputs("</p>\n", out);
        }
        if (f->command[0]) {
            fputs("<pre class=\"cmd\"><code>$ ", out);
            hp_name_text(p, f->command);
            fputs("</code></pre>\n", out);
        }
        fputs("</li>\n", out);
    }
    fputs("</ol>\n", out);
    hp_end_section(p);
}

void hsec_ttl(const hpage *p) {
    const agg_summary *s = p->s;
    char vb[AGG_TTL_COUNT_][2 * CELL], vk[AGG_TTL_COUNT_][2 * CELL], a[CELL], b[CELL];
    html_bar bytes[AGG_TTL_COUNT_], keys[AGG_TTL_COUNT_];
    hp_section(p, "ttl", "TTL");
    fputs("<p class=\"note\">Time left at the reference time (see the top of the page).</p>\n", p->out);
    for (unsigned i = 0; i < AGG_TTL_COUNT_; i++) {
        const agg_ttl_row *r = &s->ttl[i];
        const char *cls = i == AGG_TTL_NONE ? "ttl-none" : i == AGG_TTL_EXPIRED ? "ttl-exp" : "ttl-ok";
        snprintf(vb[i], sizeof vb[i], "%s (%s)", rfmt_bytes(a, CELL, r->bytes),
                 rfmt_pct(b, CELL, r->bytes, s->totals.bytes));
        snprintf(vk[i], sizeof vk[i], "%s (%s)", rfmt_count(a, CELL, r->keys),
                 rfmt_pct(b, CELL, r->keys, s->totals.keys));
        bytes[i] = (html_bar){r->name, vb[i], r->bytes, cls};
        keys[i] = (html_bar){r->name, vk[i], r->keys, cls};
    }
    pair_begin(p);
    fputs("<h3>Bytes by time left</h3>\n", p->out);
    html_svg_bars(p->out, "Bytes by time left until expiry", bytes, AGG_TTL_COUNT_);
    pair_next(p);
    fputs("<h3>Keys by time left</h3>\n", p->out);
    html_svg_bars(p->out, "Keys by time left until expiry", keys, AGG_TTL_COUNT_);
    pair_end(p);
    table t;
    hp_table(p, &t, "TTL buckets", sec_ttl(&t, s));
    hp_end_section(p);
}

void hsec_types(const hpage *p) {
    const agg_summary *s = p->s;
    char a[CELL], b[CELL];
    hp_section(p, "types", "Types and encodings");
    /* by type */
    html_bar tb[RDB_KIND_COUNT_];
    char tv[RDB_KIND_COUNT_][2 * CELL];
    size_t n = 0;
    for (unsigned k = 0; k < RDB_KIND_COUNT_; k++) {
        const agg_type_row *r = &s->types[k];
        if (!r->keys) continue;
        snprintf(tv[n], sizeof tv[n], "%s (%s)", rfmt_bytes(a, CELL, r->bytes),
                 rfmt_pct(b, CELL, r->bytes, s->totals.bytes));
        tb[n] = (html_bar){rdb_kind_name(r->type), tv[n], r->bytes, hp_type_class(r->type)};
        n++;
    }
    pair_begin(p);
    fputs("<h3>Bytes by type</h3>\n", p->out);
    if (n) html_svg_bars(p->out, "Bytes by type", tb, n);
    pair_next(p);
    table t;
    hp_table(p, &t, "By type", sec_by_type(&t, s));
    pair_end(p);
    /* type x encoding: one bar per pair, in the type's colour */
    pair_begin(p);
    fputs("<h3>Type x encoding</h3>\n", p->out);
    html_bar *eb = calloc(s->nencs ? s->nencs : 1, sizeof *eb);
    char (*ev)[2 * CELL] = calloc(s->nencs ? s->nencs : 1, sizeof *ev);
    char (*el)[CELL] = calloc(s->nencs ? s->nencs : 1, sizeof *el);
    if (eb && ev && el && s->nencs) {
        for (size_t i = 0; i < s->nencs; i++) {
            const agg_enc_row *e = &s->encs[i];
            snprintf(el[i], CELL, "%s %s", rdb_kind_name(e->type), e->encoding ? e->encoding : "-");
            snprintf(ev[i], sizeof ev[i], "%s (%s)", rfmt_bytes(a, CELL, e->bytes),
                     rfmt_pct(b, CELL, e->bytes, s->totals.bytes));
            eb[i] = (html_bar){el[i], ev[i], e->bytes, hp_type_class(e->type)};
        }
        html_svg_bars(p->out, "Bytes by type and encoding after load", eb, s->nencs);
    }
    free(eb);
    free(ev);
    free(el);
    pair_next(p);
    hp_table(p, &t, "By encoding (OBJECT ENCODING after load)", sec_by_encoding(&t, s, SIZE_MAX));
    pair_end(p);
    if (s->nmodules) hp_table(p, &t, "By module", sec_by_module(&t, s, SIZE_MAX));
    hp_table(p, &t, "Sizes by type (percentiles within 1.6%)", sec_type_sizes(&t, s));
    hp_end_section(p);
}

/* The dump's LRU/LFU records, when it has them: the same tables as the
 * text report, and the biggest cold keys as a key table. */
void hsec_access(const hpage *p) {
    const agg_summary *s = p->s;
    if (!s->access.keys_idle && !s->access.keys_freq) return;
    hp_section(p, "access", "Access (LRU / LFU)");
    table t;
    if (s->access.keys_idle)
        hp_table(p, &t, "Idle time (time since last access, weighted by bytes)", sec_idle(&t, s));
    if (s->access.keys_freq)
        hp_table(p, &t, "Access frequency (LFU counters, logarithmic; new keys start at 5)", sec_freq(&t, s));
    hp_key_table(p, &s->access.cold, "cold-keys",
                 "Biggest cold keys (idle a day or more, or an LFU counter under 5): eviction or TTL candidates",
                 -1, SIZE_MAX);
    hp_end_section(p);
}

/* Cluster mode (--cluster, or slot info in the dump): the same tables as
 * the text report (report/cluster.h). */
void hsec_cluster(const hpage *p) {
    const agg_cluster_summary *c = p->s->cluster;
    if (!c) return;
    hp_section(p, "cluster", "Cluster");
    table t;
    sec_cluster_overview(&t, c);
    hp_table(p, &t, "Slots, hash tags and shards", 0);
    if (c->nshards) hp_table(p, &t, "Shards", sec_cluster_shards(&t, c, SIZE_MAX));
    hp_table(p, &t, "Heaviest slots", sec_cluster_slots(&t, c, SIZE_MAX));
    hp_table(p, &t, "Hash tags", sec_cluster_tags(&t, c, SIZE_MAX, HP_KEY_WIDTH));
    hp_end_section(p);
}

void hsec_dbs(const hpage *p) {
    hp_section(p, "dbs", "Databases");
    table t;
    hp_table(p, &t, "By database", sec_by_db(&t, p->s, SIZE_MAX));
    hp_end_section(p);
}
