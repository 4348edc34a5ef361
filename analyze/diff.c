/* diff.c: see diff.h. Rows are built as the union of both sides' rows,
 * then sorted by |byte delta| (largest first; unknown deltas last; ties
 * in the section's natural order: db, type, encoding, bucket, prefix). */
#include "analyze/diff.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/agg_prefix.h"

int64_t diff_delta(const diff_val *v) {
    if (v->new_ >= v->old) {
        uint64_t d = v->new_ - v->old;
        return d > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)d;
    }
    uint64_t d = v->old - v->new_;
    return d > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)d;
}

static uint64_t abs_delta(const diff_val *v) {
    if (!v->has_old || !v->has_new) return 0;
    return v->new_ > v->old ? v->new_ - v->old : v->old - v->new_;
}

/* rows keep their natural order in 'ord' for ties */
typedef struct ordered {
    diff_row r;
    size_t ord;
} ordered;

/* Values known on both sides first, then the larger change first; 0 on a tie. */
static int by_bytes_delta(const diff_val *x, const diff_val *y) {
    bool kx = x->has_old && x->has_new, ky = y->has_old && y->has_new;
    if (kx != ky) return kx ? -1 : 1;
    uint64_t dx = abs_delta(x), dy = abs_delta(y);
    return dx != dy ? (dx > dy ? -1 : 1) : 0;
}

static int by_delta(const void *a, const void *b) {
    const ordered *x = a, *y = b;
    int c = by_bytes_delta(&x->r.bytes, &y->r.bytes);
    if (c) return c;
    if (x->r.keys.has_old && x->r.keys.has_new && y->r.keys.has_old && y->r.keys.has_new) {
        uint64_t kx2 = abs_delta(&x->r.keys), ky2 = abs_delta(&y->r.keys);
        if (kx2 != ky2) return kx2 > ky2 ? -1 : 1;
    }
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* Sorts v (n rows in natural order) by delta and keeps the first 'limit'. */
static int finish_rows(diff_rows *out, ordered *v, size_t n, size_t limit) {
    if (n > 1) qsort(v, n, sizeof *v, by_delta);
    if (n > limit) n = limit;
    out->v = malloc((n ? n : 1) * sizeof *out->v);
    if (!out->v) return -1;
    for (size_t i = 0; i < n; i++) out->v[i] = v[i].r;
    out->n = n;
    return 0;
}

static diff_val both(uint64_t o, uint64_t n) { return (diff_val){true, true, o, n}; }

static int build_dbs(diff_result *d) {
    const agg_summary *o = d->old.s, *n = d->new_.s;
    ordered *v = calloc(o->ndbs + n->ndbs + 1, sizeof *v);
    if (!v) return -1;
    size_t i = 0, j = 0, k = 0;
    while (i < o->ndbs || j < n->ndbs) {   /* both ascending by db */
        const agg_db_row *a = i < o->ndbs ? &o->dbs[i] : NULL, *b = j < n->ndbs ? &n->dbs[j] : NULL;
        if (a && (!b || a->db < b->db)) b = NULL;
        else if (b && (!a || b->db < a->db)) a = NULL;
        v[k].r.db = a ? a->db : b->db;
        v[k].r.keys = both(a ? a->keys : 0, b ? b->keys : 0);
        v[k].r.bytes = both(a ? a->bytes : 0, b ? b->bytes : 0);
        v[k].ord = k;
        k++;
        if (a) i++;
        if (b) j++;
    }
    int rc = finish_rows(&d->dbs, v, k, SIZE_MAX);
    free(v);
    return rc;
}

static int build_types(diff_result *d) {
    ordered v[RDB_KIND_COUNT_];
    size_t k = 0;
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        const agg_type_row *a = &d->old.s->types[t], *b = &d->new_.s->types[t];
        if (!a->keys && !b->keys) continue;
        memset(&v[k], 0, sizeof v[k]);
        v[k].r.type = (rdb_kind)t;
        v[k].r.keys = both(a->keys, b->keys);
        v[k].r.bytes = both(a->bytes, b->bytes);
        v[k].ord = k;
        k++;
    }
    return finish_rows(&d->types, v, k, SIZE_MAX);
}

static bool same_enc(const agg_enc_row *a, const agg_enc_row *b) {
    if (a->type != b->type) return false;
    if (!a->encoding || !b->encoding) return a->encoding == b->encoding;
    return !strcmp(a->encoding, b->encoding);
}

