/* test_units.c: command-line values (cli/units.c) and the AOF tail walker
 * (cli/aoftail.c). */
#include <criterion/criterion.h>

#include "cli/aoftail.h"
#include "cli/units.h"

static uint64_t size_of(const char *s) {
    uint64_t v = 12345;
    char why[200];
    cr_assert_eq(units_parse_size(s, &v, why, sizeof why), 0, "'%s': %s", s, why);
    return v;
}

static void size_bad(const char *s) {
    uint64_t v;
    char why[200];
    cr_assert_eq(units_parse_size(s, &v, why, sizeof why), -1, "'%s' accepted", s);
    cr_assert(strstr(why, "K = 1024") || strstr(why, "below"), "%s", why);
}

Test(units, sizes_are_binary_in_every_spelling) {
    cr_assert_eq(size_of("0"), 0);
    cr_assert_eq(size_of("512"), 512);
    cr_assert_eq(size_of("512b"), 512);
    cr_assert_eq(size_of("512B"), 512);
    cr_assert_eq(size_of("10k"), 10240);
    cr_assert_eq(size_of("10K"), 10240);
    cr_assert_eq(size_of("10kb"), 10240);
    cr_assert_eq(size_of("10KiB"), 10240);
    cr_assert_eq(size_of("10 KiB"), 10240);
    cr_assert_eq(size_of("1.5MB"), 1572864);
    cr_assert_eq(size_of("1.5mib"), 1572864);
    cr_assert_eq(size_of("1g"), UINT64_C(1) << 30);
    cr_assert_eq(size_of("1gb"), UINT64_C(1) << 30);
    cr_assert_eq(size_of("2T"), UINT64_C(2) << 40);
    cr_assert_eq(size_of("1P"), UINT64_C(1) << 50);
    cr_assert_eq(size_of("0.001k"), 1);              /* 1.024 rounds down */
    cr_assert_eq(size_of("0.0001k"), 0);
    cr_assert_eq(size_of("18446744073709551615"), UINT64_MAX);
    cr_assert_eq(size_of("15.99999P"), (uint64_t)((unsigned __int128)1599999 * (UINT64_C(1) << 50) / 100000));
}

Test(units, bad_sizes) {
    size_bad("");
    size_bad("-1");
    size_bad("+1");
    size_bad("1.5.2M");
    size_bad("1M2");
    size_bad("1Mi");
    size_bad("1MBB");
    size_bad("1E");
    size_bad(".5M");
    size_bad("1.M");
    size_bad("18446744073709551616");
    size_bad("16384P");
    size_bad("1 ");
}

