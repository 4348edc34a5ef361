/* json_load_options.c: the options a saved report was made with
 * (json_load.h: report_doc_options, report_doc_compatible).
 *
 * Schema 2 keeps them whole in merge.options and merge.cluster_options;
 * schema 1 has only what its sections say (separators, prefix depth and
 * budget), the rest is rdblens' defaults. A merge compares each report's
 * options with the first one's: reports made otherwise would not add up to
 * the report over all the dumps.
 */
#include "report/json_load_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned get_pct(jctx *c, json_t *o, const char *where, const char *name) {
    uint64_t v = jl_get_u64(c, o, where, name);
    if (v > 100000) jl_fail(c, "%s.%s: out of range (%llu)", where, name, (unsigned long long)v);
    return (unsigned)v;
}

static void get_filters(jctx *c, report_doc *d, json_t *src, key_filter *f) {
    json_t *fl = jl_get_obj(c, src, "source", "filters", false);
    if (!fl) return;
    const char *w = "source.filters";
    bool has;
    f->db = jl_get_u64_opt(c, fl, w, "db", &has);
    f->has_db = has;
    json_t *types = jl_get_arr(c, fl, w, "types");
    for (size_t i = 0; types && i < json_array_size(types); i++) {
        int k = jl_kind_of(c, json_string_value(json_array_get(types, i)), "source.filters.types");
        if (k >= 0) f->type_mask |= 1u << k;
    }
    const char *texts[3] = {jl_get_str(c, fl, w, "match", true), jl_get_str(c, fl, w, "regex", true),
                            jl_get_str(c, fl, w, "expiry", true)};
    const char **dst[3] = {&f->match, &f->regex, &f->expiry_text};
    for (int i = 0; i < 3; i++) {
        *dst[i] = NULL;
        if (texts[i] && !(*dst[i] = jl_keep_text(d, strdup(texts[i])))) jl_fail(c, "out of memory");
    }
    if (f->expiry_text) {
        f->expiry = !strcmp(f->expiry_text, "none")      ? FILTER_EXPIRY_NONE
                    : !strcmp(f->expiry_text, "any")     ? FILTER_EXPIRY_ANY
                    : !strcmp(f->expiry_text, "expired") ? FILTER_EXPIRY_EXPIRED
                                                          : FILTER_EXPIRY_RANGE;
    }
    f->min_bytes = jl_get_u64(c, fl, w, "min_bytes");
    f->min_elements = jl_get_u64(c, fl, w, "min_elements");
}

/* merge.cluster_options: cluster mode, maxmemory and the shard layout
 * (rebuilt into d->layout, which the options point at) */
static void read_cluster_options(jctx *c, report_doc *d, json_t *m, agg_options *o) {
    json_t *co = jl_get_obj(c, m, "merge", "cluster_options", false);
    const char *w = "merge.cluster_options";
    if (c->failed) return;
    o->cluster.enabled = jl_get_bool(c, co, w, "enabled");
    o->cluster.maxmemory = jl_get_u64(c, co, w, "maxmemory");
    const char *src = jl_get_str(c, co, w, "shards_source", true);
    json_t *lay = jl_get_obj(c, co, w, "layout", true);
    if (c->failed || !lay) return;
    if (!src || !(o->cluster.shards_source = jl_keep_text(d, strdup(src)))) {
        jl_fail(c, "%s: a layout without its shards_source", w);
        return;
    }
    json_t *shards = jl_get_arr(c, lay, "merge.cluster_options.layout", "shards");
    uint64_t nodes = jl_get_u64(c, lay, "merge.cluster_options.layout", "nodes");
    size_t ns = shards ? json_array_size(shards) : 0, nr = 0;
    if (c->failed) return;
    if (ns == 0 || ns > SLOT_COUNT) {
        jl_fail(c, "%s.layout: %zu shards (1 to %d)", w, ns, SLOT_COUNT);
        return;
    }
    for (size_t i = 0; i < ns; i++) nr += json_array_size(json_array_get(json_array_get(shards, i), 1));
    if (nr > SLOT_COUNT) {
        jl_fail(c, "%s.layout: %zu slot ranges", w, nr);
        return;
    }
    slotmap *L = &d->layout;
    slotmap_free(L);
    L->shards = calloc(ns, sizeof *L->shards);
    L->ranges = calloc(nr ? nr : 1, sizeof *L->ranges);
    if (!L->shards || !L->ranges) {
        jl_fail(c, "out of memory");
        return;
    }
    L->nodes = (size_t)(nodes > 100000 ? 100000 : nodes);
    for (size_t i = 0; i < ns && !c->failed; i++) {
        json_t *sh = json_array_get(shards, i), *rs = json_array_get(sh, 1);
        char wi[96];
        snprintf(wi, sizeof wi, "%s.layout.shards[%zu]", w, i);
        size_t nl;
        if (!json_is_array(sh) || json_array_size(sh) != 2 || !json_is_array(rs)) {
            jl_fail(c, "%s: expected [name, [[first, last]]]", wi);
            break;
        }
        uint8_t *name = jl_unprintable(c, d, json_array_get(sh, 0), wi, &nl);
        if (!c->failed && nl >= sizeof L->shards[i].name) jl_fail(c, "%s: name too long", wi);
        if (c->failed) break;
        memcpy(L->shards[i].name, name, nl);
        L->shards[i].first_range = L->nranges;
        for (size_t r = 0; r < json_array_size(rs) && !c->failed; r++) {
            json_t *g = json_array_get(rs, r);
            uint64_t f = jl_at_u64(c, g, 0, wi), l = jl_at_u64(c, g, 1, wi);
            if (!c->failed && (!json_is_array(g) || json_array_size(g) != 2 || f > l || l >= SLOT_COUNT))
                jl_fail(c, "%s: bad slot range", wi);
            L->ranges[L->nranges++] = (slot_range){(unsigned)f, (unsigned)l};
            L->shards[i].nranges++;
        }
        L->nshards++;
    }
    if (!c->failed) o->cluster.shards = L;
}

