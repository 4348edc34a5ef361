/* agg.c: the aggregate: filters, totals, per-db / per-type / per-encoding
 * counts, TTL buckets, top-N heaps, and the final summary. The prefix tree
 * (agg_prefix.c), the findings (agg_find.c) and the source section
 * (agg_source.c) live in their own files. */
#include "analyze/agg_internal.h"

#include <stdlib.h>
#include <string.h>

#define HOUR_MS INT64_C(3600000)
#define DAY_MS (24 * HOUR_MS)

void agg_options_init(agg_options *o) {
    memset(o, 0, sizeof *o);
    o->top_n = 50;
    o->separators = ":";
    o->prefix_depth = 3;
    o->prefix_budget = 200000;
    o->tree_fanout = 24;
    o->findings_per_kind = 10;
    agg_thresholds_init(&o->th);
}

/* ---- TTL buckets --------------------------------------------------------- */

const char *agg_ttl_bucket_name(unsigned bucket) {
    static const char *const names[AGG_TTL_COUNT_] = {"no_ttl", "expired", "<1h", "1h-6h",
                                                      "6h-24h", "1d-7d", "7d-30d", ">30d"};
    return bucket < AGG_TTL_COUNT_ ? names[bucket] : "?";
}

unsigned agg_ttl_bucket(bool has_expire, int64_t expire_ms, int64_t reference_ms) {
    if (!has_expire) return AGG_TTL_NONE;
    if (expire_ms <= reference_ms) return AGG_TTL_EXPIRED;
    uint64_t r = (uint64_t)expire_ms - (uint64_t)reference_ms;  /* > 0, no overflow */
    if (r < (uint64_t)HOUR_MS) return AGG_TTL_LT_1H;
    if (r < (uint64_t)(6 * HOUR_MS)) return AGG_TTL_1H_6H;
    if (r < (uint64_t)DAY_MS) return AGG_TTL_6H_24H;
    if (r < (uint64_t)(7 * DAY_MS)) return AGG_TTL_1D_7D;
    if (r < (uint64_t)(30 * DAY_MS)) return AGG_TTL_7D_30D;
    return AGG_TTL_GT_30D;
}

/* ---- access: LRU idle time, LFU counter ---------------------------------- */

const char *agg_idle_bucket_name(unsigned b) {
    static const char *const n[AGG_IDLE_COUNT_] = {"<1m", "1m-1h", "1h-1d", "1d-7d", "7d-30d", ">30d"};
    return b < AGG_IDLE_COUNT_ ? n[b] : "?";
}

const char *agg_freq_bucket_name(unsigned b) {
    static const char *const n[AGG_FREQ_COUNT_] = {"0-4", "5-9", "10-31", "32-99", "100-255"};
    return b < AGG_FREQ_COUNT_ ? n[b] : "?";
}

static unsigned idle_bucket(uint64_t s) {
    return s < 60 ? AGG_IDLE_LT_1M : s < 3600 ? AGG_IDLE_1M_1H : s < 86400 ? AGG_IDLE_1H_1D
           : s < 7 * 86400 ? AGG_IDLE_1D_7D : s < 30 * 86400 ? AGG_IDLE_7D_30D : AGG_IDLE_GT_30D;
}

static unsigned freq_bucket(unsigned f) {
    return f < 5 ? AGG_FREQ_0_4 : f < 10 ? AGG_FREQ_5_9 : f < 32 ? AGG_FREQ_10_31
           : f < 100 ? AGG_FREQ_32_99 : AGG_FREQ_100_255;
}

static int count_access(agg *a, const key_record *r, uint64_t bytes, uint64_t seq, uint32_t file) {
    bool cold = false;
    if (r->has_idle) {
        agg_ttl_row *row = &a->access.idle[idle_bucket(r->idle_s)];
        row->keys++, row->bytes += bytes;
        a->access.keys_idle++;
        cold |= r->idle_s >= 86400;
    }
    if (r->has_freq) {
        agg_ttl_row *row = &a->access.freq[freq_bucket(r->freq)];
        row->keys++, row->bytes += bytes;
        a->access.keys_freq++;
        cold |= r->freq < 5;
    }
    return cold && agg_topn_offer(&a->cold, bytes, seq, file, r) < 0 ? -1 : 0;
}

