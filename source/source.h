/* source.h: byte sources for the parser (rdb/source.h): a regular file,
 * mapped (mmap.c) or read (rdb/fdsource.c); a pipe or standard input; and
 * one decoder per compression format (gzip.c, zstd.c, lz4.c, xz.c,
 * bzip2.c, over decoder.c). The format is told by the first bytes, never by
 * the file name:
 *
 *   1f 8b                  gzip (RFC 1952), members may be concatenated
 *   28 b5 2f fd            zstd frame
 *   04 22 4d 18            LZ4 frame (not the legacy `lz4 -l` format)
 *   fd 37 7a 58 5a 00      xz
 *   42 5a 68 '1'..'9'      bzip2 ("BZh" and the block size)
 *   anything else          plain (the parser then judges the RDB magic)
 *
 * Concatenated streams (pigz, pbzip2, `cat a.zst b.zst`) decode as one.
 */
#ifndef RDBLENS_SOURCE_H
#define RDBLENS_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdb/source.h"

/* The longest magic above. */
#define SOURCE_SNIFF_LEN 6

typedef enum source_format {
    SOURCE_PLAIN, SOURCE_GZIP, SOURCE_ZSTD, SOURCE_LZ4, SOURCE_XZ, SOURCE_BZIP2,
    SOURCE_LZ4_LEGACY,   /* recognised to be refused with a clear message */
} source_format;

/* The format of a stream that starts with b[0..n). */
source_format source_sniff(const uint8_t *b, size_t n);
const char *source_format_name(source_format f);   /* "plain", "gzip", ... */

/* The source for an open fd. 'regular' with 'size': a regular file read
 * from its start (mapped when it can be, so it can also be re-read);
 * otherwise a stream (pipe, stdin), sniffed by reading its first bytes and
 * pushing them back. Returns NULL with the reason in err. source_close
 * does not close fd. */
rdb_source *source_open_fd(int fd, bool regular, uint64_t size, char *err, size_t errlen);
void source_close(rdb_source *s);

/* Can the source go back to an earlier offset (a key re-read)? */
bool source_can_seek(const rdb_source *s);

/* A compressed source, read on to its end, discarding: a compressed
 * stream's own trailer and checksum are checked only when it is read to
 * its end, which the parser, stopping after the RDB's checksum, does not
 * do. *total gets the RDB-side bytes of the whole stream (so an AOF tail
 * is *total minus what the parser read). A plain source is left alone
 * (*total is what it has handed out). Returns RDB_SRC_OK or the source's
 * error (in s->err). */
rdb_src_status source_drain(rdb_source *s, uint64_t *total);

/* Building blocks (for source_open_fd and the fuzz harness). */
rdb_source *source_mmap_open(int fd, uint64_t size);
/* A decoder of 'fmt' over raw (which it owns and closes). */
rdb_source *source_decoder_open(source_format fmt, rdb_source *raw, char *err, size_t errlen);

#endif
