/* cmd_check.c: `rdblens check`: walk whole files, verify them, summarise.
 * Text (one "field: value" line each, then a blank line per file) or JSON
 * (docs/report-schema.md, "rdblens check --format json"). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/aoftail.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/output.h"
#include "report/keyfmt.h"
#include "report/rfmt.h"

#define RED "\033[1;31m"
#define GREEN "\033[32m"
#define RESET "\033[0m"

typedef struct check_ctx {
    cli_args *a;
    FILE *out;
    bool json;
    size_t files_done;
    progress pg;
} check_ctx;

static const char *checksum_name(rdb_checksum_status s) {
    switch (s) {
    case RDB_CHECKSUM_OK: return "ok";
    case RDB_CHECKSUM_MISMATCH: return "mismatch";
    case RDB_CHECKSUM_DISABLED: return "disabled";
    default: return "absent";
    }
}

static const char *checksum_text(rdb_checksum_status s) {
    switch (s) {
    case RDB_CHECKSUM_OK: return "ok";
    case RDB_CHECKSUM_MISMATCH: return "MISMATCH";
    case RDB_CHECKSUM_DISABLED: return "disabled (written with rdbchecksum no)";
    default: return "absent (RDB version < 5)";
    }
}

static void jstring(FILE *out, const char *s) { keyfmt_json_string(out, (const uint8_t *)s, strlen(s)); }

/* the ctime aux as a time, when it is a plain count of seconds */
static bool aux_time(const pipe_aux *x, char *iso, size_t cap) {
    if (strcmp(x->key, "ctime")) return false;
    uint64_t v = 0;
    const char *p = x->value;
    if (!*p) return false;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > UINT64_MAX / 10 / 1000) return false;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (v > INT64_MAX / 1000) return false;
    rfmt_iso(iso, cap, (int64_t)v * 1000);
    return true;
}

static void text_file(check_ctx *c, const char *path, const input *in, const pipeline *pl, rdb_status st,
                      const aof_tail *tail, const char *open_error) {
    FILE *o = c->out;
    bool col = c->a->color;
    char n1[32], n2[32], iso[64];
    fprintf(o, "file: %s\n", path);
    if (open_error) {
        fprintf(o, "status: %sINVALID%s: %s\n\n", col ? RED : "", col ? RESET : "", open_error);
        return;
    }
    if (in->kind == INPUT_AOF_MANIFEST)
        fprintf(o, "aof manifest: base %s, %s incremental file(s), %s bytes of AOF commands not read\n",
                in->path, rfmt_count(n1, sizeof n1, in->incr_files), rfmt_count(n2, sizeof n2, in->incr_bytes));
    const rdb_result *res = &pl->result;
    if (res->have_header)
        fprintf(o, "format: %s (%s, RDB version %u%s)\n", res->header.magic,
                res->header.flavor == RDB_FLAVOR_VALKEY ? "Valkey" : "Redis", res->header.version,
                res->header.newer ? ", newer than the newest known: read with --accept-newer" : "");
    for (size_t i = 0; i < pl->naux; i++) {
        const pipe_aux *x = &pl->aux[i];
        if (!strcmp(x->key, "lua")) continue;  /* script bodies, not metadata */
        if (aux_time(x, iso, sizeof iso)) fprintf(o, "aux %s: %s (%s)\n", x->key, x->value, iso);
        else fprintf(o, "aux %s: %s\n", x->key, x->value);
    }
    if (pl->functions) fprintf(o, "function libraries: %s\n", rfmt_count(n1, sizeof n1, pl->functions));
    if (pl->module_aux) fprintf(o, "module aux records: %s\n", rfmt_count(n1, sizeof n1, pl->module_aux));
    for (size_t i = 0; i < pl->ndbs; i++)
        fprintf(o, "db %llu: %s keys, %s with expiry\n", (unsigned long long)pl->dbs[i].db,
                rfmt_count(n1, sizeof n1, pl->dbs[i].keys), rfmt_count(n2, sizeof n2, pl->dbs[i].expires));
    fprintf(o, "keys: %s, with expiry: %s\n", rfmt_count(n1, sizeof n1, pl->keys),
            rfmt_count(n2, sizeof n2, pl->expires));
    if (st == RDB_OK) {
        bool bad = res->trailer.checksum == RDB_CHECKSUM_MISMATCH;
        fprintf(o, "checksum: %s%s%s", bad && col ? RED : "", checksum_text(res->trailer.checksum),
                bad && col ? RESET : "");
        if (res->trailer.checksum == RDB_CHECKSUM_OK || bad)
            fprintf(o, " (stored %016llx, computed %016llx)", (unsigned long long)res->trailer.stored_crc,
                    (unsigned long long)res->trailer.computed_crc);
        fputc('\n', o);
        if (in->compression)
            fprintf(o, "compression: %s, %s bytes stored, %s bytes decompressed\n", in->compression,
                    rfmt_count(n1, sizeof n1, in->size ? in->size : in->src->in_offset),
                    rfmt_count(n2, sizeof n2, res->input_bytes));
        if (tail->bytes) {
            fprintf(o, "trailing bytes: %s after the RDB (AOF command tail", rfmt_count(n1, sizeof n1, tail->bytes));
            if (tail->resp_ok) fprintf(o, ", %s commands", rfmt_count(n2, sizeof n2, tail->commands));
            fputs(")\n", o);
        }
        if (bad) fprintf(o, "status: %sINVALID: checksum mismatch%s\n", col ? RED : "", col ? RESET : "");
        else fprintf(o, "status: %svalid%s\n", col ? GREEN : "", col ? RESET : "");
    } else {
        fprintf(o, "error: offset %llu: %s\n", (unsigned long long)res->error.offset, res->error.message);
        fprintf(o, "status: %sINVALID%s (%s; %s keys read before the error)\n", col ? RED : "",
                col ? RESET : "", rdb_status_name(res->error.code), rfmt_count(n1, sizeof n1, pl->keys));
    }
    fputc('\n', o);
}

