/* agg_merge.c: absorbing parts into an aggregate; see agg_merge.h. */
#include "analyze/agg_merge.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/agg_internal.h"

const char *agg_intern(agg *a, const char *s) {
    if (!s) return NULL;
    for (size_t i = 0; i < a->nstrings; i++)
        if (!strcmp(a->strings[i], s)) return a->strings[i];
    if (a->nstrings == a->capstrings) {
        size_t cap = a->capstrings ? a->capstrings * 2 : 16;
        char **v = realloc(a->strings, cap * sizeof *v);
        if (!v) return NULL;
        a->strings = v;
        a->capstrings = cap;
    }
    char *d = strdup(s);
    if (!d) return NULL;
    a->strings[a->nstrings++] = d;
    return d;
}

const agg_options *agg_get_options(const agg *a) { return &a->opt; }

void agg_part_begin(agg *a) {
    a->part_file_base = (uint32_t)a->nfiles;
    a->part_seq_base = a->seq;
}

/* reference-time rank of a basis name (agg_internal.h AGG_REF_*) */
static int basis_rank(const char *basis) {
    if (!basis || !strcmp(basis, "none")) return AGG_REF_NONE;
    if (!strcmp(basis, "mtime")) return AGG_REF_MTIME;
    if (!strcmp(basis, "ctime")) return AGG_REF_CTIME;
    if (!strcmp(basis, "option")) return AGG_REF_OPTION;
    return AGG_REF_EXPLICIT;
}

static uint8_t *dup_bytes(const uint8_t *p, size_t n) {
    uint8_t *d = malloc(n ? n : 1);
    if (d && n) memcpy(d, p, n);
    return d;
}

int agg_part_file(agg *a, const agg_file *src) {
    if (a->finished || agg_begin_file(a, src->path, src->size, src->mtime_ms) < 0) return -1;
    size_t idx = a->nfiles - 1;
    agg_file *f = &a->files[idx];
    char *path = f->path;
    *f = *src;
    f->path = path;
    f->aux = NULL;
    f->naux = 0;
    f->error_code = agg_intern(a, src->error_code);
    f->reference_basis = agg_intern(a, src->reference_basis ? src->reference_basis : "none");
    f->reference_locked = true;
    f->profile_basis = agg_intern(a, src->profile_basis);
    for (size_t i = 0; i < f->nhints && i < AGG_MAX_HINTS; i++) {
        f->hints[i].directive = agg_intern(a, src->hints[i].directive);
        f->hints[i].sign = agg_intern(a, src->hints[i].sign);
        if ((src->hints[i].directive && !f->hints[i].directive) || (src->hints[i].sign && !f->hints[i].sign))
            goto oom;
    }
    a->file_ref_rank[idx] = basis_rank(src->reference_basis);
    if ((src->error_code && !f->error_code) || !f->reference_basis ||
        (src->profile_basis && !f->profile_basis))
        goto oom;
    if (src->naux) {
        size_t n = src->naux < AGG_MAX_AUX ? src->naux : AGG_MAX_AUX;
        f->aux = calloc(AGG_MAX_AUX, sizeof *f->aux);
        if (!f->aux) goto oom;
        for (size_t i = 0; i < n; i++) {
            agg_aux *x = &f->aux[i];
            x->key = dup_bytes(src->aux[i].key, src->aux[i].key_len);
            x->val = dup_bytes(src->aux[i].val, src->aux[i].val_len);
            if (!x->key || !x->val) {
                free(x->key);
                free(x->val);
                goto oom;
            }
            x->key_len = src->aux[i].key_len;
            x->val_len = src->aux[i].val_len;
            f->naux++;
        }
    }
    if (src->has_enc_limits && agg_find_set_limits(&a->find, (uint32_t)idx, &src->enc_limits) < 0)
        goto oom;
    return 0;
oom:
    a->oom = true;
    return -1;
}

