/* agg_cluster.h: the cluster view of a report: per hash slot sums, the
 * heaviest slots and hash tags, and shards (a slot layout, the keys and
 * bytes each shard would hold, the used_memory the memory model predicts
 * for a node holding them, and how full that is against a maxmemory).
 *
 * Everything is a plain sum per slot (model_slot_sums plus bytes), so the
 * slots of several dumps add up, and shards are computed from the slot
 * sums at the end: reports over the nodes of one cluster, or over the
 * dumps of many, combine slot by slot. Memory: fixed arrays of 16384 slots
 * and AGG_TAGS_TRACKED hash tags, allocated on the first key with a slot.
 *
 * Only keys a node would load are counted (a key expired at the file's
 * reference time is dropped by a loading master), so the slot sums can be
 * below the report's totals by its already-expired keys. */
#ifndef RDBLENS_AGG_CLUSTER_H
#define RDBLENS_AGG_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/agg_find.h"
#include "analyze/agg_tags.h"
#include "analyze/keyrec.h"
#include "analyze/slotmap.h"

struct model_slot_sums;   /* analyze/model.h */

typedef struct agg_cluster_options {
    bool enabled;                /* --cluster: a cluster view even without slots in the dump */
    const slotmap *shards;       /* NULL: no shard table */
    const char *shards_source;   /* how the layout was given, e.g. "--shards 3" */
    uint64_t maxmemory;          /* per node; 0: none */
    unsigned hot_tag_pct;        /* hash_tag_hotspot: a tag with >= pct of all bytes (5) */
} agg_cluster_options;

typedef struct agg_slot_row {
    unsigned slot;
    uint64_t keys, bytes;        /* keys a node loads, their bytes (MEMORY USAGE) */
    uint64_t expires, ram;       /* ... with a TTL; their allocations (model.h) */
} agg_slot_row;

typedef struct agg_shard_row {
    const char *name;
    const slot_range *ranges;    /* ascending */
    size_t nranges;
    unsigned first_slot, last_slot;
    uint64_t slots;              /* slots owned */
    uint64_t slots_used;         /* ... holding keys */
    uint64_t keys, bytes;
    bool has_predicted;          /* the profile has a cluster model */
    uint64_t predicted_used_memory;
    bool has_fill;               /* maxmemory given and a prediction */
    double fill_pct;             /* predicted_used_memory / maxmemory */
    const char *fill_flag;       /* "ok", "over_80", "over_100" */
} agg_shard_row;

typedef struct agg_cluster_summary {
    const char *reason;          /* why cluster mode: see agg_cluster_reason */
    const char *profile;         /* the node predictions' profile, or NULL */
    const agg_slot_row *slots;   /* every slot holding keys, ascending */
    size_t nslots;
    const agg_slot_row *const *heaviest;   /* top_n slots by bytes */
    size_t nheaviest;
    uint64_t keys, bytes;        /* over all slots */
    const agg_tag_row *const *tags;        /* most bytes first */
    size_t ntags;
    bool tags_exact;             /* no tag was evicted: every row is exact */
    uint64_t tagged_keys, tagged_bytes, tags_seen;
    const agg_shard_row *shards;
    size_t nshards;
    size_t nodes;                /* nodes of the layout (replicas included) */
    const char *shards_source;
    uint64_t maxmemory;
    uint64_t shard_bytes_max;    /* skew = max / mean shard bytes */
    double skew;
    uint64_t unassigned_slots_used, unassigned_keys, unassigned_bytes;   /* slot map gaps */
    uint64_t other_db_keys;      /* keys outside db 0 (a cluster node refuses them) */
    uint64_t functions_ram;      /* on every node: the largest set of the files */
} agg_cluster_summary;

typedef struct agg_cluster agg_cluster;

agg_cluster *agg_cluster_new(const agg_cluster_options *o);
void agg_cluster_free(agg_cluster *c);
/* Before a file's first key: model_sums true when the memory model keeps
 * this file's slot sums itself (cluster mode) and every key of the file is
 * counted (no filter): the sums then come whole with agg_cluster_file, and
 * agg_cluster_add only looks at hash tags. Random writes into 16384-slot
 * arrays cost a cache miss per key, so the model's are not kept twice. */
void agg_cluster_begin_file(agg_cluster *c, bool model_sums);
/* One key accepted by the report (it must have a slot); expired: already
 * expired at its file's reference time. -1 when out of memory. */
int agg_cluster_add(agg_cluster *c, const key_record *r, bool expired);
/* Per file: why cluster mode holds ("--cluster", or what the dump
 * carries), the node's function memory (on every node), keys outside db 0,
 * and the model's slot sums (model_cluster_slots; used when the file began
 * with model_sums). */
void agg_cluster_file(agg_cluster *c, const char *reason, uint64_t functions_ram,
                      uint64_t other_db_keys, const struct model_slot_sums *slots);
/* profile: the memory model's line for node predictions (NULL or one
 * without a cluster model: no predictions); top_n: heaviest slots kept.
 * NULL only when out of memory. */
/* Another cluster view (a saved report's, another file's): its slot sums,
 * hash tags (Space-Saving merged: agg_tags_add_row), reason, function
 * memory and keys outside db 0, as agg_cluster_file takes a file's. The
 * shards are derived from the sums at agg_cluster_finish. -1 when out of
 * memory, -2 when a slot is out of range. */
int agg_cluster_absorb(agg_cluster *c, const agg_cluster_summary *s);
const agg_cluster_summary *agg_cluster_finish(agg_cluster *c, const char *profile, size_t top_n);
/* After agg_cluster_finish: hash_tag_hotspot (a tag holding hot_tag_pct %
 * of the bytes; critical from half), shard_over_maxmemory /
 * shard_near_maxmemory (over 100 % / 80 %), cluster_keys_outside_db0;
 * at most per_kind tags. The caller re-orders f. -1 when out of memory. */
int agg_cluster_findings(const agg_cluster *c, agg_find *f, size_t per_kind);

#endif
