/* test_corpus_modules.c: module values against the real servers that wrote
 * and reloaded them (tests/fixtures/corpus-modules, from shared/
 * corpus-modules: Debian redis-server 7.0.15 with RedisBloom 2.4.23 /
 * 2.6.28 and RedisTimeSeries 1.8.23 / 1.10.24).
 *
 * Per dump: the same keys (db, name), types (the module type name for a
 * module value, as TYPE says) and expiries (PEXPIRETIME) as the reloaded
 * server, 0 mismatches; per module type at least 95 % of the keys within
 * 5 % of the reloaded MEMORY USAGE SAMPLES 0 (the target; today
 * every one is exact, which the exact count checks); and the predicted
 * used_memory within 1 % of the reloaded server's, corrected for the
 * latency histograms its capture created (see truth_used_memory). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/model.h"
#include "tests/support/minijson.h"

#define DIR "tests/fixtures/corpus-modules"
#define MAX_KEYS 64

typedef struct got_key {
    uint64_t db;
    char key[64];
    char type[16];            /* rdb kind, or the module type name */
    bool has_expire;
    int64_t expire_ms;
    uint64_t bytes;
    key_bytes_basis basis;
} got_key;

typedef struct run {
    model *m;
    got_key k[MAX_KEYS];
    size_t n;
} run;

static int on_aux(void *c, rdb_bytes k, rdb_bytes v) { return model_on_aux(((run *)c)->m, k, v); }
static int on_select_db(void *c, uint64_t db) { return model_on_select_db(((run *)c)->m, db); }
static int on_resize_db(void *c, uint64_t a, uint64_t b) { return model_on_resize_db(((run *)c)->m, a, b); }
static int on_key_begin(void *c, const rdb_key *k) { return model_on_key_begin(((run *)c)->m, k); }
static int on_string(void *c, const rdb_key *k, const rdb_string_chunk *s) { return model_on_string(((run *)c)->m, k, s); }
static int on_container(void *c, const rdb_key *k, const rdb_container *x) { return model_on_container(((run *)c)->m, k, x); }
static int on_entry(void *c, const rdb_key *k, const rdb_entry *e) { return model_on_entry(((run *)c)->m, k, e); }
static int on_module_value(void *c, const rdb_key *k, const rdb_module_type *t) { return model_on_module_value(((run *)c)->m, k, t); }
static int on_module_op(void *c, const rdb_key *k, const rdb_module_op *op) { return model_on_module_op(((run *)c)->m, k, op); }
static int on_module_string(void *c, const rdb_key *k, const rdb_string_chunk *s) { return model_on_module_string(((run *)c)->m, k, s); }

static int on_key_end(void *c, const rdb_key *k, const rdb_key_end *end) {
    run *r = c;
    key_record rec;
    memset(&rec, 0, sizeof rec);
    model_key_end(r->m, k, end, &rec);
    cr_assert_lt(r->n, MAX_KEYS);
    got_key *g = &r->k[r->n++];
    g->db = k->db;
    snprintf(g->key, sizeof g->key, "%.*s", (int)k->name_len, (const char *)k->name);
    snprintf(g->type, sizeof g->type, "%s",
             k->kind == RDB_KIND_MODULE ? end->module_name : rdb_kind_name(k->kind));
    g->has_expire = k->has_expire;
    g->expire_ms = k->expire_ms;
    g->bytes = rec.bytes;
    g->basis = rec.bytes_basis;
    return RDB_CONTINUE;
}

/* The integer after `"name": ` in a pretty-printed meta file, searched
 * from 'from'; -1 when absent. */
static long long meta_int(const char *text, const char *from, const char *name) {
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\": ", name);
    const char *p = strstr(from ? from : text, pat);
    return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/* INFO used_memory of the reloaded server, less what its measurement
 * added: shared/corpus-modules scripts/gen.py capture() ran SELECT, SCAN,
 * TYPE, MEMORY USAGE, PTTL, PEXPIRETIME, OBJECT ENCODING, STRLEN, HLEN,
 * LLEN and the module's info commands (BF.INFO, CF.INFO, CMS.INFO,
 * TOPK.INFO, TDIGEST.INFO; TS.INFO) before it read INFO memory, besides
 * PING and INFO, and Redis 7.0 creates a latency histogram for each
 * command (sub-command) on its first call (latency-tracking is on by
 * default; src/server.c updateCommandLatencyHistogram, hdr_init(1, 1e9, 2):
 * J(104) + J(3072 * 8) = 24688 bytes on this allocator). The model
 * predicts a server that has just loaded the dump and run nothing. */