void agg_part_totals(agg *a, const agg_totals *t) {
    agg_totals *d = &a->totals;
    d->keys += t->keys;
    d->bytes += t->bytes;
    d->elements += t->elements;
    d->keys_with_ttl += t->keys_with_ttl;
    d->bytes_with_ttl += t->bytes_with_ttl;
    d->keys_expired += t->keys_expired;
    d->bytes_expired += t->bytes_expired;
    d->keys_unmodelled += t->keys_unmodelled;
    d->string_length += t->string_length;
    d->bytes_measured_model += t->bytes_measured_model;
    d->bytes_source_model += t->bytes_source_model;
    d->bytes_serialized_size += t->bytes_serialized_size;
    d->keys_module += t->keys_module;
    d->keys_module_unmodelled += t->keys_module_unmodelled;
}

int agg_part_db(agg *a, const agg_db_row *r) {
    agg_db_row *d = agg_db_row_of(a, r->db);
    if (!d) {
        a->oom = true;
        return -1;
    }
    d->keys += r->keys;
    d->bytes += r->bytes;
    d->elements += r->elements;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        d->type_keys[t] += r->type_keys[t];
        d->type_bytes[t] += r->type_bytes[t];
        d->type_keys_no_ttl[t] += r->type_keys_no_ttl[t];
    }
    return 0;
}

void agg_part_type(agg *a, const agg_type_row *r, const agg_hist *bytes, const agg_hist *elements) {
    if ((unsigned)r->type >= RDB_KIND_COUNT_) return;
    agg_type_row *d = &a->types[r->type].row;
    d->keys += r->keys;
    d->bytes += r->bytes;
    d->elements += r->elements;
    d->length += r->length;
    if (bytes) agg_hist_merge(&a->types[r->type].bytes, bytes);
    if (elements) agg_hist_merge(&a->types[r->type].elements, elements);
}

int agg_part_encoding(agg *a, const agg_enc_row *r) {
    const char *enc = r->encoding ? agg_intern(a, r->encoding) : NULL;
    agg_enc_row *e = (r->encoding && !enc) ? NULL : agg_enc_row_of(a, r->type, enc);
    if (!e) {
        a->oom = true;
        return -1;
    }
    e->keys += r->keys;
    e->bytes += r->bytes;
    e->elements += r->elements;
    e->length += r->length;
    return 0;
}

void agg_part_ttl(agg *a, unsigned bucket, uint64_t keys, uint64_t bytes) {
    if (bucket >= AGG_TTL_COUNT_) return;
    a->ttl[bucket].keys += keys;
    a->ttl[bucket].bytes += bytes;
}

static agg_topn *list_of_id(agg *a, agg_list_id l) {
    switch (l.kind) {
    case AGG_LIST_BYTES: return &a->top_bytes;
    case AGG_LIST_ELEMENTS: return &a->top_elements;
    case AGG_LIST_TYPE_BYTES: return l.sub < RDB_KIND_COUNT_ ? &a->type_bytes[l.sub] : NULL;
    case AGG_LIST_TYPE_ELEMENTS: return l.sub < RDB_KIND_COUNT_ ? &a->type_elements[l.sub] : NULL;
    case AGG_LIST_FINDING: return l.sub < AGG_FK_COUNT_ ? &a->find.kind[l.sub].worst : NULL;
    case AGG_LIST_COLD: return &a->cold;
    }
    return NULL;
}

int agg_part_key(agg *a, agg_list_id list, uint64_t score, uint64_t seq, uint32_t file,
                 const key_record *r) {
    agg_topn *t = list_of_id(a, list);
    if (!t || (uint64_t)a->part_file_base + file >= a->nfiles) return -2;
    if (agg_topn_offer(t, score, a->part_seq_base + seq, a->part_file_base + file, r) < 0) {
        a->oom = true;
        return -1;
    }
    return 0;
}

