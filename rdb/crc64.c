/* crc64.c: CRC-64/Jones (see crc64.h), by carry-less-multiply folding on
 * x86-64 with PCLMULQDQ, otherwise (and for tails) by slicing-by-8.
 *
 * Polynomials are over GF(2). P = x^64 + P', P' = 0xad93d23594c935a9. The CRC
 * is reflected: the first message bit is the highest-degree coefficient, and
 * a 64-bit value v stands for sum v_i x^(63-i) ("reflected", bit 0 = x^63).
 * With init c, crc(M) = (c * x^(8n) + M * x^64) mod P, so c is simply xored
 * into the first 8 message bytes.
 *
 * Slicing-by-8: t[0] is the classic reflected byte table; t[k][n] advances
 * t[k-1][n] by one more zero byte, so eight bytes take eight lookups.
 *
 * Folding (Intel, "Fast CRC Computation for Generic Polynomials Using
 * PCLMULQDQ", Gopal et al. 2009, reflected variant). A 16-byte block loaded
 * little-endian into an xmm register is A = H x^64 + L, with H in the low
 * qword (the first 8 bytes) and L in the high qword, both reflected. Moving A
 * forward over d more message bits multiplies it by x^d, and
 *     A x^d = H x^(d+64) + L x^d == H (x^(d+64) mod P) + L (x^d mod P)  (mod P),
 * two 64x64 products of at most 127 bits, i.e. again one 128-bit block that
 * lines up with the block d bits later and is simply xored into it. PCLMULQDQ
 * of two reflected 64-bit values yields the reflected 128-bit product times x
 * (bit i+j of the result is x^(126-i-j), but a 128-bit block reads bit k as
 * x^(127-k)), so the constants are x^(d+63) mod P and x^(d-1) mod P. Eight
 * independent lanes fold by d = 8*128 = 1024 bits (hides the multiplier's
 * latency); the lanes, and then any further 16-byte blocks, fold by d = 128.
 *
 * Reduction of the last block R = H x^64 + L: the CRC of everything so far is
 * R x^64 mod P = V mod P with V = H (x^127 mod P) x + L x^64 (deg V < 128):
 * one multiply by fold64 plus L moved to the low qword. Then Barrett: with
 * V = Vh x^64 + Vl, q = floor(V / P) = floor(Vh * floor(x^128 / P) / x^64),
 * exactly (deg V <= 2 deg P - 1). floor(x^128/P) = x * mu + 1 with
 * mu = floor(x^127 / P), and the + 1 term only reaches below x^64, so q is
 * the low qword of clmul(Vh, mu) (whose extra factor x supplies the x).
 * V mod P = Vl + (q P mod x^64), and with P = x * poly + 1 (poly = P / x,
 * P being odd) q P mod x^64 = q + the high qword of clmul(q, poly). So the
 * result is the high qword of V ^ (q << 64) ^ clmul(q, poly). All constants
 * come from P in crc64_init; the tests check the whole against a bitwise CRC. */
#include "rdb/crc64.h"
#include "rdb/bytes.h"

/* P' = 0xad93d23594c935a9 (x^63 .. x^0), and the same bit-reversed. */
#define CRC64_JONES_POLY 0xad93d23594c935a9ULL
#define CRC64_JONES_REFLECTED 0x95ac9329ac4bc9b5ULL

static uint64_t bitrev64(uint64_t v) {
    uint64_t r = 0;
    for (int i = 0; i < 64; i++, v >>= 1)
        r = (r << 1) | (v & 1);
    return r;
}

/* x^k mod P, reflected. Times x is a right shift; x^63 (bit 0) carries out
 * into x^64 == P'. */
static uint64_t xpow_mod(unsigned k) {
    uint64_t v = 1ULL << 63;    /* x^0 */
    while (k--)
        v = (v >> 1) ^ ((v & 1) ? CRC64_JONES_REFLECTED : 0);
    return v;
}

/* floor(x^127 / P), reflected: long division in the normal bit order. The
 * remainder starts as the dividend's top 64 coefficients, x^127 -> x^63; each
 * step brings down one (zero) coefficient, and a carry into x^64 means the
 * quotient has x^j and P is subtracted. */
static uint64_t quot127(void) {
    uint64_t r = 1ULL << 63, q = 0;
    for (int j = 63; j >= 0; j--) {
        uint64_t top = r >> 63;
        r <<= 1;
        if (top) {
            r ^= CRC64_JONES_POLY;
            q |= 1ULL << j;
        }
    }
    return bitrev64(q);
}

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

    tab->fold1024[0] = xpow_mod(1024 + 63);
    tab->fold1024[1] = xpow_mod(1024 - 1);
    tab->fold128[0] = xpow_mod(128 + 63);
    tab->fold128[1] = xpow_mod(128 - 1);
    tab->fold64 = xpow_mod(127);
    tab->mu = quot127();
    tab->poly = (CRC64_JONES_REFLECTED << 1) | 1;   /* x^63 + P'/x, reflected */
