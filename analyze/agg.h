/* agg.h: the report aggregate. Key records go in one at a time; a summary
 * comes out. Memory is bounded by the options (top N, prefix budget, number
 * of distinct dbs / type-encoding pairs), never by the number of keys.
 *
 * Use:
 *   agg_options o; agg_options_init(&o); ... set fields ...
 *   agg *a = agg_new(&o);
 *   for each input file:
 *       agg_begin_file(a, path, size, mtime_ms);     // mtime_ms < 0: unknown
 *       on_header:  agg_file_header(a, &hdr);
 *       on_aux:     agg_file_aux(a, key, klen, val, vlen);  // ctime, used-mem read here
 *       on_function:agg_file_functions(a, 1);
 *       optional:   agg_file_enc_limits(a, &limits);   // before the file's first key
 *       per key:    agg_add(a, &rec);                  // applies the filters itself
 *       after parse:agg_file_result(a, &res);          // checksum, complete/truncated
 *       optional:   agg_file_predicted_used_memory(a, n);
 *   agg_set_profile(a, "redis-7.4");
 *   const agg_summary *s = agg_finish(a);             // then render s
 *   agg_free(a);
 *
 * TTLs are judged against a reference time per file: o.now_ms when
 * o.has_now, else the file's `ctime` aux, else its mtime; the choice is
 * recorded (reference_basis "option" | "ctime" | "mtime" | "none").
 */
#ifndef RDBLENS_AGG_H
#define RDBLENS_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/agg_cluster.h"
#include "analyze/agg_find.h"
#include "analyze/agg_module.h"
#include "analyze/agg_prefix.h"
#include "analyze/agg_topn.h"
#include "analyze/filter.h"
#include "analyze/liveinfo.h"
#include "analyze/keyrec.h"
#include "rdb/rdb.h"

typedef struct agg_options {
    size_t top_n;               /* rows kept per top-N table (50) */
    const char *separators;     /* prefix separators, each byte one (":") */
    unsigned prefix_depth;      /* 3 */
    size_t prefix_budget;       /* max live prefix nodes (200000) */
    size_t tree_nodes;          /* prefix nodes of the summary's tree for a
                                   treemap (agg_prefix_tree); 0 = none (0) */
    size_t tree_fanout;         /* children per node in that tree (24) */
    bool has_now;               /* --now given */
    int64_t now_ms;
    key_filter filter;          /* which keys count (filter.h); the aggregate
                                   keeps its own copy (strings are copied too) */
    const char *const *config;  /* --config KEY=VALUE as given, echoed by the report
                                   (not copied: they must outlive the aggregate) */
    size_t nconfig;
    /* findings */
    agg_thresholds th;
    size_t findings_per_kind;   /* keys listed per finding kind (10) */
    agg_estimate_fn estimate;   /* optional, from the memory model */
    void *estimate_ctx;
    /* the cluster view (agg_cluster.h): made when cluster.enabled or a key
     * has a slot */
    agg_cluster_options cluster;
} agg_options;

void agg_options_init(agg_options *o);


/* ---- the summary ------------------------------------------------------- */

enum {
    AGG_TTL_NONE, AGG_TTL_EXPIRED, AGG_TTL_LT_1H, AGG_TTL_1H_6H, AGG_TTL_6H_24H,
    AGG_TTL_1D_7D, AGG_TTL_7D_30D, AGG_TTL_GT_30D, AGG_TTL_COUNT_
};
/* "no_ttl", "expired", "<1h", "1h-6h", "6h-24h", "1d-7d", "7d-30d", ">30d" */
const char *agg_ttl_bucket_name(unsigned bucket);
/* bucket of r = expire_ms - reference_ms (lower bounds inclusive) */
unsigned agg_ttl_bucket(bool has_expire, int64_t expire_ms, int64_t reference_ms);

/* What the memory model predicts a fresh server of the target holds right
 * after loading the dump (model_totals): used_memory and its parts. Always
 * the whole dump: filters select keys for the tables, not for this. */
typedef struct agg_memory {
    bool present;
    uint64_t used_memory;          /* predicted used_memory = the parts below */
    uint64_t startup;              /* an empty server of the profile */
    uint64_t keys;                 /* the loaded keys' allocations (names, values, entries) */
    uint64_t tables;               /* main and expires hash table bucket arrays */
    uint64_t functions;            /* function libraries and their Lua memory */
    uint64_t modules;              /* load overhead of the modules the dump's values need */
    uint64_t templates;            /* Redis 8.10 hash-template registry (estimate) */
    uint64_t memory_usage;         /* sum of MEMORY USAGE of the loaded keys: what the
                                      per-key tables add up to, close to 'keys' but not
                                      the same accounting (entries, rounding) */
    uint64_t keys_loaded;
    uint64_t keys_not_loaded, bytes_not_loaded;  /* already expired: a master drops them */
} agg_memory;

