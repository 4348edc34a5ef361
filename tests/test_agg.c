/* test_agg.c: the aggregate (analyze/agg*.c) on synthetic key records:
 * exact totals, TTL bucket boundaries, top-N order and ties, percentile
 * error, filters, reference time and per-file totals. The prefix tree has
 * its own file, test_agg_prefix.c, and the findings test_agg_find.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg.h"
#include "analyze/model.h"
#include "tests/support/aggrun.h"
#include "tests/support/keyrecs.h"
#include "analyze/agg_hist.h"
#include "analyze/agg_topn.h"

#define H INT64_C(3600000)
#define D (24 * H)

/* ---- TTL buckets --------------------------------------------------------- */

Test(agg_ttl, bucket_boundaries) {
    struct { int64_t r; unsigned b; } cases[] = {
        {-D, AGG_TTL_EXPIRED}, {-1, AGG_TTL_EXPIRED}, {0, AGG_TTL_EXPIRED},
        {1, AGG_TTL_LT_1H}, {H - 1, AGG_TTL_LT_1H},
        {H, AGG_TTL_1H_6H}, {6 * H - 1, AGG_TTL_1H_6H},
        {6 * H, AGG_TTL_6H_24H}, {D - 1, AGG_TTL_6H_24H},
        {D, AGG_TTL_1D_7D}, {7 * D - 1, AGG_TTL_1D_7D},
        {7 * D, AGG_TTL_7D_30D}, {30 * D - 1, AGG_TTL_7D_30D},
        {30 * D, AGG_TTL_GT_30D}, {3650 * D, AGG_TTL_GT_30D},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(agg_ttl_bucket(true, REF + cases[i].r, REF), cases[i].b, "r=%lld",
                     (long long)cases[i].r);
    cr_assert_eq(agg_ttl_bucket(false, 0, REF), AGG_TTL_NONE);
    /* extremes do not overflow */
    cr_assert_eq(agg_ttl_bucket(true, INT64_MAX, INT64_MIN), AGG_TTL_GT_30D);
    cr_assert_eq(agg_ttl_bucket(true, INT64_MIN, INT64_MAX), AGG_TTL_EXPIRED);
    cr_assert_str_eq(agg_ttl_bucket_name(AGG_TTL_1D_7D), "1d-7d");
    cr_assert_str_eq(agg_ttl_bucket_name(AGG_TTL_GT_30D), ">30d");
}

Test(agg_ttl, buckets_count_keys_and_bytes) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    agg_add(a, &(key_record){0});  /* an empty key, no TTL, 0 bytes */
    key_record r = kr(0, "a", RDB_KIND_STRING, "raw", 100, 1, 1);
    agg_add(a, &r);
    r = with_ttl(kr(0, "b", RDB_KIND_STRING, "raw", 10, 1, 1), REF);         /* expired */
    agg_add(a, &r);
    r = with_ttl(kr(0, "c", RDB_KIND_STRING, "raw", 20, 1, 1), REF + H - 1); /* <1h */
    agg_add(a, &r);
    r = with_ttl(kr(0, "d", RDB_KIND_STRING, "raw", 40, 1, 1), REF + H);     /* 1h-6h */
    agg_add(a, &r);
    r = with_ttl(kr(0, "e", RDB_KIND_STRING, "raw", 80, 1, 1), REF + 30 * D); /* >30d */
    agg_add(a, &r);
    const agg_summary *s = agg_finish(a);
    cr_assert_eq(s->ttl[AGG_TTL_NONE].keys, 2);
    cr_assert_eq(s->ttl[AGG_TTL_NONE].bytes, 100);
    cr_assert_eq(s->ttl[AGG_TTL_EXPIRED].keys, 1);
    cr_assert_eq(s->ttl[AGG_TTL_EXPIRED].bytes, 10);
    cr_assert_eq(s->ttl[AGG_TTL_LT_1H].bytes, 20);
    cr_assert_eq(s->ttl[AGG_TTL_1H_6H].bytes, 40);
    cr_assert_eq(s->ttl[AGG_TTL_GT_30D].bytes, 80);
    cr_assert_eq(s->totals.keys_with_ttl, 4);
    cr_assert_eq(s->totals.bytes_with_ttl, 150);
    cr_assert_eq(s->totals.keys_expired, 1);
    cr_assert_eq(s->totals.bytes_expired, 10);
    uint64_t k = 0, b = 0;
    for (unsigned i = 0; i < AGG_TTL_COUNT_; i++) { k += s->ttl[i].keys; b += s->ttl[i].bytes; }
    cr_assert_eq(k, s->totals.keys);
    cr_assert_eq(b, s->totals.bytes);
    agg_free(a);
}

