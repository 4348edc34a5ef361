/* collect.h: dumps into an aggregate exactly as `rdblens report` reads them
 * (cmd_report.c: shallow first, each file redone walking everything when it
 * must be, notes on stderr), for the commands built on the report (diff).
 * A tap sees every record the aggregate takes (after the filters); when a
 * shallow run is given up and redone, restart() is called first, so the
 * tap can forget what it saw. */
#ifndef RDBLENS_CLI_COLLECT_H
#define RDBLENS_CLI_COLLECT_H

#include "analyze/agg.h"
#include "cli/opt.h"
#include "cli/pipeline.h"

typedef struct report_tap {
    record_sink fn;            /* < 0 stops the parse */
    void *ctx;
    void (*restart)(void *ctx);
    /* optional: the dump's RESIZEDB hints so far (keys it says it holds),
     * before the keys they announce; a hint from the file, not a promise */
    void (*expect)(void *ctx, uint64_t keys);
} report_tap;

/* The aggregate options report takes from the command line. */
void report_agg_options(const cli_args *args, agg_options *ao);

/* Aggregates args->files into *out (NULL when no file was readable; the
 * reasons are on stderr). *profile: the profile of the first readable
 * file (or --profile). Returns the exit code (0, 1), or -2 when out of
 * memory. */
int report_collect(const cli_args *args, const agg_options *ao, const report_tap *tap, agg **out,
                   const char **profile);

#endif
