/* model_int.h: internals shared by the analyze/ files (not for other modules). */
#ifndef RDBLENS_MODEL_INT_H
#define RDBLENS_MODEL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/enc_limits.h"
#include "analyze/idmap.h"
#include "analyze/model.h"
#include "analyze/dictsim.h"

enum { FAM_REDIS = 0, FAM_VALKEY = 1 };
/* how a cluster node maps keys to slots (model_cluster.c) */
enum { CLUSTER_NONE, CLUSTER_RAX, CLUSTER_ENTRY_META, CLUSTER_KVSTORE };
enum { ALLOC_JE3 = 3, ALLOC_JE4 = 4, ALLOC_JE16 = 16 };
/* jemalloc 3.6 (16-byte quantum), 4.x/5.x built with an 8-byte quantum (the
 * bundled one), 5.x with its default 16-byte quantum (Debian's libjemalloc2) */

/* How MEMORY USAGE charges an EMBSTR string. */
enum { MU_EMB_NONE, MU_EMB_LEN2, MU_EMB_ZMALLOC };

/* One server line. Every number cites its source in profile.c. */
struct model_profile {
    const char *name;
    const char *describe;
    int family;              /* FAM_REDIS / FAM_VALKEY */
    unsigned ver;            /* major*100 + minor, e.g. 700; dev lines as the next release */
    int alloc;               /* ALLOC_JE3 / ALLOC_JE4 */
    bool has_memory_usage;   /* MEMORY USAGE exists (4.0+) */
    unsigned embstr_limit;   /* 0 = no EMBSTR encoding */
    int mu_embstr;           /* MU_EMB_* */
    bool mu_sds_rounded;     /* MU charges sds by zmalloc size (6.2+), else hdr+len+1 */
    bool mu_blob_rounded;    /* MU charges ziplist/listpack/intset blobs by zmalloc size (7.0+) */
    bool sds_usable_alloc;   /* sdsnewlen records the allocator's usable size as alloc */
    bool valkey_sds_types;   /* Valkey's stricter sdsReqType boundaries */
    unsigned robj, dict_entry, dict_struct, ql_struct, ql_node;
    unsigned zsl_maxlevel;
    bool listpack;           /* hashes/zsets/quicklist nodes are listpacks (7.0+) */
    bool list_listpack;      /* a small list is a plain listpack (7.2+) */
    bool set_listpack;       /* sets of strings may be listpacks (7.2+) */
    bool set_novalue;        /* set dicts keep keys in buckets (7.2+): RAM only */
    bool has_quicklist;      /* lists are quicklists (3.2+) */
    bool ql_plain_by_fill;   /* an element over the node size limit gets a PLAIN
                                node (7.4+, valkey 8.0); else from 1 GiB (7.0, 7.2) */
    bool d2s_fpconv;         /* d2string uses the shortest round trip (7.2+) */
    bool valkey_embkey;      /* Valkey 8.0: key embedded in the main dict entry */
    bool hfe;                /* hash field expiration (7.4+) */
    bool kvstore;            /* per-db kvstore with 8-byte dict metadata (7.4+) */
    bool rax_alloc_size;     /* rax tracks its allocation (32-byte struct) and MEMORY
                                USAGE charges stream raxes by it (valkey 2024-10-02+) */
    bool robj_elements;      /* hashtable / skiplist elements and linked-list items
                                are robj: shared integers, EMBSTR, robj + sds (2.8, 3.2) */
    unsigned kvstore_dict;   /* J(dict + metadata) of a db dict created with its first
                                key (7.4+ kvstore, on demand); 0: created at startup */
    unsigned stream_struct, stream_cg, stream_consumer;
    /* Newer servers (profile.c, "Newer profiles"): what their new types cost.
     * Every number behind these is an estimate read from the sources; no
     * server of these versions was available to measure. */
    bool estimated;          /* the profile's numbers were not measured on that server */
    bool keymeta;            /* Redis 8.6+: KEY_META classes, 8 bytes each in the key object */
    bool stream_idmp;        /* Redis 8.6+: streams keep IDMP producers and IIDs */
    bool stream_nack;        /* Redis 8.8+: per-group NACK zones */
    bool arrays;             /* Redis 8.8+: the ARRAY type */
    bool hash_templates;     /* Redis 8.10+: template-listpack / template-array hashes */
    bool valkey_hash2;       /* Valkey 9.0+: hashtable hashes with field TTLs */
    /* default thresholds */
    long hash_entries, hash_value, set_intset, set_lp_entries, set_lp_value,
         zset_entries, zset_value, list_size, list_compress;
    uint64_t startup_used;   /* used_memory of an empty server with one client */
    uint64_t func_lib_overhead, func_overhead;   /* per library, per function */
    uint64_t func_code_factor;   /* Lua VM bytes per byte of library code (7.4+) */
    /* cluster mode (model_cluster.c) */
    int cluster_keyspace;        /* CLUSTER_*; CLUSTER_NONE: no cluster model */
    unsigned cluster_entry_meta; /* CLUSTER_ENTRY_META: bytes added to each main dict entry */
    unsigned cluster_mu_meta;    /* ... and what MEMORY USAGE adds for them */
    uint64_t cluster_startup_used;   /* used_memory of an empty cluster node, one client */
};

