/* test_agg_find.c: the report's findings (analyze/agg_find.c) on synthetic
 * key records: each rule, the saving estimate, and near_encoding_limit
 * judged by the target server's own limits (per profile, --config, per
 * file). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg.h"
#include "analyze/model.h"
#include "tests/support/aggrun.h"
#include "tests/support/keyrecs.h"

#define H INT64_C(3600000)
#define D (24 * H)

/* ---- findings ------------------------------------------------------------ */

static const agg_finding *finding(const agg_summary *s, const char *kind, const char *key) {
    for (size_t i = 0; i < s->nfindings; i++) {
        const agg_finding *f = &s->findings[i];
        if (strcmp(f->kind, kind) != 0) continue;
        if (!key) return f;
        if (f->subject_kind == AGG_SUBJECT_KEY && f->key->rec.key_len == strlen(key) &&
            memcmp(f->key->rec.key, key, strlen(key)) == 0)
            return f;
        if (f->subject_kind == AGG_SUBJECT_PREFIX && f->subject_len == strlen(key) &&
            memcmp(f->subject, key, strlen(key)) == 0)
            return f;
        /* a near-limit group: by one of the keys it names */
        for (size_t j = 0; j < f->nexamples; j++)
            if (f->examples[j]->rec.key_len == strlen(key) &&
                memcmp(f->examples[j]->rec.key, key, strlen(key)) == 0)
                return f;
    }
    return NULL;
}

static const agg_evidence *ev(const agg_finding *f, const char *name) {
    for (unsigned i = 0; i < f->nev; i++)
        if (strcmp(f->ev[i].name, name) == 0) return &f->ev[i];
    return NULL;
}

#define MIB (UINT64_C(1) << 20)

Test(agg_find, rules) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    key_record v[] = {
        kr(0, "big:string", RDB_KIND_STRING, "raw", 10 * MIB + 64, 10 * MIB, 10 * MIB),
        kr(0, "huge:blob", RDB_KIND_STRING, "raw", 200 * MIB, 200 * MIB, 200 * MIB),
        kr(0, "almost", RDB_KIND_STRING, "raw", 10 * MIB - 1, 10 * MIB - 100, 10 * MIB - 100),
        kr(0, "many:hash", RDB_KIND_HASH, "hashtable", 900000, 10000, 20),
        kr(0, "few:hash", RDB_KIND_HASH, "hashtable", 900000, 9999, 20),
        kr(0, "near:hash", RDB_KIND_HASH, "hashtable", 40000, 600, 30),
        kr(0, "near:toolong", RDB_KIND_HASH, "hashtable", 40000, 600, 65),
        int_members(kr(0, "near:set", RDB_KIND_SET, "hashtable", 30000, 513, 6)),
        int_members(kr(0, "far:set", RDB_KIND_SET, "hashtable", 30000, 700, 6)),
        kr(0, "near:strset", RDB_KIND_SET, "hashtable", 30000, 513, 6),
        kr(0, "fat:list", RDB_KIND_LIST, "quicklist", 100000, 5, 8193),
        kr(0, "ok:list", RDB_KIND_LIST, "quicklist", 100000, 5, 8192),
        kr(0, "dom:hash", RDB_KIND_HASH, "hashtable", 4 * MIB, 3, 3 * MIB),
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) agg_add(a, &v[i]);
    key_record e = with_ttl(kr(1, "gone", RDB_KIND_STRING, "raw", 100, 1, 1), REF - 1);
    agg_add(a, &e);
    const agg_summary *s = agg_finish(a);

    /* one rule for every type: memory past 1/10/100 MiB is info/warning/
     * critical, elements past 10k/100k/1M likewise; the worse one counts */
    const agg_finding *f = finding(s, "big_key", "big:string");
    cr_assert_not_null(f);
    cr_assert_str_eq(f->severity, "warning");
    cr_assert_eq(ev(f, "bytes")->u, 10 * MIB + 64);
    f = finding(s, "big_key", "huge:blob");
    cr_assert_str_eq(f->severity, "critical");
    f = finding(s, "big_key", "almost");
    cr_assert_str_eq(f->severity, "info");
    /* critical first */
    cr_assert_str_eq(s->findings[0].severity, "critical");

    f = finding(s, "big_key", "many:hash");
    cr_assert_not_null(f);
    cr_assert_str_eq(f->severity, "info");
    cr_assert_null(finding(s, "big_key", "few:hash"));

    f = finding(s, "near_encoding_limit", "near:hash");
    cr_assert_not_null(f);
    cr_assert_str_eq(ev(f, "config")->s, "hash-max-listpack-entries");
    cr_assert_eq(ev(f, "limit")->u, 512);
    cr_assert_eq(ev(f, "estimated_saving_bytes")->u, 600 * 48);
    cr_assert_null(finding(s, "near_encoding_limit", "near:toolong"));
    f = finding(s, "near_encoding_limit", "near:set");
    cr_assert_str_eq(ev(f, "compact_encoding")->s, "intset");
    cr_assert_null(finding(s, "near_encoding_limit", "far:set"));
    /* as many members, as short, but not integers: no intset candidate */
    cr_assert_null(finding(s, "near_encoding_limit", "near:strset"));

    cr_assert_not_null(finding(s, "list_big_elements", "fat:list"));
    cr_assert_null(finding(s, "list_big_elements", "ok:list"));
    f = finding(s, "dominant_element", "dom:hash");
    cr_assert_not_null(f);
    cr_assert_float_eq(ev(f, "largest_pct")->pct, 75.0, 1e-9);

    f = finding(s, "expired_in_dump", NULL);
    cr_assert_not_null(f);
    cr_assert_eq(f->subject_kind, AGG_SUBJECT_FILE);
    cr_assert_eq(ev(f, "keys")->u, 1);
    cr_assert_eq(ev(f, "bytes")->u, 100);
    agg_free(a);
}

