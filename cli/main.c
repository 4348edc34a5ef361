/* main.c: rdblens entry point: picks the subcommand. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opt.h"

/* Writes what fn prints to standard output, checked like every output. */
static int print_checked(const char *what, void (*fn)(FILE *, unsigned), unsigned arg) {
    fn(stdout, arg);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "rdblens%s%s: writing standard output: %s\n", what[0] ? " " : "", what,
                strerror(errno));
        return EXIT_INVALID;
    }
    return EXIT_VALID;
}

static void usage_fn(FILE *out, unsigned unused) { (void)unused; cli_usage(out); }
static void help_fn(FILE *out, unsigned cmd) { cli_help(out, cmd); }
static void options_fn(FILE *out, unsigned unused) { (void)unused; cli_list_options(out); }
static void version_fn(FILE *out, unsigned unused) { (void)unused; fprintf(out, "rdblens %s\n", RDBLENS_VERSION); }

static int unknown_command(const char *cmd) {
    fprintf(stderr, "rdblens: unknown command '%s'\ntry 'rdblens --help'\n", cmd);
    return EXIT_USAGE;
}

int main(int argc, char **argv) {
    /* A closed pipe on our output (| head) ends us quietly, whatever the
     * parent's disposition was (output.h). */
    signal(SIGPIPE, SIG_DFL);
    if (argc < 2) {
        cli_usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) return print_checked("", usage_fn, 0);
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) return print_checked("", version_fn, 0);
    if (!strcmp(cmd, "help")) {
        if (argc < 3) return print_checked("", usage_fn, 0);
        unsigned bit = cli_cmd_find(argv[2]);
        if (!bit) return unknown_command(argv[2]);
        return print_checked("help", help_fn, bit);
    }
    if (!strcmp(cmd, "completion")) {
        if (argc != 3 || (strcmp(argv[2], "bash") && strcmp(argv[2], "zsh"))) {
            fputs("rdblens completion: takes bash or zsh\n", stderr);
            return EXIT_USAGE;
        }
        cli_completion(stdout, argv[2]);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "rdblens completion: writing standard output: %s\n", strerror(errno));
            return EXIT_INVALID;
        }
        return EXIT_VALID;
    }
    if (!strcmp(cmd, "__options")) return print_checked("", options_fn, 0);
    if (!strcmp(cmd, "keys")) return cmd_keys(argc - 1, argv + 1);
    if (!strcmp(cmd, "check")) return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "report")) return cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "profiles")) return cmd_profiles(argc - 1, argv + 1);
    if (!strcmp(cmd, "inspect")) return cmd_inspect(argc - 1, argv + 1);
    if (!strcmp(cmd, "diff")) return cmd_diff(argc - 1, argv + 1);
    if (!strcmp(cmd, "merge")) return cmd_merge(argc - 1, argv + 1);
    return unknown_command(cmd);
}
