/* sections.c: the tables shared by the text and markdown reports. Cells
 * are humanized (binary units, thousands separators, percentages of the
 * total); the exact integers are in the JSON report. */
#include "report/sections.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report/rfmt.h"

#define CELL RFMT_CELL

static size_t shown(size_t have, size_t rows) { return have < rows ? have : rows; }

size_t sec_files(table *t, const agg_summary *s, size_t rows) {
    static const char *const h[] = {"file", "size", "rdb", "status", "keys", "bytes", "with TTL", "expired"};
    table_init(t, "lrrlrrrr", h);
    size_t n = shown(s->nfiles, rows);
    for (size_t i = 0; i < n; i++) {
        const agg_file *f = &s->files[i];
        char c[8][CELL];
        rfmt_key(c[0], CELL, (const uint8_t *)f->path, strlen(f->path), 40);
        rfmt_bytes(c[1], CELL, f->size);
        if (f->have_header) snprintf(c[2], CELL, "%u", f->rdb_version);
        else snprintf(c[2], CELL, "-");
        snprintf(c[3], CELL, "%s", !f->have_result ? "?" : f->unreadable ? "unreadable"
                                   : f->complete ? "complete" : "truncated");
        rfmt_count(c[4], CELL, f->totals.keys);
        rfmt_bytes(c[5], CELL, f->totals.bytes);
        rfmt_count(c[6], CELL, f->totals.keys_with_ttl);
        rfmt_count(c[7], CELL, f->totals.keys_expired);
        const char *row[] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
        table_row(t, row);
    }
    return s->nfiles - n;
}

static void keys_bytes(char *buf, size_t cap, uint64_t keys, uint64_t bytes, const agg_totals *tot) {
    char k[CELL], kp[CELL], b[CELL], bp[CELL];
    snprintf(buf, cap, "%s %s (%s), %s (%s)", rfmt_count(k, CELL, keys), keys == 1 ? "key" : "keys",
             rfmt_pct(kp, CELL, keys, tot->keys), rfmt_bytes(b, CELL, bytes),
             rfmt_pct(bp, CELL, bytes, tot->bytes));
}

void sec_totals(table *t, const agg_summary *s) {
    static const char *const h[] = {"total", "value"};
    table_init(t, "ll", h);
    const agg_totals *tt = &s->totals;
    char v[CELL], x[CELL];
    const char *row[2];
#define ROW(label) (row[0] = (label), row[1] = v, table_row(t, row))
    rfmt_count(v, CELL, tt->keys);
    ROW("keys");
    rfmt_bytes(v, CELL, tt->bytes);
    if (tt->keys_unmodelled) {
        size_t l = strlen(v);
        snprintf(v + l, CELL - l, " (%s %s without a model)", rfmt_count(x, CELL, tt->keys_unmodelled),
                 tt->keys_unmodelled == 1 ? "key" : "keys");
    }
    ROW("bytes (memory usage)");
    if (tt->keys_module) {
        sec_basis_line(v, CELL, tt);
        ROW("bytes rest on");
    }
    if (tt->has_predicted_used_memory) rfmt_bytes(v, CELL, tt->predicted_used_memory);
    else snprintf(v, CELL, "-");
    ROW("predicted used_memory");
    if (tt->has_aux_used_mem) rfmt_bytes(v, CELL, tt->aux_used_mem);
    else snprintf(v, CELL, "-");
    ROW("used-mem in the dump");
    rfmt_count(v, CELL, tt->elements);
    ROW("elements");
    keys_bytes(v, CELL, tt->keys_with_ttl, tt->bytes_with_ttl, tt);
    ROW("with TTL");
    keys_bytes(v, CELL, tt->keys - tt->keys_with_ttl, tt->bytes - tt->bytes_with_ttl, tt);
    ROW("without TTL");
    keys_bytes(v, CELL, tt->keys_expired, tt->bytes_expired, tt);
    ROW("already expired");
#undef ROW
}

size_t sec_by_db(table *t, const agg_summary *s, size_t rows) {
    static const char *const h[] = {"db", "keys", "keys %", "bytes", "bytes %", "elements"};
    table_init(t, "rrrrrr", h);
    size_t n = shown(s->ndbs, rows);
    for (size_t i = 0; i < n; i++) {
        const agg_db_row *d = &s->dbs[i];
        char c[6][CELL];
        if (d->db == UINT64_MAX) snprintf(c[0], CELL, "(other)");
        else snprintf(c[0], CELL, "%" PRIu64, d->db);
        rfmt_count(c[1], CELL, d->keys);
        rfmt_pct(c[2], CELL, d->keys, s->totals.keys);
        rfmt_bytes(c[3], CELL, d->bytes);
        rfmt_pct(c[4], CELL, d->bytes, s->totals.bytes);
        rfmt_count(c[5], CELL, d->elements);
        const char *row[] = {c[0], c[1], c[2], c[3], c[4], c[5]};
        table_row(t, row);
    }
    return s->ndbs - n;
}

