/* slot.h: Redis Cluster hash slots. A key's slot is CRC-16/XMODEM of the
 * key, or of its hash tag (the bytes between its first '{' and the first
 * '}' after it, when there are any), modulo 16384. */
#ifndef RDBLENS_SLOT_H
#define RDBLENS_SLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLOT_COUNT 16384u

uint16_t slot_crc16(const uint8_t *p, size_t len);

/* The hash tag of key (bytes [*off, *off + *tag_len)), or false when the
 * whole key is hashed. */
bool slot_hash_tag(const uint8_t *key, size_t len, size_t *off, size_t *tag_len);

/* 0 .. SLOT_COUNT-1 */
unsigned slot_of_key(const uint8_t *key, size_t len);

#endif