/* Thresholds and settings after overrides. */
typedef struct model_settings {
    long hash_entries, hash_value, set_intset, set_lp_entries, set_lp_value,
         zset_entries, zset_value, list_size, list_compress;
    long long maxmemory;
    bool policy_lru_lfu;     /* maxmemory-policy is an LRU/LFU one */
    /* enc_near_window of the entry limits (0 where there is none): how far
     * the near-limit facts are tracked, computed once, read per element */
    uint64_t near_hash, near_zset, near_set_intset, near_set_lp;
} model_settings;

/* --config <module>-module-version=X.Y.Z: the version of a module the
 * target server runs (MODULE LIST name: bf, timeseries, ReJSON, vectorset),
 * for the decoders whose numbers changed between versions. */
#define MODEL_MAX_MODULE_VERSIONS 8
typedef struct model_module_version {
    char module[16];
    unsigned ver;            /* 20628 for 2.6.28 */
} model_module_version;

struct model_config {
    model_module_version modver[MODEL_MAX_MODULE_VERSIONS];
    size_t nmodver;
    bool set_hash_entries, set_hash_value, set_set_intset, set_set_lp_entries,
         set_set_lp_value, set_zset_entries, set_zset_value, set_list_size,
         set_list_compress, set_maxmemory, set_policy;
    model_settings v;
};

/* model_module.c: a "<module>-module-version" key. 0 when it is one (and
 * stored), -1 with err empty when the key is another, -1 with err set when
 * the value is bad. */
int model_config_module_version(model_config *c, const char *key, const char *value,
                                char *err, size_t errlen);

/* ---- allocator and encodings (alloc.c) ---------------------------------- */
uint64_t je_size(const model_profile *p, uint64_t n);
unsigned sds_hdr(const model_profile *p, uint64_t len);
uint64_t sds_alloc(const model_profile *p, uint64_t len);       /* J(hdr + len + 1) */
bool str_to_ll(const uint8_t *s, size_t len, long long *out);     /* string2ll rules */
unsigned lp_int_size(long long v);             /* encoding + data, without backlen */
unsigned lp_backlen(uint64_t l);
uint64_t lp_entry_str(const uint8_t *s, size_t len);   /* whole entry incl. backlen */
uint64_t lp_entry_int(long long v);
uint64_t lp_entry_item(const rdb_item *it);             /* strings that parse as ints become ints */
uint64_t lp_entry_score(const model_profile *p, double score);
unsigned d2string_len(const model_profile *p, double v);
unsigned intset_width(long long v);
uint64_t zl_entry_item(uint64_t prev, const rdb_item *it);   /* ziplist entry, prev: previous entry's size */
uint64_t next_pow2(uint64_t n);                          /* >= n, at least 4, at most 2^63 */

/* The largest RESIZEDB hint the model believes: 2^40 keys would need an
 * 8 TiB bucket array, which no server allocates. */
#define MODEL_MAX_RESIZE_HINT ((uint64_t)1 << 40)

