/* reader.h: the parser's view of its byte source (rdb/source.h): blocks of
 * bytes with the absolute offset of every byte and a running CRC-64 over
 * the bytes consumed so far.
 *
 * Two modes, one interface. A source that can map its whole content (a
 * regular file, source/mmap.c) is parsed in place: the "block" is a window
 * of the mapping that advances RD_BLOCK_SIZE at a time (so the CRC and the
 * progress callback still run once per block, on bytes still in cache),
 * and nothing is copied, not even objects larger than a block. Any other
 * source is read into a block buffer, which slides.
 *
 * rd_take() hands out pointers into the block (zero copy); they stay
 * valid only until the next reader call. rd_read_into() gives bytes that
 * stay valid until the caller's buffer is reused: in place when mapped,
 * else copied into the caller's buffer, which grows only as bytes really
 * arrive, so a length field claiming gigabytes cannot make us allocate them.
 */
#ifndef RDBLENS_READER_H
#define RDBLENS_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdb/crc64.h"
#include "rdb/source.h"
#include "rdb/trail.h"

/* 1 MiB: large enough that read(2) costs nothing per byte. Overridable so
 * the fuzz build (tools/fuzz.sh: 4 KiB) slides the buffer and takes the
 * large-object paths on ordinary small inputs. */
#ifndef RD_BLOCK_SIZE
#define RD_BLOCK_SIZE (1u << 20)
#endif

typedef struct rd_buf {
    uint8_t *p;
    size_t cap;
} rd_buf;

typedef enum rd_status { RD_OK = 0, RD_EOF, RD_IOERR, RD_NOMEM, RD_TRUNC } rd_status;
/* RD_IOERR / RD_TRUNC: the source failed (src->err says how); RD_TRUNC is a
 * compressed stream that ended before its end marker. */

typedef void (*rd_progress_fn)(void *ctx, uint64_t offset);

typedef struct reader {
    rdb_source *src;
    const uint8_t *buf;  /* the block, or the whole mapping */
    uint8_t *block;      /* the owned block buffer; NULL when mapped */
    bool mapped;
    size_t released;     /* mapped: offset up to which the source may drop pages */
    size_t cap;          /* block size, or the mapping's length */
    size_t pos;          /* next unread byte */
    size_t end;          /* end of valid data (of the window, when mapped) */
    uint64_t base;       /* input offset of buf[0] */
    bool at_eof;
    size_t read_max;     /* 0: each read fills the block; else at most this
                            (re-reading one key need not read a megabyte) */
    bool crc_on;
    size_t crc_pos;      /* bytes of buf before this are in crc */
    uint64_t crc;
    crc64_table crc_tab;
    rd_trail *trail;     /* mapped: the CRC and the release are a helper's (trail.h) */
    rd_progress_fn progress;  /* called once per block with the offset reached */
    void *progress_ctx;
} reader;

rd_status rd_open(reader *r, rdb_source *src);
void rd_close(reader *r);

static inline uint64_t rd_offset(const reader *r) { return r->base + r->pos; }
static inline size_t rd_avail(const reader *r) { return r->end - r->pos; }

/* Make at least n (<= RD_BLOCK_SIZE) bytes available; RD_EOF when the input
 * ends first. */
rd_status rd_fill(reader *r, size_t n);

/* Consume n bytes (n <= RD_BLOCK_SIZE) and point *out at them. */
static inline rd_status rd_take(reader *r, size_t n, const uint8_t **out) {
    if (rd_avail(r) < n) {
        rd_status s = rd_fill(r, n);
        if (s != RD_OK) return s;
    }
    *out = r->buf + r->pos;
    r->pos += n;
    return RD_OK;
}

/* Consume n bytes of any size; *out points at them (in place when mapped,
 * else in buf, grown as data arrives). */
rd_status rd_read_into(reader *r, uint64_t n, rd_buf *buf, const uint8_t **out);

/* Consume n bytes without keeping them (still checksummed). */
rd_status rd_skip(reader *r, uint64_t n);

/* Continue at input offset 'offset' (checksumming stops: a re-read). Within
 * the bytes at hand it only moves; else it asks the source to seek.
 * RD_IOERR when the source cannot. */
rd_status rd_seek(reader *r, uint64_t offset);

/* Done with [from, to), which nothing points into any more: a mapped
 * source may let go of its pages (rdb_source_ops.drop). */
void rd_drop(reader *r, uint64_t from, uint64_t to);

/* Where the input ended, or how far the source has produced: the offset of
 * the first byte not yet delivered by the source. */
static inline uint64_t rd_produced(const reader *r) { return r->base + r->end; }

/* Grow b to at least n bytes (no shrinking). */
rd_status rd_buf_reserve(rd_buf *b, size_t n);
void rd_buf_free(rd_buf *b);

/* Mapped: hand the checksum and the release of the pages behind to a
 * helper thread (trail.h). A no-op when not mapped, not checksumming, or
 * when no thread can be had; the reader then does both itself. */
void rd_trail_start(reader *r);

/* CRC of every byte consumed so far, then stop checksumming (used at EOF). */
uint64_t rd_crc_freeze(reader *r);

#endif
