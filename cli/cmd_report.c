/* cmd_report.c: `rdblens report`: one report over one or more dumps (all
 * shards of a cluster, say), in bounded memory. Parser -> model -> key
 * records -> aggregate (analyze/agg.h) -> renderer (report/report.h). */
#include <errno.h>
#include <stdint.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "analyze/agg.h"
#include "cli/cli.h"
#include "cli/reread.h"
#include "report/report.h"

static void report_usage(FILE *out) {
    fputs("usage: rdblens report [options] FILE...\n"
          "\n"
          "Memory report of one dump, or of several combined (e.g. every shard of a\n"
          "cluster; per-file totals are kept): totals, per db / type / encoding, top keys,\n"
          "TTL buckets, key prefixes and findings.\n"
          "\n"
          "output:\n"
          "  --format text|json|md   (default text)\n"
          "  -o, --output FILE       write the report to FILE\n"
          "  --top N                 keys / prefixes kept per table (default 50)\n"
          "  --rows N                rows shown per text/md table (default 20; 0 = all)\n"
          "  --color never|always|auto\n"
          "prefixes:\n"
          "  --separators CHARS      prefix separators (default \":\")\n"
          "  --prefix-depth N        prefix tree depth (default 3)\n"
          "  --prefix-budget N       live prefix nodes before the smallest merge into\n"
          "                          (other) (default 200000)\n"
          "memory model and time:\n"
          "  --profile NAME          server line to predict for (rdblens profiles)\n"
          "  --config KEY=VALUE      encoding thresholds of the target server (repeatable)\n"
          "  --now EPOCH_S           reference time for TTLs (default: the dump's ctime\n"
          "                          aux, else its file mtime)\n"
          "filters:\n"
          "  --db N  --type T  --match GLOB  --min-bytes N\n"
          "findings:\n"
          "  --big-bytes N           big-key memory threshold (default 10 MiB)\n"
          "  --big-elements N        big-key element threshold (default 10000)\n"
          "speed:\n"
          "  --walk-all              walk every packed blob (slower). By default blobs whose\n"
          "                          header gives their size and count are not walked, and\n"
          "                          the keys the report shows are re-read for their exact\n"
          "                          largest element; the report is the same either way.\n"
          "                          Standard input and pipes are always walked whole.\n"
          "\n"
          "Exit: 0 ok, 1 a dump is corrupt or truncated (the report covers what was read\n"
          "and says where it stopped), 2 usage.\n",
          out);
}

enum {
    OPT_FORMAT = 2000, OPT_TOP, OPT_ROWS, OPT_COLOR, OPT_SEPS, OPT_DEPTH, OPT_BUDGET,
    OPT_DB, OPT_TYPE, OPT_MATCH, OPT_MIN_BYTES, OPT_BIG_BYTES, OPT_BIG_ELEMENTS, OPT_WALK_ALL,
};

/* run_file's answer when a shallow run must be given up (see cmd_report) */
#define RUN_RETRY (-1)

