/* source.h: where the parser's bytes come from.
 *
 * A byte source hands out the RDB bytes in order, either by copying them
 * into the reader's block (read) or, when it holds them all in memory (a
 * mapped file), by handing out the whole span once (map), which the reader
 * then parses in place. The parser does not know what is behind it: a
 * plain file, a pipe, or a decompressor (source/ has them all). In the
 * spirit of librdb's pluggable readers, a source is a small table of
 * functions plus the state they share:
 *
 *   read   up to cap bytes into dst; *got = 0 only at the end of the data
 *   map    (optional) the whole content, for zero-copy parsing
 *   seek   (optional) continue from RDB offset 'offset' (a key re-read);
 *          a decompressor goes forward by decoding and discarding, back by
 *          starting over
 *   release (optional) the reader is past RDB offset 'before': a mapping
 *          may let go of those pages (they come back if touched again)
 *   drop   (optional) the reader is done with [from, to) (a key re-read,
 *          which may go back and forth): a mapping may let go of those
 *   ahead  (optional) the reader will soon read [from, to): a mapping may
 *          map those pages now (called from a helper thread, rdb/trail.h)
 *   close  release everything
 *
 * Offsets are always RDB offsets (bytes after decompression). A
 * decompressor also tracks how much of its compressed input it consumed,
 * so an error can name both places. Errors are values: a failing call
 * returns RDB_SRC_ERROR or RDB_SRC_TRUNCATED and fills err.
 */
#ifndef RDBLENS_RDB_SOURCE_H
#define RDBLENS_RDB_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum rdb_src_status {
    RDB_SRC_OK = 0,
    RDB_SRC_ERROR,      /* read(2) failed, or the compressed data is corrupt */
    RDB_SRC_TRUNCATED,  /* the compressed stream ends before its end marker */
    RDB_SRC_NOMEM,
} rdb_src_status;

typedef struct rdb_src_error {
    char message[200];       /* what went wrong, e.g. "zstd: corrupted block detected" */
    bool has_in_offset;      /* compressed input: in_offset below is meaningful */
    uint64_t in_offset;      /* where in the compressed file it went wrong */
    int sys_errno;           /* read(2)'s errno, or 0 */
} rdb_src_error;

typedef struct rdb_source rdb_source;

typedef struct rdb_source_ops {
    rdb_src_status (*read)(rdb_source *s, uint8_t *dst, size_t cap, size_t *got);
    const uint8_t *(*map)(rdb_source *s, uint64_t *len);
    rdb_src_status (*seek)(rdb_source *s, uint64_t offset);
    void (*release)(rdb_source *s, uint64_t before);
    void (*drop)(rdb_source *s, uint64_t from, uint64_t to);
    void (*ahead)(rdb_source *s, uint64_t from, uint64_t to);
    void (*close)(rdb_source *s);
} rdb_source_ops;

struct rdb_source {
    const rdb_source_ops *ops;
    const char *format;      /* "plain", or the compression: "gzip", "zstd", ... */
    uint64_t rdb_size;       /* RDB bytes when known before reading (a plain file), else 0 */
    uint64_t in_size;        /* bytes of the file as stored (compressed size), 0 when unknown */
    uint64_t in_offset;      /* stored bytes consumed so far (equal to the RDB offset when plain) */
    uint64_t out_offset;     /* RDB bytes handed out so far by read (or the seek target) */
    rdb_src_error err;
};

/* A source over a file descriptor with read(2) (pipes, standard input, and
 * files mmap cannot map). 'pushback' bytes, already read from fd by whoever
 * sniffed its first bytes, come first. seek is lseek(2), so it works when
 * the fd is seekable and its offset 0 is the RDB's first byte (pushed-back
 * bytes are then dropped: the file holds them again). */
#define RDB_FD_PUSHBACK_MAX 16
typedef struct rdb_fd_source {
    rdb_source base;
    int fd;
    uint8_t pushback[RDB_FD_PUSHBACK_MAX];
    size_t pushback_len, pushback_pos;
} rdb_fd_source;

/* In place (close does nothing), or on the heap (close frees it; NULL when
 * out of memory). Neither closes fd. */
void rdb_fd_source_init(rdb_fd_source *s, int fd, const uint8_t *pushback, size_t pushback_len);
rdb_source *rdb_fd_source_new(int fd, const uint8_t *pushback, size_t pushback_len);

#endif
