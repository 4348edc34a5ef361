/* text.c: the report for people at a terminal, summary first.
 *
 * The first screen (about 30 lines of 100 columns) answers what the dump
 * takes after a restart and of what, where it goes (the heaviest prefixes
 * and keys), and what to do first (the findings that matter most, each
 * with a command that lists its keys). The detail tables follow, sorted by
 * bytes, as many rows as --rows says. Bold headings, problems in red and
 * severities in colour only when 'color' (the caller decides). */
#include "report/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/cluster.h"
#include "report/rfmt.h"
#include "report/sections.h"

#define BOLD "\033[1m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"
#define WRAP 100
#define BRIEF_ROWS 5
#define BRIEF_FINDINGS 3
#define BRIEF_KEY_WIDTH 32

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
    if (left_out) fprintf(c->out, "  (%s more rows: --rows %zu or --rows 0)\n", rfmt_count(n, sizeof n, left_out),
                          c->rows < 10000 ? c->rows * 5 : c->rows);
    table_free(t);
}

/* Writes words of 'text' wrapped at WRAP columns, every line starting with
 * 'indent' spaces and the first with 'lead' after them. */
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

static const char *basis_text(const char *basis) {
    if (!strcmp(basis, "ctime")) return "the dump's ctime";
    if (!strcmp(basis, "option")) return "--now";
    if (!strcmp(basis, "mtime")) return "the file's time (no ctime aux in the dump; --now sets it)";
    if (!strcmp(basis, "now")) return "the current time (no ctime aux on standard input; --now sets it)";
    if (!strcmp(basis, "explicit")) return "set by the caller";
    return basis;
}

static const char *profile_basis_text(const char *b) {
    if (!b) return "";
    if (!strcmp(b, "--profile")) return " (--profile)";
    if (!strcmp(b, "redis-ver")) return " (its redis-ver)";
    if (!strcmp(b, "valkey-ver")) return " (its valkey-ver)";
    return " (its RDB version)";
}

static void header(const ctx *c) {
    const agg_summary *s = c->s;
    char line[1024], k[RFMT_CELL], iso[RFMT_CELL];
    FILE *o = c->out;
    if (s->nfiles == 1) {
        const agg_file *f = &s->files[0];
        fprintf(o, "%srdblens report%s  %s\n", c->color ? BOLD : "", c->color ? RESET : "",
                rfmt_key(k, RFMT_CELL, (const uint8_t *)f->path, strlen(f->path), 84));
        bool bad = c->color && sec_file_bad(f);
        fprintf(o, "  %s%s%s\n", bad ? RED : "", sec_file_line(line, sizeof line, f), bad ? RESET : "");
        if (sec_aof_line(line, sizeof line, f)) fprintf(o, "  aof: %s\n", line);
        char model[96] = "";
        if (f->profile[0])
            snprintf(model, sizeof model, "modelled as %s%s; ", f->profile, profile_basis_text(f->profile_basis));
        if (s->has_reference || model[0]) {
            char ttl[256] = "";
            if (s->has_reference)
                snprintf(ttl, sizeof ttl, "TTLs judged at %s, %s", rfmt_iso(iso, sizeof iso, f->reference_ms),
                         basis_text(f->reference_basis));
            if (2 + strlen(model) + strlen(ttl) > 100)  /* two lines rather than one past the edge */
                fprintf(o, "  %.*s\n  %s\n", (int)strlen(model) - 2, model, ttl);
            else
                fprintf(o, "  %s%s\n", model, ttl);
        }
    } else {
        size_t bad = 0;
        for (size_t i = 0; i < s->nfiles; i++) bad += sec_file_bad(&s->files[i]);
        fprintf(o, "%srdblens report%s  %zu files%s%s%s\n", c->color ? BOLD : "",
                c->color ? RESET : "", s->nfiles, bad && c->color ? RED : "",
                bad ? ", SOME UNREADABLE, TRUNCATED OR FAILING THEIR CHECKSUM" : "", bad && c->color ? RESET : "");
        /* a few files are named here; more are in the Files table, all of them */
        if (s->nfiles <= 6) {
            size_t *off = sec_file_name_offsets(s);
            for (size_t i = 0; i < s->nfiles; i++) {
                const agg_file *f = &s->files[i];
                const char *name = f->path + (off ? off[i] : 0);
                bool b = c->color && sec_file_bad(f);
                fprintf(o, "  %s: %s%s%s%s%s\n", rfmt_key(k, RFMT_CELL, (const uint8_t *)name, strlen(name), 40),
                        b ? RED : "", sec_file_line(line, sizeof line, f), b ? RESET : "",
                        f->profile[0] ? ", modelled as " : "", f->profile);
            }
            free(off);
        } else {
            fputs("  (a file per row in the Files table below)\n", o);
        }
        if (s->has_reference)
            fprintf(o, "  TTLs judged at %s (%s for the first file; each file against its own)\n",
                    rfmt_iso(iso, sizeof iso, s->reference_ms), basis_text(s->reference_basis));
    }
    if (filter_active(&s->opt->filter))
        fprintf(o, "  filters %s: %s keys left out; the tables count the rest, used_memory is the whole dump's\n",
                rfmt_filter(line, sizeof line, &s->opt->filter), rfmt_count(k, sizeof k, s->keys_filtered_out));
    if (s->opt->nconfig) {
        size_t n = 0;
        line[0] = '\0';
        for (size_t i = 0; i < s->opt->nconfig && n < sizeof line; i++)
            n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", i ? " " : "",
                                  rfmt_text(k, sizeof k, s->opt->config[i]));
        fprintf(o, "  config of the target server: %s\n", line);
    }
    if (s->cluster) {
        const agg_cluster_summary *cl = s->cluster;
        char b1[RFMT_CELL], b2[RFMT_CELL];
        fprintf(o, "  cluster (%s): %s slots hold keys", cl->reason, rfmt_count(b1, sizeof b1, cl->nslots));
        if (cl->nshards) {
            fprintf(o, "; %zu shards, skew %.2f", cl->nshards, cl->skew);
            double fill = 0;
            for (size_t i = 0; i < cl->nshards; i++)
                if (cl->shards[i].has_fill && cl->shards[i].fill_pct > fill) fill = cl->shards[i].fill_pct;
            if (cl->maxmemory) fprintf(o, ", fullest shard %.1f%% of maxmemory %s", fill, rfmt_bytes(b2, sizeof b2, cl->maxmemory));
        }
        fputc('\n', o);
    }
    if (s->oom) fprintf(o, "%sWARNING: out of memory while aggregating; the numbers are partial%s\n",
                        c->color ? RED : "", c->color ? RESET : "");
}

