/* zipmap.h: walk a zipmap blob (RDB type 9, hashes of Redis <= 2.4). */
#ifndef RDBLENS_ZIPMAP_H
#define RDBLENS_ZIPMAP_H

#include "rdb/rdb.h"

typedef struct zm_iter {
    const uint8_t *blob;
    size_t len;
    size_t pos;
    uint32_t declared;   /* byte 0; >= 254 means unknown */
    uint32_t seen;       /* pairs returned */
} zm_iter;

int zm_iter_init(zm_iter *it, const uint8_t *blob, size_t len, const char **err);

/* Returns 1 with *field and *value set (bytes, never integers), 0 at the end
 * marker (which must be the last byte), -1 with *err set and it->pos. */
int zm_iter_next(zm_iter *it, rdb_item *field, rdb_item *value, const char **err);

#endif
