/* diff.h: two summaries (analyze/agg.h) side by side: each section's rows
 * as old / new / delta, sorted by absolute byte delta, and the keys that
 * moved the most. The renderers are report/diff_render.c; the command,
 * which reads the two sides, is cli/cmd_diff.c.
 *
 * A value is unknown (has_old / has_new false) only where a side cannot
 * say: a prefix node missing from a schema-1 report (which lists its top
 * nodes only), a key missing from a saved report's top lists. Dumps and
 * schema-2 reports know every row and prefix node.
 *
 * Top changes come from the churn table (churn.h) when both sides are
 * dumps: the keys with the largest |delta| among all keys. Without it they
 * are the union of both sides' top keys by bytes; a key in one side's list
 * only gets the other side's value from a targeted pass over that dump
 * (diff_missing names the keys, the caller passes what it found), or stays
 * unknown when that side is a saved report.
 */
#ifndef RDBLENS_DIFF_H
#define RDBLENS_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/agg.h"
#include "analyze/churn.h"

typedef struct diff_val {
    bool has_old, has_new;     /* false: that side cannot say */
    uint64_t old, new_;
} diff_val;

typedef struct diff_row {
    uint64_t db;               /* by_db */
    rdb_kind type;             /* by_type, by_encoding */
    const char *encoding;      /* by_encoding (NULL: not modelled) */
    const char *name;          /* ttl: the bucket */
    const uint8_t *prefix;     /* prefixes */
    size_t prefix_len;
    unsigned depth;
    bool other;
    diff_val keys, bytes;
} diff_row;

typedef struct diff_rows {
    diff_row *v;
    size_t n;
} diff_rows;

typedef struct diff_change {
    uint64_t db;
    const uint8_t *key;
    size_t key_len;
    uint64_t key_full_len;     /* 0, or the true length when only the head is kept */
    rdb_kind type;
    const char *status;        /* added, removed, grown, shrunk; or, when a side is
                                  unknown, entered_top / left_top */
    diff_val bytes;
} diff_change;

typedef struct diff_side {
    const char *path;
    const char *kind;          /* "dump" or "report" */
    const agg_summary *s;
    bool prefixes_complete;    /* every prefix node of its table is known */
    bool keys_complete;        /* a dump: any key's bytes can be looked up */
} diff_side;

/* What a targeted pass found for a key of the other side's top list. */
typedef struct diff_found {
    uint64_t db;
    const uint8_t *key;
    size_t key_len;
    bool found;
    uint64_t bytes;
} diff_found;

typedef struct diff_result {
    diff_side old, new_;
    diff_val keys, bytes, predicted_used_memory;
    diff_rows dbs, types, encodings, ttl, prefixes;
    bool has_churn;
    churn_counts churn;
    diff_change *changes;
    size_t nchanges;
    const char *changes_from;  /* "all keys" (churn) or "top keys" */
    bool oom;
} diff_result;

/* The keys of 'other's top_keys.by_bytes that 'side's list lacks (a
 * targeted pass over side's dump looks them up). Pointers into other's
 * summary; *out is malloc'd (free it); -1 when out of memory. */
int diff_missing(const agg_summary *side, const agg_summary *other, const key_record ***out, size_t *n);

/* Builds the diff. rows: at most this many prefix rows and top changes.
 * movers/nmovers: churn_movers() when both sides are dumps, else NULL;
 * found_in_old / found_in_new: the targeted passes' answers for
 * diff_missing(old, new) and diff_missing(new, old) (NULL: not looked up).
 * 0, or -1 when out of memory. */
int diff_compute(diff_result *d, const diff_side *old, const diff_side *new_, size_t rows,
                 const churn_counts *counts, const churn_mover *movers, size_t nmovers,
                 const diff_found *found_in_old, size_t nfound_old, const diff_found *found_in_new,
                 size_t nfound_new);
void diff_free(diff_result *d);

/* new - old as a signed number, saturated at the int64 range. */
int64_t diff_delta(const diff_val *v);

#endif
