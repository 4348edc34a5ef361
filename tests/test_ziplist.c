/* Unit tests for rdb/ziplist.c: every entry encoding, both prevlen forms,
 * header checks and malformed blobs. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "rdb/ziplist.h"

static void put_u32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v & 0xFF);
    p[1] = (uint8_t)((v >> 8) & 0xFF);
    p[2] = (uint8_t)((v >> 16) & 0xFF);
    p[3] = (uint8_t)(v >> 24);
}

/* Header (zlbytes, zltail, zllen) + body + 0xFF. Returns the blob length. */
static size_t zl_wrap(uint8_t *out, const uint8_t *body, size_t body_len,
                      uint32_t zltail, uint16_t zllen)
{
    size_t total = 10 + body_len + 1;
    put_u32le(out, (uint32_t)total);
    put_u32le(out + 4, zltail);
    out[8] = (uint8_t)(zllen & 0xFF);
    out[9] = (uint8_t)(zllen >> 8);
    memcpy(out + 10, body, body_len);
    out[total - 1] = 0xFF;
    return total;
}

static void init_ok(zl_iter *it, const uint8_t *blob, size_t len)
{
    const char *err = NULL;
    cr_assert_eq(zl_iter_init(it, blob, len, &err), 0, "%s", err ? err : "");
}

static void init_fail(const uint8_t *blob, size_t len, size_t pos, const char *msg)
{
    zl_iter it;
    const char *err = NULL;
    cr_assert_eq(zl_iter_init(&it, blob, len, &err), -1);
    cr_assert_str_eq(err, msg);
    cr_assert_eq(it.pos, pos);
}

static void next_int(zl_iter *it, int64_t v, size_t textlen)
{
    rdb_item item;
    const char *err = NULL;
    size_t at = it->pos;
    cr_assert_eq(zl_iter_next(it, &item, &err), 1, "entry at %zu: %s", at, err ? err : "");
    cr_assert(item.is_int, "entry at %zu not an int", at);
    cr_assert_eq(item.ival, v, "entry at %zu: %lld != %lld", at, (long long)item.ival, (long long)v);
    cr_assert_eq(item.len, textlen);
    cr_assert_null(item.ptr);
}

static void next_str(zl_iter *it, const uint8_t *s, size_t len)
{
    rdb_item item;
    const char *err = NULL;
    size_t at = it->pos;
    cr_assert_eq(zl_iter_next(it, &item, &err), 1, "entry at %zu: %s", at, err ? err : "");
    cr_assert_not(item.is_int);
    cr_assert_eq(item.len, len);
    cr_assert_eq(memcmp(item.ptr, s, len), 0);
}

static void at_end(zl_iter *it)
{
    rdb_item item;
    const char *err = NULL;
    cr_assert_eq(zl_iter_next(it, &item, &err), 0, "%s", err ? err : "");
    cr_assert_eq(it->pos, it->len - 1);
}

static void expect_fail(zl_iter *it, size_t pos, const char *msg)
{
    rdb_item item;
    const char *err = NULL;
    cr_assert_eq(zl_iter_next(it, &item, &err), -1);
    cr_assert_not_null(err);
    cr_assert_str_eq(err, msg);
    cr_assert_eq(it->pos, pos, "pos %zu, expected %zu", it->pos, pos);
}

Test(ziplist, empty)
{
    const uint8_t blob[] = { 0x0B, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0, 0xFF };
    zl_iter it;
    init_ok(&it, blob, sizeof blob);
    cr_assert_eq(it.declared, 0);
    at_end(&it);
    at_end(&it);
}

/* A real ziplist: hash "myhash" from librdb's hash_zl_v6.rdb (Redis 6.0). */
Test(ziplist, real_hash_from_redis)
{
    const uint8_t blob[] = {
        0x39, 0x00, 0x00, 0x00, 0x32, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0xf2,
        0x02, 0xf3, 0x02, 0xf4, 0x02, 0xf5, 0x02, 0xf6, 0x02, 0xf7, 0x02, 0x03,
        0x37, 0x2e, 0x30, 0x05, 0x03, 0x38, 0x2e, 0x30, 0x05, 0x04, 0x73, 0x74,
        0x72, 0x31, 0x06, 0x04, 0x73, 0x74, 0x72, 0x32, 0x06, 0x04, 0x73, 0x74,
        0x72, 0x33, 0x06, 0x04, 0x73, 0x74, 0x72, 0x34, 0xff
    };
    zl_iter it;
    init_ok(&it, blob, sizeof blob);
    cr_assert_eq(it.declared, 12);
    for (int64_t v = 1; v <= 6; v++)
        next_int(&it, v, 1);
    next_str(&it, (const uint8_t *)"7.0", 3);
    next_str(&it, (const uint8_t *)"8.0", 3);
    next_str(&it, (const uint8_t *)"str1", 4);
    next_str(&it, (const uint8_t *)"str2", 4);
    next_str(&it, (const uint8_t *)"str3", 4);
    next_str(&it, (const uint8_t *)"str4", 4);
    at_end(&it);
    cr_assert_eq(it.seen, 12);
}