typedef struct agg_totals {
    uint64_t keys, bytes;
    uint64_t elements;             /* members of collections (never string lengths) */
    uint64_t string_length;        /* bytes of string values (their STRLEN) */
    uint64_t keys_with_ttl, bytes_with_ttl;
    uint64_t keys_expired, bytes_expired;
    uint64_t keys_unmodelled;      /* keys without a predicted size (counted as 0 bytes) */
    /* what bytes rest on: the per-version model (every key but module
     * values, and module values whose formula was checked against real
     * servers), a module's source only, or a module value's size in the dump */
    uint64_t bytes_measured_model, bytes_source_model, bytes_serialized_size;
    uint64_t keys_module, keys_module_unmodelled;   /* module values; those sized by the dump */
    bool has_predicted_used_memory;
    uint64_t predicted_used_memory;
    bool has_aux_used_mem;
    uint64_t aux_used_mem;
} agg_totals;

typedef struct agg_aux {
    uint8_t *key, *val;
    size_t key_len, val_len;
} agg_aux;

#define AGG_MAX_AUX 64
#define AGG_MAX_AUX_VALUE 1024

/* A sign of a non-default config in a dump (model_config_hint): the
 * --config setting that would change the prediction, and by how much. */
typedef struct agg_hint {
    const char *directive;         /* static */
    uint64_t value, keys, saving;
    const char *sign;              /* static */
} agg_hint;
#define AGG_MAX_HINTS 8

/* An AOF input: rdblens reads its RDB preamble (or a multi-part AOF's base
 * RDB); the commands after it and in incremental files are not applied,
 * and the report says how much that is. */
typedef struct agg_aof {
    bool present;                  /* the input is an AOF (a tail, or a manifest) */
    uint64_t tail_bytes, tail_commands;
    bool tail_commands_known;
    uint64_t incr_files, incr_bytes, incr_commands;
    bool incr_commands_known;
} agg_aof;

typedef struct agg_file {
    char *path;
    uint64_t size;                 /* the file as stored (compressed, when it is) */
    char compression[12];          /* "gzip", "zstd", ...; "" for a plain file */
    bool have_header;
    char magic[10];
    unsigned rdb_version;
    agg_aux *aux;                  /* first AGG_MAX_AUX distinct keys, values cut at AGG_MAX_AUX_VALUE */
    size_t naux;
    uint64_t functions;
    bool have_result;              /* agg_file_result was called */
    bool complete;
    rdb_checksum_status checksum;
    bool have_checksum;            /* the trailer was read */
    uint64_t error_offset;
    char error_message[320];
    const char *error_code;        /* rdb_status_name */
    int64_t reference_ms;
    const char *reference_basis;
    bool reference_locked;         /* a key was judged against it */
    int64_t mtime_ms;
    bool unreadable;               /* not even a header could be read (empty, not an RDB) */
    uint64_t rdb_bytes;            /* bytes of RDB read (the size of a dump read whole), after
                                      decompression */
    agg_aof aof;                   /* what an AOF input held beyond the RDB (agg_file_aof) */
    agg_memory memory;             /* agg_file_memory */
    agg_hint hints[AGG_MAX_HINTS]; /* agg_file_hint */
    size_t nhints;
    char profile[32];              /* the memory profile its keys were modelled for, "" if none */
    const char *profile_basis;     /* "--profile", "redis-ver", "valkey-ver", "rdb version" */
    agg_totals totals;             /* this file's keys only */
    bool has_enc_limits;           /* agg_file_enc_limits was called: its keys' */
    enc_limits enc_limits;         /* target server's limits (merge carries them) */
} agg_file;

typedef struct agg_db_row {
    uint64_t db, keys, bytes, elements;
    /* the same split by type, and the keys without a TTL (metrics need
     * db x type; a row of the summary is the sum of these) */
    uint64_t type_keys[RDB_KIND_COUNT_], type_bytes[RDB_KIND_COUNT_];
    uint64_t type_keys_no_ttl[RDB_KIND_COUNT_];
} agg_db_row;

