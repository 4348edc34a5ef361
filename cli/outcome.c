/* outcome.c: how a command reports a dump that could not be read whole. */
#include <stdio.h>

#include "cli/cli.h"

void cli_print_parse_error(const char *path, const rdb_result *res) {
    fprintf(stderr, "rdblens: %s: %s at offset %llu: %s\n", path,
            res->error.code == RDB_ERR_TRUNCATED ? "truncated" : "error",
            (unsigned long long)res->error.offset, res->error.message);
}

int cli_run_outcome(const char *path, const pipeline *pl, rdb_status st, const char *partial) {
    if (st != RDB_OK) {
        cli_print_parse_error(path, &pl->result);
        fprintf(stderr, "rdblens: %s: %s: %llu keys before the error\n", path, partial,
                (unsigned long long)pl->keys);
        return EXIT_INVALID;
    }
    if (pl->result.trailer.checksum == RDB_CHECKSUM_MISMATCH) {
        fprintf(stderr, "rdblens: %s: checksum mismatch (stored %016llx, computed %016llx)\n", path,
                (unsigned long long)pl->result.trailer.stored_crc,
                (unsigned long long)pl->result.trailer.computed_crc);
        return EXIT_INVALID;
    }
    return EXIT_VALID;
}
