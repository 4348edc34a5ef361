/* test_report.c: the renderers (report/ (json.c, text.c, md.c)) on a fixed synthetic aggregate:
 * the JSON report byte for byte against tests/fixtures/golden/report.json
 * (regenerate with RDBLENS_UPDATE_GOLDEN=1 after an intended change, and
 * review the diff), top-key objects identical to keyfmt_json_record (what
 * `rdblens keys --format jsonl` prints), and the text / markdown layouts:
 * width, units, elision, colors only when asked. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg.h"
#include "report/keyfmt.h"
#include "report/report.h"
#include "report/rfmt.h"

#define GOLDEN "tests/fixtures/golden/report.json"
#define REF INT64_C(1700000000000)
#define H INT64_C(3600000)
#define MIB (UINT64_C(1) << 20)

static key_record kr(uint64_t db, const char *key, size_t klen, rdb_kind type, uint8_t rdb_type,
                     const char *enc, uint64_t bytes, uint64_t elements, uint64_t largest) {
    key_record r;
    memset(&r, 0, sizeof r);
    r.db = db;
    r.key = (const uint8_t *)key;
    r.key_len = klen ? klen : strlen(key);
    r.type = type;
    r.rdb_type = rdb_type;
    r.encoding = enc;
    r.has_bytes = true;
    r.bytes = bytes;
    r.ram = bytes + 16;
    r.elements = elements;
    r.largest = largest;
    return r;
}

static void aux(agg *a, const char *k, const char *v) {
    agg_file_aux(a, (const uint8_t *)k, strlen(k), (const uint8_t *)v, strlen(v));
}

static const char LONG_KEY[] =
    "very:long:key:name:that:goes:on:and:on:well:past:any:reasonable:terminal:column:END";

/* The fixed aggregate every test renders. */
static agg *fixture(void) {
    agg_options o;
    agg_options_init(&o);
    o.top_n = 3;
    o.findings_per_kind = 2;
    agg *a = agg_new(&o);
    cr_assert_not_null(a);
    agg_begin_file(a, "dumps/sample.rdb", 4096, REF - 10 * H);
    rdb_header h = {.magic = "REDIS0011", .flavor = RDB_FLAVOR_REDIS, .version = 11};
    agg_file_header(a, &h);
    aux(a, "redis-ver", "7.2.6");
    aux(a, "redis-bits", "64");
    aux(a, "ctime", "1700000000");
    aux(a, "used-mem", "2000000000");
    aux(a, "aof-base", "0");

    key_record v[16];
    size_t n = 0;
    v[n++] = kr(0, "user:1001:cart", 0, RDB_KIND_HASH, 16, "listpack", 300, 4, 12);
    v[n++] = kr(0, "user:1002:cart", 0, RDB_KIND_HASH, 16, "listpack", 280, 3, 12);
    v[n++] = kr(0, "user:1003:profile", 0, RDB_KIND_HASH, 4, "hashtable", 60000, 600, 40);
    v[n++] = kr(0, "session:ab12", 0, RDB_KIND_STRING, 0, "embstr", 72, 20, 20);
    v[n - 1].has_expire = true;
    v[n - 1].expire_ms = REF + 2 * H;
    v[n++] = kr(0, "session:cd34", 0, RDB_KIND_STRING, 0, "embstr", 72, 20, 20);
    v[n - 1].has_expire = true;
    v[n - 1].expire_ms = REF - 1;
    v[n++] = kr(0, "blob:big", 0, RDB_KIND_STRING, 0, "raw", 1288490189, 1288490000, 1288490000);
    v[n++] = kr(1, "queue:jobs", 0, RDB_KIND_LIST, 18, "quicklist", 3 * MIB, 20000, 9000);
    v[n++] = kr(1, "bin:\x00\xff\"q\\", 9, RDB_KIND_SET, 11, "intset", 120, 10, 3);
    v[n++] = kr(1, "caf\xc3\xa9:menu", 0, RDB_KIND_ZSET, 17, "listpack", 200, 5, 9);
    v[n - 1].has_idle = true;
    v[n - 1].idle_s = 42;
    v[n++] = kr(2, LONG_KEY, 0, RDB_KIND_STRING, 0, "raw", 500, 400, 400);
    v[n - 1].has_expire = true;
    v[n - 1].expire_ms = REF + 40 * 24 * H;
    v[n++] = kr(2, "mod:x", 0, RDB_KIND_MODULE, 7, "raw", 900, 12, 0);
    v[n - 1].module_name = "ReJSON-RL";
    v[n - 1].module_encver = 3;
    v[n - 1].bytes_basis = KEY_BASIS_SOURCE;
    v[n - 1].serialized_bytes = 310;
    v[n++] = kr(2, "mod:y", 0, RDB_KIND_MODULE, 7, "raw", 2100, 0, 0);
    v[n - 1].module_name = "mymod-typ";
    v[n - 1].module_encver = 1;
    v[n - 1].bytes_basis = KEY_BASIS_SERIALIZED;
    v[n - 1].serialized_bytes = 2000;
    v[n++] = kr(2, "mod:z", 0, RDB_KIND_MODULE, 7, NULL, 0, 0, 0);
    v[n - 1].has_bytes = false;
    v[n - 1].module_name = "ReJSON-RL";
    v[n - 1].module_encver = 3;
    for (size_t i = 0; i < n; i++) cr_assert_eq(agg_add(a, &v[i]), 0);

    rdb_result res;
    memset(&res, 0, sizeof res);
    res.have_header = true;
    res.header = h;
    res.have_trailer = true;
    res.trailer.checksum = RDB_CHECKSUM_OK;
    res.keys = n;
    agg_file_result(a, &res);
    agg_file_predicted_used_memory(a, 1300000000);
    agg_set_profile(a, "redis-7.2");
    return a;
}

