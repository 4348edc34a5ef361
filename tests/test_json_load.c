/* test_json_load.c: report/json_load.c. A saved report loads back into
 * exactly what produced it (the golden report, rendered again, is byte for
 * byte itself, hostile key names, a module value and a cut name included);
 * a schema-1 report loads for diff but is not exact; a report merged with
 * itself doubles every sum and keeps the first copy's keys ahead on ties;
 * hostile documents fail with a message naming the member. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg_merge.h"
#include "report/json_load.h"
#include "report/report.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static char *render_json(const agg_summary *s) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    report_json(f, s);
    fclose(f);
    return buf;
}

/* loads path (n times into one aggregate) and renders it as JSON */
static char *reload(const char *path, int n, agg **out) {
    size_t len;
    char *text = slurp(path, &len), err[600] = "";
    report_doc *d;
    cr_assert_eq(report_doc_parse(path, text, len, &d, err, sizeof err), 0, "%s", err);
    agg_options o;
    cr_assert_eq(report_doc_options(d, &o, err, sizeof err), 0, "%s", err);
    agg *a = agg_new(&o);
    for (int i = 0; i < n; i++) cr_assert_eq(report_doc_absorb(d, a, err, sizeof err), 0, "%s", err);
    if (report_doc_profile(d)) agg_set_profile(a, report_doc_profile(d));
    report_doc_free(d);
    free(text);
    const agg_summary *s = agg_finish(a);
    cr_assert_not_null(s);
    *out = a;
    return render_json(s);
}

Test(json_load, golden_round_trip) {
    size_t len;
    char *want = slurp("tests/fixtures/golden/report.json", &len);
    agg *a;
    char *got = reload("tests/fixtures/golden/report.json", 1, &a);
    size_t i = 0;
    while (got[i] && got[i] == want[i]) i++;
    cr_assert(got[i] == 0 && want[i] == 0, "differs at byte %zu: %.120s", i, got + i);
    free(got);
    free(want);
    agg_free(a);
}

Test(json_load, corpus_round_trip) {
    size_t len;
    char *want = slurp("tests/fixtures/json/corpus-2files.json", &len);
    agg *a;
    char *got = reload("tests/fixtures/json/corpus-2files.json", 1, &a);
    cr_assert_str_eq(got, want);
    free(got);
    free(want);
    agg_free(a);
}

Test(json_load, twice_is_a_merge) {
    agg *one, *two;
    free(reload("tests/fixtures/json/corpus-2files.json", 1, &one));
    free(reload("tests/fixtures/json/corpus-2files.json", 2, &two));
    const agg_summary *s1 = agg_finish(one), *s2 = agg_finish(two);
    cr_assert_eq(s2->nfiles, 2 * s1->nfiles);
    cr_assert_eq(s2->totals.keys, 2 * s1->totals.keys);
    cr_assert_eq(s2->totals.bytes, 2 * s1->totals.bytes);
    cr_assert_eq(s2->totals.predicted_used_memory, 2 * s1->totals.predicted_used_memory);
    cr_assert_eq(s2->keys_seen, 2 * s1->keys_seen);
    for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
        cr_assert_eq(s2->types[t].keys, 2 * s1->types[t].keys);
        cr_assert_eq(s2->types[t].bytes_p50, s1->types[t].bytes_p50);   /* same distribution */
        cr_assert_eq(s2->types[t].bytes_max, s1->types[t].bytes_max);
    }
    /* each key twice; the first copy (earlier arrival) first */
    cr_assert_eq(s2->top_bytes.n, s1->top_bytes.n);
    for (size_t i = 0; i + 1 < s2->top_bytes.n; i += 2) {
        const agg_key *x = &s2->top_bytes.v[i], *y = &s2->top_bytes.v[i + 1];
        cr_assert_eq(x->score, y->score);
        cr_assert_lt(x->seq, y->seq);
        cr_assert_lt(x->file, y->file);
        cr_assert_eq(x->rec.key_len, y->rec.key_len);
        cr_assert_eq(memcmp(x->rec.key, y->rec.key, x->rec.key_len), 0);
    }
    agg_free(one);
    agg_free(two);
}

