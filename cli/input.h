/* input.h: turn a command-line path into a byte source for the parser.
 *
 *   FILE        an .rdb file, or an AOF file that starts with an RDB preamble
 *   -           standard input
 *   DIR         a Redis 7+ multi-part AOF directory: its manifest names the
 *               base file, which is parsed (when it is an RDB)
 *   X.manifest  the manifest itself, likewise
 *
 * Any of them may be compressed (gzip, zstd, lz4, xz, bzip2: told by its
 * first bytes, source/source.h); 'src' is what the parser reads.
 */
#ifndef RDBLENS_CLI_INPUT_H
#define RDBLENS_CLI_INPUT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdb/source.h"

typedef enum input_kind { INPUT_RDB, INPUT_STDIN, INPUT_AOF_MANIFEST } input_kind;

typedef struct input {
    const char *arg;          /* as given */
    char path[PATH_MAX];      /* the file actually read */
    input_kind kind;
    int fd;
    rdb_source *src;          /* the bytes the parser reads (plain or decompressed) */
    const char *compression;  /* "gzip", "zstd", "lz4", "xz", "bzip2", or NULL */
    uint64_t size;            /* the file's size as stored; 0 when unknown (stdin) */
    bool regular;             /* a regular file, read from its start: a key can be
                                 re-read by its offset (not stdin, even redirected) */
    int64_t mtime_s;
    uint64_t incr_files;      /* manifest: incremental AOF files listed */
    uint64_t incr_bytes;      /* and their total size */
    char **incr_paths;        /* and their paths (nincr of them; input_close frees) */
    size_t nincr;
} input;

/* Returns 0, or -1 with a message in err. */
int input_open(const char *arg, input *in, char *err, size_t errlen);
void input_close(input *in);

#endif