/* ---- lifetime ------------------------------------------------------------ */

/* The options' filter, with copies of its strings: the caller's may be
 * temporary. */
static int agg_copy_filter(agg *a, const key_filter *f) {
    key_filter *k = &a->opt.filter;
    filter_init(k);
    if (!f) return 0;
    if (filter_copy(k, f) < 0) return -1;
    const char *src[3] = {f->match, f->regex, f->expiry_text};
    const char **dst[3] = {&k->match, &k->regex, &k->expiry_text};
    for (int i = 0; i < 3; i++) {
        *dst[i] = NULL;
        if (src[i] && !(a->filter_text[i] = strdup(src[i]))) return -1;
        *dst[i] = a->filter_text[i];
    }
    return 0;
}

agg *agg_new(const agg_options *o) {
    agg *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    if (o) a->opt = *o;
    else agg_options_init(&a->opt);
    a->separators = strdup(a->opt.separators ? a->opt.separators : "");
    if (!a->separators || agg_copy_filter(a, o ? &o->filter : NULL) < 0) goto fail;
    a->opt.separators = a->separators;
    if (a->opt.prefix_depth < 1) a->opt.prefix_depth = 1;
    if (a->opt.prefix_depth > AGG_PREFIX_MAX_DEPTH) a->opt.prefix_depth = AGG_PREFIX_MAX_DEPTH;
    if (a->opt.prefix_budget < AGG_PREFIX_MIN_BUDGET) a->opt.prefix_budget = AGG_PREFIX_MIN_BUDGET;

    size_t n = a->opt.top_n;
    if (agg_topn_init(&a->top_bytes, n) < 0 || agg_topn_init(&a->top_elements, n) < 0) goto fail;
    if (agg_topn_init(&a->cold, n) < 0) goto fail;
    for (unsigned b = 0; b < AGG_IDLE_COUNT_; b++) a->access.idle[b].name = agg_idle_bucket_name(b);
    for (unsigned b = 0; b < AGG_FREQ_COUNT_; b++) a->access.freq[b].name = agg_freq_bucket_name(b);
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        if (agg_topn_init(&a->type_bytes[t], n) < 0 || agg_topn_init(&a->type_elements[t], n) < 0)
            goto fail;
        a->types[t].row.type = (rdb_kind)t;
    }
    a->prefix = agg_prefix_new(a->separators, a->opt.prefix_depth, a->opt.prefix_budget);
    if (!a->prefix) goto fail;
    if (agg_find_init(&a->find, &a->opt.th, a->opt.findings_per_kind, a->opt.estimate,
                      a->opt.estimate_ctx, a->separators) < 0)
        goto fail;
    for (unsigned b = 0; b < AGG_TTL_COUNT_; b++) a->ttl[b].name = agg_ttl_bucket_name(b);
    return a;
fail:
    agg_free(a);
    return NULL;
}

void agg_free(agg *a) {
    if (!a) return;
    agg_topn_free(&a->top_bytes);
    agg_topn_free(&a->top_elements);
    agg_topn_free(&a->cold);
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        agg_topn_free(&a->type_bytes[t]);
        agg_topn_free(&a->type_elements[t]);
    }
    agg_prefix_free(a->prefix);
    agg_find_free(&a->find);
    agg_cluster_free(a->cluster);
    agg_free_files(a);
    free(a->dbs);
    free(a->encs);
    agg_modules_free(&a->modules);
    free(a->prefix_rows);
    free(a->prefix_tree);
    free(a->find_files);
    for (size_t i = 0; i < a->nstrings; i++) free(a->strings[i]);
    free(a->strings);
    free(a->profile);
    free(a->separators);
    filter_free(&a->opt.filter);
    for (int i = 0; i < 3; i++) free(a->filter_text[i]);
    free(a);
}

