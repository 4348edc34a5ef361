/* test_filter.c: the key filter keys and report share (analyze/filter.c). */
#include <criterion/criterion.h>

#include "analyze/filter.h"
#include "support/keyrecs.h"

#define HOUR INT64_C(3600000)

static key_filter f;
static void setup(void) { filter_init(&f); }
static void teardown(void) { filter_free(&f); }
TestSuite(filter, .init = setup, .fini = teardown);

Test(filter, empty_filter_accepts_everything) {
    key_record r = kr(7, "", RDB_KIND_STREAM, NULL, 0, 0, 0);
    r.has_bytes = false;
    cr_assert_not(filter_active(&f));
    cr_assert(filter_accepts(&f, &r, -1));
}

Test(filter, db_types_glob_min_bytes) {
    key_record r = kr(2, "user:1:cart", RDB_KIND_HASH, "listpack", 500, 3, 3);
    f.has_db = true, f.db = 2;
    cr_assert(filter_accepts(&f, &r, -1));
    f.db = 1;
    cr_assert_not(filter_accepts(&f, &r, -1));
    f.has_db = false;
    char why[200];
    cr_assert_eq(filter_set_types(&f, "set,zset", why, sizeof why), 0);
    cr_assert_not(filter_accepts(&f, &r, -1));
    cr_assert_eq(filter_set_types(&f, "zset,hash", why, sizeof why), 0);
    cr_assert(filter_accepts(&f, &r, -1));
    cr_assert_eq(filter_set_types(&f, "hash,sets", why, sizeof why), -1);
    cr_assert(strstr(why, "string, list"), "%s", why);
    cr_assert_eq(filter_set_types(&f, "hash,", why, sizeof why), -1);
    f.match = "user:*:c[a-z]rt";
    cr_assert(filter_accepts(&f, &r, -1));
    f.match = "session:*";
    cr_assert_not(filter_accepts(&f, &r, -1));
    f.match = "*";
    cr_assert_not(filter_active(&(key_filter){.match = "*"}));
    key_record empty = kr(2, "", RDB_KIND_HASH, "listpack", 500, 3, 3);
    cr_assert(filter_accepts(&f, &empty, -1));
    f.min_bytes = 501;
    cr_assert_not(filter_accepts(&f, &r, -1));
    f.min_bytes = 500;
    cr_assert(filter_accepts(&f, &r, -1));
    r.has_bytes = false;  /* not modelled: fails any minimum */
    cr_assert_not(filter_accepts(&f, &r, -1));
}

Test(filter, min_elements_counts_string_length_too) {
    key_record s = kr(0, "s", RDB_KIND_STRING, "raw", 100, 60, 60);
    key_record l = kr(0, "l", RDB_KIND_LIST, "quicklist", 100, 59, 3);
    f.min_elements = 60;
    cr_assert(filter_accepts(&f, &s, -1));
    cr_assert_not(filter_accepts(&f, &l, -1));
}

Test(filter, regex_is_pcre_search_on_raw_bytes) {
    char why[200];
    cr_assert_eq(filter_set_regex(&f, "user:\\d+$", why, sizeof why), 0);
    cr_assert(filter_active(&f));
    key_record a = kr(0, "app:user:42", RDB_KIND_STRING, "raw", 1, 1, 1);
    key_record b = kr(0, "user:42:x", RDB_KIND_STRING, "raw", 1, 1, 1);
    cr_assert(filter_accepts(&f, &a, -1));      /* search, not a full match */
    cr_assert_not(filter_accepts(&f, &b, -1));
    /* keys are bytes: a NUL inside the key does not end it */
    static const uint8_t bin[] = {'u', 0, 'x', 0xff, 'u', 's', 'e', 'r', ':', '7'};
    key_record c = kr(0, "", RDB_KIND_STRING, "raw", 1, 1, 1);
    c.key = bin, c.key_len = sizeof bin;
    cr_assert(filter_accepts(&f, &c, -1));
    cr_assert_eq(filter_set_regex(&f, "(?i)^SESSION:", why, sizeof why), 0);
    key_record d = kr(0, "session:1", RDB_KIND_STRING, "raw", 1, 1, 1);
    cr_assert(filter_accepts(&f, &d, -1));
    cr_assert_eq(filter_set_regex(&f, "user:(\\d+", why, sizeof why), -1);
    cr_assert(strstr(why, "missing closing parenthesis"), "%s", why);
}

Test(filter, copy_has_its_own_scratch) {
    char why[200];
    cr_assert_eq(filter_set_regex(&f, "^a+$", why, sizeof why), 0);
    key_filter g;
    cr_assert_eq(filter_copy(&g, &f), 0);
    cr_assert_neq(g.re_code, f.re_code);
    filter_free(&f);
    key_record r = kr(0, "aaa", RDB_KIND_STRING, "raw", 1, 1, 1);
    cr_assert(filter_accepts(&g, &r, -1));
    filter_free(&g);
}

Test(filter, expiry_modes) {
    int64_t now = 1000 * HOUR;
    key_record none = kr(0, "a", RDB_KIND_STRING, "raw", 1, 1, 1);
    key_record past = with_ttl(none, now - 1);
    key_record at = with_ttl(none, now);
    key_record soon = with_ttl(none, now + HOUR / 2);
    key_record later = with_ttl(none, now + 2 * HOUR);
    f.expiry = FILTER_EXPIRY_NONE;
    cr_assert(filter_accepts(&f, &none, now));
    cr_assert_not(filter_accepts(&f, &soon, now));
    f.expiry = FILTER_EXPIRY_ANY;
    cr_assert_not(filter_accepts(&f, &none, now));
    cr_assert(filter_accepts(&f, &past, now));
    f.expiry = FILTER_EXPIRY_EXPIRED;
    cr_assert(filter_accepts(&f, &past, now));
    cr_assert(filter_accepts(&f, &at, now));      /* expired at the reference: as the TTL buckets */
    cr_assert_not(filter_accepts(&f, &soon, now));
    cr_assert_not(filter_accepts(&f, &past, -1));  /* no reference time: nothing is known expired */
    /* 0..1h relative: from now (inclusive) to an hour (exclusive) */
    f.expiry = FILTER_EXPIRY_RANGE;
    f.range_relative = true;
    f.has_from = true, f.from_ms = 0;
    f.has_to = true, f.to_ms = HOUR;
    cr_assert_not(filter_accepts(&f, &none, now));
    cr_assert_not(filter_accepts(&f, &past, now));
    cr_assert(filter_accepts(&f, &at, now));
    cr_assert(filter_accepts(&f, &soon, now));
    cr_assert_not(filter_accepts(&f, &later, now));
    cr_assert_not(filter_accepts(&f, &soon, -1));
    /* ..1h: open below, so already expired keys are in */
    f.has_from = false;
    cr_assert(filter_accepts(&f, &past, now));
    /* absolute range */
    f.range_relative = false;
    f.has_from = true, f.from_ms = now + HOUR;
    f.has_to = false;
    cr_assert(filter_accepts(&f, &later, -1));
    cr_assert_not(filter_accepts(&f, &soon, -1));
    /* extreme expiries do not overflow the relative arithmetic */
    f.range_relative = true;
    f.has_from = true, f.from_ms = 0;
    key_record ancient = with_ttl(none, INT64_MIN);
    cr_assert_not(filter_accepts(&f, &ancient, now));
    key_record far = with_ttl(none, INT64_MAX);
    cr_assert(filter_accepts(&f, &far, now));
}
