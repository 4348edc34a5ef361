/* fuzz_stream.c: stream values. The first input byte picks the stream type
 * (15, 19, 21, 26 or 27: each adds fields), the rest is the value payload:
 *   REDIS0014 <type> 01 's' <fuzz> FF 0*8
 * parsed as fuzz_rdb does (file and pipe paths). */
#include "tools/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const uint8_t types[5] = {RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2,
                                     RDB_TYPE_STREAM_LISTPACKS_3, RDB_TYPE_STREAM_LISTPACKS_4,
                                     RDB_TYPE_STREAM_LISTPACKS_5};
    static const uint8_t eof[9] = {0xFF};
    if (size < 1) return 0;
    uint8_t pre[] = {'R', 'E', 'D', 'I', 'S', '0', '0', '1', '4', types[data[0] % 5], 0x01, 's'};
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