/* ---- per-key accounting -------------------------------------------------- */

/* A string's "elements" in a key record is its length: the aggregate
 * counts it as length, never as elements, so element counts mean members
 * of collections only. */
static uint64_t elements_of(const key_record *r) { return r->type == RDB_KIND_STRING ? 0 : r->elements; }
static uint64_t length_of(const key_record *r) { return r->type == RDB_KIND_STRING ? r->elements : 0; }

static void count_totals(agg_totals *t, const key_record *r, uint64_t bytes, unsigned bucket) {
    t->keys++;
    t->bytes += bytes;
    t->elements += elements_of(r);
    t->string_length += length_of(r);
    if (!r->has_bytes) t->keys_unmodelled++;
    if (r->module_name) {
        t->keys_module++;
        if (r->bytes_basis == KEY_BASIS_SERIALIZED || !r->has_bytes) t->keys_module_unmodelled++;
    }
    if (r->bytes_basis == KEY_BASIS_SOURCE) t->bytes_source_model += bytes;
    else if (r->bytes_basis == KEY_BASIS_SERIALIZED) t->bytes_serialized_size += bytes;
    else t->bytes_measured_model += bytes;
    if (r->has_expire) {
        t->keys_with_ttl++;
        t->bytes_with_ttl += bytes;
    }
    if (bucket == AGG_TTL_EXPIRED) {
        t->keys_expired++;
        t->bytes_expired += bytes;
    }
}

/* the row for db, kept sorted; NULL only when out of memory */
agg_db_row *agg_db_row_of(agg *a, uint64_t db) {
    size_t lo = 0, hi = a->ndbs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a->dbs[mid].db < db) lo = mid + 1;
        else hi = mid;
    }
    if (lo < a->ndbs && a->dbs[lo].db == db) return &a->dbs[lo];
    if (a->ndbs >= AGG_MAX_DBS && db != UINT64_MAX) return agg_db_row_of(a, UINT64_MAX);
    if (a->ndbs == a->capdbs) {
        size_t cap = a->capdbs ? a->capdbs * 2 : 16;
        agg_db_row *v = realloc(a->dbs, cap * sizeof *v);
        if (!v) return NULL;
        a->dbs = v;
        a->capdbs = cap;
    }
    memmove(&a->dbs[lo + 1], &a->dbs[lo], (a->ndbs - lo) * sizeof *a->dbs);
    memset(&a->dbs[lo], 0, sizeof *a->dbs);
    a->dbs[lo].db = db;
    a->ndbs++;
    return &a->dbs[lo];
}

static bool same_encoding(const char *x, const char *y) {
    if (!x || !y) return x == y;
    return x == y || strcmp(x, y) == 0;
}

agg_enc_row *agg_enc_row_of(agg *a, rdb_kind type, const char *enc) {
    /* Encodings are the model's string constants: the pointer nearly always
     * matches, so look for it before comparing any text. */
    for (size_t i = 0; i < a->nencs; i++)
        if (a->encs[i].type == type && a->encs[i].encoding == enc) return &a->encs[i];
    for (size_t i = 0; i < a->nencs; i++)
        if (a->encs[i].type == type && same_encoding(a->encs[i].encoding, enc)) return &a->encs[i];
    if (a->nencs >= AGG_MAX_ENCODINGS && !same_encoding(enc, "(other)"))
        return agg_enc_row_of(a, type, "(other)");
    if (a->nencs == a->capencs) {
        size_t cap = a->capencs ? a->capencs * 2 : 16;
        agg_enc_row *v = realloc(a->encs, cap * sizeof *v);
        if (!v) return NULL;
        a->encs = v;
        a->capencs = cap;
    }
    agg_enc_row *e = &a->encs[a->nencs++];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->encoding = enc;
    return e;
}

