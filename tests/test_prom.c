/* test_prom.c: report/prom.c's label escaping on hostile bytes, read back
 * by the exposition format's rules, gives rdblens' printable form; and the
 * exposition of a small aggregate has HELP/TYPE per metric and series that
 * sum to the totals. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg.h"
#include "report/keyfmt.h"
#include "report/prom.h"

static char *label(const void *p, size_t n) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    prom_label_value(f, p, n);
    fclose(f);
    return buf;
}

/* the exposition format's unescaping of a label value */
static char *unescape(const char *s) {
    char *o = malloc(strlen(s) + 1), *p = o;
    for (; *s; s++) {
        if (*s == '\\') {
            s++;
            *p++ = *s == 'n' ? '\n' : *s;
        } else {
            cr_assert(*s != '"' && *s != '\n', "unescaped %c", *s);
            *p++ = *s;
        }
    }
    *p = '\0';
    return o;
}

static char *printable(const void *p, size_t n) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    keyfmt_printable(f, p, n);
    fclose(f);
    return buf;
}

Test(prom, hostile_labels_read_back_as_printable) {
    static const struct { const char *b; size_t n; } cases[] = {
        {"plain:", 6}, {"q\"uote", 6}, {"back\\slash", 10}, {"new\nline", 8}, {"nul\0byte", 8},
        {"\xff\xfe", 2}, {"caf\xc3\xa9", 5}, {"\xe2\x82", 2}, {"} 1\nfake_metric 2", 17},
        {"\\\"", 2}, {"\x1b[31m", 5}, {"", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *l = label(cases[i].b, cases[i].n);
        for (const char *c = l; *c; c++) cr_assert(*c != '\n', "newline in %s", l);
        char *u = unescape(l), *want = printable(cases[i].b, cases[i].n);
        cr_assert_str_eq(u, want, "case %zu: %s", i, l);
        free(l);
        free(u);
        free(want);
    }
}

Test(prom, series_sum_to_totals) {
    agg_options o;
    agg_options_init(&o);
    agg *a = agg_new(&o);
    agg_begin_file(a, "a\"b.rdb", 100, -1);
    const char *names[] = {"user:1", "user:2", "(other)", "x\\y:1", "s"};
    for (size_t i = 0; i < 5; i++) {
        key_record r;
        memset(&r, 0, sizeof r);
        r.db = i % 2;
        r.key = (const uint8_t *)names[i];
        r.key_len = strlen(names[i]);
        r.type = i == 4 ? RDB_KIND_HASH : RDB_KIND_STRING;
        r.has_bytes = true;
        r.bytes = 100 * (i + 1);
        r.has_expire = i == 1;
        r.expire_ms = 1;
        cr_assert_eq(agg_add(a, &r), 0);
    }
    const agg_summary *s = agg_finish(a);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    report_options ro;
    report_options_init(&ro);
    ro.rows = 1;
    report_prom(f, s, &ro);
    fclose(f);
    uint64_t keys = 0, bytes = 0, pk = 0, pb = 0, nottl = 0;
    int others = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long long v;
        char *sp = strrchr(line, ' ');
        if (line[0] == '#' || !sp) continue;
        v = strtoull(sp + 1, NULL, 10);
        if (!strncmp(line, "rdblens_keys{", 13)) keys += v;
        if (!strncmp(line, "rdblens_memory_bytes{", 21)) bytes += v;
        if (!strncmp(line, "rdblens_keys_without_ttl{", 25)) nottl += v;
        if (!strncmp(line, "rdblens_prefix_keys{", 20)) pk += v;
        if (!strncmp(line, "rdblens_prefix_memory_bytes{", 28)) pb += v;
        if (strstr(line, "prefix=\"(other)\"")) others++;
        if (strstr(line, "file=")) cr_assert_not_null(strstr(line, "file=\"a\\\"b.rdb\""), "%s", line);
    }
    cr_assert_eq(keys, 5);
    cr_assert_eq(bytes, 1500);
    cr_assert_eq(nottl, 4);
    cr_assert_eq(pk, 5);
    cr_assert_eq(pb, 1500);
    cr_assert_eq(others, 2, "one (other) series per prefix metric, a real \"(other)\" key folded in");
    free(buf);
    agg_free(a);
}
