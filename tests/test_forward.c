/* test_forward.c: forward compatibility (rdb/parser.c read_header,
 * refuse_type): a version newer than the newest known is a named error
 * with its offset; rdb_options.accept_newer reads it as the newest known
 * and stops at the first unknown type, with what came before delivered;
 * types that exist but have no public layout are refused by name. */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/evlog.h"
#include "tests/support/rdbbuild.h"

#define REFUSED "tests/fixtures/newer/refused/"

Test(forward, newer_redis_version_is_named)
{
    evlog l;
    rdb_result res;
    cr_assert_eq(evlog_parse_file(REFUSED "future_v16.rdb", 0, NULL, &l, &res), RDB_ERR_VERSION);
    cr_assert_eq(res.error.offset, 5);
    cr_assert(strstr(res.error.message, "RDB version 16 (REDIS flavor) is newer than the newest it knows"),
              "%s", res.error.message);
    cr_assert(strstr(res.error.message, "--accept-newer"));
    cr_assert_eq(res.keys, 0);
    evlog_free(&l);
}

Test(forward, accept_newer_stops_at_the_first_unknown_type)
{
    evlog l;
    rdb_result res;
    rdb_options o = {.accept_newer = true};
    cr_assert_eq(evlog_parse_file(REFUSED "future_v16.rdb", EVLOG_NO_AUX, &o, &l, &res), RDB_ERR_UNSUPPORTED);
    static const char want[] =
        "header REDIS0016 v16 newer\nselect 0\n"
        "begin db=0 known:1 type=0 string meta=0\nstring one\nend elements=3 largest=3\n"
        "begin db=0 known:2 type=16 hash meta=0\nentry f=v\ncontainer listpack entries=2\n"
        "end elements=1 largest=1\n";
    cr_assert_str_eq(l.text, want);
    cr_assert_eq(res.keys, 2);
    /* the unknown type byte: magic 9 + aux "redis-ver"="9.0.0" 17 + select 2
     * + resize 3 + "known:1" 13 + "known:2" (a 13-byte listpack) 23 = 67 */
    cr_assert(strstr(res.error.message, "unknown value type 40 in a REDIS RDB version 16 file; the file's RDB "
                                        "version is newer than this parser knows"),
              "%s", res.error.message);
    cr_assert_eq(res.error.offset, 67, "%llu", (unsigned long long)res.error.offset);
    evlog_free(&l);
}

Test(forward, accept_newer_reads_a_known_only_file_to_the_end)
{
    evlog l;
    rdb_result res;
    rdb_options o = {.accept_newer = true};
    cr_assert_eq(evlog_parse_file(REFUSED "future_v16_known_only.rdb", EVLOG_NO_AUX, &o, &l, &res), RDB_OK,
                 "%s", res.error.message);
    cr_assert_eq(res.keys, 1);
    cr_assert(res.header.newer);
    cr_assert_eq(res.trailer.checksum, RDB_CHECKSUM_OK);
    evlog_free(&l);
}

static rdb_status parse_magic(const char *magic, bool accept, rdb_result *res)
{
    rb b = {0};
    rb_magic(&b, magic);
    rb_finish(&b);
    int fd = rb_memfd(b.p, b.len);
    rdb_options o = {.input_size = b.len, .accept_newer = accept};
    rdb_status s = rdb_parse_fd(fd, NULL, NULL, &o, res);
    close(fd);
    rb_free(&b);
    return s;
}

Test(forward, version_bounds)
{
    rdb_result res;
    cr_assert_eq(parse_magic("REDIS0015", false, &res), RDB_OK);
    cr_assert_eq(parse_magic("VALKEY081", false, &res), RDB_OK);
    cr_assert_eq(parse_magic("VALKEY082", false, &res), RDB_ERR_VERSION);
    cr_assert_eq(res.error.offset, 6);
    cr_assert(strstr(res.error.message, "RDB version 82 (VALKEY flavor) is newer"), "%s", res.error.message);
    cr_assert_eq(parse_magic("VALKEY082", true, &res), RDB_OK);
    cr_assert(res.header.newer);
    /* not newer, just wrong: Valkey numbers in a REDIS file, Redis numbers
     * in a VALKEY file, version 0; accept_newer does not change that */
    cr_assert_eq(parse_magic("REDIS0080", true, &res), RDB_ERR_VERSION);
    cr_assert(strstr(res.error.message, "not one this parser can read"), "%s", res.error.message);
    cr_assert_eq(parse_magic("VALKEY012", true, &res), RDB_ERR_VERSION);
    cr_assert_eq(parse_magic("REDIS0000", true, &res), RDB_ERR_VERSION);
}

Test(forward, gcra_is_refused_by_name)
{
    evlog l;
    rdb_result res;
    cr_assert_eq(evlog_parse_file(REFUSED "gcra_v15.rdb", 0, NULL, &l, &res), RDB_ERR_UNSUPPORTED);
    cr_assert_eq(res.error.offset, 35);
    cr_assert(strstr(res.error.message, "value type 33 (Redis GCRA rate limiter"), "%s", res.error.message);
    cr_assert_eq(res.keys, 1);
    evlog_free(&l);
}

/* An unknown type in a known version says so without a version hint. */
Test(forward, unknown_type_in_a_known_version)
{
    rb b = {0};
    rb_magic(&b, "REDIS0015");
    size_t at = b.len;
    rb_u8(&b, 34), rb_str(&b, "k");
    rb_finish(&b);
    rdb_result res;
    cr_assert_eq(rb_parse(b.p, b.len, NULL, NULL, &res), RDB_ERR_UNSUPPORTED);
    cr_assert_eq(res.error.offset, at);
    cr_assert_str_eq(res.error.message, "unknown value type 34 in a REDIS RDB version 15 file");
    rb_free(&b);
}
