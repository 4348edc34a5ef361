/* zipmap.h: walk a zipmap blob (RDB type 9, hashes of Redis <= 2.4). */
#ifndef RDBLENS_ZIPMAP_H
#define RDBLENS_ZIPMAP_H

#include "rdb/rdb.h"

typedef struct zm_iter {
    const uint8_t *blob; /* holds the blob's bytes [base, have) */
    size_t len;
    size_t base, have;   /* 0 and len, unless walked in pieces (zm_iter_init_pieces) */
    size_t need;         /* after ZM_ITER_MORE: the blob must be at hand up to here */
    size_t pos;
    uint32_t declared;   /* byte 0; >= 254 means unknown */
    uint32_t seen;       /* pairs returned */
} zm_iter;

int zm_iter_init(zm_iter *it, const uint8_t *blob, size_t len, const char **err);

/* Returns 1 with *field and *value set (bytes, never integers), 0 at the end
 * marker (which must be the last byte), -1 with *err set and it->pos. */
int zm_iter_next(zm_iter *it, rdb_item *field, rdb_item *value, const char **err);

/* Walking in pieces, as lp_iter_init_pieces / lp_iter_window do for
 * listpacks: zm_iter_next returns ZM_ITER_MORE when the next pair is not
 * wholly at hand (bring the bytes from it->pos to it->need). */
#define ZM_ITER_MORE 2
int zm_iter_init_pieces(zm_iter *it, const uint8_t *head, size_t have, size_t len,
                        const char **err);
void zm_iter_window(zm_iter *it, const uint8_t *win, size_t base, size_t have);

#endif