/* ---- totals and breakdowns ---------------------------------------------- */

Test(agg_totals, by_db_type_encoding_exact) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    key_record v[] = {
        kr(0, "s1", RDB_KIND_STRING, "embstr", 56, 5, 5),
        kr(0, "s2", RDB_KIND_STRING, "raw", 1000, 900, 900),
        kr(3, "h1", RDB_KIND_HASH, "listpack", 200, 4, 10),
        kr(3, "h2", RDB_KIND_HASH, "hashtable", 9000, 600, 30),
        kr(15, "l1", RDB_KIND_LIST, "quicklist", 700, 70, 9),
        kr(3, "h3", RDB_KIND_HASH, "listpack", 300, 6, 12),
    };
    for (size_t i = 0; i < 6; i++) cr_assert_eq(agg_add(a, &v[i]), 0);
    key_record nm = kr(0, "nomodel", RDB_KIND_SET, NULL, 0, 3, 1);
    nm.has_bytes = false;
    agg_add(a, &nm);
    const agg_summary *s = agg_finish(a);
    cr_assert_eq(s->totals.keys, 7);
    cr_assert_eq(s->totals.bytes, 56 + 1000 + 200 + 9000 + 700 + 300);
    /* elements are of collections; strings count their length apart */
    cr_assert_eq(s->totals.elements, 4 + 600 + 70 + 6 + 3);
    cr_assert_eq(s->totals.string_length, 5 + 900);
    cr_assert_eq(s->totals.keys_unmodelled, 1);
    cr_assert_eq(s->ndbs, 3);
    cr_assert_eq(s->dbs[0].db, 0);
    cr_assert_eq(s->dbs[0].keys, 3);
    cr_assert_eq(s->dbs[0].bytes, 1056);
    cr_assert_eq(s->dbs[1].db, 3);
    cr_assert_eq(s->dbs[1].bytes, 9500);
    cr_assert_eq(s->dbs[1].elements, 610);
    cr_assert_eq(s->dbs[2].db, 15);
    cr_assert_eq(s->types[RDB_KIND_HASH].keys, 3);
    cr_assert_eq(s->types[RDB_KIND_HASH].bytes, 9500);
    cr_assert_eq(s->types[RDB_KIND_HASH].bytes_max, 9000);
    cr_assert_eq(s->types[RDB_KIND_STRING].elements, 0);
    cr_assert_eq(s->types[RDB_KIND_STRING].length, 905);
    cr_assert_eq(s->types[RDB_KIND_ZSET].keys, 0);
    /* encodings: type order, then name; NULL (not modelled) first */
    cr_assert_eq(s->nencs, 6);
    cr_assert_str_eq(s->encs[0].encoding, "embstr");
    cr_assert_str_eq(s->encs[1].encoding, "raw");
    cr_assert_eq(s->encs[2].type, RDB_KIND_LIST);
    cr_assert_null(s->encs[3].encoding);
    cr_assert_eq(s->encs[3].type, RDB_KIND_SET);
    cr_assert_str_eq(s->encs[4].encoding, "hashtable");
    cr_assert_str_eq(s->encs[5].encoding, "listpack");
    cr_assert_eq(s->encs[5].keys, 2);
    cr_assert_eq(s->encs[5].bytes, 500);
    cr_assert_eq(s->encs[5].elements, 10);
    agg_free(a);
}

Test(agg_totals, finish_is_idempotent_and_refuses_more) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    key_record r = kr(0, "x", RDB_KIND_STRING, "raw", 5, 1, 1);
    agg_add(a, &r);
    const agg_summary *s1 = agg_finish(a), *s2 = agg_finish(a);
    cr_assert_eq(s1, s2);
    cr_assert_eq(agg_add(a, &r), -1);
    cr_assert_eq(s1->totals.keys, 1);
    agg_free(a);
}

/* ---- top N --------------------------------------------------------------- */

