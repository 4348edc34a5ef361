/* Unit tests for rdb/numtext.c: decimal text length, formatting and the
 * strict string2ll parse. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "rdb/numtext.h"

static bool parse(const char *s, int64_t *v)
{
    return rdb_text_to_int((const uint8_t *)s, strlen(s), v);
}

static void check_text(int64_t v, const char *want)
{
    char buf[24];
    size_t n = rdb_int_to_text(v, buf);
    cr_assert_eq(n, strlen(want), "length of %s", want);
    cr_assert_eq(memcmp(buf, want, n), 0, "text of %s", want);
    cr_assert_eq(rdb_int_text_len(v), strlen(want), "text_len of %s", want);
}

Test(numtext, text_len_boundaries)
{
    cr_assert_eq(rdb_int_text_len(0), 1);
    cr_assert_eq(rdb_int_text_len(9), 1);
    cr_assert_eq(rdb_int_text_len(10), 2);
    cr_assert_eq(rdb_int_text_len(-1), 2);
    cr_assert_eq(rdb_int_text_len(-9), 2);
    cr_assert_eq(rdb_int_text_len(-10), 3);
    cr_assert_eq(rdb_int_text_len(99999), 5);
    cr_assert_eq(rdb_int_text_len(100000), 6);
    cr_assert_eq(rdb_int_text_len(INT64_MAX), 19);
    cr_assert_eq(rdb_int_text_len(INT64_MIN), 20);
    cr_assert_eq(rdb_int_text_len(INT64_MIN + 1), 20);
    cr_assert_eq(rdb_int_text_len(1000000000000000000LL), 19);
    cr_assert_eq(rdb_int_text_len(999999999999999999LL), 18);
}

/* Every power of ten and of two, one either side, both signs, against
 * snprintf: the length comes from the bit length plus one comparison. */
Test(numtext, text_len_matches_printf_at_every_boundary)
{
    int64_t p10 = 1;
    for (int k = 0; k < 19; k++, p10 = k < 18 ? p10 * 10 : p10) {
        for (int64_t d = -1; d <= 1; d++) {
            for (int sign = 1; sign >= -1; sign -= 2) {
                int64_t v = sign * (p10 + d);
                char want[32];
                snprintf(want, sizeof want, "%lld", (long long)v);
                cr_assert_eq(rdb_int_text_len(v), strlen(want), "text_len of %s", want);
            }
        }
    }
    for (int k = 0; k < 63; k++) {
        int64_t p2 = (int64_t)(1ull << k);
        int64_t vals[4] = { p2, p2 - 1, -p2, -(p2 - 1) };
        for (int i = 0; i < 4; i++) {
            char want[32];
            snprintf(want, sizeof want, "%lld", (long long)vals[i]);
            cr_assert_eq(rdb_int_text_len(vals[i]), strlen(want), "text_len of %s", want);
        }
    }
}

Test(numtext, to_text)
{
    check_text(0, "0");
    check_text(7, "7");
    check_text(-7, "-7");
    check_text(10, "10");
    check_text(-4096, "-4096");
    check_text(123456789, "123456789");
    check_text(INT64_MAX, "9223372036854775807");
    check_text(INT64_MIN, "-9223372036854775808");
    check_text(INT64_MIN + 1, "-9223372036854775807");
}

Test(numtext, parse_accepts_canonical)
{
    int64_t v = 42;
    cr_assert(parse("0", &v));
    cr_assert_eq(v, 0);
    cr_assert(parse("7", &v));
    cr_assert_eq(v, 7);
    cr_assert(parse("-1", &v));
    cr_assert_eq(v, -1);
    cr_assert(parse("1234567890", &v));
    cr_assert_eq(v, 1234567890);
    cr_assert(parse("9223372036854775807", &v));
    cr_assert_eq(v, INT64_MAX);
    cr_assert(parse("-9223372036854775808", &v));
    cr_assert_eq(v, INT64_MIN);
    cr_assert(parse("-9223372036854775807", &v));
    cr_assert_eq(v, INT64_MIN + 1);
    cr_assert(rdb_text_to_int((const uint8_t *)"55", 2, NULL));
}

