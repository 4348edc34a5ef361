/* test_keymeta.c: Redis KEY_META (RDB 13, rdb/keymeta.c) and the type-26
 * stream of the same fixture: the exact events of
 * tests/fixtures/newer/redis13_keymeta_idmp.rdb (tests/encoder/gen_newer.py),
 * the class spec decoding, the byte 0xF3 read by magic, and the errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "rdb/internal.h"
#include "tests/support/evlog.h"
#include "tests/support/modelrun.h"
#include "tests/support/rdbbuild.h"

#define FIX "tests/fixtures/newer/redis13_keymeta_idmp.rdb"

Test(keymeta, fixture_events)
{
    static const char want[] =
        "header REDIS0013 v13\n"
        "aux redis-ver=8.6.0\naux redis-bits=64\naux ctime=1790000000\naux used-mem=1000000\naux aof-base=0\n"
        "select 0\n"
        /* UINT 42: opcode, value, EOF */
        "key_meta KMT1 v1 f1 bytes=3\n"
        /* STRING "hello" 7, DOUBLE 9, SINT -7 as 64 bits 10, FLOAT 5, EOF 1 */
        "key_meta Ab_- v31 f6 bytes=32\n"
        "begin db=0 meta:str type=0 string meta=2\n"
        "string value\nend elements=5 largest=5\n"
        "key_meta zzzz v0 f0 bytes=74\n"
        "begin db=0 meta:ttl type=0 string meta=1 expire=1893456000000\n"
        "string v2\nend elements=2 largest=2\n"
        "begin db=0 plain type=0 string meta=0\n"
        "string p\nend elements=1 largest=1\n"
        "begin db=0 stream:idmp type=26 stream meta=0\n"
        "container stream_node entries=3\n"
        "stream_meta length=3 nodes=1 last=1780000000002-0 first=1780000000000-0 added=3 groups=1\n"
        "pel 1780000000000-0 sent=1780000000010 count=1\n"
        "group g1 last=1780000000002-0 read=3 pel=1 consumers=1\n"
        "cpel 1780000000000-0\n"
        "consumer c1 seen=1780000000010 active=1780000000010 pel=1\n"
        "idmp duration=100 max=1000 producers=2 entries=3 pid_bytes=20 iid_bytes=15 added=3 dups=1\n"
        "end elements=3 largest=1\n";
    evlog l;
    rdb_result res;
    cr_assert_eq(evlog_parse_file(FIX, 0, NULL, &l, &res), RDB_OK, "%s", res.error.message);
    cr_assert_str_eq(l.text, want);
    cr_assert_eq(res.trailer.checksum, RDB_CHECKSUM_OK);
    evlog_free(&l);
}

Test(keymeta, class_spec_decoding)
{
    /* keyMetaClassEncode("KMT1", 1, flags 1): K=10 M=12 T=19 1=53 */
    uint32_t name = ((10u * 64 + 12) * 64 + 19) * 64 + 53;
    rdb_key_meta m;
    rdb_key_meta_decode(((name << 5 | 1) << 3) | 1, &m);
    cr_assert_str_eq(m.name, "KMT1");
    cr_assert_eq(m.version, 1);
    cr_assert_eq(m.flags, 1);
    /* the charset ends "_-", not "-_" as module names do */
    rdb_key_meta_decode((((62u * 64 + 63) * 64 + 0) * 64 + 25) << 8 | 31 << 3 | 7, &m);
    cr_assert_str_eq(m.name, "_-AZ");
    cr_assert_eq(m.version, 31);
    cr_assert_eq(m.flags, 7);
}

/* KEY_META classes cost 8 bytes each on redis-8.6 (estimate), nothing on
 * profiles before it. */
Test(keymeta, model_slot_per_class)
{
    modelrun a, b;
    cr_assert_eq(modelrun_file(FIX, "redis-8.6", &a), RDB_OK);
    cr_assert_eq(modelrun_file(FIX, "redis-8.0", &b), RDB_OK);
    const modelrun_key *a2 = modelrun_find(&a, 0, "meta:str"), *b2 = modelrun_find(&b, 0, "meta:str");
    const modelrun_key *ap = modelrun_find(&a, 0, "plain"), *bp = modelrun_find(&b, 0, "plain");
    cr_assert(a2 && b2 && ap && bp);
    cr_assert_eq(a2->bytes, b2->bytes + 16);
    cr_assert_eq(ap->bytes, bp->bytes);
}

