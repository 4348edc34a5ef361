/* aggrun.h: an aggregate for tests: one file begun ("test.rdb"), TTLs
 * judged at REF. */
#ifndef RDBLENS_TEST_AGGRUN_H
#define RDBLENS_TEST_AGGRUN_H

#include <criterion/criterion.h>

#include "analyze/agg.h"

#define REF INT64_C(1700000000000)

static inline agg *new_agg(agg_options *o) {
    agg *a = agg_new(o);
    cr_assert_not_null(a);
    cr_assert_eq(agg_begin_file(a, "test.rdb", 1234, -1), 0);
    return a;
}

static inline agg_options opts(void) {
    agg_options o;
    agg_options_init(&o);
    o.has_now = true;
    o.now_ms = REF;
    return o;
}

#endif
