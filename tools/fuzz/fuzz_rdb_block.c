/* fuzz_rdb_block.c: the whole-file parser across the reader's block
 * boundary (4 KiB in the fuzz build, see tools/fuzz.sh): the records of
 * every input start just before the end of the first block, so each one
 * is read across a buffer slide.
 * Input: <k: u16 LE> <9-byte magic> <records...>. The file parsed is
 *   magic, 00 01 'f' <string of RD_BLOCK_SIZE - 17 - k zero bytes>, records
 * so the records start k bytes before the end of the first block. */
#include "tools/fuzz/fuzz_common.h"
#include "rdb/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEAD 17u  /* magic 9 + type 1 + key 2 + 5-byte length */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 11) return 0;
    size_t k = (size_t)data[0] | (size_t)data[1] << 8;
    if (k > RD_BLOCK_SIZE - HEAD) k = RD_BLOCK_SIZE - HEAD;
    size_t filler = RD_BLOCK_SIZE - HEAD - k;
    size_t rest = size - 11;
    size_t n = HEAD + filler + rest;
    uint8_t *buf = calloc(1, n);
    if (!buf) return 0;
    memcpy(buf, data + 2, 9);
    buf[9] = 0x00;
    buf[10] = 0x01;
    buf[11] = 'f';
    buf[12] = 0x80;
    for (int i = 0; i < 4; i++) buf[13 + i] = (uint8_t)(filler >> (8 * (3 - i)));
    memcpy(buf + HEAD + filler, data + 11, rest);
    fz_parse_both(buf, n);
    free(buf);
    return 0;
}
