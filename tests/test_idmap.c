/* test_idmap.c: the id map behind per-database rows: dense, sparse and
 * extreme ids, replacement, and growth well past its first size. */
#include <criterion/criterion.h>

#include "analyze/idmap.h"

Test(idmap, empty_map_finds_nothing) {
    idmap m = {0};
    uint64_t v = 7;
    cr_assert_not(idmap_get(&m, 0, &v));
    cr_assert_eq(v, 7);
    idmap_free(&m);
}

Test(idmap, extreme_ids_and_replacement) {
    idmap m = {0};
    const uint64_t ids[] = {0, 1, UINT64_MAX, 1ull << 63, 1ull << 32, 15};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) cr_assert_eq(idmap_put(&m, ids[i], i * 10), 0);
    cr_assert_eq(m.n, 6);
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        uint64_t v;
        cr_assert(idmap_get(&m, ids[i], &v));
        cr_assert_eq(v, i * 10);
    }
    cr_assert_eq(idmap_put(&m, UINT64_MAX, 99), 0);
    uint64_t v;
    cr_assert(idmap_get(&m, UINT64_MAX, &v));
    cr_assert_eq(v, 99);
    cr_assert_eq(m.n, 6, "replacing does not add");
    cr_assert_not(idmap_get(&m, 2, &v));
    idmap_free(&m);
    cr_assert_eq(m.n, 0);
}

/* 300k ids, half dense and half 2^32 apart (ids that collide in the low
 * bits): every one found with its value, none that was not put. */
Test(idmap, grows_with_dense_and_strided_ids) {
    idmap m = {0};
    const uint64_t n = 150000;
    for (uint64_t i = 0; i < n; i++) {
        cr_assert_eq(idmap_put(&m, i, i + 1), 0);
        cr_assert_eq(idmap_put(&m, i << 32 | 1ull << 31, ~i), 0);
    }
    cr_assert_eq(m.n, 2 * n);
    cr_assert_leq(m.n * 2, m.cap);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t v;
        cr_assert(idmap_get(&m, i, &v));
        cr_assert_eq(v, i + 1);
        cr_assert(idmap_get(&m, i << 32 | 1ull << 31, &v));
        cr_assert_eq(v, ~i);
    }
    uint64_t v;
    cr_assert_not(idmap_get(&m, n, &v));
    cr_assert_not(idmap_get(&m, n << 32 | 1ull << 31, &v));
    idmap_free(&m);
}