static uint64_t model_estimate(void *ctx, const key_record *r, const char *enc) {
    (void)ctx;
    return strcmp(enc, "listpack") == 0 ? r->bytes / 4 : 0;
}

Test(agg_find, estimate_callback_and_more) {
    agg_options o = opts();
    o.estimate = model_estimate;
    o.findings_per_kind = 2;
    agg *a = new_agg(&o);
    key_record r = kr(0, "z", RDB_KIND_ZSET, "skiplist", 40000, 129, 10);
    agg_add(a, &r);
    for (int i = 0; i < 5; i++) {
        key_record b = kr(0, "big", RDB_KIND_STRING, "raw", 11 * MIB + (uint64_t)i, 11 * MIB, 11 * MIB);
        agg_add(a, &b);
    }
    const agg_summary *s = agg_finish(a);
    const agg_finding *f = finding(s, "near_encoding_limit", "z");
    cr_assert_eq(ev(f, "estimated_saving_bytes")->u, 30000);
    cr_assert_str_eq(ev(f, "estimate")->s, "memory model");
    size_t listed = 0;
    const agg_finding *more = NULL;
    for (size_t i = 0; i < s->nfindings; i++) {
        if (strcmp(s->findings[i].kind, "big_key") != 0) continue;
        if (s->findings[i].subject_kind == AGG_SUBJECT_KEY) listed++;
        else more = &s->findings[i];
    }
    cr_assert_eq(listed, 2);
    cr_assert_not_null(more);
    cr_assert_str_eq(more->text, "(3 more keys)");
    cr_assert_eq(ev(more, "keys_total")->u, 5);
    agg_free(a);
}

/* ---- near_encoding_limit against the target server's limits ------------- */

/* The limits a report gets from the model of profile 'name', with one
 * --config KEY=VALUE when key is not NULL. */
static enc_limits target(const char *name, const char *key, const char *value) {
    model_config *c = model_config_new();
    cr_assert_not_null(c);
    char err[128];
    if (key) cr_assert_eq(model_config_set(c, key, value, err, sizeof err), 0, "%s", err);
    model *m = model_new(model_profile_find(name), c);
    cr_assert_not_null(m);
    enc_limits l;
    model_enc_limits(m, &l);
    model_free(m);
    model_config_free(c);
    return l;
}

/* One file whose keys were modelled with limits l; the summary's findings. */
static agg *near_run(const enc_limits *l, const key_record *v, size_t n) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    cr_assert_eq(agg_file_enc_limits(a, l), 0);
    for (size_t i = 0; i < n; i++) cr_assert_eq(agg_add(a, &v[i]), 0);
    return a;
}

static size_t near_count(const agg_summary *s, const char *config) {
    size_t n = 0;
    for (size_t i = 0; i < s->nfindings; i++) {
        const agg_finding *f = &s->findings[i];
        if (strcmp(f->kind, "near_encoding_limit") || f->subject_kind != AGG_SUBJECT_GROUP) continue;
        if (!config || strcmp(ev(f, "config")->s, config) == 0) n += f->keys;
    }
    return n;
}

