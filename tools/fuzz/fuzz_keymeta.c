/* fuzz_keymeta.c: Redis KEY_META records (rdb/keymeta.c). The input is the
 * record's body (class count, then per class a 4-byte spec and a module
 * opcode stream), placed before a string key:
 *   REDIS0013 FE 00 F3 <fuzz> 00 01 'k' 01 'v' FF 0*8
 * parsed as fuzz_rdb does (file and pipe paths). */
#include "tools/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const uint8_t pre[] = {'R', 'E', 'D', 'I', 'S', '0', '0', '1', '3', 0xFE, 0x00, 0xF3};
    static const uint8_t post[] = {0x00, 0x01, 'k', 0x01, 'v', 0xFF, 0, 0, 0, 0, 0, 0, 0, 0};
    size_t n = sizeof pre + size + sizeof post;
    uint8_t *buf = malloc(n);
    if (!buf) return 0;
    memcpy(buf, pre, sizeof pre);
    if (size) memcpy(buf + sizeof pre, data, size);
    memcpy(buf + sizeof pre + size, post, sizeof post);
    fz_parse_both(buf, n);
    free(buf);
    return 0;
}
