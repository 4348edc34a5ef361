/* agg_tags.h: the hash tags holding the most bytes, in bounded memory.
 *
 * Every key with a hash tag ({...}, analyze/slot.h) lives in its tag's slot,
 * so a heavy tag is memory that no resharding can spread. Distinct tags are
 * unbounded (one per user, say), so they are counted with the weighted
 * Space-Saving algorithm (Metwally, Agrawal, El Abbadi, "Efficient
 * computation of frequent and top-k elements in data streams", 2005):
 * AGG_TAGS_TRACKED counters; a new tag, when all are taken, replaces the
 * one with the fewest bytes and inherits its bytes as an overcount. So:
 *  - a tag whose bytes exceed total / AGG_TAGS_TRACKED is always kept;
 *  - a kept tag's bytes are at most 'error' above its true bytes (error 0:
 *    exact, which every tag is while there are no more tags than counters);
 *  - its keys are counted since it was last taken in (a lower bound when
 *    error > 0).
 * Tag names are kept to AGG_TAG_KEEP bytes, with the true length. */
#ifndef RDBLENS_AGG_TAGS_H
#define RDBLENS_AGG_TAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGG_TAGS_TRACKED 256
#define AGG_TAG_KEEP 256

typedef struct agg_tag_row {
    uint8_t *tag;            /* first min(len, AGG_TAG_KEEP) bytes */
    size_t tag_len;
    uint64_t tag_full_len;
    unsigned slot;
    uint64_t keys, bytes;
    uint64_t error;          /* bytes may be this much too high; 0: exact */
    uint64_t hash;
} agg_tag_row;

typedef struct agg_tags {
    agg_tag_row rows[AGG_TAGS_TRACKED];
    size_t n;
    uint16_t heap[AGG_TAGS_TRACKED];   /* row indices, min-heap by bytes */
    uint16_t pos[AGG_TAGS_TRACKED];    /* row -> heap position */
    int16_t index[2 * AGG_TAGS_TRACKED];  /* open addressing by hash: row or -1 */
    uint64_t seed;
    uint64_t tagged_keys, tagged_bytes;   /* every key with a tag, exact */
    uint64_t distinct_seen;          /* tags taken in (>= distinct tags) */
    bool evicted;                    /* some tag was replaced: rows may overcount */
} agg_tags;

void agg_tags_init(agg_tags *t);
void agg_tags_free(agg_tags *t);
/* A key with the hash tag [tag, tag + len) and bytes. -1 when out of memory. */
int agg_tags_add(agg_tags *t, const uint8_t *tag, size_t len, unsigned slot, uint64_t bytes);
/* The kept tags, most bytes first (ties: shorter, then smaller bytes first);
 * out has room for AGG_TAGS_TRACKED pointers. Returns how many. */
/* Merging another sketch (agg_merge.h): its rows, then its totals. */
int agg_tags_add_row(agg_tags *t, const agg_tag_row *r);
void agg_tags_add_totals(agg_tags *t, uint64_t tagged_keys, uint64_t tagged_bytes, uint64_t seen, bool evicted);
size_t agg_tags_sorted(const agg_tags *t, const agg_tag_row **out);

#endif
