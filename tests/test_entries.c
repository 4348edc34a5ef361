/* test_entries.c: element events in batches (rdb_handlers.on_entries).
 * A consumer that takes them n at a time sees exactly the elements, in the
 * order and with the bytes, that one taking them one at a time sees: over
 * a dump of several MiB of plain sets, hashes, sorted sets and lists (short and
 * long elements, integers, LZF strings), read mapped and read in 1 MiB
 * blocks that slide under the batch; RDB_SKIP ends a key's events at the
 * batch; a NaN score is an error after exactly the elements before it. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdb/crc64.h"
#include "rdb/rdb.h"
#include "source/source.h"
#include "tests/support/rdbbuild.h"

/* Every element as text, one line each, with its key. */
typedef struct evlist {
    char *p;
    size_t len, cap;
    size_t calls, batches_full, largest_batch;
    int skip_after;        /* > 0: answer RDB_SKIP once this many came for a key */
    size_t key_entries;
} evlist;

static void put(evlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(evlist *l, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cr_assert(n > 0 && (size_t)n < sizeof buf);
    if (l->len + (size_t)n + 1 > l->cap) {
        l->cap = (l->cap + (size_t)n + 1) * 2;
        l->p = realloc(l->p, l->cap);
    }
    memcpy(l->p + l->len, buf, (size_t)n + 1);
    l->len += (size_t)n;
}

static void put_item(evlist *l, const rdb_item *it) {
    if (it->is_int) put(l, " i%lld/%zu", (long long)it->ival, it->len);
    else put(l, " s%.*s/%zu", (int)it->len, it->ptr ? (const char *)it->ptr : "", it->len);
}

static int one(void *ctx, const rdb_key *k, const rdb_entry *e) {
    evlist *l = ctx;
    put(l, "%.*s:", (int)k->name_len, (const char *)k->name);
    put_item(l, &e->member);
    if (k->kind == RDB_KIND_HASH) put_item(l, &e->value);
    if (k->kind == RDB_KIND_ZSET) put(l, " %.17g", e->score);
    put(l, "\n");
    l->key_entries++;
    return l->skip_after && l->key_entries >= (size_t)l->skip_after ? RDB_SKIP : RDB_CONTINUE;
}

static int many(void *ctx, const rdb_key *k, const rdb_entry *e, size_t n) {
    evlist *l = ctx;
    cr_assert(n >= 1 && n <= RDB_ENTRY_BATCH, "%zu", n);
    l->calls++;
    if (n == RDB_ENTRY_BATCH) l->batches_full++;
    if (n > l->largest_batch) l->largest_batch = n;
    int rc = RDB_CONTINUE;
    for (size_t i = 0; i < n; i++) rc = one(ctx, k, &e[i]);
    return rc;
}

static int key_begin(void *ctx, const rdb_key *k) {
    (void)k;
    ((evlist *)ctx)->key_entries = 0;
    return RDB_CONTINUE;
}

static int key_end(void *ctx, const rdb_key *k, const rdb_key_end *end) {
    put(ctx, "%.*s end %llu\n", (int)k->name_len, (const char *)k->name,
        (unsigned long long)end->elements);
    return RDB_CONTINUE;
}

static const rdb_handlers ONE = {.on_key_begin = key_begin, .on_entry = one, .on_key_end = key_end};
static const rdb_handlers MANY = {.on_key_begin = key_begin, .on_entry = one, .on_entries = many,
                                  .on_key_end = key_end};

/* A string of length n (bytes from seed), or an integer encoding. */
static void element(rb *b, uint64_t i) {
    if (i % 5 == 1) {                    /* int8 / int16 / int32 encodings */
        static const uint8_t w[3] = {1, 2, 4};
        unsigned k = (unsigned)(i / 5 % 3);
        rb_u8(b, (uint8_t)(0xC0 + k));
        uint32_t v = (uint32_t)(i * 2654435761u);
        rb_bytes(b, &v, w[k]);
        return;
    }
    char s[300];
    size_t n = i % 97 == 0 ? 200 + i % 90 : 1 + i * 7 % 60;   /* a few not short */
    for (size_t j = 0; j < n; j++) s[j] = (char)('a' + (i + j) % 26);
    rb_raw_str(b, s, n);
}

/* Sets, hashes, zsets and lists as plain collections, several MiB in all. */
static void build(rb *b, double nan_at_zset_element) {
    rb_magic(b, "REDIS0009");
    rb_u8(b, 0xfe);
    rb_len(b, 0);
    uint64_t i = 0;
    for (int key = 0; key < 30; key++) {
        char name[32];
        uint64_t n = 1000 + (uint64_t)key * 1777 % 9000;
        switch (key % 4) {
        case 0:
            rb_u8(b, 2);                   /* RDB_TYPE_SET */
            snprintf(name, sizeof name, "set:%d", key);
            rb_str(b, name);
            rb_len(b, n);
            for (uint64_t j = 0; j < n; j++) element(b, i++);
            break;
        case 1:
            rb_u8(b, 4);                   /* RDB_TYPE_HASH */
            snprintf(name, sizeof name, "hash:%d", key);
            rb_str(b, name);
            rb_len(b, n);
            for (uint64_t j = 0; j < n; j++) {
                element(b, i++);
                element(b, i++);
            }
            break;
        case 3:
            rb_u8(b, 1);                   /* RDB_TYPE_LIST (before quicklists) */
            snprintf(name, sizeof name, "list:%d", key);
            rb_str(b, name);
            rb_len(b, n);
            for (uint64_t j = 0; j < n; j++) element(b, i++);
            break;
        default:
            rb_u8(b, 5);                   /* RDB_TYPE_ZSET_2 */
            snprintf(name, sizeof name, "zset:%d", key);
            rb_str(b, name);
            rb_len(b, n);
            for (uint64_t j = 0; j < n; j++) {
                element(b, i++);
                double d = key == 2 && (double)j == nan_at_zset_element ? nan("") : (double)j / 3;
                uint64_t bits;
                memcpy(&bits, &d, sizeof bits);
                rb_u64le(b, bits);
            }
        }
    }
    rb_finish(b);
}

/* Parses buf with h, mapped (map) or from a memfd in blocks. */
static rdb_status run(const rb *b, bool map, const rdb_handlers *h, evlist *l, rdb_result *res) {
    if (!map) return rb_parse(b->p, b->len, h, l, res);
    int fd = rb_memfd(b->p, b->len);
    rdb_source *s = source_mmap_open(fd, b->len);
    cr_assert_not_null(s);
    rdb_status st = rdb_parse(s, h, l, NULL, res);
    source_close(s);
    close(fd);
    return st;
}

Test(entries, batches_are_the_elements_one_at_a_time) {
    rb b = {0};
    build(&b, -1);
    cr_assert_gt(b.len, 3u << 20, "%zu bytes: more than a few blocks", b.len);
    for (int map = 0; map < 2; map++) {
        evlist a = {0}, c = {0};
        rdb_result ra, rc;
        cr_assert_eq(run(&b, map, &ONE, &a, &ra), RDB_OK, "%s", ra.error.message);
        cr_assert_eq(run(&b, map, &MANY, &c, &rc), RDB_OK, "%s", rc.error.message);
        cr_assert_eq(rc.keys, 30);
        cr_assert_eq(a.len, c.len, "map %d: %zu vs %zu bytes of evlist", map, a.len, c.len);
        cr_assert(memcmp(a.p, c.p, a.len) == 0, "map %d: the batched elements differ", map);
        /* and it did batch: full batches, and short ones where a long
         * element or a key's end cut them */
        cr_assert_gt(c.batches_full, 1000, "%zu", c.batches_full);
        cr_assert_eq(c.largest_batch, RDB_ENTRY_BATCH);
        cr_assert_gt(c.calls, c.batches_full);
        free(a.p);
        free(c.p);
    }
    rb_free(&b);
}

Test(entries, skip_ends_the_key_at_its_batch) {
    rb b = {0};
    build(&b, -1);
    evlist c = {.skip_after = 1};
    rdb_result res;
    cr_assert_eq(run(&b, true, &MANY, &c, &res), RDB_OK, "%s", res.error.message);
    /* a key's events end at the batch (or single element) that answered
     * RDB_SKIP: at most a batch of each key, at least one element; the
     * key's count is still all of its elements */
    cr_assert_leq(c.calls, 30);
    cr_assert_not_null(strstr(c.p, "\nset:0 end 1000\n"));
    for (int key = 0; key < 30; key++) {
        static const char *const kinds[4] = {"set", "hash", "zset", "list"};
        char name[40];
        snprintf(name, sizeof name, "\n%s:%d:", kinds[key % 4], key);
        size_t lines = 0;
        for (const char *q = c.p; (q = strstr(q, name)); q++) lines++;
        if (key == 0) lines += strncmp(c.p, name + 1, strlen(name + 1)) == 0;
        cr_assert(lines >= 1 && lines <= RDB_ENTRY_BATCH, "%s %zu elements after RDB_SKIP", name + 1, lines);
    }
    free(c.p);
    rb_free(&b);
}

Test(entries, nan_score_after_exactly_the_elements_before_it) {
    rb b = {0};
    build(&b, 45);                       /* zset:2's 46th element */
    for (int map = 0; map < 2; map++) {
        evlist a = {0}, c = {0};
        rdb_result ra, rc;
        cr_assert_eq(run(&b, map, &ONE, &a, &ra), RDB_ERR_FORMAT);
        cr_assert_eq(run(&b, map, &MANY, &c, &rc), RDB_ERR_FORMAT);
        cr_assert_not_null(strstr(rc.error.message, "NaN"), "%s", rc.error.message);
        cr_assert_eq(ra.error.offset, rc.error.offset);
        cr_assert_eq(a.len, c.len);
        cr_assert(memcmp(a.p, c.p, a.len) == 0);
        size_t zset2 = 0;
        for (const char *q = c.p; (q = strstr(q, "zset:2:")); q++) zset2++;
        cr_assert_eq(zset2, 45);
        free(a.p);
        free(c.p);
    }
    rb_free(&b);
}
