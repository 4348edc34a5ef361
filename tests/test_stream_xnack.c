/* test_stream_xnack.c: streams of types 26 (IDMP, Redis 8.6) and 27 (XNACK
 * zone, Redis 8.8) in rdb/stream.c: the exact events of
 * tests/fixtures/newer/redis14_stream_xnack.rdb, whose content is redis/librdb's
 * test/dumps/stream_v14_xnack.json (4 entries, group "mygroup" with 4 pending
 * entries of which consumer1 owns the first and last, and the two in the
 * middle NACKed), the NACK-zone and IDMP checks, and the model terms. */
#include <criterion/criterion.h>
#include <string.h>

#include "tests/support/evlog.h"
#include "tests/support/modelrun.h"
#include "tests/support/rdbbuild.h"

#define FIX "tests/fixtures/newer/redis14_stream_xnack.rdb"

Test(stream_xnack, librdb_expectation)
{
    static const char want[] =
        "header REDIS0014 v14\nselect 0\n"
        "begin db=0 mystream type=27 stream meta=0\n"
        "stream_entry 1779170191996-0 fields=1\nfield field1=value1\n"
        "stream_entry 1779170191998-0 fields=1\nfield field2=value2\n"
        "stream_entry 1779170192000-0 fields=1\nfield field3=value3\n"
        "stream_entry 1779170192001-0 fields=1\nfield field4=value4\n"
        "container stream_node entries=4\n"
        /* "length": 4, "entriesAdded": 4, "firstID": "1779170191996-0",
         * "lastID": "1779170192001-0", "maxDelEntryID": "0-0" */
        "stream_meta length=4 nodes=1 last=1779170192001-0 first=1779170191996-0 added=4 groups=1\n"
        /* "pending": sent 1779170192004 / 0 / 0 / 1779170192004, count 1 */
        "pel 1779170191996-0 sent=1779170192004 count=1\n"
        "pel 1779170191998-0 sent=0 count=1\n"
        "pel 1779170192000-0 sent=0 count=1\n"
        "pel 1779170192001-0 sent=1779170192004 count=1\n"
        "group mygroup last=1779170192001-0 read=4 pel=4 consumers=1\n"
        "cpel 1779170191996-0\ncpel 1779170192001-0\n"
        "consumer consumer1 seen=1779170192004 active=1779170192004 pel=2\n"
        /* "nacked": ["1779170191998-0", "1779170192000-0"] */
        "nack_zone mygroup count=2\nnack 1779170191998-0\nnack 1779170192000-0\n"
        "idmp duration=0 max=0 producers=0 entries=0 pid_bytes=0 iid_bytes=0 added=0 dups=0\n"
        "end elements=4 largest=6\n";
    evlog l;
    rdb_result res;
    cr_assert_eq(evlog_parse_file(FIX, EVLOG_NO_AUX | EVLOG_STREAM_ENTRIES, NULL, &l, &res), RDB_OK, "%s",
                 res.error.message);
    cr_assert_str_eq(l.text, want);
    evlog_free(&l);
}

/* The NACK zone and the summary events come even when the key's element
 * events are declined; the IDs do not. */
Test(stream_xnack, skipped_key_keeps_the_summaries)
{
    evlog l;
    rdb_result res;
    cr_assert_eq(evlog_parse_file(FIX, EVLOG_NO_AUX | EVLOG_SKIP_KEYS, NULL, &l, &res), RDB_OK);
    cr_assert(strstr(l.text, "nack_zone mygroup count=2\nidmp "), "%s", l.text);
    cr_assert_null(strstr(l.text, "nack 1779170191998-0"));
    evlog_free(&l);
}

/* A type-27 value written by hand: one group with pel IDs 1..npel, one
 * consumer owning the first 'owned', then a NACK zone of 'nacks'. */
