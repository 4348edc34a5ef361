/* test_array.c: Redis ARRAY values (RDB type 28, rdb/array.c): the events of
 * tests/fixtures/newer/redis14_arrays.rdb against redis/librdb's published
 * expectations for the same content (test/dumps/array_v14_*.json, quoted
 * below), the float text, the errors, and the redis-8.8 memory model
 * (analyze/model_array.c) worked out by hand from sparsearray.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "rdb/internal.h"
#include "tests/support/evlog.h"
#include "tests/support/modelrun.h"
#include "tests/support/rdbbuild.h"

#define FIX "tests/fixtures/newer/redis14_arrays.rdb"

static char *fixture_log(void)
{
    evlog l;
    rdb_result res;
    cr_assert_eq(evlog_parse_file(FIX, EVLOG_NO_AUX, NULL, &l, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(res.keys, 6);
    cr_assert_eq(res.trailer.checksum, RDB_CHECKSUM_OK);
    return l.text;
}

/* array_v14_mixed_types.json: {"idx":"0","val":"this_is_a_long_sds_string_value_long_enough"},
 * {"idx":"1","val":"42"},{"idx":"2","val":"1.5"},{"idx":"3","val":"abc"};
 * array_v14_with_insert_idx.json: "insert_idx":"49", 1000000 first,
 * 1000100 mid, 1001000 third; array_v14_insert_idx_boundary.json:
 * "insert_idx":"18446744073709551614", 0 a, 1 b; array_v14_insert_idx_none.json:
 * no insert_idx, 0 x, 1 y, 2 z. */
Test(array, librdb_expectations)
{
    char *t = fixture_log();
    static const char want[] =
        "select 1\n"
        "begin db=1 arr type=28 array meta=0\n"
        "array_meta count=4\n"
        "element [0] tag=0 this_is_a_long_sds_string_value_long_enough\n"
        "element [1] tag=1 42\n"
        "element [2] tag=2 1.5\n"
        "element [3] tag=3 abc\n"
        "end elements=4 largest=43\n"
        "select 2\n"
        "begin db=2 arr type=28 array meta=0\n"
        "array_meta count=3 insert=49\n"
        "element [1000000] tag=3 first\n"
        "element [1000100] tag=3 mid\n"
        "element [1001000] tag=3 third\n"
        "end elements=3 largest=5\n"
        "select 3\n"
        "begin db=3 arr type=28 array meta=0\n"
        "array_meta count=2 insert=18446744073709551614\n"
        "element [0] tag=3 a\n"
        "element [1] tag=3 b\n"
        "end elements=2 largest=1\n"
        "select 4\n"
        "begin db=4 arr type=28 array meta=0\n"
        "array_meta count=3\n"
        "element [0] tag=3 x\n"
        "element [1] tag=3 y\n"
        "element [2] tag=3 z\n"
        "end elements=3 largest=1\n"
        "select 5\n";
    cr_assert(strstr(t, want), "events differ:\n%s", t);
    free(t);
}

/* array_v14_basic.json: idx 0..99, val "a0".."a99", no insert_idx. */
Test(array, librdb_basic_hundred)
{
    char *t = fixture_log();
    char want[8192];
    size_t o = (size_t)snprintf(want, sizeof want, "header REDIS0014 v14\nselect 0\n"
                                "begin db=0 arr type=28 array meta=0\narray_meta count=100\n");
    for (int i = 0; i < 100; i++)
        o += (size_t)snprintf(want + o, sizeof want - o, "element [%d] tag=3 a%d\n", i, i);
    snprintf(want + o, sizeof want - o, "end elements=100 largest=3\nselect 1\n");
    cr_assert(strncmp(t, want, strlen(want)) == 0, "events differ:\n%.2000s", t);
    free(t);
}

