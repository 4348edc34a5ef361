/* decoder.c: a compressed file as a byte source (source.h), for any codec
 * (decoder.h).
 *
 * Offsets: out_offset counts the RDB bytes produced, in_offset the
 * compressed bytes the codec has consumed; an error names both. The input
 * is the mapped file when there is one (no copy), else read in 256 KiB
 * chunks. A stream that ends (CODEC_STREAM_END) and is followed by more
 * input is followed by another stream of the same format (pigz, pbzip2 and
 * `cat` make such files); anything else there is an error of the codec. An
 * input that ends inside a stream is RDB_SRC_TRUNCATED.
 *
 * seek goes forward by decoding and discarding, backward by starting over
 * from the file's first byte (so a re-read of keys in ascending offsets
 * decodes the file once more, at most). */
#include "source/decoder.h"
#include "source/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IN_CHUNK (256u << 10)
/* Input given to the codec per call. Small enough that an error is placed
 * within 64 KiB even by codecs that do not say how far they got (zstd,
 * lz4 leave their input position at the call's start on an error), and
 * that output comes out a piece at a time; large enough that the calls
 * cost nothing. */
#define IN_STEP (64u << 10)

typedef struct decoder_source {
    rdb_source base;
    const codec *c;
    void *state;
    rdb_source *raw;
    const uint8_t *map;       /* raw's mapping, or NULL */
    uint64_t map_len;
    uint8_t *buf;             /* else the input chunk */
    const uint8_t *next;      /* unconsumed input */
    size_t avail;
    uint64_t next_off;        /* compressed offset of *next */
    bool in_end;              /* raw has nothing after next[avail] */
    bool between;             /* a stream ended; another may follow */
    rdb_src_status pending;   /* an error found after some output: told next call */
    rdb_src_error pending_err;  /* (err says only what a caller was told) */
    uint64_t released;        /* mapped input: offset up to which raw may drop pages */
} decoder_source;

static rdb_src_status fail(decoder_source *d, rdb_src_status st, const char *msg) {
    rdb_src_error *e = &d->base.err;
    snprintf(e->message, sizeof e->message, "%s: %s", d->c->name, msg);
    e->has_in_offset = true;
    e->in_offset = d->next_off;
    e->sys_errno = 0;
    return st;
}

static rdb_src_status refill(decoder_source *d) {
    if (d->avail || d->in_end) return RDB_SRC_OK;
    if (d->map) {
        d->next = d->map + d->next_off;
        d->avail = (size_t)(d->map_len - d->next_off);
        d->in_end = true;
        return RDB_SRC_OK;
    }
    size_t got = 0;
    rdb_src_status st = d->raw->ops->read(d->raw, d->buf, IN_CHUNK, &got);
    if (st != RDB_SRC_OK) {
        /* the raw source's own message (a read error), at this offset */
        d->base.err = d->raw->err;
        d->base.err.has_in_offset = true;
        d->base.err.in_offset = d->next_off;
        return st;
    }
    d->next = d->buf;
    d->avail = got;
    if (got == 0) d->in_end = true;
    return RDB_SRC_OK;
}

static rdb_src_status dec_read(rdb_source *base, uint8_t *dst, size_t cap, size_t *got) {
    decoder_source *d = (decoder_source *)base;
    *got = 0;
    if (d->pending != RDB_SRC_OK) {
        base->err = d->pending_err;
        return d->pending;
    }
    for (;;) {
        rdb_src_status st = refill(d);
        if (st != RDB_SRC_OK) return st;
        if (d->between) {
            if (d->avail == 0 && d->in_end) return RDB_SRC_OK;   /* the end */
            char msg[160] = "";
            codec_result r = d->c->reset(d->state, msg, sizeof msg);
            if (r != CODEC_OK) return fail(d, r == CODEC_NOMEM ? RDB_SRC_NOMEM : RDB_SRC_ERROR, msg);
            d->between = false;
        }
        codec_io io = {.in = d->next, .in_len = d->avail < IN_STEP ? d->avail : IN_STEP,
                       .out = dst, .out_cap = cap};
        io.in_end = d->in_end && io.in_len == d->avail;
        size_t offered = io.in_len;
        codec_result r = d->c->step(d->state, &io);
        size_t used = offered - io.in_len;
        d->next += used;
        d->avail -= used;
        d->next_off += used;
        base->in_offset = d->next_off;
        if (d->map && d->raw->ops->release && d->next_off - d->released >= (8u << 20)) {
            d->raw->ops->release(d->raw, d->next_off);
            d->released = d->next_off;
        }
        if (r == CODEC_STREAM_END) d->between = true;
        if (io.out_len) {
            *got = io.out_len;
            base->out_offset += io.out_len;
        }
        if (r == CODEC_ERROR || r == CODEC_NOMEM) {
            /* what came out before the error is delivered first */
            st = fail(d, r == CODEC_NOMEM ? RDB_SRC_NOMEM : RDB_SRC_ERROR,
                      r == CODEC_NOMEM ? "out of memory" : io.msg);
            if (!*got) return st;
            d->pending = st;
            d->pending_err = base->err;
            base->err.message[0] = '\0';
        }
        if (*got) return RDB_SRC_OK;
        if (r == CODEC_STREAM_END) continue;
        if (used == 0 && d->avail == 0 && d->in_end)
            return fail(d, RDB_SRC_TRUNCATED, "the compressed data ends inside a stream (truncated file?)");
        if (used == 0 && d->avail != 0 && io.in_len == offered && offered == d->avail)
            return fail(d, RDB_SRC_ERROR, "the decoder makes no progress on this data");
    }
}

