/* cmd_report.c: `rdblens report` (wired to analyze/agg and report/ renderers). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_report(int argc, char **argv) {
    (void)argc, (void)argv;
    fputs("rdblens report: not built yet\n", stderr);
    return EXIT_USAGE;
}
