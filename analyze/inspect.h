/* inspect.h: drill-down into chosen keys (rdblens inspect).
 *
 * A consumer of the parser's key events that runs beside the memory model.
 * For the keys asked for by exact name (in one database, or in any) it
 * keeps, per key found:
 *   - the INSPECT_TOP largest elements: hash fields ranked by field + value
 *     bytes, sorted-set members (with their score) and set members by their
 *     bytes, list elements (with their index) by their bytes, stream entries
 *     (by ID) by the bytes of their field names and values;
 *   - a histogram of those element sizes in log2 buckets;
 *   - for hashes, sets and sorted sets, the target server's compact-encoding
 *     limits against the key, and what raising or lowering a limit would
 *     make of the key: the memory model run again on the same events with
 *     that one setting changed (the same model as `keys`, other settings);
 *   - for streams: entries, deleted entries, nodes, IDs, consumer groups,
 *     consumers, pending entries (PEL), and the largest groups and consumers
 *     by pending entries;
 *   - for hashes with field TTLs: how many, the earliest and latest.
 *
 * Memory is bounded by the largest single element, not by the key: the
 * elements stream through bounded heaps that keep at most INSPECT_KEEP
 * bytes of a name, and the histogram has a fixed size. Keys not asked for
 * cost one binary search: on_key_begin returns RDB_SKIP (the parser still
 * walks their values).
 *
 * Wiring (cli/cmd_inspect.c): inspect_handlers() is the key-event table,
 * ctx = the inspect; the memory model's record of each key taken goes to
 * inspect_on_record after on_key_end; inspect_set_target must be called
 * before the first key (it names the server the what-ifs model). */
#ifndef RDBLENS_INSPECT_H
#define RDBLENS_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/enc_limits.h"
#include "analyze/keyrec.h"
#include "analyze/model.h"
#include "rdb/rdb.h"

#define INSPECT_TOP 20        /* largest elements, groups, consumers kept per key */
#define INSPECT_KEEP 4096     /* bytes of an element's (or group's) name kept */
#define INSPECT_HIST_BUCKETS 65

/* ---- a bounded "largest N" heap of elements ------------------------------ */

/* One element. What 'size' measures and which payload applies depends on
 * the key's type (see the file comment); 'seq' is the arrival order (a list
 * element's index), and equal sizes rank by it, earlier first, so the kept
 * elements are the first N of a stable descending sort of all offered. */
typedef struct inspect_elem {
    uint64_t size;
    uint64_t seq;
    uint8_t *name;          /* the head of the name (owned): field, member, list
                               element, group or consumer name (none for stream
                               entries: name_full 0; the buffer may outlive a name) */
    size_t name_len;        /* bytes kept, at most INSPECT_KEEP */
    uint64_t name_full;     /* the name's whole length */
    uint8_t *name2;         /* a consumer's group name (owned), else NULL */
    size_t name2_len;
    uint64_t name2_full;
    size_t name_cap, name2_cap;   /* allocated (reused when the slot is refilled) */
    union {
        struct { uint64_t field_bytes, value_bytes; } hash;
        double score;                                   /* zset */
        struct { rdb_stream_id id; uint32_t fields; } entry;
        struct { rdb_stream_id last_id; bool has_entries_read; uint64_t entries_read;
                 uint64_t consumers; } group;           /* size: its PEL */
        struct { int64_t seen_ms; bool has_active; int64_t active_ms; } consumer; /* size: its PEL */
    } u;
} inspect_elem;

typedef struct inspect_top {
    inspect_elem *v;
    size_t n, cap;
    bool sorted;            /* after inspect_top_sort: best first, offers refused */
} inspect_top;

/* cap 0 keeps nothing; -1 when out of memory. */
int inspect_top_init(inspect_top *t, size_t cap);
void inspect_top_free(inspect_top *t);
/* Would an element of this size and arrival enter? Cheap. */
bool inspect_top_wants(const inspect_top *t, uint64_t size, uint64_t seq);
/* Offers e (its name fields are ignored): the names are copied, at most
 * INSPECT_KEEP bytes each, only when it enters. 1 kept, 0 not, -1 out of memory. */
int inspect_top_offer(inspect_top *t, const inspect_elem *e, const uint8_t *name, uint64_t name_len,
                      const uint8_t *name2, uint64_t name2_len);
/* Sorts best first. Idempotent. */
void inspect_top_sort(inspect_top *t);

/* ---- log2 histogram ------------------------------------------------------ */

/* Bucket 0 holds size 0; bucket b >= 1 holds [2^(b-1), 2^b - 1]. */
typedef struct inspect_hist {
    uint64_t count[INSPECT_HIST_BUCKETS];
    uint64_t bytes[INSPECT_HIST_BUCKETS];
} inspect_hist;

unsigned inspect_hist_bucket(uint64_t size);
uint64_t inspect_hist_low(unsigned bucket);
uint64_t inspect_hist_high(unsigned bucket);
void inspect_hist_add(inspect_hist *h, uint64_t size);

