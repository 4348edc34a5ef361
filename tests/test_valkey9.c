/* test_valkey9.c: what Valkey 9.x writes (rdb/valkey9.c, HASH_2 in
 * rdb/value.c): the exact events of tests/fixtures/newer/valkey80_hash2.rdb
 * and valkey81_update.rdb, the checks on SLOT_IMPORT, HASH_2 and UPDATE,
 * the named refusals (PATH_HASH, the VKCS envelope) and the valkey-9.0
 * model of HASH_2. */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/model_int.h"
#include "tests/support/evlog.h"
#include "tests/support/modelrun.h"
#include "tests/support/rdbbuild.h"

Test(valkey9, hash2_and_slot_import)
{
    static const char want[] =
        "header VALKEY080 v80\n"
        "slot_import 0123456789abcdef0123456789abcdef01234567 ranges=2 slots=101\n"
        "select 0\n"
        "begin db=0 h2 type=22 hash meta=0\n"
        "entry f1=v1\nentry f2=v2 ttl=1893456000000\nentry f3=v3 ttl=1893456000500\n"
        "end elements=3 largest=2\n"
        "begin db=0 h2:expired type=22 hash meta=0\nentry old=x ttl=1000\nentry keep=y\n"
        "end elements=2 largest=4\n"
        "begin db=0 s type=0 string meta=0 expire=1893456000000\nstring valkey\nend elements=6 largest=6\n";
    evlog l;
    rdb_result res;
    cr_assert_eq(evlog_parse_file("tests/fixtures/newer/valkey80_hash2.rdb", EVLOG_NO_AUX, NULL, &l, &res),
                 RDB_OK, "%s", res.error.message);
    cr_assert_str_eq(l.text, want);
    cr_assert_eq(res.trailer.checksum, RDB_CHECKSUM_OK);
    evlog_free(&l);
}

Test(valkey9, update_commands)
{
    static const char want[] =
        "header VALKEY081 v81\nselect 0\n"
        "begin db=0 before type=0 string meta=0\nstring 1\nend elements=1 largest=1\n"
        /* *3 $3 SET $3 foo $3 bar: 4 + 3 x 9 bytes */
        "update SET argc=3 bytes=31\n"
        "update HSET argc=4 bytes=136\n"
        "begin db=0 after type=0 string meta=0\nstring 2\nend elements=1 largest=1\n";
    evlog l;
    rdb_result res;
    cr_assert_eq(evlog_parse_file("tests/fixtures/newer/valkey81_update.rdb", EVLOG_NO_AUX, NULL, &l, &res),
                 RDB_OK, "%s", res.error.message);
    cr_assert_str_eq(l.text, want);
    evlog_free(&l);
}

static void expect(rb *b, rdb_status want, size_t at, const char *text)
{
    rdb_result res;
    cr_assert_eq(rb_parse(b->p, b->len, NULL, NULL, &res), want, "%s", res.error.message);
    cr_assert_eq(res.error.offset, at, "offset %llu: %s", (unsigned long long)res.error.offset,
                 res.error.message);
    cr_assert(strstr(res.error.message, text), "%s", res.error.message);
    rb_free(b);
}

Test(valkey9, hash2_expiry_below_minus_one)
{
    rb b = {0};
    rb_magic(&b, "VALKEY080");
    rb_u8(&b, 0xfe), rb_len(&b, 0);
    rb_u8(&b, 22), rb_str(&b, "h"), rb_len(&b, 1), rb_str(&b, "f"), rb_str(&b, "v");
    size_t at = b.len;
    rb_u64le(&b, (uint64_t)-2);
    rb_finish(&b);
    expect(&b, RDB_ERR_FORMAT, at, "hash field expiry -2");
}

Test(valkey9, slot_import_checks)
{
    rb b = {0};
    rb_magic(&b, "VALKEY080");
    rb_u8(&b, 0xf3);
    size_t at = b.len;
    rb_str(&b, "short");
    rb_finish(&b);
    expect(&b, RDB_ERR_FORMAT, at, "job name is 5 bytes, expected 40");
    rb c = {0};
    rb_magic(&c, "VALKEY080");
    rb_u8(&c, 0xf3), rb_str(&c, "0123456789012345678901234567890123456789"), rb_len(&c, 1);
    at = c.len;
    rb_len(&c, 100), rb_len(&c, 16384);
    rb_finish(&c);
    expect(&c, RDB_ERR_FORMAT, at, "range 100-16384 is not a range of slots 0-16383");
}

