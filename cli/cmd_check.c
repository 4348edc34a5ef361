/* cmd_check.c: `rdblens check`: walk whole files, verify them, summarise. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void check_usage(FILE *out) {
    fputs("usage: rdblens check FILE...\n"
          "\n"
          "Reads each dump to its end: structure of every value and packed blob,\n"
          "the CRC-64 checksum, and prints the version, aux fields, keys per db,\n"
          "expires, and any error with its byte offset.\n"
          "Exit: 0 all valid, 1 any invalid/corrupt/truncated or checksum mismatch, 2 usage.\n",
          out);
}

static const char *checksum_text(rdb_checksum_status s) {
    switch (s) {
    case RDB_CHECKSUM_OK: return "ok";
    case RDB_CHECKSUM_MISMATCH: return "MISMATCH";
    case RDB_CHECKSUM_DISABLED: return "disabled (written with rdbchecksum no)";
    default: return "absent (RDB version < 5)";
    }
}

static int check_one(const char *path) {
    input in;
    char err[512];
    printf("file: %s\n", path);
    if (input_open(path, &in, err, sizeof err) != 0) {
        printf("status: INVALID: %s\n\n", err);
        fprintf(stderr, "rdblens: %s\n", err);
        return EXIT_INVALID;
    }
    if (in.kind == INPUT_AOF_MANIFEST)
        printf("aof manifest: base %s, %llu incremental file(s), %llu bytes of AOF commands\n",
               in.path, (unsigned long long)in.incr_files, (unsigned long long)in.incr_bytes);
    pipeline pl = {.verify = true};
    rdb_status st = pipeline_run(&pl, &in);
    const rdb_result *res = &pl.result;
    if (res->have_header)
        printf("format: %s (%s, RDB version %u)\n", res->header.magic,
               res->header.flavor == RDB_FLAVOR_VALKEY ? "Valkey" : "Redis", res->header.version);
    for (size_t i = 0; i < pl.naux; i++) {
        const pipe_aux *a = &pl.aux[i];
        if (!strcmp(a->key, "lua")) continue;  /* script bodies, not metadata */
        printf("aux %s: %s\n", a->key, a->value);
    }
    if (pl.functions) printf("function libraries: %llu\n", (unsigned long long)pl.functions);
    if (pl.module_aux) printf("module aux records: %llu\n", (unsigned long long)pl.module_aux);
    for (size_t i = 0; i < pl.ndbs; i++)
        printf("db %llu: %llu keys, %llu with expiry\n", (unsigned long long)pl.dbs[i].db,
               (unsigned long long)pl.dbs[i].keys, (unsigned long long)pl.dbs[i].expires);
    printf("keys: %llu, with expiry: %llu\n", (unsigned long long)pl.keys,
           (unsigned long long)pl.expires);
    int rc = EXIT_VALID;
    if (st == RDB_OK) {
        printf("checksum: %s", checksum_text(res->trailer.checksum));
        if (res->trailer.checksum == RDB_CHECKSUM_OK || res->trailer.checksum == RDB_CHECKSUM_MISMATCH)
            printf(" (stored %016llx, computed %016llx)", (unsigned long long)res->trailer.stored_crc,
                   (unsigned long long)res->trailer.computed_crc);
        printf("\n");
        if (in.size > res->bytes_read)
            printf("trailing bytes: %llu after the RDB (AOF command tail)\n",
                   (unsigned long long)(in.size - res->bytes_read));
        if (res->trailer.checksum == RDB_CHECKSUM_MISMATCH) {
            rc = EXIT_INVALID;
            printf("status: INVALID: checksum mismatch\n");
            fprintf(stderr, "rdblens: %s: checksum mismatch\n", path);
        } else {
            printf("status: valid\n");
        }
    } else {
        printf("error: offset %llu: %s\n", (unsigned long long)res->error.offset, res->error.message);
        printf("status: INVALID (%s; %llu keys read before the error)\n",
               rdb_status_name(res->error.code), (unsigned long long)pl.keys);
        cli_print_parse_error(path, res);
        rc = EXIT_INVALID;
    }
    printf("\n");
    pipeline_free(&pl);
    input_close(&in);
    return rc;
}

int cmd_check(int argc, char **argv) {
    static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            check_usage(stdout);
            return EXIT_VALID;
        }
        check_usage(stderr);
        return EXIT_USAGE;
    }
    if (optind >= argc) {
        check_usage(stderr);
        return EXIT_USAGE;
    }
    int rc = EXIT_VALID;
    for (int i = optind; i < argc; i++)
        if (check_one(argv[i]) != EXIT_VALID) rc = EXIT_INVALID;
    fflush(stdout);
    return rc;
}
