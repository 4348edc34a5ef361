/* test_piecewise.c: blobs too long to hold, walked in pieces (rdb/piecewise.c):
 * listpacks, ziplists, intsets and zipmaps of a few MB, stored raw and
 * LZF-compressed (by liblzf), through a file and a pipe. Every element
 * must arrive, in order and byte for byte, with the key's exact count and
 * largest; the container says it was streamed; RDB_SKIP stops the element
 * events unless rdb_options.streamed_elements asks for them; and damaged
 * blobs fail with the blob's offset. */
#include <criterion/criterion.h>
#include <lzf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdb/rdb.h"
#include "tests/support/rdbbuild.h"

/* ---- the items ------------------------------------------------------------ */

typedef struct item { bool is_int; int64_t v; size_t len; uint8_t *s; } item;

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

/* n items: text of 0..300 bytes (compressible: few distinct bytes), a few
 * of 150 KiB (longer than what a fill produces past its need), and
 * integers when allowed. */
static item *make_items(size_t n, bool ints) {
    item *it = calloc(n, sizeof *it);
    for (size_t i = 0; i < n; i++) {
        if (ints && next() % 4 == 0) {
            it[i].is_int = true;
            it[i].v = (int64_t)(next() % 2000001) - 1000000;
            continue;
        }
        size_t len = i % 997 == 500 ? 150000 + (size_t)(next() % 1000) : (size_t)(next() % 301);
        it[i].len = len;
        it[i].s = malloc(len ? len : 1);
        for (size_t k = 0; k < len; k++) it[i].s[k] = (uint8_t)('a' + next() % 4);
    }
    return it;
}

static void free_items(item *it, size_t n) {
    for (size_t i = 0; i < n; i++) free(it[i].s);
    free(it);
}

static size_t text_len(int64_t v) { char b[24]; return (size_t)snprintf(b, sizeof b, "%lld", (long long)v); }

/* ---- blobs ------------------------------------------------------------------ */

static void put_le(rb *b, uint64_t v, int n) { for (int i = 0; i < n; i++) rb_u8(b, (uint8_t)(v >> (8 * i))); }

static void lp_backlen(rb *b, uint64_t l) {
    int n = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    for (int i = 0; i < n; i++) {
        uint8_t x = (uint8_t)((l >> (7 * (n - 1 - i))) & 127);
        rb_u8(b, i == 0 ? x : (uint8_t)(x | 128));
    }
}

static void listpack(rb *b, const item *it, size_t n) {
    size_t start = b->len;
    put_le(b, 0, 4);
    put_le(b, n < 65535 ? n : 65535, 2);
    for (size_t i = 0; i < n; i++) {
        size_t e0 = b->len;
        if (it[i].is_int) {
            rb_u8(b, 0xF4);
            put_le(b, (uint64_t)it[i].v, 8);
        } else if (it[i].len < 64) {
            rb_u8(b, (uint8_t)(0x80 | it[i].len));
            rb_bytes(b, it[i].s, it[i].len);
        } else if (it[i].len < 4096) {
            rb_u8(b, (uint8_t)(0xE0 | (it[i].len >> 8)));
            rb_u8(b, (uint8_t)it[i].len);
            rb_bytes(b, it[i].s, it[i].len);
        } else {
            rb_u8(b, 0xF0);
            put_le(b, it[i].len, 4);
            rb_bytes(b, it[i].s, it[i].len);
        }
        lp_backlen(b, b->len - e0);
    }
    rb_u8(b, 0xFF);
    uint64_t total = b->len - start;
    for (int i = 0; i < 4; i++) b->p[start + i] = (uint8_t)(total >> (8 * i));
}

static void ziplist(rb *b, const item *it, size_t n) {
    size_t start = b->len, prev = 0, tail = 10;
    put_le(b, 0, 8);
    put_le(b, 0, 2);
    for (size_t i = 0; i < n; i++) {
        size_t e0 = b->len;
        tail = e0 - start;
        if (prev < 254) rb_u8(b, (uint8_t)prev);
        else { rb_u8(b, 0xFE); put_le(b, prev, 4); }
        if (it[i].is_int) {
            rb_u8(b, 0xE0);
            put_le(b, (uint64_t)it[i].v, 8);
        } else if (it[i].len < 64) {
            rb_u8(b, (uint8_t)it[i].len);
            rb_bytes(b, it[i].s, it[i].len);
        } else if (it[i].len < 16384) {
            rb_u8(b, (uint8_t)(0x40 | (it[i].len >> 8)));
            rb_u8(b, (uint8_t)it[i].len);
            rb_bytes(b, it[i].s, it[i].len);
        } else {
            rb_u8(b, 0x80);
            for (int k = 3; k >= 0; k--) rb_u8(b, (uint8_t)(it[i].len >> (8 * k)));
            rb_bytes(b, it[i].s, it[i].len);
        }
        prev = b->len - e0;
    }
    rb_u8(b, 0xFF);
    uint64_t total = b->len - start;
    for (int i = 0; i < 4; i++) b->p[start + i] = (uint8_t)(total >> (8 * i));
    for (int i = 0; i < 4; i++) b->p[start + 4 + i] = (uint8_t)(tail >> (8 * i));
    b->p[start + 8] = (uint8_t)(n < 65535 ? n : 65535);
    b->p[start + 9] = (uint8_t)((n < 65535 ? n : 65535) >> 8);
}

