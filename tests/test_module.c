/* test_module.c: module values built by hand (tests/support/modbuild):
 * the parser's module events (rdb/module.c: opcodes, string bytes in
 * chunks / decompressed / as text, skipping, errors with offsets) and each
 * decoder of analyze/mod_*.c against the arithmetic of the module's source
 * (expected numbers worked out in the comments), the fallback to the
 * serialized size for unknown types and broken layouts. */
#include <criterion/criterion.h>
#include <lzf.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/modbuild.h"

/* ---- parser events ---------------------------------------------------------- */

typedef struct ev {
    char type[10];
    unsigned encver;
    int nops;
    rdb_module_op ops[16];
    size_t chunks, bytes;
    uint64_t first_total;
    bool saw_text;
    char text[32];
    int want_bytes;          /* answer for STRING ops */
    int skip_after;          /* answer RDB_SKIP at this op index (-1: never) */
    uint64_t value_bytes;
} ev;

static int e_value(void *c, const rdb_key *k, const rdb_module_type *t) {
    ev *e = c;
    (void)k;
    memcpy(e->type, t->name, 10);
    e->encver = t->encver;
    return RDB_CONTINUE;
}
static int e_op(void *c, const rdb_key *k, const rdb_module_op *op) {
    ev *e = c;
    (void)k;
    if (e->nops < 16) e->ops[e->nops] = *op;
    if ((int)op->index == e->skip_after) { e->nops++; return RDB_SKIP; }
    e->nops++;
    return op->code == RDB_MOP_STRING ? e->want_bytes : RDB_CONTINUE;
}
static int e_string(void *c, const rdb_key *k, const rdb_string_chunk *s) {
    ev *e = c;
    (void)k;
    if (s->offset == 0) e->first_total = s->total_len;
    e->chunks++;
    e->bytes += s->len;
    if (s->len < sizeof e->text) {
        memcpy(e->text, s->ptr, s->len);
        e->text[s->len] = 0;
        e->saw_text = true;
    }
    return RDB_CONTINUE;
}
static int e_end(void *c, const rdb_key *k, const rdb_key_end *end) {
    (void)k;
    ((ev *)c)->value_bytes = end->value_bytes;
    return RDB_CONTINUE;
}

static rdb_status events(const rb *b, ev *e, rdb_result *res) {
    rdb_handlers h;
    memset(&h, 0, sizeof h);
    h.on_module_value = e_value;
    h.on_module_op = e_op;
    h.on_module_string = e_string;
    h.on_key_end = e_end;
    return rb_parse(b->p, b->len, &h, e, res);
}

Test(module_events, every_opcode_in_order) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    mb_begin(&b, "k", "mymod-typ", 5);
    mb_uint(&b, 300);
    mb_sint(&b, -2);
    mb_double(&b, 2.5);
    mb_float(&b, 0.25f);
    mb_str(&b, "hi", 2);
    rb_len(&b, 5); rb_u8(&b, 0xc1); rb_u8(&b, 0x39); rb_u8(&b, 0x30);   /* STRING: int16 12345 */
    mb_eof(&b);
    rb_finish(&b);
    ev e = {.want_bytes = RDB_CONTINUE, .skip_after = -1};
    rdb_result res;
    cr_assert_eq(events(&b, &e, &res), RDB_OK, "%s", res.error.message);
    cr_assert_str_eq(e.type, "mymod-typ");
    cr_assert_eq(e.encver, 5);
    cr_assert_eq(e.nops, 6);
    cr_assert_eq(e.ops[0].code, RDB_MOP_UINT);
    cr_assert_eq(e.ops[0].uint, 300);
    cr_assert_eq(e.ops[1].code, RDB_MOP_SINT);
    cr_assert_eq(e.ops[1].sint, -2);
    cr_assert_eq(e.ops[2].dbl, 2.5);
    cr_assert_eq(e.ops[3].code, RDB_MOP_FLOAT);
    cr_assert_eq(e.ops[3].dbl, 0.25);
    cr_assert_eq(e.ops[4].str_len, 2);
    cr_assert_eq(e.ops[5].is_int, true);
    cr_assert_eq(e.ops[5].ival, 12345);
    cr_assert_eq(e.ops[5].str_len, 5);
    for (int i = 0; i < 6; i++) cr_assert_eq(e.ops[i].index, (uint64_t)i);
    cr_assert_str_eq(e.text, "12345");   /* the int string's text was the last chunk */
    cr_assert_eq(e.chunks, 2);
    /* the value: id 9, UINT 3, SINT 10 (-2 is stored as its 64 bits), DOUBLE 9,
     * FLOAT 5, two STRINGs of 4, EOF 1 */
    cr_assert_eq(e.value_bytes, 9 + 3 + 10 + 9 + 5 + 4 + 4 + 1);
    rb_free(&b);
}