/* ---- encoding limits and what-ifs ---------------------------------------- */

typedef enum inspect_dir {
    DIR_HASH_ENTRIES, DIR_HASH_VALUE, DIR_ZSET_ENTRIES, DIR_ZSET_VALUE,
    DIR_SET_INTSET, DIR_SET_LP_ENTRIES, DIR_SET_LP_VALUE,
} inspect_dir;

/* The directive as the target server spells it (hash-max-ziplist-entries
 * before 7.0, hash-max-listpack-entries after). */
const char *inspect_dir_name(inspect_dir d, bool ziplist);

/* One limit against the key: the limit's value on the target, and the
 * key's measure (its count, or its longest element in bytes). */
typedef struct inspect_limit {
    inspect_dir dir;
    uint64_t limit;
    uint64_t key;
} inspect_limit;

typedef struct inspect_change {
    inspect_dir dir;
    uint64_t from, to;
} inspect_change;

/* Setting the directives of 'change' to their 'to' values would load the
 * key as 'encoding' at 'bytes' (MEMORY USAGE as the model predicts it). */
typedef struct inspect_whatif {
    inspect_change change[2];
    unsigned nchange;
    const char *encoding;   /* static string */
    uint64_t bytes;
} inspect_whatif;

typedef struct inspect_limits {
    bool ziplist;           /* enc_limits.ziplist: the -ziplist- spellings */
    inspect_limit limit[3];
    unsigned nlimit;
    bool all_int;           /* sets: every member is an integer (intset candidate) */
    inspect_whatif whatif[3];
    unsigned nwhatif;
} inspect_limits;

/* ---- results ------------------------------------------------------------- */

typedef struct inspect_stream {
    uint64_t length, deleted, nodes;   /* live entries (XLEN), deleted ones still stored */
    rdb_stream_id first_id, last_id, max_deleted_id;
    bool has_v2;            /* first_id / max_deleted_id / entries_added stored (RDB 19+) */
    uint64_t entries_added;
    uint64_t groups, consumers, pending;     /* pending: entries in all groups' PELs */
    uint64_t consumer_pending;               /* the same, summed over consumers */
    bool has_pending_times;
    int64_t oldest_delivery_ms, newest_delivery_ms;
    uint64_t max_delivery_count;
    inspect_top top_groups;     /* by PEL size */
    inspect_top top_consumers;  /* by PEL size, name2 = its group */
} inspect_stream;

typedef struct inspect_result {
    size_t arg;             /* index of the KEY argument it answers */
    key_record rec;         /* the model's record; rec.key points at the argument's bytes */
    char module[10];        /* rec.module_name points here for module values */
    uint64_t stored_bytes;  /* bytes the value takes in the file */
    bool str_compressed;    /* a string value stored LZF-compressed */
    uint64_t loaded;        /* elements a load keeps (hash fields already expired are dropped) */
    uint64_t max_member, max_value;  /* longest member / field, and hash value, in bytes */
    inspect_top top;        /* largest elements (sorted) */
    uint64_t top_of;        /* elements ranked: live stream entries, else elements */
    inspect_hist hist;
    bool has_limits;
    inspect_limits limits;
    bool has_stream;
    inspect_stream stream;
    uint64_t ttl_fields;    /* hash fields with a TTL ... */
    uint64_t ttl_fields_expired;   /* ... of which expired at the reference time */
    int64_t ttl_fields_min_ms, ttl_fields_max_ms;
} inspect_result;

/* ---- the consumer -------------------------------------------------------- */

typedef struct inspect inspect;

inspect *inspect_new(void);
void inspect_free(inspect *ins);

/* A KEY to look for (copied), in argument order; duplicates answer once. */
int inspect_add_key(inspect *ins, const uint8_t *name, size_t len);
/* Only in this database (--db); default: every database. */
void inspect_set_db(inspect *ins, uint64_t db);
/* The target the memory model predicts for: profile, --config overrides
 * (copied; NULL for none) and the reference time (< 0: none). The
 * what-ifs run the model with these settings and one changed. */
int inspect_set_target(inspect *ins, const model_profile *p, const model_config *cfg, int64_t now_ms);

/* Key events (rdb_handlers fields); ctx = the inspect. */
const rdb_handlers *inspect_handlers(void);
/* The memory model's record of the key just ended (after on_key_end).
 * 0, or -1 when out of memory. */
int inspect_on_record(inspect *ins, const key_record *r);

/* After the parse: sorts the results by argument, then file order (the
 * same name may be found in several databases). */
void inspect_finish(inspect *ins);
size_t inspect_count(const inspect *ins);
const inspect_result *inspect_at(const inspect *ins, size_t i);
/* The KEY arguments: how many, their bytes, and whether each was found. */
size_t inspect_keys(const inspect *ins);
void inspect_key(const inspect *ins, size_t arg, const uint8_t **name, size_t *len, bool *found);
/* Out of memory at some point (the results are then incomplete). */
bool inspect_failed(const inspect *ins);

#endif