Test(agg_find, redis70_never_names_set_listpack) {
    /* 7.0 has no listpack sets: every short-string set just over 128 (and
     * one set even under an explicit --config set-max-listpack-entries)
     * stays unflagged, where the 7.2 defaults would flag them all */
    key_record v[33];
    char names[33][8];
    for (unsigned i = 0; i < 32; i++) {
        snprintf(names[i], sizeof names[i], "s%u", 129 + i);
        v[i] = kr(0, names[i], RDB_KIND_SET, "hashtable", 10000, 129 + i, 10);
    }
    v[32] = kr(0, "s600", RDB_KIND_SET, "hashtable", 30000, 600, 30);
    enc_limits plain = target("redis-7.0", NULL, NULL);
    enc_limits cfg = target("redis-7.0", "set-max-listpack-entries", "500");
    cr_assert_eq(plain.set_lp_entries, 0);
    cr_assert_eq(cfg.set_lp_entries, 0);
    for (int pass = 0; pass < 2; pass++) {
        agg *a = near_run(pass ? &cfg : &plain, v, 33);
        const agg_summary *s = agg_finish(a);
        cr_assert_eq(near_count(s, NULL), 0);
        agg_free(a);
    }
}

Test(agg_find, redis72_names_set_listpack) {
    key_record v[] = {kr(0, "s130", RDB_KIND_SET, "hashtable", 10000, 130, 10)};
    enc_limits l = target("redis-7.2", NULL, NULL);
    agg *a = near_run(&l, v, 1);
    const agg_summary *s = agg_finish(a);
    cr_assert_eq(near_count(s, NULL), 1);
    const agg_finding *f = finding(s, "near_encoding_limit", "s130");
    cr_assert_not_null(f);
    cr_assert_str_eq(ev(f, "config")->s, "set-max-listpack-entries");
    cr_assert_eq(ev(f, "limit")->u, 128);
    cr_assert_str_eq(ev(f, "compact_encoding")->s, "listpack");
    cr_assert_eq(ev(f, "estimated_saving_bytes")->u, 130 * 36);
    agg_free(a);
}

Test(agg_find, config_moves_the_hash_limit) {
    key_record v[] = {kr(0, "h600", RDB_KIND_HASH, "hashtable", 40000, 600, 30)};
    struct { const char *value; uint64_t limit; } cases[] = {
        {NULL, 512},    /* the 7.0 default: 600 is within 25 % over 512 */
        {"500", 500},   /* within 25 % over 500: the target's limit is shown */
        {"1024", 0},    /* under the limit: no finding */
        {"400", 0},     /* more than 25 % over: no finding */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enc_limits l = target("redis-7.0", cases[i].value ? "hash-max-listpack-entries" : NULL,
                              cases[i].value);
        agg *a = near_run(&l, v, 1);
        const agg_summary *s = agg_finish(a);
        const agg_finding *f = finding(s, "near_encoding_limit", "h600");
        if (!cases[i].limit) {
            cr_assert_null(f, "hash-max-listpack-entries=%s", cases[i].value);
        } else {
            cr_assert_not_null(f, "hash-max-listpack-entries=%s", cases[i].value);
            cr_assert_str_eq(ev(f, "config")->s, "hash-max-listpack-entries");
            cr_assert_eq(ev(f, "limit")->u, cases[i].limit);
            cr_assert_eq(ev(f, "estimated_saving_bytes")->u, 600 * 48);
        }
        agg_free(a);
    }
}

Test(agg_find, before_70_names_ziplist_directives) {
    key_record v[] = {
        kr(0, "h", RDB_KIND_HASH, "hashtable", 40000, 600, 30),
        kr(0, "z", RDB_KIND_ZSET, "skiplist", 40000, 129, 10),
        int_members(kr(0, "i", RDB_KIND_SET, "hashtable", 30000, 513, 6)),
    };
    enc_limits l = target("redis-6.2", "hash-max-ziplist-entries", "520");
    cr_assert(l.ziplist);
    agg *a = near_run(&l, v, 3);
    const agg_summary *s = agg_finish(a);
    const agg_finding *f = finding(s, "near_encoding_limit", "h");
    cr_assert_str_eq(ev(f, "config")->s, "hash-max-ziplist-entries");
    cr_assert_eq(ev(f, "limit")->u, 520);
    cr_assert_str_eq(ev(f, "compact_encoding")->s, "ziplist");
    f = finding(s, "near_encoding_limit", "z");
    cr_assert_str_eq(ev(f, "config")->s, "zset-max-ziplist-entries");
    cr_assert_eq(ev(f, "limit")->u, 128);
    f = finding(s, "near_encoding_limit", "i");
    cr_assert_str_eq(ev(f, "config")->s, "set-max-intset-entries");
    cr_assert_str_eq(ev(f, "compact_encoding")->s, "intset");
    cr_assert_eq(near_count(s, NULL), 3);
    agg_free(a);
}

