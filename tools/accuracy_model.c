/* accuracy_model.c: run the memory model over one dump and print, per key,
 * one JSON line {"db","key_hex","type","encoding","bytes","ram","expired"},
 * then one {"totals": ...} line. Used by tools/accuracy.py before (and
 * independently of) the CLI. Usage: accuracy_model [--profile NAME] FILE */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/model.h"
#include "rdb/rdb.h"

typedef struct drv {
    model *m;
    const model_profile *forced;
    char redis_ver[32], valkey_ver[32];
    unsigned rdb_version;
    int flavor;
    int64_t ctime_s;
    bool have_ctime;
    int64_t now_ms;
    bool have_now;
    model_config *cfg;
    bool cluster;
} drv;

static drv D;

static int on_header(void *ctx, const rdb_header *h)
{
    (void)ctx;
    D.rdb_version = h->version;
    D.flavor = h->flavor;
    return RDB_CONTINUE;
}

static void copy_aux(char *dst, size_t cap, rdb_bytes v)
{
    size_t n = v.len < cap - 1 ? v.len : cap - 1;
    memcpy(dst, v.ptr, n);
    dst[n] = 0;
}

/* The model is created lazily at the first event after the aux fields, so
 * the profile can be inferred from them. */
static model *M(void)
{
    if (!D.m) {
        const model_profile *p = D.forced;
        if (!p) p = model_profile_infer(D.redis_ver[0] ? D.redis_ver : NULL,
                                        D.valkey_ver[0] ? D.valkey_ver : NULL,
                                        D.rdb_version, D.flavor);
        D.m = model_new(p, D.cfg);
        if (D.cluster && model_set_cluster(D.m, MODEL_CLUSTER_OPTION) != 0) {
            fprintf(stderr, "%s has no cluster-mode model\n", model_profile_name(p));
            exit(2);
        }
        if (D.have_now) model_set_reference_time_ms(D.m, D.now_ms);
        else if (D.have_ctime) model_set_reference_time_ms(D.m, D.ctime_s * 1000);
        fprintf(stderr, "profile %s\n", model_profile_name(p));
    }
    return D.m;
}

static int on_aux(void *ctx, rdb_bytes k, rdb_bytes v)
{
    (void)ctx;
    if (k.len == 9 && !memcmp(k.ptr, "redis-ver", 9)) copy_aux(D.redis_ver, sizeof D.redis_ver, v);
    if (k.len == 10 && !memcmp(k.ptr, "valkey-ver", 10)) copy_aux(D.valkey_ver, sizeof D.valkey_ver, v);
    if (k.len == 5 && !memcmp(k.ptr, "ctime", 5)) {
        char b[32];
        copy_aux(b, sizeof b, v);
        D.ctime_s = strtoll(b, NULL, 10);
        D.have_ctime = true;
    }
    if (D.m) return model_on_aux(D.m, k, v);
    return RDB_CONTINUE;
}

static int on_function(void *c, rdb_bytes code) { (void)c; return model_on_function(M(), code); }
static int on_select_db(void *c, uint64_t db) { (void)c; return model_on_select_db(M(), db); }
static int on_resize_db(void *c, uint64_t a, uint64_t b) { (void)c; return model_on_resize_db(M(), a, b); }
static int on_slot_info(void *c, uint64_t s, uint64_t n, uint64_t e) { (void)c; return model_on_slot_info(M(), s, n, e); }
static int on_key_begin(void *c, const rdb_key *k) { (void)c; return model_on_key_begin(M(), k); }
static int on_string(void *c, const rdb_key *k, const rdb_string_chunk *s) { (void)c; return model_on_string(M(), k, s); }
static int on_container(void *c, const rdb_key *k, const rdb_container *x) { (void)c; return model_on_container(M(), k, x); }
static int on_entry(void *c, const rdb_key *k, const rdb_entry *e) { (void)c; return model_on_entry(M(), k, e); }
static int on_stream_entry(void *c, const rdb_key *k, const rdb_stream_entry *e) { (void)c; return model_on_stream_entry(M(), k, e); }
static int on_stream_meta(void *c, const rdb_key *k, const rdb_stream_meta *e) { (void)c; return model_on_stream_meta(M(), k, e); }
static int on_stream_group(void *c, const rdb_key *k, const rdb_stream_group *e) { (void)c; return model_on_stream_group(M(), k, e); }
static int on_stream_pel(void *c, const rdb_key *k, const rdb_stream_pel *e) { (void)c; return model_on_stream_pel(M(), k, e); }
static int on_stream_consumer_pel(void *c, const rdb_key *k, const rdb_stream_id *e) { (void)c; return model_on_stream_consumer_pel(M(), k, e); }
static int on_stream_consumer(void *c, const rdb_key *k, const rdb_stream_consumer *e) { (void)c; return model_on_stream_consumer(M(), k, e); }