/* ---- per-key accumulators ----------------------------------------------- */
#define QL_RING 8
typedef struct ql_state {
    uint64_t nodes, node_alloc_sum;     /* sum of J(node blob) as held in RAM */
    uint64_t node_len_sum;              /* sum of raw blob lengths (MU up to 6.2) */
    uint64_t plain_sum;                 /* J(node) if every node stayed uncompressed */
    uint64_t ring_plain[QL_RING], ring_held[QL_RING];  /* the last nodes: J(...) */
    uint64_t ring_plain_len[QL_RING], ring_held_len[QL_RING];
    uint64_t first_len, first_entries;  /* the first node (7.2+ single-node lists) */
    bool first_plain;
    uint64_t lp_cur, lp_cur_n;          /* RDB_TYPE_LIST_QUICKLIST (v1): the node being re-encoded */
    /* RDB_TYPE_LIST / RDB_TYPE_LIST_ZIPLIST: the quicklist the loader builds
     * by quicklistPushTail, its tail node (model_collections.c ql_push) */
    bool tail_open, tail_plain;
    uint64_t tail_sz, tail_count, tail_prev;
} ql_state;

typedef struct coll_state {
    uint64_t n;              /* entries seen */
    uint64_t ele_alloc;      /* sum of sds allocations of members / fields+values */
    uint64_t ele_raw;        /* the same, unrounded (hdr + len + 1) */
    uint64_t max_len, sum_len;
    uint64_t lp_bytes;       /* listpack built by appending every entry: 7 + sum */
    bool all_int;            /* every member is a long long (intset candidates) */
    long long imin, imax;
    bool have_nonint; uint64_t first_nonint;   /* index of the first non-integer member */
    bool have_big; uint64_t first_big;         /* hash: first pair over hash-max-*-value */
    double skip_nodes;       /* expected J(skiplist node) summed */
    uint64_t ttl_fields;     /* hash fields with a TTL */
    uint64_t ttl_dropped;    /* hash fields whose TTL had passed (not loaded) */
    uint64_t lp_ttl_bytes;   /* listpackex: one integer TTL entry per field */
    /* the blob, for single-blob encodings */
    bool have_blob;
    rdb_container_kind blob_kind;
    uint64_t blob_len, blob_entries;
    unsigned blob_width;
    uint64_t val_alloc;      /* hashes: sum of the values' sds allocations alone */
} coll_state;

/* An ARRAY being loaded (model_array.c): the sparse array arSet builds when
 * the loader inserts the elements in file (index) order. */
typedef struct array_state {
    uint64_t alloc;          /* ar->alloc_size so far, the slices before the current one */
    uint64_t count;
    bool have_slice;
    uint64_t slice_id;       /* the slice being filled */
    uint64_t slice_count;
    uint32_t slice_min, slice_max;   /* lowest / highest offset in it */
    bool dense;
    uint32_t cap;            /* sparse: capacity; dense: window size */
    uint32_t win_off;        /* dense: first offset of the window */
    uint64_t max_slice;      /* highest slice id seen */
    uint64_t blocks;         /* superdir: distinct 2048-slice blocks */
    uint64_t last_block;
    bool have_block;
    uint64_t values_alloc;   /* arString allocations */
} array_state;

/* A rax (radix tree, rax.c) holding 16-byte stream IDs inserted in
 * ascending order (stream nodes, PELs). Only the nodes on its rightmost path
 * can still change on the next insert; the others are only summed, so the
 * memory stays bounded (see model_stream.c). */
typedef struct raxsim_node {
    uint16_t size;           /* characters (compressed) or children (up to 256) */
    bool compr, key;         /* compressed; a key with a value pointer */
} raxsim_node;

typedef struct raxsim {
    uint64_t numele, numnodes;      /* as rax.c counts them */
    uint64_t frozen_alloc;          /* J(node) of the nodes off the rightmost path */
    uint8_t last[16];               /* the last key inserted */
    unsigned depth;                 /* nodes on the rightmost path */
    raxsim_node path[18];           /* root first; at most 16 inner nodes + the leaf */
} raxsim;

typedef struct stream_state {
    raxsim nodes;              /* the stream's rax of listpack nodes */
    uint64_t lp_alloc_sum;     /* sum of J(listpack) */
    uint64_t lp_len_sum;       /* sum of listpack lengths (lpBytes, MU in 5.0) */
    raxsim pel;                /* PEL of the group being read */
    raxsim cpel;               /* PEL of the consumer being read */
    uint64_t groups;
    uint64_t mu_groups;        /* MEMORY USAGE terms of groups and consumers */
    uint64_t ram_groups;
    raxsim nack;               /* 8.8+: the NACK zone of the group being read */
    bool in_nack;
    uint64_t mu_extra, ram_extra;  /* 8.6+: NACK zones and IDMP (estimates) */
} stream_state;

/* Redis 2.8 / 3.2 (robj_elements): the element objects of a collection
 * (model.c), for the encodings that hold them. */
