/* intset.h: walk an intset blob (RDB type 11) while validating it. */
#ifndef RDBLENS_INTSET_H
#define RDBLENS_INTSET_H

#include "rdb/rdb.h"

typedef struct intset_iter {
    const uint8_t *blob;
    size_t len;
    uint32_t width;      /* 2, 4 or 8 */
    uint32_t count;
    uint32_t index;
    int64_t prev;
} intset_iter;

/* Checks encoding in {2,4,8} and len == 8 + count * width.
 * Returns 0, or -1 with *err set. */
int intset_iter_init(intset_iter *it, const uint8_t *blob, size_t len, const char **err);

/* Returns 1 with *v set, 0 at the end, -1 with *err set when the members are
 * not strictly ascending. *offset receives the member's offset in the blob. */
int intset_iter_next(intset_iter *it, int64_t *v, size_t *offset, const char **err);

#endif