static long long truth_used_memory(const char *meta, bool bloom) {
    long long real = meta_int(meta, NULL, "reload_used_memory");
    int histograms = 2 /* PING INFO */ + 7 /* SELECT .. OBJECT */ + 3 /* STRLEN HLEN LLEN */ +
                     (bloom ? 5 : 1);
    return real - histograms * 24688LL;
}

/* The module's version from the meta file's MODULE LIST ("ver": 11024). */
static long long module_ver(const char *meta) {
    const char *ml = strstr(meta, "\"module_list\"");
    return ml ? meta_int(meta, ml, "ver") : -1;
}

typedef struct type_stats {
    char type[16];
    size_t keys, within5, exact;
} type_stats;

static void check_set(const char *set, const char *module_name) {
    char path[256];
    snprintf(path, sizeof path, DIR "/meta-%s.json", set);
    char *meta = mj_slurp(path, NULL);
    cr_assert_not_null(meta, "cannot read %s", path);
    bool bloom = strncmp(set, "bloom", 5) == 0;

    /* the server ran this module version; the model is told, as a user would */
    model_config *cfg = model_config_new();
    char key[64], ver[32], err[160];
    snprintf(key, sizeof key, "%s-module-version", module_name);
    snprintf(ver, sizeof ver, "%lld", module_ver(meta));
    cr_assert_eq(model_config_set(cfg, key, ver, err, sizeof err), 0, "%s", err);

    run r;
    memset(&r, 0, sizeof r);
    r.m = model_new(model_profile_find("redis-7.0"), cfg);
    rdb_handlers h;
    memset(&h, 0, sizeof h);
    h.on_aux = on_aux; h.on_select_db = on_select_db; h.on_resize_db = on_resize_db;
    h.on_key_begin = on_key_begin; h.on_string = on_string; h.on_container = on_container;
    h.on_entry = on_entry; h.on_module_value = on_module_value; h.on_module_op = on_module_op;
    h.on_module_string = on_module_string; h.on_key_end = on_key_end;
    snprintf(path, sizeof path, DIR "/modules-%s.rdb", set);
    int fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0, "cannot open %s", path);
    rdb_result res;
    rdb_status st = rdb_parse_fd(fd, &h, &r, NULL, &res);
    close(fd);
    cr_assert_eq(st, RDB_OK, "%s: %s", path, res.error.message);
    cr_assert_eq(res.trailer.checksum, RDB_CHECKSUM_OK);

    snprintf(path, sizeof path, DIR "/reload-%s.jsonl", set);
    char *text = mj_slurp(path, NULL);
    cr_assert_not_null(text);
    type_stats ts[16];
    size_t nts = 0, truth_keys = 0, mismatches = 0;
    bool seen[MAX_KEYS] = {false};
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        mj_object o;
        cr_assert_eq(mj_parse(line, &o), 0);
        truth_keys++;
        const char *tkey = mj_get(&o, "key")->s, *ttype = mj_get(&o, "type")->s;
        uint64_t db = (uint64_t)mj_get(&o, "db")->i;
        int64_t pexat = mj_get(&o, "pexpiretime")->i;
        uint64_t mu = (uint64_t)mj_get(&o, "memory_usage_samples0")->i;
        bool is_module = mj_get(&o, "module_type")->type == MJ_STR;
        got_key *g = NULL;
        for (size_t i = 0; i < r.n; i++)
            if (r.k[i].db == db && strcmp(r.k[i].key, tkey) == 0) g = &r.k[i], seen[i] = true;
        if (!g) {
            cr_expect_fail("%s: key %s (db %llu) not parsed", set, tkey, (unsigned long long)db);
            mismatches++;
            mj_free(&o);
            continue;
        }
        if (strcmp(g->type, ttype) != 0 || g->has_expire != (pexat >= 0) ||
            (pexat >= 0 && g->expire_ms != pexat)) {
            cr_expect_fail("%s: %s: parsed %s/%lld, server %s/%lld", set, tkey, g->type,
                           g->has_expire ? (long long)g->expire_ms : -1LL, ttype, (long long)pexat);
            mismatches++;
        }
        if (is_module) {
            cr_expect_eq(g->basis, KEY_BASIS_MEASURED, "%s: %s not sized by its decoder", set, tkey);
            type_stats *t = NULL;
            for (size_t i = 0; i < nts; i++)
                if (strcmp(ts[i].type, ttype) == 0) t = &ts[i];
            if (!t) {
                cr_assert_lt(nts, 16);
                t = &ts[nts++];
                memset(t, 0, sizeof *t);
                snprintf(t->type, sizeof t->type, "%s", ttype);
            }
            t->keys++;
            double err_pct = 100.0 * ((double)g->bytes - (double)mu) / (double)mu;
            if (err_pct >= -5 && err_pct <= 5) t->within5++;
            if (g->bytes == mu) t->exact++;
            else cr_log_info("%s: %s %s predicted %llu, server %llu (%+.2f %%)", set, tkey, ttype,
                             (unsigned long long)g->bytes, (unsigned long long)mu, err_pct);
        }
        mj_free(&o);
    }
    for (size_t i = 0; i < r.n; i++)
        if (!seen[i]) {
            cr_expect_fail("%s: parsed key %s (db %llu) is not in the truth", set, r.k[i].key,
                           (unsigned long long)r.k[i].db);
            mismatches++;
        }
    cr_expect_eq(r.n, truth_keys, "%s: %zu keys parsed, the server had %zu", set, r.n, truth_keys);
    cr_expect_eq(mismatches, 0);
    cr_assert_geq(nts, 1);
    for (size_t i = 0; i < nts; i++) {
        const type_stats *t = &ts[i];
        cr_expect_geq(t->within5 * 100, t->keys * 95, "%s %s: %zu of %zu keys within 5 %%", set,
                      t->type, t->within5, t->keys);
        /* the decoders replay each module's own arithmetic: exact today */
        cr_expect_eq(t->exact, t->keys, "%s %s: %zu of %zu keys exact", set, t->type, t->exact, t->keys);
    }

    model_totals tot;
    model_finish(r.m, &tot);
    long long real = truth_used_memory(meta, bloom);
    double e = 100.0 * ((double)tot.predicted_used_memory - (double)real) / (double)real;
    cr_expect(e > -1.0 && e < 1.0, "%s: predicted used_memory %llu, server %lld (%+.3f %%; keys %llu, tables %llu, modules %llu)", set,
              (unsigned long long)tot.predicted_used_memory, real, e, (unsigned long long)tot.keys_ram,
              (unsigned long long)tot.tables_ram, (unsigned long long)tot.modules_ram);
    cr_expect_gt(tot.modules_ram, 0, "%s: the module's own load was not counted", set);
    model_free(r.m);
    model_config_free(cfg);
    free(text);
    free(meta);
}

Test(corpus_modules, bloom_2_6_28) { check_set("bloom-2.6.28", "bf"); }
Test(corpus_modules, bloom_2_4_23) { check_set("bloom-2.4.23", "bf"); }
Test(corpus_modules, timeseries_1_8_23) { check_set("timeseries-1.8.23", "timeseries"); }
Test(corpus_modules, timeseries_1_10_24) { check_set("timeseries-1.10.24", "timeseries"); }

/* --config <module>-module-version takes X.Y.Z or MODULE LIST's number. */
Test(corpus_modules, module_version_setting) {
    model_config *cfg = model_config_new();
    char err[160];
    cr_assert_eq(model_config_set(cfg, "timeseries-module-version", "1.10.24", err, sizeof err), 0);
    cr_assert_neq(model_config_set(cfg, "timeseries-module-version", "1.x", err, sizeof err), 0);
    cr_assert(strstr(err, "not a module version"), "%s", err);
    cr_assert_neq(model_config_set(cfg, "no-such-setting", "1", err, sizeof err), 0);
    model_config_free(cfg);
}
