/* keyrecs.h: key records built by hand for the aggregate tests. */
#ifndef RDBLENS_TEST_KEYRECS_H
#define RDBLENS_TEST_KEYRECS_H

#include <string.h>

#include "analyze/keyrec.h"

/* A modelled key (ram = bytes) with no expiry. */
static inline key_record kr(uint64_t db, const char *key, rdb_kind type, const char *enc,
                            uint64_t bytes, uint64_t elements, uint64_t largest) {
    key_record r;
    memset(&r, 0, sizeof r);
    r.db = db;
    r.key = (const uint8_t *)key;
    r.key_len = strlen(key);
    r.type = type;
    r.encoding = enc;
    r.has_bytes = true;
    r.bytes = bytes;
    r.ram = bytes;
    r.elements = elements;
    r.largest = largest;
    return r;
}

/* A set whose members are all integers (an intset candidate). */
static inline key_record int_members(key_record r) {
    r.int_members = true;
    return r;
}

static inline key_record with_ttl(key_record r, int64_t expire_ms) {
    r.has_expire = true;
    r.expire_ms = expire_ms;
    return r;
}

#endif
