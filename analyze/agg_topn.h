/* agg_topn.h: a bounded "top N" of key records, as a binary min-heap.
 *
 * Entries rank by score (descending), ties by arrival order (earlier first),
 * so the result equals the first N rows of a stable descending sort of all
 * offered keys. A key's bytes are copied only when it enters the heap, so
 * memory is N entries plus their key names, whatever the number of keys.
 *
 * A key name may be as long as a string value (512 MB on a server), and
 * LZF lets a dump store one 64 MiB name in under 1 MB; kept whole by each
 * of a report's tables, a few such names took gigabytes. Names are kept to
 * their first AGG_KEY_KEEP bytes, with the true length beside them
 * (key_record.key_full_len), which is all a report can usefully show.
 */
#ifndef RDBLENS_AGG_TOPN_H
#define RDBLENS_AGG_TOPN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/keyrec.h"

#define AGG_KEY_KEEP 4096

/* A kept key. rec.key points at an owned copy; after agg_topn_sort(),
 * rec.module_name points at module[] (NULL before, and for non-modules). */
typedef struct agg_key {
    key_record rec;
    uint64_t score;
    uint64_t seq;     /* arrival order across the whole aggregate */
    uint32_t file;    /* index of the source file */
    char module[10];
} agg_key;

typedef struct agg_topn {
    agg_key *v;
    size_t n, cap;
    bool sorted;      /* after agg_topn_sort(): v[0] is the best, no more offers */
} agg_topn;

/* cap 0 keeps nothing. Returns -1 when out of memory. */
int agg_topn_init(agg_topn *t, size_t cap);
void agg_topn_free(agg_topn *t);

/* Would (score, seq) enter? Cheap; lets callers skip work for losers. */
bool agg_topn_wants(const agg_topn *t, uint64_t score, uint64_t seq);

/* Offers a key; returns 1 when kept, 0 when not, -1 when out of memory. */
int agg_topn_offer(agg_topn *t, uint64_t score, uint64_t seq, uint32_t file,
                   const key_record *r);

/* Sorts best-first. Idempotent; offers after this are refused. */
void agg_topn_sort(agg_topn *t);

#endif