Test(module_events, strings_chunked_decompressed_or_skipped) {
    size_t big = 700 * 1024;   /* over RD_BLOCK_SIZE / 2: two chunks */
    uint8_t *raw = calloc(1, big);
    uint8_t comp[4096];
    unsigned clen = lzf_compress(raw, 3000, comp, sizeof comp);
    cr_assert_gt(clen, 0);
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    mb_begin(&b, "k", "mymod-typ", 0);
    mb_str(&b, raw, big);
    rb_len(&b, 5); rb_u8(&b, 0xc3); rb_len(&b, clen); rb_len(&b, 3000); rb_bytes(&b, comp, clen);
    mb_eof(&b);
    rb_finish(&b);
    ev e = {.want_bytes = RDB_CONTINUE, .skip_after = -1};
    rdb_result res;
    cr_assert_eq(events(&b, &e, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(e.nops, 2);
    cr_assert_eq(e.ops[1].compressed, true);
    cr_assert_eq(e.ops[1].str_len, 3000);
    cr_assert_eq(e.ops[1].stored_len, clen);
    cr_assert_eq(e.chunks, 3, "raw in 2 chunks, LZF whole: %zu", e.chunks);
    cr_assert_eq(e.bytes, big + 3000);

    ev s = {.want_bytes = RDB_NO_CONTENT, .skip_after = -1};
    cr_assert_eq(events(&b, &s, &res), RDB_OK);
    cr_assert_eq(s.nops, 2);
    cr_assert_eq(s.chunks, 0, "bytes delivered though not asked for");

    ev k = {.want_bytes = RDB_CONTINUE, .skip_after = 0};
    cr_assert_eq(events(&b, &k, &res), RDB_OK);
    cr_assert_eq(k.nops, 1, "events went on after RDB_SKIP");
    cr_assert_eq(k.value_bytes, s.value_bytes, "the walk must still cover the whole value");
    rb_free(&b);
    free(raw);
}

Test(module_events, bad_opcode_and_truncation_name_the_offset) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    mb_begin(&b, "k", "mymod-typ", 0);
    size_t at = b.len;
    rb_len(&b, 9);   /* no such opcode */
    rb_finish(&b);
    ev e = {.skip_after = -1};
    rdb_result res;
    cr_assert_eq(events(&b, &e, &res), RDB_ERR_FORMAT);
    cr_assert_eq(res.error.offset, at);
    cr_assert(strstr(res.error.message, "unknown module opcode 9"), "%s", res.error.message);
    rb_free(&b);

    rb t = {0};
    rb_magic(&t, "REDIS0011");
    mb_begin(&t, "k", "mymod-typ", 0);
    mb_uint(&t, 1);
    rb_len(&t, 5); rb_len(&t, 100); rb_bytes(&t, "abc", 3);   /* 100 bytes promised */
    cr_assert_neq(events(&t, &e, &res), RDB_OK);
    cr_assert(strstr(res.error.message, "module value"), "%s", res.error.message);
    rb_free(&t);
}

/* ---- the decoders ------------------------------------------------------------------ */

static const mr_key *one(mr_run *r, const rb *b, const char *profile, const model_config *cfg) {
    mr_model(b->p, b->len, profile, cfg, r);
    cr_assert_eq(r->st, RDB_OK, "%s", r->res.error.message);
    cr_assert_eq(r->n, 1);
    return &r->k[0];
}

/* key "k": MEMORY USAGE adds J(sds 1 + 1 + 1) + dictEntry 24 = 8 + 24 on 8.0 */
#define KEY_MU 32

Test(mod_decoders, bloom_chain_of_two) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    mb_begin(&b, "k", "MBbloom--", 4);
    mb_uint(&b, 30); mb_uint(&b, 2); mb_uint(&b, 0); mb_uint(&b, 2);
    for (int i = 0; i < 2; i++) {
        uint8_t bits[200] = {0};
        mb_uint(&b, 100); mb_double(&b, 0.01); mb_uint(&b, 7); mb_double(&b, 9.6);
        mb_uint(&b, 1600); mb_uint(&b, 0); mb_str(&b, bits, i ? 200 : 144); mb_uint(&b, 15);
    }
    mb_eof(&b);
    rb_finish(&b);
    mr_run r;
    const mr_key *k = one(&r, &b, NULL, NULL);
    cr_assert_str_eq(k->module, "MBbloom--");
    /* 32 + 2 * 64 + 144 + 200 */
    cr_assert_eq(k->rec.bytes, 32 + 128 + 344 + KEY_MU);
    cr_assert_eq(k->rec.bytes_basis, KEY_BASIS_MEASURED);
    cr_assert_eq(k->rec.elements, 30);
    /* robj 16 + moduleValue 16 + J(32) + J(128) + J(144) + J(200) + key sds 8 + entry 24 */
    cr_assert_eq(k->rec.ram, 16 + 16 + 32 + 128 + 160 + 224 + 8 + 24);
    mr_free(&r);
    rb_free(&b);
}

