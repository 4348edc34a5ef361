/* piecewise.h: packed blobs walked in pieces, never held whole.
 *
 * A ziplist, listpack, intset or zipmap is one RDB string, and LZF lets a
 * few megabytes of it stand for 88 times as many; holding it whole to walk
 * it would make the parser's memory a matter of what the file claims. A
 * blob longer than RDB_PIECES_MIN (decompressed) is instead decoded a piece
 * at a time into a window (rdb/lzf_peek.h's decoder for LZF, the reader's
 * block otherwise) that keeps only the entry being read and, for LZF, the
 * 8 KiB that back-references may reach: a few hundred KiB plus the longest
 * element, whatever the blob's length. The iterators (listpack.h, ...) ask
 * for more with their *_ITER_MORE answer.
 *
 * Walked so, a blob's container event has blob.ptr NULL and 'streamed'
 * set (rdb.h). Errors name the blob's offset, as for a whole one; an LZF
 * stream that does not decompress to its stated length fails when the walk
 * gets there, after the entries before it were delivered. */
#ifndef RDBLENS_RDB_PIECEWISE_H
#define RDBLENS_RDB_PIECEWISE_H

#include <stdbool.h>
#include <stdint.h>

#include "rdb/lzf_peek.h"
#include "rdb/rdb.h"
#include "rdb/reader.h"

/* Blobs longer than this are walked in pieces: the reader's block size,
 * 1 MiB (4 KiB in the fuzz build, so that fuzzing reaches this code). */
#define RDB_PIECES_MIN ((uint64_t)RD_BLOCK_SIZE)

typedef struct pieces {
    bool active;          /* the blob being walked is read in pieces */
    bool lzf;
    uint64_t len;         /* the blob's (decompressed) length */
    uint64_t at;          /* file offset of the blob's string, for errors */
    uint64_t left;        /* stored bytes not yet taken from the reader */
    const uint8_t *in;    /* LZF: the piece of input taken last, ... */
    size_t in_n;          /* ... and how much of it is still to decode */
    lzf_dec dec;
    rd_buf win;           /* blob bytes [wbase, wbase + wlen) */
    uint64_t wbase;
    size_t wlen;
} pieces;

struct parser;

/* Whether the string at the reader's position is a blob to walk in pieces:
 * looks at its length prefix without consuming it. */
bool rdb_pieces_wanted(struct parser *p);
/* Consumes the string's length prefix (checking it as rdb_read_string
 * does) and starts walking it in pieces. */
rdb_status rdb_pieces_open(struct parser *p, const char *what);
/* Starts an LZF blob whose header (at 'at') was already read. */
void rdb_pieces_open_lzf(struct parser *p, uint64_t clen, uint64_t ulen, uint64_t at);
/* Makes the window hold blob bytes [keep, need) at least (keep <= need <=
 * len); bytes before keep may go. The window may move. */
rdb_status rdb_pieces_fill(struct parser *p, uint64_t keep, uint64_t need, const char *what);
/* After the walk: checks that the input held exactly the blob. */
rdb_status rdb_pieces_close(struct parser *p, const char *what);

#endif
