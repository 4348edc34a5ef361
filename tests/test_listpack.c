/* Unit tests for rdb/listpack.c: every entry encoding, backlen forms,
 * malformed blobs; and the memory model's listpack entry sizes
 * (analyze/alloc.c lp_entry_*) at every encoding boundary and against the
 * entries the iterator walks. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/model_int.h"
#include "rdb/listpack.h"

/* Wraps an entry body in a header (total, count) and the 0xFF terminator.
 * Returns the blob length. */
static size_t lp_wrap(uint8_t *out, const uint8_t *body, size_t body_len, uint16_t count)
{
    size_t total = LP_HEADER_SIZE + body_len + 1;
    out[0] = (uint8_t)(total & 0xFF);
    out[1] = (uint8_t)((total >> 8) & 0xFF);
    out[2] = (uint8_t)((total >> 16) & 0xFF);
    out[3] = (uint8_t)((total >> 24) & 0xFF);
    out[4] = (uint8_t)(count & 0xFF);
    out[5] = (uint8_t)(count >> 8);
    memcpy(out + LP_HEADER_SIZE, body, body_len);
    out[total - 1] = 0xFF;
    return total;
}

static void next_int(lp_iter *it, int64_t v, size_t textlen)
{
    rdb_item item;
    const char *err = NULL;
    size_t at = it->pos;
    int r = lp_iter_next(it, &item, &err);
    cr_assert_eq(r, 1, "entry at %zu: %s", at, err ? err : "");
    cr_assert(item.is_int, "entry at %zu not an int", at);
    cr_assert_eq(item.ival, v, "entry at %zu: %lld != %lld", at, (long long)item.ival, (long long)v);
    cr_assert_eq(item.len, textlen);
    cr_assert_null(item.ptr);
}

static void next_str(lp_iter *it, const uint8_t *s, size_t len)
{
    rdb_item item;
    const char *err = NULL;
    size_t at = it->pos;
    int r = lp_iter_next(it, &item, &err);
    cr_assert_eq(r, 1, "entry at %zu: %s", at, err ? err : "");
    cr_assert_not(item.is_int);
    cr_assert_eq(item.len, len);
    cr_assert_eq(memcmp(item.ptr, s, len), 0);
}

static void at_end(lp_iter *it)
{
    rdb_item item;
    const char *err = NULL;
    cr_assert_eq(lp_iter_next(it, &item, &err), 0, "%s", err ? err : "");
    cr_assert_eq(it->pos, it->len - 1);
}

static void expect_fail(lp_iter *it, size_t pos, const char *msg)
{
    rdb_item item;
    const char *err = NULL;
    cr_assert_eq(lp_iter_next(it, &item, &err), -1);
    cr_assert_not_null(err);
    cr_assert_str_eq(err, msg);
    cr_assert_eq(it->pos, pos, "pos %zu, expected %zu", it->pos, pos);
}

static void init_ok(lp_iter *it, const uint8_t *blob, size_t len)
{
    const char *err = NULL;
    cr_assert_eq(lp_iter_init(it, blob, len, &err), 0, "%s", err ? err : "");
}

Test(listpack, empty)
{
    const uint8_t blob[] = { 0x07, 0, 0, 0, 0x00, 0x00, 0xFF };
    lp_iter it;
    init_ok(&it, blob, sizeof blob);
    cr_assert_eq(it.declared, 0);
    at_end(&it);
    at_end(&it);   /* stays at the end */
}

