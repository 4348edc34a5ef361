/* fuzz_intset.c: the intset iterator over an arbitrary blob, walked to the
 * end; every member is read and must lie inside the blob. */
#include <stdio.h>
#include <stdlib.h>

#include "rdb/intset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
volatile uint64_t fz_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    intset_iter it;
    const char *err = NULL;
    if (intset_iter_init(&it, data, size, &err) < 0) {
        if (!err) abort();
        return 0;
    }
    uint64_t sum = 0, n = 0;
    int64_t v, prev = 0;
    size_t off = 0;
    int rc;
    while ((rc = intset_iter_next(&it, &v, &off, &err)) == 1) {
        if (off < 8 || off + it.width > size) {
            fprintf(stderr, "fuzz: intset member at %zu outside the blob (%zu)\n", off, size);
            abort();
        }
        if (n > 0 && v <= prev) {
            fprintf(stderr, "fuzz: intset accepted members out of order\n");
            abort();
        }
        for (size_t i = 0; i < it.width; i++) sum = sum * 31 + data[off + i];
        prev = v;
        sum += (uint64_t)v;
        n++;
    }
    if (rc < 0 && !err) abort();
    if (rc == 0 && n != it.count) {
        fprintf(stderr, "fuzz: intset ended after %llu of %u members\n", (unsigned long long)n, it.count);
        abort();
    }
    fz_sink += sum;
    return 0;
}