size_t sec_by_type(table *t, const agg_summary *s) {
    static const char *const h[] = {"type", "keys", "keys %", "bytes", "bytes %", "elements"};
    table_init(t, "lrrrrr", h);
    for (unsigned k = 0; k < RDB_KIND_COUNT_; k++) {
        const agg_type_row *r = &s->types[k];
        if (!r->keys) continue;
        char c[5][CELL];
        rfmt_count(c[0], CELL, r->keys);
        rfmt_pct(c[1], CELL, r->keys, s->totals.keys);
        rfmt_bytes(c[2], CELL, r->bytes);
        rfmt_pct(c[3], CELL, r->bytes, s->totals.bytes);
        rfmt_count(c[4], CELL, r->elements);
        const char *row[] = {rdb_kind_name(r->type), c[0], c[1], c[2], c[3], c[4]};
        table_row(t, row);
    }
    return 0;
}

size_t sec_type_sizes(table *t, const agg_summary *s) {
    static const char *const h[] = {"type", "bytes p50", "p90", "p99", "max",
                                    "elements p50", "p90", "p99", "max"};
    table_init(t, "lrrrrrrrr", h);
    for (unsigned k = 0; k < RDB_KIND_COUNT_; k++) {
        const agg_type_row *r = &s->types[k];
        if (!r->keys) continue;
        char c[8][CELL];
        rfmt_bytes(c[0], CELL, r->bytes_p50);
        rfmt_bytes(c[1], CELL, r->bytes_p90);
        rfmt_bytes(c[2], CELL, r->bytes_p99);
        rfmt_bytes(c[3], CELL, r->bytes_max);
        rfmt_count(c[4], CELL, r->elements_p50);
        rfmt_count(c[5], CELL, r->elements_p90);
        rfmt_count(c[6], CELL, r->elements_p99);
        rfmt_count(c[7], CELL, r->elements_max);
        const char *row[] = {rdb_kind_name(r->type), c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
        table_row(t, row);
    }
    return 0;
}

size_t sec_by_encoding(table *t, const agg_summary *s, size_t rows) {
    static const char *const h[] = {"type", "encoding", "keys", "keys %", "bytes", "bytes %", "elements"};
    table_init(t, "llrrrrr", h);
    size_t n = shown(s->nencs, rows);
    for (size_t i = 0; i < n; i++) {
        const agg_enc_row *e = &s->encs[i];
        char c[5][CELL];
        rfmt_count(c[0], CELL, e->keys);
        rfmt_pct(c[1], CELL, e->keys, s->totals.keys);
        rfmt_bytes(c[2], CELL, e->bytes);
        rfmt_pct(c[3], CELL, e->bytes, s->totals.bytes);
        rfmt_count(c[4], CELL, e->elements);
        const char *row[] = {rdb_kind_name(e->type), e->encoding ? e->encoding : "-",
                             c[0], c[1], c[2], c[3], c[4]};
        table_row(t, row);
    }
    return s->nencs - n;
}

size_t sec_ttl(table *t, const agg_summary *s) {
    static const char *const h[] = {"remaining", "keys", "keys %", "bytes", "bytes %"};
    table_init(t, "lrrrr", h);
    for (unsigned b = 0; b < AGG_TTL_COUNT_; b++) {
        char c[4][CELL];
        rfmt_count(c[0], CELL, s->ttl[b].keys);
        rfmt_pct(c[1], CELL, s->ttl[b].keys, s->totals.keys);
        rfmt_bytes(c[2], CELL, s->ttl[b].bytes);
        rfmt_pct(c[3], CELL, s->ttl[b].bytes, s->totals.bytes);
        const char *row[] = {s->ttl[b].name, c[0], c[1], c[2], c[3]};
        table_row(t, row);
    }
    return 0;
}

static char *remaining(char *buf, size_t cap, const agg_summary *s, const agg_key *e) {
    if (!e->rec.has_expire) {
        snprintf(buf, cap, "-");
        return buf;
    }
    int64_t ref = e->file < s->nfiles ? s->files[e->file].reference_ms : s->reference_ms;
    int64_t left = e->rec.expire_ms <= ref ? 0 : (int64_t)((uint64_t)e->rec.expire_ms - (uint64_t)ref);
    return rfmt_remaining(buf, cap, left);
}

size_t sec_keys(table *t, const agg_summary *s, const agg_key_list *l, size_t rows, unsigned key_width) {
    static const char *const h[] = {"#", "db", "key", "type", "encoding", "bytes", "elements",
                                    "largest", "ttl"};
    table_init(t, "rrlllrrrr", h);
    size_t n = shown(l->n, rows);
    for (size_t i = 0; i < n; i++) {
        const key_record *r = &l->v[i].rec;
        char c[8][CELL];
        snprintf(c[0], CELL, "%zu", i + 1);
        snprintf(c[1], CELL, "%" PRIu64, r->db);
        rfmt_record_key(c[2], CELL, r, key_width);
        if (r->has_bytes) rfmt_bytes(c[3], CELL, r->bytes);
        else snprintf(c[3], CELL, "-");
        rfmt_count(c[4], CELL, r->elements);
        rfmt_bytes(c[5], CELL, r->largest);
        remaining(c[6], CELL, s, &l->v[i]);
        const char *row[] = {c[0], c[1], c[2], rdb_kind_name(r->type),
                             r->encoding ? r->encoding : "-", c[3], c[4], c[5], c[6]};
        table_row(t, row);
    }
    return l->n - n;
}

/* "hash 80%, string 15%, list 5%": every type under the prefix, most
 * bytes first */
static void types_cell(char *buf, size_t cap, const agg_prefix_row *p) {
    int order[RDB_KIND_COUNT_], n = 0;
    for (int k = 0; k < RDB_KIND_COUNT_; k++) {
        if (!p->type_bytes[k]) continue;
        int i = n++;
        while (i > 0 && p->type_bytes[order[i - 1]] < p->type_bytes[k]) order[i] = order[i - 1], i--;
        order[i] = k;
    }
    if (n == 0) {
        snprintf(buf, cap, "-");
        return;
    }
    if (n == 1) {
        snprintf(buf, cap, "%s", rdb_kind_name((rdb_kind)order[0]));
        return;
    }
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && o < cap; i++) {
        char pct[CELL];
        o += (size_t)snprintf(buf + o, cap - o, "%s%s %s", i ? ", " : "", rdb_kind_name((rdb_kind)order[i]),
                              rfmt_pct(pct, CELL, p->type_bytes[order[i]], p->bytes));
    }
}

