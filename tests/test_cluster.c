/* test_cluster.c: the memory model in cluster mode against reloaded
 * cluster nodes (tests/fixtures/corpus-cluster, from ../shared/corpus-
 * cluster: every version's cluster-main dump and what a fresh cluster node
 * of that version reported right after loading it), and key slots against
 * the slots the writing servers declared (SLOT_INFO, slot-info).
 *
 * Per dump: every encoding right, every key's MEMORY USAGE exact but
 * skiplists' (random node levels) and Valkey's hashtable sets (their dict
 * entries depend on the process's hash seed), >= 95 % exact, used_memory
 * within 0.2 %. The larger cluster-bigkeys dumps of ../shared are checked
 * the same way when ../shared is there. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/slotmap.h"
#include "tests/support/minijson.h"
#include "tests/support/modeldrive.h"
#include "tests/support/truth.h"

#define FIX "tests/fixtures/corpus-cluster"
#define SHARED "../shared/corpus-cluster"

typedef struct check {
    truth_set truth;
    bool valkey;
    const char *dump;
    size_t keys, exact, enc_ok, missing;
    /* slots */
    bool have_declared;
    uint64_t declared;             /* the slot SLOT_INFO / slot-info announced last */
    uint64_t declared_keys[16384]; /* per slot, as announced */
    uint64_t seen_keys[16384];     /* keys read after the announcement */
    size_t slot_checked;
} check;

/* CRC-16/XMODEM bit by bit, and keyHashSlot's tag rule, written here */
static unsigned ref_slot(const uint8_t *k, size_t n) {
    size_t s = 0, e;
    while (s < n && k[s] != '{') s++;
    if (s < n) {
        for (e = s + 1; e < n && k[e] != '}'; e++) {}
        if (e < n && e > s + 1) { k += s + 1; n = e - s - 1; }
    }
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint16_t)(k[i] << 8);
        for (int b = 0; b < 8; b++) crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc & 16383;
}

static void on_slot_info(void *ctx, uint64_t slot, uint64_t keys, uint64_t expires) {
    check *c = ctx;
    (void)expires;
    cr_assert_lt(slot, 16384);
    c->have_declared = true;
    c->declared = slot;
    c->declared_keys[slot] = keys;
}

/* valkey 8.0: "slot-info" = "<slot>,<keys>,<keys with TTL>" */
static void on_aux(void *ctx, rdb_bytes k, rdb_bytes v) {
    if (k.len != 9 || memcmp(k.ptr, "slot-info", 9)) return;
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)(v.len < 63 ? v.len : 63), (const char *)v.ptr);
    unsigned long long s, n, e;
    cr_assert_eq(sscanf(buf, "%llu,%llu,%llu", &s, &n, &e), 3, "slot-info '%s'", buf);
    on_slot_info(ctx, s, n, e);
}

static void on_key(void *ctx, const rdb_key *k, const key_record *r) {
    check *c = ctx;
    cr_assert(r->has_slot, "%s: no slot in cluster mode", c->dump);
    cr_assert_eq(r->slot, ref_slot(k->name, k->name_len), "%s: %.*s", c->dump, (int)k->name_len, k->name);
    if (c->have_declared) {
        cr_assert_eq(r->slot, c->declared, "%s: %.*s in slot %u, the server put it in %llu", c->dump,
                     (int)k->name_len, k->name, r->slot, (unsigned long long)c->declared);
        c->seen_keys[r->slot]++;
        c->slot_checked++;
    }
    const truth_key *w = truth_find(&c->truth, k->db, k->name, k->name_len);
    if (!w || !w->has_mu) {
        c->missing++;   /* expired before the reload */
        return;
    }
    c->keys++;
    bool enc = r->encoding && !strcmp(r->encoding, w->encoding);
    c->enc_ok += enc;
    cr_expect(enc, "%s: %.*s: encoding %s, the node says %s", c->dump, (int)k->name_len, k->name,
              r->encoding ? r->encoding : "-", w->encoding);
    if (r->bytes == w->mu) {
        c->exact++;
        return;
    }
    bool allowed = (!strcmp(w->type, "zset") && !strcmp(w->encoding, "skiplist")) ||
                   (c->valkey && !strcmp(w->type, "set") && !strcmp(w->encoding, "hashtable"));
    double e = ((double)r->bytes - (double)w->mu) / (double)w->mu;
    cr_expect(allowed && e < 0.05 && e > -0.05, "%s: %.*s (%s/%s): %llu bytes, the node says %llu",
              c->dump, (int)k->name_len, k->name, w->type, w->encoding,
              (unsigned long long)r->bytes, (unsigned long long)w->mu);
}

