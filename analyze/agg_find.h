/* agg_find.h: findings, what a DBA would flag in a dump, and what to do.
 *
 * Per-key findings are collected while keys stream in: each kind keeps a
 * count and byte sum of every matching key plus a bounded heap of the worst
 * few (agg_topn); keys just over a compact-encoding limit are grouped (by
 * file, limit and first key segment, at most AGG_NEAR_GROUPS groups) with
 * their summed estimated saving. Prefix and dump level findings are derived
 * at the end from the prefix rows and totals. Memory does not grow with the
 * dump.
 *
 * Severity follows one rule for every type (agg_find.c, "tiers"): memory
 * (bytes, or the saving a fix would bring) past big_bytes / 10, big_bytes
 * and 10 x big_bytes is info, warning, critical; elements of a collection
 * past big_elements, 10 x and 100 x likewise. The list is ordered by
 * severity, then by the memory a finding concerns (its estimated saving
 * when there is one, else the bytes involved). Each finding can carry a
 * command that lists its keys (`rdblens keys ...` with the filters that
 * select them, the file named), so every piece of advice is runnable.
 */
#ifndef RDBLENS_AGG_FIND_H
#define RDBLENS_AGG_FIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/agg_prefix.h"
#include "analyze/agg_topn.h"
#include "analyze/enc_limits.h"
#include "analyze/keyrec.h"

/* Thresholds. Sizes are bytes; *_pct are percentages. 'enc' holds the
 * encoding limits used for keys of a file whose target server's limits were
 * not given (agg_find_set_limits); the defaults are Redis 7.2+'s. */
typedef struct agg_thresholds {
    uint64_t big_bytes;            /* a big key, predicted memory (10 MiB; info from a tenth) */
    uint64_t big_elements;         /* a big collection (10 000) */
    uint64_t list_element_bytes;   /* a list element longer than this (8 KiB) */
    uint64_t dominant_min_bytes;   /* only keys at least this big (1 MiB) */
    unsigned dominant_pct;         /* largest element >= pct of the key's bytes (50) */
    unsigned no_ttl_pct;           /* prefix bytes without TTL >= pct (90) */
    unsigned no_ttl_min_share_pct; /* ... and prefix >= pct of all bytes (5) */
    unsigned no_ttl_warn_share_pct;/* ... a warning from this share (25) */
    unsigned expired_warn_pct;     /* expired bytes >= pct of all: warning (10) */
    unsigned near_pct;             /* "just above" a limit: <= limit*(100+pct)/100 (25) */
    enc_limits enc;                /* hash 512/64, zset 128/64, intset 512, set 128/64 */
} agg_thresholds;

void agg_thresholds_init(agg_thresholds *t);

/* The longest packed blob a shallow parse may leave unwalked (rdb_options.
 * shallow_max) without changing which keys these findings pick or how they
 * rank them; the largest a key shows must still be made exact (see
 * agg_visit_inexact). 0 when no such length exists. */
uint64_t agg_find_shallow_max(const agg_thresholds *th);

/* Predicted bytes of r if it were encoded as 'encoding' ("listpack",
 * "ziplist" on servers before 7.0, "intset"), or 0 when unknown. Supplied by the memory model; when absent a
 * rough per-element overhead table is used (see agg_find.c). */
typedef uint64_t (*agg_estimate_fn)(void *ctx, const key_record *r, const char *encoding);

typedef enum agg_ev_kind { AGG_EV_U64, AGG_EV_I64, AGG_EV_PCT, AGG_EV_STR } agg_ev_kind;

typedef struct agg_evidence {
    const char *name;
    agg_ev_kind kind;
    uint64_t u;
    int64_t i;
    double pct;          /* a percentage, rendered with one decimal */
    const char *s;       /* static text */
} agg_evidence;

typedef enum agg_subject_kind {
    AGG_SUBJECT_KEY,     /* key: see 'key' */
    AGG_SUBJECT_PREFIX,  /* a prefix node: 'subject' bytes */
    AGG_SUBJECT_FILE,    /* a source file: 'subject' is its path */
    AGG_SUBJECT_TAG,     /* a cluster hash tag: 'subject' bytes */
    AGG_SUBJECT_SHARD,   /* a shard of a slot layout: 'subject' is its name */
    AGG_SUBJECT_MORE,    /* "(N more keys)": 'text' */
    AGG_SUBJECT_GROUP,   /* keys sharing a first segment ('subject', "" for the rest): 'text' */
} agg_subject_kind;

#define AGG_MAX_EVIDENCE 12
#define AGG_NEAR_GROUPS 64       /* near-limit groups; further ones merge into "(other)" */
#define AGG_NEAR_EXAMPLES 3      /* keys named per near-limit group */
#define AGG_CMD_MAX 640

