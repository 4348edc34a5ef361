/* ziplist.h: walk a ziplist blob (RDB types 10, 12, 13 and quicklist v1 nodes)
 * while validating it. Layout drawn in ziplist.c. */
#ifndef RDBLENS_ZIPLIST_H
#define RDBLENS_ZIPLIST_H

#include "rdb/rdb.h"

typedef struct zl_iter {
    const uint8_t *blob;
    size_t len;
    size_t pos;          /* offset of the next entry within the blob */
    uint32_t declared;   /* zllen from the header (65535 = unknown) */
    uint32_t seen;       /* entries returned so far */
    size_t prev_size;    /* byte size of the previous entry, to check prevlen */
} zl_iter;

/* Checks the 10-byte header against len (zlbytes == len, zltail in range,
 * terminator present). Returns 0, or -1 with *err set (zl_iter.pos = offset). */
int zl_iter_init(zl_iter *it, const uint8_t *blob, size_t len, const char **err);

/* Returns 1 with *out set, 0 at the terminator (after checking that the entry
 * count matches zllen and nothing follows), or -1 with *err set and it->pos at
 * the offending entry. Strings point into the blob. */
int zl_iter_next(zl_iter *it, rdb_item *out, const char **err);

#endif
