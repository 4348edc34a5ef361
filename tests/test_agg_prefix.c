/* test_agg_prefix.c: the prefix tree (analyze/agg_prefix.c): segment
 * cutting and id folding, separator sets, the node budget (which nodes
 * merge into "(other)", exact per-depth sums) and bounded memory through the
 * aggregate. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg.h"
#include "tests/support/keyrecs.h"
#include "analyze/agg_prefix.h"

#define REF INT64_C(1700000000000)

static const agg_prefix_row *find_row(const agg_prefix_row *rows, size_t n, const char *name,
                                      unsigned depth) {
    for (size_t i = 0; i < n; i++)
        if (!rows[i].other && rows[i].depth == depth && rows[i].name_len == strlen(name) &&
            memcmp(rows[i].name, name, rows[i].name_len) == 0)
            return &rows[i];
    return NULL;
}

Test(agg_prefix, numeric_segments_fold) {
    agg_prefix *p = agg_prefix_new(":", 3, 1000);
    key_record v[] = {
        kr(0, "user:12345:cart", RDB_KIND_HASH, NULL, 100, 3, 1),
        kr(0, "user:678:cart", RDB_KIND_HASH, NULL, 50, 2, 1),
        kr(0, "user:9:profile", RDB_KIND_STRING, NULL, 10, 1, 1),
        kr(0, "user:9:profile:extra:deep", RDB_KIND_STRING, NULL, 1, 1, 1),
        kr(0, "42", RDB_KIND_STRING, NULL, 7, 1, 1),
        kr(0, "user:12a:cart", RDB_KIND_STRING, NULL, 2, 1, 1),
        kr(0, "trailing:", RDB_KIND_STRING, NULL, 3, 1, 1),
    };
    v[0] = with_ttl(v[0], REF);
    for (size_t i = 0; i < 7; i++) cr_assert_eq(agg_prefix_add(p, &v[i]), 0);
    agg_prefix_row rows[64];
    size_t n = agg_prefix_top(p, 64, rows);
    const agg_prefix_row *r = find_row(rows, n, "user:", 1);
    cr_assert_not_null(r);
    cr_assert_eq(r->keys, 5);
    cr_assert_eq(r->bytes, 163);
    cr_assert_eq(r->keys_no_ttl, 4);
    cr_assert_eq(r->bytes_no_ttl, 63);
    cr_assert_eq(r->type_bytes[RDB_KIND_HASH], 150);
    r = find_row(rows, n, "user:*:", 2);
    cr_assert_not_null(r);
    cr_assert_eq(r->keys, 4);
    r = find_row(rows, n, "user:*:cart", 3);
    cr_assert_not_null(r);
    cr_assert_eq(r->keys, 2);
    cr_assert_eq(r->bytes, 150);
    cr_assert_eq(r->elements, 5);
    r = find_row(rows, n, "user:*:profile:", 3);  /* cut at depth 3 */
    cr_assert_not_null(r);
    cr_assert_eq(r->keys, 1);
    cr_assert_not_null(find_row(rows, n, "user:*:profile", 3));
    cr_assert_not_null(find_row(rows, n, "*", 1));
    cr_assert_not_null(find_row(rows, n, "user:12a:", 2));  /* not all digits: kept */
    cr_assert_not_null(find_row(rows, n, "trailing:", 1));
    cr_assert_null(find_row(rows, n, "trailing:", 2));
    /* ordered by bytes */
    for (size_t i = 1; i < n; i++) cr_assert_geq(rows[i - 1].bytes, rows[i].bytes);
    agg_prefix_row d1 = agg_prefix_depth_sum(p, 1);
    cr_assert_eq(d1.keys, 7);
    cr_assert_eq(d1.bytes, 173);
    cr_assert_not(agg_prefix_budget_hit(p));
    agg_prefix_free(p);
}

