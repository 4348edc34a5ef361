/* crcbench.c: CRC-64 throughput, slicing-by-8 vs. the PCLMULQDQ path.
 * Not part of the Makefile; build and run ad hoc:
 *   cc -std=c11 -D_GNU_SOURCE -I. -O2 tools/crcbench.c rdb/crc64.c -o /tmp/crcbench
 *   /tmp/crcbench [MiB]      (default 256)
 * Prints the best of 5 passes over the buffer, then per-call GB/s for short
 * chunks (where the dispatch threshold and the tail handling matter). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "rdb/crc64.h"

typedef uint64_t (*crc_fn)(const crc64_table *, uint64_t, const uint8_t *, size_t);

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Best GB/s of `reps` passes of crc over buf[0..len) in chunks of `chunk`. */
static double rate(crc_fn f, const crc64_table *t, const uint8_t *buf, size_t len, size_t chunk,
                   int reps, uint64_t *out) {
    double best = 0;
    for (int r = 0; r < reps; r++) {
        uint64_t crc = 0;
        double t0 = now();
        for (size_t off = 0; off + chunk <= len; off += chunk)
            crc = f(t, crc, buf + off, chunk);
        double s = now() - t0;
        double gbs = (double)(len / chunk * chunk) / s / 1e9;
        if (gbs > best) best = gbs;
        *out = crc;
    }
    return best;
}

int main(int argc, char **argv) {
    size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
    size_t len = mib << 20;
    uint8_t *buf = malloc(len);
    if (!buf) return 1;
    uint64_t s = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < len; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        buf[i] = (uint8_t)s;
    }
    crc64_table *t = malloc(sizeof *t);
    if (!t) return 1;
    crc64_init(t);
    printf("pclmul path: %s\n", t->use_clmul ? "available" : "not available (both rows portable)");

    uint64_t a, b;
    double pa = rate(crc64_update_portable, t, buf, len, len, 5, &a);
    double pb = rate(crc64_update, t, buf, len, len, 5, &b);
    printf("%zu MiB one call:  slicing-by-8 %6.2f GB/s   crc64_update %6.2f GB/s   x%.1f  %s\n",
           mib, pa, pb, pb / pa, a == b ? "(same crc)" : "CRC MISMATCH");

    static const size_t chunks[] = {16, 32, 64, 100, 128, 256, 1024, 4096, 65536};
    size_t small = len < (64u << 20) ? len : (64u << 20);
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        pa = rate(crc64_update_portable, t, buf, small, chunks[i], 3, &a);
        pb = rate(crc64_update, t, buf, small, chunks[i], 3, &b);
        printf("chunks of %6zu:    slicing-by-8 %6.2f GB/s   crc64_update %6.2f GB/s   %s\n",
               chunks[i], pa, pb, a == b ? "" : "CRC MISMATCH");
    }
    free(t);
    free(buf);
    return 0;
}