/* members v0 < v1 < ... (8 bytes each) */
static void intset(rb *b, const item *it, size_t n) {
    put_le(b, 8, 4);
    put_le(b, n, 4);
    for (size_t i = 0; i < n; i++) put_le(b, (uint64_t)it[i].v, 8);
}

static void zm_len(rb *b, size_t l) {
    if (l < 254) rb_u8(b, (uint8_t)l);
    else { rb_u8(b, 0xFE); put_le(b, l, 4); }
}

/* pairs it[2i], it[2i+1], each value followed by 0..3 free bytes */
static void zipmap(rb *b, const item *it, size_t n) {
    rb_u8(b, 254);
    for (size_t i = 0; i + 1 < n; i += 2) {
        zm_len(b, it[i].len);
        rb_bytes(b, it[i].s, it[i].len);
        zm_len(b, it[i + 1].len);
        uint8_t fr = (uint8_t)(i % 4);
        rb_u8(b, fr);
        rb_bytes(b, it[i + 1].s, it[i + 1].len);
        for (uint8_t k = 0; k < fr; k++) rb_u8(b, 'z');
    }
    rb_u8(b, 0xFF);
}

/* The blob as an RDB string: raw, or LZF-compressed by liblzf. */
static void rdb_blob(rb *out, const rb *blob, bool lzf) {
    if (!lzf) {
        rb_raw_str(out, blob->p, blob->len);
        return;
    }
    size_t cap = blob->len + blob->len / 16 + 64;
    uint8_t *c = malloc(cap);
    unsigned clen = lzf_compress(blob->p, (unsigned)blob->len, c, (unsigned)cap);
    cr_assert_gt(clen, 0, "liblzf could not compress the test blob");
    rb_u8(out, 0xC3);
    rb_len(out, clen);
    rb_len(out, blob->len);
    rb_bytes(out, c, clen);
    free(c);
}

/* ---- the consumer ------------------------------------------------------------ */

typedef struct rec {
    int begin_rc;
    uint64_t entries, hash, elements, largest, containers;
    bool largest_exact, streamed, ptr_null;
    uint32_t ct_entries;
} rec;

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

static uint64_t hash_item(uint64_t h, const rdb_item *x) {
    if (x->is_int) return fnv(h, &x->ival, sizeof x->ival);
    return fnv(fnv(h, &x->len, sizeof x->len), x->ptr, x->len);
}

static int r_begin(void *ctx, const rdb_key *k) { (void)k; return ((rec *)ctx)->begin_rc; }
static int r_entry(void *ctx, const rdb_key *k, const rdb_entry *e) {
    rec *r = ctx;
    r->entries++;
    r->hash = hash_item(r->hash, &e->member);
    if (k->kind == RDB_KIND_HASH) r->hash = hash_item(r->hash, &e->value);
    return RDB_CONTINUE;
}
static int r_container(void *ctx, const rdb_key *k, const rdb_container *c) {
    rec *r = ctx;
    (void)k;
    r->containers++;
    r->streamed = c->streamed;
    r->ptr_null = c->blob.ptr == NULL;
    r->ct_entries = c->entries;
    return RDB_CONTINUE;
}
static int r_end(void *ctx, const rdb_key *k, const rdb_key_end *e) {
    rec *r = ctx;
    (void)k;
    r->elements = e->elements;
    r->largest = e->largest;
    r->largest_exact = e->largest_exact;
    return RDB_CONTINUE;
}
static const rdb_handlers H = {.on_key_begin = r_begin, .on_entry = r_entry,
                               .on_container = r_container, .on_key_end = r_end};

