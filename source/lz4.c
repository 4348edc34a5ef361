/* lz4.c: LZ4 frames (the LZ4 Frame Format, lz4's default since r129)
 * through liblz4's LZ4F API.
 *
 *   04 22 4d 18 | FLG BD [content size(8)] [dict id(4)] HC | blocks ... |
 *   end mark 00 00 00 00 | [content checksum(4)]
 *
 * LZ4F_decompress returns 0 when a frame is complete; the same context
 * then starts the next frame (and skips skippable frames). The legacy
 * format (`lz4 -l`, magic 02 21 4c 18) has no LZ4F decoder and is refused
 * by source_open_fd. */
#include "source/decoder.h"

#include <stdio.h>
#include <lz4frame.h>

static void *l4_create(void) {
    LZ4F_dctx *d = NULL;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION))) return NULL;
    return d;
}

static codec_result l4_reset(void *state, char *msg, size_t msglen) {
    (void)msg, (void)msglen;
    LZ4F_resetDecompressionContext(state);
    return CODEC_OK;
}

static codec_result l4_step(void *state, codec_io *io) {
    size_t in_len = io->in_len, out_len = io->out_cap;
    size_t rc = LZ4F_decompress(state, io->out, &out_len, io->in, &in_len, NULL);
    io->in += in_len;
    io->in_len -= in_len;
    io->out_len = out_len;
    if (LZ4F_isError(rc)) {
        snprintf(io->msg, sizeof io->msg, "%s", LZ4F_getErrorName(rc));
        return CODEC_ERROR;
    }
    return rc == 0 ? CODEC_STREAM_END : CODEC_OK;
}

static void l4_destroy(void *state) { LZ4F_freeDecompressionContext(state); }

const codec codec_lz4 = {"lz4", l4_create, l4_reset, l4_step, l4_destroy};
