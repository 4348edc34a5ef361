/* test_agg_shallow.c: what the aggregate does for a shallow parse: the
 * longest blob it may leave unwalked (agg_find_shallow_max) and the visit
 * of kept records whose largest is not exact (agg_visit_inexact). */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/agg.h"

Test(agg_shallow, shallow_max_from_the_thresholds) {
    agg_thresholds th;
    agg_thresholds_init(&th);
    cr_assert_eq(agg_find_shallow_max(&th), 8192, "list elements over 8 KiB decide");
    th.list_element_bytes = 0;
    /* 1 MiB * 50 %: an element of 524288 bytes may dominate, one less may not */
    cr_assert_eq(agg_find_shallow_max(&th), 524287);
    th.dominant_pct = 0;
    cr_assert_eq(agg_find_shallow_max(&th), UINT64_MAX, "no finding reads largest");
    th.dominant_pct = 50;
    th.dominant_min_bytes = 0;
    cr_assert_eq(agg_find_shallow_max(&th), 0, "any element may dominate a small key");
    agg_thresholds_init(&th);
    th.list_element_bytes = 10;
    cr_assert_eq(agg_find_shallow_max(&th), 0, "an unwalked blob's bound is at least 20");
}

static key_record rec(const char *key, uint64_t bytes, uint64_t largest, bool exact, uint64_t off) {
    return (key_record){.key = (const uint8_t *)key, .key_len = strlen(key), .type = RDB_KIND_HASH,
                        .encoding = "listpack", .has_bytes = true, .bytes = bytes, .elements = 3,
                        .largest = largest, .largest_exact = exact, .offset = off};
}

typedef struct seen { int calls; uint64_t offsets[16]; } seen;

static int patch(void *ctx, key_record *r) {
    seen *s = ctx;
    s->offsets[s->calls++ % 16] = r->offset;
    r->largest = 1000 + r->offset;
    r->largest_exact = true;
    return 0;
}

static int stop(void *ctx, key_record *r) {
    (void)ctx, (void)r;
    return 7;
}

Test(agg_shallow, visit_patches_kept_inexact_records_of_the_current_file) {
    agg_options o;
    agg_options_init(&o);
    o.top_n = 2;
    agg *a = agg_new(&o);
    agg_begin_file(a, "one.rdb", 100, -1);
    key_record r1 = rec("old", 500, 5, false, 11);
    agg_add(a, &r1);
    seen s = {0};
    cr_assert_eq(agg_visit_inexact(a, patch, &s), 0);
    cr_assert_gt(s.calls, 0);
    agg_begin_file(a, "two.rdb", 100, -1);
    key_record r2 = rec("big", 900, 5, false, 22), r3 = rec("exact", 800, 9, true, 33),
               r4 = rec("small", 1, 5, false, 44);
    agg_add(a, &r2);
    agg_add(a, &r3);
    agg_add(a, &r4);
    cr_assert_eq(agg_visit_inexact(a, stop, NULL), 7, "fn's result stops the visit");
    s = (seen){0};
    cr_assert_eq(agg_visit_inexact(a, patch, &s), 0);
    for (int i = 0; i < s.calls && i < 16; i++) {
        cr_assert_neq(s.offsets[i], 11, "the earlier file's keys were done then");
        cr_assert_neq(s.offsets[i], 33, "exact keys are not visited");
    }
    cr_assert_gt(s.calls, 0);
    cr_assert_eq(agg_visit_inexact(a, stop, NULL), 0, "all patched: nothing left to visit");
    const agg_summary *sum = agg_finish(a);
    cr_assert_eq(sum->top_bytes.n, 2);
    cr_assert_eq(sum->top_bytes.v[0].rec.largest, 1022, "patched in the table");
    cr_assert(sum->top_bytes.v[0].rec.largest_exact);
    cr_assert_eq(sum->top_bytes.v[1].rec.largest, 9);
    agg_free(a);
}