Test(units, counts) {
    uint64_t v;
    char why[200];
    cr_assert_eq(units_parse_count("0", &v, why, sizeof why), 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(units_parse_count("100000", &v, why, sizeof why), 0);
    cr_assert_eq(v, 100000);
    cr_assert_eq(units_parse_count("1k", &v, why, sizeof why), -1);
    cr_assert_eq(units_parse_count("-3", &v, why, sizeof why), -1);
    cr_assert_eq(units_parse_count(" 3", &v, why, sizeof why), -1);
    cr_assert_eq(units_parse_count("99999999999999999999", &v, why, sizeof why), -1);
}

static int64_t time_of(const char *s, units_time_form want) {
    int64_t v;
    units_time_form form;
    char why[200];
    cr_assert_eq(units_parse_time(s, &v, &form, why, sizeof why), 0, "'%s': %s", s, why);
    cr_assert_eq(form, want, "'%s' read as form %d", s, (int)form);
    return v;
}

Test(units, times_seconds_millis_iso) {
    cr_assert_eq(time_of("1795256331", UNITS_TIME_SECONDS), INT64_C(1795256331000));
    cr_assert_eq(time_of("0", UNITS_TIME_SECONDS), 0);
    cr_assert_eq(time_of("99999999999", UNITS_TIME_SECONDS), INT64_C(99999999999000));
    cr_assert_eq(time_of("100000000000", UNITS_TIME_MILLIS), INT64_C(100000000000));
    cr_assert_eq(time_of("1795256331123", UNITS_TIME_MILLIS), INT64_C(1795256331123));
    cr_assert_eq(time_of("2026-11-21T10:18:51Z", UNITS_TIME_ISO), INT64_C(1795256331000));
    cr_assert_eq(time_of("2026-11-21T10:18:51", UNITS_TIME_ISO), INT64_C(1795256331000));
    cr_assert_eq(time_of("2026-11-21 10:18:51.123Z", UNITS_TIME_ISO), INT64_C(1795256331123));
    cr_assert_eq(time_of("2026-11-21T11:18:51+01:00", UNITS_TIME_ISO), INT64_C(1795256331000));
    cr_assert_eq(time_of("2026-11-21T05:48:51-0430", UNITS_TIME_ISO), INT64_C(1795256331000));
    cr_assert_eq(time_of("2026-11-21T10:18", UNITS_TIME_ISO), INT64_C(1795256280000));
    cr_assert_eq(time_of("2026-11-21", UNITS_TIME_ISO), INT64_C(1795219200000));
    cr_assert_eq(time_of("1970-01-01", UNITS_TIME_ISO), 0);
    cr_assert_eq(time_of("2000-02-29", UNITS_TIME_ISO), INT64_C(951782400000));
    cr_assert_eq(time_of("2100-03-01T00:00:00Z", UNITS_TIME_ISO), INT64_C(4107542400000));
}

Test(units, bad_times) {
    static const char *const bad[] = {"", "-5", "2026-13-01", "2026-02-30", "2100-02-29", "2026-1-1",
                                      "2026-11-21T25:00", "2026-11-21T10", "2026-11-21T10:00:00+1",
                                      "2026-11-21X", "1969-12-31", "12:00", "1e9", "2026-11-21T10:00:00.Z",
                                      "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int64_t v;
        char why[200];
        cr_assert_eq(units_parse_time(bad[i], &v, NULL, why, sizeof why), -1, "'%s' accepted", bad[i]);
        cr_assert(strstr(why, "ISO-8601") || strstr(why, "before"), "%s", why);
    }
}

Test(units, durations) {
    int64_t v;
    char why[200];
    struct { const char *s; int64_t ms; } ok[] = {
        {"0", 0}, {"500ms", 500}, {"90s", 90000}, {"15m", 900000}, {"1.5h", 5400000},
        {"7d", 604800000}, {"2w", 1209600000}, {"0.5s", 500}, {"0s", 0},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        cr_assert_eq(units_parse_duration(ok[i].s, &v, why, sizeof why), 0, "%s: %s", ok[i].s, why);
        cr_assert_eq(v, ok[i].ms, "%s: %lld", ok[i].s, (long long)v);
    }
    static const char *const bad[] = {"", "1", "5", "1hr", "-1h", "1.h", "h", "1 h", "99999999999999999999w"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(units_parse_duration(bad[i], &v, why, sizeof why), -1, "'%s' accepted", bad[i]);
}

/* ---- the AOF tail walker ------------------------------------------------- */

static const char AOF[] =
    "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
    "#TS:1795256331\r\n"
    "*3\r\n$3\r\nSET\r\n$3\r\nk\r\n\r\n$0\r\n\r\n"   /* a key holding CR LF: bytes, not lines */
    "*0\r\n"
    "*1\r\n$5\r\nMULTI\r\n";

Test(aoftail, counts_commands_in_any_pieces) {
    size_t n = sizeof AOF - 1;
    for (size_t piece = 1; piece <= n; piece++) {
        resp_walk w;
        resp_walk_init(&w);
        for (size_t at = 0; at < n; at += piece)
            resp_walk_feed(&w, (const uint8_t *)AOF + at, at + piece <= n ? piece : n - at);
        cr_assert(resp_walk_complete(&w), "piece %zu: bad at %llu", piece, (unsigned long long)w.bad_at);
        cr_assert_eq(w.commands, 4, "piece %zu: %llu", piece, (unsigned long long)w.commands);
    }
}

Test(aoftail, cut_inside_a_command_is_incomplete) {
    resp_walk w;
    resp_walk_init(&w);
    resp_walk_feed(&w, (const uint8_t *)AOF, 20);
    cr_assert_not(resp_walk_complete(&w));
    cr_assert_not(w.bad);
}

Test(aoftail, not_resp_is_bad_with_its_offset) {
    resp_walk w;
    resp_walk_init(&w);
    const char junk[] = "*1\r\n$3\r\nFOO\r\nGARBAGE";
    resp_walk_feed(&w, (const uint8_t *)junk, sizeof junk - 1);
    cr_assert(w.bad);
    cr_assert_eq(w.bad_at, 13);
    cr_assert_eq(w.commands, 1);
    resp_walk_init(&w);
    const char huge[] = "*99999999999999999999999\r\n";
    resp_walk_feed(&w, (const uint8_t *)huge, sizeof huge - 1);
    cr_assert(w.bad);
}