/* After a restart: used_memory and its parts, then TTL shares. */
static void memory_brief(const ctx *c) {
    const agg_summary *s = c->s;
    const agg_memory *m = &s->memory;
    FILE *o = c->out;
    char a[RFMT_CELL], b[RFMT_CELL], d[RFMT_CELL], e[RFMT_CELL], f[RFMT_CELL], g[RFMT_CELL];
    fputc('\n', o);
    if (m->present) {
        fprintf(o, "%sAfter a restart: %s used_memory%s (predicted right after loading the dump)\n",
                c->color ? BOLD : "", rfmt_bytes(a, sizeof a, m->used_memory), c->color ? RESET : "");
        fprintf(o, "  = keys %s (%s) + startup %s + tables %s", rfmt_bytes(b, sizeof b, m->keys),
                rfmt_pct(g, sizeof g, m->keys, m->used_memory), rfmt_bytes(d, sizeof d, m->startup),
                rfmt_bytes(e, sizeof e, m->tables));
        if (m->functions) fprintf(o, " + functions %s", rfmt_bytes(f, sizeof f, m->functions));
        if (m->modules) fprintf(o, " + modules %s", rfmt_bytes(f, sizeof f, m->modules));
        if (m->templates) fprintf(o, " + templates %s", rfmt_bytes(f, sizeof f, m->templates));
        fputc('\n', o);
        fprintf(o, "  %s keys loaded", rfmt_count(a, sizeof a, m->keys_loaded));
        if (m->keys_not_loaded)
            fprintf(o, ", %s already expired and not loaded (%s)", rfmt_count(b, sizeof b, m->keys_not_loaded),
                    rfmt_bytes(d, sizeof d, m->bytes_not_loaded));
        if (s->totals.has_aux_used_mem)
            fprintf(o, "; the writing server's used-mem at save time: %s",
                    rfmt_bytes(e, sizeof e, s->totals.aux_used_mem));
        fputc('\n', o);
    } else {
        fputs("After a restart: no memory model ran, sizes are unknown\n", o);
    }
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t j = 0; j < s->files[i].nhints; j++) {
            const agg_hint *h = &s->files[i].hints[j];
            fprintf(o, "  %sconfig?%s the dump suggests %s %" PRIu64 " (%s keys): --config %s=%" PRIu64
                       " predicts %s less\n", c->color ? YELLOW : "", c->color ? RESET : "", h->directive,
                    h->value, rfmt_count(a, sizeof a, h->keys), h->directive, h->value,
                    rfmt_bytes(b, sizeof b, h->saving));
        }
    const agg_totals *t = &s->totals;
    fprintf(o, "  without TTL: %s keys, %s (%s of MEMORY USAGE %s)",
            rfmt_count(a, sizeof a, t->keys - t->keys_with_ttl), rfmt_bytes(b, sizeof b, t->bytes - t->bytes_with_ttl),
            rfmt_pct(d, sizeof d, t->bytes - t->bytes_with_ttl, t->bytes), rfmt_bytes(e, sizeof e, t->bytes));
    fprintf(o, "; with TTL: %s keys\n", rfmt_count(f, sizeof f, t->keys_with_ttl));
}

