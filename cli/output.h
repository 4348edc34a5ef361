/* output.h: where a command writes, checked.
 *
 * Standard output, or with -o FILE a temporary file beside FILE
 * (".FILE.XXXXXX", same directory so the rename is atomic) that becomes
 * FILE only when everything was written and closed without error. A failed
 * or interrupted run (SIGINT, SIGTERM, SIGHUP: the temporary file is
 * removed) never leaves a half-written FILE that looks whole, and never
 * touches an existing FILE. A FILE that is a device, FIFO or socket
 * (/dev/stdout, a named pipe) is written in place.
 *
 * Every failure is reported once, as
 *     rdblens <cmd>: writing <where>: <strerror>
 * and the command exits 1. A closed pipe on standard output (| head) ends
 * the process through SIGPIPE, quietly, with status 141; if SIGPIPE is
 * ignored by whoever started us, EPIPE is treated the same way.
 */
#ifndef RDBLENS_CLI_OUTPUT_H
#define RDBLENS_CLI_OUTPUT_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct cli_out {
    FILE *f;
    const char *cmd;          /* for messages */
    const char *path;         /* NULL: standard output */
    char tmp[PATH_MAX];       /* the temporary file, while open */
    bool failed;              /* a failure was reported */
    bool in_place;            /* -o names a device or FIFO: written directly */
} cli_out;

/* Opens the output. 0, or EXIT_INVALID after printing why (the directory
 * is not writable, ...). */
int cli_out_open(cli_out *o, const char *cmd, const char *path);

/* Has a write failed so far? Reports the failure the first time (so a
 * long run can stop early instead of parsing on into a full disk). */
bool cli_out_error(cli_out *o);

/* Flushes and closes; with -o, renames the temporary file into place when
 * 'keep' and nothing failed, else removes it. Returns 0, or EXIT_INVALID
 * when anything written was lost. */
int cli_out_close(cli_out *o, bool keep);

/* "standard output" or the path, for messages */
const char *cli_out_where(const cli_out *o);

/* A random nonce for an HTML page's Content-Security-Policy, in buf (at
 * least 32 bytes); NULL when no randomness could be had (the renderer then
 * uses its fixed default). */
const char *cli_html_nonce(char *buf, size_t cap);

#endif
