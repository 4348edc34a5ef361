/* sections_top.c: what the first screen of a report shows (sections.h):
 * memory after a restart and its parts, the heaviest prefixes and keys,
 * the findings that matter most; plus the helpers every table shares
 * (file names told apart, prefix rows worth a line). */
#include "report/sections.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rfmt.h"

#define CELL RFMT_CELL

/* ---- file names ----------------------------------------------------------- */

/* components (separated by '/') two paths share at their ends */
static size_t common_tail(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b), n = 0;
    while (la && lb && a[la - 1] == b[lb - 1]) {
        la--, lb--;
        if (a[la] == '/') n++;
    }
    if ((la == 0 || a[la - 1] == '/') && (lb == 0 || b[lb - 1] == '/')) n++;  /* a whole component */
    return n;
}

typedef struct byrev { const char *p; size_t i; } byrev;

static int rev_cmp(const void *x, const void *y) {
    const char *a = ((const byrev *)x)->p, *b = ((const byrev *)y)->p;
    size_t la = strlen(a), lb = strlen(b);
    while (la && lb) {
        unsigned char ca = (unsigned char)a[--la], cb = (unsigned char)b[--lb];
        if (ca != cb) return ca < cb ? -1 : 1;
    }
    return la < lb ? -1 : la > lb ? 1 : 0;
}

size_t *sec_file_name_offsets(const agg_summary *s) {
    size_t n = s->nfiles;
    size_t *off = calloc(n ? n : 1, sizeof *off);
    byrev *v = calloc(n ? n : 1, sizeof *v);
    if (!off || !v) {
        free(v);
        return off;  /* NULL, or whole paths */
    }
    for (size_t i = 0; i < n; i++) v[i] = (byrev){s->files[i].path, i};
    /* sorted by reversed path, a file's nearest look-alikes are its neighbours */
    qsort(v, n, sizeof *v, rev_cmp);
    for (size_t k = 0; k < n; k++) {
        size_t need = 1;
        if (k > 0) { size_t c = common_tail(v[k].p, v[k - 1].p) + 1; if (c > need) need = c; }
        if (k + 1 < n) { size_t c = common_tail(v[k].p, v[k + 1].p) + 1; if (c > need) need = c; }
        const char *p = v[k].p;
        size_t at = strlen(p), comps = 0;
        while (at > 0) {
            if (p[at - 1] == '/' && ++comps == need) break;
            at--;
        }
        off[v[k].i] = at;
    }
    free(v);
    return off;
}

/* ---- prefix rows worth a line ---------------------------------------------- */

bool sec_prefix_shown(const agg_summary *s, size_t i) {
    const agg_prefix_row *p = &s->prefixes[i];
    if (p->other) return true;
    /* one key: a key name, which the key tables show */
    if (p->keys == 1) return false;
    /* the same keys and bytes as a prefix above it: nothing new */
    for (size_t j = 0; j < s->nprefixes; j++) {
        const agg_prefix_row *q = &s->prefixes[j];
        if (j == i || q->other || q->depth >= p->depth || q->name_len > p->name_len) continue;
        if (memcmp(q->name, p->name, q->name_len) == 0 && q->keys == p->keys && q->bytes == p->bytes)
            return false;
    }
    return true;
}

/* ---- the first screen ------------------------------------------------------ */

void sec_memory(table *t, const agg_summary *s) {
    static const char *const h[] = {"part", "bytes", "share", "what"};
    table_init(t, "lrrl", h);
    const agg_memory *m = &s->memory;
    char b[CELL], p[CELL], note[CELL], x[CELL], y[CELL];
    const char *row[4] = {NULL, b, p, note};
#define ROW(label, v, ...)                                     \
    do {                                                       \
        rfmt_bytes(b, CELL, (v));                              \
        rfmt_pct(p, CELL, (v), m->used_memory);                \
        snprintf(note, CELL, __VA_ARGS__);                     \
        row[0] = (label);                                      \
        table_row(t, row);                                     \
    } while (0)
    ROW("keys", m->keys, "%s keys loaded, as allocated (MEMORY USAGE sum %s)",
        rfmt_count(x, CELL, m->keys_loaded), rfmt_bytes(y, CELL, m->memory_usage));
    ROW("startup", m->startup, "an empty server of the profile");
    ROW("key and expire tables", m->tables, "hash table buckets of the keyspace");
    if (m->functions) ROW("functions", m->functions, "libraries, Lua memory estimated");
    if (m->modules) ROW("modules", m->modules, "load overhead of the modules the values need");
    if (m->templates) ROW("hash templates", m->templates, "the template registry (estimate)");
    ROW("= used_memory", m->used_memory, "predicted, right after loading the dump");
#undef ROW
}

