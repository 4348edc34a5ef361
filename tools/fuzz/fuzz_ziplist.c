/* fuzz_ziplist.c: the ziplist iterator over an arbitrary blob, walked to the
 * end; every item is read. */
#include <stdio.h>
#include <stdlib.h>

#include "rdb/ziplist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
volatile uint64_t fz_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    zl_iter it;
    const char *err = NULL;
    if (zl_iter_init(&it, data, size, &err) < 0) {
        if (!err) abort();
        return 0;
    }
    uint64_t sum = 0, n = 0;
    rdb_item item;
    int rc;
    while ((rc = zl_iter_next(&it, &item, &err)) == 1) {
        if (item.is_int) {
            sum += (uint64_t)item.ival + item.len;
        } else {
            if (item.len && (item.ptr < data || item.ptr + item.len > data + size - 1)) {
                fprintf(stderr, "fuzz: ziplist item outside the blob\n");
                abort();
            }
            for (size_t i = 0; i < item.len; i++) sum = sum * 31 + item.ptr[i];
        }
        if (++n > size) {
            fprintf(stderr, "fuzz: ziplist yields more items than bytes\n");
            abort();
        }
    }
    if (rc < 0 && !err) abort();
    if (rc == 0 && it.pos != size - 1) {
        fprintf(stderr, "fuzz: ziplist end accepted at %zu of %zu\n", it.pos, size);
        abort();
    }
    fz_sink += sum;
    return 0;
}
