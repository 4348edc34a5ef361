/* compress.h: compressed test inputs made by the real command-line tools
 * (gzip, zstd, lz4, xz, bzip2 from Debian: tools/deps.sh test), and the
 * byte-source plumbing around them. */
#ifndef RDBLENS_TEST_COMPRESS_H
#define RDBLENS_TEST_COMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "source/source.h"

/* The five formats, in source_format order from SOURCE_GZIP. */
#define TC_FORMATS 5
extern const char *const tc_tool[TC_FORMATS];   /* "gzip -c", "zstd -q -c", ... */
extern const source_format tc_format[TC_FORMATS];

/* in[0..n) through `tool` (a shell command reading a file argument and
 * writing stdout); the result is malloc'ed, NULL on failure. */
uint8_t *tc_compress(const char *tool, const uint8_t *in, size_t n, size_t *out_len);

/* A byte source over buf[0..n) as a regular file (a memfd, mapped) or, with
 * as_pipe, as a stream fed by a thread-free pipe (buf must fit in the
 * pipe's buffer, 64 KiB, which the callers' inputs do). *fd gets the fd to
 * close after source_close. NULL with err filled on failure. */
rdb_source *tc_open(const uint8_t *buf, size_t n, int as_pipe, int *fd, char *err, size_t errlen);

#endif
