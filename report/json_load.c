/* json_load.c: a saved JSON report into an aggregate (json_load.h).
 *
 * Every value is fetched through one of the get_* helpers below, which
 * check its JSON type and range and, on failure, write the member's path
 * into the error ("by_db[2].keys: expected a non-negative integer"). The
 * first error wins; later calls see it and do nothing, so a section can be
 * read straight through and checked once at its end.
 */
#include "report/json_load.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg_merge.h"
#include "analyze/slotmap.h"

struct report_doc {
    char *path;
    json_t *root;
    int schema;
    /* bytes the loaded strings need (unescaped keys, prefix names, texts);
     * owned here, freed with the document */
    char **texts;
    size_t ntexts, captexts;
    slotmap layout;            /* merge.cluster_options.layout (options point here) */
};

typedef struct jctx {
    const char *file;
    char *err;
    size_t cap;
    bool failed;
} jctx;

static void fail(jctx *c, const char *fmt, ...) {
    if (c->failed) return;
    c->failed = true;
    int n = snprintf(c->err, c->cap, "%s: ", c->file);
    if (n < 0 || (size_t)n >= c->cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err + n, c->cap - (size_t)n, fmt, ap);
    va_end(ap);
}

/* ---- reading -------------------------------------------------------------- */

typedef struct capped {
    FILE *f;
    uint64_t total;
    bool over;
} capped;

static size_t read_capped(void *buf, size_t len, void *arg) {
    capped *c = arg;
    size_t n = fread(buf, 1, len, c->f);
    c->total += n;
    if (c->total > REPORT_LOAD_MAX_BYTES) {
        c->over = true;
        return (size_t)-1;
    }
    if (n == 0 && ferror(c->f)) return (size_t)-1;
    return n;
}

/* Checks the parsed document's top level and makes the report_doc. */
static int make_doc(jctx *c, const char *path, json_t *root, report_doc **out) {
    if (!json_is_object(root)) {
        fail(c, "not a JSON report: expected an object at the top level");
        json_decref(root);
        return -1;
    }
    json_t *v = json_object_get(root, "schema_version");
    if (!v || !json_is_integer(v)) {
        fail(c, "not an rdblens JSON report: no integer schema_version (rdblens report --format json writes one)");
        json_decref(root);
        return -1;
    }
    json_int_t sv = json_integer_value(v);
    if (sv < 1 || sv > 2) {
        fail(c, "schema_version %lld is not one this rdblens reads (1 and 2)%s", (long long)sv,
             sv > 2 ? "; it was written by a newer rdblens" : "");
        json_decref(root);
        return -1;
    }
    report_doc *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        json_decref(root);
        fail(c, "out of memory");
        return -1;
    }
    d->root = root;
    d->schema = (int)sv;
    *out = d;
    return 0;
}

static void parse_error(jctx *c, const json_error_t *je, uint64_t total) {
    if (total == 0) fail(c, "empty file: not a JSON report");
    else if (json_error_code(je) == json_error_premature_end_of_input)
        fail(c, "truncated JSON: input ends at byte %d (line %d) before the report does", je->position, je->line);
    else fail(c, "not valid JSON at line %d, column %d: %s", je->line, je->column, je->text);
}

int report_doc_load(const char *path, report_doc **out, char *err, size_t cap) {
    *out = NULL;
    jctx c = {path, err, cap, false};
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        fail(&c, "%s", strerror(errno));
        return -1;
    }
    capped cp = {f, 0, false};
    json_error_t je;
    json_t *root = json_load_callback(read_capped, &cp, JSON_REJECT_DUPLICATES, &je);
    bool read_error = ferror(f);
    if (f != stdin) fclose(f);
    if (!root) {
        if (cp.over) fail(&c, "larger than %llu bytes: not a report", (unsigned long long)REPORT_LOAD_MAX_BYTES);
        else if (read_error) fail(&c, "read error");
        else parse_error(&c, &je, cp.total);
        return -1;
    }
    return make_doc(&c, path, root, out);
}

int report_doc_parse(const char *name, const void *buf, size_t len, report_doc **out, char *err, size_t cap) {
    *out = NULL;
    jctx c = {name, err, cap, false};
    if (len > REPORT_LOAD_MAX_BYTES) {
        fail(&c, "larger than %llu bytes: not a report", (unsigned long long)REPORT_LOAD_MAX_BYTES);
        return -1;
    }
    json_error_t je;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        parse_error(&c, &je, len);
        return -1;
    }
    return make_doc(&c, name, root, out);
}

void report_doc_free(report_doc *d) {
    if (!d) return;
    json_decref(d->root);
    slotmap_free(&d->layout);
    for (size_t i = 0; i < d->ntexts; i++) free(d->texts[i]);
    free(d->texts);
    free(d->path);
    free(d);
}

int report_doc_schema(const report_doc *d) { return d->schema; }
bool report_doc_exact(const report_doc *d) { return d->schema >= 2; }

/* ---- typed getters ----------------------------------------------------- */

static json_t *get(jctx *c, json_t *obj, const char *where, const char *name, json_type want,
                   bool nullable) {
    if (c->failed) return NULL;
    if (!json_is_object(obj)) {
        fail(c, "%s: expected an object", where);
        return NULL;
    }
    json_t *v = json_object_get(obj, name);
    if (!v) {
        fail(c, "%s: member \"%s\" is missing", where, name);
        return NULL;
    }
    if (json_is_null(v) && nullable) return NULL;
    if (json_typeof(v) != want && !(want == JSON_TRUE && json_is_boolean(v))) {
        static const char *const names[] = {"an object", "an array", "a string", "an integer",
                                            "a number", "a boolean", "a boolean", "null"};
        fail(c, "%s.%s: expected %s%s", where, name, names[want], nullable ? " or null" : "");
        return NULL;
    }
    return v;
}

static bool u64_of(jctx *c, json_t *v, const char *where, uint64_t *out) {
    if (c->failed) return false;
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        fail(c, "%s: expected a non-negative integer (at most 2^63-1)", where);
        return false;
    }
    *out = (uint64_t)json_integer_value(v);
    return true;
}

static uint64_t get_u64(jctx *c, json_t *obj, const char *where, const char *name) {
    json_t *v = get(c, obj, where, name, JSON_INTEGER, false);
    uint64_t x = 0;
    if (v) {
        char w[160];
        snprintf(w, sizeof w, "%s.%s", where, name);
        u64_of(c, v, w, &x);
    }
    return x;
}

/* nullable: *has false for null */
static uint64_t get_u64_opt(jctx *c, json_t *obj, const char *where, const char *name, bool *has) {
    json_t *v = get(c, obj, where, name, JSON_INTEGER, true);
    uint64_t x = 0;
    *has = v != NULL;
    if (v) {
        char w[160];
        snprintf(w, sizeof w, "%s.%s", where, name);
        u64_of(c, v, w, &x);
    }
    return x;
}

/* A member schema 2 always has and older schema-1 reports may lack (0). */
static uint64_t get_u64_v2(jctx *c, const report_doc *d, json_t *obj, const char *where, const char *name) {
    if (d->schema < 2 && json_is_object(obj) && !json_object_get(obj, name)) return 0;
    return get_u64(c, obj, where, name);
}

static int64_t get_i64(jctx *c, json_t *obj, const char *where, const char *name) {
    json_t *v = get(c, obj, where, name, JSON_INTEGER, false);
    return v ? (int64_t)json_integer_value(v) : 0;
}

static bool get_bool(jctx *c, json_t *obj, const char *where, const char *name) {
    json_t *v = get(c, obj, where, name, JSON_TRUE, false);
    return v && json_is_true(v);
}

static const char *get_str(jctx *c, json_t *obj, const char *where, const char *name, bool nullable) {
    json_t *v = get(c, obj, where, name, JSON_STRING, nullable);
    return v ? json_string_value(v) : NULL;
}

static json_t *get_arr(jctx *c, json_t *obj, const char *where, const char *name) {
    return get(c, obj, where, name, JSON_ARRAY, false);
}

static json_t *get_obj(jctx *c, json_t *obj, const char *where, const char *name, bool nullable) {
    return get(c, obj, where, name, JSON_OBJECT, nullable);
}

