/* decoder.h: what one compression format provides to decoder.c, which
 * turns it into a byte source: input buffering (or the mapped file),
 * compressed offsets, concatenated streams, truncation, seeking.
 * Not part of the public API (source.h). */
#ifndef RDBLENS_SOURCE_DECODER_H
#define RDBLENS_SOURCE_DECODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum codec_result {
    CODEC_OK,          /* progress (possibly none when it needs more input) */
    CODEC_STREAM_END,  /* a whole stream (member / frame) ended here */
    CODEC_ERROR,       /* corrupt data: msg says how */
    CODEC_NOMEM,
} codec_result;

typedef struct codec_io {
    const uint8_t *in;   /* consumed bytes are taken off the front */
    size_t in_len;
    bool in_end;         /* no input after in[in_len] (some formats need to know) */
    uint8_t *out;
    size_t out_cap;
    size_t out_len;      /* set by step: bytes written to out */
    char msg[160];       /* on CODEC_ERROR */
} codec_io;

typedef struct codec {
    const char *name;
    /* A fresh decoder (state allocated), or NULL. */
    void *(*create)(void);
    /* Ready for the next stream (after CODEC_STREAM_END, or to start over). */
    codec_result (*reset)(void *state, char *msg, size_t msglen);
    codec_result (*step)(void *state, codec_io *io);
    void (*destroy)(void *state);
} codec;

extern const codec codec_gzip, codec_zstd, codec_lz4, codec_xz, codec_bzip2;

#endif
