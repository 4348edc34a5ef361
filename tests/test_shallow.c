/* test_shallow.c: shallow blob delivery (rdb_options.shallow_max): entries
 * from the header, largest_exact and largest_bound, the consumer's choice
 * between skipping and walking, intsets' O(1) exact largest, header checks
 * on unwalked blobs, and rdb_parse_key_at. */
#include <criterion/criterion.h>
#include <lzf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdb/rdb.h"
#include "tests/support/rdbbuild.h"

/* ---- building blobs ------------------------------------------------------ */

/* A listpack of short strings (< 64 bytes) and 7-bit integers ("#12"). */
static size_t lp_build(uint8_t *out, const char *const *items, size_t n, int declared) {
    size_t pos = 6;
    for (size_t i = 0; i < n; i++) {
        const char *s = items[i];
        if (s[0] == '#') {
            out[pos++] = (uint8_t)atoi(s + 1);
            out[pos++] = 1;
        } else {
            size_t l = strlen(s);
            out[pos++] = (uint8_t)(0x80 | l);
            memcpy(out + pos, s, l);
            pos += l;
            out[pos++] = (uint8_t)(1 + l);
        }
    }
    out[pos++] = 0xFF;
    uint32_t total = (uint32_t)pos;
    uint16_t count = declared >= 0 ? (uint16_t)declared : (uint16_t)n;
    out[0] = (uint8_t)total, out[1] = (uint8_t)(total >> 8), out[2] = (uint8_t)(total >> 16),
    out[3] = (uint8_t)(total >> 24), out[4] = (uint8_t)count, out[5] = (uint8_t)(count >> 8);
    return pos;
}

/* A ziplist of short strings. */
static size_t zl_build(uint8_t *out, const char *const *items, size_t n) {
    size_t pos = 10, prev = 0, tail = 10;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(items[i]);
        tail = pos;
        out[pos++] = (uint8_t)prev;
        out[pos++] = (uint8_t)l;
        memcpy(out + pos, items[i], l);
        pos += l;
        prev = 2 + l;
    }
    out[pos++] = 0xFF;
    for (int i = 0; i < 4; i++) out[i] = (uint8_t)(pos >> (8 * i)), out[4 + i] = (uint8_t)(tail >> (8 * i));
    out[8] = (uint8_t)n, out[9] = (uint8_t)(n >> 8);
    return pos;
}

static size_t is_build(uint8_t *out, unsigned width, const int64_t *v, size_t n) {
    memset(out, 0, 8);
    out[0] = (uint8_t)width;
    out[4] = (uint8_t)n;
    for (size_t i = 0; i < n; i++)
        for (unsigned b = 0; b < width; b++) out[8 + i * width + b] = (uint8_t)((uint64_t)v[i] >> (8 * b));
    return 8 + n * width;
}

static void rb_lzf(rb *b, const uint8_t *p, size_t n) {
    uint8_t out[4096];
    unsigned c = lzf_compress(p, (unsigned)n, out, sizeof out);
    cr_assert(c > 0, "test data does not compress");
    rb_u8(b, 0xC3);
    rb_len(b, c);
    rb_len(b, n);
    rb_bytes(b, out, c);
}

/* A file with one key of 'type' whose value is 'blob' (LZF when asked). */
static void one_key(rb *b, uint8_t type, const uint8_t *blob, size_t n, bool lzf) {
    rb_magic(b, "REDIS0011");
    rb_u8(b, type);
    rb_str(b, "k");
    if (lzf) rb_lzf(b, blob, n);
    else rb_raw_str(b, blob, n);
    rb_finish(b);
}

/* ---- a recording consumer ------------------------------------------------ */

typedef struct rec {
    int key_begin_rc, container_rc;
    int shallow_seen, walked_seen, entries_events;
    uint32_t shallow_entries;
    size_t shallow_len;
    bool shallow_ptr_null;
    rdb_key_end end;
    uint64_t key_offset;
    int keys;
} rec;