static const uint8_t int_body[] = {
    /* off 10 */ 0x00, 0xC0, 0x00, 0x80,                                     /* int16 -32768 */
    /* off 14 */ 0x04, 0xC0, 0xFF, 0x7F,                                     /* int16 32767 */
    /* off 18 */ 0x04, 0xF0, 0x00, 0x00, 0x80,                               /* int24 -8388608 */
    /* off 23 */ 0x05, 0xF0, 0xFF, 0xFF, 0x7F,                               /* int24 8388607 */
    /* off 28 */ 0x05, 0xD0, 0x00, 0x00, 0x00, 0x80,                         /* int32 min */
    /* off 34 */ 0x06, 0xD0, 0xFF, 0xFF, 0xFF, 0x7F,                         /* int32 max */
    /* off 40 */ 0x06, 0xE0, 0, 0, 0, 0, 0, 0, 0, 0x80,                      /* int64 min */
    /* off 50 */ 0x0A, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, /* int64 max */
    /* off 60 */ 0x0A, 0xFE, 0x80,                                           /* int8 -128 */
    /* off 63 */ 0x03, 0xFE, 0x7F,                                           /* int8 127 */
    /* off 66 */ 0x03, 0xF1,                                                 /* imm 0 */
    /* off 68 */ 0x02, 0xFD,                                                 /* imm 12 */
    /* off 70 */ 0x02, 0xFE, 0xFF,                                           /* int8 -1 */
    /* off 73: terminator */
};

Test(ziplist, all_integer_encodings)
{
    uint8_t blob[sizeof int_body + 11];
    size_t len = zl_wrap(blob, int_body, sizeof int_body, 70, 13);
    zl_iter it;
    cr_assert_eq(len, 74);
    init_ok(&it, blob, len);
    next_int(&it, -32768, 6);
    next_int(&it, 32767, 5);
    next_int(&it, -8388608, 8);
    next_int(&it, 8388607, 7);
    next_int(&it, INT32_MIN, 11);
    next_int(&it, INT32_MAX, 10);
    next_int(&it, INT64_MIN, 20);
    next_int(&it, INT64_MAX, 19);
    next_int(&it, -128, 4);
    next_int(&it, 127, 3);
    next_int(&it, 0, 1);
    next_int(&it, 12, 2);
    cr_assert_eq(it.pos, 70);
    next_int(&it, -1, 2);
    at_end(&it);
    cr_assert_eq(it.seen, 13);
}

Test(ziplist, all_immediates)
{
    uint8_t body[13 * 2], blob[13 * 2 + 11];
    for (int i = 0; i < 13; i++) {
        body[2 * i] = i == 0 ? 0x00 : 0x02;
        body[2 * i + 1] = (uint8_t)(0xF1 + i);
    }
    size_t len = zl_wrap(blob, body, sizeof body, 10 + 12 * 2, 13);
    zl_iter it;
    init_ok(&it, blob, len);
    for (int64_t v = 0; v <= 12; v++)
        next_int(&it, v, v < 10 ? 1 : 2);
    at_end(&it);
}