Test(mod_decoders, cuckoo_cms_topk_tdigest) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    uint8_t buf[4096] = {0};
    mb_begin(&b, "cf", "MBbloomCF", 4);
    mb_uint(&b, 1); mb_uint(&b, 512); mb_uint(&b, 9); mb_uint(&b, 0); mb_uint(&b, 2);
    mb_uint(&b, 20); mb_uint(&b, 1); mb_uint(&b, 512); mb_str(&b, buf, 1024);
    mb_eof(&b);
    mb_begin(&b, "cm", "CMSk-TYPE", 0);
    mb_uint(&b, 10); mb_uint(&b, 5); mb_uint(&b, 3); mb_str(&b, buf, 200);
    mb_eof(&b);
    mb_begin(&b, "tk", "TopK-TYPE", 0);
    mb_uint(&b, 2); mb_uint(&b, 8); mb_uint(&b, 7); mb_double(&b, 0.9);
    mb_str(&b, buf, 448); mb_str(&b, buf, 48); mb_str(&b, "apple", 6); mb_str(&b, "", 1);
    mb_eof(&b);
    mb_begin(&b, "td", "TDIS-TYPE", 0);
    mb_double(&b, 100); mb_double(&b, 1); mb_double(&b, 2);
    mb_sint(&b, 610); mb_sint(&b, 2); mb_sint(&b, 0); mb_sint(&b, 1);
    mb_double(&b, 2); mb_double(&b, 0);
    mb_double(&b, 1); mb_double(&b, 2); mb_double(&b, 1); mb_double(&b, 1);
    mb_eof(&b);
    rb_finish(&b);
    /* key names of 2 bytes: J(1 + 2 + 1) + 24 = 32 on both allocators */
    mr_run r;
    mr_model(b.p, b.len, "redis-7.0", NULL, &r);
    cr_assert_eq(r.st, RDB_OK, "%s", r.res.error.message);
    cr_assert_eq(r.n, 4);
    cr_assert_eq(r.k[0].rec.bytes, 40 + 16 + 1024 + 32);          /* CFMemUsage */
    cr_assert_eq(r.k[1].rec.bytes, 8 + 50 * 8 + 32);              /* up to RedisBloom 8.4 */
    cr_assert_eq(r.k[2].rec.bytes, 2088 + 448 + 48 + 32);         /* TopKMemUsage */
    cr_assert_eq(r.k[3].rec.bytes, 8 + 2 * 610 * 8 + 32);         /* up to RedisBloom 8.4 */
    cr_assert_eq(r.k[2].rec.elements, 1, "one item slot in use");
    for (size_t i = 0; i < 4; i++) cr_assert_eq(r.k[i].rec.bytes_basis, KEY_BASIS_MEASURED);
    /* the t-digest of RedisBloom 2.4 / 2.6 is plain malloc: robj + moduleValue +
     * key sds + dict entry (J(24) = 32 with the 16-byte quantum) */
    cr_assert_eq(r.k[3].rec.ram, 16 + 16 + 8 + 32);
    cr_assert_eq(r.tot.modules_ram, 68728, "the bf module counted once");
    mr_free(&r);

    model_config *cfg = model_config_new();
    char err[128];
    cr_assert_eq(model_config_set(cfg, "bf-module-version", "8.6.0", err, sizeof err), 0);
    mr_model(b.p, b.len, "redis-8.0", cfg, &r);
    cr_assert_eq(r.k[1].rec.bytes, 32 + 50 * 4 + 32);             /* fixed in 8.6 */
    cr_assert_eq(r.k[3].rec.bytes, 80 + 2 * 610 * 8 + 32);
    mr_free(&r);
    model_config_free(cfg);
    rb_free(&b);
}

