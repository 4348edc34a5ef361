/* cmd_inspect.c: `rdblens inspect FILE KEY...`: the named keys, drilled
 * into, in one pass. Parser -> memory model (the pipeline) and, for the
 * keys asked for, analyze/inspect.c as the pipeline's tap -> renderer
 * (report/inspect_render.h). The results are held until the end (bounded
 * per key), so nothing is written for an input that cannot be read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/inspect.h"
#include "cli/cli.h"
#include "cli/keyarg.h"
#include "cli/opt.h"
#include "cli/output.h"
#include "report/inspect_render.h"
#include "report/keyfmt.h"
#include "report/rfmt.h"

static int sink(void *ctx, const key_record *r)
{
    return inspect_on_record(ctx, r);
}

/* The model exists: the what-ifs model the same target. */
static int on_model(void *ctx, const pipeline *pl)
{
    return inspect_set_target(ctx, pl->profile_used, pl->config, pl->reference_ms);
}

/* The KEY operands into ins; EXIT_USAGE after a message when one is not
 * in the printable form --escaped asks for. */
static int add_keys(const cli_args *a, inspect *ins)
{
    for (int i = 1; i < a->nfiles; i++) {
        const char *arg = a->files[i];
        size_t n = strlen(arg);
        if (!a->escaped) {
            if (inspect_add_key(ins, (const uint8_t *)arg, n) < 0) return -1;
            continue;
        }
        uint8_t *buf = malloc(n ? n : 1);
        if (!buf) return -1;
        char why[200];
        long len = keyarg_unescape(arg, buf, why, sizeof why);
        if (len < 0) {
            char shown[256];
            fprintf(stderr, "rdblens inspect: KEY '%s' is not in the printable form: %s\n",
                    rfmt_text(shown, sizeof shown, arg), why);
            free(buf);
            return EXIT_USAGE;
        }
        int rc = inspect_add_key(ins, buf, (size_t)len);
        free(buf);
        if (rc < 0) return -1;
    }
    return 0;
}

static const char *status_name(rdb_status st)
{
    if (st == RDB_OK) return "complete";
    return st == RDB_ERR_TRUNCATED ? "truncated" : "invalid";
}

/* Names each KEY not found on stderr; returns how many. */
static size_t report_missing(const cli_args *a, const char *path, const inspect *ins, rdb_status st)
{
    size_t missing = 0;
    for (size_t i = 0; i < inspect_keys(ins); i++) {
        const uint8_t *name;
        size_t len;
        bool found;
        inspect_key(ins, i, &name, &len, &found);
        if (found) continue;
        missing++;
        fprintf(stderr, "rdblens inspect: %s: key '", path);
        keyfmt_printable(stderr, name, len);
        fputc('\'', stderr);
        if (a->filter.has_db) fprintf(stderr, " not found in db %llu", (unsigned long long)a->filter.db);
        else fputs(" not found", stderr);
        if (st != RDB_OK) fputs(" in what could be read", stderr);
        if (!a->escaped && memmem(name, len, "\\x", 2))
            fputs(" (to read \\xHH escapes as bytes, add --escaped)", stderr);
        fputc('\n', stderr);
    }
    return missing;
}

int cmd_inspect(int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(CMD_INSPECT, argc, argv, &a);
    if (rc >= 0) return rc;
    const char *path = a.files[0];
    inspect *ins = inspect_new();
    if (!ins || (rc = add_keys(&a, ins)) != 0) {
        if (rc != EXIT_USAGE) fputs("rdblens inspect: out of memory\n", stderr);
        inspect_free(ins);
        cli_args_free(&a);
        return rc == EXIT_USAGE ? EXIT_USAGE : EXIT_INVALID;
    }
    if (a.filter.has_db) inspect_set_db(ins, a.filter.db);
    input in;
    char err[512];
    if (input_open(path, &in, err, sizeof err) != 0) {
        fprintf(stderr, "rdblens inspect: %s\n", err);
        inspect_free(ins);
        cli_args_free(&a);
        return EXIT_INVALID;
    }
    pipeline pl = {.sink = sink, .sink_ctx = ins, .tap = inspect_handlers(), .tap_ctx = ins,
                   .on_model = on_model, .accept_newer = a.accept_newer};
    model_opts_apply(&a.model, &pl);
    rdb_status st = pipeline_run(&pl, &in);
    if (!pl.result.have_header) {
        rc = cli_unreadable(&a, path, &pl);
        goto done;
    }
    if (inspect_failed(ins)) {
        fputs("rdblens inspect: out of memory\n", stderr);
        rc = EXIT_INVALID;
        goto done;
    }
    inspect_finish(ins);
    const char *server = pipeline_aux(&pl, "valkey-ver");
    if (!server) server = pipeline_aux(&pl, "redis-ver");
    inspect_source src = {
        .path = path, .size = in.size, .have_header = true, .header = pl.header, .server = server,
        .profile = pl.profile_used ? model_profile_name(pl.profile_used) : NULL,
        .profile_from = a.model.profile                  ? "--profile"
                        : pipeline_aux(&pl, "valkey-ver") ? "valkey-ver"
                        : pipeline_aux(&pl, "redis-ver")  ? "redis-ver"
                                                          : "rdb version",
        .config = a.config_args, .nconfig = a.nconfig, .has_db = a.filter.has_db, .db = a.filter.db,
        .reference_ms = pl.reference_ms, .reference_from = pl.reference_from, .status = status_name(st),
        .have_trailer = pl.result.have_trailer, .checksum = pl.result.trailer.checksum,
        .error = st == RDB_OK ? NULL : &pl.result.error,
    };
    cli_out out;
    if ((rc = cli_out_open(&out, "inspect", a.output)) != 0) goto done;
    if (!strcmp(a.format, "json")) inspect_render_json(out.f, &src, ins);
    else inspect_render_text(out.f, &src, ins, a.color);
    rc = cli_out_close(&out, true);
    int parse_rc = cli_run_outcome("inspect", path, &pl, st, "keys after the error were not looked at");
    if (!rc) rc = parse_rc;
    if (report_missing(&a, path, ins, st) && !rc) rc = EXIT_INVALID;
    cli_note_reference(&a, path, pl.reference_from, pl.reference_ms);
done:
    pipeline_free(&pl);
    input_close(&in);
    inspect_free(ins);
    cli_args_free(&a);
    return rc;
}