size_t sec_brief_prefixes(table *t, const agg_summary *s, size_t rows, unsigned key_width) {
    static const char *const h[] = {"Biggest prefixes", "keys", "bytes", "share", "no TTL", "types"};
    table_init(t, "lrrrrl", h);
    size_t n = 0, left = 0;
    for (size_t i = 0; i < s->nprefixes; i++) {
        const agg_prefix_row *p = &s->prefixes[i];
        if (p->other || !sec_prefix_shown(s, i)) continue;
        if (n == rows) { left++; continue; }
        char c[6][CELL];
        rfmt_key(c[0], CELL, p->name, p->name_len, key_width);
        rfmt_count(c[1], CELL, p->keys);
        rfmt_bytes(c[2], CELL, p->bytes);
        rfmt_pct(c[3], CELL, p->bytes, s->totals.bytes);
        rfmt_pct(c[4], CELL, p->bytes_no_ttl, p->bytes);
        sec_types_cell(c[5], CELL, p);
        const char *row[] = {c[0], c[1], c[2], c[3], c[4], c[5]};
        table_row(t, row);
        n++;
    }
    return left;
}

size_t sec_brief_keys(table *t, const agg_summary *s, size_t rows, unsigned key_width) {
    static const char *const h[] = {"Biggest keys", "bytes", "share", "type", "encoding", "size", "ttl"};
    table_init(t, "lrrllrr", h);
    const agg_key_list *l = &s->top_bytes;
    size_t n = l->n < rows ? l->n : rows;
    for (size_t i = 0; i < n; i++) {
        const key_record *r = &l->v[i].rec;
        char c[6][CELL], k[CELL], name[CELL + 32];
        rfmt_record_key(k, CELL, r, key_width);
        if (s->nfiles > 1 || r->db) snprintf(name, sizeof name, "db%" PRIu64 " %s", r->db, k);
        else snprintf(name, sizeof name, "%s", k);
        if (r->has_bytes) rfmt_bytes(c[1], CELL, r->bytes);
        else snprintf(c[1], CELL, "-");
        rfmt_pct(c[2], CELL, r->has_bytes ? r->bytes : 0, s->totals.bytes);
        sec_size_cell(c[3], CELL, r);
        sec_remaining(c[4], CELL, s, &l->v[i]);
        const char *row[] = {name, c[1], c[2], rdb_kind_name(r->type), r->encoding ? r->encoding : "-",
                             c[3], c[4]};
        table_row(t, row);
    }
    return l->n - n;
}

char *sec_size_cell(char *buf, size_t cap, const key_record *r) {
    char n[CELL];
    if (r->type == RDB_KIND_STRING) snprintf(buf, cap, "%s long", rfmt_bytes(n, CELL, r->elements));
    else if (r->type == RDB_KIND_MODULE) snprintf(buf, cap, "-");
    else snprintf(buf, cap, "%s el.", rfmt_count(n, CELL, r->elements));
    return buf;
}

char *sec_remaining(char *buf, size_t cap, const agg_summary *s, const agg_key *e) {
    if (!e->rec.has_expire) {
        snprintf(buf, cap, "-");
        return buf;
    }
    int64_t ref = e->file < s->nfiles ? s->files[e->file].reference_ms : s->reference_ms;
    int64_t left = e->rec.expire_ms <= ref ? 0 : (int64_t)((uint64_t)e->rec.expire_ms - (uint64_t)ref);
    return rfmt_remaining(buf, cap, left);
}

uint64_t sec_total_saving(const agg_summary *s, size_t *nfindings) {
    uint64_t sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < s->nfindings; i++)
        if (s->findings[i].has_saving) sum += s->findings[i].saving, n++;
    if (nfindings) *nfindings = n;
    return sum;
}