Test(mod_decoders, timeseries_labels_rules_chunks) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    uint8_t data[4096] = {0};
    mb_begin(&b, "k", "TSDB-TYPE", 7);
    mb_str(&b, "k", 1);
    mb_uint(&b, 0); mb_uint(&b, 4096); mb_uint(&b, 2);            /* retention, chunk size, options */
    mb_uint(&b, 1000); mb_double(&b, 1.0); mb_uint(&b, 2); mb_uint(&b, 0); mb_uint(&b, 0);
    mb_uint(&b, 1); mb_str(&b, "sensor", 6); mb_str(&b, "s1", 2);  /* one label */
    mb_uint(&b, 2);                                                /* two rules */
    mb_str(&b, "k:avg", 5); mb_uint(&b, 60000); mb_uint(&b, 0); mb_uint(&b, 4); mb_uint(&b, 0);
    mb_double(&b, 0); mb_double(&b, 0); mb_uint(&b, 0);          /* AVG context */
    mb_str(&b, "k:twa", 5); mb_uint(&b, 60000); mb_uint(&b, 0); mb_uint(&b, 13); mb_uint(&b, 0);
    mb_double(&b, 0); mb_uint(&b, 0); mb_double(&b, 0);
    for (int i = 0; i < 7; i++) mb_uint(&b, 0);                  /* TWA context */
    mb_uint(&b, 2);                                                /* two chunks */
    for (int c = 0; c < 2; c++) {
        for (int i = 0; i < 10; i++) mb_uint(&b, i == 4 ? 1700000000000ull + 600000ull * c : 1);
        mb_str(&b, data, 4096);
    }
    mb_eof(&b);
    rb_finish(&b);
    mr_run r;
    /* RedisTimeSeries 1.8 (Redis 7.0): 8 + 2 * 64 + (7 + 3) + 16 + 2 * (4096 + 80) */
    const mr_key *k = one(&r, &b, "redis-7.0", NULL);
    cr_assert_eq(k->rec.bytes, 8 + 128 + 10 + 16 + 8352 + KEY_MU, "%llu", (unsigned long long)k->rec.bytes);
    cr_assert_eq(k->rec.elements, 2);
    mr_free(&r);
    /* 1.10 (Redis 7.2): J(120) + rules J(64) + J(24) + J(64) + J(72) = 80 + labels J(16)
     * + 2 x (16 + J(sds)) + dict 32 + 6 nodes * 244 (two keys that first differ
     * in their 6th byte: root, split, two tails, two leaves) + 2 x (J(80) + 4096) */
    k = one(&r, &b, "redis-7.2", NULL);
    uint64_t want = 128 + (64 + 24) + (64 + 80) + 16 + (16 + 8) + (16 + 8) + 32 + 6 * 244 + 2 * (80 + 4096);
    cr_assert_eq(k->rec.bytes, want + KEY_MU, "%llu != %llu", (unsigned long long)k->rec.bytes,
                 (unsigned long long)(want + KEY_MU));
    mr_free(&r);
    rb_free(&b);
}