Test(agg_find, limits_are_per_file) {
    /* a 7.0 dump and a 7.2 dump in one report: each file's keys are judged
     * by its own server, also when the list is built at the end */
    agg_options o = opts();
    agg *a = new_agg(&o);  /* file 0 */
    enc_limits l70 = target("redis-7.0", NULL, NULL), l72 = target("redis-7.2", NULL, NULL);
    cr_assert_eq(agg_file_enc_limits(a, &l70), 0);
    key_record r = kr(0, "s130:a", RDB_KIND_SET, "hashtable", 10000, 130, 10);
    agg_add(a, &r);
    cr_assert_eq(agg_begin_file(a, "second.rdb", 1234, -1), 0);
    cr_assert_eq(agg_file_enc_limits(a, &l72), 0);
    r = kr(0, "s130:b", RDB_KIND_SET, "hashtable", 10000, 130, 10);
    agg_add(a, &r);
    cr_assert_eq(agg_begin_file(a, "third.rdb", 1234, -1), 0);
    cr_assert_eq(agg_file_enc_limits(a, &l70), 0);
    r = kr(0, "s130:c", RDB_KIND_SET, "hashtable", 10000, 130, 10);
    agg_add(a, &r);
    const agg_summary *s = agg_finish(a);
    cr_assert_null(finding(s, "near_encoding_limit", "s130:a"));
    const agg_finding *f = finding(s, "near_encoding_limit", "s130:b");
    cr_assert_not_null(f);
    cr_assert_str_eq(ev(f, "config")->s, "set-max-listpack-entries");
    cr_assert_eq(ev(f, "limit")->u, 128);
    cr_assert_null(finding(s, "near_encoding_limit", "s130:c"));
    cr_assert_eq(near_count(s, NULL), 1);
    agg_free(a);
}

Test(agg_find, prefix_without_ttl) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    char key[32];
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "cache:%d:v", i);
        key_record r = kr(0, key, RDB_KIND_STRING, "raw", 1000, 1, 1);
        if (i < 5) r = with_ttl(r, REF + D);
        agg_add(a, &r);
        snprintf(key, sizeof key, "sess:%d", i);
        r = with_ttl(kr(0, key, RDB_KIND_STRING, "raw", 1000, 1, 1), REF + H);
        agg_add(a, &r);
    }
    const agg_summary *s = agg_finish(a);
    const agg_finding *f = finding(s, "prefix_without_ttl", "cache:");
    cr_assert_not_null(f);
    cr_assert_float_eq(ev(f, "no_ttl_pct")->pct, 95.0, 1e-9);
    cr_assert_null(finding(s, "prefix_without_ttl", "cache:*:"));  /* covered by its parent */
    cr_assert_null(finding(s, "prefix_without_ttl", "sess:"));
    agg_free(a);
}

/* A record the model sized in the compact form carries its own estimate;
 * one sized for another encoding than the finding proposes does not count. */
Test(agg_find, compact_bytes_from_the_record) {
    key_record v[] = {
        kr(0, "h", RDB_KIND_HASH, "hashtable", 45000, 600, 10),
        kr(0, "s", RDB_KIND_SET, "hashtable", 30000, 600, 10),
    };
    v[0].compact_encoding = "listpack";
    v[0].compact_bytes = 16000;
    v[1].compact_encoding = "intset";   /* but its members are not integers */
    v[1].compact_bytes = 3000;
    enc_limits l = target("redis-7.2", "set-max-listpack-entries", "500");
    agg *a = near_run(&l, v, 2);
    const agg_summary *s = agg_finish(a);
    const agg_finding *f = finding(s, "near_encoding_limit", "h");
    cr_assert_eq(ev(f, "estimated_saving_bytes")->u, 45000 - 16000);
    cr_assert_str_eq(ev(f, "estimate")->s, "memory model");
    f = finding(s, "near_encoding_limit", "s");
    cr_assert_str_eq(ev(f, "compact_encoding")->s, "listpack");
    cr_assert_eq(ev(f, "estimated_saving_bytes")->u, 600 * 36);
    cr_assert_str_eq(ev(f, "estimate")->s, "rough per-element overhead");
    agg_free(a);
}

