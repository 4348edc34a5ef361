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
    fputs("usage: rdblens keys [--format jsonl|csv] [--profile NAME] [--config KEY=VALUE]...\n"
          "                    [--now EPOCH_S] FILE\n"
          "\n"
          "Prints one record per key, in file order, as the dump is read.\n"
          "  --profile NAME  memory model of this server line (default: inferred from the\n"
          "                  dump's redis-ver / valkey-ver, else its RDB version)\n"
          "  --config K=V    encoding thresholds of the target server, e.g.\n"
          "                  hash-max-listpack-entries=256 (repeatable)\n"
          "  --now EPOCH_S   reference time: hash fields expired by then are not counted\n"
          "                  (default: the dump's ctime aux, else the file's mtime)\n"
          "bytes = predicted MEMORY USAGE key SAMPLES 0 on that server right after it\n"
          "loaded the dump; encoding = its OBJECT ENCODING there.\n"
          "  --format jsonl  (default) fields: db, key, type, rdb_type, encoding, bytes,\n"
          "                  elements, largest, expires_at_ms, idle_s, freq, module\n"
          "  --format csv    redis-rdb-tools memory CSV: database,type,key,size_in_bytes,\n"
          "                  encoding,num_elements,len_largest_element,expiry\n"
          "Key bytes: valid UTF-8 as is, backslash as \\\\, other bytes as \\xHH.\n"
          "Exit: 0 ok, 1 corrupt/truncated input (records read so far are printed), 2 usage.\n",
          out);
}

int cmd_keys(int argc, char **argv) {
    static const struct option opts[] = {
        {"format", required_argument, 0, 'f'}, {"help", no_argument, 0, 'h'},
        {"profile", required_argument, 0, OPT_PROFILE}, {"config", required_argument, 0, OPT_CONFIG},
        {"now", required_argument, 0, OPT_NOW}, {0, 0, 0, 0}};
    model_opts mo = {0};
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
        case OPT_PROFILE: case OPT_CONFIG: case OPT_NOW:
            if (model_opts_parse(&mo, c, optarg, "keys")) { model_opts_free(&mo); return EXIT_USAGE; }
            break;
        default: keys_usage(stderr); model_opts_free(&mo); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        model_opts_free(&mo);
        keys_usage(stderr);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    input in;
    char err[512];
    if (input_open(path, &in, err, sizeof err) != 0) {
        fprintf(stderr, "rdblens: %s\n", err);
        model_opts_free(&mo);
        return EXIT_INVALID;
    }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    if (o.fmt == FMT_CSV) keyfmt_csv_header(o.out);
    pipeline pl = {.sink = keys_sink, .sink_ctx = &o};
    model_opts_apply(&mo, &pl);
    rdb_status st = pipeline_run(&pl, &in);
    fflush(stdout);
    int rc = cli_run_outcome(path, &pl, st, "the output is incomplete");
    pipeline_free(&pl);
    model_opts_free(&mo);
    input_close(&in);
    return rc;
}