static int build_encodings(diff_result *d) {
    const agg_summary *o = d->old.s, *n = d->new_.s;
    ordered *v = calloc(o->nencs + n->nencs + 1, sizeof *v);
    if (!v) return -1;
    size_t k = 0;
    for (size_t i = 0; i < o->nencs; i++) {
        const agg_enc_row *a = &o->encs[i], *b = NULL;
        for (size_t j = 0; j < n->nencs && !b; j++)
            if (same_enc(a, &n->encs[j])) b = &n->encs[j];
        v[k].r.type = a->type;
        v[k].r.encoding = a->encoding;
        v[k].r.keys = both(a->keys, b ? b->keys : 0);
        v[k].r.bytes = both(a->bytes, b ? b->bytes : 0);
        v[k].ord = k;
        k++;
    }
    for (size_t j = 0; j < n->nencs; j++) {
        bool seen = false;
        for (size_t i = 0; i < o->nencs && !seen; i++) seen = same_enc(&o->encs[i], &n->encs[j]);
        if (seen) continue;
        v[k].r.type = n->encs[j].type;
        v[k].r.encoding = n->encs[j].encoding;
        v[k].r.keys = both(0, n->encs[j].keys);
        v[k].r.bytes = both(0, n->encs[j].bytes);
        v[k].ord = k;
        k++;
    }
    int rc = finish_rows(&d->encodings, v, k, SIZE_MAX);
    free(v);
    return rc;
}

static int build_ttl(diff_result *d) {
    ordered v[AGG_TTL_COUNT_];
    for (unsigned b = 0; b < AGG_TTL_COUNT_; b++) {
        memset(&v[b], 0, sizeof v[b]);
        v[b].r.name = agg_ttl_bucket_name(b);
        v[b].r.keys = both(d->old.s->ttl[b].keys, d->new_.s->ttl[b].keys);
        v[b].r.bytes = both(d->old.s->ttl[b].bytes, d->new_.s->ttl[b].bytes);
        v[b].ord = b;
    }
    return finish_rows(&d->ttl, v, AGG_TTL_COUNT_, SIZE_MAX);
}

/* ---- prefixes: the union of two tables' nodes, joined on (depth, other, name) */

static int cmp_node(const agg_prefix_row *a, const agg_prefix_row *b) {
    if (a->depth != b->depth) return a->depth < b->depth ? -1 : 1;
    if (a->other != b->other) return a->other ? 1 : -1;
    size_t m = a->name_len < b->name_len ? a->name_len : b->name_len;
    int c = memcmp(a->name, b->name, m);
    if (c) return c;
    return a->name_len < b->name_len ? -1 : a->name_len > b->name_len;
}

static int cmp_node_ptr(const void *a, const void *b) {
    return cmp_node(*(const agg_prefix_row *const *)a, *(const agg_prefix_row *const *)b);
}

/* every node of a summary's table, sorted; *out malloc'd */
static int table_nodes(const agg_summary *s, const agg_prefix_row ***out, size_t *n) {
    const agg_prefix *p = s->prefix_table;
    size_t live = p ? agg_prefix_nodes(p) : 0, k = 0;
    const agg_prefix_row **v = malloc((live + AGG_PREFIX_MAX_DEPTH + 1) * sizeof *v);
    if (!v) return -1;
    for (size_t i = 0; i < live; i++) v[k++] = agg_prefix_node(p, i);
    for (unsigned dep = 1; p && dep <= AGG_PREFIX_MAX_DEPTH; dep++) {
        const agg_prefix_row *o = agg_prefix_other(p, dep);
        if (o && o->keys) v[k++] = o;
    }
    if (k > 1) qsort(v, k, sizeof *v, cmp_node_ptr);
    *out = v;
    *n = k;
    return 0;
}

