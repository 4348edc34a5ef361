/* xz.c: the .xz container through liblzma's stream decoder.
 *
 *   fd 37 7a 58 5a 00 | stream flags(2) CRC32(4) | blocks ... | index |
 *   CRC32(4) backward size(4) stream flags(2) 59 5a
 *
 * LZMA_CONCATENATED makes one decoder read consecutive streams and the
 * null padding between them, which is why it must be told where the input
 * ends (LZMA_FINISH) before it reports the end. Each block's check
 * (CRC-32/CRC-64/SHA-256) is verified. The memory it may use is capped at
 * 256 MiB (xz -9 needs 65 MiB to decompress) so a header claiming a huge
 * dictionary is an error, not an allocation. */
#include "source/decoder.h"

#include <stdio.h>
#include <stdlib.h>
#include <lzma.h>

#define XZ_MEMLIMIT (256u << 20)

static void *xz_create(void) { return calloc(1, sizeof(lzma_stream)); }

static codec_result xz_reset(void *state, char *msg, size_t msglen) {
    lzma_stream *s = state;
    lzma_end(s);
    *s = (lzma_stream)LZMA_STREAM_INIT;
    lzma_ret rc = lzma_stream_decoder(s, XZ_MEMLIMIT, LZMA_CONCATENATED);
    if (rc == LZMA_OK) return CODEC_OK;
    snprintf(msg, msglen, "lzma_stream_decoder failed (%d)", (int)rc);
    return rc == LZMA_MEM_ERROR ? CODEC_NOMEM : CODEC_ERROR;
}

static const char *xz_error(lzma_ret rc) {
    switch (rc) {
    case LZMA_FORMAT_ERROR: return "not in the .xz format";
    case LZMA_OPTIONS_ERROR: return "unsupported compression options";
    case LZMA_DATA_ERROR: return "corrupt data";
    case LZMA_MEMLIMIT_ERROR: return "needs more than 256 MiB of memory to decompress";
    case LZMA_UNSUPPORTED_CHECK: return "unsupported integrity check";
    default: return "decoder error";
    }
}

static codec_result xz_step(void *state, codec_io *io) {
    lzma_stream *s = state;
    s->next_in = io->in;
    s->avail_in = io->in_len;
    s->next_out = io->out;
    s->avail_out = io->out_cap;
    lzma_ret rc = lzma_code(s, io->in_end ? LZMA_FINISH : LZMA_RUN);
    io->in = s->next_in;
    io->in_len = s->avail_in;
    io->out_len = io->out_cap - s->avail_out;
    switch (rc) {
    case LZMA_OK: return CODEC_OK;
    case LZMA_STREAM_END: return CODEC_STREAM_END;
    case LZMA_MEM_ERROR: return CODEC_NOMEM;
    case LZMA_BUF_ERROR:
        /* no progress possible: decoder.c tells a cut stream from this */
        return CODEC_OK;
    default:
        snprintf(io->msg, sizeof io->msg, "%s", xz_error(rc));
        return CODEC_ERROR;
    }
}

static void xz_destroy(void *state) {
    lzma_end(state);
    free(state);
}

const codec codec_xz = {"xz", xz_create, xz_reset, xz_step, xz_destroy};