size_t sec_prefixes(table *t, const agg_summary *s, size_t rows, unsigned key_width) {
    static const char *const h[] = {"prefix", "depth", "keys", "bytes", "bytes %", "no TTL",
                                    "types"};
    table_init(t, "lrrrrrl", h);
    size_t n = shown(s->nprefixes, rows);
    for (size_t i = 0; i < n; i++) {
        const agg_prefix_row *p = &s->prefixes[i];
        char c[7][CELL];
        if (p->other) snprintf(c[0], CELL, "(other)");
        else rfmt_key(c[0], CELL, p->name, p->name_len, key_width);
        snprintf(c[1], CELL, "%u", p->depth);
        rfmt_count(c[2], CELL, p->keys);
        rfmt_bytes(c[3], CELL, p->bytes);
        rfmt_pct(c[4], CELL, p->bytes, s->totals.bytes);
        rfmt_pct(c[5], CELL, p->bytes_no_ttl, p->bytes);
        types_cell(c[6], CELL, p);
        const char *row[] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6]};
        table_row(t, row);
    }
    return s->nprefixes - n;
}

char *sec_subject(char *buf, size_t cap, const agg_finding *f, unsigned key_width) {
    char k[CELL];
    switch (f->subject_kind) {
    case AGG_SUBJECT_KEY:
        snprintf(buf, cap, "db%" PRIu64 " %s", f->key->rec.db,
                 rfmt_record_key(k, CELL, &f->key->rec, key_width));
        break;
    case AGG_SUBJECT_PREFIX:
        snprintf(buf, cap, "prefix %s", rfmt_key(k, CELL, f->subject, f->subject_len, key_width));
        break;
    case AGG_SUBJECT_FILE:
        snprintf(buf, cap, "file %s", rfmt_key(k, CELL, f->subject, f->subject_len, key_width));
        break;
    default:
        snprintf(buf, cap, "%s", f->text);
        break;
    }
    return buf;
}

/* is this evidence field a byte size? */
static bool is_size(const char *name) {
    return strstr(name, "bytes") != NULL || strcmp(name, "largest") == 0;
}