static int build_prefixes(diff_result *d, size_t limit) {
    const agg_prefix_row **a = NULL, **b = NULL;
    size_t na = 0, nb = 0;
    if (table_nodes(d->old.s, &a, &na) < 0 || table_nodes(d->new_.s, &b, &nb) < 0) {
        free(a);
        return -1;
    }
    ordered *v = calloc(na + nb + 1, sizeof *v);
    int rc = -1;
    if (v) {
        size_t i = 0, j = 0, k = 0;
        while (i < na || j < nb) {
            const agg_prefix_row *x = i < na ? a[i] : NULL, *y = j < nb ? b[j] : NULL;
            int c = !x ? 1 : !y ? -1 : cmp_node(x, y);
            if (c < 0) y = NULL;
            if (c > 0) x = NULL;
            const agg_prefix_row *r = x ? x : y;
            diff_row *row = &v[k].r;
            row->prefix = r->name;
            row->prefix_len = r->name_len;
            row->depth = r->depth;
            row->other = r->other;
            row->keys = (diff_val){x || d->old.prefixes_complete, y || d->new_.prefixes_complete,
                                   x ? x->keys : 0, y ? y->keys : 0};
            row->bytes = (diff_val){row->keys.has_old, row->keys.has_new, x ? x->bytes : 0, y ? y->bytes : 0};
            v[k].ord = k;
            k++;
            if (x) i++;
            if (y) j++;
        }
        rc = finish_rows(&d->prefixes, v, k, limit);
    }
    free(v);
    free(a);
    free(b);
    return rc;
}

/* ---- top changes ---------------------------------------------------------- */

static bool same_key(uint64_t db, const uint8_t *k, size_t n, const key_record *r) {
    return r->db == db && r->key_len == n && memcmp(r->key, k, n) == 0;
}

static const agg_key *in_list(const agg_key_list *l, uint64_t db, const uint8_t *k, size_t n) {
    for (size_t i = 0; i < l->n; i++)
        if (same_key(db, k, n, &l->v[i].rec)) return &l->v[i];
    return NULL;
}

int diff_missing(const agg_summary *side, const agg_summary *other, const key_record ***out, size_t *n) {
    *n = 0;
    *out = malloc((other->top_bytes.n + 1) * sizeof **out);
    if (!*out) return -1;
    for (size_t i = 0; i < other->top_bytes.n; i++) {
        const key_record *r = &other->top_bytes.v[i].rec;
        if (!in_list(&side->top_bytes, r->db, r->key, r->key_len)) (*out)[(*n)++] = r;
    }
    return 0;
}

static const diff_found *found_of(const diff_found *f, size_t n, const key_record *r) {
    for (size_t i = 0; i < n; i++)
        if (f[i].db == r->db && f[i].key_len == r->key_len && !memcmp(f[i].key, r->key, r->key_len))
            return &f[i];
    return NULL;
}

static const char *status_of(const diff_val *v) {
    if (v->has_old && v->has_new) return v->new_ >= v->old ? "grown" : "shrunk";
    return v->has_new ? "entered_top" : "left_top";
}

typedef struct ochange {
    diff_change c;
    size_t ord;
} ochange;

