/* model.h: the per-version memory model.
 *
 * A pure function of parser events: feed it the events of rdb.h (the
 * model_on_* functions have the signatures of the rdb_handlers fields, with
 * ctx = model*), call model_key_end from the key-end handler to fill a
 * key_record, and model_finish at the end for the whole-dump totals.
 *
 * What the numbers mean (see README.md):
 *   bytes    = what `MEMORY USAGE key SAMPLES 0` returns on a fresh server of
 *              the target profile right after it loaded this dump;
 *   encoding = what `OBJECT ENCODING key` returns there;
 *   ram      = the key's own allocations (value, key name, dict entry, expires
 *              entry) plus its share of the main table's bucket array,
 *              shared integers costing 0;
 *   predicted_used_memory = `used_memory` of that server after the load.
 *
 * No I/O, no globals besides constant profile tables; memory per key is
 * bounded (sizes are accumulated, elements are never stored). */
#ifndef RDBLENS_MODEL_H
#define RDBLENS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/enc_limits.h"
#include "analyze/keyrec.h"
#include "rdb/rdb.h"

/* ---- profiles (one per server line; constant tables) -------------------- */

typedef struct model_profile model_profile;

const model_profile *model_profile_find(const char *name);   /* NULL if unknown */
/* Default profile for a dump: aux redis-ver / valkey-ver (either may be NULL),
 * else the RDB version; flavor is an rdb_flavor. Never NULL. */
const model_profile *model_profile_infer(const char *redis_ver, const char *valkey_ver,
                                         unsigned rdb_version, int flavor);
size_t model_profile_count(void);
const model_profile *model_profile_at(size_t i);
const char *model_profile_name(const model_profile *p);
const char *model_profile_describe(const model_profile *p);
/* True for a profile whose numbers are estimates from the server's sources,
 * not measured on that server (the Redis 8.6+ and Valkey 9 lines). */
bool model_profile_estimated(const model_profile *p);

/* ---- configuration overrides (--config KEY=VALUE) ----------------------- */

typedef struct model_config model_config;

model_config *model_config_new(void);
/* Keys: hash-max-listpack-entries, hash-max-listpack-value (and the
 * -ziplist- spellings), set-max-intset-entries, set-max-listpack-entries,
 * set-max-listpack-value, zset-max-listpack-entries, zset-max-listpack-value
 * (and -ziplist-), list-max-listpack-size (list-max-ziplist-size),
 * list-compress-depth, maxmemory, maxmemory-policy, stream-node-max-bytes,
 * stream-node-max-entries. Returns 0, or -1 with a message in err. */
int model_config_set(model_config *c, const char *key, const char *value,
                     char *err, size_t errlen);
void model_config_free(model_config *c);

/* ---- the model ---------------------------------------------------------- */

typedef struct model model;

model *model_new(const model_profile *p, const model_config *cfg /* may be NULL */);
void model_free(model *m);

/* The compact-encoding limits of the model's target server: its profile's
 * defaults with the --config overrides applied, zero for an encoding the
 * server does not have (set listpacks before 7.2, whatever --config says),
 * negative settings as 0. The same numbers the model decides encodings by. */
void model_enc_limits(const model *m, enc_limits *out);

/* Keys expiring at or before now_ms are not loaded (a master drops them);
 * they are counted in keys_expired / bytes_expired. Default: the dump's
 * `ctime` aux field (seconds), else no key counts as expired. */
void model_set_reference_time_ms(model *m, int64_t now_ms);

int model_on_aux(void *m, rdb_bytes k, rdb_bytes v);
int model_on_function(void *m, rdb_bytes code);
int model_on_select_db(void *m, uint64_t db);
int model_on_resize_db(void *m, uint64_t db_size, uint64_t expires_size);
int model_on_key_begin(void *m, const rdb_key *k);
int model_on_string(void *m, const rdb_key *k, const rdb_string_chunk *c);
int model_on_container(void *m, const rdb_key *k, const rdb_container *c);
int model_on_entry(void *m, const rdb_key *k, const rdb_entry *e);
/* n element events in a row (rdb_handlers.on_entries): the same as n
 * model_on_entry calls. */
int model_on_entries(void *m, const rdb_key *k, const rdb_entry *e, size_t n);
int model_on_stream_entry(void *m, const rdb_key *k, const rdb_stream_entry *e);
int model_on_stream_meta(void *m, const rdb_key *k, const rdb_stream_meta *sm);
int model_on_stream_group(void *m, const rdb_key *k, const rdb_stream_group *g);
int model_on_stream_pel(void *m, const rdb_key *k, const rdb_stream_pel *p);
int model_on_stream_consumer_pel(void *m, const rdb_key *k, const rdb_stream_id *id);
int model_on_stream_consumer(void *m, const rdb_key *k, const rdb_stream_consumer *c);
int model_on_stream_nack_zone(void *m, const rdb_key *k, const rdb_stream_nack_zone *z);
int model_on_stream_nack(void *m, const rdb_key *k, const rdb_stream_id *id);
int model_on_stream_idmp(void *m, const rdb_key *k, const rdb_stream_idmp *i);
int model_on_hash_template(void *m, const rdb_hash_template *t);
int model_on_module_value(void *m, const rdb_key *k, const rdb_module_type *t);
int model_on_module_op(void *m, const rdb_key *k, const rdb_module_op *op);
int model_on_module_string(void *m, const rdb_key *k, const rdb_string_chunk *c);