static int parse_u64(const char *arg, uint64_t *out, const char *opt) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || *end || end == arg || arg[0] == '-') {
        fprintf(stderr, "rdblens report: %s takes a non-negative integer, got '%s'\n", opt, arg);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_kind(const char *arg, rdb_kind *out) {
    for (int k = 0; k < RDB_KIND_COUNT_; k++)
        if (!strcmp(arg, rdb_kind_name((rdb_kind)k))) {
            *out = (rdb_kind)k;
            return 0;
        }
    fprintf(stderr, "rdblens report: unknown --type '%s' (string, list, set, zset, hash, stream, module)\n", arg);
    return -1;
}

/* Per-file state: the aggregate learns a file's header, aux fields and
 * reference time before its first key, since TTL buckets depend on them. */
typedef struct report_run {
    agg *a;
    pipeline *pl;
    bool file_started;
    size_t aux_sent;
} report_run;

static const char *basis_name(const char *from) {
    if (!strcmp(from, "--now")) return "option";
    if (!strcmp(from, "ctime aux")) return "ctime";
    if (!strcmp(from, "file mtime")) return "mtime";
    return "none";
}

static void flush_file_facts(report_run *r) {
    pipeline *pl = r->pl;
    if (!r->file_started) {
        if (pl->result.have_header || pl->header.version) agg_file_header(r->a, &pl->header);
        r->file_started = true;
    }
    for (; r->aux_sent < pl->naux; r->aux_sent++) {
        const pipe_aux *x = &pl->aux[r->aux_sent];
        agg_file_aux(r->a, (const uint8_t *)x->key, strlen(x->key), (const uint8_t *)x->value,
                     strlen(x->value));
    }
}

static void report_sink(void *ctx, const key_record *rec) {
    report_run *r = ctx;
    if (!r->file_started) {
        flush_file_facts(r);
        if (r->pl->reference_ms >= 0)
            agg_file_reference(r->a, r->pl->reference_ms, basis_name(r->pl->reference_from));
        /* The model exists by the first key (its profile may come from this
         * file's redis-ver); the findings judge this file's keys against the
         * limits the model encoded them by. Out of memory is recorded in the
         * aggregate, which marks the report partial. */
        if (r->pl->model) {
            enc_limits lim;
            model_enc_limits(r->pl->model, &lim);
            agg_file_enc_limits(r->a, &lim);
        }
    }
    agg_add(r->a, rec);
}

/* One input into the aggregate. With shallow_max > 0 (a shallow run) the
 * records of a regular file that the aggregate keeps get their exact
 * largest afterwards (reread.h), and anything short of a clean read (the
 * input cannot be opened, a parse error, a checksum mismatch, a failed
 * re-read) returns RUN_RETRY before printing anything: such a file may be
 * corrupt inside a blob the shallow parse did not walk, where a full walk
 * stops, so the caller redoes the report walking everything, which prints
 * exactly what it always printed. */
static int run_file(agg *a, const char *path, const model_opts *mo, const char **profile_name,
                    uint64_t shallow_max) {
    input in;
    char err[512];
    if (input_open(path, &in, err, sizeof err) != 0) {
        if (shallow_max) return RUN_RETRY;
        fprintf(stderr, "rdblens: %s\n", err);
        agg_begin_file(a, path, 0, -1);
        rdb_result res = {0};
        res.error.code = RDB_ERR_IO;
        snprintf(res.error.message, sizeof res.error.message, "%.300s", err);
        agg_file_result(a, &res);
        return EXIT_INVALID;
    }
    agg_begin_file(a, path, in.size, in.mtime_s ? in.mtime_s * 1000 : -1);
    pipeline pl = {0};
    model_opts_apply(mo, &pl);
    report_run r = {.a = a, .pl = &pl};
    pl.sink = report_sink;
    pl.sink_ctx = &r;
    pl.shallow_max = in.regular ? shallow_max : 0;
    rdb_status st = pipeline_run(&pl, &in);
    bool clean = st == RDB_OK && pl.result.trailer.checksum != RDB_CHECKSUM_MISMATCH;
    if (shallow_max && (!clean || (pl.shallow_max &&
                                   reread_inexact(a, &in, &pl.header, err, sizeof err) != 0))) {
        pipeline_free(&pl);
        input_close(&in);
        return RUN_RETRY;
    }
    model_totals totals;
    pipeline_totals(&pl, &totals);
    flush_file_facts(&r);
    agg_file_functions(a, pl.functions);
    agg_file_result(a, &pl.result);
    if (pl.have_totals) agg_file_predicted_used_memory(a, totals.predicted_used_memory);
    if (pl.profile_used && !*profile_name) *profile_name = model_profile_name(pl.profile_used);
    int rc = cli_run_outcome(path, &pl, st, "the report covers only what was read");
    pipeline_free(&pl);
    input_close(&in);
    return rc;
}

/* A shallow run needs every input re-readable by offset, and readable
 * again from its start should the run be redone: regular files, or AOF
 * directories (whose base file is one); not stdin, pipes or devices. */
static bool all_rereadable(char **paths, int n) {
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (!strcmp(paths[i], "-") || stat(paths[i], &st) != 0) return false;
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return false;
    }
    return true;
}

/* Every input into a new aggregate; *rc gets the exit code. NULL when out
 * of memory, or (shallow run) when the run must be redone walking all. */
static agg *run_all(const agg_options *ao, const model_opts *mo, char **paths, int n,
                    uint64_t shallow_max, const char **profile, int *rc) {
    agg *a = agg_new(ao);
    if (!a) return NULL;
    *rc = EXIT_VALID;
    *profile = mo->profile ? model_profile_name(mo->profile) : NULL;
    for (int i = 0; i < n; i++) {
        int r = run_file(a, paths[i], mo, profile, shallow_max);
        if (r == RUN_RETRY) {
            agg_free(a);
            return NULL;
        }
        if (r != EXIT_VALID) *rc = EXIT_INVALID;
    }
    return a;
}

