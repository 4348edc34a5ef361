/* modbuild.c: module values for tests (modbuild.h). */
#include "tests/support/modbuild.h"

#include <stdlib.h>
#include <string.h>

uint64_t mb_id(const char *name9, unsigned encver) {
    static const char charset[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    uint64_t id = 0;
    for (int i = 0; i < 9; i++) id = id << 6 | (uint64_t)(strchr(charset, name9[i]) - charset);
    return id << 10 | (encver & 1023);
}

void mb_begin(rb *b, const char *key, const char *name9, unsigned encver) {
    rb_u8(b, 7);
    rb_str(b, key);
    rb_len(b, mb_id(name9, encver));
}

void mb_uint(rb *b, uint64_t v) { rb_len(b, 2); rb_len(b, v); }
void mb_sint(rb *b, int64_t v) { rb_len(b, 1); rb_len(b, (uint64_t)v); }
void mb_double(rb *b, double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    rb_len(b, 4);
    rb_u64le(b, u);
}
void mb_float(rb *b, float v) {
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    uint8_t le[4] = {(uint8_t)u, (uint8_t)(u >> 8), (uint8_t)(u >> 16), (uint8_t)(u >> 24)};
    rb_len(b, 3);
    rb_bytes(b, le, 4);
}
void mb_str(rb *b, const void *p, size_t n) { rb_len(b, 5); rb_raw_str(b, p, n); }
void mb_eof(rb *b) { rb_len(b, 0); }

void mb_every_type(rb *b) {
    static const uint8_t zero[256];
    mb_begin(b, "m:bf", "MBbloom--", 4);
    mb_uint(b, 3); mb_uint(b, 1); mb_uint(b, 0); mb_uint(b, 2);
    mb_uint(b, 100); mb_double(b, 0.01); mb_uint(b, 7); mb_double(b, 9.6);
    mb_uint(b, 1000); mb_uint(b, 0); mb_str(b, zero, 125); mb_uint(b, 3);
    mb_eof(b);
    mb_begin(b, "m:cf", "MBbloomCF", 4);
    mb_uint(b, 1); mb_uint(b, 32); mb_uint(b, 1); mb_uint(b, 0); mb_uint(b, 2);
    mb_uint(b, 20); mb_uint(b, 1); mb_uint(b, 32); mb_str(b, zero, 64);
    mb_eof(b);
    mb_begin(b, "m:cms", "CMSk-TYPE", 0);
    mb_uint(b, 4); mb_uint(b, 2); mb_uint(b, 1); mb_str(b, zero, 32);
    mb_eof(b);
    mb_begin(b, "m:topk", "TopK-TYPE", 0);
    mb_uint(b, 1); mb_uint(b, 2); mb_uint(b, 2); mb_double(b, 0.9);
    mb_str(b, zero, 32); mb_str(b, zero, 24); mb_str(b, "item", 5);
    mb_eof(b);
    mb_begin(b, "m:td", "TDIS-TYPE", 0);
    mb_double(b, 10); mb_double(b, 1); mb_double(b, 1);
    mb_sint(b, 70); mb_sint(b, 1); mb_sint(b, 0); mb_sint(b, 1);
    mb_double(b, 1); mb_double(b, 0); mb_double(b, 1); mb_double(b, 1);
    mb_eof(b);
    mb_begin(b, "m:ts", "TSDB-TYPE", 7);
    mb_str(b, "m:ts", 4);
    mb_uint(b, 0); mb_uint(b, 128); mb_uint(b, 2); mb_uint(b, 5); mb_double(b, 1); mb_uint(b, 1);
    mb_uint(b, 0); mb_uint(b, 0);
    mb_uint(b, 1); mb_str(b, "k", 1); mb_str(b, "v", 1);
    mb_uint(b, 1); mb_str(b, "m:ts:max", 8); mb_uint(b, 1000); mb_uint(b, 0); mb_uint(b, 2);
    mb_uint(b, 0); mb_double(b, 1); mb_double(b, 1);
    mb_uint(b, 1);
    for (int i = 0; i < 10; i++) mb_uint(b, (uint64_t)i);
    mb_str(b, zero, 128);
    mb_eof(b);
    static const char json[] = "{\"a\":[1,2,3],\"b\":\"some text here\",\"c\":{\"d\":1.5}}";
    mb_begin(b, "m:json", "ReJSON-RL", 3);
    mb_str(b, json, sizeof json - 1);
    mb_eof(b);
    static const uint8_t cbor[] = {0xa1, 0x61, 'a', 0x83, 0x01, 0xf9, 0x3e, 0x00, 0x63, 'x', 'y', 'z'};
    mb_begin(b, "m:cbor", "ReJSON-RL", 4);
    mb_str(b, cbor, sizeof cbor);
    mb_eof(b);
    mb_begin(b, "m:vset", "vectorset", 0);
    mb_uint(b, 2); mb_uint(b, 1); mb_uint(b, 1 | 16 << 8); mb_uint(b, 0);
    mb_str(b, "e", 1); mb_str(b, "\1\2", 2);
    mb_uint(b, 6); mb_uint(b, 1); mb_uint(b, 1u << 24); mb_uint(b, 0); mb_uint(b, 32); mb_uint(b, 0);
    mb_uint(b, 0);
    mb_eof(b);
}

typedef struct ctx { model *m; mr_run *r; } ctx;

static int on_aux(void *c, rdb_bytes k, rdb_bytes v) { return model_on_aux(((ctx *)c)->m, k, v); }
static int on_select_db(void *c, uint64_t db) { return model_on_select_db(((ctx *)c)->m, db); }
static int on_resize_db(void *c, uint64_t a, uint64_t b) { return model_on_resize_db(((ctx *)c)->m, a, b); }
static int on_key_begin(void *c, const rdb_key *k) { return model_on_key_begin(((ctx *)c)->m, k); }
static int on_string(void *c, const rdb_key *k, const rdb_string_chunk *s) { return model_on_string(((ctx *)c)->m, k, s); }
static int on_container(void *c, const rdb_key *k, const rdb_container *x) { return model_on_container(((ctx *)c)->m, k, x); }
static int on_entry(void *c, const rdb_key *k, const rdb_entry *e) { return model_on_entry(((ctx *)c)->m, k, e); }
static int on_module_value(void *c, const rdb_key *k, const rdb_module_type *t) { return model_on_module_value(((ctx *)c)->m, k, t); }
static int on_module_op(void *c, const rdb_key *k, const rdb_module_op *op) { return model_on_module_op(((ctx *)c)->m, k, op); }
static int on_module_string(void *c, const rdb_key *k, const rdb_string_chunk *s) { return model_on_module_string(((ctx *)c)->m, k, s); }

static int on_key_end(void *c, const rdb_key *k, const rdb_key_end *end) {
    ctx *x = c;
    mr_run *r = x->r;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->k = realloc(r->k, r->cap * sizeof *r->k);
        if (!r->k) return -1;
    }
    mr_key *e = &r->k[r->n++];
    memset(e, 0, sizeof *e);
    size_t n = k->name_len < sizeof e->name - 1 ? k->name_len : sizeof e->name - 1;
    memcpy(e->name, k->name, n);
    e->rec.elements = end->elements;
    model_key_end(x->m, k, end, &e->rec);
    if (k->kind == RDB_KIND_MODULE) memcpy(e->module, end->module_name, sizeof e->module);
    e->rec.module_name = NULL;
    e->rec.key = NULL;
    return RDB_CONTINUE;
}

void mr_model(const uint8_t *buf, size_t len, const char *profile, const model_config *cfg, mr_run *out) {
    memset(out, 0, sizeof *out);
    ctx c = {model_new(model_profile_find(profile ? profile : "redis-8.0"), cfg), out};
    rdb_handlers h;
    memset(&h, 0, sizeof h);
    h.on_aux = on_aux; h.on_select_db = on_select_db; h.on_resize_db = on_resize_db;
    h.on_key_begin = on_key_begin; h.on_string = on_string; h.on_container = on_container;
    h.on_entry = on_entry; h.on_module_value = on_module_value; h.on_module_op = on_module_op;
    h.on_module_string = on_module_string; h.on_key_end = on_key_end;
    out->st = rb_parse(buf, len, &h, &c, &out->res);
    model_finish(c.m, &out->tot);
    model_free(c.m);
}

void mr_free(mr_run *r) {
    free(r->k);
    memset(r, 0, sizeof *r);
}
