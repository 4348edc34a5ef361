/* agg_source.c: what the report says about its inputs (the "source"
 * section): files, header, aux fields, checksum, parse status, reference
 * time, profile, encoding limits, and the used-memory figures. */
#include "analyze/agg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const BASIS[] = {"none", "mtime", "ctime", "explicit", "option"};

static void set_reference(agg *a, size_t i, int rank, int64_t ms) {
    agg_file *f = &a->files[i];
    if (f->reference_locked || rank < a->file_ref_rank[i]) return;
    a->file_ref_rank[i] = rank;
    f->reference_ms = ms;
    f->reference_basis = BASIS[rank];
}

int agg_begin_file(agg *a, const char *path, uint64_t size, int64_t mtime_ms) {
    if (a->finished) return -1;
    if (a->nfiles == a->capfiles) {
        size_t cap = a->capfiles ? a->capfiles * 2 : 4;
        agg_file *v = realloc(a->files, cap * sizeof *v);
        if (!v) { a->oom = true; return -1; }
        a->files = v;
        int *r = realloc(a->file_ref_rank, cap * sizeof *r);
        if (!r) { a->oom = true; return -1; }
        a->file_ref_rank = r;
        a->capfiles = cap;
    }
    agg_file *f = &a->files[a->nfiles];
    memset(f, 0, sizeof *f);
    f->path = strdup(path ? path : "-");
    if (!f->path) { a->oom = true; return -1; }
    f->size = size;
    f->mtime_ms = mtime_ms;
    f->reference_basis = BASIS[AGG_REF_NONE];
    a->file_ref_rank[a->nfiles] = AGG_REF_NONE;
    a->nfiles++;
    if (a->opt.has_now) set_reference(a, a->nfiles - 1, AGG_REF_OPTION, a->opt.now_ms);
    else if (mtime_ms >= 0) set_reference(a, a->nfiles - 1, AGG_REF_MTIME, mtime_ms);
    return 0;
}

agg_file *agg_current_file(agg *a) {
    if (a->nfiles == 0 && agg_begin_file(a, "-", 0, -1) < 0) return NULL;
    return &a->files[a->nfiles - 1];
}

void agg_free_files(agg *a) {
    for (size_t i = 0; i < a->nfiles; i++) {
        for (size_t j = 0; j < a->files[i].naux; j++) {
            free(a->files[i].aux[j].key);
            free(a->files[i].aux[j].val);
        }
        free(a->files[i].aux);
        free(a->files[i].path);
    }
    free(a->files);
    free(a->file_ref_rank);
}

void agg_file_header(agg *a, const rdb_header *h) {
    agg_file *f = agg_current_file(a);
    if (!f) return;
    f->have_header = true;
    memcpy(f->magic, h->magic, sizeof f->magic);
    f->magic[sizeof f->magic - 1] = '\0';
    f->rdb_version = h->version;
}

/* decimal integer aux values (ctime, used-mem); false when not one */
static bool parse_i64(const uint8_t *p, size_t n, int64_t *out) {
    bool neg = n > 0 && p[0] == '-';
    size_t i = neg ? 1 : 0;
    if (i == n || n - i > 18) return false;
    int64_t v = 0;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = neg ? -v : v;
    return true;
}

static bool key_is(const uint8_t *k, size_t kl, const char *s) {
    return kl == strlen(s) && memcmp(k, s, kl) == 0;
}

static uint8_t *dup_bytes(const uint8_t *p, size_t n) {
    uint8_t *d = malloc(n ? n : 1);
    if (d && n) memcpy(d, p, n);
    return d;
}

int agg_file_aux(agg *a, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen) {
    agg_file *f = agg_current_file(a);
    if (!f) return -1;
    size_t idx = (size_t)(f - a->files);
    int64_t n;
    if (key_is(key, klen, "ctime") && parse_i64(val, vlen, &n) && n > 0 && n < INT64_MAX / 1000)
        set_reference(a, idx, AGG_REF_CTIME, n * 1000);
    if (key_is(key, klen, "used-mem") && parse_i64(val, vlen, &n) && n >= 0) {
        f->totals.has_aux_used_mem = true;
        f->totals.aux_used_mem = (uint64_t)n;
    }
    for (size_t i = 0; i < f->naux; i++)
        if (f->aux[i].key_len == klen && memcmp(f->aux[i].key, key, klen) == 0) return 0;
    if (f->naux == AGG_MAX_AUX) return 0;
    if (f->naux == 0) {
        f->aux = calloc(AGG_MAX_AUX, sizeof *f->aux);
        if (!f->aux) { a->oom = true; return -1; }
    }
    if (vlen > AGG_MAX_AUX_VALUE) vlen = AGG_MAX_AUX_VALUE;
    agg_aux *x = &f->aux[f->naux];
    x->key = dup_bytes(key, klen);
    x->val = dup_bytes(val, vlen);
    if (!x->key || !x->val) {
        free(x->key);
        free(x->val);
        a->oom = true;
        return -1;
    }
    x->key_len = klen;
    x->val_len = vlen;
    f->naux++;
    return 0;
}