/* ---- triage: one severity rule for every type, groups, advice ----------- */

/* kept key names are bytes, not C strings */
static bool is_key(const key_record *r, const char *name) {
    return r->key_len == strlen(name) && memcmp(r->key, name, r->key_len) == 0;
}

/* The example: a 6 MiB string got no finding, a 2.4 MiB list with
 * 120k elements was critical while an 18 MiB zset was a warning. */
Test(agg_find, severity_is_one_rule_for_every_type) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    key_record v[] = {
        kr(0, "str6", RDB_KIND_STRING, "raw", 6 * MIB, 6 * MIB, 6 * MIB),
        kr(0, "list24", RDB_KIND_LIST, "quicklist", 2516582, 120000, 20),
        kr(0, "zset18", RDB_KIND_ZSET, "skiplist", 18 * MIB, 60000, 20),
        kr(0, "zset120", RDB_KIND_ZSET, "skiplist", 120 * MIB, 60000, 20),
        kr(0, "set2m", RDB_KIND_SET, "hashtable", 90 * MIB, 2000000, 20),
        kr(0, "small", RDB_KIND_HASH, "listpack", 1000, 10, 20),
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) agg_add(a, &v[i]);
    const agg_summary *s = agg_finish(a);
    cr_assert_str_eq(finding(s, "big_key", "str6")->severity, "info");
    cr_assert_str_eq(finding(s, "big_key", "list24")->severity, "warning");  /* 12 x 10k elements */
    cr_assert_str_eq(finding(s, "big_key", "zset18")->severity, "warning");  /* 1.8 x 10 MiB */
    cr_assert_str_eq(finding(s, "big_key", "zset120")->severity, "critical");
    cr_assert_str_eq(finding(s, "big_key", "set2m")->severity, "critical");  /* 200 x 10k */
    cr_assert_null(finding(s, "big_key", "small"));
    /* within a severity, by memory: zset120 before set2m, zset18 before list24 */
    size_t pos[4] = {0};
    const char *order[4] = {"zset120", "set2m", "zset18", "list24"};
    for (size_t i = 0; i < s->nfindings; i++)
        for (int k = 0; k < 4; k++)
            if (s->findings[i].subject_kind == AGG_SUBJECT_KEY && is_key(&s->findings[i].key->rec, order[k]))
                pos[k] = i + 1;
    cr_assert(pos[0] < pos[1] && pos[1] < pos[2] && pos[2] < pos[3], "%zu %zu %zu %zu", pos[0], pos[1],
              pos[2], pos[3]);
    agg_free(a);
}

/* Keys just over a limit are one finding per first segment, with the
 * summed saving, not one per key plus "(205 more keys) bytes_total". */
Test(agg_find, near_limit_groups_sum_the_saving) {
    agg_options o = opts();
    o.findings_per_kind = 2;
    agg *a = new_agg(&o);
    enc_limits l = target("redis-7.2", NULL, NULL);
    cr_assert_eq(agg_file_enc_limits(a, &l), 0);
    char key[32];
    uint64_t want_user = 0, want_cart = 0;
    for (int i = 0; i < 205; i++) {
        bool user = i < 150;
        snprintf(key, sizeof key, user ? "user:%d" : "cart:%d", i);
        key_record r = kr(0, key, RDB_KIND_HASH, "hashtable", 40000 + (uint64_t)i, 520 + (uint64_t)(i % 50), 20);
        r.compact_encoding = "listpack";
        r.compact_bytes = 10000;
        (user ? &want_user : &want_cart)[0] += r.bytes - 10000;
        cr_assert_eq(agg_add(a, &r), 0);
    }
    const agg_summary *s = agg_finish(a);
    const agg_finding *u = finding(s, "near_encoding_limit", "user:149");
    const agg_finding *c = finding(s, "near_encoding_limit", "cart:204");
    cr_assert_not_null(u);
    cr_assert_not_null(c);
    cr_assert_eq(u->subject_kind, AGG_SUBJECT_GROUP);
    cr_assert_eq(u->subject_len, 5);
    cr_assert_eq(memcmp(u->subject, "user:", 5), 0);
    cr_assert_eq(u->keys, 150);
    cr_assert(u->has_saving);
    cr_assert_eq(u->saving, want_user);
    cr_assert_eq(c->saving, want_cart);
    cr_assert_eq(u->nexamples, AGG_NEAR_EXAMPLES);
    cr_assert(is_key(&u->examples[0]->rec, "user:149"));  /* the biggest saving first */
    cr_assert_str_eq(u->text, "150 hashes over hash-max-listpack-entries 512");
    cr_assert_eq(ev(u, "elements_min")->u, 520);
    cr_assert_eq(ev(u, "elements_max")->u, 569);
    cr_assert_str_eq(u->command,
                     "rdblens keys --type hash --match 'user:*' --min-elements 513 'test.rdb'");
    /* 4.3 MiB of saving: info by the memory tiers (1, 10, 100 MiB) */
    cr_assert_str_eq(u->severity, "info");
    cr_assert_eq(near_count(s, NULL), 205);
    agg_free(a);
}

