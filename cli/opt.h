/* opt.h: every command-line option of every command, defined once.
 *
 * One table (opt_table.c) gives each option its name, value kind, range,
 * default and help line, and says which commands take it. From it come the
 * getopt_long parsing, the value checks and their messages, `--help` of
 * each command and the shell completions, so an option behaves the same
 * wherever it appears and the help cannot drift from the code. The man page
 * (docs/rdblens.1) is written by hand; tests/scripts/cli_contract.sh checks
 * that it names every option of the table.
 *
 * Messages (to stderr), exit 2:
 *   rdblens report: --top must be between 1 and 100000 (got 0)
 *   rdblens report: --min-bytes takes a size such as 512, 64K, ... (got 'x')
 *   rdblens report: unknown option '--frobnicate'
 *   try 'rdblens report --help'
 */
#ifndef RDBLENS_CLI_OPT_H
#define RDBLENS_CLI_OPT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/filter.h"
#include "analyze/liveinfo.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/units.h"
#include "report/report.h"

/* The commands, as bits: an option lists the commands that take it. */
enum {
    CMD_KEYS = 1u << 0,
    CMD_CHECK = 1u << 1,
    CMD_REPORT = 1u << 2,
    CMD_PROFILES = 1u << 3,
    CMD_INSPECT = 1u << 4,
    CMD_DIFF = 1u << 5,
    CMD_MERGE = 1u << 6,
};

typedef enum opt_id {
    O_HELP, O_VERSION, O_QUIET,
    O_FORMAT, O_OUTPUT, O_COLOR,
    O_DB, O_TYPE, O_MATCH, O_REGEX, O_MIN_BYTES, O_MIN_ELEMENTS, O_EXPIRY,
    O_PROFILE, O_CONFIG, O_NOW,
    O_TOP, O_ROWS, O_SEPARATORS, O_PREFIX_DEPTH, O_PREFIX_BUDGET,
    O_BIG_BYTES, O_BIG_ELEMENTS, O_WALK_ALL, O_ACCEPT_NEWER, O_INFO,
    O_CLUSTER, O_SHARDS, O_SLOT_MAP, O_MAXMEMORY, O_ESCAPED, O_THREADS,
    O_PROGRESS, O_NO_PROGRESS, O_JOBS, O_NO_CHURN,
    O_COUNT_
} opt_id;

/* What a command's options came to. Strings point into argv. */
typedef struct cli_args {
    unsigned cmd;                 /* CMD_* */
    const char *name;             /* "report" */
    bool given[O_COUNT_];
    bool quiet;
    const char *format;           /* one of the command's formats (its default if not given) */
    const char *output;           /* NULL: standard output */
    bool color;                   /* escape sequences wanted (--color, NO_COLOR, TERM, a TTY) */
    report_color color_mode;
    key_filter filter;
    model_opts model;             /* --profile, --config, --now */
    const char *config_args[64];  /* --config as given, for the report's echo */
    size_t nconfig;
    units_time_form now_form;     /* how --now was read */
    bool has_live;                /* --info FILE, parsed */
    live_info live;
    uint64_t top, rows, prefix_depth, prefix_budget, big_bytes, big_elements;
    const char *separators;
    bool walk_all;
    uint64_t threads;             /* --threads: 1 or 2; 0: 2 with two CPUs or more */
    bool accept_newer;            /* --accept-newer: rdb_options.accept_newer */
    uint64_t shards, maxmemory;   /* --shards N, --maxmemory SIZE (0: not given) */
    const char *slot_map;         /* --slot-map FILE */
    bool escaped;                 /* inspect: KEY operands in the printable form */
    progress_mode progress;       /* --progress / --no-progress; AUTO: progress_wanted decides */
    uint64_t jobs;                /* report -j: files analysed at once (1) */
    bool no_churn;                /* diff --no-churn */
    char **files;                 /* the operands */
    int nfiles;
} cli_args;

/* Parses argv (argv[0] is the command name). Returns -1 when the command
 * should run, else the exit code to return at once (help or version was
 * printed: 0; a usage error was explained: 2; the help could not be
 * written: 1). */
int cli_parse(unsigned cmd, int argc, char **argv, cli_args *a);
void cli_args_free(cli_args *a);

/* A command's --help text; and `rdblens --help`, the list of commands. */
void cli_help(FILE *out, unsigned cmd);
void cli_usage(FILE *out);

/* Command name <-> bit; NULL / 0 when unknown. */
const char *cli_cmd_name(unsigned cmd);
unsigned cli_cmd_find(const char *name);

/* Shell completion scripts made from the table: "bash" or "zsh". -1 when
 * the shell is unknown. */
int cli_completion(FILE *out, const char *shell);

/* Every long option of the table, one per line as "COMMAND --name", for the
 * man page and help consistency test (rdblens __options). */
void cli_list_options(FILE *out);

/* Should text on 'fd' be coloured, given the --color mode? Never with
 * NO_COLOR set (no-color.org) or TERM=dumb unless --color always. */
bool cli_color_wanted(report_color mode, int fd);

#endif