/* A real listpack: set "myset" from librdb's set_lp_v11.rdb. */
Test(listpack, real_set_from_redis)
{
    const uint8_t blob[] = {
        0x25, 0x00, 0x00, 0x00, 0x09, 0x00, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01,
        0x83, 0x31, 0x2e, 0x31, 0x04, 0x83, 0x31, 0x2e, 0x32, 0x04, 0x83, 0x31,
        0x2e, 0x33, 0x04, 0x81, 0x61, 0x02, 0x81, 0x62, 0x02, 0x81, 0x63, 0x02,
        0xff
    };
    lp_iter it;
    init_ok(&it, blob, sizeof blob);
    cr_assert_eq(it.declared, 9);
    next_int(&it, 1, 1);
    next_int(&it, 2, 1);
    next_int(&it, 3, 1);
    next_str(&it, (const uint8_t *)"1.1", 3);
    next_str(&it, (const uint8_t *)"1.2", 3);
    next_str(&it, (const uint8_t *)"1.3", 3);
    next_str(&it, (const uint8_t *)"a", 1);
    next_str(&it, (const uint8_t *)"b", 1);
    next_str(&it, (const uint8_t *)"c", 1);
    at_end(&it);
    cr_assert_eq(it.seen, 9);
}

Test(listpack, all_integer_encodings)
{
    const uint8_t body[] = {
        0x00, 0x01,                         /* 7-bit 0 */
        0x7F, 0x01,                         /* 7-bit 127 */
        0xC0, 0x80, 0x02,                   /* 13-bit 128 */
        0xCF, 0xFF, 0x02,                   /* 13-bit 4095 */
        0xD0, 0x00, 0x02,                   /* 13-bit -4096 */
        0xDF, 0xFF, 0x02,                   /* 13-bit -1 */
        0xF1, 0x00, 0x10, 0x03,             /* int16 4096 */
        0xF1, 0xFF, 0xEF, 0x03,             /* int16 -4097 */
        0xF1, 0xFF, 0x7F, 0x03,             /* int16 32767 */
        0xF1, 0x00, 0x80, 0x03,             /* int16 -32768 */
        0xF2, 0x00, 0x80, 0x00, 0x04,       /* int24 32768 */
        0xF2, 0xFF, 0xFF, 0x7F, 0x04,       /* int24 8388607 */
        0xF2, 0x00, 0x00, 0x80, 0x04,       /* int24 -8388608 */
        0xF3, 0x00, 0x00, 0x80, 0x00, 0x05, /* int32 8388608 */
        0xF3, 0xFF, 0xFF, 0xFF, 0x7F, 0x05, /* int32 2147483647 */
        0xF3, 0x00, 0x00, 0x00, 0x80, 0x05, /* int32 -2147483648 */
        0xF4, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x09, /* 2^31 */
        0xF4, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x09, /* INT64_MAX */
        0xF4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x09, /* INT64_MIN */
        0xF4, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x09, /* -1, wide */
    };
    uint8_t blob[sizeof body + 7];
    size_t len = lp_wrap(blob, body, sizeof body, 20);
    lp_iter it;
    init_ok(&it, blob, len);
    next_int(&it, 0, 1);
    next_int(&it, 127, 3);
    next_int(&it, 128, 3);
    next_int(&it, 4095, 4);
    next_int(&it, -4096, 5);
    next_int(&it, -1, 2);
    next_int(&it, 4096, 4);
    next_int(&it, -4097, 5);
    next_int(&it, 32767, 5);
    next_int(&it, -32768, 6);
    next_int(&it, 32768, 5);
    next_int(&it, 8388607, 7);
    next_int(&it, -8388608, 8);
    next_int(&it, 8388608, 7);
    next_int(&it, 2147483647LL, 10);
    next_int(&it, -2147483648LL, 11);
    next_int(&it, 2147483648LL, 10);
    next_int(&it, INT64_MAX, 19);
    next_int(&it, INT64_MIN, 20);
    next_int(&it, -1, 2);
    at_end(&it);
}