static int r_begin(void *c, const rdb_key *k) {
    rec *r = c;
    r->key_offset = k->offset;
    return r->key_begin_rc;
}
static int r_container(void *c, const rdb_key *k, const rdb_container *ct) {
    rec *r = c;
    (void)k;
    if (ct->shallow) {
        r->shallow_seen++;
        r->shallow_entries += ct->entries;
        r->shallow_len = ct->blob.len;
        r->shallow_ptr_null = ct->blob.ptr == NULL;
        return r->container_rc;
    }
    r->walked_seen++;
    return RDB_CONTINUE;
}
static int r_entry(void *c, const rdb_key *k, const rdb_entry *e) {
    (void)k, (void)e;
    ((rec *)c)->entries_events++;
    return RDB_CONTINUE;
}
static int r_end(void *c, const rdb_key *k, const rdb_key_end *e) {
    rec *r = c;
    (void)k;
    r->end = *e;
    r->keys++;
    return RDB_CONTINUE;
}
static const rdb_handlers H = {.on_key_begin = r_begin, .on_container = r_container,
                               .on_entry = r_entry, .on_key_end = r_end};

static rdb_status parse(rb *b, uint64_t shallow_max, rec *r, rdb_result *res) {
    int fd = rb_memfd(b->p, b->len);
    rdb_options opt = {.input_size = b->len, .shallow_max = shallow_max};
    rdb_status s = rdb_parse_fd(fd, &H, r, &opt, res);
    close(fd);
    return s;
}

static rec parse_ok(rb *b, uint64_t shallow_max, int key_rc, int container_rc) {
    rec r = {.key_begin_rc = key_rc, .container_rc = container_rc};
    rdb_result res;
    rdb_status s = parse(b, shallow_max, &r, &res);
    cr_assert_eq(s, RDB_OK, "%s at %llu", res.error.message, (unsigned long long)res.error.offset);
    cr_assert_eq(r.keys, 1);
    return r;
}

static const char *const HASH[] = {"field-one", "v1", "f2", "a-much-longer-value-here", "f3", "#7"};

/* ---- listpacks ----------------------------------------------------------- */

Test(shallow, listpack_skipped_takes_count_from_header) {
    uint8_t blob[256];
    size_t n = lp_build(blob, HASH, 6, -1);
    rb b = {0};
    one_key(&b, 16, blob, n, false);   /* RDB_TYPE_HASH_LISTPACK */
    rec r = parse_ok(&b, 4096, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 1);
    cr_assert_eq(r.walked_seen, 0);
    cr_assert_eq(r.shallow_entries, 6);
    cr_assert_eq(r.shallow_len, n);
    cr_assert_eq(r.end.elements, 3);
    cr_assert_eq(r.end.containers, 1);
    cr_assert_not(r.end.largest_exact);
    cr_assert_eq(r.end.largest, 0, "nothing walked, nothing measured");
    cr_assert_eq(r.end.largest_bound, n);
    cr_assert_geq(r.end.largest_bound, strlen("a-much-longer-value-here"));
    rb_free(&b);
}

Test(shallow, listpack_continue_walks_and_delivers_again) {
    uint8_t blob[256];
    size_t n = lp_build(blob, HASH, 6, -1);
    rb b = {0};
    one_key(&b, 16, blob, n, false);
    rec r = parse_ok(&b, 4096, RDB_SKIP, RDB_CONTINUE);
    cr_assert_eq(r.shallow_seen, 1);
    cr_assert_eq(r.walked_seen, 1);
    cr_assert_eq(r.entries_events, 0, "RDB_SKIP from on_key_begin still holds");
    cr_assert_eq(r.end.elements, 3);
    cr_assert_eq(r.end.containers, 1, "one blob, counted once");
    cr_assert(r.end.largest_exact);
    cr_assert_eq(r.end.largest, strlen("a-much-longer-value-here"));
    rb_free(&b);
}

Test(shallow, off_when_option_zero_or_elements_wanted_or_blob_too_long) {
    uint8_t blob[256];
    size_t n = lp_build(blob, HASH, 6, -1);
    rb b = {0};
    one_key(&b, 16, blob, n, false);
    rec r = parse_ok(&b, 0, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 0);
    cr_assert(r.end.largest_exact);
    cr_assert_eq(r.end.largest, 24);
    r = parse_ok(&b, 4096, RDB_CONTINUE, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 0);
    cr_assert_eq(r.entries_events, 3);
    r = parse_ok(&b, n - 1, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 0);
    cr_assert(r.end.largest_exact);
    r = parse_ok(&b, n, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 1, "shallow_max is inclusive");
    rb_free(&b);
}

Test(shallow, unknown_count_is_walked) {
    uint8_t blob[256];
    size_t n = lp_build(blob, HASH, 6, 65535);
    rb b = {0};
    one_key(&b, 16, blob, n, false);
    rec r = parse_ok(&b, 4096, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 0);
    cr_assert_eq(r.walked_seen, 1);
    cr_assert_eq(r.end.elements, 3);
    cr_assert(r.end.largest_exact);
    rb_free(&b);
}

