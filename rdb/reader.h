/* reader.h: the parser's byte source: a file descriptor read in large
 * blocks, with the absolute offset of every byte and a running CRC-64 over
 * the bytes consumed so far.
 *
 * rd_take() hands out pointers into the block buffer (zero copy); they stay
 * valid only until the next reader call. Objects larger than the buffer are
 * copied into a caller-owned growable buffer that grows only as bytes really
 * arrive, so a length field claiming gigabytes cannot make us allocate them.
 */
#ifndef RDBLENS_READER_H
#define RDBLENS_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdb/crc64.h"

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

typedef enum rd_status { RD_OK = 0, RD_EOF, RD_IOERR, RD_NOMEM } rd_status;

typedef struct reader {
    int fd;
    uint8_t *buf;
    size_t cap;
    size_t pos;          /* next unread byte */
    size_t end;          /* end of valid data */
    uint64_t base;       /* input offset of buf[0] */
    bool at_eof;
    size_t read_max;     /* 0: each read(2) fills the block; else at most this
                            (re-reading one key need not read a megabyte) */
    int io_errno;
    bool crc_on;
    size_t crc_pos;      /* bytes of buf before this are in crc */
    uint64_t crc;
    crc64_table crc_tab;
} reader;

rd_status rd_open(reader *r, int fd);
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

/* Consume n bytes of any size into buf (grown as data arrives). */
rd_status rd_read_into(reader *r, uint64_t n, rd_buf *buf, const uint8_t **out);

/* Consume n bytes without keeping them (still checksummed). */
rd_status rd_skip(reader *r, uint64_t n);

/* Grow b to at least n bytes (no shrinking). */
rd_status rd_buf_reserve(rd_buf *b, size_t n);
void rd_buf_free(rd_buf *b);

/* CRC of every byte consumed so far, then stop checksumming (used at EOF). */
uint64_t rd_crc_freeze(reader *r);

#endif