Test(agg_topn, order_ties_and_copies) {
    agg_options o = opts();
    o.top_n = 3;
    agg *a = new_agg(&o);
    uint64_t bytes[] = {5, 10, 10, 7, 10, 1};
    char name[16];
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof name, "k%d", i);
        key_record r = kr(0, name, RDB_KIND_STRING, "raw", bytes[i], 100 - (uint64_t)i, 1);
        agg_add(a, &r);
        memset(name, 'X', sizeof name - 1);  /* the aggregate must have copied */
    }
    const agg_summary *s = agg_finish(a);
    cr_assert_eq(s->top_bytes.n, 3);
    const char *want[] = {"k1", "k2", "k4"};  /* equal bytes: earlier first */
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(s->top_bytes.v[i].rec.key_len, 2);
        cr_assert(memcmp(s->top_bytes.v[i].rec.key, want[i], 2) == 0, "rank %d", i);
        cr_assert_eq(s->top_bytes.v[i].rec.bytes, 10);
    }
    /* strings rank by length among strings, never among collections */
    cr_assert_eq(s->top_elements.n, 0);
    const agg_key_list *by_len = &s->type_top_elements[RDB_KIND_STRING];
    cr_assert(memcmp(by_len->v[0].rec.key, "k0", 2) == 0);
    cr_assert(memcmp(by_len->v[2].rec.key, "k2", 2) == 0);
    cr_assert_eq(s->type_top_bytes[RDB_KIND_STRING].n, 3);
    cr_assert_eq(s->type_top_bytes[RDB_KIND_HASH].n, 0);
    agg_free(a);
}

Test(agg_topn, heap_matches_stable_sort) {
    agg_topn t;
    cr_assert_eq(agg_topn_init(&t, 50), 0);
    uint64_t score[5000];
    srand(7);
    for (int i = 0; i < 5000; i++) {
        score[i] = (uint64_t)(rand() % 300);
        key_record r = kr(0, "k", RDB_KIND_STRING, NULL, score[i], 0, 0);
        agg_topn_offer(&t, score[i], (uint64_t)i, 0, &r);
    }
    agg_topn_sort(&t);
    /* reference: the first 50 of a stable descending sort */
    int idx[5000];
    for (int i = 0; i < 5000; i++) idx[i] = i;
    for (int i = 1; i < 5000; i++) {
        int x = idx[i], j = i;
        while (j > 0 && score[idx[j - 1]] < score[x]) { idx[j] = idx[j - 1]; j--; }
        idx[j] = x;
    }
    cr_assert_eq(t.n, 50);
    for (int i = 0; i < 50; i++) cr_assert_eq(t.v[i].seq, (uint64_t)idx[i], "rank %d", i);
    agg_topn_free(&t);
}

Test(agg_topn, module_name_is_copied) {
    agg_topn t;
    agg_topn_init(&t, 2);
    char mod[10] = "ReJSON-RL";
    for (int i = 0; i < 4; i++) {
        key_record r = kr(0, "m", RDB_KIND_MODULE, NULL, (uint64_t)i, 0, 0);
        r.module_name = mod;
        agg_topn_offer(&t, (uint64_t)i, (uint64_t)i, 0, &r);
    }
    memset(mod, 0, sizeof mod);
    agg_topn_sort(&t);
    cr_assert_str_eq(t.v[0].rec.module_name, "ReJSON-RL");
    cr_assert_str_eq(t.v[1].rec.module_name, "ReJSON-RL");
    agg_topn_free(&t);
}

Test(agg_topn, long_names_keep_their_head_and_length) {
    agg_topn t;
    agg_topn_init(&t, 3);
    size_t lens[] = {AGG_KEY_KEEP, AGG_KEY_KEEP + 1, 1 << 20};
    for (int i = 0; i < 3; i++) {
        uint8_t *name = malloc(lens[i]);
        for (size_t j = 0; j < lens[i]; j++) name[j] = (uint8_t)('a' + (i + j) % 26);
        key_record r = kr(0, "", RDB_KIND_STRING, "raw", 100 - (uint64_t)i, 1, 1);
        r.key = name, r.key_len = lens[i];
        agg_topn_offer(&t, r.bytes, (uint64_t)i, 0, &r);
        free(name);   /* the heap holds its own copy */
    }
    agg_topn_sort(&t);
    for (int i = 0; i < 3; i++) {
        const key_record *r = &t.v[i].rec;
        cr_assert_eq(r->key_len, AGG_KEY_KEEP, "key %d", i);
        cr_assert_eq(r->key_full_len, i == 0 ? 0 : lens[i], "key %d", i);
        for (size_t j = 0; j < AGG_KEY_KEEP; j++)
            cr_assert_eq(r->key[j], (uint8_t)('a' + (i + j) % 26), "key %d byte %zu", i, j);
    }
    agg_topn_free(&t);
}

