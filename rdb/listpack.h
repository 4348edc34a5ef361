/* listpack.h: walk a listpack blob (RDB types 16, 17, 20, 25, quicklist-2
 * PACKED nodes, stream nodes) while validating it. Layout drawn in
 * listpack.c. */
#ifndef RDBLENS_LISTPACK_H
#define RDBLENS_LISTPACK_H

#include "rdb/rdb.h"

typedef struct lp_iter {
    const uint8_t *blob; /* holds the blob's bytes [base, have) */
    size_t len;
    size_t pos;          /* offset of the next entry within the blob */
    uint32_t declared;   /* element count from the header (65535 = unknown) */
    uint32_t seen;
    size_t base, have;   /* 0 and len, unless walked in pieces (lp_iter_init_pieces) */
    size_t need;         /* after LP_ITER_MORE: the blob must be at hand up to here */
} lp_iter;

#define LP_HEADER_SIZE 6
#define LP_ITER_MORE 2

/* Checks the 6-byte header (total bytes == len, terminator at len-1).
 * Returns 0, or -1 with *err set. */
int lp_iter_init(lp_iter *it, const uint8_t *blob, size_t len, const char **err);

/* The same for a blob of len bytes walked in pieces, from its first 'have'
 * bytes (at least the header; the terminator is checked when it is
 * reached). lp_iter_next_pieces then returns LP_ITER_MORE when the next
 * entry is not wholly at hand: the caller brings the bytes from it->pos to
 * it->need and calls lp_iter_window before asking again. */
int lp_iter_init_pieces(lp_iter *it, const uint8_t *head, size_t have, size_t len,
                        const char **err);
/* The bytes at hand are now [base, have), at win. */
void lp_iter_window(lp_iter *it, const uint8_t *win, size_t base, size_t have);

/* Returns 1 with *out set, 0 at the terminator (count checked against the
 * header unless it is 65535), -1 with *err set and it->pos at the entry.
 * Each entry's backlen is checked. Strings in *out point into the blob.
 * For a blob walked in pieces, lp_iter_next_pieces, which may also return
 * LP_ITER_MORE. */
int lp_iter_next(lp_iter *it, rdb_item *out, const char **err);
int lp_iter_next_pieces(lp_iter *it, rdb_item *out, const char **err);

#endif
