/* agg_module.c: the by_module table (agg_module.h). A dump holds a handful
 * of module types, so a linear scan over at most AGG_MAX_MODULE_ROWS rows
 * is all the lookup needs. */
#include "analyze/agg_module.h"

#include <stdlib.h>
#include <string.h>

static agg_module_row *row_for(agg_modules *m, const char *name, unsigned encver) {
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].encver == encver && strcmp(m->v[i].module, name) == 0) return &m->v[i];
    if (m->n >= AGG_MAX_MODULE_ROWS && strcmp(name, "(other)") != 0) return row_for(m, "(other)", 0);
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        agg_module_row *v = realloc(m->v, cap * sizeof *v);
        if (!v) return NULL;
        m->v = v;
        m->cap = cap;
    }
    agg_module_row *r = &m->v[m->n++];
    memset(r, 0, sizeof *r);
    strncpy(r->module, name, sizeof r->module - 1);
    r->encver = encver;
    return r;
}

int agg_modules_add(agg_modules *m, const key_record *r, uint64_t bytes) {
    if (!r->module_name) return 0;
    agg_module_row *row = row_for(m, r->module_name, r->module_encver);
    if (!row) return -1;
    row->keys++;
    row->bytes += bytes;
    row->serialized_bytes += r->serialized_bytes;
    row->elements += r->elements;
    unsigned b = (unsigned)r->bytes_basis < KEY_BASIS_COUNT_ ? (unsigned)r->bytes_basis : KEY_BASIS_SERIALIZED;
    if (!r->has_bytes) b = KEY_BASIS_SERIALIZED;
    row->keys_by_basis[b]++;
    return 0;
}

int agg_modules_add_row(agg_modules *m, const agg_module_row *src) {
    agg_module_row *row = row_for(m, src->module, src->encver);
    if (!row) return -1;
    row->keys += src->keys;
    row->bytes += src->bytes;
    row->serialized_bytes += src->serialized_bytes;
    row->elements += src->elements;
    for (unsigned b = 0; b < KEY_BASIS_COUNT_; b++) row->keys_by_basis[b] += src->keys_by_basis[b];
    return 0;
}

static int row_cmp(const void *x, const void *y) {
    const agg_module_row *a = x, *b = y;
    if (a->bytes != b->bytes) return a->bytes > b->bytes ? -1 : 1;
    int c = strcmp(a->module, b->module);
    if (c) return c;
    return a->encver < b->encver ? -1 : a->encver > b->encver;
}

void agg_modules_finish(agg_modules *m) {
    if (m->n > 1) qsort(m->v, m->n, sizeof *m->v, row_cmp);
}

void agg_modules_free(agg_modules *m) {
    free(m->v);
    memset(m, 0, sizeof *m);
}

const char *agg_module_row_basis(const agg_module_row *r) {
    const char *basis = NULL;
    for (unsigned b = 0; b < KEY_BASIS_COUNT_; b++) {
        if (!r->keys_by_basis[b]) continue;
        const char *name = key_basis_name((key_bytes_basis)b);
        if (basis && strcmp(basis, name) != 0) return "mixed";
        basis = name;
    }
    return basis ? basis : "serialized-size";
}
