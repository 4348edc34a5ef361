/* cli.h: the subcommands and what they share. Exit codes: 0 success, 1 the
 * input is invalid, corrupt or truncated (whatever was read is still
 * reported), 2 usage error. */
#ifndef RDBLENS_CLI_H
#define RDBLENS_CLI_H

#include "cli/pipeline.h"

#define RDBLENS_VERSION "0.2.0"

enum { EXIT_VALID = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

int cmd_keys(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_profiles(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/* Prints "rdblens CMD: FILE: error at offset N: message" for a failed parse. */
void cli_print_parse_error(const char *cmd, const char *path, const rdb_result *res);

/* After a pipeline run: reports a parse error (with how many keys were read
 * and 'partial', what that means for the output) or a checksum mismatch on
 * stderr, and returns the exit code. */
int cli_run_outcome(const char *cmd, const char *path, const pipeline *pl, rdb_status st,
                    const char *partial);

struct cli_args;
/* An input the parser could not even start on (empty, not an RDB, no
 * header): one line on stderr naming it and why; returns EXIT_INVALID. */
int cli_unreadable(const struct cli_args *a, const char *path, const pipeline *pl);

/* A note on stderr (unless --quiet) when TTLs were judged against anything
 * but the dump's own ctime or a plain --now: the file time, the current
 * time, or --now read as milliseconds. from, ms: pipeline.reference_from / _ms. */
void cli_note_reference(const struct cli_args *a, const char *path, const char *from, int64_t ms);

/* The memory-model options (cli/opt.h parses them): --profile NAME,
 * --config KEY=VALUE (repeatable), --now TIME, --cluster. model_opts_parse returns 0,
 * or EXIT_USAGE after printing why. */
typedef struct model_opts {
    const struct model_profile *profile;
    struct model_config *config;
    bool has_now;
    int64_t now_ms;
    bool cluster;              /* --cluster (or an option that implies it) */
    const char *cluster_why;   /* that option, for the report; NULL: "--cluster" */
} model_opts;

/* OPT_CLUSTER: --cluster (arg unused); refused for a profile without a
 * cluster-mode model, whichever of --profile and --cluster comes first. */
enum { OPT_PROFILE = 1000, OPT_CONFIG, OPT_CLUSTER };

/* Sum of the inputs' sizes, for the overall progress (cli/progress.h); 0
 * when one is not a regular file (stdin, a directory). */
uint64_t cli_total_size(char **paths, int n);
int model_opts_parse(model_opts *mo, int opt, const char *arg, const char *cmd);
void model_opts_apply(const model_opts *mo, pipeline *pl);
void model_opts_free(model_opts *mo);
#endif