static char *render_rows(const agg_summary *s, report_format fmt, report_color color, size_t rows) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    report_options o;
    report_options_init(&o);
    o.format = fmt;
    o.color = color;
    if (rows) o.rows = rows;
    cr_assert_eq(report_render(f, s, &o), 0);
    fclose(f);
    return buf;
}

static char *render(const agg_summary *s, report_format fmt, report_color color) {
    return render_rows(s, fmt, color, 0);
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len + 4096 > cap) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap);
        }
        size_t got = fread(buf + *len, 1, cap - *len, f);
        *len += got;
        if (got == 0) break;
    }
    fclose(f);
    return buf;
}

Test(report_json, golden) {
    agg *a = fixture();
    char *out = render(agg_finish(a), REPORT_JSON, REPORT_COLOR_NEVER);
    if (getenv("RDBLENS_UPDATE_GOLDEN")) {
        FILE *f = fopen(GOLDEN, "wb");
        cr_assert_not_null(f);
        fputs(out, f);
        fclose(f);
    }
    size_t glen = 0;
    char *golden = slurp(GOLDEN, &glen);
    cr_assert_not_null(golden, "missing " GOLDEN);
    size_t olen = strlen(out);
    size_t i = 0;
    while (i < olen && i < glen && out[i] == golden[i]) i++;
    cr_assert(i == olen && i == glen, "JSON differs from " GOLDEN " at byte %zu:\n%.*s", i,
              (int)(olen - i < 200 ? olen - i : 200), out + i);
    free(golden);
    free(out);
    agg_free(a);
}

/* The evidence of near_encoding_limit is the target server's: the limit and
 * directive of the file's enc_limits (a 6.2 server with
 * hash-max-ziplist-entries 500 here), not the aggregate's defaults. */
Test(report_json, near_limit_evidence_is_the_targets) {
    agg_options o;
    agg_options_init(&o);
    agg *a = agg_new(&o);
    cr_assert_not_null(a);
    agg_begin_file(a, "old.rdb", 4096, -1);
    enc_limits l = {.ziplist = true, .hash_entries = 500, .hash_value = 64, .zset_entries = 128,
                    .zset_value = 64, .set_intset = 512};
    cr_assert_eq(agg_file_enc_limits(a, &l), 0);
    key_record r = kr(0, "h", 0, RDB_KIND_HASH, 4, "hashtable", 60000, 600, 40);
    cr_assert_eq(agg_add(a, &r), 0);
    r = kr(0, "s", 0, RDB_KIND_SET, 2, "hashtable", 30000, 130, 10);
    cr_assert_eq(agg_add(a, &r), 0);
    char *out = render(agg_finish(a), REPORT_JSON, REPORT_COLOR_NEVER);
    /* one group (the keys' first segment, here the whole name "h"), named by the 6.2 directive */
    cr_assert_not_null(strstr(out, "\"subject_kind\":\"group\",\"subject\":\"h\","), "%s", out);
    cr_assert_not_null(strstr(out, "\"evidence\":{\"type\":\"hash\",\"config\":\"hash-max-ziplist-entries\","
                                   "\"limit\":500,\"compact_encoding\":\"ziplist\",\"keys\":1,\"bytes\":60000,"
                                   "\"elements_min\":600,\"elements_max\":600,"
                                   "\"estimated_saving_bytes\":28800,"), "%s", out);
    cr_assert_not_null(strstr(out, "\"saving_bytes\":28800,\"command\":\"rdblens keys --type hash --match "
                                   "'h*' --min-elements 501 'old.rdb'\""), "%s", out);
    /* 7.2's set-max-listpack-entries 128 does not exist there */
    cr_assert_null(strstr(out, "\"subject_kind\":\"group\",\"subject\":\"s\""), "%s", out);
    cr_assert_null(strstr(out, "listpack"), "%s", out);
    free(out);
    agg_free(a);
}