/* --info: the live server beside the prediction, the gap in parts. */
static void live_brief(const ctx *c) {
    const agg_summary *s = c->s;
    if (!s->has_live) return;
    const live_explained *x = &s->live_explained;
    FILE *o = c->out;
    char a[RFMT_CELL], b[RFMT_CELL], d[RFMT_CELL], e[RFMT_CELL], f[RFMT_CELL], g[RFMT_CELL];
    fprintf(o, "%sLive server%s (--info%s%s): used_memory %s", c->color ? BOLD : "", c->color ? RESET : "",
            s->live.version[0] ? ", version " : "", s->live.version, rfmt_bytes(a, sizeof a, x->live));
    if (x->has_rss) fprintf(o, ", RSS %s (ratio %.2f)", rfmt_bytes(b, sizeof b, x->rss), x->frag_ratio);
    if (s->live.has_keyspace) fprintf(o, ", %s keys (the dump: %s)", rfmt_count(d, sizeof d, s->live.keys),
                                      rfmt_count(e, sizeof e, s->totals.keys));
    fputc('\n', o);
    if (s->memory.present) {
        uint64_t gap = (uint64_t)(x->gap < 0 ? -x->gap : x->gap);
        fprintf(o, "  live - predicted = %s%s: clients %s, replication %s, AOF buffer %s, scripts %s,\n",
                x->gap < 0 ? "-" : "+", rfmt_bytes(a, sizeof a, gap), rfmt_bytes(b, sizeof b, x->clients),
                rfmt_bytes(d, sizeof d, x->replication), rfmt_bytes(e, sizeof e, x->aof_buffer),
                rfmt_bytes(f, sizeof f, x->scripts));
        uint64_t rest = (uint64_t)(x->rest < 0 ? -x->rest : x->rest);
        if (x->rest >= 0)
            fprintf(o, "    and %s that a fresh load would not allocate (slack in allocations, data written\n"
                       "    since the dump, expired keys not yet reclaimed): a restart or failover gives it back\n",
                    rfmt_bytes(g, sizeof g, rest));
        else
            fprintf(o, "    and %s less in the live allocations than a fresh load makes (keys deleted since\n"
                       "    the dump, or a live server with other thresholds)\n", rfmt_bytes(g, sizeof g, rest));
    }
    if (x->has_rss) {
        uint64_t over = (uint64_t)(x->rss_over_used < 0 ? -x->rss_over_used : x->rss_over_used);
        if (x->rss_over_used < 0)
            fprintf(o, "  RSS is %s below used_memory: part of the memory is swapped out\n",
                    rfmt_bytes(a, sizeof a, over));
        else if (x->frag_ratio >= 1.5 && over >= (64u << 20))
            fprintf(o, "  %sRSS - used_memory = %s: fragmentation and allocator overhead, not data%s; a restart,\n"
                       "  a failover or activedefrag gives it back\n",
                    c->color ? YELLOW : "", rfmt_bytes(a, sizeof a, over), c->color ? RESET : "");
        else
            fprintf(o, "  RSS - used_memory = %s: allocator overhead within the usual range\n",
                    rfmt_bytes(a, sizeof a, over));
    }
}