static void json_file(check_ctx *c, const char *path, const input *in, const pipeline *pl, rdb_status st,
                      const aof_tail *tail, const char *open_error) {
    FILE *o = c->out;
    fputs(c->files_done ? ",\n    {\"path\":" : "    {\"path\":", o);
    jstring(o, path);
    if (open_error) {
        fputs(",\"status\":\"unreadable\",\"error\":{\"offset\":null,\"code\":\"io\",\"message\":", o);
        jstring(o, open_error);
        fputs("}}", o);
        return;
    }
    const rdb_result *res = &pl->result;
    bool valid = st == RDB_OK && res->trailer.checksum != RDB_CHECKSUM_MISMATCH;
    fprintf(o, ",\"status\":\"%s\"", !res->have_header ? "unreadable" : valid ? "valid" : "invalid");
    if (res->have_header) {
        fputs(",\"magic\":", o);
        jstring(o, res->header.magic);
        fprintf(o, ",\"flavor\":\"%s\",\"rdb_version\":%u",
                res->header.flavor == RDB_FLAVOR_VALKEY ? "valkey" : "redis", res->header.version);
    } else {
        fputs(",\"magic\":null,\"flavor\":null,\"rdb_version\":null", o);
    }
    fputs(",\"aux\":{", o);
    for (size_t i = 0; i < pl->naux; i++) {
        if (i) fputc(',', o);
        jstring(o, pl->aux[i].key);
        fputc(':', o);
        jstring(o, pl->aux[i].value);
    }
    fprintf(o, "},\"functions\":%" PRIu64 ",\"module_aux\":%" PRIu64 ",\"dbs\":[", pl->functions,
            pl->module_aux);
    for (size_t i = 0; i < pl->ndbs; i++)
        fprintf(o, "%s{\"db\":%" PRIu64 ",\"keys\":%" PRIu64 ",\"expires\":%" PRIu64 "}", i ? "," : "",
                pl->dbs[i].db, pl->dbs[i].keys, pl->dbs[i].expires);
    fprintf(o, "],\"keys\":%" PRIu64 ",\"expires\":%" PRIu64, pl->keys, pl->expires);
    if (st == RDB_OK) {
        fprintf(o, ",\"checksum\":{\"status\":\"%s\",\"stored\":\"%016" PRIx64 "\",\"computed\":\"%016" PRIx64 "\"}",
                checksum_name(res->trailer.checksum), res->trailer.stored_crc, res->trailer.computed_crc);
    } else {
        fputs(",\"checksum\":null", o);
    }
    fprintf(o, ",\"rdb_bytes\":%" PRIu64, res->bytes_read);
    if (in->compression)
        fprintf(o, ",\"compression\":{\"format\":\"%s\",\"stored_bytes\":%" PRIu64 "}", in->compression,
                in->size ? in->size : in->src->in_offset);
    else
        fputs(",\"compression\":null", o);
    if (tail->bytes || in->kind == INPUT_AOF_MANIFEST) {
        fprintf(o, ",\"aof\":{\"tail_bytes\":%" PRIu64 ",\"tail_commands\":", tail->bytes);
        if (tail->resp_ok) fprintf(o, "%" PRIu64, tail->commands);
        else fputs("null", o);
        fprintf(o, ",\"incremental_files\":%" PRIu64 ",\"incremental_bytes\":%" PRIu64 "}", in->incr_files,
                in->incr_bytes);
    } else {
        fputs(",\"aof\":null", o);
    }
    if (st != RDB_OK) {
        fprintf(o, ",\"error\":{\"offset\":%" PRIu64 ",\"code\":\"%s\",\"message\":", res->error.offset,
                rdb_status_name(res->error.code));
        jstring(o, res->error.message);
        fputs("}", o);
    } else {
        fputs(",\"error\":null", o);
    }
    fputc('}', o);
}

