/* test_churn.c: analyze/churn.c: exact counts over a table that grows
 * through several doublings, duplicates, and the movers: largest |delta|
 * first, ties in arrival order, removed keys named in the second pass. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "analyze/churn.h"

static key_record rec(uint64_t db, const char *key, uint64_t bytes) {
    key_record r;
    memset(&r, 0, sizeof r);
    r.db = db;
    r.key = (const uint8_t *)key;
    r.key_len = strlen(key);
    r.type = RDB_KIND_STRING;
    r.has_bytes = true;
    r.bytes = bytes;
    return r;
}

Test(churn, exact_counts) {
    churn *c = churn_new(10);
    char k[32];
    /* old: k0..k9999 in db 0; new: k5000..k14999, every third of the shared ones bigger */
    for (int i = 0; i < 10000; i++) {
        snprintf(k, sizeof k, "k%d", i);
        key_record r = rec(0, k, 100);
        cr_assert_eq(churn_add_old(c, &r), 0);
    }
    key_record same_name_db1 = rec(1, "k1", 100);   /* another key: db differs */
    cr_assert_eq(churn_add_old(c, &same_name_db1), 0);
    key_record dup = rec(0, "k7", 5);
    cr_assert_eq(churn_add_old(c, &dup), 0);
    for (int i = 5000; i < 15000; i++) {
        snprintf(k, sizeof k, "k%d", i);
        key_record r = rec(0, k, i < 10000 && i % 3 == 0 ? 150 : 100);
        cr_assert_eq(churn_add_new(c, &r), 0);
    }
    churn_counts n = churn_counts_of(c);
    cr_assert_eq(n.added, 5000);
    cr_assert_eq(n.removed, 5001);   /* k0..k4999 and db 1's k1 */
    cr_assert_eq(n.changed, 1667);   /* 5001, 5004, ..., 9999 */
    cr_assert_eq(n.unchanged, 5000 - 1667);
    cr_assert_eq(n.duplicates, 1);
    cr_assert_geq(churn_memory(c), 11001 * 16);
    cr_assert_leq(churn_memory(c), 16384 * 16 + 10 * sizeof(churn_mover));
    churn_free(c);
}

Test(churn, movers_best_first_removed_named_in_second_pass) {
    churn *c = churn_new(4);
    key_record o[] = {rec(0, "a", 10), rec(0, "b", 10), rec(0, "gone", 500), rec(0, "gone2", 40)};
    for (int i = 0; i < 4; i++) churn_add_old(c, &o[i]);
    key_record n[] = {rec(0, "a", 50), rec(0, "b", 10), rec(0, "new", 40), rec(0, "new2", 3)};
    for (int i = 0; i < 4; i++) churn_add_new(c, &n[i]);
    for (int i = 0; i < 4; i++) churn_removed(c, &o[i]);
    size_t k;
    const churn_mover *m = churn_movers(c, &k);
    cr_assert_eq(k, 4);
    cr_assert_eq(memcmp(m[0].key, "gone", 4), 0);   /* -500 */
    cr_assert(m[0].has_old && !m[0].has_new);
    cr_assert_eq(memcmp(m[1].key, "a", 1), 0);      /* +40, before the tie below */
    cr_assert_eq(m[1].old_bytes, 10);
    cr_assert_eq(m[1].new_bytes, 50);
    cr_assert_eq(memcmp(m[2].key, "new", 3), 0);    /* +40, the new dump's later key */
    cr_assert(!m[2].has_old);
    cr_assert_eq(m[3].key_len, 5);                  /* gone2, -40: removed ones come last on ties */
    churn_counts cc = churn_counts_of(c);
    cr_assert_eq(cc.removed, 2);
    cr_assert_eq(cc.changed, 1);
    cr_assert_eq(cc.added, 2);
    churn_free(c);
}

Test(churn, restart) {
    churn *c = churn_new(2);
    key_record a = rec(0, "a", 1), b = rec(0, "b", 2);
    churn_add_old(c, &a);
    churn_reset_old(c);
    churn_add_old(c, &a);
    churn_add_old(c, &b);
    churn_add_new(c, &a);
    churn_reset_new(c);
    churn_add_new(c, &b);
    churn_counts n = churn_counts_of(c);
    cr_assert_eq(n.unchanged, 1);
    cr_assert_eq(n.removed, 1);
    cr_assert_eq(n.added, 0);
    churn_free(c);
}