typedef struct agg_type_row {
    rdb_kind type;
    uint64_t keys, bytes, elements;
    uint64_t length;               /* strings: the sum of their lengths (elements is 0) */
    uint64_t bytes_p50, bytes_p90, bytes_p99, bytes_max;
    uint64_t elements_p50, elements_p90, elements_p99, elements_max;  /* strings: of length */
} agg_type_row;

typedef struct agg_enc_row {
    rdb_kind type;
    const char *encoding;          /* NULL: not modelled */
    uint64_t keys, bytes, elements, length;
} agg_enc_row;

typedef struct agg_ttl_row { const char *name; uint64_t keys, bytes; } agg_ttl_row;

typedef struct agg_key_list { const agg_key *v; size_t n; } agg_key_list;

/* How recently or how often keys were used, when the dump carries it: the
 * IDLE records a server with an LRU maxmemory-policy writes (seconds since
 * the last access) and the FREQ records of an LFU policy (the logarithmic
 * 0-255 counter; a new key starts at 5, LFU_INIT_VAL). Rows weigh keys by
 * bytes; 'cold' are the biggest keys idle a day or more, or with a counter
 * under 5: candidates for eviction or a TTL. */
enum { AGG_IDLE_LT_1M, AGG_IDLE_1M_1H, AGG_IDLE_1H_1D, AGG_IDLE_1D_7D, AGG_IDLE_7D_30D,
       AGG_IDLE_GT_30D, AGG_IDLE_COUNT_ };
enum { AGG_FREQ_0_4, AGG_FREQ_5_9, AGG_FREQ_10_31, AGG_FREQ_32_99, AGG_FREQ_100_255, AGG_FREQ_COUNT_ };
const char *agg_idle_bucket_name(unsigned b);  /* "<1m", "1m-1h", ... */
const char *agg_freq_bucket_name(unsigned b);  /* "0-4", "5-9", ... */

typedef struct agg_access {
    uint64_t keys_idle, keys_freq;          /* keys with an IDLE / FREQ record */
    agg_ttl_row idle[AGG_IDLE_COUNT_];
    agg_ttl_row freq[AGG_FREQ_COUNT_];
    agg_key_list cold;
} agg_access;

typedef struct agg_summary {
    const agg_options *opt;        /* separators, depth, top_n, filters as used */
    const agg_file *files;
    size_t nfiles;
    const char *profile;           /* NULL when none */
    bool has_reference;
    int64_t reference_ms;          /* --now, else the first file's */
    const char *reference_basis;
    agg_totals totals;
    agg_memory memory;             /* summed over the files */
    bool has_live;                 /* --info: the live server's INFO (agg_set_live) */
    live_info live;
    live_explained live_explained; /* its used_memory against memory.used_memory */
    const agg_db_row *dbs;         /* ascending db */
    size_t ndbs;
    agg_type_row types[RDB_KIND_COUNT_];  /* in rdb_kind order; keys == 0 rows unused */
    const agg_enc_row *encs;       /* type order, then encoding name */
    size_t nencs;
    agg_ttl_row ttl[AGG_TTL_COUNT_];
    agg_access access;             /* keys_idle or keys_freq > 0 when the dump has them */
    agg_key_list top_bytes, top_elements;  /* top_elements: collections only */
    agg_key_list type_top_bytes[RDB_KIND_COUNT_];
    agg_key_list type_top_elements[RDB_KIND_COUNT_];  /* strings: by length */
    const agg_prefix_row *prefixes;   /* best top_n nodes by bytes */
    size_t nprefixes;
    const agg_prefix_tree_row *prefix_tree;  /* opt->tree_nodes of them as a tree */
    size_t nprefix_tree;
    bool prefix_budget_hit;
    uint64_t prefix_evicted;
    size_t prefix_budget;
    const agg_finding *findings;
    size_t nfindings;
    const agg_module_row *modules; /* by module type and encver, most bytes first */
    size_t nmodules;
    uint64_t keys_filtered_out;
    const agg_cluster_summary *cluster;   /* NULL: no cluster view */
    bool oom;                      /* an allocation failed: the numbers are partial */

    /* What a merge needs besides the sections above (analyze/agg_merge.h,
     * the "merge" member of the JSON report): the arrival counter that
     * orders ties, the histograms behind the percentiles, every live
     * prefix node, and each per-key finding kind's count and worst keys. */
    uint64_t keys_seen;            /* keys that passed the filters */
    const struct agg_hist *hist_bytes[RDB_KIND_COUNT_], *hist_elements[RDB_KIND_COUNT_];
    const agg_prefix *prefix_table;
    struct {
        uint64_t keys, bytes;
        agg_key_list worst;        /* best first, scores in agg_key.score */
    } find_kind[AGG_FK_COUNT_];
    const agg_near_group *near_groups;   /* near_encoding_limit groups, in creation order */
    size_t nnear_groups;
} agg_summary;

