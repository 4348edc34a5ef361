/* Unit tests for rdb/zipmap.c: 1- and 5-byte lengths, free bytes, the end
 * marker and the pair count. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "rdb/zipmap.h"

static void init_ok(zm_iter *it, const uint8_t *blob, size_t len)
{
    const char *err = NULL;
    cr_assert_eq(zm_iter_init(it, blob, len, &err), 0, "%s", err ? err : "");
}

static void next_pair(zm_iter *it, const char *f, const char *v)
{
    rdb_item fi, vi;
    const char *err = NULL;
    size_t at = it->pos;
    cr_assert_eq(zm_iter_next(it, &fi, &vi, &err), 1, "pair at %zu: %s", at, err ? err : "");
    cr_assert_not(fi.is_int);
    cr_assert_not(vi.is_int);
    cr_assert_eq(fi.len, strlen(f));
    cr_assert_eq(vi.len, strlen(v));
    cr_assert_eq(memcmp(fi.ptr, f, fi.len), 0);
    cr_assert_eq(memcmp(vi.ptr, v, vi.len), 0);
}

static void at_end(zm_iter *it)
{
    rdb_item fi, vi;
    const char *err = NULL;
    cr_assert_eq(zm_iter_next(it, &fi, &vi, &err), 0, "%s", err ? err : "");
    cr_assert_eq(it->pos, it->len - 1);
}

static void expect_fail(zm_iter *it, size_t pos, const char *msg)
{
    rdb_item fi, vi;
    const char *err = NULL;
    cr_assert_eq(zm_iter_next(it, &fi, &vi, &err), -1);
    cr_assert_str_eq(err, msg);
    cr_assert_eq(it->pos, pos);
}

/* A real zipmap: hash "myhash" from librdb's hash_zm_v2.rdb (Redis 2.x),
 * LZF-decompressed. */
Test(zipmap, real_hash_from_redis)
{
    const uint8_t blob[] = {
        0x09, 0x01, 0x31, 0x01, 0x00, 0x31, 0x01, 0x32, 0x01, 0x00, 0x32, 0x01,
        0x33, 0x01, 0x00, 0x33, 0x03, 0x31, 0x2e, 0x31, 0x03, 0x00, 0x31, 0x2e,
        0x31, 0x03, 0x31, 0x2e, 0x32, 0x03, 0x00, 0x31, 0x2e, 0x32, 0x03, 0x31,
        0x2e, 0x33, 0x03, 0x00, 0x31, 0x2e, 0x33, 0x04, 0x61, 0x61, 0x61, 0x31,
        0x04, 0x00, 0x61, 0x61, 0x61, 0x31, 0x04, 0x61, 0x61, 0x61, 0x32, 0x04,
        0x00, 0x61, 0x61, 0x61, 0x32, 0x04, 0x61, 0x61, 0x61, 0x33, 0x04, 0x00,
        0x61, 0x61, 0x61, 0x33, 0xff
    };
    zm_iter it;
    init_ok(&it, blob, sizeof blob);
    cr_assert_eq(it.declared, 9);
    next_pair(&it, "1", "1");
    next_pair(&it, "2", "2");
    next_pair(&it, "3", "3");
    next_pair(&it, "1.1", "1.1");
    next_pair(&it, "1.2", "1.2");
    next_pair(&it, "1.3", "1.3");
    next_pair(&it, "aaa1", "aaa1");
    next_pair(&it, "aaa2", "aaa2");
    next_pair(&it, "aaa3", "aaa3");
    at_end(&it);
    cr_assert_eq(it.seen, 9);
}

Test(zipmap, free_bytes_skipped)
{
    const uint8_t blob[] = {
        0x02,
        0x03, 'f', 'o', 'o', 0x03, 0x02, 'b', 'a', 'r', 0xAA, 0xBB,  /* 2 free */
        0x01, 'k', 0x00, 0x04, 0xFF, 0xFF, 0xFF, 0xFF,              /* "" + 4 free */
        0xFF
    };
    zm_iter it;
    init_ok(&it, blob, sizeof blob);
    next_pair(&it, "foo", "bar");
    cr_assert_eq(it.pos, 12);
    next_pair(&it, "k", "");
    at_end(&it);
}