static void update(rb *b, const char *resp)
{
    rb_magic(b, "VALKEY081");
    rb_u8(b, 0xf2);
    rb_bytes(b, resp, strlen(resp));
}

Test(valkey9, malformed_update)
{
    rb b = {0};
    update(&b, "*0\r\n");
    rb_finish(&b);
    expect(&b, RDB_ERR_FORMAT, 10, "claims 0 arguments");
    update(&b, "*1\r\n$3\r\nSETX\r\n");
    rb_finish(&b);
    expect(&b, RDB_ERR_FORMAT, 21, "not followed by CRLF");
    update(&b, "*1\r\n$03\r\nSET\r\n");
    rb_finish(&b);
    expect(&b, RDB_ERR_FORMAT, 16, "where a decimal digit or CR was expected");
    update(&b, "*1\r\n:3\r\n");
    rb_finish(&b);
    expect(&b, RDB_ERR_FORMAT, 14, "expected '$'");
    update(&b, "*1\r\n$99999\r\nab");   /* the file ends inside the argument */
    size_t len = b.len;
    rdb_result res;
    cr_assert_eq(rb_parse(b.p, b.len, NULL, NULL, &res), RDB_ERR_TRUNCATED, "%s", res.error.message);
    cr_assert_leq(res.error.offset, len);
    rb_free(&b);
}

Test(valkey9, path_hash_is_refused_by_name)
{
    rdb_result res;
    evlog l;
    cr_assert_eq(evlog_parse_file("tests/fixtures/newer/refused/path_hash_v81.rdb", EVLOG_NO_AUX, NULL, &l, &res),
                 RDB_ERR_UNSUPPORTED);
    cr_assert_eq(res.error.offset, 35);
    cr_assert(strstr(res.error.message, "value type 23 (Valkey PATH_HASH, RDB 81) has no public byte layout"));
    cr_assert_eq(res.keys, 1);   /* what came before is delivered */
    evlog_free(&l);
}

Test(valkey9, vkcs_envelope_is_named)
{
    rdb_result res;
    evlog l;
    cr_assert_eq(evlog_parse_file("tests/fixtures/newer/refused/vkcs_lz4.rdb", 0, NULL, &l, &res),
                 RDB_ERR_UNSUPPORTED);
    cr_assert_eq(res.error.offset, 8);
    cr_assert(strstr(res.error.message, "VKCS streaming-compression envelope (version 1, LZ4 with frame "
                                        "checksums, RDB)"), "%s", res.error.message);
    evlog_free(&l);
    rb b = {0};
    rb_bytes(&b, "VKCS\x02\x01\x00\x00\x04", 9);
    expect(&b, RDB_ERR_BAD_MAGIC, 4, "only version 1");
}

/* HASH_2 loads as a hashtable whatever its size (valkey rdb.c), and a
 * field already expired at the dump's ctime is not loaded. */
Test(valkey9, model_hash2)
{
    modelrun r;
    cr_assert_eq(modelrun_file("tests/fixtures/newer/valkey80_hash2.rdb", "valkey-9.0", &r), RDB_OK);
    cr_assert_str_eq(modelrun_find(&r, 0, "h2")->encoding, "hashtable");
    const modelrun_key *e = modelrun_find(&r, 0, "h2:expired");
    cr_assert_str_eq(e->encoding, "hashtable");
    cr_assert_eq(e->elements, 2);
    modelrun o;
    cr_assert_eq(modelrun_file("tests/fixtures/newer/valkey80_hash2.rdb", "valkey-8.1-dev", &o), RDB_OK);
    cr_assert_str_eq(modelrun_find(&o, 0, "h2")->encoding, "listpack");
    /* the TTL terms (estimates) are RAM only: per TTL field 8 (the entry's
     * expiry) + 16 (tracking), J(32) per hash */
    key_state ks;
    memset(&ks, 0, sizeof ks);
    ks.kind = RDB_KIND_HASH;
    ks.rdb_type = RDB_TYPE_VALKEY_HASH_2;
    ks.c.ttl_fields = 2;
    model *m9 = model_new(model_profile_find("valkey-9.0"), NULL);
    model *m8 = model_new(model_profile_find("valkey-8.1-dev"), NULL);
    cr_assert_eq(model_hash2_extra(m9, &ks), 2 * (8 + 16) + 32);
    cr_assert_eq(model_hash2_extra(m8, &ks), 0);
    model_free(m9);
    model_free(m8);
}
