/* rdbbuild.h: build RDB byte sequences by hand in tests, and run the parser
 * over a byte buffer (through a memfd, as a file would be read). */
#ifndef RDBLENS_TEST_RDBBUILD_H
#define RDBLENS_TEST_RDBBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "rdb/rdb.h"

typedef struct rb {
    uint8_t *p;
    size_t len, cap;
} rb;

void rb_bytes(rb *b, const void *p, size_t n);
void rb_u8(rb *b, uint8_t v);
void rb_magic(rb *b, const char *magic9);
void rb_len(rb *b, uint64_t len);          /* shortest length encoding */
void rb_len_forced(rb *b, uint64_t len, int width); /* 1, 2, 5 or 9 bytes */
void rb_str(rb *b, const char *s);         /* plain RDB string */
void rb_raw_str(rb *b, const void *p, size_t n);
void rb_u64le(rb *b, uint64_t v);
/* EOF opcode and the CRC-64 trailer over everything before it. */
void rb_finish(rb *b);
void rb_free(rb *b);

/* Parses buf[0..len) from a memfd, telling the parser the input size (as
 * for a regular file). */
rdb_status rb_parse(const uint8_t *buf, size_t len, const rdb_handlers *h, void *ctx, rdb_result *res);
/* A memfd holding buf[0..len), positioned at 0 (close it yourself). */
int rb_memfd(const uint8_t *buf, size_t len);
/* The same, but with the size unknown (as for a pipe or stdin). */
rdb_status rb_parse_stream(const uint8_t *buf, size_t len, const rdb_handlers *h, void *ctx, rdb_result *res);

#endif
