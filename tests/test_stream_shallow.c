/* test_stream_shallow.c: shallow delivery of stream nodes (rdb.h, under
 * rdb_container): a node's entry count from its master entry, its walk
 * skipped at the consumer's word while the key's consumer groups still come,
 * largest no longer exact, and the checks an unwalked node still gets. */
#include <criterion/criterion.h>
#include <lzf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdb/rdb.h"
#include "tests/support/rdbbuild.h"

/* ---- a stream node's listpack ------------------------------------------- */

typedef struct lp {
    uint8_t b[1024];
    size_t n;
} lp;

static void lp_int(lp *l, unsigned v) {   /* 7-bit unsigned */
    cr_assert_lt(v, 128u);
    l->b[l->n++] = (uint8_t)v;
    l->b[l->n++] = 1;
}

static void lp_str(lp *l, const char *s) {   /* shorter than 64 bytes */
    size_t len = strlen(s);
    l->b[l->n++] = (uint8_t)(0x80 | len);
    memcpy(l->b + l->n, s, len);
    l->n += len;
    l->b[l->n++] = (uint8_t)(1 + len);
}

static void lp_close(lp *l, unsigned elements) {
    l->b[l->n++] = 0xFF;
    uint32_t total = (uint32_t)l->n;
    for (int i = 0; i < 4; i++) l->b[i] = (uint8_t)(total >> (8 * i));
    l->b[4] = (uint8_t)elements, l->b[5] = (uint8_t)(elements >> 8);
}

/* A node of 'live' entries with the master's fields (a, b), the first
 * 'dead' of them deleted; 'count' is what the master entry claims. Entry i
 * has values "v<i>" and a value of 'longest' bytes in its last entry. */
static void node(lp *l, unsigned live, unsigned dead, unsigned count, size_t longest) {
    l->n = 6;
    unsigned elements = 0;
    lp_int(l, count), lp_int(l, dead), lp_int(l, 2);
    lp_str(l, "a"), lp_str(l, "b"), lp_int(l, 0);
    elements += 6;
    for (unsigned i = 0; i < live + dead; i++) {
        lp_int(l, 2 | (i < dead ? 1 : 0));    /* SAMEFIELDS, DELETED */
        lp_int(l, i), lp_int(l, 0);           /* ms, seq deltas */
        char v[64];
        snprintf(v, sizeof v, "v%u", i);
        lp_str(l, v);
        if (i + 1 == live + dead) {
            memset(v, 'x', longest);
            v[longest] = 0;
        }
        lp_str(l, v);
        lp_int(l, 3 + 2);                     /* lp-count: 3 + fields */
        elements += 6;
    }
    lp_close(l, elements);
}

static void rb_id(rb *b, uint64_t ms, uint64_t seq) {
    uint8_t x[16];
    for (int i = 0; i < 8; i++) {
        x[i] = (uint8_t)(ms >> (56 - 8 * i));
        x[8 + i] = (uint8_t)(seq >> (56 - 8 * i));
    }
    rb_bytes(b, x, 16);
}

static bool lzf_nodes;   /* stream_dump writes the node listpacks LZF-compressed */

static void rb_node(rb *b, const lp *l) {
    if (!lzf_nodes) {
        rb_raw_str(b, l->b, l->n);
        return;
    }
    uint8_t out[2048];
    unsigned c = lzf_compress(l->b, (unsigned)l->n, out, sizeof out);
    cr_assert(c > 0, "test node does not compress");
    rb_u8(b, 0xC3);
    rb_len(b, c);
    rb_len(b, l->n);
    rb_bytes(b, out, c);
}

/* A stream key (type 19) of the given nodes, one group with a 2-entry PEL
 * and one consumer owning both. */
static void stream_dump(rb *b, const lp *nodes, size_t nnodes, uint64_t length) {
    rb_magic(b, "REDIS0010");
    rb_u8(b, 19);
    rb_str(b, "s");
    rb_len(b, nnodes);
    for (size_t i = 0; i < nnodes; i++) {
        uint8_t key[16] = {0};
        key[7] = (uint8_t)(i * 100);            /* master ID ms, big-endian */
        rb_raw_str(b, key, 16);
        rb_node(b, &nodes[i]);
    }
    rb_len(b, length);
    rb_len(b, 500), rb_len(b, 0);               /* last id */
    rb_len(b, 0), rb_len(b, 0);                 /* first id */
    rb_len(b, 0), rb_len(b, 0);                 /* max deleted id */
    rb_len(b, length);                          /* entries added */
    rb_len(b, 1);                               /* groups */
    rb_str(b, "g");
    rb_len(b, 500), rb_len(b, 0);               /* last delivered */
    rb_len(b, 2);                               /* entries read */
    rb_len(b, 2);                               /* PEL */
    for (unsigned i = 0; i < 2; i++) {
        rb_id(b, 1 + i, 0);
        rb_u64le(b, 1000);
        rb_len(b, 1);
    }
    rb_len(b, 1);                               /* consumers */
    rb_str(b, "c");
    rb_u64le(b, 1000);
    rb_len(b, 2);
    rb_id(b, 1, 0), rb_id(b, 2, 0);
    rb_finish(b);
}