void agg_part_finding(agg *a, unsigned kind, uint64_t keys, uint64_t bytes) {
    if (kind >= AGG_FK_COUNT_) return;
    a->find.kind[kind].keys += keys;
    a->find.kind[kind].bytes += bytes;
}

long agg_part_near_group(agg *a, const agg_near_group *src) {
    if ((uint64_t)a->part_file_base + src->file >= a->nfiles) return -2;
    agg_find *f = &a->find;
    agg_near_group *v = realloc(f->groups, (f->ngroups + 1) * sizeof *v);
    if (!v) goto oom;
    f->groups = v;
    agg_near_group *g = &v[f->ngroups];
    *g = *src;
    g->file = a->part_file_base + src->file;
    /* the directive and encoding names must outlive the source */
    g->nl.config = agg_intern(a, src->nl.config);
    g->nl.target = agg_intern(a, src->nl.target);
    if (!g->nl.config || !g->nl.target || agg_topn_init(&g->worst, AGG_NEAR_EXAMPLES) < 0) goto oom;
    return (long)f->ngroups++;
oom:
    a->oom = true;
    return -1;
}

int agg_part_near_key(agg *a, long group, uint64_t score, uint64_t seq, uint32_t file,
                      const key_record *r) {
    if (group < 0 || (size_t)group >= a->find.ngroups || (uint64_t)a->part_file_base + file >= a->nfiles)
        return -2;
    if (agg_topn_offer(&a->find.groups[group].worst, score, a->part_seq_base + seq, a->part_file_base + file,
                       r) < 0) {
        a->oom = true;
        return -1;
    }
    return 0;
}

int agg_part_cluster(agg *a, const agg_cluster_summary *cs) {
    if (!a->cluster && !(a->cluster = agg_cluster_new(&a->opt.cluster))) goto oom;
    agg_cluster_summary x = *cs;
    x.reason = agg_intern(a, cs->reason);
    if (cs->reason && !x.reason) goto oom;
    int rc = agg_cluster_absorb(a->cluster, &x);
    if (rc == -1) goto oom;
    return rc;
oom:
    a->oom = true;
    return -1;
}

void agg_part_access(agg *a, const agg_access *x) {
    a->access.keys_idle += x->keys_idle;
    a->access.keys_freq += x->keys_freq;
    for (unsigned b = 0; b < AGG_IDLE_COUNT_; b++) {
        a->access.idle[b].keys += x->idle[b].keys;
        a->access.idle[b].bytes += x->idle[b].bytes;
    }
    for (unsigned b = 0; b < AGG_FREQ_COUNT_; b++) {
        a->access.freq[b].keys += x->freq[b].keys;
        a->access.freq[b].bytes += x->freq[b].bytes;
    }
}

int agg_part_module(agg *a, const agg_module_row *r) {
    if (agg_modules_add_row(&a->modules, r) < 0) {
        a->oom = true;
        return -1;
    }
    return 0;
}

int agg_part_prefix(agg *a, const agg_prefix_row *r) {
    int rc = agg_prefix_add_row(a->prefix, r);
    if (rc == -1) a->oom = true;
    return rc;
}

void agg_part_prefix_state(agg *a, bool budget_hit, uint64_t evicted) {
    agg_prefix_note_evicted(a->prefix, budget_hit, evicted);
}

void agg_part_end(agg *a, uint64_t keys_seen, uint64_t keys_filtered_out, bool partial) {
    a->seq = a->part_seq_base + keys_seen;
    a->filtered += keys_filtered_out;
    if (partial) a->oom = true;
}

/* ---- a finished summary as a part (report -j) ---------------------------- */

static int absorb_list(agg *a, agg_list_id id, const agg_key_list *l) {
    for (size_t i = 0; i < l->n; i++) {
        const agg_key *k = &l->v[i];
        key_record r = k->rec;
        /* the source aggregate goes away: keep its strings here */
        r.encoding = agg_intern(a, k->rec.encoding);
        r.compact_encoding = agg_intern(a, k->rec.compact_encoding);
        if ((k->rec.encoding && !r.encoding) || (k->rec.compact_encoding && !r.compact_encoding))
            return -1;
        if (agg_part_key(a, id, k->score, k->seq, k->file, &r) != 0) return -1;
    }
    return 0;
}