Test(array, float_text_as_arFormatFloat)
{
    char buf[40];
    static const struct { double d; const char *s; } cases[] = {
        {1.5, "1.5"}, {3.0, "3.0"}, {-2.0, "-2.0"}, {0.1, "0.1"}, {1e300, "1e+300"},
        {123456789.0, "123456789.0"}, {-0.25, "-0.25"}, {1.0 / 3, "0.3333333333333333"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = rdb_array_float_text(cases[i].d, buf);
        cr_assert_eq(n, strlen(cases[i].s), "%g", cases[i].d);
        cr_assert_str_eq(buf, cases[i].s);
    }
}

/* ---- errors ------------------------------------------------------------- */

static void array_head(rb *b) {
    rb_magic(b, "REDIS0014");
    rb_u8(b, 0xfe);
    rb_len(b, 0);
    rb_u8(b, 28);
    rb_str(b, "a");
}

static void expect(rb *b, rdb_status want, size_t at, const char *text) {
    rb_finish(b);
    rdb_result res;
    cr_assert_eq(rb_parse(b->p, b->len, NULL, NULL, &res), want, "%s", res.error.message);
    cr_assert_eq(res.error.offset, at, "offset %llu: %s", (unsigned long long)res.error.offset,
                 res.error.message);
    cr_assert(strstr(res.error.message, text), "%s", res.error.message);
    rb_free(b);
}

Test(array, empty_array)
{
    rb b = {0};
    array_head(&b);
    size_t at = b.len;
    rb_len(&b, 0), rb_len(&b, 0);
    expect(&b, RDB_ERR_FORMAT, at, "array with 0 elements");
}

Test(array, bad_insert_flag)
{
    rb b = {0};
    array_head(&b);
    rb_len(&b, 1);
    size_t at = b.len;
    rb_len(&b, 2);
    expect(&b, RDB_ERR_FORMAT, at, "insert-index flag is 2");
}

Test(array, encoded_index)
{
    rb b = {0};
    array_head(&b);
    rb_len(&b, 1), rb_len(&b, 0);
    size_t at = b.len;
    rb_u8(&b, 0xc0), rb_u8(&b, 5);
    expect(&b, RDB_ERR_FORMAT, at, "a string encoding");
}

Test(array, index_two_to_the_64_minus_1)
{
    rb b = {0};
    array_head(&b);
    rb_len(&b, 1), rb_len(&b, 0);
    size_t at = b.len;
    rb_len(&b, UINT64_MAX), rb_len(&b, 3), rb_str(&b, "x");
    expect(&b, RDB_ERR_FORMAT, at, "2^64-1");
}

Test(array, unknown_tag)
{
    rb b = {0};
    array_head(&b);
    rb_len(&b, 1), rb_len(&b, 0), rb_len(&b, 7);
    size_t at = b.len;
    rb_len(&b, 4), rb_str(&b, "x");
    expect(&b, RDB_ERR_FORMAT, at, "type tag 4");
}

Test(array, infinite_float)
{
    rb b = {0};
    array_head(&b);
    rb_len(&b, 1), rb_len(&b, 0), rb_len(&b, 7);
    size_t at = b.len;
    rb_len(&b, 2);
    rb_u64le(&b, 0x7ff0000000000000ULL);
    expect(&b, RDB_ERR_FORMAT, at + 1, "not finite");
}

Test(array, count_bomb_fails_fast)
{
    rb b = {0};
    array_head(&b);
    size_t at = b.len;
    rb_len(&b, 1ULL << 40), rb_len(&b, 0);
    expect(&b, RDB_ERR_TRUNCATED, at, "claims 1099511627776 elements");
}

/* Arrays exist in Redis files only. */
Test(array, not_in_valkey_files)
{
    rb b = {0};
    rb_magic(&b, "VALKEY080");
    rb_u8(&b, 0xfe), rb_len(&b, 0);
    size_t at = b.len;
    rb_u8(&b, 28), rb_str(&b, "a"), rb_len(&b, 1), rb_len(&b, 0);
    expect(&b, RDB_ERR_UNSUPPORTED, at, "Redis type (RDB 12+) in a VALKEY version 80 file");
}

/* ---- the model (redis-8.8, an estimate; worked from sparsearray.c) ------- */

Test(array, model_replays_arSet)
{
    modelrun r;
    cr_assert_eq(modelrun_file(FIX, "redis-8.8", &r), RDB_OK);
    /* key terms: sds "arr" J(1 + 3 + 1) = 8 + dictEntry 24 */
    const uint64_t key = 32, robj = 16, hdr = 80;
    /* db 4: 3 inline values in one sparse slice of capacity 4:
     * 32 + 4 x 2 + 4 x 8 = 72 -> J 80; a 1-slot directory J(8) = 8 */
    const modelrun_key *k = modelrun_find(&r, 4, "arr");
    cr_assert_eq(k->bytes, key + robj + hdr + 80 + 8);
    cr_assert_str_eq(k->encoding, "sliced-array");
    /* db 0: 100 values 0..99: sparse 4 -> 8 -> 10, promoted at the 11th to
     * a window of 16, doubled to 128: 32 + 128 x 8 = 1056 -> J 1280 */
    k = modelrun_find(&r, 0, "arr");
    cr_assert_eq(k->bytes, key + robj + hdr + 1280 + 8);
    /* db 1: an arString of 2 + 43 bytes -> J 48; the rest inline */
    k = modelrun_find(&r, 1, "arr");
    cr_assert_eq(k->bytes, key + robj + hdr + 80 + 8 + 48);
    /* db 2: indexes 1000000.. are slice 244 (one slice, sparse 4), so a
     * flat directory of 256 pointers: J(2048) = 2048 */
    k = modelrun_find(&r, 2, "arr");
    cr_assert_eq(k->bytes, key + robj + hdr + 80 + 2048);
    /* db 5: 5000 dense integers over slices 0 and 1 (4096 slots: 32 +
     * 32768 -> J 40960; 904 left: window 1024: 32 + 8192 -> J 10240), and
     * index 2^40 (slice 2^28, block 2^17) in a sparse slice of its own:
     * superdir of 4 entries J(96) = 96 + 2 blocks of 16 KiB; the far
     * element an arString of 2 + 16 -> J 24 */
    k = modelrun_find(&r, 5, "arr:big");
    uint64_t key_big = 16 + 24;   /* "arr:big": J(1 + 7 + 1) = 16 + dictEntry */
    cr_assert_eq(k->bytes, key_big + robj + hdr + 40960 + 10240 + 80 + 96 + 2 * 16384 + 24,
                 "got %llu", (unsigned long long)k->bytes);
    /* no array type before 8.8: not modelled there */
    modelrun old;
    cr_assert_eq(modelrun_file(FIX, "redis-7.4", &old), RDB_OK);
    cr_assert(!modelrun_find(&old, 0, "arr")->has_bytes);
}