Test(listpack, short_strings)
{
    uint8_t body[2 + 5 + 65 + 66 + 67];
    uint8_t s63[63], s64[64];
    size_t n = 0;
    memset(s63, 'x', sizeof s63);
    memset(s64, 'y', sizeof s64);
    body[n++] = 0x80; body[n++] = 0x01;                     /* "" */
    body[n++] = 0x83; memcpy(body + n, "abc", 3); n += 3; body[n++] = 0x04;
    body[n++] = 0xBF; memcpy(body + n, s63, 63); n += 63; body[n++] = 0x40;
    /* 63 bytes again, in the 12-bit form: legal, just not what a writer picks */
    body[n++] = 0xE0; body[n++] = 0x3F; memcpy(body + n, s63, 63); n += 63; body[n++] = 0x41;
    body[n++] = 0xE0; body[n++] = 0x40; memcpy(body + n, s64, 64); n += 64; body[n++] = 0x42;
    cr_assert_eq(n, sizeof body);

    uint8_t blob[sizeof body + 7];
    size_t len = lp_wrap(blob, body, n, 5);
    lp_iter it;
    init_ok(&it, blob, len);
    next_str(&it, (const uint8_t *)"", 0);
    next_str(&it, (const uint8_t *)"abc", 3);
    next_str(&it, s63, 63);
    next_str(&it, s63, 63);
    next_str(&it, s64, 64);
    at_end(&it);
}

/* Appends a string entry with explicit encoding and backlen bytes. */
static size_t put_str(uint8_t *out, const uint8_t *enc, size_t enclen, size_t slen,
                      uint8_t fill, const uint8_t *bl, size_t bllen)
{
    memcpy(out, enc, enclen);
    memset(out + enclen, fill, slen);
    memcpy(out + enclen + slen, bl, bllen);
    return enclen + slen + bllen;
}

Test(listpack, long_strings_and_multibyte_backlens)
{
    /* sizes: 126+2 = 128 (2-byte backlen), 4095+2 = 4097, 4096+5 = 4101,
     * 16377+5 = 16382 (last 2-byte), 16378+5 = 16383 (first 3-byte) */
    const struct {
        uint8_t enc[5]; size_t enclen; size_t slen; uint8_t bl[3]; size_t bllen;
    } e[] = {
        { { 0xE0, 0x7E }, 2, 126, { 0x01, 0x80 }, 2 },
        { { 0xEF, 0xFF }, 2, 4095, { 0x20, 0x81 }, 2 },
        { { 0xF0, 0x00, 0x10, 0x00, 0x00 }, 5, 4096, { 0x20, 0x85 }, 2 },
        { { 0xF0, 0xF9, 0x3F, 0x00, 0x00 }, 5, 16377, { 0x7F, 0xFE }, 2 },
        { { 0xF0, 0xFA, 0x3F, 0x00, 0x00 }, 5, 16378, { 0x00, 0xFF, 0xFF }, 3 },
        { { 0xF0, 0x00, 0x00, 0x00, 0x00 }, 5, 0, { 0x05 }, 1 },  /* empty, 32-bit form */
    };
    size_t nent = sizeof e / sizeof e[0];
    uint8_t *body = malloc(64 * 1024), *blob = malloc(64 * 1024 + 7);
    size_t n = 0;
    size_t offs[8];
    cr_assert_not_null(body);
    cr_assert_not_null(blob);
    for (size_t i = 0; i < nent; i++) {
        offs[i] = LP_HEADER_SIZE + n;
        n += put_str(body + n, e[i].enc, e[i].enclen, e[i].slen, (uint8_t)('a' + i),
                     e[i].bl, e[i].bllen);
    }
    size_t len = lp_wrap(blob, body, n, (uint16_t)nent);
    lp_iter it;
    init_ok(&it, blob, len);
    for (size_t i = 0; i < nent; i++) {
        rdb_item item;
        const char *err = NULL;
        cr_assert_eq(it.pos, offs[i]);
        cr_assert_eq(lp_iter_next(&it, &item, &err), 1, "entry %zu: %s", i, err ? err : "");
        cr_assert_not(item.is_int);
        cr_assert_eq(item.len, e[i].slen);
        cr_assert_eq(item.ptr, blob + offs[i] + e[i].enclen);
        for (size_t k = 0; k < item.len; k++)
            cr_assert_eq(item.ptr[k], (uint8_t)('a' + i));
    }
    at_end(&it);

    /* Same 16383-byte entry with the tight (but non-server) 2-byte backlen
     * 0x7F 0xFF: the entry now seems one byte short of its backlen. */
    n = put_str(body, e[4].enc, e[4].enclen, e[4].slen, 'q', (const uint8_t *)"\x7F\xFF", 2);
    len = lp_wrap(blob, body, n, 1);
    init_ok(&it, blob, len);
    expect_fail(&it, 6, "listpack entry runs past the blob end");

    free(body);
    free(blob);
}