void agg_file_functions(agg *a, uint64_t count) {
    agg_file *f = agg_current_file(a);
    if (f) f->functions += count;
}

void agg_file_result(agg *a, const rdb_result *res) {
    agg_file *f = agg_current_file(a);
    if (!f) return;
    if (res->have_header && !f->have_header) agg_file_header(a, &res->header);
    f->have_result = true;
    f->complete = res->error.code == RDB_OK;
    f->unreadable = !res->have_header;
    f->rdb_bytes = res->bytes_read;
    f->have_checksum = res->have_trailer;
    if (res->have_trailer) f->checksum = res->trailer.checksum;
    if (!f->complete) {
        f->error_offset = res->error.offset;
        f->error_code = rdb_status_name(res->error.code);
        snprintf(f->error_message, sizeof f->error_message, "%s", res->error.message);
    }
}

void agg_file_compression(agg *a, const char *format, uint64_t stored_size) {
    agg_file *f = agg_current_file(a);
    if (!f) return;
    snprintf(f->compression, sizeof f->compression, "%s", format ? format : "");
    f->size = stored_size;
}

void agg_file_predicted_used_memory(agg *a, uint64_t bytes) {
    agg_file *f = agg_current_file(a);
    if (!f) return;
    f->totals.has_predicted_used_memory = true;
    f->totals.predicted_used_memory = bytes;
}

void agg_file_memory(agg *a, const agg_memory *m) {
    agg_file *f = agg_current_file(a);
    if (!f) return;
    f->memory = *m;
    f->memory.present = true;
    f->totals.has_predicted_used_memory = true;
    f->totals.predicted_used_memory = m->used_memory;
}

void agg_file_hint(agg *a, const agg_hint *h) {
    agg_file *f = agg_current_file(a);
    if (f && f->nhints < AGG_MAX_HINTS) f->hints[f->nhints++] = *h;
}

void agg_file_profile(agg *a, const char *name, const char *basis) {
    agg_file *f = agg_current_file(a);
    if (!f || !name) return;
    snprintf(f->profile, sizeof f->profile, "%s", name);
    f->profile_basis = basis;
}

void agg_file_size(agg *a, uint64_t size) {
    agg_file *f = agg_current_file(a);
    if (f) f->size = size;
}

void agg_file_aof(agg *a, const agg_aof *aof) {
    agg_file *f = agg_current_file(a);
    if (f) f->aof = *aof;
}

void agg_file_reference(agg *a, int64_t ms, const char *basis) {
    agg_file *f = agg_current_file(a);
    if (!f) return;
    size_t idx = (size_t)(f - a->files);
    set_reference(a, idx, AGG_REF_EXPLICIT, ms);
    if (a->file_ref_rank[idx] == AGG_REF_EXPLICIT && basis) {
        /* a caller-named basis must be a static string, like "mtime" */
        f->reference_basis = basis;
    }
}

int agg_file_enc_limits(agg *a, const enc_limits *l) {
    agg_file *f = agg_current_file(a);
    if (!f) return -1;
    if (agg_find_set_limits(&a->find, (uint32_t)(f - a->files), l) < 0) {
        a->oom = true;
        return -1;
    }
    f->has_enc_limits = true;
    f->enc_limits = *l;
    return 0;
}

void agg_set_live(agg *a, const live_info *li) {
    a->has_live = true;
    a->live = *li;
}

int agg_set_profile(agg *a, const char *name) {
    char *p = name ? strdup(name) : NULL;
    if (name && !p) { a->oom = true; return -1; }
    free(a->profile);
    a->profile = p;
    return 0;
}

static agg_cluster *cluster_of(agg *a) {
    if (!a->cluster && !(a->cluster = agg_cluster_new(&a->opt.cluster))) a->oom = true;
    return a->cluster;
}

int agg_file_cluster(agg *a, const char *reason, uint64_t functions_ram, uint64_t other_db_keys,
                     const struct model_slot_sums *slots) {
    agg_cluster *c = cluster_of(a);
    if (!c) return -1;
    agg_cluster_file(c, reason, functions_ram, other_db_keys, slots);
    return 0;
}

/* A filter leaves keys out that the model counted: then per key. */
int agg_file_cluster_model_sums(agg *a) {
    agg_cluster *c = cluster_of(a);
    if (!c) return -1;
    agg_cluster_begin_file(c, !filter_active(&a->opt.filter));
    return 0;
}