Test(json_load, schema1_loads_for_diff_only) {
    size_t len;
    char *text = slurp("tests/fixtures/json/schema1.json", &len), err[600] = "";
    report_doc *d;
    cr_assert_eq(report_doc_parse("s1.json", text, len, &d, err, sizeof err), 0, "%s", err);
    cr_assert_eq(report_doc_schema(d), 1);
    cr_assert_not(report_doc_exact(d));
    agg_options o;
    cr_assert_eq(report_doc_options(d, &o, err, sizeof err), 0, "%s", err);
    agg *a = agg_new(&o);
    cr_assert_eq(report_doc_absorb(d, a, err, sizeof err), 0, "%s", err);
    const agg_summary *s = agg_finish(a);
    agg *b;
    free(reload("tests/fixtures/json/corpus-2files.json", 1, &b));
    const agg_summary *t = agg_finish(b);
    cr_assert_eq(s->totals.keys, t->totals.keys);
    cr_assert_eq(s->totals.bytes, t->totals.bytes);
    cr_assert_eq(s->ndbs, t->ndbs);
    cr_assert_eq(s->top_bytes.n, t->top_bytes.n);
    for (size_t i = 0; i < s->top_bytes.n; i++) cr_assert_eq(s->top_bytes.v[i].rec.bytes, t->top_bytes.v[i].rec.bytes);
    report_doc_free(d);
    agg_free(a);
    agg_free(b);
    free(text);
}

/* hostile documents: each fails with a message holding `want` */
static void refused(const char *json, const char *want) {
    char err[600] = "";
    report_doc *d = NULL;
    int rc = report_doc_parse("h.json", json, strlen(json), &d, err, sizeof err);
    if (rc == 0) {
        agg_options o;
        rc = report_doc_options(d, &o, err, sizeof err);
        if (rc == 0) {
            agg *a = agg_new(&o);
            rc = report_doc_absorb(d, a, err, sizeof err);
            agg_free(a);
        }
        report_doc_free(d);
    }
    cr_assert_eq(rc, -1, "accepted: %s", json);
    cr_assert_not_null(strstr(err, want), "'%s' lacks '%s'", err, want);
    cr_assert_eq(strncmp(err, "h.json: ", 8), 0, "%s", err);
}

Test(json_load, hostile) {
    refused("", "empty");
    refused("{\"schema_version\":2,", "truncated JSON");
    refused("[]", "expected an object");
    refused("{\"schema_version\":\"2\"}", "no integer schema_version");
    refused("{\"schema_version\":0}", "schema_version 0");
    refused("{\"schema_version\":2,\"schema_version\":2}", "not valid JSON");
    refused("{\"schema_version\":2}", "member \"source\" is missing");
    refused("{\"schema_version\":1,\"source\":{\"filters\":{\"db\":null,\"types\":[\"blob\"]}}}", "unknown type");
    refused("{\"schema_version\":2,\"source\":{\"filters\":{\"db\":-1}}}", "non-negative");
    refused("{\"schema_version\":2,\"source\":{\"filters\":{\"db\":1e3}}}", "expected an integer");
}

/* Mutations of a real report: one member made wrong at a time. */
static void mutated(const char *from, const char *to, const char *want) {
    size_t len;
    char *text = slurp("tests/fixtures/json/corpus-2files.json", &len);
    char *at = strstr(text, from);
    cr_assert_not_null(at, "%s", from);
    size_t fl = strlen(from), tl = strlen(to);
    char *m = malloc(len + tl + 1);
    memcpy(m, text, (size_t)(at - text));
    memcpy(m + (at - text), to, tl);
    strcpy(m + (at - text) + tl, at + fl);
    refused(m, want);
    free(m);
    free(text);
}

Test(json_load, hostile_members) {
    mutated("\"keys_seen\": ", "\"keys_seen\": -", "non-negative");
    mutated("\"buckets\":[[", "\"buckets\":[[4000,1],[", "out of range");
    mutated("\"buckets\":[[", "\"buckets\":[[1,1],[", "buckets hold");
    mutated("\"by_bytes\":[[", "\"by_bytes\":[[99999,1],[", "does not exist");
    mutated("\"file\":0,\"db\"", "\"file\":9,\"db\"", ".file: 9");
    mutated("\"prefix_depth\":3", "\"prefix_depth\":0", "prefix_depth: out of range");
    mutated("\"top\":50", "\"top\":0", "top: out of range");
    mutated("\"status\":\"complete\"", "\"status\":\"fine\"", "unknown value");
    mutated("\"type\":\"string\"", "\"type\":\"blob\"", "unknown type");
    mutated("\"module\":null", "\"module\":\"0123456789abc\"", "longer than 9");
}