/* Which segments are ids: each key's depth-2 node, folded or kept. */
Test(agg_prefix, id_segments_fold) {
    static const struct { const char *key, *depth2; } cases[] = {
        {"s:0b6f3c2e-9a41-4d7b-8e2f-51c0a9d3e7f4", "s:*"},      /* canonical UUID */
        {"s:0B6F3C2E-9A41-4D7B-8E2F-51C0A9D3E7F4", "s:*"},      /* upper case */
        {"s:0b6f3c2e9a414d7b8e2f51c0a9d3e7f4", "s:*"},          /* UUID without dashes */
        {"s:5f3a9c1e", "s:*"},                                   /* 8 hex, a digit in it */
        {"s:507f1f77bcf86cd799439011:x", "s:*:"},               /* ObjectId, then more */
        {"s:5f3a9c1", "s:5f3a9c1"},                              /* 7 hex: too short */
        {"s:deadbeefcafe", "s:deadbeefcafe"},                    /* hex letters only: a word */
        {"s:board12", "s:board12"},                              /* not hex */
        {"s:0b6f3c2e-9a41-4d7b-8e2f-51c0a9d3e7fg", "s:0b6f3c2e-9a41-4d7b-8e2f-51c0a9d3e7fg"},
        {"s:0b6f3c2e-9a41-4d7b-8e2f51c0a9d3e7f4", "s:0b6f3c2e-9a41-4d7b-8e2f51c0a9d3e7f4"},
        /* the four dashes in place, and a fifth elsewhere (first and last group) */
        {"s:0b6f-c2e-9a41-4d7b-8e2f-51c0a9d3e7f4", "s:0b6f-c2e-9a41-4d7b-8e2f-51c0a9d3e7f4"},
        {"s:0b6f3c2e-9a41-4d7b-8e2f-51c0a9d3e7-4", "s:0b6f3c2e-9a41-4d7b-8e2f-51c0a9d3e7-4"},
        {"s:-", "s:-"},
    };
    size_t nc = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < nc; i++) {
        agg_prefix *p = agg_prefix_new(":", 2, 1000);
        key_record r = kr(0, cases[i].key, RDB_KIND_STRING, NULL, 10, 1, 1);
        cr_assert_eq(agg_prefix_add(p, &r), 0);
        agg_prefix_row rows[8];
        size_t n = agg_prefix_top(p, 8, rows);
        cr_assert_not_null(find_row(rows, n, cases[i].depth2, 2), "%s should give %s",
                           cases[i].key, cases[i].depth2);
        agg_prefix_free(p);
    }
}

Test(agg_prefix, separators_set_and_empty) {
    agg_prefix *p = agg_prefix_new(":|", 2, 1000);
    key_record r = kr(0, "a|1:b", RDB_KIND_STRING, NULL, 5, 1, 1);
    agg_prefix_add(p, &r);
    agg_prefix_row rows[8];
    size_t n = agg_prefix_top(p, 8, rows);
    cr_assert_not_null(find_row(rows, n, "a|", 1));
    cr_assert_not_null(find_row(rows, n, "a|*:", 2));
    agg_prefix_free(p);
    p = agg_prefix_new("", 3, 1000);
    agg_prefix_add(p, &r);
    n = agg_prefix_top(p, 8, rows);
    cr_assert_eq(n, 1);
    cr_assert_not_null(find_row(rows, n, "a|1:b", 1));
    agg_prefix_free(p);
}

Test(agg_prefix, budget_merges_smallest_into_other) {
    agg_prefix *p = agg_prefix_new(":", 1, 16);
    char key[32];
    uint64_t total = 0;
    /* 8 heavy prefixes first, then 1000 light distinct ones, then the heavy again */
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 8; i++) {
            snprintf(key, sizeof key, "heavy%d:x", i);
            key_record r = kr(0, key, RDB_KIND_STRING, NULL, 1000000, 1, 1);
            agg_prefix_add(p, &r);
            total += 1000000;
        }
        if (round) break;
        for (int i = 0; i < 1000; i++) {
            snprintf(key, sizeof key, "light%d:x", i);
            key_record r = kr(0, key, RDB_KIND_STRING, NULL, (uint64_t)(i % 7) + 1, 1, 1);
            agg_prefix_add(p, &r);
            total += (uint64_t)(i % 7) + 1;
        }
    }
    cr_assert(agg_prefix_budget_hit(p));
    cr_assert_leq(agg_prefix_nodes(p), 16);
    cr_assert_gt(agg_prefix_evicted(p), 0);
    agg_prefix_row sum = agg_prefix_depth_sum(p, 1);
    cr_assert_eq(sum.keys, 1016);
    cr_assert_eq(sum.bytes, total);
    agg_prefix_row rows[32];
    size_t n = agg_prefix_top(p, 32, rows);
    /* every heavy prefix survived with both of its keys */
    for (int i = 0; i < 8; i++) {
        snprintf(key, sizeof key, "heavy%d:", i);
        const agg_prefix_row *r = find_row(rows, n, key, 1);
        cr_assert_not_null(r, "%s", key);
        cr_assert_eq(r->bytes, 2000000);
    }
    bool other = false;
    for (size_t i = 0; i < n; i++) other |= rows[i].other && rows[i].depth == 1;
    cr_assert(other);
    agg_prefix_free(p);
}