static long long meta_int(const char *text, const char *section, const char *name) {
    const char *p = section ? strstr(text, section) : text;
    cr_assert_not_null(p, "no %s", section);
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\": ", name);
    p = strstr(p, pat);
    cr_assert_not_null(p, "no %s", name);
    return strtoll(p + strlen(pat), NULL, 10);
}

/* One cluster dump: dir/version/cluster-<stem>.rdb with its reload truth. */
static void check_dump(const char *dir, const char *version, const char *profile, const char *stem,
                       bool option) {
    char dump[512], path[512], err[512];
    snprintf(dump, sizeof dump, "%s/%s/cluster-%s.rdb", dir, version, stem);
    check *c = calloc(1, sizeof *c);
    c->dump = dump;
    c->valkey = !strncmp(version, "valkey", 6);
    snprintf(path, sizeof path, "%s/%s/reload-cluster-%s.jsonl", dir, version, stem);
    if (truth_load(path, &c->truth) != 0) {
        snprintf(path, sizeof path, "%s/%s/reload-cluster-%s.jsonl.gz", dir, version, stem);
        cr_assert_eq(truth_load(path, &c->truth), 0, "cannot read the truth of %s", dump);
    }
    snprintf(path, sizeof path, "%s/%s/reload-meta-cluster-%s.json", dir, version, stem);
    char *meta = mj_slurp(path, NULL);
    cr_assert_not_null(meta, "cannot read %s", path);
    long long real = meta_int(meta, "\"info_memory\": {", "used_memory");
    modeldrive r = {.profile = model_profile_find(profile), .cluster = option, .has_now = true,
                  .now_ms = meta_int(meta, NULL, "loaded_time_ms"), .on_key = on_key,
                  .on_slot_info = on_slot_info, .on_aux = on_aux, .ctx = c};
    free(meta);
    cr_assert_eq(modeldrive_file(&r, dump, err, sizeof err), 0, "%s", err);

    cr_expect_neq(r.cluster_mode, MODEL_CLUSTER_OFF, "%s: not in cluster mode", dump);
    cr_expect_eq(c->enc_ok, c->keys);
    cr_expect_geq(100.0 * (double)c->exact, 95.0 * (double)c->keys, "%s: %zu of %zu keys exact", dump,
                  c->exact, c->keys);
    cr_expect_leq(c->missing, 10, "%s: %zu keys not in the truth", dump, c->missing);
    double e = 100.0 * ((double)r.totals.predicted_used_memory - (double)real) / (double)real;
    cr_expect(e > -0.2 && e < 0.2, "%s: predicted used_memory %llu, the node %lld (%+.3f %%)", dump,
              (unsigned long long)r.totals.predicted_used_memory, real, e);

    /* the model's slot sums: every loaded key once, per the server's slots */
    const model_slot_sums *s = model_cluster_slots(r.m);
    cr_assert_not_null(s);
    uint64_t keys = 0, ram = 0;
    for (unsigned i = 0; i < 16384; i++) {
        keys += s[i].keys;
        ram += s[i].ram;
        if (c->have_declared) {
            cr_expect_eq(c->seen_keys[i], c->declared_keys[i], "%s: slot %u: %llu keys read, %llu declared",
                         dump, i, (unsigned long long)c->seen_keys[i],
                         (unsigned long long)c->declared_keys[i]);
            cr_expect_leq(s[i].keys, c->declared_keys[i]);
        }
    }
    cr_expect_eq(keys, r.totals.keys_loaded);
    cr_expect_eq(ram, r.totals.keys_ram);
    if (c->have_declared) cr_expect_eq(c->slot_checked, r.totals.keys_loaded + r.totals.keys_expired);
    /* a node holding every slot is the whole dump's node (7.4+: exactly) */
    uint64_t node = model_cluster_node_memory(r.used, s, NULL, r.totals.functions_ram);
    double ne = 100.0 * ((double)node - (double)r.totals.predicted_used_memory) /
                (double)r.totals.predicted_used_memory;
    cr_expect(ne > -0.05 && ne < 0.05, "%s: node of all slots %llu, the dump's %llu", dump,
              (unsigned long long)node, (unsigned long long)r.totals.predicted_used_memory);
    modeldrive_free(&r);
    truth_free(&c->truth);
    free(c);
}