/* ---- what the parser delivers -------------------------------------------- */

typedef struct tally {
    int container_rc;        /* the answer to a shallow node */
    unsigned shallow, walked, shallow_entries, walked_entries;
    unsigned shallow_null;   /* shallow nodes delivered without their bytes */
    unsigned stream_entries, entries, pel, consumer_pel;
    rdb_key_end end;
} tally;

static int t_container(void *c, const rdb_key *k, const rdb_container *ct) {
    tally *t = c;
    (void)k;
    cr_assert_eq(ct->kind, RDB_CT_STREAM_NODE);
    if (ct->shallow) {
        t->shallow++;
        t->shallow_entries += (unsigned)ct->entries;
        t->shallow_null += ct->blob.ptr == NULL;
        return t->container_rc;
    }
    t->walked++;
    t->walked_entries += (unsigned)ct->entries;
    return RDB_CONTINUE;
}
static int t_stream_entry(void *c, const rdb_key *k, const rdb_stream_entry *e) {
    (void)k, (void)e;
    ((tally *)c)->stream_entries++;
    return RDB_CONTINUE;
}
static int t_entry(void *c, const rdb_key *k, const rdb_entry *e) {
    (void)k, (void)e;
    ((tally *)c)->entries++;
    return RDB_CONTINUE;
}
static int t_pel(void *c, const rdb_key *k, const rdb_stream_pel *p) {
    (void)k, (void)p;
    ((tally *)c)->pel++;
    return RDB_CONTINUE;
}
static int t_consumer_pel(void *c, const rdb_key *k, const rdb_stream_id *id) {
    (void)k, (void)id;
    ((tally *)c)->consumer_pel++;
    return RDB_CONTINUE;
}
static int t_end(void *c, const rdb_key *k, const rdb_key_end *e) {
    (void)k;
    ((tally *)c)->end = *e;
    return RDB_CONTINUE;
}
static const rdb_handlers H = {.on_container = t_container, .on_stream_entry = t_stream_entry,
                               .on_entry = t_entry, .on_stream_pel = t_pel,
                               .on_stream_consumer_pel = t_consumer_pel, .on_key_end = t_end};

static rdb_status parse(rb *b, uint64_t shallow_max, tally *t, rdb_result *res) {
    int fd = rb_memfd(b->p, b->len);
    rdb_options opt = {.input_size = b->len, .shallow_max = shallow_max};
    rdb_status s = rdb_parse_fd(fd, &H, t, &opt, res);
    close(fd);
    return s;
}

static tally parse_ok(rb *b, uint64_t shallow_max, int container_rc) {
    tally t = {.container_rc = container_rc};
    rdb_result res;
    rdb_status s = parse(b, shallow_max, &t, &res);
    cr_assert_eq(s, RDB_OK, "%s at %llu", res.error.message, (unsigned long long)res.error.offset);
    cr_assert_eq(res.keys, 1);
    return t;
}

/* Two nodes: 3 live + 1 deleted, then 2 live; the longest value 40 bytes. */
static void two_nodes(rb *b, lp n[2]) {
    node(&n[0], 3, 1, 3, 40);
    node(&n[1], 2, 0, 2, 5);
    stream_dump(b, n, 2, 5);
}

/* ---- tests --------------------------------------------------------------- */

Test(stream_shallow, skipped_nodes_give_counts_and_keep_the_groups) {
    rb b = {0};
    lp n[2];
    two_nodes(&b, n);
    tally t = parse_ok(&b, 4096, RDB_SKIP);
    cr_assert_eq(t.shallow, 2);
    cr_assert_eq(t.walked, 0);
    cr_assert_eq(t.shallow_entries, 4 + 2, "entries: live + deleted from the master entries");
    cr_assert_eq(t.stream_entries, 0);
    cr_assert_eq(t.entries, 0);
    /* RDB_SKIP to a node is that node's: the group's events still come */
    cr_assert_eq(t.pel, 2);
    cr_assert_eq(t.consumer_pel, 2);
    cr_assert_eq(t.end.elements, 5);
    cr_assert_eq(t.end.containers, 2);
    cr_assert(!t.end.largest_exact);
    cr_assert_geq(t.end.largest_bound, 40);
    cr_assert_eq(t.end.largest_bound, n[0].n, "the bound is the longest unwalked node");
    rb_free(&b);
}

