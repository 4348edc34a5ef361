/* fuzz_report.c: everything a user runs on a dump, not only the parser:
 * the memory model, the aggregates and the renderers see every key a
 * hostile file can make the parser accept (counts, lengths, TTLs, stream
 * IDs at their extremes). The input is an RDB file; its last byte picks a
 * what-if profile for a second report. Each run goes through the CLI entry
 * points exactly as `rdblens report` / `rdblens keys` do, output to
 * /dev/null; the sanitizers and the exit codes (0, 1 or 2, never a signal)
 * are the checks. Built only by tools/fuzz.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const profiles[] = {
    "redis-2.8", "redis-3.2", "redis-4.0", "redis-5.0", "redis-6.2", "redis-7.0",
    "redis-7.2", "redis-7.4", "redis-8.0", "valkey-8.0", "valkey-8.1-dev",
};

static void run(int (*cmd)(int, char **), char **argv) {
    int argc = 0;
    while (argv[argc]) argc++;
    int rc = cmd(argc, argv);
    if (rc < 0 || rc > 2) {
        fprintf(stderr, "fuzz_report: %s exited %d\n", argv[0], rc);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int fd = -1;
    if (fd < 0) {
        /* `keys` writes to stdout; libFuzzer reports on stderr */
        if (!freopen("/dev/null", "w", stdout)) return 0;
        if ((fd = memfd_create("fuzz_report", 0)) < 0) return 0;
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) return 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    const char *profile = profiles[size ? data[size - 1] % (sizeof profiles / sizeof *profiles) : 0];

    char *report_json[] = {"report", "--format", "json", "-o", "/dev/null", "--now", "1700000000",
                           path, NULL};
    char *report_text[] = {"report", "--format", "text", "-o", "/dev/null", "--profile",
                           (char *)profile, "--config", "hash-max-listpack-entries=4",
                           "--config", "list-compress-depth=1", path, NULL};
    char *keys_csv[] = {"keys", "--format", "csv", path, NULL};
    run(cmd_report, report_json);
    run(cmd_report, report_text);
    run(cmd_keys, keys_csv);
    return 0;
}