/* Back to the file's first byte, with a fresh decoder. */
static rdb_src_status rewind_input(decoder_source *d) {
    if (!d->map) {
        if (!d->raw->ops->seek)
            return fail(d, RDB_SRC_ERROR, "cannot go back in this input (a pipe?) to re-read it");
        rdb_src_status st = d->raw->ops->seek(d->raw, 0);
        if (st != RDB_SRC_OK) {
            d->base.err = d->raw->err;
            return st;
        }
    }
    char msg[160] = "";
    if (d->c->reset(d->state, msg, sizeof msg) != CODEC_OK) return fail(d, RDB_SRC_ERROR, msg);
    d->next = NULL;
    d->avail = 0;
    d->next_off = 0;
    d->in_end = d->between = false;
    d->released = 0;
    d->pending = RDB_SRC_OK;
    d->base.in_offset = d->base.out_offset = 0;
    return RDB_SRC_OK;
}

static rdb_src_status dec_seek(rdb_source *base, uint64_t offset) {
    decoder_source *d = (decoder_source *)base;
    if (offset < base->out_offset) {
        rdb_src_status st = rewind_input(d);
        if (st != RDB_SRC_OK) return st;
    }
    uint8_t scratch[64 << 10];
    while (base->out_offset < offset) {
        uint64_t want = offset - base->out_offset;
        size_t got = 0;
        rdb_src_status st = dec_read(base, scratch, want < sizeof scratch ? (size_t)want : sizeof scratch, &got);
        if (st != RDB_SRC_OK) return st;
        if (got == 0) break;   /* past the end: the reader then finds none */
    }
    return RDB_SRC_OK;
}

static void dec_close(rdb_source *base) {
    decoder_source *d = (decoder_source *)base;
    if (d->state) d->c->destroy(d->state);
    if (d->raw) d->raw->ops->close(d->raw);
    free(d->buf);
    free(d);
}

static const rdb_source_ops decoder_ops = {.read = dec_read, .seek = dec_seek, .close = dec_close};

static const codec *codec_for(source_format fmt) {
    switch (fmt) {
    case SOURCE_GZIP: return &codec_gzip;
    case SOURCE_ZSTD: return &codec_zstd;
    case SOURCE_LZ4: return &codec_lz4;
    case SOURCE_XZ: return &codec_xz;
    case SOURCE_BZIP2: return &codec_bzip2;
    default: return NULL;
    }
}

rdb_source *source_decoder_open(source_format fmt, rdb_source *raw, char *err, size_t errlen) {
    const codec *c = codec_for(fmt);
    decoder_source *d = c ? calloc(1, sizeof *d) : NULL;
    if (!d) {
        snprintf(err, errlen, c ? "out of memory" : "no decoder for this format");
        raw->ops->close(raw);
        return NULL;
    }
    d->c = c;
    d->raw = raw;
    d->base.ops = &decoder_ops;
    d->base.format = c->name;
    d->base.in_size = raw->in_size;
    d->map = raw->ops->map ? raw->ops->map(raw, &d->map_len) : NULL;
    if (!d->map) d->buf = malloc(IN_CHUNK);
    d->state = c->create();
    char msg[160] = "";
    if ((!d->map && !d->buf) || !d->state || c->reset(d->state, msg, sizeof msg) != CODEC_OK) {
        snprintf(err, errlen, "cannot start the %s decoder: %s", c->name, msg[0] ? msg : "out of memory");
        dec_close(&d->base);
        return NULL;
    }
    return &d->base;
}
