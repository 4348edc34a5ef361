/* bzip2.c: bzip2 streams through libbz2.
 *
 *   42 5a 68 '1'..'9' | blocks (each 31 41 59 26 53 59 + CRC32 ...) |
 *   17 72 45 38 50 90 + combined CRC32
 *
 * BZ2_bzDecompress checks every block's CRC and the stream's combined CRC
 * and returns BZ_STREAM_END after the end marker; a following stream
 * (pbzip2 writes one per chunk) needs a fresh decoder, hence reset. */
#include "source/decoder.h"

#include <bzlib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct bz_state {
    bz_stream s;
    bool live;
} bz_state;

static void *bz_create(void) { return calloc(1, sizeof(bz_state)); }

static codec_result bz_reset(void *state, char *msg, size_t msglen) {
    bz_state *b = state;
    if (b->live) BZ2_bzDecompressEnd(&b->s);
    b->live = false;
    b->s = (bz_stream){0};
    int rc = BZ2_bzDecompressInit(&b->s, 0, 0);
    if (rc == BZ_OK) {
        b->live = true;
        return CODEC_OK;
    }
    snprintf(msg, msglen, "BZ2_bzDecompressInit failed (%d)", rc);
    return rc == BZ_MEM_ERROR ? CODEC_NOMEM : CODEC_ERROR;
}

static codec_result bz_step(void *state, codec_io *io) {
    bz_state *b = state;
    b->s.next_in = (char *)io->in;    /* libbz2 does not write through it */
    b->s.avail_in = (unsigned)io->in_len;
    b->s.next_out = (char *)io->out;
    b->s.avail_out = io->out_cap > 0xFFFFFFFFu ? 0xFFFFFFFFu : (unsigned)io->out_cap;
    unsigned out_before = b->s.avail_out;
    int rc = BZ2_bzDecompress(&b->s);
    io->in = (const uint8_t *)b->s.next_in;
    io->in_len = b->s.avail_in;
    io->out_len = out_before - b->s.avail_out;
    switch (rc) {
    case BZ_OK: return CODEC_OK;
    case BZ_STREAM_END: return CODEC_STREAM_END;
    case BZ_MEM_ERROR: return CODEC_NOMEM;
    case BZ_DATA_ERROR_MAGIC:
        snprintf(io->msg, sizeof io->msg, "not a bzip2 stream");
        return CODEC_ERROR;
    case BZ_DATA_ERROR:
        snprintf(io->msg, sizeof io->msg, "corrupt data (a block or stream CRC does not match)");
        return CODEC_ERROR;
    default:
        snprintf(io->msg, sizeof io->msg, "decoder error %d", rc);
        return CODEC_ERROR;
    }
}

static void bz_destroy(void *state) {
    bz_state *b = state;
    if (b->live) BZ2_bzDecompressEnd(&b->s);
    free(b);
}

const codec codec_bzip2 = {"bzip2", bz_create, bz_reset, bz_step, bz_destroy};
