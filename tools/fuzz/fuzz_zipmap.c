/* fuzz_zipmap.c: the zipmap iterator over an arbitrary blob, walked to the
 * end; every field and value is read. */
#include <stdio.h>
#include <stdlib.h>

#include "rdb/zipmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
volatile uint64_t fz_sink;

static void touch(const rdb_item *it, const uint8_t *data, size_t size, uint64_t *sum) {
    if (it->is_int) abort();  /* zipmaps hold bytes only */
    if (it->len && (it->ptr < data || it->ptr + it->len > data + size - 1)) {
        fprintf(stderr, "fuzz: zipmap item outside the blob\n");
        abort();
    }
    for (size_t i = 0; i < it->len; i++) *sum = *sum * 31 + it->ptr[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    zm_iter it;
    const char *err = NULL;
    if (zm_iter_init(&it, data, size, &err) < 0) {
        if (!err) abort();
        return 0;
    }
    uint64_t sum = 0, n = 0;
    rdb_item f, v;
    int rc;
    while ((rc = zm_iter_next(&it, &f, &v, &err)) == 1) {
        touch(&f, data, size, &sum);
        touch(&v, data, size, &sum);
        if (++n > size) {
            fprintf(stderr, "fuzz: zipmap yields more pairs than bytes\n");
            abort();
        }
    }
    if (rc < 0 && !err) abort();
    if (rc == 0 && it.pos != size - 1) {
        fprintf(stderr, "fuzz: zipmap end accepted at %zu of %zu\n", it.pos, size);
        abort();
    }
    fz_sink += sum;
    return 0;
}
