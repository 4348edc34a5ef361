/* test_corpus.c: the parser against real servers' dumps and what those
 * servers said about every key (tests/fixtures/corpus/<version>/truth-*.jsonl):
 * the same set of keys (by bytes, per db), types, element counts (STRLEN,
 * LLEN, SCARD, ZCARD, HLEN, XLEN) and expiries, and a verified checksum. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rdb/rdb.h"
#include "tests/support/minijson.h"

#define FIXTURES "tests/fixtures/corpus"

typedef struct rec {
    uint64_t db;
    uint8_t *key;
    size_t key_len;
    char type[8];
    uint64_t elements;
    bool has_expire;
    int64_t expire_ms;
} rec;

typedef struct recs {
    rec *v;
    size_t n, cap;
} recs;

static rec *recs_push(recs *r) {
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 256;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
    }
    memset(&r->v[r->n], 0, sizeof r->v[0]);
    return &r->v[r->n++];
}

static void recs_free(recs *r) {
    for (size_t i = 0; i < r->n; i++) free(r->v[i].key);
    free(r->v);
}

static int cmp_rec(const void *a, const void *b) {
    const rec *x = a, *y = b;
    if (x->db != y->db) return x->db < y->db ? -1 : 1;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    if (c) return c;
    return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

static int on_key_end(void *ctx, const rdb_key *k, const rdb_key_end *e) {
    rec *r = recs_push(ctx);
    r->db = k->db;
    r->key = malloc(k->name_len + 1);
    memcpy(r->key, k->name, k->name_len);
    r->key_len = k->name_len;
    snprintf(r->type, sizeof r->type, "%s", rdb_kind_name(k->kind));
    r->elements = e->elements;
    r->has_expire = k->has_expire;
    r->expire_ms = k->expire_ms;
    return RDB_CONTINUE;
}

static int on_key_begin(void *ctx, const rdb_key *k) {
    (void)ctx, (void)k;
    return RDB_SKIP;  /* sizes only: the summary must not depend on element events */
}

static int hexval(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

/* The truth file's text; .gz files are read through gzip. */
static char *read_truth(const char *path) {
    size_t n = strlen(path);
    if (n < 3 || strcmp(path + n - 3, ".gz")) return mj_slurp(path, NULL);
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s'", path);
    FILE *f = popen(cmd, "r");
    if (!f) return NULL;
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len < 2) buf = realloc(buf, cap *= 2);
    }
    pclose(f);
    buf[len] = '\0';
    return buf;
}

static void load_truth(const char *path, recs *out) {
    char *text = read_truth(path);
    cr_assert_not_null(text, "cannot read %s", path);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        mj_object o;
        cr_assert_eq(mj_parse(line, &o), 0, "bad JSON line in %s", path);
        rec *r = recs_push(out);
        const mj_field *hex = mj_get(&o, "key_hex"), *key = mj_get(&o, "key");
        if (hex && hex->type == MJ_STR) {
            r->key_len = hex->slen / 2;
            r->key = malloc(r->key_len + 1);
            for (size_t i = 0; i < r->key_len; i++)
                r->key[i] = (uint8_t)(hexval(hex->s[2 * i]) << 4 | hexval(hex->s[2 * i + 1]));
        } else {
            cr_assert(key && key->type == MJ_STR);
            r->key_len = key->slen;
            r->key = malloc(r->key_len + 1);
            memcpy(r->key, key->s, r->key_len);
        }
        r->db = (uint64_t)mj_get(&o, "db")->i;
        snprintf(r->type, sizeof r->type, "%s", mj_get(&o, "type")->s);
        r->elements = (uint64_t)mj_get(&o, "count")->i;
        const mj_field *exp = mj_get(&o, "expire_at_ms");
        r->has_expire = exp && exp->type == MJ_INT;
        r->expire_ms = r->has_expire ? exp->i : 0;
        mj_free(&o);
    }
    free(text);
}

