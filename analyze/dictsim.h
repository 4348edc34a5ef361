/* dictsim.h: the bucket-array sizes a Redis dict ends up with after a load.
 *
 * A dict grows by doubling when an insert finds used >= size and then moves
 * one non-empty bucket per later insert (incremental rehash), so right after
 * a load a dict that grew late can still hold both tables, which MEMORY USAGE
 * counts (dictSlots = both sizes). The simulation follows dict.c of Redis
 * 3.2-7.4 / Valkey 8.0 (_dictExpand, _dictExpandIfNeeded, dictRehash). Which
 * buckets are non-empty depends on the process's random hash seed, so the
 * number of steps a rehash needs is taken as its expectation,
 * size * (1 - e^(-used/size)), rounded up: deterministic, documented. */
#ifndef RDBLENS_DICTSIM_H
#define RDBLENS_DICTSIM_H

#include <stdbool.h>
#include <stdint.h>

typedef struct dictsim {
    uint64_t s0, s1;      /* table sizes (s1 only while rehashing) */
    uint64_t used;
    bool rehashing;
    uint64_t steps_left;  /* non-empty old buckets still to move */
} dictsim;

void ds_init(dictsim *d);
void ds_expand(dictsim *d, uint64_t size);  /* dictExpand / dictTryExpand */
void ds_add(dictsim *d, uint64_t n);        /* n x dictAdd */

#endif
