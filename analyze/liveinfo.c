/* liveinfo.c: INFO output parsed and set beside the prediction (liveinfo.h). */
#include "analyze/liveinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const NAMES[LI_COUNT_] = {
    [LI_USED_MEMORY] = "used_memory", [LI_USED_MEMORY_RSS] = "used_memory_rss",
    [LI_USED_MEMORY_PEAK] = "used_memory_peak", [LI_USED_MEMORY_STARTUP] = "used_memory_startup",
    [LI_USED_MEMORY_DATASET] = "used_memory_dataset", [LI_USED_MEMORY_OVERHEAD] = "used_memory_overhead",
    [LI_ALLOCATOR_ALLOCATED] = "allocator_allocated", [LI_ALLOCATOR_ACTIVE] = "allocator_active",
    [LI_ALLOCATOR_RESIDENT] = "allocator_resident", [LI_MEM_CLIENTS_NORMAL] = "mem_clients_normal",
    [LI_MEM_CLIENTS_SLAVES] = "mem_clients_slaves", [LI_MEM_REPLICATION_BACKLOG] = "mem_replication_backlog",
    [LI_MEM_TOTAL_REPLICATION_BUFFERS] = "mem_total_replication_buffers",
    [LI_MEM_AOF_BUFFER] = "mem_aof_buffer", [LI_USED_MEMORY_LUA] = "used_memory_lua",
    [LI_USED_MEMORY_VM_EVAL] = "used_memory_vm_eval", [LI_USED_MEMORY_SCRIPTS] = "used_memory_scripts",
    [LI_USED_MEMORY_SCRIPTS_EVAL] = "used_memory_scripts_eval",
    [LI_USED_MEMORY_FUNCTIONS] = "used_memory_functions", [LI_MEM_CLUSTER_LINKS] = "mem_cluster_links",
    [LI_MAXMEMORY] = "maxmemory", [LI_TOTAL_SYSTEM_MEMORY] = "total_system_memory",
};

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

static bool parse_u64(const char *s, size_t n, uint64_t *out) {
    if (n == 0 || n > 20) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* "keys=12,expires=3,avg_ttl=0" */
static void keyspace(live_info *li, const char *v, size_t n) {
    uint64_t keys = 0, expires = 0;
    bool got = false;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j] != ',') j++;
        const char *eq = memchr(v + i, '=', j - i);
        if (eq) {
            size_t kl = (size_t)(eq - (v + i)), vl = j - i - kl - 1;
            uint64_t x;
            if (kl == 4 && !memcmp(v + i, "keys", 4) && parse_u64(eq + 1, vl, &x)) keys = x, got = true;
            if (kl == 7 && !memcmp(v + i, "expires", 7) && parse_u64(eq + 1, vl, &x)) expires = x;
        }
        i = j + 1;
    }
    if (!got) return;
    li->has_keyspace = true;
    li->keys += keys;
    li->expires += expires;
}

int liveinfo_parse(const char *text, size_t len, live_info *li, char *err, size_t errlen) {
    memset(li, 0, sizeof *li);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t'))
            return ERR("not the output of INFO: byte %zu is binary (0x%02x)", i, c);
    }
    size_t line = 0;
    for (size_t at = 0; at < len;) {
        size_t end = at;
        while (end < len && text[end] != '\n') end++;
        size_t n = end - at;
        if (n && text[at + n - 1] == '\r') n--;
        const char *l = text + at;
        line++;
        at = end + 1;
        if (n == 0 || l[0] == '#') continue;
        const char *colon = memchr(l, ':', n);
        if (!colon) continue;  /* lenient: a stray line is not fatal */
        size_t kl = (size_t)(colon - l), vl = n - kl - 1;
        const char *v = colon + 1;
        if (kl > 2 && !memcmp(l, "db", 2) && l[2] >= '0' && l[2] <= '9') {
            keyspace(li, v, vl);
            continue;
        }
        if ((kl == 13 && !memcmp(l, "redis_version", 13)) || (kl == 14 && !memcmp(l, "valkey_version", 14))) {
            if (!li->version[0] || kl == 14) snprintf(li->version, sizeof li->version, "%.*s", (int)vl, v);
            continue;
        }
        if (kl == 16 && !memcmp(l, "maxmemory_policy", 16)) {
            snprintf(li->maxmemory_policy, sizeof li->maxmemory_policy, "%.*s", (int)vl, v);
            continue;
        }
        if (kl == 23 && !memcmp(l, "mem_fragmentation_ratio", 23)) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%.*s", (int)(vl < 31 ? vl : 31), v);
            char *e;
            double d = strtod(tmp, &e);
            if (e != tmp && *e == '\0') li->fragmentation_ratio = d, li->has_fragmentation_ratio = true;
            continue;
        }
        for (int f = 0; f < LI_COUNT_; f++) {
            if (strlen(NAMES[f]) != kl || memcmp(NAMES[f], l, kl) != 0) continue;
            if (!parse_u64(v, vl, &li->v[f]))
                return ERR("line %zu: %s is not a whole number ('%.*s')", line, NAMES[f], (int)(vl < 40 ? vl : 40), v);
            li->has[f] = true;
        }
    }
    if (!li->has[LI_USED_MEMORY])
        return ERR("not the output of INFO (or INFO memory): it has no used_memory field");
    return 0;
}

static uint64_t get(const live_info *li, int f) { return li->has[f] ? li->v[f] : 0; }

void liveinfo_explain(const live_info *li, uint64_t predicted, uint64_t model_startup, live_explained *x) {
    memset(x, 0, sizeof *x);
    x->live = get(li, LI_USED_MEMORY);
    x->predicted = predicted;
    x->gap = (int64_t)x->live - (int64_t)predicted;
    /* From 7.0 replicas' output buffers are one buffer shared with the
     * backlog, counted in mem_total_replication_buffers; before, the
     * backlog and each replica's buffer were apart. */
    if (li->has[LI_MEM_TOTAL_REPLICATION_BUFFERS]) {
        x->replication = get(li, LI_MEM_TOTAL_REPLICATION_BUFFERS);
        x->clients = get(li, LI_MEM_CLIENTS_NORMAL);
    } else {
        x->replication = get(li, LI_MEM_REPLICATION_BACKLOG);
        x->clients = get(li, LI_MEM_CLIENTS_NORMAL) + get(li, LI_MEM_CLIENTS_SLAVES);
    }
    x->aof_buffer = get(li, LI_MEM_AOF_BUFFER);
    /* the EVAL script cache is in used_memory; functions are in the
     * prediction already (the dump holds them) */
    x->scripts = li->has[LI_USED_MEMORY_SCRIPTS_EVAL] ? get(li, LI_USED_MEMORY_SCRIPTS_EVAL)
                                                      : get(li, LI_USED_MEMORY_SCRIPTS);
    if (li->has[LI_USED_MEMORY_STARTUP] && model_startup) {
        int64_t d = (int64_t)get(li, LI_USED_MEMORY_STARTUP) - (int64_t)model_startup;
        x->startup_delta_abs = (uint64_t)(d < 0 ? -d : d);
    }
    x->rest = x->gap - (int64_t)(x->clients + x->replication + x->aof_buffer + x->scripts);
    if (li->has[LI_USED_MEMORY_RSS]) {
        x->has_rss = true;
        x->rss = get(li, LI_USED_MEMORY_RSS);
        x->rss_over_used = (int64_t)x->rss - (int64_t)x->live;
        x->frag_ratio = x->live ? (double)x->rss / (double)x->live : 0.0;
    }
}
