/* bytes.h: fixed-width integers read from untrusted bytes, assembled byte by
 * byte (no unaligned casts, no host-order assumptions). The caller has
 * already checked that the bytes exist. */
#ifndef RDBLENS_BYTES_H
#define RDBLENS_BYTES_H

#include <stdint.h>

static inline uint32_t rdb_u16le(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }

static inline uint32_t rdb_u32le(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint32_t rdb_u32be(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Unsigned little-endian value of n (1..8) bytes. */
static inline uint64_t rdb_uint_le(const uint8_t *p, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static inline uint64_t rdb_u64le(const uint8_t *p) { return rdb_uint_le(p, 8); }

static inline uint64_t rdb_u64be(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | p[i];
    return v;
}

/* Two's complement value of the low 'bits' (1..64) bits of u, without
 * implementation-defined conversions. */
static inline int64_t rdb_sign_extend(uint64_t u, unsigned bits) {
    uint64_t mask = bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    uint64_t sign = (uint64_t)1 << (bits - 1);
    u &= mask;
    if (!(u & sign)) return (int64_t)u;
    return -(int64_t)(~u & mask) - 1;
}

/* Signed little-endian value of n (1..8) bytes. */
static inline int64_t rdb_int_le(const uint8_t *p, unsigned n) {
    return rdb_sign_extend(rdb_uint_le(p, n), 8 * n);
}

#endif
