/* cli.h: the subcommands and what they share. Exit codes: 0 success, 1 the
 * input is invalid, corrupt or truncated (whatever was read is still
 * reported), 2 usage error. */
#ifndef RDBLENS_CLI_H
#define RDBLENS_CLI_H

#include "cli/pipeline.h"

enum { EXIT_VALID = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

int cmd_keys(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_profiles(int argc, char **argv);

/* Prints "rdblens: FILE: error at offset N: message" for a failed parse. */
void cli_print_parse_error(const char *path, const rdb_result *res);

/* After a pipeline run: reports a parse error (with how many keys were read
 * and 'partial', what that means for the output) or a checksum mismatch on
 * stderr, and returns the exit code. */
int cli_run_outcome(const char *path, const pipeline *pl, rdb_status st, const char *partial);



/* Options shared by keys and report: --profile NAME, --config KEY=VALUE
 * (repeatable), --now EPOCH_S. Returns 0, or EXIT_USAGE after printing why. */
typedef struct model_opts {
    const struct model_profile *profile;
    struct model_config *config;
    bool has_now;
    int64_t now_ms;
} model_opts;

enum { OPT_PROFILE = 1000, OPT_CONFIG, OPT_NOW };
int model_opts_parse(model_opts *mo, int opt, const char *arg, const char *cmd);
void model_opts_apply(const model_opts *mo, pipeline *pl);
void model_opts_free(model_opts *mo);
#endif
