/* fuzz_listpack.c: the listpack iterator over an arbitrary blob, walked to
 * the end; every item is read. */
#include <stdio.h>
#include <stdlib.h>

#include "rdb/listpack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
volatile uint64_t fz_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lp_iter it;
    const char *err = NULL;
    if (lp_iter_init(&it, data, size, &err) < 0) {
        if (!err) abort();
        return 0;
    }
    uint64_t sum = 0, n = 0;
    rdb_item item;
    int rc;
    while ((rc = lp_iter_next(&it, &item, &err)) == 1) {
        if (item.is_int) {
            sum += (uint64_t)item.ival;
        } else {
            if (item.len && (item.ptr < data || item.ptr + item.len > data + size - 1)) {
                fprintf(stderr, "fuzz: listpack item outside the blob\n");
                abort();
            }
            for (size_t i = 0; i < item.len; i++) sum = sum * 31 + item.ptr[i];
        }
        if (++n > size) {
            fprintf(stderr, "fuzz: listpack yields more items than bytes\n");
            abort();
        }
    }
    if (rc < 0 && !err) abort();
    if (rc == 0 && (it.pos != size - 1 || (it.declared != 65535 && it.seen != it.declared))) {
        fprintf(stderr, "fuzz: listpack end accepted at %zu of %zu\n", it.pos, size);
        abort();
    }
    fz_sink += sum;
    return 0;
}
