/* fdsource.c: a byte source over a file descriptor, read(2) (source.h). */
#include "rdb/source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static rdb_src_status fd_read(rdb_source *base, uint8_t *dst, size_t cap, size_t *got) {
    rdb_fd_source *s = (rdb_fd_source *)base;
    *got = 0;
    if (s->pushback_pos < s->pushback_len) {
        size_t n = s->pushback_len - s->pushback_pos;
        if (n > cap) n = cap;
        memcpy(dst, s->pushback + s->pushback_pos, n);
        s->pushback_pos += n;
        *got = n;
    } else {
        for (;;) {
            ssize_t r = read(s->fd, dst, cap);
            if (r >= 0) {
                *got = (size_t)r;
                break;
            }
            if (errno == EINTR) continue;
            base->err.sys_errno = errno;
            base->err.has_in_offset = false;
            snprintf(base->err.message, sizeof base->err.message, "read error (%s)", strerror(errno));
            return RDB_SRC_ERROR;
        }
    }
    base->in_offset += *got;
    base->out_offset += *got;
    return RDB_SRC_OK;
}

static rdb_src_status fd_seek(rdb_source *base, uint64_t offset) {
    rdb_fd_source *s = (rdb_fd_source *)base;
    if (offset > (uint64_t)INT64_MAX || lseek(s->fd, (off_t)offset, SEEK_SET) != (off_t)offset) {
        base->err.sys_errno = errno;
        base->err.has_in_offset = false;
        snprintf(base->err.message, sizeof base->err.message,
                 "cannot seek to offset %llu (not a seekable file?)", (unsigned long long)offset);
        return RDB_SRC_ERROR;
    }
    s->pushback_pos = s->pushback_len;
    base->in_offset = base->out_offset = offset;
    return RDB_SRC_OK;
}

static void fd_close(rdb_source *base) { (void)base; }
static void fd_close_free(rdb_source *base) { free(base); }

static const rdb_source_ops fd_ops = {.read = fd_read, .seek = fd_seek, .close = fd_close};
static const rdb_source_ops fd_heap_ops = {.read = fd_read, .seek = fd_seek, .close = fd_close_free};

void rdb_fd_source_init(rdb_fd_source *s, int fd, const uint8_t *pushback, size_t pushback_len) {
    memset(s, 0, sizeof *s);
    s->base.ops = &fd_ops;
    s->base.format = "plain";
    s->fd = fd;
    if (pushback_len > RDB_FD_PUSHBACK_MAX) pushback_len = RDB_FD_PUSHBACK_MAX;
    for (size_t i = 0; i < pushback_len; i++) s->pushback[i] = pushback[i];
    s->pushback_len = pushback_len;
}

rdb_source *rdb_fd_source_new(int fd, const uint8_t *pushback, size_t pushback_len) {
    rdb_fd_source *s = malloc(sizeof *s);
    if (!s) return NULL;
    rdb_fd_source_init(s, fd, pushback, pushback_len);
    s->base.ops = &fd_heap_ops;
    return &s->base;
}
