/* test_sweep.c: hostile input. Every dump cut at every byte (small files) or
 * at seeded offsets (larger ones) must fail with an error that names an
 * offset inside the cut file, never crash (this suite runs under ASan and
 * UBSan); seeded bit flips must never crash; length bombs must fail fast
 * without allocating what they claim. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rdb/rdb.h"
#include "tests/support/compress.h"
#include "tests/support/minijson.h"
#include "tests/support/modbuild.h"
#include "tests/support/rdbbuild.h"

/* Elements are requested, so the element paths are exercised too. */
static int count_entry(void *ctx, const rdb_key *k, const rdb_entry *e) {
    (void)k, (void)e;
    (*(uint64_t *)ctx)++;
    return RDB_CONTINUE;
}
static const rdb_handlers all_events = {.on_entry = count_entry};

static uint64_t rng_state;
static uint64_t rng(void) {  /* xorshift64*, seeded per test: reproducible */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

/* The file parses completely; returns the bytes the RDB occupies. */
static size_t full_parse(const char *path, const uint8_t *buf, size_t len) {
    uint64_t n = 0;
    rdb_result res;
    rdb_status s = rb_parse(buf, len, &all_events, &n, &res);
    cr_assert_eq(s, RDB_OK, "%s: %s", path, res.error.message);
    return (size_t)res.bytes_read;
}

static void expect_truncation_error(const char *path, const uint8_t *buf, size_t cut) {
    uint64_t n = 0;
    rdb_result res;
    rdb_status s = rb_parse(buf, cut, &all_events, &n, &res);
    cr_assert_neq(s, RDB_OK, "%s cut at %zu parsed as complete", path, cut);
    cr_assert_leq(res.error.offset, cut, "%s cut at %zu: error offset %llu past the end", path, cut,
                  (unsigned long long)res.error.offset);
    cr_assert(res.error.message[0], "%s cut at %zu: empty message", path, cut);
}

static void sweep_file(const char *path, size_t max_cuts, size_t flips) {
    size_t len;
    uint8_t *buf = (uint8_t *)mj_slurp(path, &len);
    cr_assert_not_null(buf, "%s", path);
    size_t rdb_len = full_parse(path, buf, len);
    bool v5 = len >= 9 && memcmp(buf, "REDIS", 5) == 0 && atoi((const char *)buf + 5) < 5;
    if (rdb_len <= max_cuts) {
        for (size_t cut = 0; cut < rdb_len; cut++) expect_truncation_error(path, buf, cut);
    } else {
        for (size_t i = 0; i < max_cuts; i++) expect_truncation_error(path, buf, (size_t)(rng() % rdb_len));
    }
    (void)v5;
    for (size_t i = 0; i < flips; i++) {
        size_t pos = (size_t)(rng() % rdb_len);
        uint8_t old = buf[pos];
        buf[pos] ^= (uint8_t)(1u << (rng() % 8));
        uint64_t n = 0;
        rdb_result res;
        rdb_status s = rb_parse(buf, len, &all_events, &n, &res);
        /* Any outcome but a crash is acceptable; an error must carry an offset
         * within the file, and a success on a checksummed file must say
         * mismatch unless the flip hit the stored checksum itself. */
        if (s != RDB_OK) cr_assert_leq(res.error.offset, len, "%s flip at %zu", path, pos);
        buf[pos] = old;
    }
    free(buf);
}

static void sweep_dir(const char *dir, size_t max_cuts, size_t flips) {
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    struct dirent *e;
    size_t files = 0;
    char path[1024];
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".rdb")) continue;
        if (strstr(e->d_name, "future_v19") || strstr(e->d_name, "invalid_chksum")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        sweep_file(path, max_cuts, flips);
        files++;
    }
    closedir(d);
    cr_assert_gt(files, 0);
}

/* Small peer dumps: every cut, 200 flips each. */
Test(sweep, peer_dumps_every_byte, .timeout = 300) {
    rng_state = 0x9e3779b97f4a7c15ULL;
    sweep_dir("tests/fixtures/peer/librdb", 20000, 200);
    sweep_dir("tests/fixtures/peer/hdt3213", 20000, 200);
}

