/* html_live.c: the live server's view (--info) in the HTML report's
 * overview: its used_memory as the predicted used_memory plus the parts of
 * the gap INFO names (client buffers, replication, the AOF buffer, scripts)
 * and the rest a fresh load would not allocate, then RSS above used_memory.
 * The numbers are the summary's (liveinfo_explain), as in the text report;
 * a table beside the bars has them all. */
#include <inttypes.h>
#include <string.h>

#include "report/html_int.h"
#include "report/html_svg.h"
#include "report/rfmt.h"

#define CELL RFMT_CELL

static void row(const hpage *p, const char *label, const char *value, const char *what) {
    fputs("<tr><td>", p->out);
    hp_text(p, label);
    fputs("</td><td class=\"num\">", p->out);
    hp_text(p, value);
    fputs("</td><td>", p->out);
    hp_text(p, what);
    fputs("</td></tr>\n", p->out);
}

static char *signed_bytes(char *buf, size_t cap, int64_t v) {
    char b[CELL];
    snprintf(buf, cap, "%s%s", v < 0 ? "-" : "+", rfmt_bytes(b, CELL, v < 0 ? 0 - (uint64_t)v : (uint64_t)v));
    return buf;
}

void hsec_live(const hpage *p) {
    const agg_summary *s = p->s;
    if (!s->has_live) return;
    const live_explained *x = &s->live_explained;
    FILE *out = p->out;
    char v[8][2 * CELL], a[CELL], title[16 * CELL];
    fputs("<h3>The live server (--info)</h3>\n<p class=\"note\">Its INFO, saved from the server the "
          "dump came from", out);
    if (s->live.version[0]) {
        fputs(", version ", out);
        hp_name_text(p, s->live.version);
    }
    if (s->live.has_keyspace)
        fprintf(out, "; %s keys live, %s in the dump", rfmt_count(v[0], CELL, s->live.keys),
                rfmt_count(v[1], CELL, s->totals.keys));
    fputs(".</p>\n", out);
    fputs("<div class=\"pair\"><div>\n", out);
    /* live used_memory = predicted + the named parts + the rest, when every
     * part is a size (a live server below the prediction is said in words) */
    bool stack = s->memory.present && x->gap >= 0 && x->rest >= 0;
    if (stack) {
        const uint64_t part[6] = {x->predicted, x->clients, x->replication, x->aof_buffer, x->scripts,
                                  (uint64_t)x->rest};
        for (int i = 0; i < 6; i++) {
            char pc[CELL];
            snprintf(v[i], sizeof v[i], "%s (%s)", rfmt_bytes(a, CELL, part[i]), rfmt_pct(pc, CELL, part[i], x->live));
        }
        html_bar parts[] = {
            {"predicted after a restart", v[0], part[0], "m-keys"},
            {"client output buffers", v[1], part[1], "m-tables"},
            {"replication backlog and buffers", v[2], part[2], "m-func"},
            {"AOF buffer", v[3], part[3], "m-aof"},
            {"scripts", v[4], part[4], "m-scripts"},
            {"slack a fresh load would not allocate", v[5], part[5], "m-startup"},
        };
        snprintf(title, sizeof title, "Live used_memory %s = predicted %s + clients %s + replication %s + "
                 "AOF buffer %s + scripts %s + rest %s", rfmt_bytes(a, CELL, x->live), v[0], v[1], v[2],
                 v[3], v[4], v[5]);
        html_svg_stack(out, title, parts, 6);
    } else if (s->memory.present) {
        char rss[CELL];
        html_bar bars[] = {
            {"live used_memory", rfmt_bytes(v[0], CELL, x->live), x->live, "m-keys"},
            {"predicted", rfmt_bytes(v[1], CELL, x->predicted), x->predicted, "m-startup"},
            {"live RSS", rfmt_bytes(rss, CELL, x->rss), x->rss, "m-tables"},
        };
        html_svg_bars(out, "Live used_memory and RSS against the prediction", bars, x->has_rss ? 3 : 2);
        fprintf(out, "<p>The live used_memory is %s below the prediction: keys deleted since the dump, "
                     "or a live server with other thresholds.</p>\n",
                rfmt_bytes(a, CELL, x->gap < 0 ? 0 - (uint64_t)x->gap : (uint64_t)x->gap));
    }
    if (x->has_rss) {
        uint64_t over = x->rss_over_used < 0 ? 0 - (uint64_t)x->rss_over_used : (uint64_t)x->rss_over_used;
        if (x->rss_over_used < 0)
            fprintf(out, "<p>RSS is %s below used_memory: part of the memory is swapped out.</p>\n",
                    rfmt_bytes(a, CELL, over));
        else if (x->frag_ratio >= 1.5 && over >= (64u << 20))
            fprintf(out, "<p class=\"bad\">RSS - used_memory = %s (ratio %.2f): fragmentation and allocator "
                         "overhead, not data; a restart, a failover or activedefrag gives it back.</p>\n",
                    rfmt_bytes(a, CELL, over), x->frag_ratio);
        else
            fprintf(out, "<p class=\"note\">RSS - used_memory = %s (ratio %.2f): allocator overhead within "
                         "the usual range.</p>\n", rfmt_bytes(a, CELL, over), x->frag_ratio);
    }
    fputs("</div><div>\n<div class=\"scroll\"><table><caption>Live against predicted</caption>\n"
          "<thead><tr><th scope=\"col\">part</th><th scope=\"col\" class=\"num\">bytes</th>"
          "<th scope=\"col\">what</th></tr></thead>\n<tbody>\n", out);
    row(p, "live used_memory", rfmt_bytes(a, CELL, x->live), "INFO memory, when it was saved");
    if (s->memory.present) {
        row(p, "predicted", rfmt_bytes(a, CELL, x->predicted), "right after a restart on this dump");
        row(p, "gap", signed_bytes(v[6], sizeof v[6], x->gap), "live - predicted, in the parts below");
        row(p, "clients", rfmt_bytes(a, CELL, x->clients), "normal clients' and replicas' output buffers");
        row(p, "replication", rfmt_bytes(a, CELL, x->replication), "backlog or shared replication buffers");
        row(p, "AOF buffer", rfmt_bytes(a, CELL, x->aof_buffer), "not yet written to the AOF");
        row(p, "scripts", rfmt_bytes(a, CELL, x->scripts), "cached EVAL scripts, Lua");
        row(p, "rest", signed_bytes(v[7], sizeof v[7], x->rest),
            x->rest >= 0 ? "slack in allocations, data written since the dump: a restart gives it back"
                         : "less live than a fresh load makes: keys deleted since the dump");
    }
    if (x->has_rss) row(p, "RSS", rfmt_bytes(a, CELL, x->rss), "resident set size of the process");
    fputs("</tbody></table></div>\n</div></div>\n", out);
}