Test(agg_prefix, bounded_with_many_distinct_prefixes) {
    agg_options o;
    agg_options_init(&o);
    o.prefix_budget = 1000;
    o.top_n = 10;
    agg *a = agg_new(&o);
    cr_assert_not_null(a);
    char key[40];
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof key, "k%x:v%x", (unsigned)i * 2654435761u, (unsigned)i);
        key_record r = kr(0, key, RDB_KIND_STRING, "raw", 64, 1, 1);
        cr_assert_eq(agg_add(a, &r), 0);
    }
    const agg_summary *s = agg_finish(a);
    cr_assert(s->prefix_budget_hit);
    cr_assert_eq(s->nprefixes, 10);
    cr_assert_eq(s->totals.keys, 100000);
    agg_free(a);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

Test(agg_prefix, eviction_takes_exactly_the_lightest_quarter) {
    for (unsigned seed = 1; seed <= 20; seed++) {
        srand(seed);
        agg_prefix *p = agg_prefix_new("", 1, 64);
        uint64_t w[64];
        char key[16];
        for (int i = 0; i < 64; i++) {
            w[i] = (uint64_t)(rand() % 20);  /* many ties */
            snprintf(key, sizeof key, "n%d", i);
            key_record r = kr(0, key, RDB_KIND_STRING, NULL, w[i], 1, 1);
            agg_prefix_add(p, &r);
        }
        cr_assert_not(agg_prefix_budget_hit(p));
        key_record r = kr(0, "trigger", RDB_KIND_STRING, NULL, 0, 1, 1);
        agg_prefix_add(p, &r);
        cr_assert(agg_prefix_budget_hit(p));
        cr_assert_eq(agg_prefix_evicted(p), 16);
        cr_assert_eq(agg_prefix_nodes(p), 49);
        qsort(w, 64, sizeof w[0], cmp_u64);
        uint64_t lightest = 0;
        for (int i = 0; i < 16; i++) lightest += w[i];
        agg_prefix_row rows[80];
        size_t n = agg_prefix_top(p, 80, rows);
        bool found = false;
        for (size_t i = 0; i < n; i++)
            if (rows[i].other) {
                cr_assert_eq(rows[i].bytes, lightest, "seed %u", seed);
                cr_assert_eq(rows[i].keys, 16);
                found = true;
            }
        cr_assert(found);
        agg_prefix_free(p);
    }
}

/* The treemap's tree (agg_prefix_tree): children under the node whose name
 * they extend at a separator, parents first, fanout and node limits, and
 * the heaviest nodes opened first. */
static long tree_find(const agg_prefix_tree_row *v, size_t n, const char *name, unsigned depth) {
    for (size_t i = 0; i < n; i++)
        if (!v[i].row.other && v[i].row.depth == depth && v[i].row.name_len == strlen(name) &&
            memcmp(v[i].row.name, name, v[i].row.name_len) == 0)
            return (long)i;
    return -1;
}