static int offer_tops(agg *a, const key_record *r, uint64_t bytes, uint64_t seq, uint32_t file) {
    int took = agg_topn_offer(&a->top_bytes, bytes, seq, file, r);
    if (took < 0) return -1;
    a->last_taken_by_bytes = took > 0;
    bool collection = r->type != RDB_KIND_STRING && r->type != RDB_KIND_MODULE;
    if (collection && agg_topn_offer(&a->top_elements, r->elements, seq, file, r) < 0) return -1;
    if ((unsigned)r->type < RDB_KIND_COUNT_) {
        if ((took = agg_topn_offer(&a->type_bytes[r->type], bytes, seq, file, r)) < 0) return -1;
        a->last_taken_by_bytes |= took > 0;
        /* strings by length, collections by elements */
        if (agg_topn_offer(&a->type_elements[r->type], r->elements, seq, file, r) < 0) return -1;
    }
    return 0;
}

int agg_add(agg *a, const key_record *r) {
    a->last_taken_by_bytes = false;
    if (a->finished) return -1;
    agg_file *f = agg_current_file(a);
    if (!f) return -1;
    int64_t ref = a->file_ref_rank[f - a->files] != AGG_REF_NONE ? f->reference_ms : -1;
    if (!filter_accepts(&a->opt.filter, r, ref)) {
        a->filtered++;
        return 0;
    }
    f->reference_locked = true;
    uint32_t file = (uint32_t)(f - a->files);
    uint64_t bytes = r->has_bytes ? r->bytes : 0;
    uint64_t seq = a->seq++;
    unsigned bucket = agg_ttl_bucket(r->has_expire, r->expire_ms, f->reference_ms);

    count_totals(&a->totals, r, bytes, bucket);
    count_totals(&f->totals, r, bytes, bucket);
    a->ttl[bucket].keys++;
    a->ttl[bucket].bytes += bytes;
    if ((r->has_idle || r->has_freq) && count_access(a, r, bytes, seq, file) < 0) goto oom;

    agg_db_row *d = agg_db_row_of(a, r->db);
    if (!d) goto oom;
    d->keys++;
    d->bytes += bytes;
    d->elements += elements_of(r);
    if ((unsigned)r->type < RDB_KIND_COUNT_) {
        d->type_keys[r->type]++;
        d->type_bytes[r->type] += bytes;
        if (!r->has_expire) d->type_keys_no_ttl[r->type]++;
    }

    if ((unsigned)r->type < RDB_KIND_COUNT_) {
        agg_type_row *t = &a->types[r->type].row;
        t->keys++;
        t->bytes += bytes;
        t->elements += elements_of(r);
        t->length += length_of(r);
        agg_hist_add(&a->types[r->type].bytes, bytes);
        agg_hist_add(&a->types[r->type].elements, r->elements);  /* strings: lengths */
        agg_enc_row *e = agg_enc_row_of(a, r->type, r->encoding);
        if (!e) goto oom;
        e->keys++;
        e->bytes += bytes;
        e->elements += elements_of(r);
        e->length += length_of(r);
    }
    if (agg_modules_add(&a->modules, r, bytes) < 0) goto oom;
    if (offer_tops(a, r, bytes, seq, file) < 0) goto oom;
    if (agg_prefix_add(a->prefix, r) < 0) goto oom;
    if (agg_find_add(&a->find, r, seq, file) < 0) goto oom;
    if (r->has_slot || a->opt.cluster.enabled) {
        if (!a->cluster && !(a->cluster = agg_cluster_new(&a->opt.cluster))) goto oom;
        if (agg_cluster_add(a->cluster, r, bucket == AGG_TTL_EXPIRED) < 0) goto oom;
    }
    return 0;
oom:
    a->oom = true;
    return -1;
}

uint64_t agg_keys_seen(const agg *a) { return a->seq; }

bool agg_last_taken_by_bytes(const agg *a) { return a->last_taken_by_bytes; }

static int visit_topn(agg_topn *t, uint32_t file, agg_visit_fn fn, void *ctx) {
    for (size_t i = 0; i < t->n; i++) {
        key_record *r = &t->v[i].rec;
        if (t->v[i].file != file || r->largest_exact) continue;
        int rc = fn(ctx, r);
        if (rc) return rc;
    }
    return 0;
}