static uint64_t at_u64(jctx *c, json_t *arr, size_t i, const char *where) {
    json_t *v = json_array_get(arr, i);
    char w[160];
    snprintf(w, sizeof w, "%s[%zu]", where, i);
    uint64_t x = 0;
    if (!v) fail(c, "%s: missing", w);
    else u64_of(c, v, w, &x);
    return x;
}

/* ---- the printable form back into bytes ------------------------------------
 * Keys, prefixes, paths and aux values are written in redis-cli's printable
 * form (report/keyfmt.h): "\\" is a backslash, "\xHH" a byte, anything else
 * itself. Returns a copy owned by d (NUL-terminated for convenience). */

static int hexval(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static char *keep_text(report_doc *d, char *t) {
    if (!t) return NULL;
    if (d->ntexts == d->captexts) {
        size_t cap = d->captexts ? d->captexts * 2 : 64;
        char **v = realloc(d->texts, cap * sizeof *v);
        if (!v) {
            free(t);
            return NULL;
        }
        d->texts = v;
        d->captexts = cap;
    }
    d->texts[d->ntexts++] = t;
    return t;
}

static uint8_t *unprintable(jctx *c, report_doc *d, json_t *v, const char *where, size_t *len) {
    *len = 0;
    if (c->failed) return NULL;
    if (!json_is_string(v)) {
        fail(c, "%s: expected a string", where);
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    char *out = malloc(n + 1);
    if (!out) {
        fail(c, "out of memory");
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] != '\\') {
            out[o++] = s[i++];
            continue;
        }
        if (i + 1 < n && s[i + 1] == '\\') {
            out[o++] = '\\';
            i += 2;
        } else if (i + 3 < n && s[i + 1] == 'x' && hexval(s[i + 2]) >= 0 && hexval(s[i + 3]) >= 0) {
            out[o++] = (char)(hexval(s[i + 2]) << 4 | hexval(s[i + 3]));
            i += 4;
        } else {
            free(out);
            fail(c, "%s: a backslash not followed by \\ or xHH (not rdblens' printable form)", where);
            return NULL;
        }
    }
    out[o] = '\0';
    *len = o;
    if (!keep_text(d, out)) {
        fail(c, "out of memory");
        return NULL;
    }
    return (uint8_t *)out;
}

static uint8_t *get_bytes(jctx *c, report_doc *d, json_t *obj, const char *where, const char *name,
                          size_t *len) {
    json_t *v = get(c, obj, where, name, JSON_STRING, false);
    char w[160];
    snprintf(w, sizeof w, "%s.%s", where, name);
    return v ? unprintable(c, d, v, w, len) : NULL;
}

static int kind_of(jctx *c, const char *name, const char *where) {
    for (int k = 0; k < RDB_KIND_COUNT_; k++)
        if (name && !strcmp(rdb_kind_name((rdb_kind)k), name)) return k;
    fail(c, "%s: unknown type \"%s\"", where, name ? name : "(null)");
    return -1;
}

/* ---- options ------------------------------------------------------------ */

static void get_limits(jctx *c, json_t *o, const char *where, enc_limits *l) {
    l->ziplist = get_bool(c, o, where, "ziplist");
    l->hash_entries = get_u64(c, o, where, "hash_entries");
    l->hash_value = get_u64(c, o, where, "hash_value");
    l->zset_entries = get_u64(c, o, where, "zset_entries");
    l->zset_value = get_u64(c, o, where, "zset_value");
    l->set_intset = get_u64(c, o, where, "set_intset");
    l->set_lp_entries = get_u64(c, o, where, "set_lp_entries");
    l->set_lp_value = get_u64(c, o, where, "set_lp_value");
}

static unsigned get_pct(jctx *c, json_t *o, const char *where, const char *name) {
    uint64_t v = get_u64(c, o, where, name);
    if (v > 100000) fail(c, "%s.%s: out of range (%llu)", where, name, (unsigned long long)v);
    return (unsigned)v;
}

static void get_filters(jctx *c, report_doc *d, json_t *src, key_filter *f) {
    json_t *fl = get_obj(c, src, "source", "filters", false);
    if (!fl) return;
    const char *w = "source.filters";
    bool has;
    f->db = get_u64_opt(c, fl, w, "db", &has);
    f->has_db = has;
    json_t *types = get_arr(c, fl, w, "types");
    for (size_t i = 0; types && i < json_array_size(types); i++) {
        int k = kind_of(c, json_string_value(json_array_get(types, i)), "source.filters.types");
        if (k >= 0) f->type_mask |= 1u << k;
    }
    const char *texts[3] = {get_str(c, fl, w, "match", true), get_str(c, fl, w, "regex", true),
                            get_str(c, fl, w, "expiry", true)};
    const char **dst[3] = {&f->match, &f->regex, &f->expiry_text};
    for (int i = 0; i < 3; i++) {
        *dst[i] = NULL;
        if (texts[i] && !(*dst[i] = keep_text(d, strdup(texts[i])))) fail(c, "out of memory");
    }
    if (f->expiry_text) {
        f->expiry = !strcmp(f->expiry_text, "none")      ? FILTER_EXPIRY_NONE
                    : !strcmp(f->expiry_text, "any")     ? FILTER_EXPIRY_ANY
                    : !strcmp(f->expiry_text, "expired") ? FILTER_EXPIRY_EXPIRED
                                                          : FILTER_EXPIRY_RANGE;
    }
    f->min_bytes = get_u64(c, fl, w, "min_bytes");
    f->min_elements = get_u64(c, fl, w, "min_elements");
}

/* merge.cluster_options: cluster mode, maxmemory and the shard layout
 * (rebuilt into d->layout, which the options point at) */
