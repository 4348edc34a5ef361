/* fuzz_lzf_peek.c: rdb/lzf_peek.c against liblzf on arbitrary streams. The
 * first two input bytes are the stated decompressed length (little-endian),
 * the rest the LZF stream, in an exact-size buffer so ASan sees any read
 * past it. The peek must produce liblzf's first bytes whenever liblzf
 * accepts the stream, and refuse only streams liblzf refuses; the streaming
 * check, fed the stream cut at a few places, must accept exactly what
 * liblzf accepts, and so must the piecewise decoder (lzf_dec), which must
 * also produce liblzf's bytes, given input and output room in pieces whose
 * sizes the stream's own bytes choose. */
#include <lzf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdb/lzf_peek.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    size_t ulen = (size_t)data[0] | (size_t)data[1] << 8;
    size_t clen = size - 2;
    uint8_t *in = malloc(clen ? clen : 1);
    uint8_t *full = malloc(ulen ? ulen : 1);
    if (!in || !full) abort();
    memcpy(in, data + 2, clen);
    unsigned got = ulen && clen ? lzf_decompress(in, (unsigned)clen, full, (unsigned)ulen) : 0;
    bool ok = got == ulen && clen > 0;
    for (size_t want = 0; want <= LZF_PEEK_MAX; want += 5) {
        uint8_t out[LZF_PEEK_MAX];
        int n = lzf_peek(in, clen, out, want, ulen);
        size_t expect = want < ulen ? want : ulen;
        if (ok && (n != (int)expect || memcmp(out, full, expect) != 0)) {
            fprintf(stderr, "fuzz: lzf_peek(%zu) gave %d bytes unlike liblzf's\n", want, n);
            abort();
        }
        if (n < 0 && ok) {
            fprintf(stderr, "fuzz: lzf_peek refused a stream liblzf accepts\n");
            abort();
        }
        if (n > (int)expect) abort();
    }
    if (ulen > 0) {
        /* cut points from the stream's own bytes, so the fuzzer steers them */
        lzf_check chk;
        lzf_check_init(&chk, ulen);
        size_t at = 0;
        for (unsigned k = 0; at < clen; k++) {
            size_t piece = k < clen ? (size_t)in[k] % 4 : clen;
            if (piece > clen - at) piece = clen - at;
            lzf_check_feed(&chk, in + at, piece);
            at += piece;
        }
        bool checked = lzf_check_end(&chk) == 0;
        if (checked != ok) {
            fprintf(stderr, "fuzz: lzf_check says %d, liblzf %d\n", checked, ok);
            abort();
        }
        uint8_t *out = malloc(ulen);
        if (!out) abort();
        lzf_dec d;
        lzf_dec_init(&d, ulen);
        size_t ip = 0, made = 0;
        bool bad = false;
        for (unsigned k = 0; !bad; k++) {
            size_t piece = 1 + (k < clen ? (size_t)in[k] % 7 : clen);
            size_t room = 1 + (k + 1 < clen ? (size_t)in[k + 1] % 300 : ulen);
            if (piece > clen - ip) piece = clen - ip;
            if (room > ulen - made) room = ulen - made;
            size_t used, got;
            bad = lzf_dec_run(&d, in + ip, piece, &used, out + made, room, &got) < 0;
            if (used > piece || got > room) abort();
            ip += used;
            made += got;
            if (ip == clen && (made == ulen || got == 0)) break;
            if (made == ulen && used == 0) break;   /* input left, no room: it is too long */
            if (used == 0 && got == 0) abort();     /* no progress with input and room */
        }
        bool decoded = !bad && ip == clen && lzf_dec_end(&d) == 0;
        if (decoded != ok || (ok && memcmp(out, full, ulen) != 0)) {
            fprintf(stderr, "fuzz: lzf_dec says %d, liblzf %d\n", decoded, ok);
            abort();
        }
        free(out);
    }
    free(full);
    free(in);
    return 0;
}
