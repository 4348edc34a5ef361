/* reader.c: blocks of a byte source, with offsets and a running CRC
 * (reader.h). */
#include "rdb/reader.h"

#include <stdlib.h>
#include <string.h>

/* Mapped: how far the parser moves between two release calls (the pages
 * behind it leave the process's resident set, so its RSS stays small). */
#define RD_RELEASE_STEP (2u << 20)

rd_status rd_open(reader *r, rdb_source *src) {
    memset(r, 0, sizeof *r);
    r->src = src;
    r->crc_on = true;
    crc64_init(&r->crc_tab);
    uint64_t len = 0;
    const uint8_t *map = src->ops->map ? src->ops->map(src, &len) : NULL;
    if (map && len <= SIZE_MAX) {
        r->buf = map;
        r->mapped = true;
        r->cap = (size_t)len;
        return RD_OK;
    }
    r->cap = RD_BLOCK_SIZE;
    r->block = malloc(r->cap);
    if (!r->block) return RD_NOMEM;
    r->buf = r->block;
    return RD_OK;
}

void rd_close(reader *r) {
    trail_stop(r->trail);
    r->trail = NULL;
    free(r->block);
    r->block = NULL;
    r->buf = NULL;
}

void rd_trail_start(reader *r) {
    if (!r->mapped || !r->crc_on || r->trail) return;
    r->trail = trail_start(r->buf, r->cap, r->src, &r->crc_tab, r->crc, r->crc_pos, RD_RELEASE_STEP);
}

static void crc_catch_up(reader *r) {
    if (r->trail) {
        trail_advance(r->trail, r->pos);
        r->crc_pos = r->pos;
        return;
    }
    if (r->crc_on && r->pos > r->crc_pos)
        r->crc = crc64_update(&r->crc_tab, r->crc, r->buf + r->crc_pos, r->pos - r->crc_pos);
    r->crc_pos = r->pos;
}

uint64_t rd_crc_freeze(reader *r) {
    if (r->trail) {
        r->crc = trail_finish(r->trail, r->pos);
        trail_stop(r->trail);
        r->trail = NULL;
        r->crc_pos = r->pos;
        r->released = r->pos;   /* the helper released up to about here */
    }
    crc_catch_up(r);
    r->crc_on = false;
    return r->crc;
}

static rd_status src_status(rdb_src_status s) {
    switch (s) {
    case RDB_SRC_OK: return RD_OK;
    case RDB_SRC_TRUNCATED: return RD_TRUNC;
    case RDB_SRC_NOMEM: return RD_NOMEM;
    case RDB_SRC_ERROR:
    default: return RD_IOERR;
    }
}

/* Mapped: the window [pos, end) grows to at least n bytes, a block at a
 * time, so the CRC is computed a block behind the parser. */
static rd_status map_window(reader *r, uint64_t n) {
    if (r->cap - r->pos < n) {
        r->end = r->cap;
        r->at_eof = true;
        return RD_EOF;
    }
    crc_catch_up(r);
    if (!r->trail && r->src->ops->release && r->pos > r->released && r->pos - r->released >= RD_RELEASE_STEP) {
        r->src->ops->release(r->src, r->pos);
        r->released = r->pos;
    }
    uint64_t want = n > RD_BLOCK_SIZE ? n : RD_BLOCK_SIZE;
    r->end = r->cap - r->pos < want ? r->cap : r->pos + (size_t)want;
    if (r->progress) r->progress(r->progress_ctx, r->base + r->end);
    return RD_OK;
}

rd_status rd_fill(reader *r, size_t n) {
    if (rd_avail(r) >= n) return RD_OK;
    if (r->mapped) return map_window(r, n);
    if (r->cap - r->pos < n) {
        /* Slide the unread tail to the front; checksum what leaves. */
        crc_catch_up(r);
        size_t left = r->end - r->pos;
        memmove(r->block, r->block + r->pos, left);
        r->base += r->pos;
        r->pos = 0;
        r->crc_pos = 0;
        r->end = left;
    }
    while (rd_avail(r) < n) {
        if (r->at_eof) return RD_EOF;
        size_t room = r->cap - r->end;
        if (r->read_max && room > r->read_max) room = r->read_max;
        size_t got = 0;
        rd_status s = src_status(r->src->ops->read(r->src, r->block + r->end, room, &got));
        if (s != RD_OK) return s;
        if (got == 0) {
            r->at_eof = true;
            return RD_EOF;
        }
        r->end += got;
    }
    if (r->progress) r->progress(r->progress_ctx, r->base + r->end);
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
    if (r->mapped) {
        /* In place: the mapping outlives every caller's use of it. */
        if (rd_avail(r) < n) {
            rd_status s = map_window(r, n);
            if (s != RD_OK) return s;
        }
        *out = r->buf + r->pos;
        r->pos += (size_t)n;
        return RD_OK;
    }
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
    if (r->mapped) {
        /* A step at a time, so that the checksum and the release of the
         * pages behind follow the parser: skipped whole, a 500 MB string
         * would be resident whole when the checksum reads it. */
        if (rd_avail(r) < n && r->cap - r->pos < n) return map_window(r, n);  /* RD_EOF */
        while (n > 0) {
            uint64_t step = n < RD_RELEASE_STEP ? n : RD_RELEASE_STEP;
            if (rd_avail(r) < step) {
                rd_status s = map_window(r, step);
                if (s != RD_OK) return s;
            }
            r->pos += (size_t)step;
            n -= step;
        }
        return RD_OK;
    }
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

void rd_drop(reader *r, uint64_t from, uint64_t to) {
    if (r->mapped && r->src->ops->drop && to > from) r->src->ops->drop(r->src, from, to);
}

rd_status rd_seek(reader *r, uint64_t offset) {
    trail_stop(r->trail);
    r->trail = NULL;
    r->crc_on = false;
    if (offset >= r->base && offset - r->base <= r->end) {
        /* At hand: the mapping, or a block that still holds it. */
        r->pos = (size_t)(offset - r->base);
        r->crc_pos = r->pos;
        return RD_OK;
    }
    if (r->mapped) {
        if (offset > r->cap) return RD_EOF;
        r->pos = r->end = r->crc_pos = (size_t)offset;
        return RD_OK;
    }
    if (!r->src->ops->seek) {
        r->src->err.has_in_offset = false;
        r->src->err.sys_errno = 0;
        strcpy(r->src->err.message, "the input cannot seek (a pipe?)");
        return RD_IOERR;
    }
    rd_status s = src_status(r->src->ops->seek(r->src, offset));
    if (s != RD_OK) return s;
    r->base = offset;
    r->pos = r->end = r->crc_pos = 0;
    r->at_eof = false;
    return RD_OK;
}
