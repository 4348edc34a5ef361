/* crc64.h: CRC-64 "Jones" as Redis computes it over an RDB file.
 * Reflected, polynomial 0xad93d23594c935a9, initial value 0, no final xor;
 * check value of "123456789" is 0xe9c6d914c4b8d9ca. Slicing-by-8, so the
 * checksum keeps up with a parser that runs at memory speed. */
#ifndef RDBLENS_CRC64_H
#define RDBLENS_CRC64_H

#include <stddef.h>
#include <stdint.h>

typedef struct crc64_table {
    uint64_t t[8][256];
} crc64_table;

void crc64_init(crc64_table *tab);
uint64_t crc64_update(const crc64_table *tab, uint64_t crc, const uint8_t *p, size_t n);

#endif
