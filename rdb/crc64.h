/* crc64.h: CRC-64 "Jones" as Redis computes it over an RDB file.
 * Reflected, polynomial 0xad93d23594c935a9, initial value 0, no final xor;
 * check value of "123456789" is 0xe9c6d914c4b8d9ca. On x86-64 CPUs with
 * PCLMULQDQ + SSE4.1 it folds with carry-less multiplies (well above 10 GB/s);
 * elsewhere, and for short inputs and tails, slicing-by-8. See crc64.c. */
#ifndef RDBLENS_CRC64_H
#define RDBLENS_CRC64_H

#include <stddef.h>
#include <stdint.h>

/* Everything crc64_update needs, computed by crc64_init: no hidden state. */
typedef struct crc64_table {
    uint64_t t[8][256];     /* slicing-by-8 tables */
    /* Carry-less folding constants, bit-reflected (see crc64.c):
     * fold1024/fold128 = { x^(d+63) mod P, x^(d-1) mod P } for d = 1024, 128;
     * fold64 = x^127 mod P; mu = floor(x^127 / P); poly = P / x (P has x^0). */
    uint64_t fold1024[2], fold128[2], fold64, mu, poly;
    int use_clmul;          /* x86-64 and the CPU has PCLMULQDQ + SSE4.1 */
} crc64_table;

void crc64_init(crc64_table *tab);
uint64_t crc64_update(const crc64_table *tab, uint64_t crc, const uint8_t *p, size_t n);
/* The slicing-by-8 path alone, whatever the CPU (for tests and benchmarks). */
uint64_t crc64_update_portable(const crc64_table *tab, uint64_t crc, const uint8_t *p, size_t n);

#endif