static int options_of(jctx *c, report_doc *d, agg_options *o) {
    agg_options_init(o);
    json_t *root = d->root;
    json_t *src = jl_get_obj(c, root, "report", "source", false);
    get_filters(c, d, src, &o->filter);
    const char *basis = jl_get_str(c, src, "source", "reference_basis", false);
    if (basis && !strcmp(basis, "option")) {
        o->has_now = true;
        o->now_ms = jl_get_i64(c, src, "source", "reference_time_ms");
    }
    if (d->schema < 2) {
        /* schema 1: what its sections say; the rest as rdblens' defaults */
        json_t *p = jl_get_obj(c, root, "report", "prefixes", false);
        size_t n;
        uint8_t *sep = jl_get_bytes(c, d, p, "prefixes", "separators", &n);
        o->separators = (const char *)sep;
        o->prefix_depth = (unsigned)jl_get_u64(c, p, "prefixes", "depth");
        o->prefix_budget = (size_t)jl_get_u64(c, p, "prefixes", "budget");
        if (!c->failed && (o->prefix_depth < 1 || o->prefix_depth > AGG_PREFIX_MAX_DEPTH))
            jl_fail(c, "prefixes.depth: out of range");
        return c->failed ? -1 : 0;
    }
    json_t *m = jl_get_obj(c, root, "report", "merge", false);
    json_t *op = jl_get_obj(c, m, "merge", "options", false);
    const char *w = "merge.options";
    o->top_n = (size_t)jl_get_u64(c, op, w, "top");
    o->findings_per_kind = (size_t)jl_get_u64(c, op, w, "findings_per_kind");
    size_t n;
    o->separators = (const char *)jl_get_bytes(c, d, op, w, "separators", &n);
    if (o->separators && strlen(o->separators) != n) jl_fail(c, "%s.separators: contains a NUL byte", w);
    o->prefix_depth = (unsigned)jl_get_u64(c, op, w, "prefix_depth");
    o->prefix_budget = (size_t)jl_get_u64(c, op, w, "prefix_budget");
    if (!c->failed && (o->top_n < 1 || o->top_n > 100000))
        jl_fail(c, "%s.top: out of range (%zu)", w, o->top_n);
    if (!c->failed && o->findings_per_kind > 100000) jl_fail(c, "%s.findings_per_kind: out of range", w);
    if (!c->failed && (o->prefix_depth < 1 || o->prefix_depth > AGG_PREFIX_MAX_DEPTH))
        jl_fail(c, "%s.prefix_depth: out of range (%u)", w, o->prefix_depth);
    if (!c->failed && (o->prefix_budget < AGG_PREFIX_MIN_BUDGET || o->prefix_budget > 50000000))
        jl_fail(c, "%s.prefix_budget: out of range (%zu)", w, o->prefix_budget);
    json_t *th = jl_get_obj(c, op, w, "thresholds", false);
    const char *wt = "merge.options.thresholds";
    agg_thresholds *t = &o->th;
    t->big_bytes = jl_get_u64(c, th, wt, "big_bytes");
    t->big_elements = jl_get_u64(c, th, wt, "big_elements");
    t->list_element_bytes = jl_get_u64(c, th, wt, "list_element_bytes");
    t->dominant_min_bytes = jl_get_u64(c, th, wt, "dominant_min_bytes");
    t->dominant_pct = get_pct(c, th, wt, "dominant_pct");
    t->no_ttl_pct = get_pct(c, th, wt, "no_ttl_pct");
    t->no_ttl_min_share_pct = get_pct(c, th, wt, "no_ttl_min_share_pct");
    t->no_ttl_warn_share_pct = get_pct(c, th, wt, "no_ttl_warn_share_pct");
    t->expired_warn_pct = get_pct(c, th, wt, "expired_warn_pct");
    t->near_pct = get_pct(c, th, wt, "near_pct");
    json_t *enc = jl_get_obj(c, th, wt, "enc", false);
    jl_get_limits(c, enc, "merge.options.thresholds.enc", &t->enc);
    read_cluster_options(c, d, m, o);
    /* --config as typed (echoed by the text report); kept by the document */
    json_t *cfg = jl_get_arr(c, op, w, "config");
    size_t n_cfg = cfg ? json_array_size(cfg) : 0;
    if (!c->failed && n_cfg) {
        const char **v = calloc(n_cfg, sizeof *v);
        if (!v || !jl_keep_text(d, (char *)v)) {
            jl_fail(c, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < n_cfg && !c->failed; i++) {
            json_t *e = json_array_get(cfg, i);
            if (!json_is_string(e)) jl_fail(c, "%s.config[%zu]: expected a string", w, i);
            else if (!(v[i] = jl_keep_text(d, strdup(json_string_value(e))))) jl_fail(c, "out of memory");
        }
        o->config = v;
        o->nconfig = n_cfg;
    }
    return c->failed ? -1 : 0;
}

int report_doc_options(const report_doc *d, agg_options *o, char *err, size_t cap) {
    jctx c = {d->path, err, cap, false};
    return options_of(&c, (report_doc *)d, o);
}

static bool same_str(const char *a, const char *b) {
    return (!a && !b) || (a && b && !strcmp(a, b));
}

int report_doc_compatible(const report_doc *d, const agg_options *o, char *err, size_t cap) {
    jctx c = {d->path, err, cap, false};
    agg_options x;
    if (options_of(&c, (report_doc *)d, &x) < 0) return -1;
    const key_filter *f = &o->filter, *g = &x.filter;
    const char *diff = NULL;
    if (!same_str(x.separators, o->separators)) diff = "--separators";
    else if (x.prefix_depth != o->prefix_depth) diff = "--prefix-depth";
    else if (x.prefix_budget != o->prefix_budget) diff = "--prefix-budget";
    else if (x.findings_per_kind != o->findings_per_kind) diff = "findings per kind";
    else if (memcmp(&x.th, &o->th, sizeof x.th) != 0) diff = "finding thresholds (--big-bytes, --big-elements)";
    else if (f->has_db != g->has_db || (f->has_db && f->db != g->db)) diff = "--db";
    else if (f->type_mask != g->type_mask) diff = "--type";
    else if (!same_str(f->match, g->match)) diff = "--match";
    else if (!same_str(f->regex, g->regex)) diff = "--regex";
    else if (f->min_bytes != g->min_bytes) diff = "--min-bytes";
    else if (f->min_elements != g->min_elements) diff = "--min-elements";
    else if (!same_str(f->expiry_text, g->expiry_text)) diff = "--expiry";
    else if (x.nconfig != o->nconfig) diff = "--config";
    else if (x.cluster.enabled != o->cluster.enabled) diff = "--cluster";
    else if (x.cluster.maxmemory != o->cluster.maxmemory) diff = "--maxmemory";
    else if (!same_str(x.cluster.shards ? x.cluster.shards_source : NULL,
                       o->cluster.shards ? o->cluster.shards_source : NULL))
        diff = "--shards / --slot-map";
    else if (x.has_now != o->has_now || (x.has_now && x.now_ms != o->now_ms)) diff = "--now";
    for (size_t i = 0; !diff && i < x.nconfig; i++)
        if (!same_str(x.config[i], o->config[i])) diff = "--config";
    if (diff) {
        jl_fail(&c, "made with other %s than the first report: the merge would not be the report over "
                    "all the dumps; make the reports with the same options", diff);
        return -1;
    }
    if (x.top_n < o->top_n) {
        jl_fail(&c, "keeps %zu keys per table, fewer than the %zu of the merge: its top keys would not "
                    "be exact (use --top %zu or less)", x.top_n, o->top_n, x.top_n);
        return -1;
    }
    return 0;
}