static void xnack_value(rb *b, unsigned npel, unsigned owned, unsigned nacks, bool idmp_bomb)
{
    rb_magic(b, "REDIS0014");
    rb_u8(b, 0xfe), rb_len(b, 0);
    rb_u8(b, 27), rb_str(b, "s");
    rb_len(b, 0);                                   /* no nodes */
    rb_len(b, 0), rb_len(b, 9), rb_len(b, 0);       /* length, last id */
    rb_len(b, 0), rb_len(b, 0), rb_len(b, 0), rb_len(b, 0), rb_len(b, 9);
    rb_len(b, 1);                                   /* a group */
    rb_str(b, "g"), rb_len(b, 9), rb_len(b, 0), rb_len(b, 9);
    rb_len(b, npel);
    for (unsigned i = 1; i <= npel; i++) {
        uint8_t id[16] = {0};
        id[7] = (uint8_t)i;
        rb_bytes(b, id, 16), rb_u64le(b, 5), rb_len(b, 1);
    }
    rb_len(b, 1);
    rb_str(b, "c"), rb_u64le(b, 5), rb_u64le(b, 5), rb_len(b, owned);
    for (unsigned i = 1; i <= owned; i++) {
        uint8_t id[16] = {0};
        id[7] = (uint8_t)i;
        rb_bytes(b, id, 16);
    }
    rb_len(b, nacks);
    for (unsigned i = 0; i < nacks; i++) {
        uint8_t id[16] = {0};
        id[7] = (uint8_t)(owned + 1 + i);
        rb_bytes(b, id, 16);
    }
    rb_len(b, 0), rb_len(b, 0);                     /* IDMP duration, max */
    rb_len(b, idmp_bomb ? (1ULL << 40) : 0);
    rb_len(b, 0), rb_len(b, 0);
}

Test(stream_xnack, nack_zone_over_the_unowned_entries)
{
    rb b = {0};
    xnack_value(&b, 4, 2, 3, false);
    rb_finish(&b);
    rdb_result res;
    cr_assert_eq(rb_parse(b.p, b.len, NULL, NULL, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "4 pending entries, 2 owned by consumers, claims 3"), "%s",
              res.error.message);
    rb_free(&b);
    rb ok = {0};
    xnack_value(&ok, 4, 2, 2, false);
    rb_finish(&ok);
    cr_assert_eq(rb_parse(ok.p, ok.len, NULL, NULL, &res), RDB_OK, "%s", res.error.message);
    rb_free(&ok);
}

Test(stream_xnack, consumers_own_more_than_the_pel)
{
    rb b = {0};
    xnack_value(&b, 2, 3, 0, false);
    rb_finish(&b);
    rdb_result res;
    cr_assert_eq(rb_parse(b.p, b.len, NULL, NULL, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "consumers claim 3 pending entries, the group's PEL has 2"), "%s",
              res.error.message);
    rb_free(&b);
}

Test(stream_xnack, idmp_producer_bomb_fails_fast)
{
    rb b = {0};
    xnack_value(&b, 1, 1, 0, true);
    rb_finish(&b);
    rdb_result res;
    cr_assert_eq(rb_parse(b.p, b.len, NULL, NULL, &res), RDB_ERR_TRUNCATED);
    cr_assert(strstr(res.error.message, "IDMP claims 1099511627776 producers"), "%s", res.error.message);
    rb_free(&b);
}

/* 8.8 charges the NACK zone; 8.6 (no zones) does not. The IDMP producers of
 * the type-26 fixture cost on 8.6, not on 8.0. Estimates: the assertion is
 * that the terms exist and are where they belong. */
Test(stream_xnack, model_terms)
{
    modelrun a, b;
    cr_assert_eq(modelrun_file(FIX, "redis-8.8", &a), RDB_OK);
    cr_assert_eq(modelrun_file(FIX, "redis-8.6", &b), RDB_OK);
    cr_assert_gt(a.keys[0].bytes, b.keys[0].bytes);
    modelrun c, d;
    cr_assert_eq(modelrun_file("tests/fixtures/newer/redis13_keymeta_idmp.rdb", "redis-8.6", &c), RDB_OK);
    cr_assert_eq(modelrun_file("tests/fixtures/newer/redis13_keymeta_idmp.rdb", "redis-8.0", &d), RDB_OK);
    const modelrun_key *s6 = modelrun_find(&c, 0, "stream:idmp"), *s0 = modelrun_find(&d, 0, "stream:idmp");
    /* 2 producers x (J 24 + J 48 + sds "producer-a" J 16) + 3 IIDs x (sds J 8
     * + J 16 + J 32) */
    cr_assert_eq(s6->bytes - s0->bytes, 2 * (24 + 48 + 16) + 3 * (8 + 16 + 32));
}