Test(ziplist, strings_and_big_prevlen)
{
    /* entry sizes: "abc" 5, 64-byte 14-bit 67, 16383-byte 14-bit 16386,
     * 16384-byte 32-bit (5-byte prevlen) 16394, "" with 5-byte prevlen 6,
     * immediate 1 with a 5-byte prevlen holding 6 (legal, servers keep it) 6 */
    const size_t total = 10 + 5 + 67 + 16386 + 16394 + 6 + 6 + 1;
    uint8_t *blob = malloc(total);
    size_t n = 10;
    cr_assert_not_null(blob);

    blob[n++] = 0x00; blob[n++] = 0x03; memcpy(blob + n, "abc", 3); n += 3;
    cr_assert_eq(n, 15);
    blob[n++] = 0x05; blob[n++] = 0x40; blob[n++] = 0x40; memset(blob + n, 'y', 64); n += 64;
    cr_assert_eq(n, 82);
    blob[n++] = 0x43; blob[n++] = 0x7F; blob[n++] = 0xFF; memset(blob + n, 'z', 16383); n += 16383;
    cr_assert_eq(n, 16468);
    blob[n++] = 0xFE; put_u32le(blob + n, 16386); n += 4;
    blob[n++] = 0x80; blob[n++] = 0x00; blob[n++] = 0x00; blob[n++] = 0x40; blob[n++] = 0x00;
    memset(blob + n, 'w', 16384); n += 16384;
    cr_assert_eq(n, 32862);
    blob[n++] = 0xFE; put_u32le(blob + n, 16394); n += 4; blob[n++] = 0x00;
    cr_assert_eq(n, 32868);
    blob[n++] = 0xFE; put_u32le(blob + n, 6); n += 4; blob[n++] = 0xF2;
    blob[n++] = 0xFF;
    cr_assert_eq(n, total);
    put_u32le(blob, (uint32_t)total);
    put_u32le(blob + 4, 32868);
    blob[8] = 6; blob[9] = 0;

    zl_iter it;
    rdb_item item;
    const char *err = NULL;
    init_ok(&it, blob, total);
    next_str(&it, (const uint8_t *)"abc", 3);
    cr_assert_eq(zl_iter_next(&it, &item, &err), 1);
    cr_assert_eq(item.len, 64);
    cr_assert_eq(item.ptr, blob + 15 + 3);
    cr_assert_eq(zl_iter_next(&it, &item, &err), 1);
    cr_assert_eq(item.len, 16383);
    cr_assert_eq(item.ptr, blob + 82 + 3);
    cr_assert_eq(item.ptr[0], 'z');
    cr_assert_eq(item.ptr[16382], 'z');
    cr_assert_eq(zl_iter_next(&it, &item, &err), 1);
    cr_assert_eq(item.len, 16384);
    cr_assert_eq(item.ptr, blob + 16468 + 10);
    cr_assert_eq(item.ptr[16383], 'w');
    cr_assert_eq(zl_iter_next(&it, &item, &err), 1);
    cr_assert_not(item.is_int);
    cr_assert_eq(item.len, 0);
    next_int(&it, 1, 1);
    at_end(&it);

    /* the 32-bit prevlen of the "" entry off by one */
    put_u32le(blob + 32863, 16393);
    init_ok(&it, blob, total);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(zl_iter_next(&it, &item, &err), 1);
    expect_fail(&it, 32862, "ziplist prevlen does not match previous entry size");
    free(blob);
}

Test(ziplist, str32_low_bits_ignored)
{
    /* the server masks 10xxxxxx to 0x80; the length is in the next 4 bytes */
    const uint8_t body[] = { 0x00, 0x85, 0x00, 0x00, 0x00, 0x02, 'h', 'i' };
    uint8_t blob[sizeof body + 11];
    size_t len = zl_wrap(blob, body, sizeof body, 10, 1);
    zl_iter it;
    init_ok(&it, blob, len);
    next_str(&it, (const uint8_t *)"hi", 2);
    at_end(&it);
}

Test(ziplist, unknown_count)
{
    const uint8_t body[] = { 0x00, 0xF3, 0x02, 0xF4 };
    uint8_t blob[sizeof body + 11];
    size_t len = zl_wrap(blob, body, sizeof body, 12, 65535);
    zl_iter it;
    init_ok(&it, blob, len);
    next_int(&it, 2, 1);
    next_int(&it, 3, 1);
    at_end(&it);
}

Test(ziplist, header_errors)
{
    const uint8_t tiny[] = { 0x0A, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0xFF };
    init_fail(tiny, sizeof tiny, 0, "ziplist shorter than its 11-byte minimum");

    const uint8_t badbytes[] = { 0x0C, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0, 0xFF };
    init_fail(badbytes, sizeof badbytes, 0, "ziplist zlbytes does not match the blob length");

    const uint8_t noterm[] = { 0x0D, 0, 0, 0, 0x0A, 0, 0, 0, 1, 0, 0x00, 0xF2, 0xFE };
    init_fail(noterm, sizeof noterm, 12, "ziplist does not end with 0xFF");

    const uint8_t tailhigh[] = { 0x0D, 0, 0, 0, 0x0D, 0, 0, 0, 1, 0, 0x00, 0xF2, 0xFF };
    init_fail(tailhigh, sizeof tailhigh, 4, "ziplist zltail points outside the entries");

    const uint8_t taillow[] = { 0x0B, 0, 0, 0, 0x09, 0, 0, 0, 0, 0, 0xFF };
    init_fail(taillow, sizeof taillow, 4, "ziplist zltail points outside the entries");
}

Test(ziplist, zltail_not_last)
{
    zl_iter it;
    /* two entries, zltail names the first */
    const uint8_t body[] = { 0x00, 0xF2, 0x02, 0xF3 };
    uint8_t blob[sizeof body + 11];
    size_t len = zl_wrap(blob, body, sizeof body, 10, 2);
    init_ok(&it, blob, len);
    next_int(&it, 1, 1);
    next_int(&it, 2, 1);
    expect_fail(&it, 14, "ziplist zltail does not point at the last entry");

    /* zltail naming the terminator is only right for an empty ziplist */
    len = zl_wrap(blob, body, sizeof body, 14, 2);
    init_ok(&it, blob, len);
    next_int(&it, 1, 1);
    next_int(&it, 2, 1);
    expect_fail(&it, 14, "ziplist zltail does not point at the last entry");
}

