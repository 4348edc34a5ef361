/* idmap.h: a map from 64-bit ids to 64-bit values (database numbers to the
 * rows that count them). A dump names its databases with any 64-bit number
 * and may name hundreds of thousands of them, so a linear search per lookup
 * turns a few megabytes into minutes; this is open addressing with the ids
 * mixed with a per-map secret first, so dense and sparse numbering probe
 * alike and a file cannot pick numbers that collide (hashseed.h). */
#ifndef RDBLENS_ANALYZE_IDMAP_H
#define RDBLENS_ANALYZE_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct idmap {
    uint64_t *ids;
    uint64_t *vals;
    uint8_t *used;
    size_t n, cap;   /* cap is 0 or a power of two, at most half full */
    uint64_t seed;   /* hashseed_new() at the first insert */
} idmap;

/* Zero-initialised is an empty map. */
bool idmap_get(const idmap *m, uint64_t id, uint64_t *val);
/* Adds or replaces; 0, or -1 when out of memory (the map is unchanged). */
int idmap_put(idmap *m, uint64_t id, uint64_t val);
void idmap_free(idmap *m);

#endif
