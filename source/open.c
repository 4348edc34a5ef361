/* open.c: from an open file descriptor to the right byte source
 * (source.h): sniff the first bytes, then plain (mapped, or read) or a
 * decoder over the raw bytes. */
#include "source/source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

source_format source_sniff(const uint8_t *b, size_t n) {
    if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b) return SOURCE_GZIP;
    if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) return SOURCE_ZSTD;
    if (n >= 4 && b[0] == 0x04 && b[1] == 0x22 && b[2] == 0x4d && b[3] == 0x18) return SOURCE_LZ4;
    if (n >= 4 && b[0] == 0x02 && b[1] == 0x21 && b[2] == 0x4c && b[3] == 0x18) return SOURCE_LZ4_LEGACY;
    if (n >= 6 && memcmp(b, "\xfd" "7zXZ\0", 6) == 0) return SOURCE_XZ;
    if (n >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9')
        return SOURCE_BZIP2;
    return SOURCE_PLAIN;
}

const char *source_format_name(source_format f) {
    static const char *const names[] = {"plain", "gzip", "zstd", "lz4", "xz", "bzip2", "lz4-legacy"};
    return (unsigned)f < sizeof names / sizeof names[0] ? names[f] : "unknown";
}

static rdb_source *fd_source_new(int fd, const uint8_t *pushback, size_t n, uint64_t size) {
    rdb_source *s = rdb_fd_source_new(fd, pushback, n);
    if (s) s->rdb_size = s->in_size = size;
    return s;
}

/* The first bytes of a stream: read(2) until n or the end. */
static ssize_t read_head(int fd, uint8_t *b, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        if (r == 0) break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

rdb_source *source_open_fd(int fd, bool regular, uint64_t size, char *err, size_t errlen) {
    uint8_t head[SOURCE_SNIFF_LEN] = {0};
    size_t nhead = 0;
    rdb_source *raw = NULL;
    if (regular) {
        raw = source_mmap_open(fd, size);
        if (raw) {
            uint64_t len;
            const uint8_t *m = raw->ops->map(raw, &len);
            nhead = len < sizeof head ? (size_t)len : sizeof head;
            memcpy(head, m, nhead);
        } else {
            /* empty, or not mappable: read(2) from the start */
            ssize_t r = pread(fd, head, sizeof head, 0);
            if (r < 0 || lseek(fd, 0, SEEK_SET) != 0) {
                snprintf(err, errlen, "cannot read: %s", strerror(errno));
                return NULL;
            }
            nhead = (size_t)r;
            raw = fd_source_new(fd, NULL, 0, size);
        }
    } else {
        ssize_t r = read_head(fd, head, sizeof head);
        if (r < 0) {
            snprintf(err, errlen, "cannot read: %s", strerror(errno));
            return NULL;
        }
        nhead = (size_t)r;
        raw = fd_source_new(fd, head, nhead, 0);
    }
    if (!raw) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    source_format fmt = source_sniff(head, nhead);
    if (fmt == SOURCE_PLAIN) return raw;
    if (fmt == SOURCE_LZ4_LEGACY) {
        raw->ops->close(raw);
        snprintf(err, errlen, "the legacy LZ4 format (lz4 -l) is not supported; recompress with lz4's default frame format");
        return NULL;
    }
    raw->rdb_size = 0;   /* unknown until decompressed */
    return source_decoder_open(fmt, raw, err, errlen);
}

void source_close(rdb_source *s) {
    if (s) s->ops->close(s);
}

bool source_can_seek(const rdb_source *s) {
    if (s->ops->map) return true;
    if (!s->ops->seek) return false;
    /* a stream (stdin) has no size known in advance */
    return s->in_size > 0;
}

rdb_src_status source_drain(rdb_source *s, uint64_t *total) {
    uint8_t sink[64 << 10];
    *total = s->out_offset;
    if (!strcmp(s->format, "plain")) return RDB_SRC_OK;   /* no trailer to check */
    for (;;) {
        size_t got = 0;
        rdb_src_status st = s->ops->read(s, sink, sizeof sink, &got);
        *total = s->out_offset;
        if (st != RDB_SRC_OK || got == 0) return st;
    }
}