Test(listpack, unknown_count)
{
    const uint8_t body[] = { 0x05, 0x01, 0x06, 0x01 };
    uint8_t blob[sizeof body + 7];
    size_t len = lp_wrap(blob, body, sizeof body, 65535);
    lp_iter it;
    init_ok(&it, blob, len);
    next_int(&it, 5, 1);
    next_int(&it, 6, 1);
    at_end(&it);
}

Test(listpack, header_errors)
{
    lp_iter it;
    const char *err = NULL;
    const uint8_t tiny[] = { 0x06, 0, 0, 0, 0, 0 };
    cr_assert_eq(lp_iter_init(&it, tiny, sizeof tiny, &err), -1);
    cr_assert_str_eq(err, "listpack shorter than its 7-byte minimum");

    const uint8_t badtotal[] = { 0x08, 0, 0, 0, 0, 0, 0xFF };
    cr_assert_eq(lp_iter_init(&it, badtotal, sizeof badtotal, &err), -1);
    cr_assert_str_eq(err, "listpack total bytes does not match the blob length");
    cr_assert_eq(it.pos, 0);

    const uint8_t noterm[] = { 0x09, 0, 0, 0, 1, 0, 0x01, 0x01, 0xFE };
    cr_assert_eq(lp_iter_init(&it, noterm, sizeof noterm, &err), -1);
    cr_assert_str_eq(err, "listpack does not end with 0xFF");
    cr_assert_eq(it.pos, 8);
}

Test(listpack, truncated_entries)
{
    lp_iter it;
    /* 6-bit string of 5 bytes, only 2 present */
    const uint8_t a[] = { 0x0A, 0, 0, 0, 1, 0, 0x85, 'a', 'b', 0xFF };
    init_ok(&it, a, sizeof a);
    expect_fail(&it, 6, "listpack entry runs past the blob end");

    /* second entry: 12-bit string header cut by the terminator */
    const uint8_t b[] = { 0x0A, 0, 0, 0, 2, 0, 0x01, 0x01, 0xE0, 0xFF };
    init_ok(&it, b, sizeof b);
    next_int(&it, 1, 1);
    expect_fail(&it, 8, "listpack entry runs past the blob end");

    /* int64 missing its last data byte and backlen */
    const uint8_t c[] = { 0x10, 0, 0, 0, 1, 0, 0xF4, 1, 2, 3, 4, 5, 6, 7, 0x09, 0xFF };
    init_ok(&it, c, sizeof c);
    expect_fail(&it, 6, "listpack entry runs past the blob end");

    /* 32-bit string length 0xFFFFFFFF must not wrap anything */
    const uint8_t d[] = { 0x0D, 0, 0, 0, 1, 0, 0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0x05, 0xFF };
    init_ok(&it, d, sizeof d);
    expect_fail(&it, 6, "listpack entry runs past the blob end");

    /* 32-bit string header itself truncated */
    const uint8_t e[] = { 0x0A, 0, 0, 0, 1, 0, 0xF0, 0x01, 0x00, 0xFF };
    init_ok(&it, e, sizeof e);
    expect_fail(&it, 6, "listpack entry runs past the blob end");

    /* entry complete but its backlen is missing */
    const uint8_t f[] = { 0x0A, 0, 0, 0, 1, 0, 0xF1, 0x00, 0x10, 0xFF };
    init_ok(&it, f, sizeof f);
    expect_fail(&it, 6, "listpack entry runs past the blob end");
}

