/* fuzz_lzf_string.c: LZF-compressed RDB strings. The first input byte picks
 * where the compressed string sits, the rest follows the 0xC3 marker (its
 * compressed and uncompressed lengths, then the data), and an EOF opcode
 * with a zero (disabled) checksum closes the file:
 *   0: a string value          REDIS0011 00 01 'k' C3 <fuzz> FF 0*8
 *   1: a quicklist-2 node      REDIS0011 12 01 'k' 01 02 C3 <fuzz> FF 0*8
 *      (the decompressed bytes are then walked as a listpack)
 *   2: a key name              REDIS0011 00 C3 <fuzz> 01 'v' FF 0*8
 * The file is parsed as fuzz_rdb does (file and pipe paths). */
#include "tools/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const uint8_t pre0[] = {'R', 'E', 'D', 'I', 'S', '0', '0', '1', '1', 0x00, 0x01, 'k', 0xC3};
    static const uint8_t pre1[] = {'R', 'E', 'D', 'I', 'S', '0', '0', '1', '1', 0x12, 0x01, 'k', 0x01, 0x02, 0xC3};
    static const uint8_t pre2[] = {'R', 'E', 'D', 'I', 'S', '0', '0', '1', '1', 0x00, 0xC3};
    static const uint8_t post2[] = {0x01, 'v'};
    static const uint8_t eof[9] = {0xFF};
    if (size < 1) return 0;
    const uint8_t *pre;
    size_t npre, npost = 0;
    switch (data[0] % 3) {
    case 0: pre = pre0; npre = sizeof pre0; break;
    case 1: pre = pre1; npre = sizeof pre1; break;
    default: pre = pre2; npre = sizeof pre2; npost = sizeof post2; break;
    }
    size_t n = npre + (size - 1) + npost + sizeof eof;
    uint8_t *buf = malloc(n);
    if (!buf) return 0;
    memcpy(buf, pre, npre);
    memcpy(buf + npre, data + 1, size - 1);
    memcpy(buf + npre + size - 1, post2, npost);
    memcpy(buf + npre + size - 1 + npost, eof, sizeof eof);
    fz_parse_both(buf, n);
    free(buf);
    return 0;
}
