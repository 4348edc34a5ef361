/* Unit tests for rdb/intset.c: 16/32/64-bit members, header checks,
 * ordering. */
#include <criterion/criterion.h>
#include <string.h>

#include "rdb/intset.h"

static void expect_members(const uint8_t *blob, size_t len, uint32_t width,
                           const int64_t *want, size_t n)
{
    intset_iter it;
    const char *err = NULL;
    int64_t v;
    size_t off = 0;
    cr_assert_eq(intset_iter_init(&it, blob, len, &err), 0, "%s", err ? err : "");
    cr_assert_eq(it.width, width);
    cr_assert_eq(it.count, n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(intset_iter_next(&it, &v, &off, &err), 1, "member %zu: %s", i, err ? err : "");
        cr_assert_eq(v, want[i], "member %zu: %lld", i, (long long)v);
        cr_assert_eq(off, 8 + i * width);
    }
    cr_assert_eq(intset_iter_next(&it, &v, &off, &err), 0);
    cr_assert_eq(intset_iter_next(&it, &v, &off, &err), 0);
}

static void init_fail(const uint8_t *blob, size_t len, const char *msg)
{
    intset_iter it;
    const char *err = NULL;
    cr_assert_eq(intset_iter_init(&it, blob, len, &err), -1);
    cr_assert_str_eq(err, msg);
}

Test(intset, width16)
{
    const uint8_t blob[] = {
        2, 0, 0, 0, 5, 0, 0, 0,
        0x00, 0x80,   /* -32768 */
        0xFF, 0xFF,   /* -1 */
        0x00, 0x00,   /* 0 */
        0x01, 0x00,   /* 1 */
        0xFF, 0x7F,   /* 32767 */
    };
    const int64_t want[] = { -32768, -1, 0, 1, 32767 };
    expect_members(blob, sizeof blob, 2, want, 5);
}

Test(intset, width32)
{
    const uint8_t blob[] = {
        4, 0, 0, 0, 4, 0, 0, 0,
        0x00, 0x00, 0x00, 0x80,   /* INT32_MIN */
        0xFF, 0x7F, 0xFF, 0xFF,   /* -32769 */
        0x00, 0x80, 0x00, 0x00,   /* 32768 */
        0xFF, 0xFF, 0xFF, 0x7F,   /* INT32_MAX */
    };
    const int64_t want[] = { INT32_MIN, -32769, 32768, INT32_MAX };
    expect_members(blob, sizeof blob, 4, want, 4);
}

Test(intset, width64)
{
    const uint8_t blob[] = {
        8, 0, 0, 0, 3, 0, 0, 0,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,   /* INT64_MIN */
        0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00,   /* 2^31 */
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F,   /* INT64_MAX */
    };
    const int64_t want[] = { INT64_MIN, 2147483648LL, INT64_MAX };
    expect_members(blob, sizeof blob, 8, want, 3);
}

/* A real intset: set "myintest" from librdb's set_is_v11.rdb. */
Test(intset, real_set_from_redis)
{
    const uint8_t blob[] = {
        0x04, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x00, 0x00, 0xd2, 0x02, 0x96, 0x49,
    };
    const int64_t want[] = { 1, 2, 3, 4, 5, 1234567890 };
    expect_members(blob, sizeof blob, 4, want, 6);
}

Test(intset, header_errors)
{
    const uint8_t tiny[] = { 2, 0, 0, 0, 0, 0, 0 };
    init_fail(tiny, sizeof tiny, "intset shorter than its 8-byte header");

    const uint8_t w3[] = { 3, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3 };
    init_fail(w3, sizeof w3, "intset width is not 2, 4 or 8");
    const uint8_t w0[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
    init_fail(w0, sizeof w0, "intset width is not 2, 4 or 8");
    const uint8_t w16[] = { 16, 0, 0, 0, 0, 0, 0, 0 };
    init_fail(w16, sizeof w16, "intset width is not 2, 4 or 8");
    const uint8_t wbig[] = { 2, 0, 0, 1, 1, 0, 0, 0, 1, 0 };
    init_fail(wbig, sizeof wbig, "intset width is not 2, 4 or 8");

    const uint8_t shortby1[] = { 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 2 };
    init_fail(shortby1, sizeof shortby1, "intset length does not match its member count");
    const uint8_t longby2[] = { 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 0 };
    init_fail(longby2, sizeof longby2, "intset length does not match its member count");
    /* count * width would wrap in 32 bits: 0x40000001 * 4 = 4 (mod 2^32) */
    const uint8_t wrap[] = { 4, 0, 0, 0, 0x01, 0, 0, 0x40, 1, 0, 0, 0 };
    init_fail(wrap, sizeof wrap, "intset length does not match its member count");

    const uint8_t empty[] = { 2, 0, 0, 0, 0, 0, 0, 0 };
    init_fail(empty, sizeof empty, "intset is empty");
}

static void expect_order_fail(const uint8_t *blob, size_t len, size_t good, size_t bad_off)
{
    intset_iter it;
    const char *err = NULL;
    int64_t v;
    size_t off = 0;
    cr_assert_eq(intset_iter_init(&it, blob, len, &err), 0, "%s", err ? err : "");
    for (size_t i = 0; i < good; i++)
        cr_assert_eq(intset_iter_next(&it, &v, &off, &err), 1);
    cr_assert_eq(intset_iter_next(&it, &v, &off, &err), -1);
    cr_assert_str_eq(err, "intset members not ascending");
    cr_assert_eq(off, bad_off);
}

Test(intset, not_ascending)
{
    const uint8_t dup[] = { 2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 5, 0, 5, 0 };
    expect_order_fail(dup, sizeof dup, 2, 12);

    const uint8_t desc[] = { 4, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0 };
    expect_order_fail(desc, sizeof desc, 1, 12);

    /* sign matters: 0xFFFF is -1, below 1 */
    const uint8_t sign[] = { 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0xFF, 0xFF };
    expect_order_fail(sign, sizeof sign, 1, 10);

    const uint8_t d64[] = {
        8, 0, 0, 0, 2, 0, 0, 0,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,
    };
    expect_order_fail(d64, sizeof d64, 1, 16);
}