int agg_absorb(agg *a, const agg_summary *s) {
    agg_part_begin(a);
    for (size_t i = 0; i < s->nfiles; i++)
        if (agg_part_file(a, &s->files[i]) < 0) return -1;
    agg_part_totals(a, &s->totals);
    for (size_t i = 0; i < s->ndbs; i++)
        if (agg_part_db(a, &s->dbs[i]) < 0) return -1;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        agg_part_type(a, &s->types[t], s->hist_bytes[t], s->hist_elements[t]);
        if (absorb_list(a, (agg_list_id){AGG_LIST_TYPE_BYTES, t}, &s->type_top_bytes[t]) < 0 ||
            absorb_list(a, (agg_list_id){AGG_LIST_TYPE_ELEMENTS, t}, &s->type_top_elements[t]) < 0)
            return -1;
    }
    for (size_t i = 0; i < s->nencs; i++)
        if (agg_part_encoding(a, &s->encs[i]) < 0) return -1;
    for (unsigned b = 0; b < AGG_TTL_COUNT_; b++) agg_part_ttl(a, b, s->ttl[b].keys, s->ttl[b].bytes);
    if (absorb_list(a, (agg_list_id){AGG_LIST_BYTES, 0}, &s->top_bytes) < 0 ||
        absorb_list(a, (agg_list_id){AGG_LIST_ELEMENTS, 0}, &s->top_elements) < 0)
        return -1;
    for (unsigned k = 0; k < AGG_FK_COUNT_; k++) {
        agg_part_finding(a, k, s->find_kind[k].keys, s->find_kind[k].bytes);
        if (absorb_list(a, (agg_list_id){AGG_LIST_FINDING, k}, &s->find_kind[k].worst) < 0) return -1;
    }
    for (size_t i = 0; i < s->nnear_groups; i++) {
        const agg_near_group *g = &s->near_groups[i];
        long gi = agg_part_near_group(a, g);
        if (gi < 0) return -1;
        /* the group's worst keys (sorted by the findings, or still a heap) */
        for (size_t k = 0; k < g->worst.n; k++) {
            const agg_key *e = &g->worst.v[k];
            key_record r = e->rec;
            r.encoding = agg_intern(a, e->rec.encoding);
            r.compact_encoding = agg_intern(a, e->rec.compact_encoding);
            if (e->module[0]) r.module_name = e->module;
            if (agg_part_near_key(a, gi, e->score, e->seq, e->file, &r) != 0) return -1;
        }
    }
    for (size_t i = 0; i < s->nmodules; i++)
        if (agg_part_module(a, &s->modules[i]) < 0) return -1;
    agg_part_access(a, &s->access);
    if (s->cluster && agg_part_cluster(a, s->cluster) != 0) return -1;
    if (absorb_list(a, (agg_list_id){AGG_LIST_COLD, 0}, &s->access.cold) < 0) return -1;
    if (s->prefix_table) {
        const agg_prefix_row *r;
        for (size_t i = 0; (r = agg_prefix_node(s->prefix_table, i)) != NULL; i++)
            if (agg_part_prefix(a, r) == -1) return -1;
        for (unsigned d = 1; d <= AGG_PREFIX_MAX_DEPTH; d++) {
            r = agg_prefix_other(s->prefix_table, d);
            if (r && r->keys && agg_part_prefix(a, r) == -1) return -1;
        }
    }
    agg_part_prefix_state(a, s->prefix_budget_hit, s->prefix_evicted);
    agg_part_end(a, s->keys_seen, s->keys_filtered_out, s->oom);
    return 0;
}
