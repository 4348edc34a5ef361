/* reader.c: block-buffered input with offsets and a running CRC (reader.h). */
#include "rdb/reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

rd_status rd_open(reader *r, int fd) {
    memset(r, 0, sizeof *r);
    r->fd = fd;
    r->cap = RD_BLOCK_SIZE;
    r->buf = malloc(r->cap);
    if (!r->buf) return RD_NOMEM;
    r->crc_on = true;
    crc64_init(&r->crc_tab);
    return RD_OK;
}

void rd_close(reader *r) {
    free(r->buf);
    r->buf = NULL;
}

static void crc_catch_up(reader *r) {
    if (r->crc_on && r->pos > r->crc_pos)
        r->crc = crc64_update(&r->crc_tab, r->crc, r->buf + r->crc_pos, r->pos - r->crc_pos);
    r->crc_pos = r->pos;
}

uint64_t rd_crc_freeze(reader *r) {
    crc_catch_up(r);
    r->crc_on = false;
    return r->crc;
}

rd_status rd_fill(reader *r, size_t n) {
    if (rd_avail(r) >= n) return RD_OK;
    if (r->cap - r->pos < n) {
        /* Slide the unread tail to the front; checksum what leaves. */
        crc_catch_up(r);
        size_t left = r->end - r->pos;
        memmove(r->buf, r->buf + r->pos, left);
        r->base += r->pos;
        r->pos = 0;
        r->crc_pos = 0;
        r->end = left;
    }
    while (rd_avail(r) < n) {
        if (r->at_eof) return RD_EOF;
        size_t room = r->cap - r->end;
        if (r->read_max && room > r->read_max) room = r->read_max;
        ssize_t got = read(r->fd, r->buf + r->end, room);
        if (got < 0) {
            if (errno == EINTR) continue;
            r->io_errno = errno;
            return RD_IOERR;
        }
        if (got == 0) {
            r->at_eof = true;
            return RD_EOF;
        }
        r->end += (size_t)got;
    }
    return RD_OK;
}

rd_status rd_buf_reserve(rd_buf *b, size_t n) {
    if (b->cap >= n) return RD_OK;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < n) cap = cap > SIZE_MAX / 2 ? n : cap * 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) return RD_NOMEM;
    b->p = p;
    b->cap = cap;
    return RD_OK;
}

void rd_buf_free(rd_buf *b) {
    free(b->p);
    b->p = NULL;
    b->cap = 0;
}

rd_status rd_read_into(reader *r, uint64_t n, rd_buf *buf, const uint8_t **out) {
    if (n > SIZE_MAX) return RD_NOMEM;
    if (n <= RD_BLOCK_SIZE / 2) {
        /* Small: a copy out of the block keeps it valid across later reads. */
        const uint8_t *p;
        rd_status s = rd_take(r, (size_t)n, &p);
        if (s != RD_OK) return s;
        if (rd_buf_reserve(buf, n ? (size_t)n : 1) != RD_OK) return RD_NOMEM;
        memcpy(buf->p, p, (size_t)n);
        *out = buf->p;
        return RD_OK;
    }
    size_t done = 0;
    while (done < n) {
        if (rd_avail(r) == 0) {
            rd_status s = rd_fill(r, 1);
            if (s != RD_OK) return s;
        }
        size_t chunk = rd_avail(r);
        if (chunk > n - done) chunk = (size_t)n - done;
        /* Grow no further than the bytes that have actually arrived. */
        if (rd_buf_reserve(buf, done + chunk) != RD_OK) return RD_NOMEM;
        memcpy(buf->p + done, r->buf + r->pos, chunk);
        r->pos += chunk;
        done += chunk;
    }
    *out = buf->p;
    return RD_OK;
}

rd_status rd_skip(reader *r, uint64_t n) {
    while (n > 0) {
        if (rd_avail(r) == 0) {
            rd_status s = rd_fill(r, 1);
            if (s != RD_OK) return s;
        }
        size_t chunk = rd_avail(r);
        if (chunk > n) chunk = (size_t)n;
        r->pos += chunk;
        n -= chunk;
    }
    return RD_OK;
}