Test(numtext, parse_rejects_non_canonical)
{
    int64_t v = 42;
    const char *bad[] = {
        "", "-", "+7", "+0", "-0", "00", "007", "-07", " 7", "7 ", "7a", "a7",
        "1.0", "1e3", "--1", "0x10", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616",
        "99999999999999999999", "184467440737095516150",
        "000000000000000000001", "-00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_not(parse(bad[i], &v), "accepted \"%s\"", bad[i]);
        cr_assert_eq(v, 42, "wrote *out for \"%s\"", bad[i]);
    }
    cr_assert_not(rdb_text_to_int(NULL, 0, &v));
}

/* The path without per-digit overflow checks (at most 18 digits) and the
 * checked one agree with a reference (strtoll plus the canonical-form
 * rules) on every length around the switch, signs and stray bytes. */
static bool reference(const char *t, int64_t *out)
{
    if (strcmp(t, "0") == 0) return *out = 0, true;
    size_t n = strlen(t), i = t[0] == '-';
    if (n == 0 || n > 20 || i == n || t[i] < '1' || t[i] > '9') return false;
    for (size_t j = i; j < n; j++)
        if (t[j] < '0' || t[j] > '9') return false;
    errno = 0;
    char *end;
    long long v = strtoll(t, &end, 10);
    if (errno || *end) return false;
    *out = v;
    return true;
}

Test(numtext, parse_agrees_with_reference_around_18_digits)
{
    uint64_t st = 7;
    for (int round = 0; round < 20000; round++) {
        char t[24];
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        size_t n = 1 + (size_t)(st >> 33) % 21, i = 0;
        if ((st >> 60) % 3 == 0) t[i++] = '-';
        for (; i < n; i++) {
            st = st * 6364136223846793005ull + 1442695040888963407ull;
            unsigned r = (unsigned)(st >> 33);
            t[i] = r % 50 == 0 ? 'x' : (char)('0' + r % 10);
        }
        t[n] = 0;
        int64_t a = 42, b = 42;
        bool ra = reference(t, &a), rb = rdb_text_to_int((const uint8_t *)t, n, &b);
        cr_assert_eq(rb, ra, "\"%s\"", t);
        if (ra) cr_assert_eq(b, a, "\"%s\"", t);
    }
    int64_t v;
    cr_assert(parse("999999999999999999", &v));
    cr_assert_eq(v, 999999999999999999LL);
    cr_assert(parse("-999999999999999999", &v));
    cr_assert_eq(v, -999999999999999999LL);
    cr_assert(parse("1000000000000000000", &v));
    cr_assert_eq(v, 1000000000000000000LL);
    cr_assert_not(parse("99999999999999999x", &v));
}

Test(numtext, parse_respects_length)
{
    int64_t v = 0;
    const uint8_t s[] = "12345";
    cr_assert(rdb_text_to_int(s, 3, &v));
    cr_assert_eq(v, 123);
    const uint8_t z[] = { '1', 0, '2' };   /* embedded NUL */
    cr_assert_not(rdb_text_to_int(z, 3, &v));
    cr_assert(rdb_text_to_int(z, 1, &v));
    cr_assert_eq(v, 1);
}

Test(numtext, roundtrip)
{
    const int64_t vals[] = { 0, 1, -1, 127, 128, -4096, 4095, 32767, -32768,
        8388607, -8388608, 2147483647LL, -2147483648LL, INT64_MAX, INT64_MIN };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char buf[24];
        int64_t back = 0;
        size_t n = rdb_int_to_text(vals[i], buf);
        cr_assert(rdb_text_to_int((const uint8_t *)buf, n, &back));
        cr_assert_eq(back, vals[i]);
    }
}