static int check_one(check_ctx *c, const char *path) {
    input in;
    char err[512];
    const char *cmd = c->a->name;
    aof_tail tail = {0};
    if (input_open(path, &in, err, sizeof err) != 0) {
        fprintf(stderr, "rdblens %s: %s\n", cmd, err);
        if (c->json) json_file(c, path, NULL, NULL, RDB_ERR_IO, &tail, err);
        else if (!c->a->quiet) text_file(c, path, NULL, NULL, RDB_ERR_IO, &tail, err);
        c->files_done++;
        return EXIT_INVALID;
    }
    pipeline pl = {.verify = true, .accept_newer = c->a->accept_newer, .progress = progress_tick, .progress_ctx = &c->pg};
    progress_file_begin(&c->pg, path, in.src, in.size);
    rdb_status st = pipeline_run(&pl, &in);
    if (st == RDB_OK) aof_tail_count(&in, pl.result.bytes_read, pl.result.input_bytes, &tail);
    progress_file_end(&c->pg);
    if (c->json) json_file(c, path, &in, &pl, st, &tail, NULL);
    else if (!c->a->quiet) text_file(c, path, &in, &pl, st, &tail, NULL);
    c->files_done++;
    int rc = pl.result.have_header ? cli_run_outcome(cmd, path, &pl, st, "checked up to there")
                                   : cli_unreadable(c->a, path, &pl);
    pipeline_free(&pl);
    input_close(&in);
    return rc;
}

int cmd_check(int argc, char **argv) {
    cli_args a;
    int rc = cli_parse(CMD_CHECK, argc, argv, &a);
    if (rc >= 0) return rc;
    cli_out out;
    if ((rc = cli_out_open(&out, "check", a.output)) != 0) {
        cli_args_free(&a);
        return rc;
    }
    check_ctx c = {.a = &a, .out = out.f, .json = !strcmp(a.format, "json")};
    progress_init(&c.pg, progress_wanted(a.progress), (size_t)a.nfiles, cli_total_size(a.files, a.nfiles));
    if (c.json) fputs("{\"schema_version\":1,\"files\":[\n", out.f);
    for (int i = 0; i < a.nfiles && !cli_out_error(&out); i++)
        if (check_one(&c, a.files[i]) != EXIT_VALID) rc = EXIT_INVALID;
    if (rc < 0) rc = EXIT_VALID;
    if (c.json) fprintf(out.f, "\n  ],\n  \"valid\":%s}\n", rc == EXIT_VALID ? "true" : "false");
    int orc = cli_out_close(&out, true);
    cli_args_free(&a);
    return orc ? orc : rc;
}