#if defined(__x86_64__)
    __builtin_cpu_init();
    tab->use_clmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
#else
    tab->use_clmul = 0;
#endif
}

uint64_t crc64_update_portable(const crc64_table *tab, uint64_t crc, const uint8_t *p, size_t n) {
    while (n >= 8) {
        crc ^= rdb_u64le(p);
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

#if defined(__x86_64__)
#include <immintrin.h>

#define CLMUL __attribute__((target("pclmul,sse4.1")))

/* One whole block is enough: even at 16 bytes the reduction beats slicing-by-8. */
#define CLMUL_MIN 16

CLMUL static inline __m128i load128(const uint8_t *p) {
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* x * x^d mod P as one 128-bit block, k = { x^(d+63) mod P, x^(d-1) mod P }. */
CLMUL static inline __m128i fold(__m128i x, __m128i k) {
    return _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11));
}

/* n >= 16; the last n % 16 bytes go to slicing-by-8. */
CLMUL static uint64_t crc64_clmul(const crc64_table *tab, uint64_t crc, const uint8_t *p, size_t n) {
    const __m128i k128 = _mm_loadu_si128((const __m128i *)(const void *)tab->fold128);
    __m128i x;
    if (n >= 128) {
        const __m128i k1024 = _mm_loadu_si128((const __m128i *)(const void *)tab->fold1024);
        __m128i x0 = _mm_xor_si128(load128(p), _mm_cvtsi64_si128((long long)crc));
        __m128i x1 = load128(p + 16), x2 = load128(p + 32), x3 = load128(p + 48);
        __m128i x4 = load128(p + 64), x5 = load128(p + 80), x6 = load128(p + 96);
        __m128i x7 = load128(p + 112);
        for (p += 128, n -= 128; n >= 128; p += 128, n -= 128) {
            x0 = _mm_xor_si128(fold(x0, k1024), load128(p));
            x1 = _mm_xor_si128(fold(x1, k1024), load128(p + 16));
            x2 = _mm_xor_si128(fold(x2, k1024), load128(p + 32));
            x3 = _mm_xor_si128(fold(x3, k1024), load128(p + 48));
            x4 = _mm_xor_si128(fold(x4, k1024), load128(p + 64));
            x5 = _mm_xor_si128(fold(x5, k1024), load128(p + 80));
            x6 = _mm_xor_si128(fold(x6, k1024), load128(p + 96));
            x7 = _mm_xor_si128(fold(x7, k1024), load128(p + 112));
        }
        x = _mm_xor_si128(fold(x0, k128), x1);
        x = _mm_xor_si128(fold(x, k128), x2);
        x = _mm_xor_si128(fold(x, k128), x3);
        x = _mm_xor_si128(fold(x, k128), x4);
        x = _mm_xor_si128(fold(x, k128), x5);
        x = _mm_xor_si128(fold(x, k128), x6);
        x = _mm_xor_si128(fold(x, k128), x7);
    } else {
        x = _mm_xor_si128(load128(p), _mm_cvtsi64_si128((long long)crc));
        p += 16;
        n -= 16;
    }
    for (; n >= 16; p += 16, n -= 16)
        x = _mm_xor_si128(fold(x, k128), load128(p));

    /* V = H (x^127 mod P) x + L x^64, then Barrett (see the top comment). */
    const __m128i k64 = _mm_set_epi64x(0, (long long)tab->fold64);
    const __m128i kb = _mm_set_epi64x((long long)tab->poly, (long long)tab->mu);
    __m128i v = _mm_xor_si128(_mm_clmulepi64_si128(x, k64, 0x00), _mm_srli_si128(x, 8));
    __m128i q = _mm_clmulepi64_si128(v, kb, 0x00);      /* q in the low qword */
    __m128i qp = _mm_clmulepi64_si128(q, kb, 0x10);     /* q * poly */
    v = _mm_xor_si128(_mm_xor_si128(v, qp), _mm_slli_si128(q, 8));
    crc = (uint64_t)_mm_extract_epi64(v, 1);
    return crc64_update_portable(tab, crc, p, n);
}
#endif

uint64_t crc64_update(const crc64_table *tab, uint64_t crc, const uint8_t *p, size_t n) {
#if defined(__x86_64__)
    if (n >= CLMUL_MIN && tab->use_clmul)
        return crc64_clmul(tab, crc, p, n);
#endif
    return crc64_update_portable(tab, crc, p, n);
}
