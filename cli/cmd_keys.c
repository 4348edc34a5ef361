/* cmd_keys.c: `rdblens keys`: one record per key, streamed. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/output.h"
#include "report/keyfmt.h"

typedef struct keys_run {
    cli_out out;
    bool csv;
    bool header_written;
    const key_filter *filter;
    const pipeline *pl;
    uint64_t written, filtered;
} keys_run;

static int keys_sink(void *ctx, const key_record *r) {
    keys_run *k = ctx;
    if (!filter_accepts(k->filter, r, k->pl->reference_ms)) {
        k->filtered++;
        return 0;
    }
    if (k->csv) {
        if (!k->header_written) keyfmt_csv_header(k->out.f);
        k->header_written = true;
        keyfmt_csv_record(k->out.f, r);
    } else {
        keyfmt_json_record(k->out.f, r);
        fputc('\n', k->out.f);
    }
    k->written++;
    /* stop at the first failed write: parsing on into a full disk helps nobody */
    return cli_out_error(&k->out) ? -1 : 0;
}

int cmd_keys(int argc, char **argv) {
    cli_args a;
    int rc = cli_parse(CMD_KEYS, argc, argv, &a);
    if (rc >= 0) return rc;
    const char *path = a.files[0];
    input in;
    char err[512];
    if (input_open(path, &in, err, sizeof err) != 0) {
        fprintf(stderr, "rdblens keys: %s\n", err);
        cli_args_free(&a);
        return EXIT_INVALID;
    }
    keys_run k = {.csv = !strcmp(a.format, "csv"), .filter = &a.filter};
    if ((rc = cli_out_open(&k.out, "keys", a.output)) != 0) {
        input_close(&in);
        cli_args_free(&a);
        return rc;
    }
    /* one write per 64 KiB instead of per line; set once, before stdout's
     * first use (setvbuf later is undefined) */
    static char outbuf[1 << 16];
    static bool buffered;
    if (!a.output && !buffered) setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    buffered = true;
    progress pg;
    progress_init(&pg, progress_wanted(a.progress), 1, in.size);
    pipeline pl = {.sink = keys_sink, .sink_ctx = &k, .accept_newer = a.accept_newer,
                   .progress = progress_tick, .progress_ctx = &pg};
    k.pl = &pl;
    model_opts_apply(&a.model, &pl);
    progress_file_begin(&pg, path, in.src, in.size);
    rdb_status st = pipeline_run(&pl, &in);
    progress_file_end(&pg);
    bool readable = pl.result.have_header;
    if (readable && k.csv && !k.header_written && !k.out.failed) keyfmt_csv_header(k.out.f);
    int out_rc = cli_out_close(&k.out, readable);
    if (out_rc) rc = out_rc;
    else if (!readable) rc = cli_unreadable(&a, path, &pl);
    else rc = cli_run_outcome("keys", path, &pl, st, "the output is incomplete");
    /* the reference time only matters to keys for --expiry expired / a
     * relative range (and the hash fields it drops as expired) */
    bool judged = a.filter.expiry == FILTER_EXPIRY_EXPIRED ||
                  (a.filter.expiry == FILTER_EXPIRY_RANGE && a.filter.range_relative);
    if (!rc && (judged || a.model.has_now)) cli_note_reference(&a, path, pl.reference_from, pl.reference_ms);
    if (pl.cluster_unsupported && !a.quiet)
        fprintf(stderr, "rdblens keys: %s has no cluster-mode model (cluster nodes are modelled from "
                "redis-6.2 on): slots are given, bytes are a standalone server's\n",
                model_profile_name(pl.profile_used));
    pipeline_free(&pl);
    input_close(&in);
    cli_args_free(&a);
    return rc;
}
