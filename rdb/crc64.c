/* crc64.c: slicing-by-8 CRC-64/Jones (see crc64.h).
 *
 * t[0] is the classic reflected byte table; t[k][n] advances t[k-1][n] by
 * one more zero byte, so eight input bytes are folded with eight lookups.
 * The table lives in a caller-owned struct: no hidden global state. */
#include "rdb/crc64.h"

/* 0xad93d23594c935a9 bit-reversed. */
#define CRC64_JONES_REFLECTED 0x95ac9329ac4bc9b5ULL

void crc64_init(crc64_table *tab) {
    for (unsigned n = 0; n < 256; n++) {
        uint64_t crc = n;
        for (int b = 0; b < 8; b++)
            crc = (crc & 1) ? (crc >> 1) ^ CRC64_JONES_REFLECTED : crc >> 1;
        tab->t[0][n] = crc;
    }
    for (unsigned n = 0; n < 256; n++)
        for (int k = 1; k < 8; k++)
            tab->t[k][n] = (tab->t[k - 1][n] >> 8) ^ tab->t[0][tab->t[k - 1][n] & 0xff];
}

static uint64_t load64le(const uint8_t *p) {
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
           (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
           (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

uint64_t crc64_update(const crc64_table *tab, uint64_t crc, const uint8_t *p, size_t n) {
    while (n >= 8) {
        crc ^= load64le(p);
        crc = tab->t[7][crc & 0xff] ^ tab->t[6][(crc >> 8) & 0xff] ^
              tab->t[5][(crc >> 16) & 0xff] ^ tab->t[4][(crc >> 24) & 0xff] ^
              tab->t[3][(crc >> 32) & 0xff] ^ tab->t[2][(crc >> 40) & 0xff] ^
              tab->t[1][(crc >> 48) & 0xff] ^ tab->t[0][crc >> 56];
        p += 8;
        n -= 8;
    }
    while (n--)
        crc = tab->t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}