static int on_module_value(void *c, const rdb_key *k, const rdb_module_type *t) { (void)c; return model_on_module_value(M(), k, t); }
static int on_module_op(void *c, const rdb_key *k, const rdb_module_op *op) { (void)c; return model_on_module_op(M(), k, op); }
static int on_module_string(void *c, const rdb_key *k, const rdb_string_chunk *s) { (void)c; return model_on_module_string(M(), k, s); }

static int on_key_end(void *c, const rdb_key *k, const rdb_key_end *end)
{
    (void)c;
    key_record r;
    memset(&r, 0, sizeof r);
    model_key_end(M(), k, end, &r);
    int64_t now = D.have_now ? D.now_ms : D.ctime_s * 1000;
    bool expired = k->has_expire && (D.have_now || D.have_ctime) && k->expire_ms <= now;
    printf("{\"db\":%llu,\"key_hex\":\"", (unsigned long long)k->db);
    for (size_t i = 0; i < k->name_len; i++) printf("%02x", k->name[i]);
    printf("\",\"type\":\"%s\",\"encoding\":\"%s\",\"bytes\":%llu,\"ram\":%llu,\"count\":%llu,\"expired\":%s",
           rdb_kind_name(k->kind), r.encoding ? r.encoding : "", (unsigned long long)r.bytes,
           (unsigned long long)r.ram, (unsigned long long)end->elements, expired ? "true" : "false");
    if (r.has_slot) printf(",\"slot\":%u", (unsigned)r.slot);
    printf("}\n");
    return RDB_CONTINUE;
}

int main(int argc, char **argv)
{
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--profile") && i + 1 < argc) {
            D.forced = model_profile_find(argv[++i]);
            if (!D.forced) { fprintf(stderr, "unknown profile %s\n", argv[i]); return 2; }
        } else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            char kv[256], err[200];
            snprintf(kv, sizeof kv, "%s", argv[++i]);
            char *eq = strchr(kv, '=');
            if (!eq) { fprintf(stderr, "--config KEY=VALUE\n"); return 2; }
            *eq = 0;
            if (!D.cfg) D.cfg = model_config_new();
            if (model_config_set(D.cfg, kv, eq + 1, err, sizeof err) != 0) fprintf(stderr, "%s\n", err);
        } else if (!strcmp(argv[i], "--cluster")) {
            D.cluster = true;
        } else if (!strcmp(argv[i], "--now-ms") && i + 1 < argc) {
            D.now_ms = strtoll(argv[++i], NULL, 10);
            D.have_now = true;
        } else file = argv[i];
    }
    if (!file) { fprintf(stderr, "usage: accuracy_model [--profile NAME] FILE\n"); return 2; }
    int fd = open(file, O_RDONLY);
    if (fd < 0) { perror(file); return 2; }
    rdb_handlers h;
    memset(&h, 0, sizeof h);
    h.on_header = on_header; h.on_aux = on_aux; h.on_function = on_function;
    h.on_select_db = on_select_db; h.on_resize_db = on_resize_db; h.on_slot_info = on_slot_info;
    h.on_key_begin = on_key_begin; h.on_string = on_string; h.on_container = on_container;
    h.on_entry = on_entry; h.on_stream_entry = on_stream_entry; h.on_stream_meta = on_stream_meta;
    h.on_stream_group = on_stream_group; h.on_stream_pel = on_stream_pel;
    h.on_stream_consumer_pel = on_stream_consumer_pel; h.on_stream_consumer = on_stream_consumer;
    h.on_module_value = on_module_value; h.on_module_op = on_module_op;
    h.on_module_string = on_module_string;
    h.on_key_end = on_key_end;
    rdb_result res;
    rdb_status st = rdb_parse_fd(fd, &h, NULL, NULL, &res);
    close(fd);
    if (st != RDB_OK) {
        fprintf(stderr, "%s: %s at %llu: %s\n", file, rdb_status_name(st),
                (unsigned long long)res.error.offset, res.error.message);
        return 1;
    }
    model_totals t;
    model_finish(M(), &t);
    printf("{\"totals\":{\"cluster\":%d,\"profile\":\"%s\",\"predicted_used_memory\":%llu,\"startup\":%llu,\"keys_ram\":%llu,"
           "\"tables_ram\":%llu,\"functions_ram\":%llu,\"keys_loaded\":%llu,\"keys_expired\":%llu,\"usage_sum\":%llu}}\n",
           (int)model_cluster_mode(M()), model_profile_name(D.forced ? D.forced : model_profile_infer(D.redis_ver[0] ? D.redis_ver : NULL, D.valkey_ver[0] ? D.valkey_ver : NULL, D.rdb_version, D.flavor)),
           (unsigned long long)t.predicted_used_memory, (unsigned long long)t.startup_memory,
           (unsigned long long)t.keys_ram, (unsigned long long)t.tables_ram,
           (unsigned long long)t.functions_ram, (unsigned long long)t.keys_loaded,
           (unsigned long long)t.keys_expired, (unsigned long long)t.usage_sum);
    model_free(D.m);
    model_config_free(D.cfg);
    return 0;
}
