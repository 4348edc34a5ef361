/* fuzz_valkey9.c: the Valkey 9 records (rdb/valkey9.c, HASH_2 in
 * rdb/value.c). The first input byte picks where the rest goes:
 *   0: VALKEY080 FE 00 16 01 'h' <fuzz> FF 0*8     a HASH_2 value
 *   1: VALKEY080 F3 <fuzz> FF 0*8                  a SLOT_IMPORT record
 *   2: VALKEY081 F2 <fuzz> FF 0*8                  an UPDATE command (RESP)
 * parsed as fuzz_rdb does (file and pipe paths). */
#include "tools/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const uint8_t hash2[] = {'V', 'A', 'L', 'K', 'E', 'Y', '0', '8', '0', 0xFE, 0x00, 22, 0x01, 'h'};
    static const uint8_t slot[] = {'V', 'A', 'L', 'K', 'E', 'Y', '0', '8', '0', 0xF3};
    static const uint8_t update[] = {'V', 'A', 'L', 'K', 'E', 'Y', '0', '8', '1', 0xF2};
    static const uint8_t eof[9] = {0xFF};
    if (size < 1) return 0;
    const uint8_t *pre = data[0] % 3 == 0 ? hash2 : data[0] % 3 == 1 ? slot : update;
    size_t npre = data[0] % 3 == 0 ? sizeof hash2 : data[0] % 3 == 1 ? sizeof slot : sizeof update;
    size_t n = npre + (size - 1) + sizeof eof;
    uint8_t *buf = malloc(n);
    if (!buf) return 0;
    memcpy(buf, pre, npre);
    memcpy(buf + npre, data + 1, size - 1);
    memcpy(buf + npre + size - 1, eof, sizeof eof);
    fz_parse_both(buf, n);
    free(buf);
    return 0;
}