Test(listpack, bad_backlen)
{
    lp_iter it;
    const uint8_t a[] = { 0x0C, 0, 0, 0, 1, 0, 0x83, 'a', 'b', 'c', 0x05, 0xFF };
    init_ok(&it, a, sizeof a);
    expect_fail(&it, 6, "listpack backlen does not match entry size");

    const uint8_t b[] = { 0x0C, 0, 0, 0, 2, 0, 0x07, 0x01, 0xC0, 0x80, 0x03, 0xFF };
    init_ok(&it, b, sizeof b);
    next_int(&it, 7, 1);
    expect_fail(&it, 8, "listpack backlen does not match entry size");
}

Test(listpack, bad_encoding_byte)
{
    for (unsigned byte = 0xF5; byte <= 0xFE; byte++) {
        const uint8_t blob[] = { 0x0A, 0, 0, 0, 2, 0, 0x01, 0x01, (uint8_t)byte, 0xFF };
        lp_iter it;
        init_ok(&it, blob, sizeof blob);
        next_int(&it, 1, 1);
        expect_fail(&it, 8, "listpack entry has an invalid encoding byte");
    }
}

Test(listpack, wrong_count)
{
    lp_iter it;
    const uint8_t more[] = { 0x0B, 0, 0, 0, 3, 0, 0x01, 0x01, 0x02, 0x01, 0xFF };
    init_ok(&it, more, sizeof more);
    next_int(&it, 1, 1);
    next_int(&it, 2, 1);
    expect_fail(&it, 10, "listpack element count does not match the header");

    const uint8_t fewer[] = { 0x0B, 0, 0, 0, 1, 0, 0x01, 0x01, 0x02, 0x01, 0xFF };
    init_ok(&it, fewer, sizeof fewer);
    next_int(&it, 1, 1);
    next_int(&it, 2, 1);
    expect_fail(&it, 10, "listpack element count does not match the header");
}

Test(listpack, early_terminator)
{
    lp_iter it;
    const uint8_t blob[] = { 0x0C, 0, 0, 0, 2, 0, 0x01, 0x01, 0xFF, 0x02, 0x01, 0xFF };
    init_ok(&it, blob, sizeof blob);
    next_int(&it, 1, 1);
    expect_fail(&it, 8, "listpack end marker before the blob end");
}

