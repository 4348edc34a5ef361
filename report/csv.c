/* csv.c: the report's prefix table and top keys as one CSV for
 * spreadsheets (`rdblens report --format csv`). One row per prefix, then
 * one per key of "top keys by bytes", told apart by the first column:
 *
 *   kind,name,db,depth,type,encoding,keys,bytes,bytes_pct,bytes_no_ttl,elements,length,expires_at
 *
 * kind       "prefix" or "key"
 * name       the prefix or key in redis-cli printable form (\xHH for other
 *            bytes), "(other)" for the prefixes merged past the budget
 * db         keys only
 * depth      prefixes only (1 = first segment)
 * type       a key's type; a prefix's types by bytes, "hash 80%; string 20%"
 * bytes      predicted MEMORY USAGE (sum for a prefix), exact integer
 * bytes_pct  share of all keys' bytes, one decimal
 * elements   collections' members; length: a string's length
 * expires_at ISO-8601 UTC, empty without a TTL
 *
 * Cells are quoted, quotes doubled. A cell a spreadsheet would read as a
 * formula (starting with = + - @, a tab or a carriage return) gets a
 * leading apostrophe, as OWASP advises for CSV meant for spreadsheets: key
 * names come from the dump and are attacker-controlled. (`rdblens keys
 * --format csv` writes redis-rdb-tools' CSV for pipelines, unguarded.)
 */
#include "report/report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/keyfmt.h"
#include "report/rfmt.h"
#include "report/sections.h"

static void cell(FILE *out, const char *s, bool last) {
    fputc('"', out);
    if (strchr("=+-@\t\r", s[0]) && s[0]) fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
    fputc(last ? '\n' : ',', out);
}

static void num(FILE *out, uint64_t v) { fprintf(out, "%" PRIu64 ",", v); }

/* the printable form of bytes, into a growable memstream buffer */
static char *printable(const uint8_t *p, size_t n) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    keyfmt_printable(f, p, n);
    fclose(f);
    return buf;
}

static void pct(FILE *out, uint64_t part, uint64_t whole) {
    if (!whole) fputs(",", out);
    else fprintf(out, "%.1f,", 100.0 * (double)part / (double)whole);
}

void report_csv(FILE *out, const agg_summary *s) {
    fputs("kind,name,db,depth,type,encoding,keys,bytes,bytes_pct,bytes_no_ttl,elements,length,expires_at\n", out);
    for (size_t i = 0; i < s->nprefixes; i++) {
        const agg_prefix_row *p = &s->prefixes[i];
        fputs("prefix,", out);
        char *name = p->other ? NULL : printable(p->name, p->name_len);
        cell(out, p->other ? "(other)" : name ? name : "", false);
        free(name);
        fprintf(out, ",%u,", p->depth);
        char types[RFMT_CELL];
        sec_types_cell(types, sizeof types, p);
        for (char *c = types; *c; c++)
            if (*c == ',') *c = ';';
        cell(out, types, false);
        fputs(",", out);
        num(out, p->keys);
        num(out, p->bytes);
        pct(out, p->bytes, s->totals.bytes);
        num(out, p->bytes_no_ttl);
        fputs(",,\n", out);
    }
    for (size_t i = 0; i < s->top_bytes.n; i++) {
        const key_record *r = &s->top_bytes.v[i].rec;
        fputs("key,", out);
        char *name = printable(r->key, r->key_len);
        cell(out, name ? name : "", false);
        free(name);
        fprintf(out, "%" PRIu64 ",,%s,", r->db, rdb_kind_name(r->type));
        cell(out, r->encoding ? r->encoding : "", false);
        fputs("1,", out);
        if (r->has_bytes) num(out, r->bytes);
        else fputs(",", out);
        pct(out, r->has_bytes ? r->bytes : 0, s->totals.bytes);
        if (r->has_expire) fputs("0,", out);
        else if (r->has_bytes) num(out, r->bytes);
        else fputs(",", out);
        if (r->type == RDB_KIND_STRING) fprintf(out, ",%" PRIu64 ",", r->elements);
        else fprintf(out, "%" PRIu64 ",,", r->elements);
        if (r->has_expire) keyfmt_iso8601_ms(out, r->expire_ms);
        fputc('\n', out);
    }
}
