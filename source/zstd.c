/* zstd.c: Zstandard frames (RFC 8878) through libzstd's streaming API.
 *
 *   28 b5 2f fd | frame header | blocks ... | [content checksum(4)]
 *
 * One ZSTD_DStream decodes consecutive frames (and skips skippable ones)
 * by itself; ZSTD_decompressStream returns 0 exactly when a frame is
 * complete and flushed, which is our stream end. The window a frame may
 * ask for is capped (ZSTD_d_windowLogMax, 2^27 = 128 MiB, the zstd tool's
 * default limit too) so a hostile header cannot make us allocate more. */
#include "source/decoder.h"

#include <stdio.h>
#include <zstd.h>
#include <zstd_errors.h>

static void *zs_create(void) {
    ZSTD_DStream *z = ZSTD_createDStream();
    if (z && ZSTD_isError(ZSTD_DCtx_setParameter(z, ZSTD_d_windowLogMax, 27))) {
        ZSTD_freeDStream(z);
        return NULL;
    }
    return z;
}

static codec_result zs_reset(void *state, char *msg, size_t msglen) {
    size_t rc = ZSTD_DCtx_reset(state, ZSTD_reset_session_only);
    if (!ZSTD_isError(rc)) return CODEC_OK;
    snprintf(msg, msglen, "%s", ZSTD_getErrorName(rc));
    return CODEC_ERROR;
}

static codec_result zs_step(void *state, codec_io *io) {
    ZSTD_inBuffer in = {io->in, io->in_len, 0};
    ZSTD_outBuffer out = {io->out, io->out_cap, 0};
    size_t rc = ZSTD_decompressStream(state, &out, &in);
    io->in += in.pos;
    io->in_len -= in.pos;
    io->out_len = out.pos;
    if (ZSTD_isError(rc)) {
        if (ZSTD_getErrorCode(rc) == ZSTD_error_memory_allocation) return CODEC_NOMEM;
        snprintf(io->msg, sizeof io->msg, "%s", ZSTD_getErrorName(rc));
        return CODEC_ERROR;
    }
    return rc == 0 ? CODEC_STREAM_END : CODEC_OK;
}

static void zs_destroy(void *state) { ZSTD_freeDStream(state); }

const codec codec_zstd = {"zstd", zs_create, zs_reset, zs_step, zs_destroy};