static int by_change(const void *a, const void *b) {
    const ochange *x = a, *y = b;
    int c = by_bytes_delta(&x->c.bytes, &y->c.bytes);
    if (c) return c;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* From the two top lists (no churn): the union, each with the other
 * side's value from its list, a targeted pass, or unknown. */
static int changes_from_tops(diff_result *d, size_t limit, const diff_found *fo, size_t nfo,
                             const diff_found *fn, size_t nfn) {
    const agg_key_list *lo = &d->old.s->top_bytes, *ln = &d->new_.s->top_bytes;
    ochange *v = calloc(lo->n + ln->n + 1, sizeof *v);
    if (!v) return -1;
    size_t k = 0;
    for (size_t i = 0; i < ln->n; i++) {   /* new's keys, in its order */
        const key_record *r = &ln->v[i].rec;
        const agg_key *o = in_list(lo, r->db, r->key, r->key_len);
        diff_change *c = &v[k].c;
        c->db = r->db;
        c->key = r->key;
        c->key_len = r->key_len;
        c->key_full_len = r->key_full_len;
        c->type = r->type;
        c->bytes.has_new = true;
        c->bytes.new_ = r->has_bytes ? r->bytes : 0;
        const diff_found *f = o ? NULL : found_of(fo, nfo, r);
        if (o) {
            c->bytes.has_old = true;
            c->bytes.old = o->rec.has_bytes ? o->rec.bytes : 0;
            c->status = status_of(&c->bytes);
        } else if (f && f->found) {
            c->bytes.has_old = true;
            c->bytes.old = f->bytes;
            c->status = status_of(&c->bytes);
        } else if (f) {
            c->bytes.has_old = true;   /* looked up and not there */
            c->status = "added";
        } else {
            c->status = status_of(&c->bytes);
        }
        v[k].ord = k;
        k++;
    }
    for (size_t i = 0; i < lo->n; i++) {   /* old's keys new's list lacks */
        const key_record *r = &lo->v[i].rec;
        if (in_list(ln, r->db, r->key, r->key_len)) continue;
        diff_change *c = &v[k].c;
        c->db = r->db;
        c->key = r->key;
        c->key_len = r->key_len;
        c->key_full_len = r->key_full_len;
        c->type = r->type;
        c->bytes.has_old = true;
        c->bytes.old = r->has_bytes ? r->bytes : 0;
        const diff_found *f = found_of(fn, nfn, r);
        if (f && f->found) {
            c->bytes.has_new = true;
            c->bytes.new_ = f->bytes;
            c->status = status_of(&c->bytes);
        } else if (f) {
            c->bytes.has_new = true;
            c->status = "removed";
        } else {
            c->status = status_of(&c->bytes);
        }
        v[k].ord = k;
        k++;
    }
    /* unchanged keys are no change */
    size_t u = 0;
    for (size_t i = 0; i < k; i++) {
        const diff_val *b = &v[i].c.bytes;
        if (b->has_old && b->has_new && b->old == b->new_ && strcmp(v[i].c.status, "added") &&
            strcmp(v[i].c.status, "removed"))
            continue;
        v[u++] = v[i];
    }
    k = u;
    if (k > 1) qsort(v, k, sizeof *v, by_change);
    if (k > limit) k = limit;
    d->changes = malloc((k ? k : 1) * sizeof *d->changes);
    if (!d->changes) {
        free(v);
        return -1;
    }
    for (size_t i = 0; i < k; i++) d->changes[i] = v[i].c;
    d->nchanges = k;
    d->changes_from = "top keys";
    free(v);
    return 0;
}

static int changes_from_churn(diff_result *d, size_t limit, const churn_mover *m, size_t n) {
    if (n > limit) n = limit;
    d->changes = malloc((n ? n : 1) * sizeof *d->changes);
    if (!d->changes) return -1;
    for (size_t i = 0; i < n; i++) {
        diff_change *c = &d->changes[i];
        memset(c, 0, sizeof *c);
        c->db = m[i].db;
        c->key = m[i].key;
        c->key_len = m[i].key_len;
        c->key_full_len = m[i].key_full_len;
        c->type = m[i].type;
        c->bytes = (diff_val){true, true, m[i].has_old ? m[i].old_bytes : 0, m[i].has_new ? m[i].new_bytes : 0};
        c->status = !m[i].has_old ? "added" : !m[i].has_new ? "removed"
                    : m[i].new_bytes >= m[i].old_bytes ? "grown" : "shrunk";
    }
    d->nchanges = n;
    d->changes_from = "all keys";
    return 0;
}

int diff_compute(diff_result *d, const diff_side *old, const diff_side *new_, size_t rows,
                 const churn_counts *counts, const churn_mover *movers, size_t nmovers,
                 const diff_found *fo, size_t nfo, const diff_found *fn, size_t nfn) {
    memset(d, 0, sizeof *d);
    d->old = *old;
    d->new_ = *new_;
    const agg_totals *a = &old->s->totals, *b = &new_->s->totals;
    d->keys = both(a->keys, b->keys);
    d->bytes = both(a->bytes, b->bytes);
    d->predicted_used_memory = (diff_val){a->has_predicted_used_memory, b->has_predicted_used_memory,
                                          a->predicted_used_memory, b->predicted_used_memory};
    if (counts) {
        d->has_churn = true;
        d->churn = *counts;
    }
    if (build_dbs(d) < 0 || build_types(d) < 0 || build_encodings(d) < 0 || build_ttl(d) < 0 ||
        build_prefixes(d, rows) < 0)
        goto oom;
    if (movers ? changes_from_churn(d, rows, movers, nmovers) < 0
               : changes_from_tops(d, rows, fo, nfo, fn, nfn) < 0)
        goto oom;
    return 0;
oom:
    d->oom = true;
    return -1;
}

void diff_free(diff_result *d) {
    free(d->dbs.v);
    free(d->types.v);
    free(d->encodings.v);
    free(d->ttl.v);
    free(d->prefixes.v);
    free(d->changes);
    memset(d, 0, sizeof *d);
}
