/* main.c: rdblens entry point: picks the subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#define RDBLENS_VERSION "0.1.0"

static void usage(FILE *out) {
    fputs("usage: rdblens COMMAND [OPTIONS] FILE...\n"
          "\n"
          "Offline analysis of Redis / Valkey RDB dumps (never touches a live server).\n"
          "\n"
          "commands:\n"
          "  keys      one record per key (JSONL or redis-rdb-tools memory CSV)\n"
          "  check     verify a dump: structure, checksum, keys per db\n"
          "  report    memory report: totals, types, encodings, TTLs, prefixes, big keys\n"
          "  profiles  list the server memory profiles\n"
          "\n"
          "FILE is an .rdb file, '-' for stdin, an AOF file with an RDB preamble, or a\n"
          "multi-part AOF directory (its manifest's base file is read).\n"
          "Run 'rdblens COMMAND --help' for a command's options.\n"
          "\n"
          "exit codes: 0 success, 1 invalid/corrupt/truncated input, 2 usage error\n",
          out);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_VALID;
    }
    if (!strcmp(cmd, "--version")) {
        printf("rdblens %s\n", RDBLENS_VERSION);
        return EXIT_VALID;
    }
    if (!strcmp(cmd, "keys")) return cmd_keys(argc - 1, argv + 1);
    if (!strcmp(cmd, "check")) return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "report")) return cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "profiles")) return cmd_profiles(argc - 1, argv + 1);
    fprintf(stderr, "rdblens: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