static const struct { const char *version, *profile; bool slot_info; } VERSIONS[] = {
    {"redis-6.2.16", "redis-6.2", false}, {"redis-7.0.15", "redis-7.0", false},
    {"redis-7.2.6", "redis-7.2", false},  {"redis-7.4.1", "redis-7.4", true},
    {"redis-unstable", "redis-8.0", true}, {"valkey-8.0.1", "valkey-8.0", true},
};

Test(cluster, main_dumps_with_cluster_option) {
    for (size_t i = 0; i < sizeof VERSIONS / sizeof VERSIONS[0]; i++)
        check_dump(FIX, VERSIONS[i].version, VERSIONS[i].profile, "main", true);
}

/* 7.4+ and Valkey say so themselves (SLOT_INFO, slot-info); before 7.4 a
 * cluster node's dump looks like any other, and stays standalone. */
Test(cluster, implied_by_slot_info) {
    char err[256], dump[256];
    for (size_t i = 0; i < sizeof VERSIONS / sizeof VERSIONS[0]; i++) {
        snprintf(dump, sizeof dump, FIX "/%s/cluster-main.rdb", VERSIONS[i].version);
        modeldrive r = {0};
        cr_assert_eq(modeldrive_file(&r, dump, err, sizeof err), 0, "%s", err);
        model_cluster_reason want = !VERSIONS[i].slot_info ? MODEL_CLUSTER_OFF
                                    : !strncmp(VERSIONS[i].version, "valkey", 6) ? MODEL_CLUSTER_SLOT_INFO_AUX
                                                                                   : MODEL_CLUSTER_SLOT_INFO;
        cr_expect_eq(r.cluster_mode, want, "%s: cluster mode %d", dump, r.cluster_mode);
        cr_expect_str_eq(model_profile_name(r.used), VERSIONS[i].profile);
        modeldrive_free(&r);
    }
    for (size_t i = 3; i < sizeof VERSIONS / sizeof VERSIONS[0]; i++)
        check_dump(FIX, VERSIONS[i].version, VERSIONS[i].profile, "main", false);
}

/* Shards of a 7.4 node's keys: per-slot tables add up, so three nodes'
 * predictions are three start-ups plus the whole dump's keys and tables. */
Test(cluster, shard_predictions_add_up) {
    char err[256];
    modeldrive r = {.cluster = true};
    cr_assert_eq(modeldrive_file(&r, FIX "/redis-7.4.1/cluster-main.rdb", err, sizeof err), 0, "%s", err);
    const model_slot_sums *s = model_cluster_slots(r.m);
    slotmap m;
    cr_assert_eq(slotmap_even(&m, 3), 0);
    uint8_t *owned = calloc(16384, 1);
    uint64_t sum = 0;
    for (size_t i = 0; i < m.nshards; i++) {
        memset(owned, 0, 16384);
        const slot_range *g = &m.ranges[m.shards[i].first_range];
        for (unsigned x = g->first; x <= g->last; x++) owned[x] = 1;
        sum += model_cluster_node_memory(r.used, s, owned, r.totals.functions_ram);
    }
    uint64_t all = model_cluster_node_memory(r.used, s, NULL, r.totals.functions_ram);
    uint64_t startup = r.totals.startup_memory;
    cr_expect_eq(sum - 3 * (startup + r.totals.functions_ram), all - startup - r.totals.functions_ram);
    free(owned);
    slotmap_free(&m);
    modeldrive_free(&r);
}

Test(cluster, bigkeys_from_shared, .timeout = 300) {
    static const struct { const char *version, *profile; } big[] = {
        {"redis-7.0.15", "redis-7.0"}, {"redis-7.4.1", "redis-7.4"}, {"valkey-8.0.1", "valkey-8.0"}};
    if (access(SHARED "/redis-7.0.15/cluster-bigkeys.rdb", R_OK) != 0)
        cr_skip_test("../shared/corpus-cluster is not here: the cluster-bigkeys dumps are not checked");
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
        check_dump(SHARED, big[i].version, big[i].profile, "bigkeys", true);
}