int agg_visit_inexact(agg *a, agg_visit_fn fn, void *ctx) {
    if (a->nfiles == 0) return 0;
    uint32_t file = (uint32_t)(a->nfiles - 1);
    agg_topn *tables[3 + 2 * RDB_KIND_COUNT_];
    size_t n = 0;
    tables[n++] = &a->top_bytes;
    tables[n++] = &a->top_elements;
    tables[n++] = &a->cold;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        tables[n++] = &a->type_bytes[t];
        tables[n++] = &a->type_elements[t];
    }
    for (size_t i = 0; i < n; i++) {
        int rc = visit_topn(tables[i], file, fn, ctx);
        if (rc) return rc;
    }
    return agg_find_visit(&a->find, file, fn, ctx);
}

/* ---- the summary --------------------------------------------------------- */

static int enc_cmp(const void *x, const void *y) {
    const agg_enc_row *a = x, *b = y;
    if (a->type != b->type) return a->type < b->type ? -1 : 1;
    if (!a->encoding || !b->encoding) return a->encoding ? 1 : b->encoding ? -1 : 0;
    return strcmp(a->encoding, b->encoding);
}

static agg_key_list list_of(agg_topn *t) {
    agg_topn_sort(t);
    return (agg_key_list){t->v, t->n};
}

static void sum_used_memory(agg *a) {
    for (size_t i = 0; i < a->nfiles; i++) {
        const agg_memory *m = &a->files[i].memory;
        if (m->present) {
            agg_memory *t = &a->sum.memory;
            t->present = true;
            t->used_memory += m->used_memory;
            t->startup += m->startup;
            t->keys += m->keys;
            t->memory_usage += m->memory_usage;
            t->tables += m->tables;
            t->functions += m->functions;
            t->modules += m->modules;
            t->templates += m->templates;
            t->keys_loaded += m->keys_loaded;
            t->keys_not_loaded += m->keys_not_loaded;
            t->bytes_not_loaded += m->bytes_not_loaded;
        }
        const agg_totals *ft = &a->files[i].totals;
        if (ft->has_predicted_used_memory) {
            a->totals.has_predicted_used_memory = true;
            a->totals.predicted_used_memory += ft->predicted_used_memory;
        }
        if (ft->has_aux_used_mem) {
            a->totals.has_aux_used_mem = true;
            a->totals.aux_used_mem += ft->aux_used_mem;
        }
    }
}

static int finish_findings(agg *a, size_t nrows) {
    a->find_files = calloc(a->nfiles ? a->nfiles : 1, sizeof *a->find_files);
    if (!a->find_files) return -1;
    for (size_t i = 0; i < a->nfiles; i++) {
        const agg_file *f = &a->files[i];
        a->find_files[i] = (agg_find_file){f->path, f->totals.keys_expired, f->totals.bytes_expired,
                                           f->totals.bytes, f->reference_ms,
                                           a->file_ref_rank[i] == AGG_REF_CTIME};
    }
    return agg_find_finish(&a->find, a->prefix_rows, nrows, a->totals.bytes, a->find_files,
                           a->nfiles);
}