Test(listpack, entry_size_int_boundaries)
{
    const struct { int64_t v; size_t size; } c[] = {
        { 0, 2 }, { 127, 2 }, { 128, 3 }, { -1, 3 }, { 4095, 3 }, { -4096, 3 },
        { 4096, 4 }, { -4097, 4 }, { 32767, 4 }, { -32768, 4 },
        { 32768, 5 }, { -32769, 5 }, { 8388607, 5 }, { -8388608, 5 },
        { 8388608, 6 }, { -8388609, 6 }, { 2147483647LL, 6 }, { -2147483648LL, 6 },
        { 2147483648LL, 10 }, { -2147483649LL, 10 }, { INT64_MAX, 10 }, { INT64_MIN, 10 },
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        cr_assert_eq(lp_entry_int(c[i].v), c[i].size, "v=%lld", (long long)c[i].v);
}

static size_t size_of_text(const char *s)
{
    return lp_entry_str((const uint8_t *)s, strlen(s));
}

Test(listpack, entry_size_numeric_strings)
{
    cr_assert_eq(size_of_text("7"), 2);
    cr_assert_eq(size_of_text("0"), 2);
    cr_assert_eq(size_of_text("128"), 3);
    cr_assert_eq(size_of_text("-4096"), 3);
    cr_assert_eq(size_of_text("-4097"), 4);
    cr_assert_eq(size_of_text("9223372036854775807"), 10);
    cr_assert_eq(size_of_text("-9223372036854775808"), 10);
    /* not strictly integers: stored as strings */
    cr_assert_eq(size_of_text("007"), 5);
    cr_assert_eq(size_of_text("-0"), 4);
    cr_assert_eq(size_of_text("+1"), 4);
    cr_assert_eq(size_of_text(" 1"), 4);
    cr_assert_eq(size_of_text("1.5"), 5);
    cr_assert_eq(size_of_text("9223372036854775808"), 21);
    cr_assert_eq(lp_entry_str(NULL, 0), 2);
    cr_assert_eq(size_of_text(""), 2);
}

Test(listpack, entry_size_string_boundaries)
{
    /* len -> encoding+data -> + backlen */
    const struct { size_t len; size_t size; } c[] = {
        { 1, 3 }, { 63, 65 },                       /* 6-bit: 1+len, backlen 1 */
        { 64, 67 }, { 125, 128 },                   /* 12-bit: 2+len; 127 -> 1 */
        { 126, 130 },                               /* 128 -> backlen 2 */
        { 4095, 4099 },                             /* 4097 + 2 */
        { 4096, 4103 },                             /* 32-bit: 5+len = 4101 + 2 */
        { 16377, 16384 },                           /* 16382 + 2 */
        { 16378, 16386 },                           /* 16383 + 3 */
        { 2097145, 2097153 },                       /* 2097150 + 3 */
        { 2097146, 2097155 },                       /* 2097151 + 4 */
        { 268435449, 268435458 },                   /* 268435454 + 4 */
        { 268435450, 268435460 },                   /* 268435455 + 5 */
    };
    /* calloc'd zeros are not digits, so no length parses as an integer */
    uint8_t *s = calloc(268435450, 1);
    cr_assert_not_null(s);
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        cr_assert_eq(lp_entry_str(s, c[i].len), c[i].size, "len=%zu", c[i].len);
    free(s);
}

Test(listpack, entry_size_item)
{
    rdb_item a = { .ptr = NULL, .len = 1, .is_int = true, .ival = 5 };
    rdb_item b = { .ptr = (const uint8_t *)"12", .len = 2, .is_int = false };
    rdb_item c = { .ptr = (const uint8_t *)"abc", .len = 3, .is_int = false };
    rdb_item d = { .ptr = NULL, .len = 19, .is_int = true, .ival = INT64_MAX };
    cr_assert_eq(lp_entry_item(&a), 2);
    cr_assert_eq(lp_entry_item(&b), 2);
    cr_assert_eq(lp_entry_item(&c), 5);
    cr_assert_eq(lp_entry_item(&d), 10);
}

/* Each entry we decode has exactly the size lp_entry_* predicts when a
 * writer would have picked that encoding. */
Test(listpack, sizes_match_walk)
{
    const uint8_t body[] = {
        0x7F, 0x01, 0xC0, 0x80, 0x02, 0xF1, 0x00, 0x10, 0x03,
        0xF2, 0x00, 0x80, 0x00, 0x04, 0xF3, 0x00, 0x00, 0x80, 0x00, 0x05,
        0xF4, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x09,
        0x83, 'a', 'b', 'c', 0x04,
    };
    uint8_t blob[sizeof body + 7];
    size_t len = lp_wrap(blob, body, sizeof body, 7);
    lp_iter it;
    rdb_item item;
    const char *err = NULL;
    init_ok(&it, blob, len);
    for (;;) {
        size_t at = it.pos;
        int r = lp_iter_next(&it, &item, &err);
        cr_assert_neq(r, -1, "%s", err);
        if (r == 0)
            break;
        cr_assert_eq(lp_entry_item(&item), it.pos - at, "entry at %zu", at);
    }
}