Test(report_json, top_keys_are_keyfmt_objects) {
    agg *a = fixture();
    const agg_summary *s = agg_finish(a);
    char *out = render(s, REPORT_JSON, REPORT_COLOR_NEVER);
    cr_assert_eq(s->top_bytes.n, 3);
    for (size_t i = 0; i < s->top_bytes.n; i++) {
        char *obj = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&obj, &len);
        keyfmt_json_record(f, &s->top_bytes.v[i].rec);
        fclose(f);
        cr_assert_not_null(strstr(out, obj), "%s", obj);
        free(obj);
    }
    cr_assert_not_null(strstr(out, "\"schema_version\": 2,"));
    cr_assert_not_null(strstr(out, "\"budget_hit\":false"));
    cr_assert_not_null(strstr(out, "\"prefix\":\"queue:\""));
    cr_assert_not_null(strstr(out, "\"module\":\"ReJSON-RL\""));
    free(out);
    agg_free(a);
}

static size_t max_line_width(const char *text) {
    size_t best = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, n);
        size_t w = rfmt_width(line);
        if (w > best) best = w;
        free(line);
        p += n + (nl ? 1 : 0);
    }
    return best;
}

Test(report_text, layout_units_elision_no_color) {
    agg *a = fixture();
    /* more than 20 rows: the per-type tables too, where the long key shows */
    char *out = render_rows(agg_finish(a), REPORT_TEXT, REPORT_COLOR_NEVER, 50);
    cr_assert_null(strchr(out, '\033'), "no ANSI escapes with --color never");
    cr_assert_not_null(strstr(out, "1.2 GiB"));
    cr_assert_not_null(strstr(out, "3.0 MiB"));
    cr_assert_not_null(strstr(out, "TTLs judged at 2023-11-14T22:13:20.000Z, the dump's ctime"));
    cr_assert_not_null(strstr(out, "very:long:key:name:...erminal:column:END"));
    cr_assert_null(strstr(out, LONG_KEY), "long keys are elided");
    cr_assert_not_null(strstr(out, "bin:\\x00\\xff\"q\\\\"));
    cr_assert_not_null(strstr(out, "caf\xc3\xa9:menu"));
    cr_assert_not_null(strstr(out, "id segments folded to *"));
    cr_assert_not_null(strstr(out, "Findings"));
    cr_assert_leq(max_line_width(out), 120, "lines fit in 120 columns");
    free(out);
    agg_free(a);
}

Test(report_text, color_always) {
    agg *a = fixture();
    char *out = render(agg_finish(a), REPORT_TEXT, REPORT_COLOR_ALWAYS);
    cr_assert_not_null(strstr(out, "\033[1m"));
    cr_assert_not_null(strstr(out, "\033[31mcritical"));
    free(out);
    agg_free(a);
}

Test(report_md, tables) {
    agg *a = fixture();
    char *out = render(agg_finish(a), REPORT_MD, REPORT_COLOR_ALWAYS);
    cr_assert_null(strchr(out, '\033'), "markdown has no colors");
    cr_assert_not_null(strstr(out, "# rdblens report"));
    cr_assert_not_null(strstr(out, "\n## Top keys by bytes\n\n| # | db | key |"));
    cr_assert_not_null(strstr(out, "| ---: | ---: | --- |"));
    cr_assert_not_null(strstr(out, "bin:\\\\x00"), "markdown punctuation escaped");
    free(out);
    agg_free(a);
}

Test(report_opts, parse) {
    report_format f;
    report_color c;
    cr_assert_eq(report_parse_format("json", &f), 0);
    cr_assert_eq(f, REPORT_JSON);
    cr_assert_eq(report_parse_format("markdown", &f), 0);
    cr_assert_eq(f, REPORT_MD);
    cr_assert_eq(report_parse_format("html", &f), 0);
    cr_assert_eq(f, REPORT_HTML);
    cr_assert_eq(report_parse_format("yaml", &f), -1);
    cr_assert_eq(report_parse_color("never", &c), 0);
    cr_assert_eq(c, REPORT_COLOR_NEVER);
    cr_assert_eq(report_parse_color("sometimes", &c), -1);
}

