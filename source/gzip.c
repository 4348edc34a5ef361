/* gzip.c: gzip members (RFC 1952) through zlib's inflate.
 *
 *   1f 8b | CM=8 | FLG | MTIME(4) | XFL | OS | [extra, name, comment, hcrc]
 *   deflate data ... | CRC32(4) | ISIZE(4)
 *
 * inflate with windowBits 16+15 reads exactly one member, header to
 * trailer, and checks its CRC-32 and length; decoder.c starts the next
 * member, if any, with reset. */
#include "source/decoder.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

static void *gz_create(void) {
    z_stream *z = calloc(1, sizeof *z);
    if (z && inflateInit2(z, 16 + MAX_WBITS) != Z_OK) {
        free(z);
        return NULL;
    }
    return z;
}

static codec_result gz_reset(void *state, char *msg, size_t msglen) {
    if (inflateReset(state) == Z_OK) return CODEC_OK;
    snprintf(msg, msglen, "inflateReset failed");
    return CODEC_ERROR;
}

static codec_result gz_step(void *state, codec_io *io) {
    z_stream *z = state;
    z->next_in = (Bytef *)io->in;     /* zlib does not write through it */
    z->avail_in = (uInt)io->in_len;
    z->next_out = io->out;
    z->avail_out = io->out_cap > UINT32_MAX ? UINT32_MAX : (uInt)io->out_cap;
    uInt out_before = z->avail_out;
    int rc = inflate(z, Z_NO_FLUSH);
    io->in = z->next_in;
    io->in_len = z->avail_in;
    io->out_len = out_before - z->avail_out;
    switch (rc) {
    case Z_OK: case Z_BUF_ERROR: return CODEC_OK;   /* BUF_ERROR: needs more input */
    case Z_STREAM_END: return CODEC_STREAM_END;
    case Z_MEM_ERROR: return CODEC_NOMEM;
    case Z_NEED_DICT:
        snprintf(io->msg, sizeof io->msg, "the data needs a preset dictionary (not gzip)");
        return CODEC_ERROR;
    default:
        snprintf(io->msg, sizeof io->msg, "%s", z->msg ? z->msg : "corrupt data");
        return CODEC_ERROR;
    }
}

static void gz_destroy(void *state) {
    inflateEnd(state);
    free(state);
}

const codec codec_gzip = {"gzip", gz_create, gz_reset, gz_step, gz_destroy};