/* Encoder-built dumps of RDB 13-15 and VALKEY 80/81 (tests/encoder): every
 * new decoder (KEY_META, type 26/27 streams, ARRAY, hash templates, HASH_2,
 * SLOT_IMPORT, UPDATE) cut at every byte (the 55 KB array dump at 5000
 * seeded offsets), 300 flips each. */
Test(sweep, newer_formats_every_byte, .timeout = 300) {
    rng_state = 0x5851f42d4c957f2dULL;
    sweep_dir("tests/fixtures/newer", 5000, 300);
}

#define VERSION_SWEEP(name, dir)                                        \
    Test(sweep, name, .timeout = 300) {                                 \
        rng_state = 0x2545f4914f6cdd1dULL ^ (uint64_t)sizeof(dir);      \
        sweep_file("tests/fixtures/corpus/" dir "/main.rdb", 150, 150); \
    }
VERSION_SWEEP(redis_2_8, "redis-2.8.24")
VERSION_SWEEP(redis_3_2, "redis-3.2.13")
VERSION_SWEEP(redis_4_0, "redis-4.0.14")
VERSION_SWEEP(redis_5_0, "redis-5.0.14")
VERSION_SWEEP(redis_6_2, "redis-6.2.16")
VERSION_SWEEP(redis_7_0, "redis-7.0.15")
VERSION_SWEEP(redis_7_2, "redis-7.2.6")
VERSION_SWEEP(redis_7_4, "redis-7.4.1")
VERSION_SWEEP(redis_unstable, "redis-unstable")
VERSION_SWEEP(valkey_8_0, "valkey-8.0.1")
VERSION_SWEEP(valkey_unstable, "valkey-unstable")

/* ---- module values ---------------------------------------------------------- *
 * Through the memory model, so each cut and flip also reaches the module
 * decoders (analyze/mod_*.c) with a stream that stops or turns anywhere. */

static void model_cut(const char *what, const uint8_t *buf, size_t cut) {
    mr_run r;
    mr_model(buf, cut, "redis-7.0", NULL, &r);
    cr_assert_neq(r.st, RDB_OK, "%s cut at %zu parsed as complete", what, cut);
    cr_assert_leq(r.res.error.offset, cut, "%s cut at %zu: error offset past the end", what, cut);
    cr_assert(r.res.error.message[0], "%s cut at %zu: empty message", what, cut);
    mr_free(&r);
}

static void model_flips(const char *what, uint8_t *buf, size_t len, size_t flips) {
    for (size_t i = 0; i < flips; i++) {
        size_t pos = (size_t)(rng() % len);
        uint8_t old = buf[pos];
        buf[pos] ^= (uint8_t)(1u << (rng() % 8));
        mr_run r;
        mr_model(buf, len, "redis-7.0", NULL, &r);
        if (r.st != RDB_OK) cr_assert_leq(r.res.error.offset, len, "%s flip at %zu", what, pos);
        for (size_t k = 0; k < r.n; k++)   /* a value is sized by its decoder or by its bytes */
            cr_assert(r.k[k].rec.has_bytes, "%s flip at %zu: a key without bytes", what, pos);
        mr_free(&r);
        buf[pos] = old;
    }
}

/* One value of every decoded module type, cut at every byte, 400 flips. */
Test(sweep, module_values_every_byte, .timeout = 300) {
    rng_state = 0x6a09e667f3bcc909ULL;
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    mb_every_type(&b);
    rb_finish(&b);
    mr_run full;
    mr_model(b.p, b.len, "redis-7.0", NULL, &full);
    cr_assert_eq(full.st, RDB_OK, "%s", full.res.error.message);
    cr_assert_eq(full.n, 9);
    for (size_t k = 0; k < full.n; k++)
        cr_assert_neq(full.k[k].rec.bytes_basis, KEY_BASIS_SERIALIZED, "%s not decoded", full.k[k].name);
    mr_free(&full);
    for (size_t cut = 0; cut < b.len; cut++) model_cut("module values", b.p, cut);
    model_flips("module values", b.p, b.len, 400);
    rb_free(&b);
}