static void head(rb *b, const char *magic) {
    rb_magic(b, magic);
    rb_u8(b, 0xfe);
    rb_len(b, 0);
}

static void key_string(rb *b, const char *k, const char *v) {
    rb_u8(b, 0);
    rb_str(b, k);
    rb_str(b, v);
}

static rdb_status parse(rb *b, rdb_result *res) {
    return rb_parse(b->p, b->len, NULL, NULL, res);
}

Test(keymeta, more_than_seven_classes)
{
    rb b = {0};
    head(&b, "REDIS0013");
    size_t op = b.len;
    rb_u8(&b, 0xf3);
    rb_len(&b, 8);
    rb_finish(&b);
    rdb_result res;
    cr_assert_eq(parse(&b, &res), RDB_ERR_FORMAT);
    cr_assert_eq(res.error.offset, op + 1);
    cr_assert(strstr(res.error.message, "at most 7"), "%s", res.error.message);
    rb_free(&b);
}

Test(keymeta, two_records_add_up_to_the_limit)
{
    rb b = {0};
    head(&b, "REDIS0013");
    for (int r = 0; r < 2; r++) {
        rb_u8(&b, 0xf3);
        rb_len(&b, 4);
        for (int i = 0; i < 4; i++) {
            uint8_t spec[4] = {1, 2, 3, 4};
            rb_bytes(&b, spec, 4);
            rb_len(&b, 2), rb_len(&b, 5), rb_len(&b, 0);   /* UINT 5, EOF */
        }
    }
    key_string(&b, "k", "v");
    rb_finish(&b);
    rdb_result res;
    cr_assert_eq(parse(&b, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "4 already pending"), "%s", res.error.message);
    rb_free(&b);
}

Test(keymeta, unknown_module_opcode_in_a_value)
{
    rb b = {0};
    head(&b, "REDIS0013");
    rb_u8(&b, 0xf3);
    rb_len(&b, 1);
    uint8_t spec[4] = {0, 0, 0, 0};
    rb_bytes(&b, spec, 4);
    size_t at = b.len;
    rb_len(&b, 9);
    rb_finish(&b);
    rdb_result res;
    cr_assert_eq(parse(&b, &res), RDB_ERR_FORMAT);
    cr_assert_eq(res.error.offset, at);
    cr_assert(strstr(res.error.message, "KEY_META class value: unknown module opcode 9"), "%s",
              res.error.message);
    rb_free(&b);
}

Test(keymeta, not_before_version_13)
{
    rb b = {0};
    head(&b, "REDIS0012");
    size_t op = b.len;
    rb_u8(&b, 0xf3);
    rb_len(&b, 0);
    rb_finish(&b);
    rdb_result res;
    cr_assert_eq(parse(&b, &res), RDB_ERR_FORMAT);
    cr_assert_eq(res.error.offset, op);
    cr_assert(strstr(res.error.message, "exists from version 13"), "%s", res.error.message);
    rb_free(&b);
}

/* The same byte in a VALKEY file is SLOT_IMPORT. */
Test(keymeta, byte_f3_is_slot_import_in_valkey_files)
{
    rb b = {0};
    head(&b, "VALKEY080");
    rb_u8(&b, 0xf3);
    rb_str(&b, "0123456789012345678901234567890123456789");
    rb_len(&b, 1);
    rb_len(&b, 5), rb_len(&b, 10);
    key_string(&b, "k", "v");
    rb_finish(&b);
    rdb_result res;
    cr_assert_eq(parse(&b, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(res.keys, 1);
    rb_free(&b);
}

/* Metadata state belongs to the next key only, even when the key fails. */
Test(keymeta, truncated_in_a_class)
{
    rb b = {0};
    head(&b, "REDIS0013");
    rb_u8(&b, 0xf3);
    rb_len(&b, 1);
    uint8_t spec[4] = {1, 0, 0, 0};
    rb_bytes(&b, spec, 4);
    rb_len(&b, 5);   /* STRING, then the file ends */
    rdb_result res;
    cr_assert_eq(parse(&b, &res), RDB_ERR_TRUNCATED);
    cr_assert_leq(res.error.offset, b.len);
    rb_free(&b);
}
