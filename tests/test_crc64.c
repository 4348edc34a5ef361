/* test_crc64.c: CRC-64/Jones, the PCLMULQDQ folding path against slicing-by-8
 * and against a bitwise reference: the check value, every length 0..4096 at
 * every 16-byte misalignment, large odd-sized buffers, split updates, and the
 * folding constants themselves. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "rdb/crc64.h"

#define CHECK_VALUE 0xe9c6d914c4b8d9caULL

/* One bit at a time, straight from the definition (reflected, no xor-out). */
static uint64_t crc_bitwise(uint64_t crc, const uint8_t *p, size_t n) {
    while (n--) {
        crc ^= *p++;
        for (int b = 0; b < 8; b++)
            crc = (crc & 1) ? (crc >> 1) ^ 0x95ac9329ac4bc9b5ULL : crc >> 1;
    }
    return crc;
}

static uint64_t rng_state = 0x243f6a8885a308d3ULL;
static uint64_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint8_t *random_buf(size_t n) {
    uint8_t *b = malloc(n);
    cr_assert_not_null(b);
    for (size_t i = 0; i < n; i++) b[i] = (uint8_t)rng();
    return b;
}

static crc64_table *table(void) {
    crc64_table *t = malloc(sizeof *t);
    cr_assert_not_null(t);
    crc64_init(t);
    return t;
}

Test(crc64, check_value_both_paths) {
    crc64_table *t = table();
    const uint8_t *s = (const uint8_t *)"123456789";
    cr_assert_eq(crc64_update(t, 0, s, 9), CHECK_VALUE);
    cr_assert_eq(crc64_update_portable(t, 0, s, 9), CHECK_VALUE);
    cr_assert_eq(crc_bitwise(0, s, 9), CHECK_VALUE);
    cr_assert_eq(crc64_update(t, 0x1234, s, 0), 0x1234);
    /* long enough for the folding path: 8 x "123456789" against the reference */
    uint8_t rep[72];
    for (int i = 0; i < 8; i++) memcpy(rep + 9 * i, s, 9);
    cr_assert_eq(crc64_update(t, 0, rep, sizeof rep), crc_bitwise(0, rep, sizeof rep));
    free(t);
}

/* On a CPU that can, crc64_update must really take the folding path, or the
 * comparisons below test slicing-by-8 against itself. */
Test(crc64, fast_path_selected) {
    crc64_table *t = table();
#if defined(__x86_64__)
    __builtin_cpu_init();
    int can = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    cr_assert_eq(t->use_clmul, can);
#else
    cr_assert_eq(t->use_clmul, 0);
#endif
    free(t);
}

Test(crc64, every_length_to_4096_every_alignment) {
    crc64_table *t = table();
    crc64_table *port = table();
    port->use_clmul = 0;
    uint8_t *b = random_buf(4096 + 16);
    for (size_t n = 0; n <= 4096; n++) {
        size_t off = n % 16;
        uint64_t init = (n & 1) ? rng() : 0;
        uint64_t want = crc_bitwise(init, b + off, n);
        uint64_t fast = crc64_update(t, init, b + off, n);
        cr_assert_eq(fast, want, "len %zu off %zu: %016llx != %016llx", n, off,
                     (unsigned long long)fast, (unsigned long long)want);
        cr_assert_eq(crc64_update_portable(t, init, b + off, n), want, "portable len %zu", n);
        cr_assert_eq(crc64_update(port, init, b + off, n), want, "use_clmul=0 len %zu", n);
    }
    free(b);
    free(port);
    free(t);
}

Test(crc64, large_odd_sizes_and_offsets) {
    crc64_table *t = table();
    static const size_t lens[] = {1u << 20, (1u << 20) + 1, (1u << 20) + 127, 3u << 19 | 77, 2500003};
    static const size_t offs[] = {0, 1, 3, 7, 13};
    uint8_t *b = random_buf(2500003 + 16);
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        for (size_t j = 0; j < sizeof offs / sizeof offs[0]; j++) {
            const uint8_t *p = b + offs[j];
            uint64_t init = j ? rng() : 0;
            uint64_t fast = crc64_update(t, init, p, lens[i]);
            cr_assert_eq(fast, crc64_update_portable(t, init, p, lens[i]), "len %zu off %zu", lens[i],
                         offs[j]);
            if (j < 2) cr_assert_eq(fast, crc_bitwise(init, p, lens[i]), "len %zu off %zu", lens[i], offs[j]);
        }
    }
    free(b);
    free(t);
}

Test(crc64, split_anywhere_equals_one_pass) {
    crc64_table *t = table();
    const size_t n = 1500;
    uint8_t *b = random_buf(n);
    uint64_t whole = crc64_update(t, 0, b, n);
    cr_assert_eq(whole, crc_bitwise(0, b, n));
    for (size_t k = 0; k <= n; k++) {
        uint64_t c = crc64_update(t, 0, b, k);
        cr_assert_eq(crc64_update(t, c, b + k, n - k), whole, "split at %zu", k);
    }
    /* random three-way splits over a larger buffer, mixing both paths */
    const size_t big = 300000;
    uint8_t *g = random_buf(big);
    uint64_t gw = crc64_update_portable(t, 0, g, big);
    for (int r = 0; r < 200; r++) {
        size_t a = rng() % (big + 1), c = rng() % (big + 1);
        if (a > c) { size_t s = a; a = c; c = s; }
        uint64_t x = crc64_update(t, 0, g, a);
        x = crc64_update_portable(t, x, g + a, c - a);
        x = crc64_update(t, x, g + c, big - c);
        cr_assert_eq(x, gw, "splits %zu %zu", a, c);
    }
    free(g);
    free(b);
    free(t);
}

/* The constants against their definitions, computed independently: x^k mod P
 * by shifting a one through the byte-at-a-time CRC (a zero byte multiplies by
 * x^8), and mu by checking that x^127 - mu P has degree < 64. */
Test(crc64, folding_constants) {
    crc64_table *t = table();
    /* crc of k/8 zero bytes starting from x^63 (bit 0) is x^(63+k) mod P */
    uint8_t zeros[160] = {0};
    cr_assert_eq(t->fold64, crc_bitwise(1, zeros, 8));
    cr_assert_eq(t->fold128[0], crc_bitwise(1, zeros, 16));
    cr_assert_eq(t->fold1024[0], crc_bitwise(1, zeros, 128));
    /* x^(d-1) = x^63 * x^(d-64) */
    cr_assert_eq(t->fold128[1], crc_bitwise(1, zeros, 8));
    cr_assert_eq(t->fold1024[1], crc_bitwise(1, zeros, 120));
    /* mu * P in normal bit order (128-bit product), then x^127 ^ that < x^64. */
    uint64_t mu = 0, m = t->mu;
    for (int i = 0; i < 64; i++, m >>= 1) mu = (mu << 1) | (m & 1);
    uint64_t hi = 0, lo = 0;        /* product of mu and P = x^64 + P' */
    const uint64_t pn = 0xad93d23594c935a9ULL;
    for (int i = 0; i < 64; i++) {
        if (!(mu >> i & 1)) continue;
        lo ^= pn << i;
        if (i) hi ^= pn >> (64 - i);
        hi ^= 1ULL << i;            /* x^64 * x^i */
    }
    cr_assert_eq(hi, 1ULL << 63, "x^127 - mu P must be below x^64 (hi %016llx)", (unsigned long long)hi);
    free(t);
}