/* The real module dumps: seeded cuts and flips. */
Test(sweep, corpus_modules, .timeout = 300) {
    static const char *const sets[] = {"bloom-2.6.28", "timeseries-1.10.24"};
    rng_state = 0xbb67ae8584caa73bULL;
    for (size_t i = 0; i < 2; i++) {
        char path[256];
        snprintf(path, sizeof path, "tests/fixtures/corpus-modules/modules-%s.rdb", sets[i]);
        size_t len;
        uint8_t *buf = (uint8_t *)mj_slurp(path, &len);
        cr_assert_not_null(buf, "%s", path);
        for (size_t c = 0; c < 60; c++) model_cut(path, buf, (size_t)(rng() % (len - 9)));
        model_flips(path, buf, len, 60);
        free(buf);
    }
}

/* ---- length bombs ---------------------------------------------------------- */

static size_t peak_rss_kb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (size_t)ru.ru_maxrss;
}

static void bomb(const rb *b, rdb_status want_file, rdb_status want_stream, const char *what) {
    rdb_result res;
    size_t before = peak_rss_kb();
    rdb_status s = rb_parse(b->p, b->len, NULL, NULL, &res);
    cr_assert_eq(s, want_file, "%s (file): got %s: %s", what, rdb_status_name(s), res.error.message);
    /* Unknown size (a pipe): buffers grow only with bytes that arrive. */
    s = rb_parse_stream(b->p, b->len, NULL, NULL, &res);
    cr_assert_eq(s, want_stream, "%s (stream): got %s: %s", what, rdb_status_name(s), res.error.message);
    cr_assert_lt(peak_rss_kb() - before, 64 * 1024, "%s: RSS grew by %zu kB", what, peak_rss_kb() - before);
}

Test(bomb, four_gigabyte_string) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    rb_u8(&b, 0);             /* string */
    rb_str(&b, "k");
    rb_len_forced(&b, 0xffffffffULL, 5);
    for (int i = 0; i < 80; i++) rb_u8(&b, 'x');
    bomb(&b, RDB_ERR_LIMIT, RDB_ERR_LIMIT, "4 GB string");
    rb_free(&b);
}

Test(bomb, huge_string_under_limit_claims_more_than_file) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    rb_u8(&b, 0);
    rb_str(&b, "k");
    rb_len_forced(&b, 500000000ULL, 5);  /* 500 MB: under the limit, over the file */
    for (int i = 0; i < 80; i++) rb_u8(&b, 'x');
    bomb(&b, RDB_ERR_TRUNCATED, RDB_ERR_TRUNCATED, "500 MB string");
    rb_free(&b);
}

Test(bomb, set_of_two_to_the_32_members) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    rb_u8(&b, 2);             /* set */
    rb_str(&b, "s");
    rb_len_forced(&b, 1ULL << 32, 9);
    for (int i = 0; i < 20; i++) rb_str(&b, "m");
    bomb(&b, RDB_ERR_TRUNCATED, RDB_ERR_TRUNCATED, "2^32-member set");
    rb_free(&b);
}

Test(bomb, lzf_claiming_gigabytes) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    rb_u8(&b, 0);
    rb_str(&b, "k");
    rb_u8(&b, 0xc3);          /* LZF */
    rb_len(&b, 40);           /* compressed length */
    rb_len_forced(&b, 0x3fffffffULL, 5);  /* claims 1 GiB from 40 bytes */
    for (int i = 0; i < 60; i++) rb_u8(&b, 0);
    rdb_result res;
    rdb_status s = rb_parse(b.p, b.len, NULL, NULL, &res);
    cr_assert_eq(s, RDB_ERR_FORMAT, "got %s: %s", rdb_status_name(s), res.error.message);
    cr_assert(strstr(res.error.message, "LZF header claims"), "%s", res.error.message);
    rb_free(&b);
}

