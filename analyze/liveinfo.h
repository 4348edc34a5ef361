/* liveinfo.h: the live server's own numbers (`redis-cli INFO`, or just
 * `INFO memory`, saved to a file) set beside what the dump predicts, so an
 * operator after an OOM sees what the data takes and what else the server
 * held: buffers, scripts, fragmentation.
 *
 * Parsing is lenient as INFO output varies by version: "field:value" lines
 * in any order, "# Section" headers, CRLF or LF, unknown fields ignored,
 * keyspace lines ("db0:keys=1,expires=0,avg_ttl=0") summed. It refuses
 * what is not INFO at all (no used_memory field, binary bytes) with a
 * reason.
 *
 * The explanation (liveinfo_explain) splits the gap between the live
 * used_memory and the used_memory predicted after a restart into what INFO
 * names (client buffers, replication backlog and buffers, the AOF buffer,
 * Lua and scripts) and the rest: allocations a fresh load would make
 * smaller (slack inside allocations, data written since the dump, keys
 * not yet expired); the parts add up to the gap exactly. RSS above
 * used_memory is fragmentation and allocator overhead outside the data.
 */
#ifndef RDBLENS_LIVEINFO_H
#define RDBLENS_LIVEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    LI_USED_MEMORY, LI_USED_MEMORY_RSS, LI_USED_MEMORY_PEAK, LI_USED_MEMORY_STARTUP,
    LI_USED_MEMORY_DATASET, LI_USED_MEMORY_OVERHEAD, LI_ALLOCATOR_ALLOCATED, LI_ALLOCATOR_ACTIVE,
    LI_ALLOCATOR_RESIDENT, LI_MEM_CLIENTS_NORMAL, LI_MEM_CLIENTS_SLAVES, LI_MEM_REPLICATION_BACKLOG,
    LI_MEM_TOTAL_REPLICATION_BUFFERS, LI_MEM_AOF_BUFFER, LI_USED_MEMORY_LUA, LI_USED_MEMORY_VM_EVAL,
    LI_USED_MEMORY_SCRIPTS, LI_USED_MEMORY_SCRIPTS_EVAL, LI_USED_MEMORY_FUNCTIONS, LI_MEM_CLUSTER_LINKS, LI_MAXMEMORY,
    LI_TOTAL_SYSTEM_MEMORY, LI_COUNT_
};

typedef struct live_info {
    uint64_t v[LI_COUNT_];
    bool has[LI_COUNT_];
    double fragmentation_ratio;      /* mem_fragmentation_ratio, when present */
    bool has_fragmentation_ratio;
    char version[32];                /* redis_version / valkey_version, "" if absent */
    char maxmemory_policy[32];
    bool has_keyspace;
    uint64_t keys, expires;          /* summed over the keyspace section's dbN lines */
} live_info;

/* 0, or -1 with the reason in err ("line 3: ..."). */
int liveinfo_parse(const char *text, size_t len, live_info *out, char *err, size_t errlen);

/* The gap between live used_memory and the prediction, in parts. */
typedef struct live_explained {
    uint64_t live, predicted;
    int64_t gap;                     /* live - predicted */
    uint64_t clients;                /* normal clients and replicas' output buffers */
    uint64_t replication;            /* backlog (or the shared replication buffers) */
    uint64_t aof_buffer;
    uint64_t scripts;                /* cached EVAL scripts (and the Lua VM from 7.4, which counts it) */
    uint64_t startup_delta_abs;      /* |live startup - model startup|, when both are known */
    int64_t rest;                    /* gap - the named parts: slack, newer data, ... */
    bool has_rss;
    uint64_t rss;
    int64_t rss_over_used;           /* rss - live used_memory */
    double frag_ratio;               /* rss / used_memory, as INFO computes it */
} live_explained;

void liveinfo_explain(const live_info *li, uint64_t predicted_used_memory, uint64_t model_startup,
                      live_explained *out);

#endif