Test(zipmap, big_lengths)
{
    /* a 300-byte field (0xFE + u32 LE) and a 254-byte value, count unknown */
    const size_t total = 1 + 5 + 300 + 5 + 1 + 254 + 1;
    uint8_t *blob = malloc(total);
    size_t n = 0;
    cr_assert_not_null(blob);
    blob[n++] = 0xFE;
    blob[n++] = 0xFE; blob[n++] = 0x2C; blob[n++] = 0x01; blob[n++] = 0; blob[n++] = 0;
    memset(blob + n, 'f', 300); n += 300;
    blob[n++] = 0xFE; blob[n++] = 0xFE; blob[n++] = 0; blob[n++] = 0; blob[n++] = 0;
    blob[n++] = 0x00;
    memset(blob + n, 'v', 254); n += 254;
    blob[n++] = 0xFF;
    cr_assert_eq(n, total);

    zm_iter it;
    rdb_item fi, vi;
    const char *err = NULL;
    init_ok(&it, blob, total);
    cr_assert_eq(it.declared, 254);
    cr_assert_eq(zm_iter_next(&it, &fi, &vi, &err), 1, "%s", err ? err : "");
    cr_assert_eq(fi.len, 300);
    cr_assert_eq(fi.ptr, blob + 6);
    cr_assert_eq(vi.len, 254);
    cr_assert_eq(vi.ptr, blob + 6 + 300 + 6);
    at_end(&it);
    free(blob);
}

Test(zipmap, header_errors)
{
    zm_iter it;
    const char *err = NULL;
    const uint8_t one[] = { 0xFF };
    cr_assert_eq(zm_iter_init(&it, one, sizeof one, &err), -1);
    cr_assert_str_eq(err, "zipmap shorter than its 2-byte minimum");

    const uint8_t noterm[] = { 0x01, 0x01, 'a', 0x01, 0x00, 'b', 0x00 };
    cr_assert_eq(zm_iter_init(&it, noterm, sizeof noterm, &err), -1);
    cr_assert_str_eq(err, "zipmap does not end with 0xFF");
    cr_assert_eq(it.pos, 6);
}

Test(zipmap, empty_rejected)
{
    const uint8_t blob[] = { 0x00, 0xFF };
    zm_iter it;
    init_ok(&it, blob, sizeof blob);
    expect_fail(&it, 1, "zipmap is empty");
}

Test(zipmap, wrong_count)
{
    const uint8_t blob[] = { 0x02, 0x01, 'a', 0x01, 0x00, 'b', 0xFF };
    zm_iter it;
    init_ok(&it, blob, sizeof blob);
    next_pair(&it, "a", "b");
    expect_fail(&it, 6, "zipmap entry count does not match the header");

    const uint8_t unknown[] = { 0xFF, 0x01, 'a', 0x01, 0x00, 'b', 0xFF };
    init_ok(&it, unknown, sizeof unknown);
    next_pair(&it, "a", "b");
    at_end(&it);
}

Test(zipmap, early_end_marker)
{
    const uint8_t blob[] = { 0x01, 0x01, 'a', 0x01, 0x00, 'b', 0xFF, 0x00, 0xFF };
    zm_iter it;
    init_ok(&it, blob, sizeof blob);
    next_pair(&it, "a", "b");
    expect_fail(&it, 6, "zipmap end marker before the blob end");
}

Test(zipmap, truncated)
{
    static const struct { uint8_t b[16]; size_t n; } cases[] = {
        { { 0x01, 0x05, 'a', 'b', 0xFF }, 5 },                       /* field cut */
        { { 0x01, 0xFE, 0x01, 0x00, 0xFF }, 5 },                     /* 5-byte len cut */
        { { 0x01, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 'a', 0xFF }, 8 },    /* 4 GiB field */
        { { 0x01, 0x01, 'a', 0xFF }, 4 },                            /* no value len */
        { { 0x01, 0x01, 'a', 0x01, 0xFF }, 5 },                      /* no free byte */
        { { 0x01, 0x01, 'a', 0x03, 0x00, 'b', 0xFF }, 7 },           /* value cut */
        { { 0x01, 0x01, 'a', 0x01, 0x05, 'b', 0x00, 0xFF }, 8 },     /* free cut */
        { { 0x01, 0x01, 'a', 0x01, 0xFF, 'b', 0xFF }, 7 },           /* free 255 */
        { { 0x01, 0x01, 'a', 0xFE, 0x01, 0x00, 0x00, 0x00, 0xFF }, 9 }, /* no free */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zm_iter it;
        init_ok(&it, cases[i].b, cases[i].n);
        expect_fail(&it, 1, "zipmap entry runs past the blob end");
    }
}