const agg_summary *agg_finish(agg *a) {
    agg_summary *s = &a->sum;
    if (a->finished) return s;
    a->finished = true;
    memset(s, 0, sizeof *s);
    sum_used_memory(a);  /* fills s->memory */
    if (a->has_live) {
        s->has_live = true;
        s->live = a->live;
        liveinfo_explain(&a->live, s->memory.used_memory, s->memory.startup, &s->live_explained);
    }
    s->opt = &a->opt;
    s->files = a->files;
    s->nfiles = a->nfiles;
    s->profile = a->profile;
    if (a->opt.has_now) {
        s->has_reference = true;
        s->reference_ms = a->opt.now_ms;
        s->reference_basis = "option";
    } else if (a->nfiles > 0) {
        s->has_reference = a->file_ref_rank[0] != AGG_REF_NONE;
        s->reference_ms = a->files[0].reference_ms;
        s->reference_basis = a->files[0].reference_basis;
    } else {
        s->reference_basis = "none";
    }
    s->totals = a->totals;
    s->dbs = a->dbs;
    s->ndbs = a->ndbs;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        agg_type_row *row = &a->types[t].row;
        const agg_hist *hb = &a->types[t].bytes, *he = &a->types[t].elements;
        row->bytes_p50 = agg_hist_quantile(hb, 500);
        row->bytes_p90 = agg_hist_quantile(hb, 900);
        row->bytes_p99 = agg_hist_quantile(hb, 990);
        row->bytes_max = hb->max;
        row->elements_p50 = agg_hist_quantile(he, 500);
        row->elements_p90 = agg_hist_quantile(he, 900);
        row->elements_p99 = agg_hist_quantile(he, 990);
        row->elements_max = he->max;
        s->types[t] = *row;
        s->type_top_bytes[t] = list_of(&a->type_bytes[t]);
        s->type_top_elements[t] = list_of(&a->type_elements[t]);
    }
    if (a->nencs > 1) qsort(a->encs, a->nencs, sizeof *a->encs, enc_cmp);
    s->encs = a->encs;
    s->nencs = a->nencs;
    memcpy(s->ttl, a->ttl, sizeof s->ttl);
    s->access = a->access;
    s->access.cold = list_of(&a->cold);
    s->top_bytes = list_of(&a->top_bytes);
    s->top_elements = list_of(&a->top_elements);

    size_t nrows = 0;
    if (a->opt.top_n > 0) {
        a->prefix_rows = calloc(a->opt.top_n, sizeof *a->prefix_rows);
        if (!a->prefix_rows) return NULL;
        nrows = agg_prefix_top(a->prefix, a->opt.top_n, a->prefix_rows);
    }
    s->prefixes = a->prefix_rows;
    s->nprefixes = nrows;
    s->prefix_budget_hit = agg_prefix_budget_hit(a->prefix);
    s->prefix_evicted = agg_prefix_evicted(a->prefix);
    s->prefix_budget = a->opt.prefix_budget;
    if (a->opt.tree_nodes > 0) {
        a->prefix_tree = calloc(a->opt.tree_nodes, sizeof *a->prefix_tree);
        if (!a->prefix_tree) return NULL;
        s->prefix_tree = a->prefix_tree;
        s->nprefix_tree = agg_prefix_tree(a->prefix, a->opt.tree_nodes, a->opt.tree_fanout,
                                          a->prefix_tree);
    }

    if (finish_findings(a, nrows) < 0) return NULL;
    if (a->cluster) {
        s->cluster = agg_cluster_finish(a->cluster, a->profile, a->opt.top_n);
        if (!s->cluster || agg_cluster_findings(a->cluster, &a->find, a->opt.findings_per_kind) < 0)
            return NULL;
        agg_find_reorder(&a->find);
    }
    s->findings = a->find.v;
    s->nfindings = a->find.n;
    agg_modules_finish(&a->modules);
    s->modules = a->modules.v;
    s->nmodules = a->modules.n;
    s->keys_filtered_out = a->filtered;
    s->oom = a->oom;
    s->keys_seen = a->seq;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        s->hist_bytes[t] = &a->types[t].bytes;
        s->hist_elements[t] = &a->types[t].elements;
    }
    s->prefix_table = a->prefix;
    for (unsigned k = 0; k < AGG_FK_COUNT_; k++) {
        agg_topn *w = &a->find.kind[k].worst;   /* sorted by agg_find_finish */
        s->find_kind[k].keys = a->find.kind[k].keys;
        s->find_kind[k].bytes = a->find.kind[k].bytes;
        s->find_kind[k].worst = (agg_key_list){w->v, w->n};
    }
    s->near_groups = a->find.groups;
    s->nnear_groups = a->find.ngroups;
    return s;
}