Test(bomb, quicklist_of_billions_of_nodes) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    rb_u8(&b, 18);            /* quicklist 2 */
    rb_str(&b, "l");
    rb_len_forced(&b, 3000000000ULL, 5);
    for (int i = 0; i < 40; i++) rb_u8(&b, 2);  /* PACKED, 2-byte blob: corrupt */
    bomb(&b, RDB_ERR_TRUNCATED, RDB_ERR_FORMAT, "3e9-node quicklist");
    rb_free(&b);
}

/* ---- compressed inputs ----------------------------------------------------- */

/* A dump compressed by each real tool, cut at every byte of the compressed
 * file (from a mapped file; every 7th cut also from a pipe): it must fail,
 * in the parse or when the stream is read to its end (its trailer and
 * checksum), with the RDB offset inside the dump and the compressed offset
 * inside the cut file; bit flips must never crash, and a failure names
 * offsets inside the input. */
static void compressed_outcome(const uint8_t *z, size_t zn, size_t rdb_len, int as_pipe, bool must_fail,
                               const char *what, size_t cut) {
    int fd = -1;
    char err[256];
    rdb_source *s = tc_open(z, zn, as_pipe, &fd, err, sizeof err);
    if (!s) {   /* refused at the magic (a cut legacy-looking prefix): fine */
        if (fd >= 0) close(fd);
        return;
    }
    uint64_t n = 0;
    rdb_result res;
    rdb_status st = rdb_parse(s, &all_events, &n, NULL, &res);
    uint64_t total = 0;
    rdb_src_status ss = st == RDB_OK ? source_drain(s, &total) : RDB_SRC_OK;
    if (must_fail) cr_assert(st != RDB_OK || ss != RDB_SRC_OK, "%s cut at %zu read as complete", what, cut);
    if (st != RDB_OK) {
        cr_assert(res.error.message[0], "%s cut at %zu: empty message", what, cut);
        cr_assert_leq(res.error.offset, rdb_len, "%s cut at %zu: RDB offset %llu past the dump: %s", what,
                      cut, (unsigned long long)res.error.offset, res.error.message);
        if (strstr(res.error.message, "compressed offset"))
            cr_assert(strstr(res.error.message, "RDB offset"), "%s: %s", what, res.error.message);
    }
    if (s->err.message[0] && s->err.has_in_offset)
        cr_assert_leq(s->err.in_offset, zn, "%s cut at %zu: compressed offset %llu past the file", what, cut,
                      (unsigned long long)s->err.in_offset);
    source_close(s);
    close(fd);
}

/* (.timeout above 300 makes Criterion's parallel runner leak 48 bytes of
 * its own, which LeakSanitizer then fails the binary for) */
Test(sweep, compressed_every_cut_and_flips, .timeout = 300) {
    rng_state = 0x5851f42d4c957f2dULL;
    size_t n;
    uint8_t *plain = (uint8_t *)mj_slurp("tests/fixtures/peer/librdb/misc_with_stream.rdb", &n);
    cr_assert_not_null(plain);
    for (int f = 0; f < TC_FORMATS; f++) {
        size_t zn;
        uint8_t *z = tc_compress(tc_tool[f], plain, n, &zn);
        cr_assert_not_null(z, "%s", tc_tool[f]);
        compressed_outcome(z, zn, n, 0, false, tc_tool[f], zn);
        for (size_t cut = 0; cut < zn; cut++) {
            compressed_outcome(z, cut, n, 0, true, tc_tool[f], cut);
            if (cut % 7 == 0) compressed_outcome(z, cut, n, 1, true, tc_tool[f], cut);
        }
        for (int i = 0; i < 300; i++) {
            size_t pos = (size_t)(rng() % zn);
            uint8_t old = z[pos];
            z[pos] ^= (uint8_t)(1u << (rng() % 8));
            /* corrupt data may decode to more bytes than the dump had */
            compressed_outcome(z, zn, SIZE_MAX, i % 5 == 0, false, tc_tool[f], pos);
            z[pos] = old;
        }
        free(z);
    }
    free(plain);
}