/* ---- percentiles --------------------------------------------------------- */

Test(agg_hist, buckets_are_consistent) {
    uint64_t vals[] = {0, 1, 127, 128, 129, 255, 256, 1000, 65535, 65536, UINT64_C(1) << 40,
                       (UINT64_C(1) << 63) - 1, UINT64_C(1) << 63, UINT64_MAX};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        unsigned idx = agg_hist_index(vals[i]);
        cr_assert_lt(idx, AGG_HIST_BUCKETS);
        cr_assert_geq(agg_hist_upper(idx), vals[i]);
        cr_assert_eq(agg_hist_index(agg_hist_upper(idx)), idx);
        if (vals[i] >= 128) /* bucket width <= lower bound / 64 */
            cr_assert_leq(agg_hist_upper(idx) - vals[i], vals[i] / 64);
    }
    cr_assert_eq(agg_hist_index(UINT64_MAX), AGG_HIST_BUCKETS - 1);
}

Test(agg_hist, percentiles_within_documented_error) {
    agg_hist *h = calloc(1, sizeof *h);
    for (uint64_t v = 1; v <= 100000; v++) agg_hist_add(h, v * 37);
    struct { unsigned pm; uint64_t exact; } q[] = {{500, 50000 * 37}, {900, 90000 * 37},
                                                   {990, 99000 * 37}, {1000, 100000 * 37}};
    for (size_t i = 0; i < 4; i++) {
        uint64_t got = agg_hist_quantile(h, q[i].pm);
        cr_assert_geq(got, q[i].exact, "p%u", q[i].pm);
        cr_assert_lt((double)got, (double)q[i].exact * (1.0 + 1.0 / 64), "p%u", q[i].pm);
    }
    free(h);
    h = calloc(1, sizeof *h);
    uint64_t small[] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};  /* sorted: 1 1 2 3 3 4 5 5 6 9 */
    for (int i = 0; i < 10; i++) agg_hist_add(h, small[i]);
    cr_assert_eq(agg_hist_quantile(h, 500), 3);   /* nearest rank 5 */
    cr_assert_eq(agg_hist_quantile(h, 900), 6);   /* rank 9 */
    cr_assert_eq(agg_hist_quantile(h, 990), 9);   /* rank 10 */
    cr_assert_eq(agg_hist_quantile(h, 1000), 9);
    free(h);
}

Test(agg_hist, type_percentiles_in_summary) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    for (int i = 1; i <= 100; i++) {
        key_record r = kr(0, "z", RDB_KIND_ZSET, "skiplist", (uint64_t)i * 1000, (uint64_t)i, 1);
        agg_add(a, &r);
    }
    const agg_summary *s = agg_finish(a);
    const agg_type_row *t = &s->types[RDB_KIND_ZSET];
    cr_assert_eq(t->elements_p50, 50);
    cr_assert_eq(t->elements_p90, 90);
    cr_assert_eq(t->elements_p99, 99);
    cr_assert_eq(t->elements_max, 100);
    cr_assert_geq(t->bytes_p50, 50000);
    cr_assert_lt(t->bytes_p50, 50000 + 50000 / 64);
    cr_assert_eq(t->bytes_max, 100000);
    agg_free(a);
}

/* ---- filters ------------------------------------------------------------- */

Test(agg_filter, applied_by_agg_add) {
    agg_options o = opts();
    o.filter.match = "keep:*";
    agg *a = new_agg(&o);
    key_record k1 = kr(0, "keep:1", RDB_KIND_STRING, "raw", 10, 1, 1);
    key_record k2 = kr(0, "drop:1", RDB_KIND_STRING, "raw", 1000, 1, 1);
    agg_add(a, &k1);
    agg_add(a, &k2);
    const agg_summary *s = agg_finish(a);
    cr_assert_eq(s->totals.keys, 1);
    cr_assert_eq(s->totals.bytes, 10);
    cr_assert_eq(s->keys_filtered_out, 1);
    cr_assert_str_eq(s->opt->filter.match, "keep:*");
    agg_free(a);
}

