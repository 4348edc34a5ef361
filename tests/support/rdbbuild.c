/* rdbbuild.c: see rdbbuild.h. Test support only. */
#include "tests/support/rdbbuild.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rdb/crc64.h"

void rb_bytes(rb *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

void rb_u8(rb *b, uint8_t v) { rb_bytes(b, &v, 1); }
void rb_magic(rb *b, const char *magic9) { rb_bytes(b, magic9, 9); }

void rb_len_forced(rb *b, uint64_t len, int width) {
    uint8_t x[9];
    switch (width) {
    case 1: rb_u8(b, (uint8_t)len); return;
    case 2: x[0] = (uint8_t)(0x40 | (len >> 8)); x[1] = (uint8_t)len; rb_bytes(b, x, 2); return;
    case 5:
        x[0] = 0x80;
        for (int i = 0; i < 4; i++) x[1 + i] = (uint8_t)(len >> (24 - 8 * i));
        rb_bytes(b, x, 5);
        return;
    default:
        x[0] = 0x81;
        for (int i = 0; i < 8; i++) x[1 + i] = (uint8_t)(len >> (56 - 8 * i));
        rb_bytes(b, x, 9);
        return;
    }
}

void rb_len(rb *b, uint64_t len) {
    rb_len_forced(b, len, len < 64 ? 1 : len < 16384 ? 2 : len <= 0xffffffffULL ? 5 : 9);
}

void rb_raw_str(rb *b, const void *p, size_t n) {
    rb_len(b, n);
    rb_bytes(b, p, n);
}

void rb_str(rb *b, const char *s) { rb_raw_str(b, s, strlen(s)); }

void rb_u64le(rb *b, uint64_t v) {
    uint8_t x[8];
    for (int i = 0; i < 8; i++) x[i] = (uint8_t)(v >> (8 * i));
    rb_bytes(b, x, 8);
}

void rb_finish(rb *b) {
    rb_u8(b, 0xff);
    crc64_table t;
    crc64_init(&t);
    rb_u64le(b, crc64_update(&t, 0, b->p, b->len));
}

void rb_free(rb *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}

int rb_memfd(const uint8_t *buf, size_t len) {
    int fd = memfd_create("rdb", 0);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, buf + off, len - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

static rdb_status parse_memfd(const uint8_t *buf, size_t len, uint64_t claimed, const rdb_handlers *h,
                              void *ctx, rdb_result *res) {
    int fd = rb_memfd(buf, len);
    rdb_options opt = {.input_size = claimed};
    rdb_status s = rdb_parse_fd(fd, h, ctx, &opt, res);
    close(fd);
    return s;
}

rdb_status rb_parse(const uint8_t *buf, size_t len, const rdb_handlers *h, void *ctx, rdb_result *res) {
    return parse_memfd(buf, len, len, h, ctx, res);
}

rdb_status rb_parse_stream(const uint8_t *buf, size_t len, const rdb_handlers *h, void *ctx, rdb_result *res) {
    return parse_memfd(buf, len, 0, h, ctx, res);
}