Test(shallow, tiny_blob_bound_covers_integer_text) {
    static const char *const one[] = {"#5"};
    uint8_t blob[16];
    size_t n = lp_build(blob, one, 1, -1);
    rb b = {0};
    one_key(&b, 20, blob, n, false);   /* RDB_TYPE_SET_LISTPACK */
    rec r = parse_ok(&b, 4096, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.end.elements, 1);
    cr_assert_eq(r.end.largest_bound, 20, "an int64 member's text may outgrow a tiny blob");
    rb_free(&b);
}

Test(shallow, quicklist_nodes_sum_header_counts) {
    static const char *const n1[] = {"a", "bb", "ccc"};
    static const char *const n2[] = {"dddd", "e"};
    uint8_t b1[64], b2[64];
    size_t l1 = lp_build(b1, n1, 3, -1), l2 = lp_build(b2, n2, 2, -1);
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    rb_u8(&b, 18);   /* RDB_TYPE_LIST_QUICKLIST_2 */
    rb_str(&b, "list");
    rb_len(&b, 2);
    rb_len(&b, 2);
    rb_raw_str(&b, b1, l1);
    rb_len(&b, 2);
    rb_lzf(&b, b2, l2);
    rb_finish(&b);
    rec r = parse_ok(&b, 4096, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 2);
    cr_assert_eq(r.end.elements, 5);
    cr_assert_eq(r.end.containers, 2);
    cr_assert_not(r.end.largest_exact);
    cr_assert_eq(r.end.largest_bound, 20);
    cr_assert(r.shallow_ptr_null, "the second node is LZF-compressed");
    r = parse_ok(&b, 4096, RDB_SKIP, RDB_CONTINUE);
    cr_assert_eq(r.walked_seen, 2);
    cr_assert(r.end.largest_exact);
    cr_assert_eq(r.end.largest, 4);
    rb_free(&b);
}

Test(shallow, ziplist_zset) {
    static const char *const z[] = {"m1", "1.5", "member-two", "2"};
    uint8_t blob[64];
    size_t n = zl_build(blob, z, 4);
    rb b = {0};
    one_key(&b, 12, blob, n, false);   /* RDB_TYPE_ZSET_ZIPLIST */
    rec r = parse_ok(&b, 4096, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 1);
    cr_assert_eq(r.shallow_entries, 4);
    cr_assert_eq(r.end.elements, 2);
    cr_assert_not(r.end.largest_exact);
    r = parse_ok(&b, 0, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.end.largest, 10);
    rb_free(&b);
}

Test(shallow, field_ttl_listpacks_are_walked) {
    static const char *const f[] = {"f", "v", "#0"};
    uint8_t blob[32];
    size_t n = lp_build(blob, f, 3, -1);
    rb b = {0};
    rb_magic(&b, "REDIS0012");
    rb_u8(&b, 25);   /* RDB_TYPE_HASH_LISTPACK_EX */
    rb_str(&b, "h");
    rb_u64le(&b, 0);
    rb_raw_str(&b, blob, n);
    rb_finish(&b);
    rec r = parse_ok(&b, 4096, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 0);
    cr_assert(r.end.largest_exact);
    rb_free(&b);
}

Test(shallow, lzf_blob_goes_out_undecompressed) {
    const char *items[40];
    for (int i = 0; i < 40; i++) items[i] = i % 2 ? "value-value-value" : "field-field";
    uint8_t blob[2048];
    size_t n = lp_build(blob, items, 40, -1);
    rb b = {0};
    one_key(&b, 16, blob, n, true);
    rec r = parse_ok(&b, 4096, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 1);
    cr_assert(r.shallow_ptr_null, "a shallow compressed blob has no bytes to read");
    cr_assert_eq(r.shallow_len, n, "the decompressed length");
    cr_assert_eq(r.shallow_entries, 40);
    cr_assert_eq(r.end.elements, 20);
    cr_assert_not(r.end.largest_exact);
    /* asked for, it is decompressed and walked */
    r = parse_ok(&b, 4096, RDB_SKIP, RDB_CONTINUE);
    cr_assert_eq(r.walked_seen, 1);
    cr_assert(r.end.largest_exact);
    cr_assert_eq(r.end.largest, strlen("value-value-value"));
    /* longer than shallow_max: decompressed and walked at once */
    r = parse_ok(&b, n - 1, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 0);
    cr_assert_eq(r.walked_seen, 1);
    cr_assert(r.end.largest_exact);
    rb_free(&b);
}

