/* test_source.c: the byte sources (source/): format sniffing, each
 * decoder on a dump compressed by the real tool (from a mapped file and
 * from a pipe, in reads of every size), concatenated streams, seeking
 * forward and back, trailing garbage, the refused legacy LZ4 format, and a
 * plain file parsed in place, whose pages are released behind the parser
 * even across one value larger than a release step. Cut and corrupted
 * streams: test_sweep.c. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdb/rdb.h"
#include "source/source.h"
#include "tests/support/compress.h"
#include "tests/support/minijson.h"
#include "tests/support/rdbbuild.h"

#define BIG "tests/fixtures/corpus/redis-7.4.1/main.rdb"   /* 185 KB, 104 keys */
#define SMALL "tests/fixtures/peer/librdb/misc_with_stream.rdb"

static uint8_t *slurp(const char *path, size_t *n) {
    uint8_t *b = (uint8_t *)mj_slurp(path, n);
    cr_assert_not_null(b, "%s", path);
    return b;
}

/* Everything the source gives, in reads of at most cap bytes. */
static uint8_t *read_all(rdb_source *s, size_t cap, size_t *n, rdb_src_status *st) {
    size_t len = 0, room = 1 << 16;
    uint8_t *out = malloc(room);
    for (;;) {
        if (room - len < cap) {
            room = (room + cap) * 2;
            out = realloc(out, room);
        }
        size_t got = 0;
        *st = s->ops->read(s, out + len, cap, &got);
        if (*st != RDB_SRC_OK || got == 0) break;
        cr_assert_leq(got, cap);
        len += got;
    }
    *n = len;
    return out;
}

Test(source, sniff_by_magic_not_name) {
    cr_assert_eq(source_sniff((const uint8_t *)"\x1f\x8b\x08", 3), SOURCE_GZIP);
    cr_assert_eq(source_sniff((const uint8_t *)"\x28\xb5\x2f\xfd", 4), SOURCE_ZSTD);
    cr_assert_eq(source_sniff((const uint8_t *)"\x04\x22\x4d\x18", 4), SOURCE_LZ4);
    cr_assert_eq(source_sniff((const uint8_t *)"\x02\x21\x4c\x18", 4), SOURCE_LZ4_LEGACY);
    cr_assert_eq(source_sniff((const uint8_t *)"\xfd" "7zXZ\0", 6), SOURCE_XZ);
    cr_assert_eq(source_sniff((const uint8_t *)"BZh9", 4), SOURCE_BZIP2);
    cr_assert_eq(source_sniff((const uint8_t *)"BZh0", 4), SOURCE_PLAIN);
    cr_assert_eq(source_sniff((const uint8_t *)"REDIS0011", 9), SOURCE_PLAIN);
    cr_assert_eq(source_sniff((const uint8_t *)"\x1f", 1), SOURCE_PLAIN, "too short to tell");
    cr_assert_eq(source_sniff((const uint8_t *)"\xfd" "7zXZ", 5), SOURCE_PLAIN);
}

