/* outcome.c: how a command reports a dump that could not be read whole. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "report/rfmt.h"

void cli_print_parse_error(const char *cmd, const char *path, const rdb_result *res) {
    fprintf(stderr, "rdblens %s: %s: %s at offset %llu: %s\n", cmd, path,
            res->error.code == RDB_ERR_TRUNCATED ? "truncated" : "error",
            (unsigned long long)res->error.offset, res->error.message);
}

int cli_run_outcome(const char *cmd, const char *path, const pipeline *pl, rdb_status st,
                    const char *partial) {
    if (st != RDB_OK) {
        cli_print_parse_error(cmd, path, &pl->result);
        fprintf(stderr, "rdblens %s: %s: %s: %llu keys before the error\n", cmd, path, partial,
                (unsigned long long)pl->keys);
        return EXIT_INVALID;
    }
    if (pl->result.trailer.checksum == RDB_CHECKSUM_MISMATCH) {
        fprintf(stderr, "rdblens %s: %s: checksum mismatch (stored %016llx, computed %016llx)\n", cmd,
                path, (unsigned long long)pl->result.trailer.stored_crc,
                (unsigned long long)pl->result.trailer.computed_crc);
        return EXIT_INVALID;
    }
    return EXIT_VALID;
}

int cli_unreadable(const cli_args *a, const char *path, const pipeline *pl) {
    const rdb_error *e = &pl->result.error;
    if (e->code == RDB_ERR_BAD_MAGIC || e->offset == 0)
        fprintf(stderr, "rdblens %s: %s: %s\n", a->name, path, e->message);
    else
        fprintf(stderr, "rdblens %s: %s: not readable: %s at offset %llu\n", a->name, path,
                e->message, (unsigned long long)e->offset);
    return EXIT_INVALID;
}

void cli_note_reference(const cli_args *a, const char *path, const char *from, int64_t ms) {
    if (a->quiet || !from) return;
    char iso[64];
    if (!strcmp(from, "--now")) {
        if (a->now_form == UNITS_TIME_MILLIS)
            fprintf(stderr, "rdblens %s: --now read as Unix milliseconds: %s\n", a->name,
                    rfmt_iso(iso, sizeof iso, ms));
        return;
    }
    if (!strcmp(from, "file mtime"))
        fprintf(stderr, "rdblens %s: %s has no ctime aux; TTLs are judged against its file time %s "
                        "(set --now to the time the dump was taken)\n",
                a->name, path, rfmt_iso(iso, sizeof iso, ms));
    else if (!strcmp(from, "current time"))
        fprintf(stderr, "rdblens %s: %s has no ctime aux; TTLs are judged against the current time %s "
                        "(set --now to the time the dump was taken)\n",
                a->name, path, rfmt_iso(iso, sizeof iso, ms));
}

uint64_t cli_total_size(char **paths, int n) {
    uint64_t total = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (!strcmp(paths[i], "-") || stat(paths[i], &st) != 0 || !S_ISREG(st.st_mode)) return 0;
        total += (uint64_t)st.st_size;
    }
    return total;
}
