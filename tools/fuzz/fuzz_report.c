/* fuzz_report.c: everything a user runs on a dump, not only the parser:
 * the memory model, the aggregates and the renderers see every key a
 * hostile file can make the parser accept (counts, lengths, TTLs, stream
 * IDs at their extremes). The input is an RDB file; its last byte picks a
 * what-if profile for a second report, which also reads an RDB version
 * newer than the parser knows (--accept-newer). Each run goes through the
 * CLI entry points exactly as `rdblens report` / `rdblens keys` do, output to
 * /dev/null; the sanitizers and the exit codes (0, 1 or 2, never a signal)
 * are the checks. The JSON report runs twice, shallow (the default: packed
 * blobs unwalked, shown keys re-read) and --walk-all, and the two must be
 * byte for byte the same with the same exit code. `inspect` then drills
 * into the first keys `keys` lists, named in the printable form keys
 * writes (--escaped): every one must be found, so its exit code must be
 * that of `keys`. Built only by tools/fuzz.sh. */
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

/* Runs a command with its standard output on 'out_fd' (-1: /dev/null).
 * (-o would write a temporary file beside the target and rename it, which
 * a /proc/self/fd path cannot take.) */
static int run(int (*cmd)(int, char **), char **argv, int out_fd) {
    static int devnull = -1, saved = -1;
    if (devnull < 0 && (devnull = open("/dev/null", O_WRONLY)) < 0) abort();
    if (saved < 0 && (saved = dup(STDOUT_FILENO)) < 0) abort();
    fflush(stdout);
    if (dup2(out_fd >= 0 ? out_fd : devnull, STDOUT_FILENO) < 0) abort();
    int argc = 0;
    while (argv[argc]) argc++;
    int rc = cmd(argc, argv);
    fflush(stdout);
    if (dup2(saved, STDOUT_FILENO) < 0) abort();
    if (rc < 0 || rc > 2) {
        fprintf(stderr, "fuzz_report: %s exited %d\n", argv[0], rc);
        abort();
    }
    return rc;
}

/* The bytes of a memfd, as a NUL-free comparison needs them. */
static size_t slurp_fd(int fd, char **buf, size_t *cap) {
    off_t n = lseek(fd, 0, SEEK_END);
    if (n < 0) return 0;
    if ((size_t)n > *cap) {
        free(*buf);
        *cap = (size_t)n;
        if (!(*buf = malloc(*cap))) abort();
    }
    if (pread(fd, *buf, (size_t)n, 0) != n) abort();
    return (size_t)n;
}

/* Up to max key names of a `keys` JSONL output, in their printable form
 * (the JSON string's \" and \\ undone: keyfmt escapes nothing else), as
 * NUL-terminated strings in names[] (malloc'd). Returns how many. */
static int key_names(const char *out, size_t n, char **names, int max) {
    int got = 0;
    for (size_t i = 0; i < n && got < max;) {
        const char *line = out + i, *nl = memchr(line, '\n', n - i);
        size_t len = nl ? (size_t)(nl - line) : n - i;
        i += len + 1;
        const char *k = memmem(line, len, ",\"key\":\"", 8);
        if (!k) continue;
        k += 8;
        char *name = malloc(len + 1);
        if (!name) abort();
        size_t o = 0;
        for (const char *p = k; p < line + len && *p != '"'; p++)
            name[o++] = *p == '\\' && p + 1 < line + len ? *++p : *p;
        name[o] = '\0';
        names[got++] = name;
    }
    return got;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int fd = -1, out_s = -1, out_w = -1;
    static char *buf_s, *buf_w;
    static size_t cap_s, cap_w;
    if (fd < 0) {
        if ((fd = memfd_create("fuzz_report", 0)) < 0) return 0;
        if ((out_s = memfd_create("shallow", 0)) < 0 || (out_w = memfd_create("walk", 0)) < 0) return 0;
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) return 0;
    if (ftruncate(out_s, 0) != 0 || ftruncate(out_w, 0) != 0) return 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    if (lseek(out_s, 0, SEEK_SET) != 0 || lseek(out_w, 0, SEEK_SET) != 0) return 0;
    const char *profile = profiles[size ? data[size - 1] % (sizeof profiles / sizeof *profiles) : 0];

    char *report_json[] = {"report", "--format", "json", "--now", "1700000000", path, NULL};
    char *report_walk[] = {"report", "--format", "json", "--now", "1700000000", "--walk-all", path, NULL};
    /* the text or the HTML renderer, by a byte of the input; a version
     * newer than the parser knows is read as the newest (--accept-newer) */
    char *format = size && (data[size / 2] & 1) ? "html" : "text";
    char *report_text[] = {"report", "--format", format, "--profile",
                           (char *)profile, "--config", "hash-max-listpack-entries=4",
                           "--config", "list-compress-depth=1", "--accept-newer", path, NULL};
    char *keys_csv[] = {"keys", "--format", "csv", path, NULL};
    int rs = run(cmd_report, report_json, out_s);
    int rw = run(cmd_report, report_walk, out_w);
    size_t ns = slurp_fd(out_s, &buf_s, &cap_s), nw = slurp_fd(out_w, &buf_w, &cap_w);
    if (rs != rw || ns != nw || (ns && memcmp(buf_s, buf_w, ns) != 0)) {
        fprintf(stderr, "fuzz_report: the shallow report differs from --walk-all (exit %d vs %d)\n", rs, rw);
        abort();
    }
    run(cmd_report, report_text, -1);
    run(cmd_keys, keys_csv, -1);

    char *keys_jsonl[] = {"keys", path, NULL};
    if (ftruncate(out_s, 0) != 0 || lseek(out_s, 0, SEEK_SET) != 0) return 0;
    int rk = run(cmd_keys, keys_jsonl, out_s);
    ns = slurp_fd(out_s, &buf_s, &cap_s);
    char *names[3];
    int nn = key_names(buf_s, ns, names, 3);
    if (nn > 0) {
        /* "--": a key may start with '-' (as a user must, see key_command) */
        char *inspect_json[12] = {"inspect", "--escaped", "--format", "json", "--now", "1700000000", "--", path};
        char *inspect_text[12] = {"inspect", "--escaped", "--profile", (char *)profile, "--config",
                                  "zset-max-listpack-entries=2", "--", path};
        for (int i = 0; i < nn; i++) inspect_json[8 + i] = inspect_text[8 + i] = names[i];
        int ri = run(cmd_inspect, inspect_json, -1);
        if (ri != rk) {
            fprintf(stderr, "fuzz_report: inspect of the keys `keys` listed exited %d, keys %d\n", ri, rk);
            abort();
        }
        run(cmd_inspect, inspect_text, -1);
    }
    for (int i = 0; i < nn; i++) free(names[i]);
    return 0;
}
