/* ziplist.h: walk a ziplist blob (RDB types 10, 12, 13 and quicklist v1 nodes)
 * while validating it. Layout drawn in ziplist.c. */
#ifndef RDBLENS_ZIPLIST_H
#define RDBLENS_ZIPLIST_H

#include "rdb/rdb.h"

typedef struct zl_iter {
    const uint8_t *blob; /* holds the blob's bytes [base, have) */
    size_t len;
    size_t pos;          /* offset of the next entry within the blob */
    uint32_t declared;   /* zllen from the header (65535 = unknown) */
    uint32_t seen;       /* entries returned so far */
    size_t prev_size;    /* byte size of the previous entry, to check prevlen */
    uint32_t tail;       /* zltail from the header */
    size_t base, have;   /* 0 and len, unless walked in pieces (zl_iter_init_pieces) */
    size_t need;         /* after ZL_ITER_MORE: the blob must be at hand up to here */
} zl_iter;

#define ZL_ITER_MORE 2

/* Checks the 10-byte header against len (zlbytes == len, zltail in range,
 * terminator present). Returns 0, or -1 with *err set (zl_iter.pos = offset). */
int zl_iter_init(zl_iter *it, const uint8_t *blob, size_t len, const char **err);

/* Returns 1 with *out set, 0 at the terminator (after checking that the entry
 * count matches zllen and nothing follows), or -1 with *err set and it->pos at
 * the offending entry. Strings point into the blob. */
int zl_iter_next(zl_iter *it, rdb_item *out, const char **err);

/* Walking in pieces, as lp_iter_init_pieces / lp_iter_window do for
 * listpacks: zl_iter_next_pieces returns ZL_ITER_MORE when the next entry
 * is not wholly at hand (bring the bytes from it->pos to it->need). */
int zl_iter_init_pieces(zl_iter *it, const uint8_t *head, size_t have, size_t len,
                        const char **err);
int zl_iter_next_pieces(zl_iter *it, rdb_item *out, const char **err);
void zl_iter_window(zl_iter *it, const uint8_t *win, size_t base, size_t have);

#endif