static void read_cluster_options(jctx *c, report_doc *d, json_t *m, agg_options *o) {
    json_t *co = get_obj(c, m, "merge", "cluster_options", false);
    const char *w = "merge.cluster_options";
    if (c->failed) return;
    o->cluster.enabled = get_bool(c, co, w, "enabled");
    o->cluster.maxmemory = get_u64(c, co, w, "maxmemory");
    const char *src = get_str(c, co, w, "shards_source", true);
    json_t *lay = get_obj(c, co, w, "layout", true);
    if (c->failed || !lay) return;
    if (!src || !(o->cluster.shards_source = keep_text(d, strdup(src)))) {
        fail(c, "%s: a layout without its shards_source", w);
        return;
    }
    json_t *shards = get_arr(c, lay, "merge.cluster_options.layout", "shards");
    uint64_t nodes = get_u64(c, lay, "merge.cluster_options.layout", "nodes");
    size_t ns = shards ? json_array_size(shards) : 0, nr = 0;
    if (c->failed) return;
    if (ns == 0 || ns > SLOT_COUNT) {
        fail(c, "%s.layout: %zu shards (1 to %d)", w, ns, SLOT_COUNT);
        return;
    }
    for (size_t i = 0; i < ns; i++) nr += json_array_size(json_array_get(json_array_get(shards, i), 1));
    if (nr > SLOT_COUNT) {
        fail(c, "%s.layout: %zu slot ranges", w, nr);
        return;
    }
    slotmap *L = &d->layout;
    slotmap_free(L);
    L->shards = calloc(ns, sizeof *L->shards);
    L->ranges = calloc(nr ? nr : 1, sizeof *L->ranges);
    if (!L->shards || !L->ranges) {
        fail(c, "out of memory");
        return;
    }
    L->nodes = (size_t)(nodes > 100000 ? 100000 : nodes);
    for (size_t i = 0; i < ns && !c->failed; i++) {
        json_t *sh = json_array_get(shards, i), *rs = json_array_get(sh, 1);
        char wi[96];
        snprintf(wi, sizeof wi, "%s.layout.shards[%zu]", w, i);
        size_t nl;
        if (!json_is_array(sh) || json_array_size(sh) != 2 || !json_is_array(rs)) {
            fail(c, "%s: expected [name, [[first, last]]]", wi);
            break;
        }
        uint8_t *name = unprintable(c, d, json_array_get(sh, 0), wi, &nl);
        if (!c->failed && nl >= sizeof L->shards[i].name) fail(c, "%s: name too long", wi);
        if (c->failed) break;
        memcpy(L->shards[i].name, name, nl);
        L->shards[i].first_range = L->nranges;
        for (size_t r = 0; r < json_array_size(rs) && !c->failed; r++) {
            json_t *g = json_array_get(rs, r);
            uint64_t f = at_u64(c, g, 0, wi), l = at_u64(c, g, 1, wi);
            if (!c->failed && (!json_is_array(g) || json_array_size(g) != 2 || f > l || l >= SLOT_COUNT))
                fail(c, "%s: bad slot range", wi);
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
    json_t *src = get_obj(c, root, "report", "source", false);
    get_filters(c, d, src, &o->filter);
    const char *basis = get_str(c, src, "source", "reference_basis", false);
    if (basis && !strcmp(basis, "option")) {
        o->has_now = true;
        o->now_ms = get_i64(c, src, "source", "reference_time_ms");
    }
    if (d->schema < 2) {
        /* schema 1: what its sections say; the rest as rdblens' defaults */
        json_t *p = get_obj(c, root, "report", "prefixes", false);
        size_t n;
        uint8_t *sep = get_bytes(c, d, p, "prefixes", "separators", &n);
        o->separators = (const char *)sep;
        o->prefix_depth = (unsigned)get_u64(c, p, "prefixes", "depth");
        o->prefix_budget = (size_t)get_u64(c, p, "prefixes", "budget");
        if (!c->failed && (o->prefix_depth < 1 || o->prefix_depth > AGG_PREFIX_MAX_DEPTH))
            fail(c, "prefixes.depth: out of range");
        return c->failed ? -1 : 0;
    }
    json_t *m = get_obj(c, root, "report", "merge", false);
    json_t *op = get_obj(c, m, "merge", "options", false);
    const char *w = "merge.options";
    o->top_n = (size_t)get_u64(c, op, w, "top");
    o->findings_per_kind = (size_t)get_u64(c, op, w, "findings_per_kind");
    size_t n;
    o->separators = (const char *)get_bytes(c, d, op, w, "separators", &n);
    if (o->separators && strlen(o->separators) != n) fail(c, "%s.separators: contains a NUL byte", w);
    o->prefix_depth = (unsigned)get_u64(c, op, w, "prefix_depth");
    o->prefix_budget = (size_t)get_u64(c, op, w, "prefix_budget");
    if (!c->failed && (o->top_n < 1 || o->top_n > 100000))
        fail(c, "%s.top: out of range (%zu)", w, o->top_n);
    if (!c->failed && o->findings_per_kind > 100000) fail(c, "%s.findings_per_kind: out of range", w);
    if (!c->failed && (o->prefix_depth < 1 || o->prefix_depth > AGG_PREFIX_MAX_DEPTH))
        fail(c, "%s.prefix_depth: out of range (%u)", w, o->prefix_depth);
    if (!c->failed && (o->prefix_budget < AGG_PREFIX_MIN_BUDGET || o->prefix_budget > 50000000))
        fail(c, "%s.prefix_budget: out of range (%zu)", w, o->prefix_budget);
    json_t *th = get_obj(c, op, w, "thresholds", false);
    const char *wt = "merge.options.thresholds";
    agg_thresholds *t = &o->th;
    t->big_bytes = get_u64(c, th, wt, "big_bytes");
    t->big_elements = get_u64(c, th, wt, "big_elements");
    t->list_element_bytes = get_u64(c, th, wt, "list_element_bytes");
    t->dominant_min_bytes = get_u64(c, th, wt, "dominant_min_bytes");
    t->dominant_pct = get_pct(c, th, wt, "dominant_pct");
    t->no_ttl_pct = get_pct(c, th, wt, "no_ttl_pct");
    t->no_ttl_min_share_pct = get_pct(c, th, wt, "no_ttl_min_share_pct");
    t->no_ttl_warn_share_pct = get_pct(c, th, wt, "no_ttl_warn_share_pct");
    t->expired_warn_pct = get_pct(c, th, wt, "expired_warn_pct");
    t->near_pct = get_pct(c, th, wt, "near_pct");
    json_t *enc = get_obj(c, th, wt, "enc", false);
    get_limits(c, enc, "merge.options.thresholds.enc", &t->enc);
    read_cluster_options(c, d, m, o);
    /* --config as typed (echoed by the text report); kept by the document */
    json_t *cfg = get_arr(c, op, w, "config");
    size_t n_cfg = cfg ? json_array_size(cfg) : 0;
    if (!c->failed && n_cfg) {
        const char **v = calloc(n_cfg, sizeof *v);
        if (!v || !keep_text(d, (char *)v)) {
            fail(c, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < n_cfg && !c->failed; i++) {
            json_t *e = json_array_get(cfg, i);
            if (!json_is_string(e)) fail(c, "%s.config[%zu]: expected a string", w, i);
            else if (!(v[i] = keep_text(d, strdup(json_string_value(e))))) fail(c, "out of memory");
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

const char *report_doc_profile(const report_doc *d) {
    json_t *src = json_object_get(d->root, "source");
    json_t *p = src ? json_object_get(src, "profile") : NULL;
    return json_is_string(p) ? json_string_value(p) : NULL;
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
        fail(&c, "made with other %s than the first report: the merge would not be the report over "
                 "all the dumps; make the reports with the same options", diff);
        return -1;
    }
    if (x.top_n < o->top_n) {
        fail(&c, "keeps %zu keys per table, fewer than the %zu of the merge: its top keys would not "
                 "be exact (use --top %zu or less)", x.top_n, o->top_n, x.top_n);
        return -1;
    }
    return 0;
}

/* ---- sections ------------------------------------------------------------ */

static void read_totals(jctx *c, const report_doc *d, json_t *o, const char *w, agg_totals *t) {
    t->keys = get_u64(c, o, w, "keys");
    t->bytes = get_u64(c, o, w, "bytes");
    t->elements = get_u64(c, o, w, "elements");
    t->string_length = get_u64_v2(c, d, o, w, "string_length");
    t->keys_module = get_u64_v2(c, d, o, w, "keys_module");
    t->keys_module_unmodelled = get_u64_v2(c, d, o, w, "keys_module_unmodelled");
    json_t *bb = d->schema >= 2 || json_object_get(o, "bytes_by_basis") ? get_obj(c, o, w, "bytes_by_basis", false) : NULL;
    if (bb) {
        char wb[96];
        snprintf(wb, sizeof wb, "%s.bytes_by_basis", w);
        t->bytes_measured_model = get_u64(c, bb, wb, "measured-model");
        t->bytes_source_model = get_u64(c, bb, wb, "source-model");
        t->bytes_serialized_size = get_u64(c, bb, wb, "serialized-size");
    }
    t->predicted_used_memory = get_u64_opt(c, o, w, "predicted_used_memory", &t->has_predicted_used_memory);
    t->aux_used_mem = get_u64_opt(c, o, w, "aux_used_mem", &t->has_aux_used_mem);
    t->keys_with_ttl = get_u64(c, o, w, "keys_with_ttl");
    t->bytes_with_ttl = get_u64(c, o, w, "bytes_with_ttl");
    t->keys_expired = get_u64(c, o, w, "keys_expired");
    t->bytes_expired = get_u64(c, o, w, "bytes_expired");
    t->keys_unmodelled = get_u64(c, o, w, "keys_unmodelled");
}

static const char *const CHECKSUMS[] = {"ok", "mismatch", "disabled", "absent"};
static const rdb_checksum_status CHECKSUM_VALUES[] = {RDB_CHECKSUM_OK, RDB_CHECKSUM_MISMATCH,
                                                      RDB_CHECKSUM_DISABLED, RDB_CHECKSUM_ABSENT};

static void read_aof(jctx *c, json_t *f, const char *w, agg_aof *x) {
    json_t *a = get_obj(c, f, w, "aof", true);
    memset(x, 0, sizeof *x);
    if (!a) return;
    char wa[160];
    snprintf(wa, sizeof wa, "%s.aof", w);
    x->present = true;
    x->tail_bytes = get_u64(c, a, wa, "tail_bytes");
    x->tail_commands = get_u64_opt(c, a, wa, "tail_commands", &x->tail_commands_known);
    x->incr_files = get_u64(c, a, wa, "incremental_files");
    x->incr_bytes = get_u64(c, a, wa, "incremental_bytes");
    x->incr_commands = get_u64_opt(c, a, wa, "incremental_commands", &x->incr_commands_known);
}

/* One source.files[i] into f (pointers owned by d, copied by agg_part_file). */
static void read_file(jctx *c, report_doc *d, json_t *fo, json_t *state, size_t i, agg_file *f,
                      agg_aux *aux) {
    char w[64];
    snprintf(w, sizeof w, "source.files[%zu]", i);
    memset(f, 0, sizeof *f);
    size_t n;
    f->path = (char *)get_bytes(c, d, fo, w, "path", &n);
    f->size = get_u64(c, fo, w, "size");
    /* absent in reports written before compressed inputs: a plain file */
    const char *comp = json_object_get(fo, "compression") ? get_str(c, fo, w, "compression", true) : NULL;
    if (comp && (!comp[0] || strlen(comp) >= sizeof f->compression))
        fail(c, "%s.compression: unknown value \"%s\"", w, comp);
    else if (comp) memcpy(f->compression, comp, strlen(comp) + 1);
    json_t *magic = get(c, fo, w, "magic", JSON_STRING, true);
    if (magic) {
        char wm[80];
        snprintf(wm, sizeof wm, "%s.magic", w);
        uint8_t *m = unprintable(c, d, magic, wm, &n);
        if (m && n >= sizeof f->magic) fail(c, "%s: longer than 9 bytes", wm);
        else if (m) memcpy(f->magic, m, n);
        f->have_header = true;
    }
    bool has;
    f->rdb_version = (unsigned)get_u64_opt(c, fo, w, "rdb_version", &has);
    json_t *ax = get_obj(c, fo, w, "aux", false);
    if (ax && json_object_size(ax) > AGG_MAX_AUX) fail(c, "%s.aux: more than %d fields", w, AGG_MAX_AUX);
    const char *k;
    json_t *v;
    if (ax && !c->failed) {
        json_object_foreach(ax, k, v) {
            char wk[80];
            snprintf(wk, sizeof wk, "%s.aux", w);
            json_t *ks = json_string(k);
            if (!ks) {
                fail(c, "out of memory");
                break;
            }
            agg_aux *x = &aux[f->naux];
            x->key = unprintable(c, d, ks, wk, &x->key_len);
            json_decref(ks);
            x->val = unprintable(c, d, v, wk, &x->val_len);
            if (c->failed) break;
            if (x->val_len > AGG_MAX_AUX_VALUE) x->val_len = AGG_MAX_AUX_VALUE;
            f->naux++;
        }
        f->aux = aux;
    }
    f->functions = get_u64(c, fo, w, "functions");
    if (d->schema >= 2 || json_object_get(fo, "profile")) {
        const char *prof = get_str(c, fo, w, "profile", true);
        if (prof && strlen(prof) >= sizeof f->profile) fail(c, "%s.profile: too long", w);
        else if (prof) strcpy(f->profile, prof);
        f->profile_basis = get_str(c, fo, w, "profile_basis", true);
    }
    json_t *mem = (d->schema >= 2 || json_object_get(fo, "memory")) ? get_obj(c, fo, w, "memory", true) : NULL;
    if (mem) {
        char wm[80];
        snprintf(wm, sizeof wm, "%s.memory", w);
        agg_memory *m = &f->memory;
        m->present = true;
        m->used_memory = get_u64(c, mem, wm, "used_memory");
        m->startup = get_u64(c, mem, wm, "startup");
        m->keys = get_u64(c, mem, wm, "keys");
        m->tables = get_u64(c, mem, wm, "tables");
        m->functions = get_u64(c, mem, wm, "functions");
        m->modules = get_u64(c, mem, wm, "modules");
        m->templates = get_u64(c, mem, wm, "templates");
        m->memory_usage = get_u64(c, mem, wm, "memory_usage");
        m->keys_loaded = get_u64(c, mem, wm, "keys_loaded");
        m->keys_not_loaded = get_u64(c, mem, wm, "keys_not_loaded");
        m->bytes_not_loaded = get_u64(c, mem, wm, "bytes_not_loaded");
    }
    json_t *hints = (d->schema >= 2 || json_object_get(fo, "config_hints")) ? get_arr(c, fo, w, "config_hints") : NULL;
    if (hints && json_array_size(hints) > AGG_MAX_HINTS) fail(c, "%s.config_hints: more than %d", w, AGG_MAX_HINTS);
    for (size_t hi = 0; !c->failed && hints && hi < json_array_size(hints); hi++) {
        json_t *h = json_array_get(hints, hi);
        char wh[128];
        snprintf(wh, sizeof wh, "%s.config_hints[%zu]", w, hi);
        agg_hint *x = &f->hints[f->nhints];
        x->directive = get_str(c, h, wh, "directive", true);
        x->value = get_u64(c, h, wh, "value");
        x->keys = get_u64(c, h, wh, "keys");
        x->saving = get_u64(c, h, wh, "saving_bytes");
        x->sign = get_str(c, h, wh, "sign", true);
        if (!c->failed) f->nhints++;
    }
    const char *cs = get_str(c, fo, w, "checksum", true);
    if (cs) {
        f->have_checksum = true;
        size_t j = 0;
        while (j < 4 && strcmp(cs, CHECKSUMS[j])) j++;
        if (j == 4) fail(c, "%s.checksum: unknown value \"%s\"", w, cs);
        else f->checksum = CHECKSUM_VALUES[j];
    }
    const char *st = get_str(c, fo, w, "status", true);
    if (st) {
        f->have_result = true;
        if (!strcmp(st, "complete")) f->complete = true;
        else if (!strcmp(st, "unreadable")) f->unreadable = true;
        else if (strcmp(st, "truncated")) fail(c, "%s.status: unknown value \"%s\"", w, st);
    }
    f->rdb_bytes = get_u64(c, fo, w, "rdb_bytes");
    read_aof(c, fo, w, &f->aof);
    json_t *e = get_obj(c, fo, w, "error", true);
    if (e) {
        char we[80];
        snprintf(we, sizeof we, "%s.error", w);
        f->error_offset = get_u64(c, e, we, "offset");
        f->error_code = get_str(c, e, we, "code", true);
        uint8_t *msg = get_bytes(c, d, e, we, "message", &n);
        if (msg) snprintf(f->error_message, sizeof f->error_message, "%s", (const char *)msg);
    }
    f->reference_ms = get_i64(c, fo, w, "reference_time_ms");
    f->reference_basis = get_str(c, fo, w, "reference_basis", false);
    json_t *t = get_obj(c, fo, w, "totals", false);
    char wt[80];
    snprintf(wt, sizeof wt, "%s.totals", w);
    read_totals(c, d, t, wt, &f->totals);
    f->mtime_ms = -1;
    if (state) {
        char ws[64];
        snprintf(ws, sizeof ws, "merge.files[%zu]", i);
        json_t *l = get_obj(c, state, ws, "enc_limits", true);
        if (l) {
            char wl[80];
            snprintf(wl, sizeof wl, "%s.enc_limits", ws);
            get_limits(c, l, wl, &f->enc_limits);
            f->has_enc_limits = true;
        }
    }
}

static void read_files(jctx *c, report_doc *d, agg *a, json_t *merge) {
    json_t *src = get_obj(c, d->root, "report", "source", false);
    json_t *files = get_arr(c, src, "source", "files");
    json_t *states = merge ? get_arr(c, merge, "merge", "files") : NULL;
    if (c->failed) return;
    if (states && json_array_size(states) != json_array_size(files))
        fail(c, "merge.files: %zu entries for %zu source files", json_array_size(states), json_array_size(files));
    agg_aux *aux = calloc(AGG_MAX_AUX, sizeof *aux);
    if (!aux) fail(c, "out of memory");
    for (size_t i = 0; !c->failed && i < json_array_size(files); i++) {
        agg_file f;
        read_file(c, d, json_array_get(files, i), states ? json_array_get(states, i) : NULL, i, &f, aux);
        if (!c->failed && agg_part_file(a, &f) < 0) fail(c, "out of memory");
    }
    free(aux);
}

static void read_dbs(jctx *c, report_doc *d, agg *a) {
    json_t *rows = get_arr(c, d->root, "report", "by_db");
    for (size_t i = 0; !c->failed && i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        char w[64];
        snprintf(w, sizeof w, "by_db[%zu]", i);
        agg_db_row row;
        memset(&row, 0, sizeof row);
        row.db = get_u64(c, r, w, "db");
        row.keys = get_u64(c, r, w, "keys");
        row.bytes = get_u64(c, r, w, "bytes");
        row.elements = get_u64(c, r, w, "elements");
        json_t *types = d->schema >= 2 ? get_arr(c, r, w, "types") : NULL;
        for (size_t j = 0; !c->failed && types && j < json_array_size(types); j++) {
            json_t *t = json_array_get(types, j);
            char wt[96];
            snprintf(wt, sizeof wt, "%s.types[%zu]", w, j);
            int k = kind_of(c, get_str(c, t, wt, "type", false), wt);
            if (k < 0) break;
            row.type_keys[k] = get_u64(c, t, wt, "keys");
            row.type_bytes[k] = get_u64(c, t, wt, "bytes");
            row.type_keys_no_ttl[k] = get_u64(c, t, wt, "keys_no_ttl");
        }
        if (!c->failed && agg_part_db(a, &row) < 0) fail(c, "out of memory");
    }
}

static void read_hist(jctx *c, json_t *h, const char *w, agg_hist *out) {
    memset(out, 0, sizeof *out);
    out->count = get_u64(c, h, w, "count");
    out->min = get_u64(c, h, w, "min");
    out->max = get_u64(c, h, w, "max");
    json_t *b = get_arr(c, h, w, "buckets");
    uint64_t sum = 0;
    char wb[96];
    snprintf(wb, sizeof wb, "%s.buckets", w);
    for (size_t i = 0; !c->failed && i < json_array_size(b); i++) {
        json_t *pair = json_array_get(b, i);
        if (!json_is_array(pair) || json_array_size(pair) != 2) {
            fail(c, "%s[%zu]: expected [index, count]", wb, i);
            break;
        }
        uint64_t idx = at_u64(c, pair, 0, wb), n = at_u64(c, pair, 1, wb);
        if (!c->failed && idx >= AGG_HIST_BUCKETS) fail(c, "%s[%zu]: bucket %llu out of range", wb, i, (unsigned long long)idx);
        if (c->failed) break;
        out->bucket[idx] += n;
        sum += n;
    }
    if (!c->failed && sum != out->count)
        fail(c, "%s: buckets hold %llu values, count says %llu", w, (unsigned long long)sum,
             (unsigned long long)out->count);
}

static void read_types(jctx *c, report_doc *d, agg *a, json_t *merge) {
    json_t *rows = get_arr(c, d->root, "report", "by_type");
    json_t *hists = merge ? get_arr(c, merge, "merge", "histograms") : NULL;
    agg_hist *hb = NULL, *he = NULL;
    if (hists && !(hb = malloc(sizeof *hb)) + !(he = malloc(sizeof *he))) fail(c, "out of memory");
    for (size_t i = 0; !c->failed && i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        char w[64];
        snprintf(w, sizeof w, "by_type[%zu]", i);
        agg_type_row row;
        memset(&row, 0, sizeof row);
        int k = kind_of(c, get_str(c, r, w, "type", false), w);
        if (k < 0) break;
        row.type = (rdb_kind)k;
        row.keys = get_u64(c, r, w, "keys");
        row.bytes = get_u64(c, r, w, "bytes");
        row.elements = get_u64(c, r, w, "elements");
        if (row.type == RDB_KIND_STRING) row.length = get_u64_v2(c, d, r, w, "length");
        bool found = false;
        for (size_t j = 0; hists && !c->failed && j < json_array_size(hists); j++) {
            json_t *h = json_array_get(hists, j);
            char wh[64];
            snprintf(wh, sizeof wh, "merge.histograms[%zu]", j);
            const char *tn = get_str(c, h, wh, "type", false);
            if (!tn || strcmp(tn, rdb_kind_name(row.type))) continue;
            char wb[80], we[80];
            snprintf(wb, sizeof wb, "%s.bytes", wh);
            snprintf(we, sizeof we, "%s.elements", wh);
            read_hist(c, get_obj(c, h, wh, "bytes", false), wb, hb);
            read_hist(c, get_obj(c, h, wh, "elements", false), we, he);
            if (!c->failed && (hb->count != row.keys || he->count != row.keys))
                fail(c, "%s: histograms of %llu keys for a type of %llu", wh,
                     (unsigned long long)hb->count, (unsigned long long)row.keys);
            found = true;
        }
        if (hists && !found && !c->failed) fail(c, "merge.histograms: no histograms for type %s", rdb_kind_name(row.type));
        if (!c->failed) agg_part_type(a, &row, found ? hb : NULL, found ? he : NULL);
    }
    free(hb);
    free(he);
}

static void read_encodings(jctx *c, report_doc *d, agg *a) {
    json_t *rows = get_arr(c, d->root, "report", "by_encoding");
    for (size_t i = 0; !c->failed && i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        char w[64];
        snprintf(w, sizeof w, "by_encoding[%zu]", i);
        agg_enc_row row;
        memset(&row, 0, sizeof row);
        int k = kind_of(c, get_str(c, r, w, "type", false), w);
        if (k < 0) break;
        row.type = (rdb_kind)k;
        row.encoding = get_str(c, r, w, "encoding", true);
        row.keys = get_u64(c, r, w, "keys");
        row.bytes = get_u64(c, r, w, "bytes");
        row.elements = get_u64(c, r, w, "elements");
        if (row.type == RDB_KIND_STRING) row.length = get_u64_v2(c, d, r, w, "length");
        if (!c->failed && agg_part_encoding(a, &row) < 0) fail(c, "out of memory");
    }
}

static void read_ttl(jctx *c, report_doc *d, agg *a) {
    json_t *t = get_obj(c, d->root, "report", "ttl", false);
    json_t *b = get_arr(c, t, "ttl", "buckets");
    for (size_t i = 0; !c->failed && i < json_array_size(b); i++) {
        json_t *r = json_array_get(b, i);
        char w[64];
        snprintf(w, sizeof w, "ttl.buckets[%zu]", i);
        const char *name = get_str(c, r, w, "name", false);
        unsigned k = 0;
        while (name && k < AGG_TTL_COUNT_ && strcmp(agg_ttl_bucket_name(k), name)) k++;
        if (!c->failed && k == AGG_TTL_COUNT_) fail(c, "%s.name: unknown bucket \"%s\"", w, name);
        uint64_t keys = get_u64(c, r, w, "keys"), bytes = get_u64(c, r, w, "bytes");
        if (!c->failed) agg_part_ttl(a, k, keys, bytes);
    }
}

/* ---- key records ---------------------------------------------------------- */

/* A KEY object (schema 1 top_keys) or a REC (schema 2 merge.records) into r;
 * module (10 bytes) receives a module name. */
static void read_record(jctx *c, report_doc *d, agg *a, json_t *o, const char *w, bool rec,
                        key_record *r, char *module) {
    memset(r, 0, sizeof *r);
    r->db = get_u64(c, o, w, "db");
    r->key = get_bytes(c, d, o, w, "key", &r->key_len);
    if (rec) {
        uint64_t full = get_u64(c, o, w, "key_length");
        if (!c->failed && full < r->key_len) fail(c, "%s.key_length: shorter than the key", w);
        if (full > r->key_len) r->key_full_len = full;
    } else if (json_object_get(o, "key_length")) {
        r->key_full_len = get_u64(c, o, w, "key_length");
    }
    int k = kind_of(c, get_str(c, o, w, "type", false), w);
    r->type = k < 0 ? RDB_KIND_STRING : (rdb_kind)k;
    uint64_t rt = get_u64(c, o, w, "rdb_type");
    if (!c->failed && rt > 255) fail(c, "%s.rdb_type: out of range", w);
    r->rdb_type = (uint8_t)rt;
    const char *enc = rec ? get_str(c, o, w, "encoding", true)
                          : (json_object_get(o, "encoding") ? get_str(c, o, w, "encoding", false) : NULL);
    if (enc && !(r->encoding = agg_intern(a, enc))) fail(c, "out of memory");
    bool has;
    if (rec || json_object_get(o, "bytes")) {
        r->bytes = get_u64_opt(c, o, w, "bytes", &has);
        r->has_bytes = has;
    }
    r->elements = get_u64(c, o, w, "elements");
    r->largest = get_u64(c, o, w, "largest");
    r->largest_exact = true;
    json_t *ex = get(c, o, w, "expires_at_ms", JSON_INTEGER, true);
    if (ex) {
        r->has_expire = true;
        r->expire_ms = (int64_t)json_integer_value(ex);
    }
    if (rec) {
        r->ram = get_u64(c, o, w, "ram");
        const char *ce = get_str(c, o, w, "compact_encoding", true);
        if (ce && !(r->compact_encoding = agg_intern(a, ce))) fail(c, "out of memory");
        r->compact_bytes = get_u64(c, o, w, "compact_bytes");
        r->largest_exact = get_bool(c, o, w, "largest_exact");
        r->int_members = get_bool(c, o, w, "int_members");
        r->offset = get_u64(c, o, w, "offset");
        uint64_t ev = get_u64(c, o, w, "module_encver"), basis = get_u64(c, o, w, "bytes_basis");
        if (!c->failed && (ev > UINT32_MAX || basis >= KEY_BASIS_COUNT_))
            fail(c, "%s: module_encver or bytes_basis out of range", w);
        r->module_encver = (unsigned)ev;
        r->bytes_basis = (key_bytes_basis)basis;
        r->serialized_bytes = get_u64(c, o, w, "serialized_bytes");
        bool hs;
        uint64_t sl = get_u64_opt(c, o, w, "slot", &hs);
        if (!c->failed && hs && sl >= SLOT_COUNT) fail(c, "%s.slot: out of range", w);
        r->has_slot = hs;
        r->slot = (uint16_t)sl;
    }
    if (rec || json_object_get(o, "idle_s")) r->idle_s = get_u64_opt(c, o, w, "idle_s", &r->has_idle);
    if (rec || json_object_get(o, "freq")) {
        uint64_t fq = get_u64_opt(c, o, w, "freq", &r->has_freq);
        if (!c->failed && fq > 255) fail(c, "%s.freq: out of range", w);
        r->freq = (uint8_t)fq;
    }
    const char *mod = (rec || json_object_get(o, "module")) ? get_str(c, o, w, "module", true) : NULL;
    if (mod) {
        if (strlen(mod) >= 10) fail(c, "%s.module: longer than 9 bytes", w);
        else {
            strcpy(module, mod);
            r->module_name = module;
        }
    }
}

typedef struct loaded_rec {
    key_record r;
    uint64_t seq;
    uint32_t file;
    char module[10];
} loaded_rec;

static void read_list(jctx *c, agg *a, json_t *m, const char *w, const loaded_rec *recs, size_t nrecs,
                      agg_list_id id) {
    if (c->failed) return;
    if (!json_is_array(m)) {
        fail(c, "%s: expected an array of [record, score]", w);
        return;
    }
    for (size_t i = 0; !c->failed && i < json_array_size(m); i++) {
        json_t *pair = json_array_get(m, i);
        if (!json_is_array(pair) || json_array_size(pair) != 2) {
            fail(c, "%s[%zu]: expected [record, score]", w, i);
            return;
        }
        uint64_t ri = at_u64(c, pair, 0, w), score = at_u64(c, pair, 1, w);
        if (!c->failed && ri >= nrecs) fail(c, "%s[%zu]: record %llu does not exist", w, i, (unsigned long long)ri);
        if (c->failed) return;
        int rc = agg_part_key(a, id, score, recs[ri].seq, recs[ri].file, &recs[ri].r);
        if (rc == -1) fail(c, "out of memory");
        else if (rc == -2) fail(c, "%s[%zu]: names a file the report does not have", w, i);
    }
}

static void read_near_groups(jctx *c, report_doc *d, agg *a, json_t *merge, const loaded_rec *recs,
                             size_t nrecs);

static void read_lists_v2(jctx *c, report_doc *d, agg *a, json_t *merge, size_t nfiles) {
    json_t *arr = get_arr(c, merge, "merge", "records");
    if (c->failed) return;
    size_t n = json_array_size(arr);
    loaded_rec *recs = calloc(n ? n : 1, sizeof *recs);
    if (!recs) {
        fail(c, "out of memory");
        return;
    }
    for (size_t i = 0; !c->failed && i < n; i++) {
        char w[64];
        snprintf(w, sizeof w, "merge.records[%zu]", i);
        json_t *o = json_array_get(arr, i);
        read_record(c, d, a, o, w, true, &recs[i].r, recs[i].module);
        if (recs[i].r.module_name) recs[i].r.module_name = recs[i].module;
        recs[i].seq = get_u64(c, o, w, "seq");
        uint64_t f = get_u64(c, o, w, "file");
        if (!c->failed && f >= nfiles) fail(c, "%s.file: %llu, the report has %zu files", w, (unsigned long long)f, nfiles);
        recs[i].file = (uint32_t)f;
    }
    json_t *lists = get_obj(c, merge, "merge", "lists", false);
    const char *w = "merge.lists";
    read_list(c, a, get_arr(c, lists, w, "by_bytes"), "merge.lists.by_bytes", recs, n, (agg_list_id){AGG_LIST_BYTES, 0});
    read_list(c, a, get_arr(c, lists, w, "by_elements"), "merge.lists.by_elements", recs, n,
              (agg_list_id){AGG_LIST_ELEMENTS, 0});
    json_t *bt = get_obj(c, lists, w, "by_type", false);
    const char *tn;
    json_t *tv;
    if (bt && !c->failed) {
        json_object_foreach(bt, tn, tv) {
            int k = kind_of(c, tn, "merge.lists.by_type");
            if (k < 0) break;
            char wt[96];
            snprintf(wt, sizeof wt, "merge.lists.by_type.%s", tn);
            read_list(c, a, get_arr(c, tv, wt, "by_bytes"), wt, recs, n, (agg_list_id){AGG_LIST_TYPE_BYTES, (unsigned)k});
            read_list(c, a, get_arr(c, tv, wt, "by_elements"), wt, recs, n,
                      (agg_list_id){AGG_LIST_TYPE_ELEMENTS, (unsigned)k});
        }
    }
    json_t *fd = get_obj(c, lists, w, "findings", false);
    for (unsigned k = 0; !c->failed && k < AGG_FK_COUNT_; k++) {
        const char *name = agg_find_kind_name(k);
        char wf[96];
        snprintf(wf, sizeof wf, "merge.lists.findings.%s", name);
        json_t *fk = get_obj(c, fd, "merge.lists.findings", name, false);
        uint64_t keys = get_u64(c, fk, wf, "keys"), bytes = get_u64(c, fk, wf, "bytes");
        if (c->failed) break;
        agg_part_finding(a, k, keys, bytes);
        read_list(c, a, get_arr(c, fk, wf, "worst"), wf, recs, n, (agg_list_id){AGG_LIST_FINDING, k});
    }
    read_near_groups(c, d, a, merge, recs, n);
    free(recs);
}

/* merge.near_groups: the near_encoding_limit groups and their worst keys */
static void read_near_groups(jctx *c, report_doc *d, agg *a, json_t *merge, const loaded_rec *recs, size_t nrecs) {
    json_t *arr = get_arr(c, merge, "merge", "near_groups");
    for (size_t i = 0; !c->failed && i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        char w[64];
        snprintf(w, sizeof w, "merge.near_groups[%zu]", i);
        agg_near_group g;
        memset(&g, 0, sizeof g);
        uint64_t file = get_u64(c, o, w, "file");
        int k = kind_of(c, get_str(c, o, w, "type", false), w);
        g.type = k < 0 ? RDB_KIND_STRING : (rdb_kind)k;
        g.nl.config = get_str(c, o, w, "config", false);
        g.nl.limit = get_u64(c, o, w, "limit");
        g.nl.target = get_str(c, o, w, "target", false);
        uint64_t pe = get_u64(c, o, w, "per_element");
        g.nl.per_element = (unsigned)(pe > UINT32_MAX ? UINT32_MAX : pe);
        g.other = get_bool(c, o, w, "other");
        size_t sl = 0;
        uint8_t *seg = get_bytes(c, d, o, w, "segment", &sl);
        if (!c->failed && sl > sizeof g.segment) fail(c, "%s.segment: longer than %zu bytes", w, sizeof g.segment);
        if (seg && !c->failed) memcpy(g.segment, seg, sl);
        g.segment_len = sl;
        g.segment_cut = get_bool(c, o, w, "segment_cut");
        g.keys = get_u64(c, o, w, "keys");
        g.bytes = get_u64(c, o, w, "bytes");
        g.saving = get_u64(c, o, w, "saving");
        g.min_elements = get_u64(c, o, w, "min_elements");
        g.max_elements = get_u64(c, o, w, "max_elements");
        g.model = get_bool(c, o, w, "model");
        json_t *worst = get_arr(c, o, w, "worst");
        if (c->failed) return;
        g.file = (uint32_t)(file > UINT32_MAX ? UINT32_MAX : file);
        long gi = agg_part_near_group(a, &g);
        if (gi == -1) fail(c, "out of memory");
        else if (gi < 0) fail(c, "%s.file: the report has no file %llu", w, (unsigned long long)file);
        for (size_t j = 0; !c->failed && j < json_array_size(worst); j++) {
            json_t *pair = json_array_get(worst, j);
            if (!json_is_array(pair) || json_array_size(pair) != 2) {
                fail(c, "%s.worst[%zu]: expected [record, score]", w, j);
                break;
            }
            uint64_t ri = at_u64(c, pair, 0, w), score = at_u64(c, pair, 1, w);
            if (!c->failed && ri >= nrecs) fail(c, "%s.worst[%zu]: record %llu does not exist", w, j, (unsigned long long)ri);
            if (c->failed) break;
            int rc = agg_part_near_key(a, gi, score, recs[ri].seq, recs[ri].file, &recs[ri].r);
            if (rc == -1) fail(c, "out of memory");
            else if (rc == -2) fail(c, "%s.worst[%zu]: names a file the report does not have", w, j);
        }
    }
    json_t *acc = get_obj(c, merge, "merge", "access", false);
    if (acc && !c->failed) {
        agg_access x;
        memset(&x, 0, sizeof x);
        x.keys_idle = get_u64(c, acc, "merge.access", "keys_idle");
        x.keys_freq = get_u64(c, acc, "merge.access", "keys_freq");
        const char *names[2] = {"idle", "freq"};
        unsigned counts[2] = {AGG_IDLE_COUNT_, AGG_FREQ_COUNT_};
        agg_ttl_row *rows[2] = {x.idle, x.freq};
        for (int r = 0; r < 2 && !c->failed; r++) {
            json_t *arr2 = get_arr(c, acc, "merge.access", names[r]);
            char wr[64];
            snprintf(wr, sizeof wr, "merge.access.%s", names[r]);
            if (!c->failed && json_array_size(arr2) != counts[r]) fail(c, "%s: expected %u rows", wr, counts[r]);
            for (unsigned b = 0; !c->failed && b < counts[r]; b++) {
                json_t *pair = json_array_get(arr2, b);
                if (!json_is_array(pair) || json_array_size(pair) != 2) fail(c, "%s[%u]: expected [keys, bytes]", wr, b);
                else {
                    rows[r][b].keys = at_u64(c, pair, 0, wr);
                    rows[r][b].bytes = at_u64(c, pair, 1, wr);
                }
            }
        }
        if (!c->failed) agg_part_access(a, &x);
        read_list(c, a, get_arr(c, acc, "merge.access", "cold"), "merge.access.cold", recs, nrecs,
                  (agg_list_id){AGG_LIST_COLD, 0});
    }
    json_t *mods = get_arr(c, merge, "merge", "modules");
    for (size_t i = 0; !c->failed && i < json_array_size(mods); i++) {
        json_t *o = json_array_get(mods, i);
        char w[64];
        snprintf(w, sizeof w, "merge.modules[%zu]", i);
        json_t *kb = json_array_get(o, 6);
        if (!json_is_array(o) || json_array_size(o) != 7 || !json_is_string(json_array_get(o, 0)) ||
            !json_is_array(kb) || json_array_size(kb) != KEY_BASIS_COUNT_) {
            fail(c, "%s: expected [module, encver, keys, bytes, serialized_bytes, elements, [keys by basis]]", w);
            break;
        }
        agg_module_row m;
        memset(&m, 0, sizeof m);
        const char *name = json_string_value(json_array_get(o, 0));
        if (strlen(name) >= sizeof m.module) {
            fail(c, "%s: module name longer than 9 bytes", w);
            break;
        }
        strcpy(m.module, name);
        uint64_t ev = at_u64(c, o, 1, w);
        m.encver = (unsigned)(ev > UINT32_MAX ? UINT32_MAX : ev);
        m.keys = at_u64(c, o, 2, w);
        m.bytes = at_u64(c, o, 3, w);
        m.serialized_bytes = at_u64(c, o, 4, w);
        m.elements = at_u64(c, o, 5, w);
        for (unsigned b = 0; b < KEY_BASIS_COUNT_; b++) m.keys_by_basis[b] = at_u64(c, kb, b, w);
        if (!c->failed && agg_part_module(a, &m) < 0) fail(c, "out of memory");
    }
}

/* Schema 1: the KEY lists of top_keys, in their order (what diff needs). */
static void read_lists_v1(jctx *c, report_doc *d, agg *a) {
    json_t *tk = get_obj(c, d->root, "report", "top_keys", false);
    json_t *l = get_arr(c, tk, "top_keys", "by_bytes");
    for (size_t i = 0; !c->failed && i < json_array_size(l); i++) {
        char w[64], module[10] = {0};
        snprintf(w, sizeof w, "top_keys.by_bytes[%zu]", i);
        key_record r;
        read_record(c, d, a, json_array_get(l, i), w, false, &r, module);
        if (c->failed) break;
        if (agg_part_key(a, (agg_list_id){AGG_LIST_BYTES, 0}, r.has_bytes ? r.bytes : 0, i, 0, &r) == -1)
            fail(c, "out of memory");
    }
}

static void read_prefixes(jctx *c, report_doc *d, agg *a, json_t *merge) {
    json_t *p = get_obj(c, d->root, "report", "prefixes", false);
    bool hit = get_bool(c, p, "prefixes", "budget_hit");
    uint64_t evicted = get_u64(c, p, "prefixes", "evicted_nodes");
    if (c->failed) return;
    agg_part_prefix_state(a, hit, evicted);
    if (!merge) {
        /* schema 1: the reported nodes only */
        json_t *nodes = get_arr(c, p, "prefixes", "nodes");
        for (size_t i = 0; !c->failed && i < json_array_size(nodes); i++) {
            json_t *o = json_array_get(nodes, i);
            char w[64];
            snprintf(w, sizeof w, "prefixes.nodes[%zu]", i);
            agg_prefix_row r;
            memset(&r, 0, sizeof r);
            r.name = get_bytes(c, d, o, w, "prefix", &r.name_len);
            r.depth = (unsigned)get_u64(c, o, w, "depth");
            r.other = get_bool(c, o, w, "other");
            r.keys = get_u64(c, o, w, "keys");
            r.bytes = get_u64(c, o, w, "bytes");
            r.elements = get_u64(c, o, w, "elements");
            r.keys_no_ttl = get_u64(c, o, w, "keys_no_ttl");
            r.bytes_no_ttl = get_u64(c, o, w, "bytes_no_ttl");
            if (!c->failed && agg_part_prefix(a, &r) != 0) fail(c, "%s: not a node of this table (depth or name)", w);
        }
        return;
    }
    json_t *nodes = get_arr(c, merge, "merge", "prefix_nodes");
    for (size_t i = 0; !c->failed && i < json_array_size(nodes); i++) {
        json_t *o = json_array_get(nodes, i);
        char w[64];
        snprintf(w, sizeof w, "merge.prefix_nodes[%zu]", i);
        if (!json_is_array(o) || json_array_size(o) != 9) {
            fail(c, "%s: expected [prefix, depth, other, keys, bytes, elements, keys_no_ttl, bytes_no_ttl, {type: bytes}]", w);
            break;
        }
        agg_prefix_row r;
        memset(&r, 0, sizeof r);
        r.name = unprintable(c, d, json_array_get(o, 0), w, &r.name_len);
        uint64_t v[7];
        for (size_t j = 1; j < 8; j++) v[j - 1] = at_u64(c, o, j, w);
        r.depth = (unsigned)(v[0] > AGG_PREFIX_MAX_DEPTH ? 0 : v[0]);
        r.other = v[1] != 0;
        r.keys = v[2];
        r.bytes = v[3];
        r.elements = v[4];
        r.keys_no_ttl = v[5];
        r.bytes_no_ttl = v[6];
        json_t *tb = json_array_get(o, 8);
        const char *tn;
        json_t *tv;
        if (!json_is_object(tb)) fail(c, "%s[8]: expected an object of type bytes", w);
        else {
            json_object_foreach(tb, tn, tv) {
                int k = kind_of(c, tn, w);
                if (k < 0) break;
                char wt[96];
                snprintf(wt, sizeof wt, "%s[8].%s", w, tn);
                u64_of(c, tv, wt, &r.type_bytes[k]);
            }
        }
        if (!c->failed && agg_part_prefix(a, &r) != 0)
            fail(c, "%s: not a node of this table (depth %u, name of %zu bytes)", w, r.depth, r.name_len);
    }
}

/* merge.cluster: the cluster view's slot sums and hash-tag sketch */
static void read_cluster(jctx *c, report_doc *d, agg *a, json_t *merge) {
    json_t *cl = get(c, merge, "merge", "cluster", JSON_OBJECT, true);
    if (!cl || c->failed) return;
    const char *w = "merge.cluster";
    agg_cluster_summary x;
    memset(&x, 0, sizeof x);
    x.reason = get_str(c, cl, w, "reason", true);
    x.functions_ram = get_u64(c, cl, w, "functions_ram");
    x.other_db_keys = get_u64(c, cl, w, "other_db_keys");
    json_t *slots = get_arr(c, cl, w, "slots");
    json_t *tags = get_obj(c, cl, w, "tags", false);
    json_t *rows = get_arr(c, tags, "merge.cluster.tags", "rows");
    if (c->failed) return;
    size_t ns = json_array_size(slots), nt = json_array_size(rows);
    if (ns > SLOT_COUNT || nt > AGG_TAGS_TRACKED) {
        fail(c, "%s: %zu slots, %zu tags (at most %d and %d)", w, ns, nt, SLOT_COUNT, AGG_TAGS_TRACKED);
        return;
    }
    agg_slot_row *sv = calloc(ns ? ns : 1, sizeof *sv);
    agg_tag_row *tv = calloc(nt ? nt : 1, sizeof *tv);
    const agg_tag_row **tp = calloc(nt ? nt : 1, sizeof *tp);
    if (!sv || !tv || !tp) fail(c, "out of memory");
    for (size_t i = 0; !c->failed && i < ns; i++) {
        json_t *r = json_array_get(slots, i);
        if (!json_is_array(r) || json_array_size(r) != 5) {
            fail(c, "%s.slots[%zu]: expected [slot, keys, expires, ram, bytes]", w, i);
            break;
        }
        uint64_t sl = at_u64(c, r, 0, "merge.cluster.slots");
        if (!c->failed && sl >= SLOT_COUNT) fail(c, "%s.slots[%zu]: slot %llu", w, i, (unsigned long long)sl);
        sv[i] = (agg_slot_row){(unsigned)sl, at_u64(c, r, 1, w), at_u64(c, r, 4, w), at_u64(c, r, 2, w),
                               at_u64(c, r, 3, w)};
    }
    for (size_t i = 0; !c->failed && i < nt; i++) {
        json_t *r = json_array_get(rows, i);
        char wr[64];
        snprintf(wr, sizeof wr, "%s.tags.rows[%zu]", w, i);
        if (!json_is_array(r) || json_array_size(r) != 6) {
            fail(c, "%s: expected [tag, length, slot, keys, bytes, error]", wr);
            break;
        }
        tv[i].tag = unprintable(c, d, json_array_get(r, 0), wr, &tv[i].tag_len);
        tv[i].tag_full_len = at_u64(c, r, 1, wr);
        uint64_t sl = at_u64(c, r, 2, wr);
        tv[i].keys = at_u64(c, r, 3, wr);
        tv[i].bytes = at_u64(c, r, 4, wr);
        tv[i].error = at_u64(c, r, 5, wr);
        if (!c->failed && (sl >= SLOT_COUNT || tv[i].tag_len > AGG_TAG_KEEP || tv[i].tag_full_len < tv[i].tag_len))
            fail(c, "%s: slot or length out of range", wr);
        tv[i].slot = (unsigned)sl;
        tp[i] = &tv[i];
    }
    if (!c->failed) {
        x.slots = sv;
        x.nslots = ns;
        x.tags = tp;
        x.ntags = nt;
        x.tagged_keys = get_u64(c, tags, "merge.cluster.tags", "tagged_keys");
        x.tagged_bytes = get_u64(c, tags, "merge.cluster.tags", "tagged_bytes");
        x.tags_seen = get_u64(c, tags, "merge.cluster.tags", "seen");
        x.tags_exact = get_bool(c, tags, "merge.cluster.tags", "exact");
    }
    if (!c->failed) {
        int rc = agg_part_cluster(a, &x);
        if (rc == -1) fail(c, "out of memory");
        else if (rc) fail(c, "%s: a slot out of range", w);
    }
    free(sv);
    free(tv);
    free(tp);
}

int report_doc_absorb(const report_doc *dc, agg *a, char *err, size_t cap) {
    report_doc *d = (report_doc *)dc;
    jctx c = {d->path, err, cap, false};
    json_t *merge = NULL;
    if (d->schema >= 2) merge = get_obj(&c, d->root, "report", "merge", false);
    if (c.failed) return -1;
    json_t *partial = get(&c, d->root, "report", "partial", JSON_TRUE, false);
    uint64_t seen = merge ? get_u64(&c, merge, "merge", "keys_seen") : 0;
    uint64_t filtered = 0;
    json_t *src = get_obj(&c, d->root, "report", "source", false);
    json_t *fl = get_obj(&c, src, "source", "filters", false);
    filtered = get_u64(&c, fl, "source.filters", "keys_filtered_out");
    if (c.failed) return -1;

    agg_part_begin(a);
    size_t nfiles_before = 0;
    read_files(&c, d, a, merge);
    json_t *files = json_object_get(src, "files");
    nfiles_before = json_array_size(files);
    agg_totals t;
    memset(&t, 0, sizeof t);
    read_totals(&c, d, get_obj(&c, d->root, "report", "totals", false), "totals", &t);
    if (!c.failed) agg_part_totals(a, &t);
    if (!merge && !c.failed) seen = t.keys;
    read_dbs(&c, d, a);
    read_types(&c, d, a, merge);
    read_encodings(&c, d, a);
    read_ttl(&c, d, a);
    if (merge) read_lists_v2(&c, d, a, merge, nfiles_before);
    else read_lists_v1(&c, d, a);
    if (merge) read_cluster(&c, d, a, merge);
    read_prefixes(&c, d, a, merge);
    if (!c.failed && seen < t.keys)
        fail(&c, "merge.keys_seen: %llu, fewer than the %llu keys of the totals", (unsigned long long)seen,
             (unsigned long long)t.keys);
    if (c.failed) return -1;
    agg_part_end(a, seen, filtered, partial && json_is_true(partial));
    return 0;
}
