/* intset.h: walk an intset blob (RDB type 11) while validating it. */
#ifndef RDBLENS_INTSET_H
#define RDBLENS_INTSET_H

#include "rdb/rdb.h"

typedef struct intset_iter {
    const uint8_t *blob; /* holds the blob's bytes [base, have) */
    size_t len;
    size_t base, have;   /* 0 and len, unless walked in pieces (intset_iter_init_pieces) */
    size_t need;         /* after INTSET_ITER_MORE: the blob must be at hand up to here */
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

/* Walking in pieces, as lp_iter_init_pieces / lp_iter_window do for
 * listpacks: intset_iter_next returns INTSET_ITER_MORE when the next member
 * is not at hand (bring the bytes from *offset to it->need). */
#define INTSET_ITER_MORE 2
int intset_iter_init_pieces(intset_iter *it, const uint8_t *head, size_t have, size_t len,
                            const char **err);
void intset_iter_window(intset_iter *it, const uint8_t *win, size_t base, size_t have);

#endif