Test(source, plain_file_is_mapped_and_parsed_in_place) {
    size_t n;
    uint8_t *plain = slurp(BIG, &n);
    int fd;
    char err[256];
    rdb_source *s = tc_open(plain, n, 0, &fd, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_assert_str_eq(s->format, "plain");
    cr_assert_eq(s->rdb_size, n);
    uint64_t len = 0;
    cr_assert_not_null(s->ops->map, "a regular file is mapped");
    const uint8_t *m = s->ops->map(s, &len);
    cr_assert_eq(len, n);
    cr_assert(memcmp(m, plain, n) == 0);
    rdb_result res;
    cr_assert_eq(rdb_parse(s, NULL, NULL, NULL, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(res.keys, 104);
    cr_assert_eq(res.trailer.checksum, RDB_CHECKSUM_OK);
    cr_assert_eq(res.bytes_read, n);
    source_close(s);
    close(fd);
    free(plain);
}

/* The mapping's release calls, seen through a wrapper of its ops (a test
 * may keep its counters in statics: one parse at a time). */
static const rdb_source_ops *mapped_ops;
static uint64_t releases, last_release, widest_release_gap, releases_elsewhere;
static pthread_t parsing_thread;

static void counting_release(rdb_source *s, uint64_t before) {
    releases++;
    if (!pthread_equal(pthread_self(), parsing_thread)) releases_elsewhere++;
    if (before - last_release > widest_release_gap) widest_release_gap = before - last_release;
    last_release = before;
    mapped_ops->release(s, before);
}

static uint64_t drops, drop_from[4], drop_to[4];

static void counting_drop(rdb_source *s, uint64_t from, uint64_t to) {
    if (drops < 4) drop_from[drops] = from, drop_to[drops] = to;
    drops++;
    mapped_ops->drop(s, from, to);
}

static uint64_t aheads, aheads_elsewhere, ahead_to, aheads_overlapping;

/* (called on the helper thread: no assertion here, counts only) */
static void counting_ahead(rdb_source *s, uint64_t from, uint64_t to) {
    aheads++;
    if (!pthread_equal(pthread_self(), parsing_thread)) aheads_elsewhere++;
    if (from < ahead_to) aheads_overlapping++;   /* each span is mapped once */
    ahead_to = to;
    mapped_ops->ahead(s, from, to);
}

static rdb_src_status fwd_read(rdb_source *s, uint8_t *d, size_t c, size_t *g) { return mapped_ops->read(s, d, c, g); }
static const uint8_t *fwd_map(rdb_source *s, uint64_t *len) { return mapped_ops->map(s, len); }
static rdb_src_status fwd_seek(rdb_source *s, uint64_t o) { return mapped_ops->seek(s, o); }
static void fwd_close(rdb_source *s) { mapped_ops->close(s); }
static const rdb_source_ops counting_ops = {
    .read = fwd_read, .map = fwd_map, .seek = fwd_seek, .release = counting_release,
    .drop = counting_drop, .ahead = counting_ahead, .close = fwd_close};

/* A dump of one 24 MiB string "big" (bytes i * 7), cut to 'keep' bytes when
 * keep > 0, its byte at 'flip' (when not 0) changed after the checksum was
 * written; parsed mapped with nobody reading the value (as check does). */
static rdb_status parse_big_string_with(size_t keep, size_t flip, const rdb_options *opt,
                                        rdb_result *res, uint64_t *value_at) {
    const size_t big = 24u << 20;
    rb b = {0};
    rb_magic(&b, "REDIS0009");
    rb_u8(&b, 0xfe);
    rb_len(&b, 0);
    rb_u8(&b, 0);
    rb_str(&b, "big");
    uint8_t *v = malloc(big);
    for (size_t i = 0; i < big; i++) v[i] = (uint8_t)(i * 7);
    rb_len(&b, big);
    *value_at = b.len;
    rb_bytes(&b, v, big);
    free(v);
    rb_finish(&b);
    if (flip) b.p[flip] ^= 0x20;
    size_t len = keep ? keep : b.len;
    int fd = rb_memfd(b.p, len);
    rdb_source *s = source_mmap_open(fd, len);
    cr_assert_not_null(s);
    mapped_ops = s->ops;
    s->ops = &counting_ops;
    releases = last_release = widest_release_gap = releases_elsewhere = 0;
    aheads = aheads_elsewhere = ahead_to = aheads_overlapping = 0;
    parsing_thread = pthread_self();
    rdb_status st = rdb_parse(s, NULL, NULL, opt, res);
    source_close(s);
    close(fd);
    rb_free(&b);
    return st;
}

static rdb_status parse_big_string(size_t keep, rdb_result *res, uint64_t *value_at) {
    return parse_big_string_with(keep, 0, NULL, res, value_at);
}

Test(source, mapped_pages_are_released_across_one_huge_value) {
    rdb_result res;
    uint64_t value_at;
    cr_assert_eq(parse_big_string(0, &res, &value_at), RDB_OK, "%s", res.error.message);
    cr_assert_eq(res.keys, 1);
    cr_assert_eq(res.trailer.checksum, RDB_CHECKSUM_OK);
    /* released every few MiB through the value, not once after it */
    cr_assert_geq(releases, 8, "%llu releases", (unsigned long long)releases);
    cr_assert_leq(widest_release_gap, 4u << 20, "%llu", (unsigned long long)widest_release_gap);
}

Test(source, mapped_value_cut_short_is_an_error_at_the_value) {
    rdb_result res;
    uint64_t value_at;
    cr_assert_neq(parse_big_string(9 + 2 + 1 + 4 + 5 + (6u << 20), &res, &value_at), RDB_OK);
    cr_assert(res.error.offset <= value_at, "error at %llu, the value starts at %llu",
              (unsigned long long)res.error.offset, (unsigned long long)value_at);
    cr_assert_eq(res.keys, 0);
}

/* --threads 2: the checksum and the release move to a helper thread
 * (rdb/trail.h); the CRC is the one the parser computes alone, a changed
 * byte is still a mismatch, the pages still go a few MiB at a time, and a
 * parse that stops early does not wait for (or leak) the helper. */
Test(source, checksum_thread_same_crc_same_releases) {
    rdb_options threaded = {.checksum_thread = true};
    rdb_result alone, helped;
    uint64_t value_at;
    cr_assert_eq(parse_big_string_with(0, 0, NULL, &alone, &value_at), RDB_OK);
    cr_assert_eq(parse_big_string_with(0, 0, &threaded, &helped, &value_at), RDB_OK, "%s",
                 helped.error.message);
    cr_assert_eq(helped.trailer.checksum, RDB_CHECKSUM_OK);
    cr_assert_eq(helped.trailer.computed_crc, alone.trailer.computed_crc);
    cr_assert_eq(releases_elsewhere, releases, "every release is the helper's");
    /* and it maps the pages ahead of the parser, through the value */
    cr_assert_geq(aheads, 2, "%llu", (unsigned long long)aheads);
    cr_assert_eq(aheads_elsewhere, aheads);
    cr_assert_eq(aheads_overlapping, 0);
    cr_assert_geq(releases, 8, "%llu releases", (unsigned long long)releases);
    cr_assert_leq(widest_release_gap, 4u << 20, "%llu", (unsigned long long)widest_release_gap);

    cr_assert_eq(parse_big_string_with(0, (size_t)value_at + (13u << 20), &threaded, &helped, &value_at),
                 RDB_OK);
    cr_assert_eq(helped.trailer.checksum, RDB_CHECKSUM_MISMATCH);
    cr_assert_neq(helped.trailer.computed_crc, alone.trailer.computed_crc);

    cr_assert_neq(parse_big_string_with(9 + 2 + 1 + 4 + 5 + (6u << 20), 0, &threaded, &helped, &value_at),
                  RDB_OK);
    cr_assert_eq(helped.keys, 0);
}

static int stop_at_second(void *ctx, const rdb_key *k) {
    (void)k;
    return ++*(int *)ctx == 2 ? -1 : RDB_SKIP;
}

Test(source, checksum_thread_parse_stopped_by_a_handler) {
    size_t n;
    uint8_t *plain = slurp(BIG, &n);
    int fd;
    char err[256];
    rdb_source *s = tc_open(plain, n, 0, &fd, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    rdb_handlers h = {.on_key_begin = stop_at_second};
    rdb_options opt = {.checksum_thread = true};
    int seen = 0;
    rdb_result res;
    cr_assert_neq(rdb_parse(s, &h, &seen, &opt, &res), RDB_OK);
    cr_assert_eq(seen, 2);
    cr_assert_eq(res.have_trailer, false);
    cr_assert_eq(rdb_parse(s, NULL, NULL, &opt, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(res.trailer.checksum, RDB_CHECKSUM_OK);
    source_close(s);
    close(fd);
    free(plain);
}

static uint64_t key_offsets[2];
static int kr_begin(void *ctx, const rdb_key *k) {
    int *n = ctx;
    if (*n < 2) key_offsets[*n] = k->offset;
    (*n)++;
    return RDB_SKIP;
}

/* Re-read keys go back and forth (a report's, biggest first), where
 * release, which drops what is behind the reader, would leave each key's
 * pages mapped: the key reader drops each key's span once read. */
Test(source, key_reader_drops_each_key_it_read) {
    const size_t big = 3u << 20;
    rb b = {0};
    rb_magic(&b, "REDIS0009");
    rb_u8(&b, 0xfe), rb_len(&b, 0);
    uint8_t *v = malloc(big);
    for (size_t i = 0; i < big; i++) v[i] = (uint8_t)(i * 13);
    for (int k = 0; k < 2; k++) {
        rb_u8(&b, 0);
        rb_str(&b, k ? "y" : "x");
        rb_len(&b, big);
        rb_bytes(&b, v, big);
    }
    free(v);
    rb_finish(&b);
    int fd = rb_memfd(b.p, b.len);
    rdb_source *s = source_mmap_open(fd, b.len);
    cr_assert_not_null(s);
    int nkeys = 0;
    static const rdb_handlers h = {.on_key_begin = kr_begin};
    rdb_result res;
    cr_assert_eq(rdb_parse(s, &h, &nkeys, NULL, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(nkeys, 2);
    mapped_ops = s->ops;
    s->ops = &counting_ops;
    drops = 0;
    rdb_key_reader *kr = rdb_key_reader_new(s, &res.header, NULL);
    cr_assert_not_null(kr);
    for (int i = 1; i >= 0; i--) {   /* the later key first */
        nkeys = 0;
        rdb_result kres;
        cr_assert_eq(rdb_key_reader_read(kr, key_offsets[i], &h, &nkeys, &kres), RDB_OK, "%s",
                     kres.error.message);
        cr_assert_eq(nkeys, 1);
        cr_assert_eq(drops, (uint64_t)(2 - i));
        cr_assert_eq(drop_from[1 - i], key_offsets[i]);
        cr_assert_eq(drop_to[1 - i], key_offsets[i] + kres.bytes_read);
        cr_assert_gt(kres.bytes_read, big);
    }
    rdb_key_reader_free(kr);
    s->ops = mapped_ops;
    source_close(s);
    close(fd);
    rb_free(&b);
}

/* Each format: the decoded bytes are the dump's, whatever the read size,
 * from a mapped file; the parse matches the plain one. */
Test(source, every_format_decodes_to_the_dump, .timeout = 120) {
    size_t n;
    uint8_t *plain = slurp(BIG, &n);
    static const size_t caps[] = {1 << 20, 4096, 7, 1};
    for (int f = 0; f < TC_FORMATS; f++) {
        size_t zn;
        uint8_t *z = tc_compress(tc_tool[f], plain, n, &zn);
        cr_assert_not_null(z, "%s", tc_tool[f]);
        for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
            int fd;
            char err[256];
            rdb_source *s = tc_open(z, zn, 0, &fd, err, sizeof err);
            cr_assert_not_null(s, "%s: %s", tc_tool[f], err);
            cr_assert_str_eq(s->format, source_format_name(tc_format[f]));
            cr_assert_eq(s->in_size, zn);
            cr_assert_eq(s->rdb_size, 0, "unknown until decompressed");
            size_t got;
            rdb_src_status st;
            uint8_t *out = read_all(s, caps[c], &got, &st);
            cr_assert_eq(st, RDB_SRC_OK, "%s cap %zu: %s", tc_tool[f], caps[c], s->err.message);
            cr_assert_eq(got, n, "%s cap %zu", tc_tool[f], caps[c]);
            cr_assert(memcmp(out, plain, n) == 0, "%s cap %zu", tc_tool[f], caps[c]);
            cr_assert_eq(s->in_offset, zn, "%s: all input consumed", tc_tool[f]);
            free(out);
            source_close(s);
            close(fd);
        }
        int fd;
        char err[256];
        rdb_source *s = tc_open(z, zn, 0, &fd, err, sizeof err);
        rdb_result res;
        cr_assert_eq(rdb_parse(s, NULL, NULL, NULL, &res), RDB_OK, "%s: %s", tc_tool[f], res.error.message);
        cr_assert_eq(res.keys, 104);
        cr_assert_eq(res.trailer.checksum, RDB_CHECKSUM_OK);
        uint64_t total;
        cr_assert_eq(source_drain(s, &total), RDB_SRC_OK);
        cr_assert_eq(total, n);
        source_close(s);
        close(fd);
        free(z);
    }
    free(plain);
}

/* From a pipe (standard input): the first bytes are sniffed and pushed
 * back; no going back. */
Test(source, every_format_from_a_pipe) {
    size_t n;
    uint8_t *plain = slurp(SMALL, &n);
    for (int f = 0; f < TC_FORMATS; f++) {
        size_t zn;
        uint8_t *z = tc_compress(tc_tool[f], plain, n, &zn);
        cr_assert_not_null(z);
        int fd;
        char err[256];
        rdb_source *s = tc_open(z, zn, 1, &fd, err, sizeof err);
        cr_assert_not_null(s, "%s: %s", tc_tool[f], err);
        cr_assert(!source_can_seek(s));
        size_t got;
        rdb_src_status st;
        uint8_t *out = read_all(s, 3, &got, &st);
        cr_assert_eq(st, RDB_SRC_OK, "%s: %s", tc_tool[f], s->err.message);
        cr_assert_eq(got, n);
        cr_assert(memcmp(out, plain, n) == 0, "%s", tc_tool[f]);
        cr_assert_neq(s->ops->seek(s, 0), RDB_SRC_OK, "a pipe cannot start over");
        free(out);
        source_close(s);
        close(fd);
        free(z);
    }
    /* a plain pipe: the sniffed bytes come back first */
    int fd;
    char err[256];
    rdb_source *s = tc_open(plain, n, 1, &fd, err, sizeof err);
    cr_assert_not_null(s);
    rdb_result res;
    cr_assert_eq(rdb_parse(s, NULL, NULL, NULL, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(res.bytes_read, n);
    source_close(s);
    close(fd);
    free(plain);
}

/* Two streams back to back (pigz, pbzip2, cat a.gz b.gz) are one input. */
Test(source, concatenated_streams_are_one_input) {
    size_t n;
    uint8_t *plain = slurp(BIG, &n);
    size_t half = n / 2;
    for (int f = 0; f < TC_FORMATS; f++) {
        size_t an, bn;
        uint8_t *a = tc_compress(tc_tool[f], plain, half, &an);
        uint8_t *b = tc_compress(tc_tool[f], plain + half, n - half, &bn);
        cr_assert(a && b);
        uint8_t *ab = malloc(an + bn);
        memcpy(ab, a, an);
        memcpy(ab + an, b, bn);
        int fd;
        char err[256];
        rdb_source *s = tc_open(ab, an + bn, 0, &fd, err, sizeof err);
        cr_assert_not_null(s, "%s", err);
        rdb_result res;
        cr_assert_eq(rdb_parse(s, NULL, NULL, NULL, &res), RDB_OK, "%s: %s", tc_tool[f], res.error.message);
        cr_assert_eq(res.keys, 104, "%s", tc_tool[f]);
        uint64_t total;
        cr_assert_eq(source_drain(s, &total), RDB_SRC_OK, "%s: %s", tc_tool[f], s->err.message);
        cr_assert_eq(total, n);
        source_close(s);
        close(fd);
        free(a), free(b), free(ab);
    }
    free(plain);
}

/* Forward by decoding, back by starting over: any offset gives its bytes. */
Test(source, seek_forward_and_back) {
    size_t n;
    uint8_t *plain = slurp(BIG, &n);
    const uint64_t at[] = {n / 2, 100, n - 10, 0, n / 3, n / 3 + 1, n};
    for (int f = 0; f < TC_FORMATS; f++) {
        size_t zn;
        uint8_t *z = tc_compress(tc_tool[f], plain, n, &zn);
        int fd;
        char err[256];
        rdb_source *s = tc_open(z, zn, 0, &fd, err, sizeof err);
        cr_assert(source_can_seek(s));
        for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
            cr_assert_eq(s->ops->seek(s, at[i]), RDB_SRC_OK, "%s", s->err.message);
            uint8_t buf[10];
            size_t got = 0;
            cr_assert_eq(s->ops->read(s, buf, sizeof buf, &got), RDB_SRC_OK);
            size_t want = n - at[i] < sizeof buf ? n - at[i] : sizeof buf;
            cr_assert_eq(got, want, "%s at %llu", tc_tool[f], (unsigned long long)at[i]);
            cr_assert(memcmp(buf, plain + at[i], got) == 0, "%s at %llu", tc_tool[f],
                      (unsigned long long)at[i]);
        }
        source_close(s);
        close(fd);
        free(z);
    }
    free(plain);
}

/* Bytes after the last stream that do not start another are an error
 * that names where they start. */
Test(source, trailing_garbage_is_an_error) {
    size_t n;
    uint8_t *plain = slurp(SMALL, &n);
    for (int f = 0; f < TC_FORMATS; f++) {
        size_t zn;
        uint8_t *z = tc_compress(tc_tool[f], plain, n, &zn);
        z = realloc(z, zn + 16);
        memcpy(z + zn, "garbage after it", 16);
        int fd;
        char err[256];
        rdb_source *s = tc_open(z, zn + 16, 0, &fd, err, sizeof err);
        size_t got;
        rdb_src_status st;
        uint8_t *out = read_all(s, 1 << 20, &got, &st);
        /* (xz may take them for the start of a cut stream: truncated) */
        cr_assert(st == RDB_SRC_ERROR || st == RDB_SRC_TRUNCATED, "%s: trailing bytes accepted",
                  tc_tool[f]);
        cr_assert_eq(got, n, "%s: the data before them is all there", tc_tool[f]);
        cr_assert(s->err.has_in_offset);
        cr_assert_geq(s->err.in_offset, zn, "%s: %s at %llu", tc_tool[f], s->err.message,
                      (unsigned long long)s->err.in_offset);
        cr_assert_leq(s->err.in_offset, zn + 16);
        cr_assert(strstr(s->err.message, source_format_name(tc_format[f])), "%s", s->err.message);
        free(out);
        source_close(s);
        close(fd);
        free(z);
    }
    free(plain);
}

Test(source, legacy_lz4_is_refused_clearly) {
    size_t n;
    uint8_t *plain = slurp(SMALL, &n);
    size_t zn;
    uint8_t *z = tc_compress("lz4 -q -l -c", plain, n, &zn);
    cr_assert_not_null(z);
    int fd;
    char err[256] = "";
    rdb_source *s = tc_open(z, zn, 0, &fd, err, sizeof err);
    cr_assert_null(s);
    cr_assert(strstr(err, "legacy LZ4"), "%s", err);
    close(fd);
    free(z);
    free(plain);
}