/* Compares one dump with its truth file; returns the number of mismatches. */
static size_t check_dump(const char *dump, const char *truth, bool expect_checksum_disabled) {
    recs got = {0}, want = {0};
    rdb_handlers h = {.on_key_begin = on_key_begin, .on_key_end = on_key_end};
    int fd = open(dump, O_RDONLY);
    cr_assert_geq(fd, 0, "cannot open %s", dump);
    struct stat st;
    fstat(fd, &st);
    rdb_options opt = {.input_size = (uint64_t)st.st_size};
    rdb_result res;
    rdb_status s = rdb_parse_fd(fd, &h, &got, &opt, &res);
    close(fd);
    cr_assert_eq(s, RDB_OK, "%s: %s at offset %llu", dump, res.error.message,
                 (unsigned long long)res.error.offset);
    cr_assert_eq(res.keys, got.n);
    if (res.header.version >= 5) {
        rdb_checksum_status want_ck = expect_checksum_disabled ? RDB_CHECKSUM_DISABLED : RDB_CHECKSUM_OK;
        cr_expect_eq(res.trailer.checksum, want_ck, "%s: checksum status %d", dump, res.trailer.checksum);
    }
    load_truth(truth, &want);
    qsort(got.v, got.n, sizeof got.v[0], cmp_rec);
    qsort(want.v, want.n, sizeof want.v[0], cmp_rec);
    size_t bad = 0;
    cr_expect_eq(got.n, want.n, "%s: %zu keys parsed, truth has %zu", dump, got.n, want.n);
    size_t i = 0, j = 0;
    while (i < got.n || j < want.n) {
        int c = i == got.n ? 1 : j == want.n ? -1 : cmp_rec(&got.v[i], &want.v[j]);
        if (c < 0) {
            cr_expect_fail("%s: key '%.*s' (db %llu) not in truth", dump, (int)got.v[i].key_len,
                           got.v[i].key, (unsigned long long)got.v[i].db);
            i++, bad++;
            continue;
        }
        if (c > 0) {
            cr_expect_fail("%s: key '%.*s' (db %llu) missing from parse", dump, (int)want.v[j].key_len,
                           want.v[j].key, (unsigned long long)want.v[j].db);
            j++, bad++;
            continue;
        }
        const rec *g = &got.v[i++], *w = &want.v[j++];
        bool ok = !strcmp(g->type, w->type) && g->elements == w->elements &&
                  g->has_expire == w->has_expire && (!g->has_expire || g->expire_ms == w->expire_ms);
        if (!ok) {
            bad++;
            cr_expect_fail("%s: key '%.*s': got %s/%llu/%lld, truth %s/%llu/%lld", dump,
                           (int)g->key_len, g->key, g->type, (unsigned long long)g->elements,
                           g->has_expire ? (long long)g->expire_ms : -1LL, w->type,
                           (unsigned long long)w->elements, w->has_expire ? (long long)w->expire_ms : -1LL);
        }
    }
    recs_free(&got);
    recs_free(&want);
    return bad;
}

static bool exists(const char *p) { return access(p, R_OK) == 0; }

/* Every dump of one server version with a truth file. */
static void check_version(const char *version) {
    static const char *stems[] = {"main", "nocompress", "nochecksum", "listcompress", "lru", "lfu"};
    char dump[512], truth[512];
    size_t checked = 0, bad = 0;
    for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++) {
        snprintf(dump, sizeof dump, FIXTURES "/%s/%s.rdb", version, stems[i]);
        snprintf(truth, sizeof truth, FIXTURES "/%s/truth-%s.jsonl", version, stems[i]);
        if (!exists(dump)) continue;
        bad += check_dump(dump, truth, !strcmp(stems[i], "nochecksum"));
        checked++;
    }
    /* AOF with an RDB preamble: one file (4.0-6.2) or a multi-part base (7.0+). */
    snprintf(truth, sizeof truth, FIXTURES "/%s/truth-aof-preamble.jsonl", version);
    snprintf(dump, sizeof dump, FIXTURES "/%s/aof-preamble.aof", version);
    if (!exists(dump)) snprintf(dump, sizeof dump, FIXTURES "/%s/aof-preamble.base.rdb", version);
    if (exists(dump) && exists(truth)) {
        bad += check_dump(dump, truth, false);
        checked++;
    }
    cr_assert_geq(checked, 3, "%s: only %zu dumps found under " FIXTURES, version, checked);
    cr_assert_eq(bad, 0, "%s: %zu mismatches", version, bad);
}

Test(corpus, redis_2_8) { check_version("redis-2.8.24"); }
Test(corpus, redis_3_2) { check_version("redis-3.2.13"); }
Test(corpus, redis_4_0) { check_version("redis-4.0.14"); }
Test(corpus, redis_5_0) { check_version("redis-5.0.14"); }
Test(corpus, redis_6_2) { check_version("redis-6.2.16"); }
Test(corpus, redis_7_0) { check_version("redis-7.0.15"); }
Test(corpus, redis_7_2) { check_version("redis-7.2.6"); }
Test(corpus, redis_7_4) { check_version("redis-7.4.1"); }
Test(corpus, redis_unstable) { check_version("redis-unstable"); }
Test(corpus, valkey_8_0) { check_version("valkey-8.0.1"); }
Test(corpus, valkey_unstable) { check_version("valkey-unstable"); }

/* The bigkeys dumps (~100k keys and five very big ones) stay in ../shared to
 * keep the repository small; this test runs when ../shared is beside it. */
Test(corpus, bigkeys_from_shared, .timeout = 600) {
    const char *root = "../shared/corpus";
    if (access(root, R_OK) != 0) cr_skip_test("../shared/corpus is absent: bigkeys dumps not checked");
    static const char *versions[] = {"redis-2.8.24", "redis-3.2.13", "redis-4.0.14", "redis-5.0.14",
                                     "redis-6.2.16", "redis-7.0.15", "redis-7.2.6", "redis-7.4.1",
                                     "redis-unstable", "valkey-8.0.1", "valkey-unstable"};
    size_t bad = 0;
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        char dump[512], truth[512];
        snprintf(dump, sizeof dump, "%s/%s/bigkeys.rdb", root, versions[i]);
        snprintf(truth, sizeof truth, "%s/%s/truth-bigkeys.jsonl.gz", root, versions[i]);
        if (!exists(dump)) continue;
        bad += check_dump(dump, truth, false);
    }
    cr_assert_eq(bad, 0, "%zu mismatches in the bigkeys dumps", bad);
}