Test(stream_shallow, continue_walks_the_node_and_delivers_it_again) {
    rb b = {0};
    lp n[2];
    two_nodes(&b, n);
    tally t = parse_ok(&b, 4096, RDB_CONTINUE);
    cr_assert_eq(t.shallow, 2);
    cr_assert_eq(t.walked, 2);
    cr_assert_eq(t.shallow_entries, t.walked_entries);
    cr_assert_eq(t.stream_entries, 6);
    cr_assert_eq(t.entries, 6 * 2, "one event per field/value pair");
    cr_assert(t.end.largest_exact);
    cr_assert_eq(t.end.largest, 40);
    cr_assert_eq(t.end.containers, 2);
    rb_free(&b);
}

Test(stream_shallow, not_without_the_option_nor_past_its_length) {
    rb b = {0};
    lp n[2];
    two_nodes(&b, n);
    tally t = parse_ok(&b, 0, RDB_SKIP);
    cr_assert_eq(t.shallow, 0);
    cr_assert_eq(t.walked, 2);
    cr_assert(t.end.largest_exact);
    cr_assert_eq(t.end.largest, 40);
    /* the first node is longer than the limit, the second is not */
    cr_assert_gt(n[0].n, n[1].n);
    t = parse_ok(&b, n[1].n, RDB_SKIP);
    cr_assert_eq(t.shallow, 1);
    cr_assert_eq(t.walked, 1);
    cr_assert_eq(t.stream_entries, 4);
    cr_assert(!t.end.largest_exact);
    rb_free(&b);
}

/* An unwalked node still has its header and master counts checked; what
 * only a walk sees (the entries against the counts) passes unwalked, like a
 * shallow blob's entries, and the full walk that follows a failed shallow
 * report (cmd_report) catches it. */
Test(stream_shallow, corrupt_master_counts_and_header) {
    lp n[1];
    node(&n[0], 2, 0, 120, 5);   /* claims 120 entries in a 60-byte node */
    rb b = {0};
    stream_dump(&b, n, 1, 2);
    tally t = {.container_rc = RDB_SKIP};
    rdb_result res;
    cr_assert_eq(parse(&b, 4096, &t, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "master entry counts exceed what the listpack can hold"), "%s",
              res.error.message);
    rb_free(&b);

    node(&n[0], 2, 0, 3, 5);     /* claims 3 of 2: only a walk can tell */
    rb c = {0};
    stream_dump(&c, n, 1, 2);
    t = parse_ok(&c, 4096, RDB_SKIP);
    cr_assert_eq(t.shallow_entries, 3);
    t = (tally){.container_rc = RDB_SKIP};
    cr_assert_eq(parse(&c, 0, &t, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "master entry counts do not match the entries"), "%s",
              res.error.message);
    rb_free(&c);

    node(&n[0], 2, 0, 2, 5);
    n[0].b[0] ^= 1;              /* total bytes off by one */
    rb d = {0};
    stream_dump(&d, n, 1, 2);
    t = (tally){.container_rc = RDB_SKIP};
    cr_assert_eq(parse(&d, 4096, &t, &res), RDB_ERR_FORMAT);
    cr_assert(strstr(res.error.message, "listpack total bytes does not match"), "%s", res.error.message);
    rb_free(&d);
}

/* LZF-compressed nodes: peeked at for the master entry, not decompressed
 * unless walked, with the same counts and events as plain ones. */
Test(stream_shallow, compressed_nodes_are_peeked_not_decompressed) {
    lzf_nodes = true;
    rb b = {0};
    lp n[2];
    two_nodes(&b, n);
    tally t = parse_ok(&b, 4096, RDB_SKIP);
    cr_assert_eq(t.shallow, 2);
    cr_assert_eq(t.shallow_null, 2, "a compressed node is offered without its bytes");
    cr_assert_eq(t.shallow_entries, 6);
    cr_assert_eq(t.stream_entries, 0);
    cr_assert_eq(t.pel, 2);
    cr_assert(!t.end.largest_exact);
    t = parse_ok(&b, 4096, RDB_CONTINUE);
    cr_assert_eq(t.walked, 2);
    cr_assert_eq(t.walked_entries, 6);
    cr_assert_eq(t.stream_entries, 6);
    cr_assert(t.end.largest_exact);
    cr_assert_eq(t.end.largest, 40);
    t = parse_ok(&b, 0, RDB_SKIP);
    cr_assert_eq(t.shallow, 0);
    cr_assert_eq(t.end.largest, 40);
    rb_free(&b);

    /* LZF data that does not make the stated length: an error at the node */
    rb c = {0};
    two_nodes(&c, n);
    size_t at = 0;
    for (size_t i = 0; i + 1 < c.len; i++)
        if (c.p[i] == 0xC3) { at = i; break; }
    cr_assert_gt(at, 0);
    c.p[at + 3] ^= 0xE0;   /* the first LZF instruction: a back-reference before the start */
    tally e = {.container_rc = RDB_SKIP};
    rdb_result res;
    cr_assert_eq(parse(&c, 4096, &e, &res), RDB_ERR_FORMAT, "%s", res.error.message);
    rb_free(&c);
    lzf_nodes = false;
}