/* ---- source: reference time, aux, files ---------------------------------- */

static void aux(agg *a, const char *k, const char *v) {
    agg_file_aux(a, (const uint8_t *)k, strlen(k), (const uint8_t *)v, strlen(v));
}

Test(agg_source, reference_from_ctime_then_mtime_then_option) {
    agg_options o;
    agg_options_init(&o);
    agg *a = agg_new(&o);
    agg_begin_file(a, "one.rdb", 10, REF - D);    /* mtime */
    aux(a, "redis-ver", "7.2.6");
    aux(a, "ctime", "1700000000");                /* = REF */
    aux(a, "used-mem", "123456");
    key_record r = with_ttl(kr(0, "k", RDB_KIND_STRING, "raw", 8, 1, 1), REF + 1);
    agg_add(a, &r);
    aux(a, "ctime", "1");                         /* after a key: ignored */
    agg_begin_file(a, "two.rdb", 20, REF + D);    /* no ctime: mtime */
    agg_add(a, &r);                               /* expired vs two's mtime */
    const agg_summary *s = agg_finish(a);
    cr_assert_eq(s->nfiles, 2);
    cr_assert_eq(s->files[0].reference_ms, REF);
    cr_assert_str_eq(s->files[0].reference_basis, "ctime");
    cr_assert_eq(s->files[1].reference_ms, REF + D);
    cr_assert_str_eq(s->files[1].reference_basis, "mtime");
    cr_assert_eq(s->reference_ms, REF);
    cr_assert_eq(s->files[0].totals.keys_expired, 0);
    cr_assert_eq(s->files[1].totals.keys_expired, 1);
    cr_assert_eq(s->totals.keys_expired, 1);
    cr_assert_eq(s->ttl[AGG_TTL_LT_1H].keys, 1);
    cr_assert(s->totals.has_aux_used_mem);
    cr_assert_eq(s->totals.aux_used_mem, 123456);
    cr_assert_eq(s->files[0].naux, 3);            /* ctime kept once */
    cr_assert_eq(s->files[0].totals.keys, 1);
    cr_assert_eq(s->files[1].totals.bytes, 8);
    agg_free(a);

    agg_options o2 = opts();
    a = agg_new(&o2);
    agg_begin_file(a, "x.rdb", 1, 5);
    aux(a, "ctime", "1");
    const agg_summary *s2 = agg_finish(a);
    cr_assert_eq(s2->files[0].reference_ms, REF);
    cr_assert_str_eq(s2->reference_basis, "option");
    agg_free(a);
}

Test(agg_source, header_result_and_profile) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    rdb_header h = {.magic = "REDIS0011", .flavor = RDB_FLAVOR_REDIS, .version = 11};
    agg_file_header(a, &h);
    agg_file_functions(a, 2);
    rdb_result res;
    memset(&res, 0, sizeof res);
    res.error.code = RDB_ERR_TRUNCATED;
    res.error.offset = 4242;
    snprintf(res.error.message, sizeof res.error.message, "input ended inside key \"k\"");
    agg_file_result(a, &res);
    agg_file_predicted_used_memory(a, 999);
    agg_set_profile(a, "redis-7.2");
    const agg_summary *s = agg_finish(a);
    const agg_file *f = &s->files[0];
    cr_assert(f->have_header);
    cr_assert_str_eq(f->magic, "REDIS0011");
    cr_assert_eq(f->rdb_version, 11);
    cr_assert_eq(f->functions, 2);
    cr_assert_not(f->complete);
    cr_assert_eq(f->error_offset, 4242);
    cr_assert_str_eq(f->error_message, "input ended inside key \"k\"");
    cr_assert_not(f->have_checksum);
    cr_assert_str_eq(s->profile, "redis-7.2");
    cr_assert(s->totals.has_predicted_used_memory);
    cr_assert_eq(s->totals.predicted_used_memory, 999);
    agg_free(a);
}