/* Fills rec->encoding, rec->bytes, rec->ram, rec->has_bytes, and for module
 * values rec->bytes_basis, rec->serialized_bytes and (when the module's
 * decoder counts them) rec->elements; leaves the other fields alone. Call
 * it from the on_key_end handler. */
void model_key_end(model *m, const rdb_key *k, const rdb_key_end *end, key_record *rec);

/* A sign in the dump that the server that wrote it ran a non-default
 * config the prediction does not know (the dump does not carry config):
 * the directive, the value the dump suggests, and how much the predicted
 * used_memory would move with --config DIRECTIVE=VALUE. model_hints.c. */
typedef struct model_config_hint {
    const char *directive;          /* "list-compress-depth", "hash-max-listpack-entries", ... */
    uint64_t value;                 /* the value the dump suggests (at least) */
    uint64_t keys;                  /* keys the sign comes from */
    uint64_t saving;                /* used_memory this much lower with it (estimate) */
    const char *sign;               /* what was seen, for the report */
} model_config_hint;

#define MODEL_MAX_HINTS 8

typedef struct model_totals {
    uint64_t predicted_used_memory; /* startup + keys + tables + functions */
    uint64_t startup_memory;        /* empty server of the profile, one client */
    uint64_t keys_ram;              /* sum over loaded keys of their allocations */
    uint64_t tables_ram;            /* main and expires bucket arrays */
    uint64_t functions_ram;         /* function libraries (estimate) */
    uint64_t templates_ram;         /* Redis 8.10 hash-template registry (estimate) */
    uint64_t modules_ram;           /* load overhead of the modules whose values the dump holds */
    uint64_t keys_loaded, keys_expired, bytes_expired;
    uint64_t usage_sum;             /* sum of `bytes` over loaded keys */
    model_config_hint hints[MODEL_MAX_HINTS];
    size_t nhints;
} model_totals;

void model_finish(model *m, model_totals *out);

/* ---- cluster mode ---------------------------------------------------------
 * The model then predicts a cluster node of the target version: per key the
 * slot (key_record.slot) and the slot bookkeeping of that version (6.2: a
 * radix tree of slot+key, 7.0 / 7.2: 16 bytes of metadata in every main
 * dict entry, 7.4+ and valkey 8: one dict per slot), per node its larger
 * start-up memory (model_cluster.c). In cluster mode key_record.ram is the
 * key's own allocations with its share of that bookkeeping, without a share
 * of any table: tables are counted per node (model_cluster_node_memory). */

typedef enum model_cluster_reason {
    MODEL_CLUSTER_OFF,
    MODEL_CLUSTER_OPTION,          /* asked for (--cluster) */
    MODEL_CLUSTER_SLOT_INFO,       /* the dump carries SLOT_INFO records (redis 7.4+) */
    MODEL_CLUSTER_SLOT_INFO_AUX,   /* the dump carries slot-info aux fields (valkey 8) */
} model_cluster_reason;

/* false for the lines no cluster node was measured for (before 6.2) */
bool model_profile_has_cluster(const model_profile *p);
/* Before the first key. -1: the profile has no cluster model, or out of memory. */
int model_set_cluster(model *m, model_cluster_reason why);
model_cluster_reason model_cluster_mode(const model *m);
/* "--cluster", "the dump carries SLOT_INFO records", ...; NULL for OFF */
const char *model_cluster_reason_text(model_cluster_reason r);
/* keys outside db 0, which a cluster node refuses to load */
uint64_t model_cluster_other_db_keys(const model *m);
/* SLOT_INFO: implies cluster mode before the first key (valkey's slot-info
 * aux field, seen by model_on_aux, does too). */
int model_on_slot_info(void *m, uint64_t slot, uint64_t size, uint64_t expires);

/* Per hash slot, the keys a node loaded: counts and the sums of their
 * key_record.ram and .bytes. Plain sums: slots of several dumps add up. */
typedef struct model_slot_sums {
    uint64_t keys, expires, ram, bytes;
} model_slot_sums;

#define MODEL_SLOTS 16384
/* The model's own sums (MODEL_SLOTS entries), NULL outside cluster mode. */
const model_slot_sums *model_cluster_slots(const model *m);
/* used_memory of a fresh cluster node of profile p that loaded the keys of
 * the slots whose owned[slot] is non-zero (owned NULL: every slot):
 * start-up (of a one-node cluster) + the keys + slot bookkeeping and
 * tables + functions_ram (function libraries are on every node). A node
 * of an N-node cluster adds (N - 1) * model_cluster_peer_bytes. */
uint64_t model_cluster_node_memory(const model_profile *p, const model_slot_sums *slots,
                                   const uint8_t *owned, uint64_t functions_ram);
/* What a node keeps for each other node of its cluster (model_cluster.c). */
uint64_t model_cluster_peer_bytes(const model_profile *p);

#endif
