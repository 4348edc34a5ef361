/* slotmap.h: which hash slots each shard of a cluster owns.
 *
 * Either split evenly as `redis-cli --cluster create` assigns them
 * (slotmap_even), or read from the saved output of CLUSTER SHARDS or
 * CLUSTER NODES (slotmap_parse), in any of the forms redis-cli / valkey-cli
 * print it (RESP2 or RESP3 formatting, --raw, --json), or a nodes.conf. */
#ifndef RDBLENS_SLOTMAP_H
#define RDBLENS_SLOTMAP_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/slot.h"

typedef struct slot_range {
    unsigned first, last;    /* inclusive */
} slot_range;

typedef struct slotmap_shard {
    char name[96];           /* "ip:port" of its master, its node id, or "shard N" */
    size_t first_range, nranges;   /* into slotmap.ranges, ascending */
} slotmap_shard;

typedef struct slotmap {
    slotmap_shard *shards;
    size_t nshards;
    slot_range *ranges;
    size_t nranges;
    size_t nodes;            /* every node the layout lists, replicas and masters
                                without slots included (each node keeps state for
                                all the others); slotmap_even: one per shard */
} slotmap;

/* n contiguous ranges over 0..16383 (redis-cli.c clusterManagerCommandCreate,
 * 3.0 .. 7.4, and valkey-cli). 0 < n <= SLOT_COUNT. -1 when out of memory. */
int slotmap_even(slotmap *m, unsigned n);

/* Parses text (not NUL-terminated; may hold anything). Slots may be left
 * unassigned; a slot claimed twice, a slot number past 16383, a malformed
 * range or a text with no slot ranges at all is refused: -1 with a message
 * naming the line in err. */
int slotmap_parse(slotmap *m, const char *text, size_t len, char *err, size_t errlen);

void slotmap_free(slotmap *m);

#endif
