/* sections.c: the tables shared by the text and markdown reports. Cells
 * are humanized (binary units, thousands separators, percentages of the
 * total); the exact integers are in the JSON report. */
#include "report/sections.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rfmt.h"

#define CELL RFMT_CELL

static size_t shown(size_t have, size_t rows) { return have < rows ? have : rows; }

/* Every file, whatever --rows says: a file left out would hide a shard,
 * or a truncated one. */
size_t sec_files(table *t, const agg_summary *s, size_t rows) {
    (void)rows;
    static const char *const h[] = {"file", "size", "rdb", "status", "profile", "keys", "bytes",
                                    "used_memory", "expired"};
    table_init(t, "lrrllrrrr", h);
    size_t *off = sec_file_name_offsets(s);
    for (size_t i = 0; i < s->nfiles; i++) {
        const agg_file *f = &s->files[i];
        char c[9][CELL];
        const char *name = f->path + (off ? off[i] : 0);
        rfmt_key(c[0], CELL, (const uint8_t *)name, strlen(name), 40);
        rfmt_bytes(c[1], CELL, f->size);
        if (f->have_header) snprintf(c[2], CELL, "%u", f->rdb_version);
        else snprintf(c[2], CELL, "-");
        snprintf(c[3], CELL, "%s", !f->have_result ? "?" : f->unreadable ? "unreadable"
                                   : !f->complete ? "TRUNCATED"
                                   : f->have_checksum && f->checksum == RDB_CHECKSUM_MISMATCH ? "CHECKSUM MISMATCH"
                                                                                             : "complete");
        snprintf(c[4], CELL, "%s", f->profile[0] ? f->profile : "-");
        rfmt_count(c[5], CELL, f->totals.keys);
        rfmt_bytes(c[6], CELL, f->totals.bytes);
        if (f->memory.present) rfmt_bytes(c[7], CELL, f->memory.used_memory);
        else snprintf(c[7], CELL, "-");
        rfmt_count(c[8], CELL, f->totals.keys_expired);
        const char *row[] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]};
        table_row(t, row);
    }
    free(off);
    return 0;
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
    bool filtered = filter_active(&s->opt->filter);
    char v[CELL], x[CELL];
    const char *row[2];
#define ROW(label) (row[0] = (label), row[1] = v, table_row(t, row))
    rfmt_count(v, CELL, tt->keys);
    ROW(filtered ? "keys (filtered)" : "keys");
    rfmt_bytes(v, CELL, tt->bytes);
    if (tt->keys_unmodelled) {
        size_t l = strlen(v);
        snprintf(v + l, CELL - l, " (%s %s without a model)", rfmt_count(x, CELL, tt->keys_unmodelled),
                 tt->keys_unmodelled == 1 ? "key" : "keys");
    }
    ROW(filtered ? "MEMORY USAGE sum (filtered)" : "MEMORY USAGE sum");
    if (tt->keys_module) {
        sec_basis_line(v, CELL, tt);
        ROW("bytes rest on");
    }
    if (tt->has_predicted_used_memory) rfmt_bytes(v, CELL, tt->predicted_used_memory);
    else snprintf(v, CELL, "-");
    ROW(filtered ? "used_memory after load (whole dump)" : "used_memory after load");
    if (tt->has_aux_used_mem) rfmt_bytes(v, CELL, tt->aux_used_mem);
    else snprintf(v, CELL, "-");
    ROW("used-mem aux (at save time)");
    rfmt_count(v, CELL, tt->elements);
    ROW("elements of collections");
    rfmt_bytes(v, CELL, tt->string_length);
    ROW("length of strings");
    keys_bytes(v, CELL, tt->keys_with_ttl, tt->bytes_with_ttl, tt);
    ROW("with TTL");
    keys_bytes(v, CELL, tt->keys - tt->keys_with_ttl, tt->bytes - tt->bytes_with_ttl, tt);
    ROW("without TTL");
    keys_bytes(v, CELL, tt->keys_expired, tt->bytes_expired, tt);
    ROW("already expired");
#undef ROW
}