static uint64_t expect_hash(const item *it, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        rdb_item x = {.ptr = it[i].s, .len = it[i].is_int ? text_len(it[i].v) : it[i].len,
                      .is_int = it[i].is_int, .ival = it[i].v};
        h = hash_item(h, &x);
    }
    return h;
}

static uint64_t expect_largest(const item *it, size_t n) {
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t l = it[i].is_int ? text_len(it[i].v) : it[i].len;
        if (l > m) m = l;
    }
    return m;
}

typedef enum { K_QUICKLIST, K_LP_HASH, K_ZL_LIST, K_ZL_HASH, K_INTSET, K_ZIPMAP } kind;

/* One key of kind k holding the items, in a dump; parsed with begin_rc and
 * streamed_elements; the record of what arrived. */
static rec run(kind k, const item *it, size_t n, bool lzf, int begin_rc, bool streamed_elements,
               bool pipe) {
    rb blob = {0}, f = {0};
    static const uint8_t type[] = {18, 16, 10, 13, 11, 9};
    switch (k) {
    case K_QUICKLIST: case K_LP_HASH: listpack(&blob, it, n); break;
    case K_ZL_LIST: case K_ZL_HASH: ziplist(&blob, it, n); break;
    case K_INTSET: intset(&blob, it, n); break;
    case K_ZIPMAP: zipmap(&blob, it, n); break;
    }
    cr_assert_gt(blob.len, 1u << 20, "the test blob must be longer than 1 MiB");
    rb_magic(&f, "REDIS0011");
    rb_u8(&f, 0xFE);
    rb_u8(&f, 0);
    rb_u8(&f, type[k]);
    rb_str(&f, "big");
    if (k == K_QUICKLIST) {
        rb_len(&f, 1);   /* one node */
        rb_len(&f, 2);   /* PACKED */
    }
    rdb_blob(&f, &blob, lzf);
    rb_finish(&f);
    rec r = {.begin_rc = begin_rc, .hash = 1469598103934665603ULL};
    rdb_result res;
    rdb_options opt = {.streamed_elements = streamed_elements};
    rdb_status st;
    if (pipe) {
        st = rb_parse_stream(f.p, f.len, &H, &r, &res);
    } else {
        int fd = rb_memfd(f.p, f.len);
        opt.input_size = f.len;
        st = rdb_parse_fd(fd, &H, &r, &opt, &res);
        close(fd);
    }
    cr_assert_eq(st, RDB_OK, "%s", res.error.message);
    rb_free(&blob);
    rb_free(&f);
    return r;
}

static void expect_walk(kind k, size_t n, bool ints, bool pairs) {
    item *it;
    if (k == K_INTSET) {
        it = calloc(n, sizeof *it);
        for (size_t i = 0; i < n; i++) it[i] = (item){.is_int = true, .v = (int64_t)(i * 7919) - 1000000};
    } else {
        it = make_items(n, ints);
    }
    uint64_t h = expect_hash(it, n), largest = expect_largest(it, n);
    uint64_t elements = pairs ? n / 2 : n;
    for (int lzf = 0; lzf < 2; lzf++) {
        rec r = run(k, it, n, lzf, RDB_CONTINUE, false, false);
        cr_assert_eq(r.entries, elements, "kind %d lzf %d: entries", k, lzf);
        cr_assert_eq(r.hash, h, "kind %d lzf %d: the elements differ", k, lzf);
        cr_assert_eq(r.elements, elements);
        cr_assert_eq(r.largest, largest, "kind %d lzf %d: largest %llu", k, lzf, (unsigned long long)r.largest);
        cr_assert(r.largest_exact);
        cr_assert(r.streamed && r.ptr_null, "kind %d lzf %d: the container says it was streamed", k, lzf);
        cr_assert_eq(r.ct_entries, (uint32_t)n);
        /* RDB_SKIP: no element events, unless asked for; the same summary */
        rec s = run(k, it, n, lzf, RDB_SKIP, false, false);
        cr_assert_eq(s.entries, 0);
        cr_assert_eq(s.largest, largest);
        cr_assert_eq(s.elements, elements);
        rec t = run(k, it, n, lzf, RDB_SKIP, true, false);
        cr_assert_eq(t.entries, elements, "streamed_elements delivers them after RDB_SKIP");
        cr_assert_eq(t.hash, h);
    }
    rec p = run(k, it, n, true, RDB_CONTINUE, false, true);   /* from a pipe */
    cr_assert_eq(p.hash, h);
    cr_assert_eq(p.largest, largest);
    free_items(it, n);
}