Test(rfmt, units_counts_durations) {
    char b[RFMT_CELL];
    cr_assert_str_eq(rfmt_bytes(b, sizeof b, 0), "0 B");
    cr_assert_str_eq(rfmt_bytes(b, sizeof b, 1023), "1023 B");
    cr_assert_str_eq(rfmt_bytes(b, sizeof b, 1024), "1.0 KiB");
    cr_assert_str_eq(rfmt_bytes(b, sizeof b, 1048575), "1.0 MiB");
    cr_assert_str_eq(rfmt_bytes(b, sizeof b, 1288490189), "1.2 GiB");
    cr_assert_str_eq(rfmt_bytes(b, sizeof b, UINT64_MAX), "16.0 EiB");
    cr_assert_str_eq(rfmt_count(b, sizeof b, 0), "0");
    cr_assert_str_eq(rfmt_count(b, sizeof b, 999), "999");
    cr_assert_str_eq(rfmt_count(b, sizeof b, 1234567), "1,234,567");
    cr_assert_str_eq(rfmt_pct(b, sizeof b, 1, 3), "33.3%");
    cr_assert_str_eq(rfmt_pct(b, sizeof b, 1, 0), "-");
    cr_assert_str_eq(rfmt_remaining(b, sizeof b, 0), "expired");
    cr_assert_str_eq(rfmt_remaining(b, sizeof b, 1500), "2s");
    cr_assert_str_eq(rfmt_remaining(b, sizeof b, 2 * H + H / 2), "2.5h");
    cr_assert_str_eq(rfmt_remaining(b, sizeof b, 36 * H), "1.5d");
}

Test(rfmt, key_elision) {
    char b[RFMT_CELL];
    cr_assert_str_eq(rfmt_key(b, sizeof b, (const uint8_t *)"short", 5, 10), "short");
    cr_assert_str_eq(rfmt_key(b, sizeof b, (const uint8_t *)"abcdefghijklmnop", 16, 10), "abcd...nop");
    /* escapes are never split: "\xff" counts as one unit */
    const uint8_t bin[] = {0xff, 0xfe, 0xfd, 'a', 'b', 'c', 'd', 'e', 0x01, 0x02, 0x03};
    rfmt_key(b, sizeof b, bin, sizeof bin, 6);
    cr_assert_str_eq(b, "\\xff...");   /* an escape is 4 columns; the first always shows */
    rfmt_key(b, sizeof b, bin, sizeof bin, 19);
    cr_assert_str_eq(b, "\\xff\\xfe...\\x02\\x03");
    cr_assert_eq(rfmt_width(b), 19);
    /* UTF-8 is never split */
    const char *u = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
    rfmt_key(b, sizeof b, (const uint8_t *)u, strlen(u), 5);
    cr_assert_str_eq(b, "\xc3\xa9...\xc3\xa9");
    cr_assert_eq(rfmt_width(b), 5);
    /* CJK takes two columns a character, combining marks none */
    const char *cjk = "\xe7\x94\xa8\xe6\x88\xb7:12345:\xe8\xb5\x84\xe6\x96\x99";   /* 用户:12345:资料 */
    cr_assert_eq(rfmt_width(cjk), 15);
    cr_assert_str_eq(rfmt_key(b, sizeof b, (const uint8_t *)cjk, strlen(cjk), 15), cjk);
    rfmt_key(b, sizeof b, (const uint8_t *)cjk, strlen(cjk), 10);
    cr_assert_str_eq(b, "\xe7\x94\xa8\xe6\x88\xb7...\xe6\x96\x99");
    cr_assert_eq(rfmt_width(b), 9);
    cr_assert_eq(rfmt_width("e\xcc\x81"), 1);                /* e + combining acute */
    cr_assert_eq(rfmt_width("\xf0\x9f\x98\x80!"), 3);      /* an emoji, then '!' */
    cr_assert_eq(rfmt_width("\xef\xbc\xa1"), 2);            /* fullwidth A */
    /* a huge key: only both ends are looked at */
    size_t big = 1 << 20;
    uint8_t *k = malloc(big);
    memset(k, 'x', big);
    memcpy(k, "HEAD", 4);
    memcpy(k + big - 4, "TAIL", 4);
    rfmt_key(b, sizeof b, k, big, 12);
    cr_assert_str_eq(b, "HEADx...TAIL");
    /* the head of a longer key: no tail to show, whatever fits */
    rfmt_key_head(b, sizeof b, k, big, 12);
    cr_assert_str_eq(b, "HEADxxxxx...");
    rfmt_key_head(b, sizeof b, (const uint8_t *)"abc", 3, 12);
    cr_assert_str_eq(b, "abc...");
    rfmt_key_head(b, sizeof b, (const uint8_t *)"abc", 3, 0);
    cr_assert_str_eq(b, "abc...");
    key_record r = {.key = k, .key_len = 4, .key_full_len = big};
    cr_assert_str_eq(rfmt_record_key(b, sizeof b, &r, 40), "HEAD...");
    r.key_full_len = 0;
    cr_assert_str_eq(rfmt_record_key(b, sizeof b, &r, 40), "HEAD");
    free(k);
}

