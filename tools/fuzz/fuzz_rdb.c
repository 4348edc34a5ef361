/* fuzz_rdb.c: the whole-file parser. The input is an RDB file as is. */
#include "tools/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_parse_both(data, size);
    return 0;
}