/* indices of n rows ordered by bytes, descending (ties keep their order) */
static size_t *by_bytes(size_t n, uint64_t (*bytes)(const void *, size_t), const void *rows) {
    size_t *ix = malloc((n ? n : 1) * sizeof *ix);
    if (!ix) return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (j > 0 && bytes(rows, ix[j - 1]) < bytes(rows, i)) ix[j] = ix[j - 1], j--;
        ix[j] = i;
    }
    return ix;
}

static uint64_t db_bytes(const void *v, size_t i) { return ((const agg_db_row *)v)[i].bytes; }
static uint64_t enc_bytes(const void *v, size_t i) { return ((const agg_enc_row *)v)[i].bytes; }
static uint64_t type_bytes(const void *v, size_t i) { return ((const agg_type_row *)v)[i].bytes; }

size_t sec_by_db(table *t, const agg_summary *s, size_t rows) {
    static const char *const h[] = {"db", "keys", "keys %", "bytes", "bytes %", "elements"};
    table_init(t, "rrrrrr", h);
    size_t n = shown(s->ndbs, rows);
    size_t *ix = by_bytes(s->ndbs, db_bytes, s->dbs);
    for (size_t k = 0; k < n; k++) {
        const agg_db_row *d = &s->dbs[ix ? ix[k] : k];
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
    free(ix);
    return s->ndbs - n;
}

/* a collection's elements, or a string's total length */
static char *elements_or_length(char *buf, size_t cap, rdb_kind type, uint64_t elements, uint64_t length) {
    if (type == RDB_KIND_STRING) {
        char b[CELL];
        snprintf(buf, cap, "%s long", rfmt_bytes(b, CELL, length));
    } else if (type == RDB_KIND_MODULE) {
        snprintf(buf, cap, "-");
    } else {
        rfmt_count(buf, cap, elements);
    }
    return buf;
}

size_t sec_by_type(table *t, const agg_summary *s) {
    static const char *const h[] = {"type", "keys", "keys %", "bytes", "bytes %", "elements / length"};
    table_init(t, "lrrrrr", h);
    size_t *ix = by_bytes(RDB_KIND_COUNT_, type_bytes, s->types);
    for (unsigned k = 0; k < RDB_KIND_COUNT_; k++) {
        const agg_type_row *r = &s->types[ix ? ix[k] : k];
        if (!r->keys) continue;
        char c[5][CELL];
        rfmt_count(c[0], CELL, r->keys);
        rfmt_pct(c[1], CELL, r->keys, s->totals.keys);
        rfmt_bytes(c[2], CELL, r->bytes);
        rfmt_pct(c[3], CELL, r->bytes, s->totals.bytes);
        elements_or_length(c[4], CELL, r->type, r->elements, r->length);
        const char *row[] = {rdb_kind_name(r->type), c[0], c[1], c[2], c[3], c[4]};
        table_row(t, row);
    }
    free(ix);
    return 0;
}

size_t sec_type_sizes(table *t, const agg_summary *s) {
    static const char *const h[] = {"type", "bytes p50", "p90", "p99", "max",
                                    "elements / length p50", "p90", "p99", "max"};
    table_init(t, "lrrrrrrrr", h);
    size_t *ix = by_bytes(RDB_KIND_COUNT_, type_bytes, s->types);
    for (unsigned k = 0; k < RDB_KIND_COUNT_; k++) {
        const agg_type_row *r = &s->types[ix ? ix[k] : k];
        if (!r->keys) continue;
        char c[8][CELL];
        rfmt_bytes(c[0], CELL, r->bytes_p50);
        rfmt_bytes(c[1], CELL, r->bytes_p90);
        rfmt_bytes(c[2], CELL, r->bytes_p99);
        rfmt_bytes(c[3], CELL, r->bytes_max);
        uint64_t q[4] = {r->elements_p50, r->elements_p90, r->elements_p99, r->elements_max};
        for (int i = 0; i < 4; i++) {
            if (r->type == RDB_KIND_STRING) rfmt_bytes(c[4 + i], CELL, q[i]);  /* lengths */
            else rfmt_count(c[4 + i], CELL, q[i]);
        }
        const char *row[] = {rdb_kind_name(r->type), c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
        table_row(t, row);
    }
    free(ix);
    return 0;
}

size_t sec_by_encoding(table *t, const agg_summary *s, size_t rows) {
    static const char *const h[] = {"type", "encoding", "keys", "keys %", "bytes", "bytes %",
                                    "elements / length"};
    table_init(t, "llrrrrr", h);
    size_t n = shown(s->nencs, rows);
    size_t *ix = by_bytes(s->nencs, enc_bytes, s->encs);
    for (size_t k = 0; k < n; k++) {
        const agg_enc_row *e = &s->encs[ix ? ix[k] : k];
        char c[5][CELL];
        rfmt_count(c[0], CELL, e->keys);
        rfmt_pct(c[1], CELL, e->keys, s->totals.keys);
        rfmt_bytes(c[2], CELL, e->bytes);
        rfmt_pct(c[3], CELL, e->bytes, s->totals.bytes);
        elements_or_length(c[4], CELL, e->type, e->elements, e->length);
        const char *row[] = {rdb_kind_name(e->type), e->encoding ? e->encoding : "-",
                             c[0], c[1], c[2], c[3], c[4]};
        table_row(t, row);
    }
    free(ix);
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

static size_t access_rows(table *t, const agg_summary *s, const char *label, const agg_ttl_row *v,
                          size_t n, uint64_t keys) {
    const char *h[] = {label, "keys", "keys %", "bytes", "bytes %"};
    table_init(t, "lrrrr", h);
    uint64_t bytes = 0;
    for (size_t b = 0; b < n; b++) bytes += v[b].bytes;
    for (size_t b = 0; b < n; b++) {
        char c[4][CELL];
        rfmt_count(c[0], CELL, v[b].keys);
        rfmt_pct(c[1], CELL, v[b].keys, keys);
        rfmt_bytes(c[2], CELL, v[b].bytes);
        rfmt_pct(c[3], CELL, v[b].bytes, bytes);
        const char *row[] = {v[b].name, c[0], c[1], c[2], c[3]};
        table_row(t, row);
    }
    (void)s;
    return 0;
}

size_t sec_idle(table *t, const agg_summary *s) {
    return access_rows(t, s, "idle", s->access.idle, AGG_IDLE_COUNT_, s->access.keys_idle);
}

size_t sec_freq(table *t, const agg_summary *s) {
    return access_rows(t, s, "LFU counter", s->access.freq, AGG_FREQ_COUNT_, s->access.keys_freq);
}

/* With several files a key table names each key's file (the shortest
 * path suffix that tells the files apart). */
size_t sec_keys(table *t, const agg_summary *s, const agg_key_list *l, size_t rows, unsigned key_width) {
    static const char *const h1[] = {"#", "db", "key", "type", "encoding", "bytes", "elements",
                                     "largest", "ttl"};
    static const char *const hn[] = {"#", "file", "db", "key", "type", "encoding", "bytes",
                                     "elements", "largest", "ttl"};
    bool files = s->nfiles > 1;
    if (files) table_init(t, "rlrlllrrrr", hn);
    else table_init(t, "rrlllrrrr", h1);
    size_t *off = files ? sec_file_name_offsets(s) : NULL;
    size_t n = shown(l->n, rows);
    for (size_t i = 0; i < n; i++) {
        const agg_key *e = &l->v[i];
        const key_record *r = &e->rec;
        char c[9][CELL];
        snprintf(c[0], CELL, "%zu", i + 1);
        const char *fname = e->file < s->nfiles ? s->files[e->file].path + (off ? off[e->file] : 0) : "?";
        rfmt_key(c[8], CELL, (const uint8_t *)fname, strlen(fname), 24);
        snprintf(c[1], CELL, "%" PRIu64, r->db);
        rfmt_record_key(c[2], CELL, r, key_width);
        if (r->has_bytes) rfmt_bytes(c[3], CELL, r->bytes);
        else snprintf(c[3], CELL, "-");
        /* a string's elements are its length, shown as largest */
        if (r->type == RDB_KIND_STRING || r->type == RDB_KIND_MODULE) snprintf(c[4], CELL, "-");
        else rfmt_count(c[4], CELL, r->elements);
        rfmt_bytes(c[5], CELL, r->largest);
        sec_remaining(c[6], CELL, s, e);
        const char *enc = r->encoding ? r->encoding : "-";
        if (files) {
            const char *row[] = {c[0], c[8], c[1], c[2], rdb_kind_name(r->type), enc, c[3], c[4], c[5], c[6]};
            table_row(t, row);
        } else {
            const char *row[] = {c[0], c[1], c[2], rdb_kind_name(r->type), enc, c[3], c[4], c[5], c[6]};
            table_row(t, row);
        }
    }
    free(off);
    return l->n - n;
}

/* "hash 80%, string 15%, list 5%": every type under the prefix, most
 * bytes first */
void sec_types_cell(char *buf, size_t cap, const agg_prefix_row *p) {
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

/* Prefix rows that add something (sec_prefix_shown), best first. */
size_t sec_prefixes(table *t, const agg_summary *s, size_t rows, unsigned key_width) {
    static const char *const h[] = {"prefix", "depth", "keys", "bytes", "bytes %", "no TTL",
                                    "types"};
    table_init(t, "lrrrrrl", h);
    size_t n = 0, left = 0;
    for (size_t i = 0; i < s->nprefixes; i++) {
        const agg_prefix_row *p = &s->prefixes[i];
        if (!sec_prefix_shown(s, i)) continue;
        if (n == rows) { left++; continue; }
        char c[7][CELL];
        if (p->other) snprintf(c[0], CELL, "(other)");
        else rfmt_key(c[0], CELL, p->name, p->name_len, key_width);
        snprintf(c[1], CELL, "%u", p->depth);
        rfmt_count(c[2], CELL, p->keys);
        rfmt_bytes(c[3], CELL, p->bytes);
        rfmt_pct(c[4], CELL, p->bytes, s->totals.bytes);
        rfmt_pct(c[5], CELL, p->bytes_no_ttl, p->bytes);
        sec_types_cell(c[6], CELL, p);
        const char *row[] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6]};
        table_row(t, row);
        n++;
    }
    return left;
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
    case AGG_SUBJECT_GROUP:
        if (f->subject_len)
            snprintf(buf, cap, "%s, keys %s*", f->text, rfmt_key(k, CELL, f->subject, f->subject_len, key_width));
        else
            snprintf(buf, cap, "%s, other keys", f->text);
        break;
    case AGG_SUBJECT_TAG:
        snprintf(buf, cap, "hash tag {%s}", rfmt_key(k, CELL, f->subject, f->subject_len, key_width));
        break;
    case AGG_SUBJECT_SHARD:
        snprintf(buf, cap, "shard %s", rfmt_key(k, CELL, f->subject, f->subject_len, key_width));
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
    static const char *const h[] = {"severity", "kind", "subject", "saving", "evidence", "suggestion",
                                    "command"};
    table_init(t, "lllrlll", h);
    size_t n = shown(s->nfindings, rows);
    for (size_t i = 0; i < n; i++) {
        const agg_finding *f = &s->findings[i];
        char subj[CELL * 2], ev[1024], sv[CELL];
        sec_subject(subj, sizeof subj, f, key_width);
        sec_evidence(ev, sizeof ev, f);
        if (f->has_saving) rfmt_bytes(sv, CELL, f->saving);
        else snprintf(sv, CELL, "-");
        const char *row[] = {f->severity, f->kind, subj, sv, ev, f->suggestion ? f->suggestion : "",
                             f->command};
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
    if (f->compression[0]) {
        /* "181.5 KiB RDB in 52.3 KiB zstd" */
        char rb[CELL], cz[CELL];
        snprintf(sz, CELL, "%s RDB in %s %s", rfmt_bytes(rb, CELL, f->rdb_bytes),
                 rfmt_bytes(cz, CELL, f->size), f->compression);
    } else {
        rfmt_bytes(sz, CELL, f->size);
    }
    int n = snprintf(buf, cap, "%s, %s, %s%s, %s", sz,
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