Test(agg_prefix, tree_for_a_treemap) {
    agg_prefix *p = agg_prefix_new(":", 3, 1000);
    key_record v[] = {
        kr(0, "user:1:cart", RDB_KIND_HASH, NULL, 100, 1, 1),
        kr(0, "user:2:cart", RDB_KIND_HASH, NULL, 50, 1, 1),
        kr(0, "user:3:profile", RDB_KIND_STRING, NULL, 10, 1, 1),
        kr(0, "order:1", RDB_KIND_STRING, NULL, 40, 1, 1),
        kr(0, "order:2", RDB_KIND_STRING, NULL, 30, 1, 1),
        kr(0, "a", RDB_KIND_STRING, NULL, 5, 1, 1),
        kr(0, "ab:c", RDB_KIND_STRING, NULL, 3, 1, 1),
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) cr_assert_eq(agg_prefix_add(p, &v[i]), 0);
    agg_prefix_tree_row t[64];
    size_t n = agg_prefix_tree(p, 64, 24, t);
    /* user: user:*: user:*:cart user:*:profile order: order:* a ab: ab:c */
    cr_expect_eq(n, 9);
    long user = tree_find(t, n, "user:", 1), ustar = tree_find(t, n, "user:*:", 2);
    long cart = tree_find(t, n, "user:*:cart", 3), order = tree_find(t, n, "order:", 1);
    long ostar = tree_find(t, n, "order:*", 2), a = tree_find(t, n, "a", 1);
    long ab = tree_find(t, n, "ab:", 1), abc = tree_find(t, n, "ab:c", 2);
    cr_assert(user >= 0 && ustar >= 0 && cart >= 0 && order >= 0 && ostar >= 0 && a >= 0 && ab >= 0 && abc >= 0);
    cr_expect_eq(t[user].parent, SIZE_MAX);
    cr_expect_eq(t[ustar].parent, (size_t)user);
    cr_expect_eq(t[cart].parent, (size_t)ustar);
    cr_expect_eq(t[cart].row.bytes, 150);
    cr_expect_eq(t[ostar].parent, (size_t)order);
    cr_expect_eq(t[ostar].row.keys, 2);
    cr_expect_eq(t[abc].parent, (size_t)ab, "ab:c is under ab:, not under the leaf a");
    for (size_t i = 0; i < n; i++)
        cr_expect(t[i].parent == SIZE_MAX || t[i].parent < i, "a parent comes before its child");
    cr_expect_eq(user, 0, "the heaviest top-level node first");

    /* fanout 1: one child per node, the heaviest */
    n = agg_prefix_tree(p, 64, 1, t);
    cr_expect_eq(n, 3);
    cr_expect_geq(tree_find(t, n, "user:*:cart", 3), 0);
    /* a node limit: the heaviest top-level nodes, then the heaviest opened */
    n = agg_prefix_tree(p, 2, 24, t);
    cr_expect_eq(n, 2);
    cr_expect_geq(tree_find(t, n, "user:", 1), 0);
    cr_expect_geq(tree_find(t, n, "order:", 1), 0);
    n = agg_prefix_tree(p, 5, 24, t);
    cr_expect_eq(n, 5);
    cr_expect_geq(tree_find(t, n, "user:*:", 2), 0, "user: is opened before order:");
    cr_expect_lt(tree_find(t, n, "order:*", 2), 0);
    agg_prefix_free(p);
}

/* Past the budget the merged nodes show as one top-level "(other)". */
Test(agg_prefix, tree_keeps_other) {
    agg_prefix *p = agg_prefix_new(":", 2, AGG_PREFIX_MIN_BUDGET);
    char name[32];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof name, "p%d:x", i);
        key_record r = kr(0, name, RDB_KIND_STRING, NULL, 10 + (uint64_t)i, 1, 1);
        cr_assert_eq(agg_prefix_add(p, &r), 0);
    }
    cr_assert(agg_prefix_budget_hit(p));
    agg_prefix_tree_row t[64];
    size_t n = agg_prefix_tree(p, 64, 8, t);
    size_t others = 0;
    uint64_t top_bytes = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].row.other) {
            others++;
            cr_expect_eq(t[i].parent, SIZE_MAX);
            cr_expect_eq(t[i].row.depth, 1);
        }
        if (t[i].parent == SIZE_MAX) top_bytes += t[i].row.bytes;
    }
    cr_expect_eq(others, 1);
    cr_expect_leq(top_bytes, agg_prefix_depth_sum(p, 1).bytes);
    agg_prefix_free(p);
}