Test(shallow, lzf_blob_corrupt_stream_fails) {
    uint8_t blob[256];
    size_t n = lp_build(blob, HASH, 6, -1);
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    rb_u8(&b, 16);
    rb_str(&b, "k");
    rb_u8(&b, 0xC3);
    rb_len(&b, 2);
    rb_len(&b, n);
    rb_u8(&b, 0x20);   /* a back-reference before any output */
    rb_u8(&b, 0x00);
    rb_finish(&b);
    rec r = {.key_begin_rc = RDB_SKIP, .container_rc = RDB_SKIP};
    rdb_result res;
    cr_assert_eq(parse(&b, 4096, &r, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "LZF"), "%s", res.error.message);
    cr_assert_eq(res.error.offset, 12, "the string's offset");
    rb_free(&b);
}

/* ---- intsets: exact largest from the ends -------------------------------- */

static void intset_case(unsigned width, const int64_t *v, size_t n, uint64_t want) {
    uint8_t blob[128];
    size_t len = is_build(blob, width, v, n);
    rb b = {0};
    one_key(&b, 11, blob, len, false);   /* RDB_TYPE_SET_INTSET */
    rec r = parse_ok(&b, 4096, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(r.shallow_seen, 1);
    cr_assert_eq(r.walked_seen, 0);
    cr_assert_eq(r.end.elements, n);
    cr_assert(r.end.largest_exact, "an intset's largest is known without walking");
    cr_assert_eq(r.end.largest, want);
    rec w = parse_ok(&b, 0, RDB_SKIP, RDB_SKIP);
    cr_assert_eq(w.end.largest, want, "the walk agrees");
    rb_free(&b);
}

Test(shallow, intset_largest_from_first_and_last) {
    intset_case(2, (const int64_t[]){1, 2, 3}, 3, 1);
    intset_case(4, (const int64_t[]){-100000, 5, 42}, 3, 7);
    intset_case(4, (const int64_t[]){-3, 0, 123456789}, 3, 9);
    intset_case(8, (const int64_t[]){INT64_MIN, INT64_MAX}, 2, 20);
    intset_case(2, (const int64_t[]){-7}, 1, 2);
}

Test(shallow, intset_ends_not_ascending_is_an_error) {
    uint8_t blob[64];
    size_t len = is_build(blob, 2, (const int64_t[]){9, 3, 1}, 3);
    rb b = {0};
    one_key(&b, 11, blob, len, false);
    rec r = {.key_begin_rc = RDB_SKIP, .container_rc = RDB_SKIP};
    rdb_result res;
    cr_assert_eq(parse(&b, 4096, &r, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "intset members not ascending"), "%s", res.error.message);
    rb_free(&b);
}

Test(shallow, intset_bad_width_is_an_error) {
    uint8_t blob[64];
    size_t len = is_build(blob, 2, (const int64_t[]){1, 3}, 2);
    blob[0] = 3;
    rb b = {0};
    one_key(&b, 11, blob, len, false);
    rec r = {.key_begin_rc = RDB_SKIP, .container_rc = RDB_SKIP};
    rdb_result res;
    cr_assert_eq(parse(&b, 4096, &r, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "width"), "%s", res.error.message);
    rb_free(&b);
}

/* ---- header checks on unwalked blobs ------------------------------------ */

static void header_error(uint8_t *blob, size_t n, bool lzf, const char *want) {
    rb b = {0};
    one_key(&b, 16, blob, n, lzf);
    rec r = {.key_begin_rc = RDB_SKIP, .container_rc = RDB_SKIP};
    rdb_result res;
    cr_assert_eq(parse(&b, 4096, &r, &res), RDB_ERR_FORMAT, "%s", res.error.message);
    cr_assert(strstr(res.error.message, want), "'%s' lacks '%s'", res.error.message, want);
    cr_assert_gt(res.error.offset, 9);
    cr_assert_eq(r.shallow_seen, 0);
    rb_free(&b);
}

Test(shallow, corrupt_headers_fail_with_an_offset) {
    uint8_t blob[256];
    size_t n = lp_build(blob, HASH, 6, -1);
    blob[0]++;
    header_error(blob, n, false, "total bytes");
    header_error(blob, n, true, "total bytes");
    n = lp_build(blob, HASH, 6, -1);
    blob[n - 1] = 0x7F;
    header_error(blob, n, false, "0xFF");
    n = lp_build(blob, HASH, 6, 200);
    header_error(blob, n, false, "does not fit");
    header_error(blob, n, true, "does not fit");
    n = lp_build(blob, HASH, 6, 5);
    header_error(blob, n, false, "multiple of the entry size");
}

Test(shallow, ziplist_tail_outside_fails_unwalked) {
    static const char *const z[] = {"name", "ada", "lang", "c"};
    uint8_t blob[64];
    size_t n = zl_build(blob, z, 4);
    uint32_t tail = (uint32_t)n + 10;   /* the last entry, said to be past the end */
    for (int i = 0; i < 4; i++) blob[4 + i] = (uint8_t)(tail >> (8 * i));
    rb b = {0};
    one_key(&b, 13, blob, n, false);   /* HASH_ZIPLIST */
    rec r = {.key_begin_rc = RDB_SKIP, .container_rc = RDB_SKIP};
    rdb_result res;
    cr_assert_eq(parse(&b, 4096, &r, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "ziplist zltail points outside the entries"), "%s", res.error.message);
    /* magic 9, type 1, "k" 2, length 1: the blob at 13, zltail at its byte 4 */
    cr_assert_eq(res.error.offset, 13 + 4);
    cr_assert_eq(r.shallow_seen, 0);
    rb_free(&b);
}

/* ---- rdb_parse_key_at ---------------------------------------------------- */

static rdb_status key_at_fd(int fd, uint64_t offset, const rdb_header *hdr, const rdb_handlers *h,
                            void *ctx, const rdb_options *opt, rdb_result *res) {
    rdb_fd_source src;
    rdb_fd_source_init(&src, fd, NULL, 0);
    return rdb_parse_key_at(&src.base, offset, hdr, h, ctx, opt, res);
}

Test(shallow, parse_key_at_rereads_one_key_walked) {
    uint8_t blob[256];
    size_t n = lp_build(blob, HASH, 6, -1);
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    rb_u8(&b, 0);
    rb_str(&b, "first");
    rb_str(&b, "a string value");
    rb_u8(&b, 0xFC);   /* EXPIRETIME_MS: read by the full parse only */
    rb_u64le(&b, 1700000000000ULL);
    uint64_t at = b.len;
    rb_u8(&b, 16);
    rb_str(&b, "h");
    rb_lzf(&b, blob, n);
    rb_u8(&b, 0);
    rb_str(&b, "last");
    rb_str(&b, "x");
    rb_finish(&b);

    int fd = rb_memfd(b.p, b.len);
    rdb_header hdr = {.magic = "REDIS0011", .flavor = RDB_FLAVOR_REDIS, .version = 11};
    rdb_options opt = {.input_size = b.len};
    rec r = {.key_begin_rc = RDB_SKIP, .container_rc = RDB_SKIP};
    rdb_result res;
    rdb_status s = key_at_fd(fd, at, &hdr, &H, &r, &opt, &res);
    cr_assert_eq(s, RDB_OK, "%s", res.error.message);
    cr_assert_eq(r.keys, 1, "one key, no more");
    cr_assert_eq(r.key_offset, at, "offsets stay absolute");
    cr_assert_eq(r.walked_seen, 1);
    cr_assert(r.end.largest_exact);
    cr_assert_eq(r.end.largest, 24);
    cr_assert_eq(r.end.elements, 3);

    /* the same key, shallow, in a full parse: the offset is the one to use */
    rec full = {.key_begin_rc = RDB_SKIP, .container_rc = RDB_SKIP};
    opt.shallow_max = 4096;
    lseek(fd, 0, SEEK_SET);
    cr_assert_eq(rdb_parse_fd(fd, &H, &full, &opt, &res), RDB_OK);
    cr_assert_eq(full.keys, 3);
    cr_assert_eq(full.shallow_seen, 1);

    /* an offset that is not a key's type byte: an opcode */
    opt.shallow_max = 0;
    r = (rec){.key_begin_rc = RDB_SKIP};
    s = key_at_fd(fd, at - 9, &hdr, &H, &r, &opt, &res);
    cr_assert_eq(s, RDB_ERR_FORMAT);
    cr_assert_eq(res.error.offset, at - 9);
    cr_assert_eq(r.keys, 0);
    /* past the end */
    s = key_at_fd(fd, b.len + 5, &hdr, &H, &r, &opt, &res);
    cr_assert_eq(s, RDB_ERR_TRUNCATED, "%s", res.error.message);
    close(fd);

    /* a pipe cannot seek */
    int pfd[2];
    cr_assert_eq(pipe(pfd), 0);
    s = key_at_fd(pfd[0], at, &hdr, &H, &r, &opt, &res);
    cr_assert_eq(s, RDB_ERR_IO);
    cr_assert(strstr(res.error.message, "seek"), "%s", res.error.message);
    close(pfd[0]);
    close(pfd[1]);
    rb_free(&b);
}

/* ---- real dumps ------------------------------------------------------------ */

/* What a report's parse sees of a whole dump: elements per key folded into
 * one number, the shallow blobs taken, and how the file ended. */
typedef struct dump_tally {
    uint64_t keys, elements, mix, shallow, inexact;
} dump_tally;

static int dt_key_begin(void *ctx, const rdb_key *k) {
    (void)ctx, (void)k;
    return RDB_SKIP;
}

static int dt_container(void *ctx, const rdb_key *k, const rdb_container *c) {
    (void)k;
    if (c->shallow) ((dump_tally *)ctx)->shallow++;
    return RDB_SKIP;
}

static int dt_key_end(void *ctx, const rdb_key *k, const rdb_key_end *end) {
    dump_tally *t = ctx;
    (void)k;
    t->keys++;
    t->elements += end->elements;
    t->mix = t->mix * 1000003u + end->elements;
    t->inexact += !end->largest_exact;
    return RDB_CONTINUE;
}

static rdb_result parse_dump(const char *path, uint64_t shallow_max, dump_tally *t) {
    static const rdb_handlers h = {.on_key_begin = dt_key_begin, .on_container = dt_container,
                                   .on_key_end = dt_key_end};
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    rdb_options o = {.shallow_max = shallow_max};
    rdb_result res;
    memset(t, 0, sizeof *t);
    rdb_parse_fd(fileno(f), &h, t, &o, &res);
    fclose(f);
    return res;
}

/* Dumps real servers wrote, LZF-compressed listpacks, quicklists and
 * ziplists among them: the shallow parse ends where the full walk ends,
 * with the same checksum verdict and the same element count for every key,
 * and it did skip blobs. (cmd_report redoes a report walking everything when
 * a shallow run fails or mismatches its checksum; this keeps that fallback
 * from hiding a shallow path that always fails.) */
Test(shallow, real_dumps_end_like_the_full_walk) {
    static const char *const dumps[] = {
        "tests/fixtures/corpus/redis-2.8.24/main.rdb",
        "tests/fixtures/corpus/redis-3.2.13/main.rdb",
        "tests/fixtures/corpus/redis-6.2.16/main.rdb",
        "tests/fixtures/corpus/redis-7.0.15/main.rdb",
        "tests/fixtures/corpus/redis-7.0.15/listcompress.rdb",
        "tests/fixtures/corpus/redis-7.4.1/main.rdb",
        "tests/fixtures/corpus/valkey-8.0.1/main.rdb",
        "tests/fixtures/sample.rdb",
    };
    for (size_t i = 0; i < sizeof dumps / sizeof dumps[0]; i++) {
        dump_tally full, shallow;
        rdb_result rf = parse_dump(dumps[i], 0, &full);
        rdb_result rs = parse_dump(dumps[i], 8192, &shallow);
        cr_assert_eq(rf.error.code, RDB_OK, "%s: %s", dumps[i], rf.error.message);
        cr_assert_eq(rs.error.code, RDB_OK, "%s: %s", dumps[i], rs.error.message);
        cr_assert_eq(rs.bytes_read, rf.bytes_read, "%s", dumps[i]);
        cr_assert_eq(rs.have_trailer, rf.have_trailer, "%s", dumps[i]);
        cr_assert_eq(rs.trailer.checksum, rf.trailer.checksum, "%s", dumps[i]);
        cr_assert_neq(rs.trailer.checksum, RDB_CHECKSUM_MISMATCH, "%s", dumps[i]);
        cr_assert_eq(shallow.keys, full.keys, "%s", dumps[i]);
        cr_assert_eq(shallow.elements, full.elements, "%s", dumps[i]);
        cr_assert_eq(shallow.mix, full.mix, "%s: per-key element counts differ", dumps[i]);
        cr_assert_eq(full.shallow, 0, "%s", dumps[i]);
        cr_assert_eq(full.inexact, 0, "%s", dumps[i]);
        cr_assert_gt(shallow.shallow, 0, "%s: no blob was skipped", dumps[i]);
        cr_assert_gt(shallow.inexact, 0, "%s", dumps[i]);
    }
}