/* RDBLENS_SHOW_REPORT=text|md prints the fixture's report, for review. */
Test(report_text, show_when_asked) {
    const char *what = getenv("RDBLENS_SHOW_REPORT");
    if (!what) return;
    report_format f = REPORT_TEXT;
    report_parse_format(what, &f);
    agg *a = fixture();
    char *out = render(agg_finish(a), f, REPORT_COLOR_NEVER);
    fputs(out, stderr);
    free(out);
    agg_free(a);
}

/* The prefix table's "types" cell names every type under the prefix, most
 * bytes first (it used to show only the two heaviest). */
Test(report_text, prefix_types_lists_every_type) {
    agg_options o;
    agg_options_init(&o);
    agg *a = agg_new(&o);
    cr_assert_not_null(a);
    key_record v[] = {
        kr(0, "app:1", 0, RDB_KIND_STRING, 0, "raw", 1000, 1, 1),
        kr(0, "app:2", 0, RDB_KIND_HASH, 16, "listpack", 500, 1, 1),
        kr(0, "app:3", 0, RDB_KIND_LIST, 18, "quicklist", 300, 1, 1),
    };
    for (size_t i = 0; i < 3; i++) cr_assert_eq(agg_add(a, &v[i]), 0);
    char *out = render(agg_finish(a), REPORT_TEXT, REPORT_COLOR_NEVER);
    cr_assert(strstr(out, "string 55.6%, hash 27.8%, list 16.7%"), "%s", out);
    free(out);
    agg_free(a);
}

/* Counts in text carry thousands separators everywhere, also in the
 * filter echo and the "more rows" notes. */
Test(report_text, counts_have_separators) {
    agg_options o;
    agg_options_init(&o);
    o.filter.match = "keep:*";
    agg *a = agg_new(&o);
    key_record k = kr(0, "drop", 0, RDB_KIND_STRING, 0, "raw", 10, 1, 1);
    for (int i = 0; i < 1234; i++) agg_add(a, &k);
    key_record keep = kr(0, "keep:1", 0, RDB_KIND_STRING, 0, "raw", 10, 1, 1);
    agg_add(a, &keep);
    char *out = render(agg_finish(a), REPORT_TEXT, REPORT_COLOR_NEVER);
    cr_assert(strstr(out, "match=keep:*: 1,234 keys left out"), "%s", out);
    free(out);
    agg_free(a);
}

/* --format csv: prefixes then top keys, quoted, and a name that a
 * spreadsheet would run as a formula starts with an apostrophe. */
Test(report_csv, rows_quoting_and_formula_guard) {
    agg_options o;
    agg_options_init(&o);
    agg *a = agg_new(&o);
    key_record v[] = {
        kr(0, "=HYPERLINK(\"http://x\")", 0, RDB_KIND_STRING, 0, "raw", 300, 20, 20),
        kr(1, "app:\"q\":1", 0, RDB_KIND_HASH, 16, "listpack", 200, 3, 5),
        kr(1, "app:\"q\":2", 0, RDB_KIND_HASH, 16, "listpack", 100, 3, 5),
    };
    for (size_t i = 0; i < 3; i++) cr_assert_eq(agg_add(a, &v[i]), 0);
    char *out = render(agg_finish(a), REPORT_CSV, REPORT_COLOR_NEVER);
    static const char head[] = "kind,name,db,depth,type,encoding,keys,bytes,bytes_pct,bytes_no_ttl,elements,"
                               "length,expires_at\n";
    cr_assert(!strncmp(out, head, sizeof head - 1), "%s", out);
    cr_assert(strstr(out, "key,\"'=HYPERLINK(\"\"http://x\"\")\",0,,string,\"raw\",1,300,50.0,300,,20,\n"), "%s", out);
    cr_assert(strstr(out, "key,\"app:\"\"q\"\":1\",1,,hash,\"listpack\",1,200,33.3,200,3,,\n"), "%s", out);
    cr_assert(strstr(out, "prefix,\"app:\",,1,\"hash\",,2,300,50.0,300,,,\n"), "%s", out);
    free(out);
    agg_free(a);
}