typedef struct robj_state {
    uint64_t obj;            /* sum of the element objects' allocations */
    uint64_t sds;            /* sum of sds_alloc of the same elements (coll_state.ele_alloc) */
    uint64_t zl_bytes;       /* 2.8 list: the ziplist ziplistPush builds (entries only) */
    uint64_t zl_prev;        /* size of its last entry */
    bool zl_big;             /* 2.8 list: a string over list-max-ziplist-value */
    bool have_blob;          /* 2.8 list: an RDB_TYPE_LIST_ZIPLIST blob ... */
    uint64_t blob_len, blob_entries;   /* ... of this length and count */
} robj_state;

/* A module value being decoded (model_module.c). */
typedef struct module_state {
    const struct mod_decoder *dec;   /* NULL: no decoder (serialized size) */
    bool started;                    /* dec->begin ran (release owed) */
    bool bad;                        /* the stream left the decoder's layout */
    unsigned encver;
    _Alignas(16) unsigned char st[8192];  /* the decoder's state (MOD_STATE_MAX) */
} module_state;

typedef struct key_state {
    bool active;
    rdb_kind kind;
    uint8_t rdb_type;
    bool entries_skipped;    /* blob kept as loaded: entries not delivered */
    /* strings */
    uint64_t str_len;
    bool str_is_int, str_compressed;
    long long str_ival;
    uint8_t str_head[24];
    size_t str_head_len;
    /* Everything above is cleared for every key; the collection state and
     * the scratch below only for the types that use them (model_on_key_begin). */
    coll_state c;
    ql_state ql;
    stream_state st;
    robj_state ro;
    array_state ar;
    module_state mod;
} key_state;

typedef struct db_state {
    uint64_t id;
    uint64_t hint_keys, hint_expires;  /* RESIZEDB */
    uint64_t hint_ram_per_key;         /* 8 * next_pow2(hint_keys) / hint_keys */
    bool have_hint;
    uint64_t keys, expires;            /* loaded */
    uint64_t hfe_hashes;               /* loaded hashes with a field TTL (7.4+ db->hexpires) */
    struct db_state *next;
} db_state;

/* What model_hints.c counts while the dump streams (see model_config_hint). */
typedef struct hint_state {
    uint64_t long_raw, long_lzf;        /* values and blobs of 64+ bytes stored plain / LZF,
                                           quicklist nodes left out: rdbcompression's sign */
    uint64_t ql_lzf_nodes, ql_lists;    /* quicklist nodes stored LZF, lists with one */
    uint64_t ql_multi;                  /* lists of 3+ nodes, where depth 1 would compress one */
    uint64_t list_nodes;                /* this list's nodes so far */
    uint64_t ql_saving;                 /* sum of J(plain) - J(held) over those nodes */
    uint64_t ql_head_min;               /* fewest plain nodes before a list's first LZF one */
    int64_t list_first_lzf;             /* this list: index of its first LZF node, or -1 */
    struct {
        const char *directive;
        uint64_t value, keys, saving;
    } conv[6];                          /* compact in the dump, over the target's limit */
    size_t nconv;
} hint_state;

/* sds_alloc and sds_hdr of the short lengths nearly every element and key
 * name has, tabled per model (they depend on the profile's allocator and
 * sds rules): looked up per element instead of recomputed. */
#define MODEL_SDS_SMALL 256

struct model {
    const model_profile *p;
    model_settings s;
    uint16_t sds_alloc_small[MODEL_SDS_SMALL];
    uint8_t sds_hdr_small[MODEL_SDS_SMALL];
    int64_t now_ms;
    bool have_now;
    bool now_from_user;
    db_state *dbs, *cur;
    idmap db_index;          /* db number -> its db_state */
    uint64_t cur_db;
    key_state k;
    model_totals t;
    uint64_t func_libs, func_bytes, func_count;
    uint64_t templates_ram;  /* 8.10: the hash-template registry (estimate) */
    model_module_version modver[MODEL_MAX_MODULE_VERSIONS];   /* from the config */
    size_t nmodver;
    const char *modules_seen[8];     /* modules with a decoded value, for their load overhead */
    size_t nmodules_seen;
    hint_state hints;
    model_cluster_reason cluster_reason;
    model_slot_sums *slots;          /* MODEL_SLOTS, in cluster mode */
    uint64_t cluster_other_db_keys;
};

