/* test_keyfmt.c: the bytes `rdblens keys` writes per key (report/keyfmt.c):
 * CSV and JSON escaping of binary, UTF-8, quotes and backslashes, every
 * field, ISO-8601 expiry on both sides of the arithmetic fast path, and keys
 * longer than the line buffer. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/keyfmt.h"

/* Runs fn into a memory stream and returns what it wrote (caller frees). */
#define CAPTURE(buf, len, call)                                  \
    do {                                                         \
        FILE *f_ = open_memstream(&(buf), &(len));               \
        cr_assert_not_null(f_);                                  \
        FILE *out = f_;                                          \
        call;                                                    \
        fclose(f_);                                              \
    } while (0)

static key_record rec(const char *key, size_t key_len) {
    key_record r;
    memset(&r, 0, sizeof r);
    r.db = 3;
    r.key = (const uint8_t *)key;
    r.key_len = key_len;
    r.type = RDB_KIND_HASH;
    r.rdb_type = 16;
    r.encoding = "listpack";
    r.has_bytes = true;
    r.bytes = 18446744073709551615ull;
    r.elements = 12;
    r.largest = 0;
    return r;
}

Test(keyfmt, csv_escapes_and_fields) {
    /* quote, backslash, control byte, valid UTF-8 (e-acute), invalid 0xff */
    static const char key[] = "a\"b\\c\x01" "\xc3\xa9" "\xff";
    key_record r = rec(key, sizeof key - 1);
    r.has_expire = true;
    r.expire_ms = 951782400123;  /* 2000-02-29 */
    char *buf = NULL;
    size_t len = 0;
    CAPTURE(buf, len, keyfmt_csv_record(out, &r));
    cr_assert_str_eq(buf, "3,hash,\"a\"\"b\\\\c\\x01\xc3\xa9\\xff\",18446744073709551615,listpack,12,0,"
                          "2000-02-29T00:00:00.123Z\n");
    free(buf);
}

Test(keyfmt, csv_without_model_or_ttl) {
    key_record r = rec("k", 1);
    r.has_bytes = false;
    r.encoding = NULL;
    char *buf = NULL;
    size_t len = 0;
    CAPTURE(buf, len, keyfmt_csv_record(out, &r));
    cr_assert_str_eq(buf, "3,hash,\"k\",,,12,0,\n");
    free(buf);
}

Test(keyfmt, json_record_every_field) {
    static const char key[] = "q\"\\\n";
    key_record r = rec(key, sizeof key - 1);
    r.has_expire = true;
    r.expire_ms = -1;
    r.has_idle = true;
    r.idle_s = 7;
    r.has_freq = true;
    r.freq = 255;
    r.module_name = "ReJSON-RL";
    r.module_encver = 3;
    r.bytes_basis = KEY_BASIS_SOURCE;
    r.serialized_bytes = 4242;
    char *buf = NULL;
    size_t len = 0;
    CAPTURE(buf, len, keyfmt_json_record(out, &r));
    cr_assert_str_eq(buf, "{\"db\":3,\"key\":\"q\\\"\\\\\\\\\\\\x0a\",\"type\":\"hash\",\"rdb_type\":16,"
                          "\"encoding\":\"listpack\",\"bytes\":18446744073709551615,\"elements\":12,"
                          "\"largest\":0,\"expires_at_ms\":-1,\"idle_s\":7,\"freq\":255,"
                          "\"module\":\"ReJSON-RL\",\"module_encver\":3,"
                          "\"bytes_basis\":\"source-model\",\"serialized_bytes\":4242}");
    free(buf);
}

Test(keyfmt, json_record_of_a_kept_head) {
    key_record r = rec("user:", 5);
    r.key_full_len = 70000;
    char *buf = NULL;
    size_t len = 0;
    CAPTURE(buf, len, keyfmt_json_record(out, &r));
    static const char head[] =
        "{\"db\":3,\"key\":\"user:\",\"key_truncated\":true,\"key_length\":70000,\"type\":\"hash\",";
    cr_assert(strncmp(buf, head, sizeof head - 1) == 0, "%s", buf);
    free(buf);
}

Test(keyfmt, iso8601_fast_path_and_fallback) {
    static const struct { int64_t ms; const char *text; } cases[] = {
        {0, "1970-01-01T00:00:00.000Z"},
        {-1, "1969-12-31T23:59:59.999Z"},            /* before 1970: gmtime_r */
        {1709251199999, "2024-02-29T23:59:59.999Z"},
        {4102444800000, "2100-01-01T00:00:00.000Z"},  /* not a leap year */
        {253402300799999, "9999-12-31T23:59:59.999Z"},
        {253402300800000, "10000-01-01T00:00:00.000Z"},  /* past the fast path */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *buf = NULL;
        size_t len = 0;
        CAPTURE(buf, len, keyfmt_iso8601_ms(out, cases[i].ms));
        cr_assert_str_eq(buf, cases[i].text, "%lld", (long long)cases[i].ms);
        free(buf);
    }
}

/* A key far longer than the 1 KiB line buffer, with escapes on both sides of
 * every flush point, comes out whole and in order. */
Test(keyfmt, key_longer_than_the_buffer) {
    size_t n = 5000;
    char *key = malloc(n);
    cr_assert_not_null(key);
    for (size_t i = 0; i < n; i++) key[i] = i % 7 == 0 ? '"' : (char)('a' + i % 26);
    key_record r = rec(key, n);
    char *buf = NULL;
    size_t len = 0;
    CAPTURE(buf, len, keyfmt_csv_record(out, &r));
    /* expected: the key with each quote doubled */
    size_t quotes = (n + 6) / 7;
    const char *tail = ",18446744073709551615,listpack,12,0,\n";
    cr_assert_eq(len, strlen("3,hash,\"") + n + quotes + 1 + strlen(tail));
    const char *p = buf + strlen("3,hash,\"");
    for (size_t i = 0; i < n; i++) {
        if (key[i] == '"') {
            cr_assert(p[0] == '"' && p[1] == '"', "at %zu", i);
            p += 2;
        } else {
            cr_assert_eq(*p, key[i], "at %zu", i);
            p++;
        }
    }
    cr_assert_eq(*p, '"');
    cr_assert_str_eq(p + 1, tail);
    free(buf);
    free(key);
}