typedef struct agg_finding {
    const char *kind;        /* big_key, near_encoding_limit, ... */
    const char *severity;    /* critical | warning | info */
    agg_subject_kind subject_kind;
    const agg_key *key;
    const uint8_t *subject;
    size_t subject_len;
    char text[96];
    agg_evidence ev[AGG_MAX_EVIDENCE];
    unsigned nev;
    uint64_t keys;           /* keys the finding covers (1 for a key) */
    uint64_t bytes;          /* their predicted memory */
    bool has_saving;
    uint64_t saving;         /* estimated memory the suggestion would free */
    const agg_key *examples[AGG_NEAR_EXAMPLES];  /* group findings: the keys saving most */
    size_t nexamples;
    const char *suggestion;
    char command[AGG_CMD_MAX];  /* a command that lists the keys, or "" */
} agg_finding;

enum {
    AGG_FK_BIG, AGG_FK_DOMINANT, AGG_FK_LIST_BIG_ELEMENTS, AGG_FK_NEAR_LIMIT, AGG_FK_COUNT_
};

typedef struct agg_near_group agg_near_group;

typedef struct agg_find {
    agg_thresholds th;
    agg_estimate_fn estimate;
    void *estimate_ctx;
    const char *separators;  /* the prefix separators: a group is a key's first segment */
    struct {
        agg_topn worst;
        uint64_t keys, bytes;
    } kind[AGG_FK_COUNT_];
    agg_near_group *groups;  /* near-limit groups, AGG_NEAR_GROUPS + "(other)" per limit */
    size_t ngroups;
    /* the target server's encoding limits per source file (a dump is
     * judged against the server its keys were modelled for); entries not
     * set fall back to th.enc */
    struct agg_find_limits *file_limits;
    size_t nfile_limits;
    bool finished;
    agg_finding *v;          /* built by agg_find_finish */
    size_t n, cap;
} agg_find;

/* "big_key_bytes", ... for AGG_FK_*; NULL past the last. */
const char *agg_find_kind_name(unsigned kind);

int agg_find_init(agg_find *f, const agg_thresholds *th, size_t per_kind,
                  agg_estimate_fn est, void *est_ctx, const char *separators);
void agg_find_free(agg_find *f);

/* The encoding limits of the server file's keys were modelled for (its
 * profile and --config), for near_encoding_limit; set before the file's
 * first key. -1 when out of memory. */
int agg_find_set_limits(agg_find *f, uint32_t file, const enc_limits *l);

/* Checks one key; -1 when out of memory. */
int agg_find_add(agg_find *f, const key_record *r, uint64_t seq, uint32_t file);

/* Calls fn on every key record the findings keep (their worst keys and
 * near-limit examples), for agg_visit_inexact. Stops at fn's first non-zero. */
int agg_find_visit(agg_find *f, uint32_t file, int (*fn)(void *ctx, key_record *r), void *ctx);

/* Builds the list (per-key kinds, near-limit groups, prefixes, expired
 * bytes per file), ordered as the header says. 'prefixes' are the reported
 * nodes, best first; file_* describe each source file. Idempotent. -1 when
 * out of memory. */
typedef struct agg_find_file {
    const char *path;
    uint64_t keys_expired, bytes_expired, bytes;
    int64_t reference_ms;
    bool reference_is_ctime;     /* the dump's own ctime: its expiry can be judged */
} agg_find_file;

int agg_find_finish(agg_find *f, const agg_prefix_row *prefixes, size_t nprefixes,
                    uint64_t total_bytes, const agg_find_file *files, size_t nfiles);

/* ---- shared by agg_find.c and agg_find_out.c ----------------------------- */

typedef struct agg_near_limit {
    const char *config;      /* the config directive that decides */
    uint64_t limit;
    const char *target;      /* the compact encoding */
    unsigned per_element;    /* rough bytes saved per element */
} agg_near_limit;

struct agg_near_group {
    uint32_t file;
    rdb_kind type;
    agg_near_limit nl;
    bool other;              /* the groups past AGG_NEAR_GROUPS for this limit */
    uint8_t segment[64];     /* the keys' first segment, separator included */
    size_t segment_len;
    bool segment_cut;        /* a longer first segment, cut at 64 bytes */
    uint64_t keys, bytes, saving, min_elements, max_elements;
    bool model;              /* every saving came from the memory model */
    agg_topn worst;          /* by saving */
};

/* "info" | "warning" | "critical" for a memory amount / an element count */
const char *agg_find_bytes_tier(const agg_thresholds *th, uint64_t bytes);
const char *agg_find_elements_tier(const agg_thresholds *th, uint64_t elements);
int agg_find_severity_rank(const char *severity);   /* critical 0, warning 1, info 2, none 3 */

/* Builds the finding list (agg_find_out.c). */
int agg_find_build(agg_find *f, const agg_prefix_row *prefixes, size_t nprefixes,
                   uint64_t total_bytes, const agg_find_file *files, size_t nfiles);
/* Findings made elsewhere (the cluster view, agg_cluster.c): push after
 * agg_find_finish, then agg_find_reorder. NULL when out of memory. */
agg_finding *agg_find_push(agg_find *f, const char *kind, const char *severity,
                           agg_subject_kind sk, const char *suggestion);
void agg_find_reorder(agg_find *f);

#endif