typedef struct agg agg;

agg *agg_new(const agg_options *o);
void agg_free(agg *a);

/* Returns 0, or -1 when out of memory (the aggregate stays usable). */
int agg_begin_file(agg *a, const char *path, uint64_t size, int64_t mtime_ms);
void agg_file_header(agg *a, const rdb_header *h);
int agg_file_aux(agg *a, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen);
void agg_file_functions(agg *a, uint64_t count);
void agg_file_result(agg *a, const rdb_result *res);
/* The current file is compressed in this format ("gzip", ...) and takes
 * stored_size bytes (its size, which agg_begin_file may not have known). */
void agg_file_compression(agg *a, const char *format, uint64_t stored_size);
void agg_file_predicted_used_memory(agg *a, uint64_t bytes);
/* The input's size when it was only known by reading it (standard input),
 * and what an AOF held beyond its RDB. */
void agg_file_size(agg *a, uint64_t size);
/* The model's used_memory breakdown (also sets predicted_used_memory), and
 * the profile the file's keys were modelled for (basis: a static string). */
void agg_file_memory(agg *a, const agg_memory *m);
void agg_file_profile(agg *a, const char *name, const char *basis);
void agg_file_hint(agg *a, const agg_hint *h);
void agg_file_aof(agg *a, const agg_aof *aof);
/* Overrides the current file's reference time (before its first key). */
void agg_file_reference(agg *a, int64_t ms, const char *basis);
/* The encoding limits of the server the current file's keys were modelled
 * for (model_enc_limits), before its first key: its near_encoding_limit
 * findings are judged against them. Per file, since each file may have its
 * own target (a profile inferred from its redis-ver); without them
 * o.th.enc applies. -1 when out of memory. */
int agg_file_enc_limits(agg *a, const enc_limits *l);
int agg_set_profile(agg *a, const char *name);
/* The live server's INFO (--info), explained against the prediction at
 * agg_finish. */
void agg_set_live(agg *a, const live_info *li);
/* After the current file: its cluster mode (reason: model_cluster_reason_text),
 * its function memory (on every node), keys outside db 0 and the model's
 * slot sums (or NULL). Starts the cluster view. -1 when out of memory. */
int agg_file_cluster(agg *a, const char *reason, uint64_t functions_ram, uint64_t other_db_keys,
                     const struct model_slot_sums *slots);
/* Before the current file's first key: the memory model keeps its slot
 * sums (model_cluster_slots), to be given to agg_file_cluster whole. */
int agg_file_cluster_model_sums(agg *a);

/* One key. Keys failing the filters are only counted. -1 when out of memory. */
int agg_add(agg *a, const key_record *r);
/* Keys that passed the filters so far (a caller tells whether agg_add took
 * a key by comparing it before and after). */
uint64_t agg_keys_seen(const agg *a);

/* Whether the record of the last agg_add went into a table of the
 * heaviest keys (overall or of its type), for now: a key the report will
 * likely show, whose exact largest a caller may fetch early (reread.h). */
bool agg_last_taken_by_bytes(const agg *a);

/* After a shallow parse (rdb_options.shallow_max) a record's largest may
 * not be exact; the report shows largest only for the keys it keeps. Calls
 * fn for every kept record (top-N tables, findings' worst keys) of the
 * current file whose largest_exact is false; fn may set rec->largest and
 * rec->largest_exact, nothing else (the same key may come more than once,
 * from different tables). Stops at fn's first non-zero result and returns
 * it. Call it after the file's last agg_add (its records can only leave the
 * tables later, never enter) and before agg_finish. */
typedef int (*agg_visit_fn)(void *ctx, key_record *rec);
int agg_visit_inexact(agg *a, agg_visit_fn fn, void *ctx);

/* Sorts and derives what is left (percentiles, prefix top, findings) and
 * returns the summary, valid until agg_free. Idempotent; agg_add and the
 * file hooks must not be called afterwards. NULL only when out of memory. */
const agg_summary *agg_finish(agg *a);

#endif