Test(mod_decoders, unknown_and_broken_values_fall_back_to_their_size) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    mb_begin(&b, "u", "mymod-typ", 1);
    mb_uint(&b, 1); mb_str(&b, "xyz", 3);
    mb_eof(&b);
    mb_begin(&b, "v", "CMSk-TYPE", 0);          /* a STRING where the width belongs */
    mb_str(&b, "oops", 4); mb_uint(&b, 1); mb_uint(&b, 1); mb_str(&b, "1234", 4);
    mb_eof(&b);
    mb_begin(&b, "w", "CMSk-TYPE", 9);          /* an encoding version the decoder does not know */
    mb_uint(&b, 1);
    mb_eof(&b);
    rb_finish(&b);
    mr_run r;
    mr_model(b.p, b.len, NULL, NULL, &r);
    cr_assert_eq(r.st, RDB_OK);
    cr_assert_eq(r.n, 3);
    /* id 9 + UINT 2 + STRING 5 + EOF 1 = 17 bytes; key "u": 32 */
    cr_assert_eq(r.k[0].rec.bytes_basis, KEY_BASIS_SERIALIZED);
    cr_assert_eq(r.k[0].rec.serialized_bytes, 17);
    cr_assert_eq(r.k[0].rec.bytes, 17 + KEY_MU);
    cr_assert_eq(r.k[1].rec.bytes_basis, KEY_BASIS_SERIALIZED);
    cr_assert_eq(r.k[2].rec.bytes_basis, KEY_BASIS_SERIALIZED);
    cr_assert_eq(r.tot.modules_ram, 68728, "the bf module's values are in the dump");
    mr_free(&r);
    rb_free(&b);
}

/* {"a":1,"bb":"hello world!","c":[1,2,3],"d":[1.5,"x"],"e":{}} as ijson holds it:
 * object of 5 (cap 8): 16 + 8 * 16 + 10 * 8 = 224; "hello world!" round4(8 + 12)
 * = 20; [1,2,3] typed i8, cap 4: 16; [1.5,"x"] heterogeneous cap 4: 40 + the
 * float's 8; {} static; + the root IValue 8 = 316. */
static const char JSON_DOC[] = "{\"a\":1,\"bb\":\"hello world!\",\"c\":[1,2,3],\"d\":[1.5,\"x\"],\"e\":{}}";