static const char *sev_color(const ctx *c, const char *sev) {
    if (!c->color) return "";
    return !strcmp(sev, "critical") ? RED : !strcmp(sev, "warning") ? YELLOW : "";
}

/* What to do first: the top findings with their saving and command. */
static void findings_brief(const ctx *c) {
    const agg_summary *s = c->s;
    FILE *o = c->out;
    size_t with = 0;
    uint64_t total = sec_total_saving(s, &with);
    char a[RFMT_CELL], b[RFMT_CELL], subj[2 * RFMT_CELL];
    if (s->nfindings == 0) {
        fprintf(o, "%sWhat to do first:%s nothing stands out\n", c->color ? BOLD : "", c->color ? RESET : "");
        return;
    }
    fprintf(o, "%sWhat to do first%s\n", c->color ? BOLD : "", c->color ? RESET : "");
    size_t n = 0;
    for (size_t i = 0; i < s->nfindings && n < BRIEF_FINDINGS; i++) {
        const agg_finding *f = &s->findings[i];
        if (f->subject_kind == AGG_SUBJECT_MORE) continue;
        const char *col = sev_color(c, f->severity);
        sec_subject(subj, sizeof subj, f, BRIEF_KEY_WIDTH);
        if (f->has_saving) snprintf(a, sizeof a, "saves %s", rfmt_bytes(b, sizeof b, f->saving));
        else if (f->bytes) snprintf(a, sizeof a, "%s", rfmt_bytes(b, sizeof b, f->bytes));
        else a[0] = '\0';
        fprintf(o, "  %s%-8s%s %s: %s  %s\n", col, f->severity, *col ? RESET : "", f->kind, subj, a);
        if (f->command[0]) fprintf(o, "           $ %s\n", f->command);
        n++;
    }
    size_t rest = s->nfindings - n;
    if (rest || with) {
        fputs("  ", o);
        if (rest) fprintf(o, "%s more under Findings below", rfmt_count(a, sizeof a, rest));
        if (with)
            fprintf(o, "%sall estimated savings: %s (%s of used_memory)",
                    rest ? "; " : "", rfmt_bytes(a, sizeof a, total),
                    rfmt_pct(b, sizeof b, total, s->memory.used_memory));
        fputc('\n', o);
    }
}

static void findings(const ctx *c) {
    const agg_summary *s = c->s;
    heading(c, "Findings (most serious first, then by the memory concerned)");
    if (s->nfindings == 0) fputs("  (none)\n", c->out);
    size_t n = s->nfindings < c->rows ? s->nfindings : c->rows;
    for (size_t i = 0; i < n; i++) {
        const agg_finding *f = &s->findings[i];
        char subj[2 * RFMT_CELL], ev[1024], line[1200], b[RFMT_CELL];
        const char *col = sev_color(c, f->severity);
        fprintf(c->out, "  %s%-8s%s  %-19s %s\n", col, f->severity, *col ? RESET : "", f->kind,
                sec_subject(subj, sizeof subj, f, c->kw));
        sec_evidence(ev, sizeof ev, f);
        if (f->has_saving) {
            snprintf(line, sizeof line, "estimated saving %s; %s", rfmt_bytes(b, sizeof b, f->saving), ev);
            wrapped(c->out, 12, "", line);
        } else if (ev[0]) {
            wrapped(c->out, 12, "", ev);
        }
        for (size_t j = 0; j < f->nexamples; j++) {
            char k[RFMT_CELL];
            const key_record *r = &f->examples[j]->rec;
            fprintf(c->out, "            e.g. db%" PRIu64 " %s (%s, %s)\n", r->db, rfmt_record_key(k, sizeof k, r, c->kw),
                    rfmt_bytes(b, sizeof b, r->bytes), sec_size_cell(line, sizeof line, r));
        }
        if (f->suggestion) wrapped(c->out, 12, "-> ", f->suggestion);
        if (f->command[0]) fprintf(c->out, "            $ %s\n", f->command);
    }
    char more[RFMT_CELL];
    if (s->nfindings > n)
        fprintf(c->out, "  (%s more findings: --rows 0, or --format json)\n",
                rfmt_count(more, sizeof more, s->nfindings - n));
}