char *sec_evidence(char *buf, size_t cap, const agg_finding *f) {
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < f->nev && len + 1 < cap; i++) {
        const agg_evidence *e = &f->ev[i];
        char v[CELL];
        if (strcmp(e->name, "db") == 0 && f->subject_kind == AGG_SUBJECT_KEY) continue;
        switch (e->kind) {
        case AGG_EV_U64:
            if (is_size(e->name)) rfmt_bytes(v, CELL, e->u);
            else rfmt_count(v, CELL, e->u);
            break;
        case AGG_EV_I64:
            if (strstr(e->name, "time_ms")) rfmt_iso(v, CELL, e->i);
            else snprintf(v, CELL, "%" PRId64, e->i);
            break;
        case AGG_EV_PCT: snprintf(v, CELL, "%.1f%%", e->pct); break;
        default: snprintf(v, CELL, "%s", e->s ? e->s : ""); break;
        }
        int w = snprintf(buf + len, cap - len, "%s%s=%s", len ? " " : "", e->name, v);
        if (w < 0) break;
        len += (size_t)w;
        if (len >= cap) len = cap - 1;
    }
    return buf;
}

size_t sec_findings(table *t, const agg_summary *s, size_t rows, unsigned key_width) {
    static const char *const h[] = {"severity", "kind", "subject", "evidence", "suggestion"};
    table_init(t, "lllll", h);
    size_t n = shown(s->nfindings, rows);
    for (size_t i = 0; i < n; i++) {
        const agg_finding *f = &s->findings[i];
        char subj[CELL * 2], ev[1024];
        sec_subject(subj, sizeof subj, f, key_width);
        sec_evidence(ev, sizeof ev, f);
        const char *row[] = {f->severity, f->kind, subj, ev, f->suggestion};
        table_row(t, row);
    }
    return s->nfindings - n;
}

char *sec_file_line(char *buf, size_t cap, const agg_file *f) {
    const char *ver = NULL;
    size_t vlen = 0;
    for (size_t i = 0; i < f->naux; i++) {
        if ((f->aux[i].key_len == 9 && memcmp(f->aux[i].key, "redis-ver", 9) == 0) ||
            (f->aux[i].key_len == 10 && memcmp(f->aux[i].key, "valkey-ver", 10) == 0)) {
            ver = (const char *)f->aux[i].val;
            vlen = f->aux[i].val_len;
        }
    }
    char sz[CELL], v[CELL];
    const char *cs = !f->have_checksum ? "checksum not reached"
                     : f->checksum == RDB_CHECKSUM_OK ? "checksum ok"
                     : f->checksum == RDB_CHECKSUM_MISMATCH ? "CHECKSUM MISMATCH"
                     : f->checksum == RDB_CHECKSUM_DISABLED ? "checksum disabled"
                                                            : "no checksum (RDB < 5)";
    if (ver) rfmt_key(v, CELL, (const uint8_t *)ver, vlen, 20);
    if (f->unreadable) {
        snprintf(buf, cap, "UNREADABLE: %s", f->error_message);
        return buf;
    }
    int n = snprintf(buf, cap, "%s, %s, %s%s, %s", rfmt_bytes(sz, CELL, f->size),
                     f->have_header ? f->magic : "no header", ver ? "server " : "",
                     ver ? v : "server version unknown", cs);
    if (n < 0 || (size_t)n >= cap) return buf;
    if (f->have_result && !f->complete)
        snprintf(buf + n, cap - (size_t)n, ", TRUNCATED at offset %" PRIu64 ": %s", f->error_offset,
                 f->error_message);
    else
        snprintf(buf + n, cap - (size_t)n, f->have_result ? ", complete" : ", parse status unknown");
    return buf;
}

bool sec_file_bad(const agg_file *f) {
    return f->unreadable || (f->have_result && !f->complete) ||
           (f->have_checksum && f->checksum == RDB_CHECKSUM_MISMATCH);
}

char *sec_aof_line(char *buf, size_t cap, const agg_file *f) {
    const agg_aof *x = &f->aof;
    if (!x->present) return NULL;
    char b[CELL], c[CELL], ib[CELL], ic[CELL];
    rfmt_bytes(b, CELL, x->tail_bytes);
    if (x->tail_commands_known) rfmt_count(c, CELL, x->tail_commands);
    else snprintf(c, CELL, "an unknown number of");
    int n = snprintf(buf, cap, "the RDB part only: %s (%s commands) of AOF after it", b, c);
    if (n > 0 && (size_t)n < cap && x->incr_files) {
        rfmt_bytes(ib, CELL, x->incr_bytes);
        if (x->incr_commands_known) rfmt_count(ic, CELL, x->incr_commands);
        else snprintf(ic, CELL, "an unknown number of");
        char nf[CELL];
        snprintf(buf + n, cap - (size_t)n, " and %s incremental AOF file%s (%s, %s commands)",
                 rfmt_count(nf, CELL, x->incr_files), x->incr_files == 1 ? "" : "s", ib, ic);
    }
    size_t l = strlen(buf);
    snprintf(buf + l, cap - l, " not applied");
    return buf;
}