Test(mod_decoders, json_text_cbor_and_legacy) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    mb_begin(&b, "t", "ReJSON-RL", 3);
    mb_str(&b, JSON_DOC, strlen(JSON_DOC));
    mb_eof(&b);
    /* the same value as cbor.rs writes it: map(5), the i8 array as RFC 8746
     * tag 72 over 3 bytes, 1.5 as a half float; from CBOR the capacities are
     * exact: 16 + 5 * 16 + 6 * 8 = 144, 20, 16, 8 + 2 * 8 = 24 + 8, 0, + 8 = 220 */
    static const uint8_t cbor[] = {0xa5, 0x61, 'a', 0x01, 0x62, 'b', 'b', 0x6c, 'h', 'e', 'l', 'l', 'o', ' ',
                                   'w', 'o', 'r', 'l', 'd', '!', 0x61, 'c', 0xd8, 0x48, 0x43, 1, 2, 3,
                                   0x61, 'd', 0x82, 0xf9, 0x3e, 0x00, 0x61, 'x', 0x61, 'e', 0xa0};
    mb_begin(&b, "c", "ReJSON-RL", 4);
    mb_str(&b, cbor, sizeof cbor);
    mb_eof(&b);
    /* RedisJSON 1.x nodes: {"a":1,"s":"hello world!"}: object cap 4: 16 + 64
     * + 5 * 8 = 120, + 20, + 8 = 148 */
    mb_begin(&b, "l", "ReJSON-RL", 0);
    mb_uint(&b, 0x20); mb_uint(&b, 2);
    mb_uint(&b, 0x80); mb_str(&b, "a", 1); mb_uint(&b, 0x08); mb_sint(&b, 1);
    mb_uint(&b, 0x80); mb_str(&b, "s", 1); mb_uint(&b, 0x02); mb_str(&b, "hello world!", 12);
    mb_eof(&b);
    mb_begin(&b, "x", "ReJSON-RL", 3);          /* not JSON: its size stands in */
    mb_str(&b, "{\"a\":", 5);
    mb_eof(&b);
    rb_finish(&b);
    mr_run r;
    mr_model(b.p, b.len, NULL, NULL, &r);
    cr_assert_eq(r.st, RDB_OK, "%s", r.res.error.message);
    cr_assert_eq(r.n, 4);
    cr_assert_eq(r.k[0].rec.bytes, 316 + KEY_MU, "text: %llu", (unsigned long long)r.k[0].rec.bytes);
    cr_assert_eq(r.k[0].rec.bytes_basis, KEY_BASIS_SOURCE);
    cr_assert_eq(r.k[1].rec.bytes, 220 + KEY_MU, "cbor: %llu", (unsigned long long)r.k[1].rec.bytes);
    cr_assert_eq(r.k[2].rec.bytes, 148 + KEY_MU, "legacy: %llu", (unsigned long long)r.k[2].rec.bytes);
    cr_assert_eq(r.k[3].rec.bytes_basis, KEY_BASIS_SERIALIZED);
    mr_free(&r);
    rb_free(&b);
}

/* dim 3, int8 (quant 1), M 16, two nodes on level 0 with max_links 32:
 * 112 + 1672 + 2 * (312 + 3) + 24 * 2 * 4 / 3 + 8 * 32 * 2 + 8 * 16 * 2 / 3
 * + 2 * (16 + J(3)) + 2 * 16 = 3155 */
Test(mod_decoders, vector_set) {
    rb b = {0};
    rb_magic(&b, "REDIS0011");
    mb_begin(&b, "k", "vectorset", 0);
    mb_uint(&b, 3); mb_uint(&b, 2); mb_uint(&b, 1 | 16 << 8); mb_uint(&b, 0);
    for (int i = 0; i < 2; i++) {
        mb_str(&b, i ? "b" : "a", 1);
        mb_str(&b, "\1\2\3", 3);
        mb_uint(&b, 7);
        mb_uint(&b, (uint64_t)i + 1); mb_uint(&b, 0 | 1u << 24); mb_uint(&b, 1); mb_uint(&b, 32);
        mb_uint(&b, 2 - (uint64_t)i); mb_uint(&b, 0); mb_uint(&b, 0);
    }
    mb_eof(&b);
    rb_finish(&b);
    mr_run r;
    const mr_key *k = one(&r, &b, NULL, NULL);
    cr_assert_eq(k->rec.bytes, 3155 + KEY_MU, "%llu", (unsigned long long)k->rec.bytes);
    cr_assert_eq(k->rec.bytes_basis, KEY_BASIS_SOURCE);
    cr_assert_eq(k->rec.elements, 2);
    mr_free(&r);
    rb_free(&b);
}
