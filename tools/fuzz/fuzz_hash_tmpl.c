/* fuzz_hash_tmpl.c: Redis hash templates (RDB 15, rdb/hash_tmpl.c). A
 * template record with id 0 (fields age, city, name) comes first, so that
 * the reference types find it; the first input byte picks the value type
 * (29-32), the rest is the value payload and whatever records follow:
 *   REDIS0015 F2 00 03 03"age" 04"city" 04"name" <29+d0%4> 01 'h' <fuzz> FF 0*8
 * parsed as fuzz_rdb does (file and pipe paths). */
#include "tools/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const uint8_t eof[9] = {0xFF};
    if (size < 1) return 0;
    uint8_t pre[] = {'R', 'E', 'D', 'I', 'S', '0', '0', '1', '5', 0xF2, 0x00, 0x03,
                     3, 'a', 'g', 'e', 4, 'c', 'i', 't', 'y', 4, 'n', 'a', 'm', 'e',
                     (uint8_t)(29 + data[0] % 4), 0x01, 'h'};
    size_t n = sizeof pre + (size - 1) + sizeof eof;
    uint8_t *buf = malloc(n);
    if (!buf) return 0;
    memcpy(buf, pre, sizeof pre);
    memcpy(buf + sizeof pre, data + 1, size - 1);
    memcpy(buf + sizeof pre + size - 1, eof, sizeof eof);
    fz_parse_both(buf, n);
    free(buf);
    return 0;
}