Test(piecewise, quicklist_listpack_node) { expect_walk(K_QUICKLIST, 30000, true, false); }
Test(piecewise, listpack_hash) { expect_walk(K_LP_HASH, 30000, true, true); }
Test(piecewise, ziplist_list) { expect_walk(K_ZL_LIST, 30000, true, false); }
Test(piecewise, ziplist_hash) { expect_walk(K_ZL_HASH, 30000, true, true); }
Test(piecewise, intset) { expect_walk(K_INTSET, 200000, true, false); }
Test(piecewise, zipmap) { expect_walk(K_ZIPMAP, 30000, false, true); }

/* ---- damaged blobs ----------------------------------------------------------- */

/* A dump with one listpack set member blob given as 'str' (an RDB string). */
static rdb_status parse_blob_string(const rb *str, rdb_result *res) {
    rb f = {0};
    rb_magic(&f, "REDIS0011");
    rb_u8(&f, 0xFE);
    rb_u8(&f, 0);
    rb_u8(&f, 20);   /* RDB_TYPE_SET_LISTPACK */
    rb_str(&f, "big");
    rb_bytes(&f, str->p, str->len);
    rb_finish(&f);
    rec r = {.begin_rc = RDB_CONTINUE};
    rdb_status st = rb_parse(f.p, f.len, &H, &r, res);
    rb_free(&f);
    return st;
}

Test(piecewise, damaged_blobs_fail_with_the_blob_offset) {
    size_t n = 20000;
    item *it = make_items(n, false);
    rb blob = {0};
    listpack(&blob, it, n);
    const uint64_t at = 9 + 2 + 1 + 4;   /* magic, SELECTDB 0, type, "big" */
    rdb_result res;

    /* raw, the terminator overwritten: found when the walk gets there */
    rb s = {0};
    blob.p[blob.len - 1] = 0x01;
    rb_raw_str(&s, blob.p, blob.len);
    cr_assert_eq(parse_blob_string(&s, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "does not end with 0xFF"), "%s", res.error.message);
    rb_free(&s);
    blob.p[blob.len - 1] = 0xFF;

    /* a count in the header the entries do not match */
    blob.p[4] = (uint8_t)(n - 1), blob.p[5] = (uint8_t)((n - 1) >> 8);
    rb_raw_str(&s, blob.p, blob.len);
    cr_assert_eq(parse_blob_string(&s, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "count does not match"), "%s", res.error.message);
    rb_free(&s);
    blob.p[4] = (uint8_t)n, blob.p[5] = (uint8_t)(n >> 8);

    /* LZF holding all but the terminator, and claiming it: the stream ends
     * before the walk does */
    size_t cap = blob.len + blob.len / 16 + 64;
    uint8_t *c = malloc(cap);
    unsigned clen = lzf_compress(blob.p, (unsigned)blob.len - 1, c, (unsigned)cap);
    rb_u8(&s, 0xC3);
    rb_len(&s, clen);
    rb_len(&s, blob.len);
    rb_bytes(&s, c, clen);
    cr_assert_eq(parse_blob_string(&s, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "does not decompress"), "%s", res.error.message);
    cr_assert_eq(res.error.offset, at, "offset %llu", (unsigned long long)res.error.offset);
    rb_free(&s);
    clen = lzf_compress(blob.p, (unsigned)blob.len, c, (unsigned)cap);
    /* LZF with an instruction after the whole blob */
    rb_u8(&s, 0xC3);
    rb_len(&s, clen + 2);
    rb_len(&s, blob.len);
    rb_bytes(&s, c, clen);
    rb_u8(&s, 0x00);
    rb_u8(&s, 'x');
    cr_assert_eq(parse_blob_string(&s, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "does not decompress"), "%s", res.error.message);
    rb_free(&s);

    /* LZF cut short in the file: truncated */
    rb_u8(&s, 0xC3);
    rb_len(&s, clen);
    rb_len(&s, blob.len);
    rb_bytes(&s, c, clen / 2);
    {
        rb f = {0};
        rb_magic(&f, "REDIS0011");
        rb_u8(&f, 0xFE);
        rb_u8(&f, 0);
        rb_u8(&f, 20);
        rb_str(&f, "big");
        rb_bytes(&f, s.p, s.len);
        rec r = {.begin_rc = RDB_CONTINUE};
        cr_assert_eq(rb_parse(f.p, f.len, &H, &r, &res), RDB_ERR_TRUNCATED, "%s", res.error.message);
        rb_free(&f);
    }
    rb_free(&s);
    free(c);
    rb_free(&blob);
    free_items(it, n);
}