/* "active expiry is not keeping up" only when the reference time is the
 * dump's own ctime; against a file time it may be expiry doing its job. */
Test(agg_find, active_expiry_advice_needs_the_dumps_ctime) {
    for (int ctime = 0; ctime < 2; ctime++) {
        agg_options o;
        agg_options_init(&o);  /* no --now: the file's own reference */
        agg *a = new_agg(&o);
        if (ctime) agg_file_aux(a, (const uint8_t *)"ctime", 5, (const uint8_t *)"1700000000", 10);
        else agg_file_reference(a, REF, "mtime");
        key_record e = with_ttl(kr(0, "gone", RDB_KIND_STRING, "raw", 100, 1, 1), REF - 1);
        agg_add(a, &e);
        const agg_summary *s = agg_finish(a);
        const agg_finding *f = finding(s, "expired_in_dump", NULL);
        cr_assert_not_null(f);
        if (ctime) {
            cr_assert(strstr(f->suggestion, "active expiry is not keeping up"), "%s", f->suggestion);
            cr_assert_str_eq(f->command, "rdblens keys --expiry expired 'test.rdb'");
        } else {
            cr_assert_null(strstr(f->suggestion, "not keeping up"), "%s", f->suggestion);
            cr_assert(strstr(f->suggestion, "may have been live"), "%s", f->suggestion);
            cr_assert_str_eq(f->command, "rdblens keys --expiry expired --now 1700000000000 'test.rdb'");
        }
        agg_free(a);
    }
}

/* The command the finding of one 20 MiB string named name[0..len) in db
 * prints (checked against 'want'). */
static void check_key_command(uint64_t db, const char *name, size_t len, const char *want) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    key_record r = kr(db, "", RDB_KIND_STRING, "raw", 20 * MIB, 20 * MIB, 20 * MIB);
    r.key = (const uint8_t *)name;
    r.key_len = len;
    agg_add(a, &r);
    const agg_summary *s = agg_finish(a);
    const agg_finding *f = NULL;
    for (size_t i = 0; i < s->nfindings; i++)
        if (s->findings[i].subject_kind == AGG_SUBJECT_KEY) f = &s->findings[i];
    cr_assert_not_null(f);
    cr_assert_str_eq(f->command, want);
    agg_free(a);
}

/* Commands are pasted into shells: a hostile key name cannot end the
 * quote, add a line, or widen the glob. `rdblens inspect --escaped`: '
 * closed and reopened, the newline, the bidi override and the invalid byte
 * as \xHH, the backslash doubled. */
Test(agg_find, commands_quote_hostile_names) {
    static const char name[] = "x'; rm -rf ~ #\n[*?]\\\xe2\x80\xae\xff";
    check_key_command(3, name, sizeof name - 1,
                      "rdblens inspect --db 3 --escaped 'test.rdb' "
                      "'x'\\''; rm -rf ~ #\\x0a[*?]\\\\\\xe2\\x80\\xae\\xff'");
}

/* A key starting with '-' would be read as an option (a fuzz finding,
 * tests/fixtures/fuzz/fuzz_report-dash-key.bin): the command ends the
 * options before the file, and only then. */
Test(agg_find, commands_end_options_before_a_dash_key) {
    check_key_command(0, "-rf", 3, "rdblens inspect --db 0 --escaped -- 'test.rdb' '-rf'");
}
