/* cmd_keys.c: `rdblens keys`: one record per key, streamed. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "report/keyfmt.h"

typedef enum { FMT_JSONL, FMT_CSV } keys_format;

typedef struct keys_out {
    FILE *out;
    keys_format fmt;
} keys_out;

static void keys_sink(void *ctx, const key_record *r) {
    keys_out *o = ctx;
    if (o->fmt == FMT_CSV) {
        keyfmt_csv_record(o->out, r);
    } else {
        keyfmt_json_record(o->out, r);
        fputc('\n', o->out);
    }
}

static void keys_usage(FILE *out) {
    fputs("usage: rdblens keys [--format jsonl|csv] FILE\n"
          "\n"
          "Prints one record per key, in file order, as the dump is read.\n"
          "  --format jsonl  (default) fields: db, key, type, rdb_type, encoding, bytes,\n"
          "                  elements, largest, expires_at_ms, idle_s, freq, module\n"
          "  --format csv    redis-rdb-tools memory CSV: database,type,key,size_in_bytes,\n"
          "                  encoding,num_elements,len_largest_element,expiry\n"
          "Key bytes: valid UTF-8 as is, backslash as \\\\, other bytes as \\xHH.\n"
          "Exit: 0 ok, 1 corrupt/truncated input (records read so far are printed), 2 usage.\n",
          out);
}

void cli_print_parse_error(const char *path, const rdb_result *res) {
    fprintf(stderr, "rdblens: %s: %s at offset %llu: %s\n", path,
            res->error.code == RDB_ERR_TRUNCATED ? "truncated" : "error",
            (unsigned long long)res->error.offset, res->error.message);
}

int cmd_keys(int argc, char **argv) {
    static const struct option opts[] = {
        {"format", required_argument, 0, 'f'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    keys_out o = {.out = stdout, .fmt = FMT_JSONL};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "jsonl") || !strcmp(optarg, "json")) o.fmt = FMT_JSONL;
            else if (!strcmp(optarg, "csv")) o.fmt = FMT_CSV;
            else {
                fprintf(stderr, "rdblens keys: unknown format '%s' (jsonl or csv)\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': keys_usage(stdout); return EXIT_VALID;
        default: keys_usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        keys_usage(stderr);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    input in;
    char err[512];
    if (input_open(path, &in, err, sizeof err) != 0) {
        fprintf(stderr, "rdblens: %s\n", err);
        return EXIT_INVALID;
    }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    if (o.fmt == FMT_CSV) keyfmt_csv_header(o.out);
    pipeline pl = {.sink = keys_sink, .sink_ctx = &o};
    rdb_status st = pipeline_run(&pl, &in);
    fflush(stdout);
    int rc = EXIT_VALID;
    if (st != RDB_OK) {
        cli_print_parse_error(path, &pl.result);
        fprintf(stderr, "rdblens: %s: output is incomplete: %llu keys before the error\n", path,
                (unsigned long long)pl.keys);
        rc = EXIT_INVALID;
    } else if (pl.result.trailer.checksum == RDB_CHECKSUM_MISMATCH) {
        fprintf(stderr, "rdblens: %s: checksum mismatch (stored %016llx, computed %016llx)\n", path,
                (unsigned long long)pl.result.trailer.stored_crc,
                (unsigned long long)pl.result.trailer.computed_crc);
        rc = EXIT_INVALID;
    }
    pipeline_free(&pl);
    input_close(&in);
    return rc;
}