int cmd_report(int argc, char **argv) {
    static const struct option opts[] = {
        {"format", required_argument, 0, OPT_FORMAT}, {"output", required_argument, 0, 'o'},
        {"top", required_argument, 0, OPT_TOP}, {"rows", required_argument, 0, OPT_ROWS},
        {"color", required_argument, 0, OPT_COLOR}, {"separators", required_argument, 0, OPT_SEPS},
        {"prefix-depth", required_argument, 0, OPT_DEPTH},
        {"prefix-budget", required_argument, 0, OPT_BUDGET},
        {"profile", required_argument, 0, OPT_PROFILE}, {"config", required_argument, 0, OPT_CONFIG},
        {"now", required_argument, 0, OPT_NOW}, {"db", required_argument, 0, OPT_DB},
        {"type", required_argument, 0, OPT_TYPE}, {"match", required_argument, 0, OPT_MATCH},
        {"min-bytes", required_argument, 0, OPT_MIN_BYTES},
        {"big-bytes", required_argument, 0, OPT_BIG_BYTES},
        {"big-elements", required_argument, 0, OPT_BIG_ELEMENTS},
        {"walk-all", no_argument, 0, OPT_WALK_ALL},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    agg_options ao;
    agg_options_init(&ao);
    report_options ro;
    report_options_init(&ro);
    model_opts mo = {0};
    const char *out_path = NULL;
    uint64_t v;
    int c, bad = 0;
    bool walk_all = false;
    optind = 1;
    while (!bad && (c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': report_usage(stdout); model_opts_free(&mo); return EXIT_VALID;
        case 'o': out_path = optarg; break;
        case OPT_FORMAT:
            if (report_parse_format(optarg, &ro.format) < 0) {
                fprintf(stderr, "rdblens report: unknown format '%s' (text, json, md)\n", optarg);
                bad = 1;
            }
            break;
        case OPT_COLOR:
            if (report_parse_color(optarg, &ro.color) < 0) {
                fprintf(stderr, "rdblens report: --color takes never, always or auto\n");
                bad = 1;
            }
            break;
        case OPT_TOP: bad = parse_u64(optarg, &v, "--top") || v == 0; ao.top_n = (size_t)v; break;
        case OPT_ROWS: bad = parse_u64(optarg, &v, "--rows"); ro.rows = v ? (size_t)v : SIZE_MAX; break;
        case OPT_SEPS:
            if (!optarg[0]) { fputs("rdblens report: --separators needs at least one character\n", stderr); bad = 1; }
            ao.separators = optarg;
            break;
        case OPT_DEPTH: bad = parse_u64(optarg, &v, "--prefix-depth") || v == 0 || v > 64; ao.prefix_depth = (unsigned)v; break;
        case OPT_BUDGET: bad = parse_u64(optarg, &v, "--prefix-budget") || v < 16; ao.prefix_budget = (size_t)v; break;
        case OPT_DB: bad = parse_u64(optarg, &ao.db, "--db"); ao.has_db = true; break;
        case OPT_TYPE: bad = parse_kind(optarg, &ao.type); ao.has_type = true; break;
        case OPT_MATCH: ao.match = optarg; break;
        case OPT_MIN_BYTES: bad = parse_u64(optarg, &ao.min_bytes, "--min-bytes"); break;
        case OPT_BIG_BYTES: bad = parse_u64(optarg, &ao.th.big_bytes, "--big-bytes"); break;
        case OPT_BIG_ELEMENTS: bad = parse_u64(optarg, &ao.th.big_elements, "--big-elements"); break;
        case OPT_WALK_ALL: walk_all = true; break;
        case OPT_PROFILE: case OPT_CONFIG: case OPT_NOW:
            bad = model_opts_parse(&mo, c, optarg, "report") != 0;
            break;
        default: bad = 1; break;
        }
    }
    if (bad || optind >= argc) {
        if (!bad) report_usage(stderr);
        else fputs("rdblens report: see rdblens report --help\n", stderr);
        model_opts_free(&mo);
        return EXIT_USAGE;
    }
    if (mo.has_now) {
        ao.has_now = true;
        ao.now_ms = mo.now_ms;
    }
    FILE *out = stdout;
    if (out_path && !(out = fopen(out_path, "w"))) {
        fprintf(stderr, "rdblens report: cannot write %s: %s\n", out_path, strerror(errno));
        model_opts_free(&mo);
        return EXIT_USAGE;
    }
    /* Shallow first when it can work (see run_file); a run given up is
     * redone walking everything, so a report never shows an inexact
     * largest and a damaged file fails exactly as it always did. */
    uint64_t shallow_max = agg_find_shallow_max(&ao.th);
    if (walk_all || !all_rereadable(argv + optind, argc - optind)) shallow_max = 0;
    int rc = EXIT_VALID;
    const char *profile = NULL;
    agg *a = NULL;
    if (shallow_max) a = run_all(&ao, &mo, argv + optind, argc - optind, shallow_max, &profile, &rc);
    if (!a) a = run_all(&ao, &mo, argv + optind, argc - optind, 0, &profile, &rc);
    if (!a) {
        fputs("rdblens report: out of memory\n", stderr);
        if (out != stdout) fclose(out);
        model_opts_free(&mo);
        return EXIT_INVALID;
    }
    if (profile) agg_set_profile(a, profile);
    const agg_summary *s = agg_finish(a);
    if (!s || report_render(out, s, &ro) != 0 || fflush(out) != 0) {
        fprintf(stderr, "rdblens report: %s\n", s ? "writing the report failed" : "out of memory");
        rc = EXIT_INVALID;
    }
    if (out != stdout) fclose(out);
    agg_free(a);
    model_opts_free(&mo);
    return rc;
}
