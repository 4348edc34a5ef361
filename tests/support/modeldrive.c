/* modeldrive.c: see modeldrive.h. */
#include "tests/support/modeldrive.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct run {
    modeldrive *r;
    char redis_ver[32], valkey_ver[32];
    unsigned rdb_version;
    int flavor;
} run;

static void copy(char *dst, size_t cap, rdb_bytes v) {
    size_t n = v.len < cap - 1 ? v.len : cap - 1;
    memcpy(dst, v.ptr, n);
    dst[n] = 0;
}

/* the model, made once the aux fields have named the server */
static model *M(run *x) {
    modeldrive *r = x->r;
    if (r->m) return r->m;
    const model_profile *p = r->profile;
    if (!p) p = model_profile_infer(x->redis_ver[0] ? x->redis_ver : NULL,
                                    x->valkey_ver[0] ? x->valkey_ver : NULL, x->rdb_version, x->flavor);
    r->used = p;
    r->m = model_new(p, r->config);
    if (r->has_now) model_set_reference_time_ms(r->m, r->now_ms);
    if (r->cluster) model_set_cluster(r->m, MODEL_CLUSTER_OPTION);
    return r->m;
}

static int on_header(void *c, const rdb_header *h) {
    run *x = c;
    x->rdb_version = h->version;
    x->flavor = h->flavor;
    return RDB_CONTINUE;
}
static int on_aux(void *c, rdb_bytes k, rdb_bytes v) {
    run *x = c;
    if (k.len == 9 && !memcmp(k.ptr, "redis-ver", 9)) copy(x->redis_ver, sizeof x->redis_ver, v);
    if (k.len == 10 && !memcmp(k.ptr, "valkey-ver", 10)) copy(x->valkey_ver, sizeof x->valkey_ver, v);
    if (x->r->on_aux) x->r->on_aux(x->r->ctx, k, v);
    if (x->r->m || (k.len == 9 && !memcmp(k.ptr, "slot-info", 9))) return model_on_aux(M(x), k, v);
    if (k.len == 5 && !memcmp(k.ptr, "ctime", 5)) return RDB_CONTINUE;   /* given to the model later */
    return RDB_CONTINUE;
}
static int on_slot_info(void *c, uint64_t s, uint64_t n, uint64_t e) {
    run *x = c;
    if (x->r->on_slot_info) x->r->on_slot_info(x->r->ctx, s, n, e);
    return model_on_slot_info(M(x), s, n, e);
}
static int on_function(void *c, rdb_bytes code) { return model_on_function(M(c), code); }
static int on_select_db(void *c, uint64_t db) { return model_on_select_db(M(c), db); }
static int on_resize_db(void *c, uint64_t a, uint64_t b) { return model_on_resize_db(M(c), a, b); }
static int on_key_begin(void *c, const rdb_key *k) { return model_on_key_begin(M(c), k); }
static int on_string(void *c, const rdb_key *k, const rdb_string_chunk *s) { return model_on_string(M(c), k, s); }
static int on_container(void *c, const rdb_key *k, const rdb_container *x) { return model_on_container(M(c), k, x); }
static int on_entry(void *c, const rdb_key *k, const rdb_entry *e) { return model_on_entry(M(c), k, e); }
static int on_stream_entry(void *c, const rdb_key *k, const rdb_stream_entry *e) { return model_on_stream_entry(M(c), k, e); }
static int on_stream_meta(void *c, const rdb_key *k, const rdb_stream_meta *e) { return model_on_stream_meta(M(c), k, e); }
static int on_stream_group(void *c, const rdb_key *k, const rdb_stream_group *e) { return model_on_stream_group(M(c), k, e); }
static int on_stream_pel(void *c, const rdb_key *k, const rdb_stream_pel *e) { return model_on_stream_pel(M(c), k, e); }
static int on_stream_consumer_pel(void *c, const rdb_key *k, const rdb_stream_id *e) { return model_on_stream_consumer_pel(M(c), k, e); }
static int on_stream_consumer(void *c, const rdb_key *k, const rdb_stream_consumer *e) { return model_on_stream_consumer(M(c), k, e); }

static int on_key_end(void *c, const rdb_key *k, const rdb_key_end *end) {
    run *x = c;
    key_record rec;
    memset(&rec, 0, sizeof rec);
    rec.db = k->db;
    rec.key = k->name;
    rec.key_len = k->name_len;
    rec.type = k->kind;
    rec.has_expire = k->has_expire;
    rec.expire_ms = k->expire_ms;
    rec.elements = end->elements;
    model_key_end(M(x), k, end, &rec);
    if (x->r->on_key) x->r->on_key(x->r->ctx, k, &rec);
    return RDB_CONTINUE;
}

int modeldrive_file(modeldrive *r, const char *path, char *err, size_t errlen) {
    run x = {.r = r};
    rdb_handlers h = {
        .on_header = on_header, .on_aux = on_aux, .on_function = on_function,
        .on_select_db = on_select_db, .on_resize_db = on_resize_db, .on_slot_info = on_slot_info,
        .on_key_begin = on_key_begin, .on_string = on_string, .on_container = on_container,
        .on_entry = on_entry, .on_stream_entry = on_stream_entry, .on_stream_meta = on_stream_meta,
        .on_stream_group = on_stream_group, .on_stream_pel = on_stream_pel,
        .on_stream_consumer_pel = on_stream_consumer_pel, .on_stream_consumer = on_stream_consumer,
        .on_key_end = on_key_end,
    };
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s", path);
        return -1;
    }
    rdb_result res;
    rdb_status st = rdb_parse_fd(fd, &h, &x, NULL, &res);
    close(fd);
    if (st != RDB_OK) {
        snprintf(err, errlen, "%s: %s at %llu", path, res.error.message,
                 (unsigned long long)res.error.offset);
        return -1;
    }
    model_finish(M(&x), &r->totals);
    r->cluster_mode = model_cluster_mode(r->m);
    return 0;
}

void modeldrive_free(modeldrive *r) {
    model_free(r->m);
    r->m = NULL;
}
