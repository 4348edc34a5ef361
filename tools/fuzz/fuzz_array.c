/* fuzz_array.c: Redis ARRAY values (RDB type 28, rdb/array.c). The input is
 * the value payload:
 *   REDIS0014 1C 01 'a' <fuzz> FF 0*8
 * parsed as fuzz_rdb does (file and pipe paths). */
#include "tools/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const uint8_t pre[] = {'R', 'E', 'D', 'I', 'S', '0', '0', '1', '4', 28, 0x01, 'a'};
    static const uint8_t eof[9] = {0xFF};
    size_t n = sizeof pre + size + sizeof eof;
    uint8_t *buf = malloc(n);
    if (!buf) return 0;
    memcpy(buf, pre, sizeof pre);
    if (size) memcpy(buf + sizeof pre, data, size);
    memcpy(buf + sizeof pre + size, eof, sizeof eof);
    fz_parse_both(buf, n);
    free(buf);
    return 0;
}
