/* progress.h: a progress line on stderr for long runs: bytes read,
 * percent, MB/s and ETA, per file and, with several files, overall;
 * redrawn at most 5 times a second and erased when a file ends, so error
 * messages and the report never mix with it.
 *
 * On only when stderr is a terminal (never in pipes, files or CI: CI set
 * in the environment), unless forced: --progress turns it on anywhere,
 * --no-progress or NO_PROGRESS (any non-empty value) turn it off. Bytes are
 * the file's as stored (compressed bytes for a compressed file), so the
 * percent and ETA are against its size; a stream of unknown size (stdin)
 * shows bytes and MB/s only. The parser calls progress_tick once per 1 MiB
 * block (rdb_options.progress): a clock read per megabyte. */
#ifndef RDBLENS_CLI_PROGRESS_H
#define RDBLENS_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdb/source.h"

typedef enum progress_mode { PROGRESS_AUTO, PROGRESS_ON, PROGRESS_OFF } progress_mode;

typedef struct progress {
    bool on;
    int fd;                    /* stderr */
    size_t nfiles, index;      /* files of the run, and the current one (from 0) */
    uint64_t total;            /* sum of the files' sizes; 0 when one is unknown */
    uint64_t done;             /* bytes of the files already finished */
    const char *name;
    const rdb_source *src;
    uint64_t size;             /* the current file's size, 0 when unknown */
    uint64_t start_ns, file_start_ns, last_draw_ns;
    bool drawn;                /* a line is on the screen */
} progress;

/* Whether to show progress: the option's mode, then NO_PROGRESS and CI in
 * the environment, then whether stderr is a terminal. */
bool progress_wanted(progress_mode mode);

void progress_init(progress *p, bool on, size_t nfiles, uint64_t total);
void progress_file_begin(progress *p, const char *name, const rdb_source *src, uint64_t size);
/* rdb_options.progress: ctx is the progress, offset the RDB offset read to. */
void progress_tick(void *ctx, uint64_t offset);
/* Erases the line; the file's bytes count as done. */
void progress_file_end(progress *p);

#endif