static inline uint64_t model_sds_alloc(const model *m, uint64_t len)
{
    return len < MODEL_SDS_SMALL ? m->sds_alloc_small[len] : sds_alloc(m->p, len);
}

static inline unsigned model_sds_hdr(const model *m, uint64_t len)
{
    return len < MODEL_SDS_SMALL ? m->sds_hdr_small[len] : sds_hdr(m->p, len);
}

/* result of a value computation */
typedef struct value_cost {
    const char *encoding;
    uint64_t mu;    /* objectComputeSize part of MEMORY USAGE */
    uint64_t ram;   /* allocations of the value (robj included unless shared) */
} value_cost;

bool model_shared_ints(const model *m);   /* 0..9999 use the shared objects */

/* model_hints.c: signs of a non-default config in the dump */
void model_hints_init(model *m);
void model_hints_string(model *m, const rdb_string_chunk *c);
void model_hints_blob(model *m, const rdb_key *k, const rdb_container *c);
void model_hints_ql_node(model *m, uint64_t index, bool held, uint64_t plain_alloc, uint64_t held_alloc);
void model_hints_key_end(model *m, const rdb_key *k, const rdb_key_end *end, const key_record *rec,
                         uint64_t value_ram);
void model_hints_finish(const model *m, model_totals *t);
void model_string_cost(const model *m, const key_state *ks, value_cost *out);
/* model_list.c */
void model_list_push(model *m, const rdb_item *it);   /* RDB_TYPE_LIST(_ZIPLIST) element */
void model_list_container(model *m, const rdb_key *k, const rdb_container *c);
void model_list_close(model *m);   /* before model_list_cost */
void model_list_cost(const model *m, const key_state *ks, const rdb_key_end *end, value_cost *out);
void model_set_cost(const model *m, const key_state *ks, const rdb_key_end *end, value_cost *out);
void model_zset_cost(const model *m, const key_state *ks, const rdb_key_end *end, value_cost *out);
void model_hash_cost(const model *m, const key_state *ks, const rdb_key_end *end, value_cost *out);
/* model_compact.c */
bool model_compact_cost(const model *m, const key_state *ks, uint64_t n, value_cost *out);
/* MEMORY USAGE of a blob of len bytes (rounded to its allocation or not) */
uint64_t blob_mu(const model_profile *p, uint64_t len);

void model_stream_cost(const model *m, const key_state *ks, const rdb_key_end *end, value_cost *out);
/* model_array.c */
void model_array_entry(model *m, const rdb_entry *e);
void model_array_cost(const model *m, const key_state *ks, value_cost *out);
/* model_newer.c: hash templates, Valkey 9 field TTLs, KEY_META */
bool model_hash_newer_cost(const model *m, const key_state *ks, value_cost *out);
uint64_t model_hash2_extra(const model *m, const key_state *ks);
/* model_module.c: a module value's MEMORY USAGE part, allocations and basis */
void model_module_cost(model *m, key_state *ks, const rdb_key_end *end, value_cost *out,
                       key_bytes_basis *basis, uint64_t *elements);
void model_module_release(key_state *ks);
uint64_t model_modules_ram(const model *m);
void model_coll_entry(model *m, const rdb_key *k, const rdb_entry *e);
void model_coll_entries(model *m, const rdb_key *k, const rdb_entry *e, size_t n);
void model_coll_container(model *m, const rdb_key *k, const rdb_container *c);
bool model_blob_kept(const model *m, const rdb_key *k);
int model_coll_shallow(model *m, const rdb_key *k, const rdb_container *c);
void model_stream_container(model *m, const rdb_container *c);

/* model_cluster.c */
void model_cluster_implied(model *m, model_cluster_reason why);
void model_cluster_key(const model *m, const rdb_key *k, uint64_t *mu, uint64_t *ram);
void model_cluster_count(model *m, unsigned slot, bool expires, uint64_t ram, uint64_t bytes,
                         uint64_t db);
uint64_t model_cluster_bookkeeping(const model_profile *p, const model_slot_sums *s,
                                   const uint8_t *owned);

/* dict sizing helpers (dictsim.c) */
uint64_t dict_mu_slots(const dictsim *d);
uint64_t dict_ram_tables(const model_profile *p, const dictsim *d);
/* "asize += (double)elesize/samples*count" as the server computes it */
uint64_t mu_add_avg(uint64_t asize, uint64_t elesize, uint64_t samples, uint64_t count);

#endif