void report_text(FILE *out, const agg_summary *s, const report_options *o, bool color) {
    ctx c = {out, s, o && o->rows ? o->rows : 20, o && o->key_width ? o->key_width : 40, color};
    table t;
    char title[200];
    header(&c);
    memory_brief(&c);
    live_brief(&c);

    fputc('\n', out);
    size_t left = sec_brief_prefixes(&t, s, BRIEF_ROWS, BRIEF_KEY_WIDTH);
    if (t.nrows) table_print_text_ex(out, &t, 0, color, false);
    table_free(&t);
    (void)left;
    sec_brief_keys(&t, s, BRIEF_ROWS, BRIEF_KEY_WIDTH);
    if (t.nrows) table_print_text_ex(out, &t, 0, color, false);
    table_free(&t);
    fputc('\n', out);
    findings_brief(&c);

    fprintf(out, "\n%s-- details (%zu rows per table: --rows N, --rows 0 for all) --%s\n",
            color ? BOLD : "", c.rows, color ? RESET : "");
    if (s->nfiles > 1) show(&c, "Files", &t, sec_files(&t, s, c.rows));
    sec_memory(&t, s);
    if (s->memory.present) show(&c, "Memory after a restart (predicted used_memory and its parts)", &t, 0);
    else table_free(&t);
    sec_totals(&t, s);
    show(&c, "Totals", &t, 0);
    show(&c, "By type", &t, sec_by_type(&t, s));
    show(&c, "By encoding", &t, sec_by_encoding(&t, s, c.rows));
    if (s->nmodules) show(&c, "By module", &t, sec_by_module(&t, s, c.rows));
    show(&c, "By database", &t, sec_by_db(&t, s, c.rows));
    show(&c, "Sizes by type (percentiles within 1.6%)", &t, sec_type_sizes(&t, s));
    show(&c, "TTL (time left at the reference time)", &t, sec_ttl(&t, s));
    if (s->access.keys_idle)
        show(&c, "Idle time (the dump's LRU records: time since last access, weighted by bytes)", &t,
             sec_idle(&t, s));
    if (s->access.keys_freq)
        show(&c, "Access frequency (the dump's LFU counters, logarithmic; new keys start at 5)", &t,
             sec_freq(&t, s));
    if (s->access.keys_idle || s->access.keys_freq)
        show(&c, "Biggest cold keys (idle a day or more, or an LFU counter under 5): eviction or TTL "
                 "candidates", &t, sec_keys(&t, s, &s->access.cold, c.rows, c.kw));
    show(&c, "Top keys by bytes", &t, sec_keys(&t, s, &s->top_bytes, c.rows, c.kw));
    show(&c, "Top collections by elements", &t, sec_keys(&t, s, &s->top_elements, c.rows, c.kw));
    snprintf(title, sizeof title,
             "Prefixes (depth <= %u, separators \"%s\", id segments folded to *; single keys and "
             "repeats left out)", s->opt->prefix_depth, s->opt->separators);
    show(&c, title, &t, sec_prefixes(&t, s, c.rows, c.kw));
    if (s->prefix_budget_hit) {
        char nb[RFMT_CELL], ne[RFMT_CELL];
        fprintf(out, "  prefix budget of %s nodes hit: %s smallest nodes were merged into (other)\n",
                rfmt_count(nb, sizeof nb, s->prefix_budget), rfmt_count(ne, sizeof ne, s->prefix_evicted));
    }
    if (s->cluster) {
        sec_cluster_overview(&t, s->cluster);
        show(&c, "Cluster", &t, 0);
        show(&c, "Heaviest slots", &t, sec_cluster_slots(&t, s->cluster, c.rows));
        show(&c, "Hash tags", &t, sec_cluster_tags(&t, s->cluster, c.rows, c.kw));
        if (s->cluster->nshards) show(&c, "Shards", &t, sec_cluster_shards(&t, s->cluster, c.rows));
    }
    findings(&c);
    /* the per-type tables only when asked for more than the default */
    if (c.rows > 20) {
        for (unsigned k = 0; k < RDB_KIND_COUNT_; k++) {
            if (!s->types[k].keys) continue;
            const char *name = rdb_kind_name((rdb_kind)k);
            snprintf(title, sizeof title, "Top %s keys by bytes", name);
            show(&c, title, &t, sec_keys(&t, s, &s->type_top_bytes[k], c.rows, c.kw));
            snprintf(title, sizeof title, k == RDB_KIND_STRING ? "Top string keys by length"
                                                               : "Top %s keys by elements", name);
            show(&c, title, &t, sec_keys(&t, s, &s->type_top_elements[k], c.rows, c.kw));
        }
    }
}