Test(ziplist, wrong_count)
{
    zl_iter it;
    const uint8_t body[] = { 0x00, 0xF2, 0x02, 0xF3, 0x02, 0xF4, 0x02, 0xF5 };
    uint8_t blob[sizeof body + 11];
    size_t len = zl_wrap(blob, body, sizeof body, 16, 5);
    init_ok(&it, blob, len);
    for (int64_t v = 1; v <= 4; v++)
        next_int(&it, v, 1);
    expect_fail(&it, 18, "ziplist entry count does not match zllen");

    len = zl_wrap(blob, body, sizeof body, 16, 3);
    init_ok(&it, blob, len);
    for (int64_t v = 1; v <= 4; v++)
        next_int(&it, v, 1);
    expect_fail(&it, 18, "ziplist entry count does not match zllen");
}

Test(ziplist, prevlen_mismatch)
{
    zl_iter it;
    /* second entry says the first was 3 bytes; it was 4 */
    const uint8_t body[] = { 0x00, 0xC0, 0x00, 0x10, 0x03, 0xF2 };
    uint8_t blob[sizeof body + 11];
    size_t len = zl_wrap(blob, body, sizeof body, 14, 2);
    init_ok(&it, blob, len);
    next_int(&it, 4096, 4);
    expect_fail(&it, 14, "ziplist prevlen does not match previous entry size");

    /* first entry must have prevlen 0 */
    const uint8_t first[] = { 0x01, 0xF2 };
    len = zl_wrap(blob, first, sizeof first, 10, 1);
    init_ok(&it, blob, len);
    expect_fail(&it, 10, "ziplist prevlen does not match previous entry size");
}

Test(ziplist, truncated_entries)
{
    zl_iter it;
    uint8_t blob[64];
    size_t len;
    static const struct { uint8_t body[12]; size_t n; } cases[] = {
        { { 0x00, 0x05, 'a', 'b' }, 4 },                          /* 6-bit str */
        { { 0x00, 0x40 }, 2 },                                    /* 14-bit hdr cut */
        { { 0x00, 0x40, 0x03, 'a' }, 4 },                         /* 14-bit data cut */
        { { 0x00, 0x80, 0x00, 0x00 }, 4 },                        /* 32-bit hdr cut */
        { { 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 'a' }, 7 },       /* 4 GiB claimed */
        { { 0x00, 0xE0, 1, 2, 3, 4, 5, 6, 7 }, 9 },               /* int64 cut */
        { { 0x00, 0xC0, 0x01 }, 3 },                              /* int16 cut */
        { { 0x00, 0xF0, 0x01, 0x02 }, 4 },                        /* int24 cut */
        { { 0x00, 0xD0, 0x01, 0x02, 0x03 }, 5 },                  /* int32 cut */
        { { 0x00, 0xFE }, 2 },                                    /* int8 cut */
        { { 0x00 }, 1 },                                          /* no encoding */
        { { 0xFE, 0x00, 0x00 }, 3 },                              /* big prevlen cut */
        { { 0xFE, 0x00, 0x00, 0x00, 0x00 }, 5 },                  /* no encoding */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        len = zl_wrap(blob, cases[i].body, cases[i].n, 10, 1);
        init_ok(&it, blob, len);
        expect_fail(&it, 10, "ziplist entry runs past the blob end");
    }
}

Test(ziplist, invalid_encoding_bytes)
{
    const uint8_t bad[] = { 0xC1, 0xCF, 0xD1, 0xDF, 0xE1, 0xEF, 0xFF };
    for (size_t i = 0; i < sizeof bad; i++) {
        const uint8_t body[] = { 0x00, 0xF2, 0x02, bad[i], 0x00, 0x00 };
        uint8_t blob[sizeof body + 11];
        size_t len = zl_wrap(blob, body, sizeof body, 12, 2);
        zl_iter it;
        init_ok(&it, blob, len);
        next_int(&it, 1, 1);
        expect_fail(&it, 12, "ziplist entry has an invalid encoding byte");
    }
}

Test(ziplist, early_terminator)
{
    const uint8_t body[] = { 0x00, 0xF2, 0xFF, 0x02, 0xF3 };
    uint8_t blob[sizeof body + 11];
    size_t len = zl_wrap(blob, body, sizeof body, 13, 2);
    zl_iter it;
    init_ok(&it, blob, len);
    next_int(&it, 1, 1);
    expect_fail(&it, 12, "ziplist end marker before the blob end");
}
