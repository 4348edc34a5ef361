/* cmd_report.c: `rdblens report`: one report over one or more dumps (all
 * shards of a cluster, say), in bounded memory. Parser -> model -> key
 * records -> aggregate (analyze/agg.h) -> renderer (report/report.h). */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>
#include "analyze/agg.h"
#include "analyze/slotmap.h"
#include "analyze/agg_merge.h"
#include "cli/aoftail.h"
#include "cli/cli.h"
#include "cli/collect.h"
#include "cli/opt.h"
#include "cli/output.h"
#include "cli/recqueue.h"
#include "cli/reread.h"
#include "report/report.h"

/* run_file's answer when a shallow run must be given up (see cmd_report) */
#define RUN_RETRY (-1)

/* The record queue between the two threads (--threads 2): about 10,000
 * records of a typical dump in flight, a few MiB at most. */
#define REPORT_RING_BYTES (2u << 20)

/* Per-file state: the aggregate learns a file's header, aux fields and
 * reference time before its first key, since TTL buckets depend on them. */
typedef struct report_run {
    agg *a;
    pipeline *pl;
    recq *q;              /* the aggregating thread, or NULL: in line */
    bool file_started;
    size_t aux_sent;
    const report_tap *tap;
    uint64_t expected;          /* the resize hint last passed to tap->expect */
    const input *in;
    reread_early *early;        /* with the queue and a shallow parse (reread.h) */
} report_run;

static const char *basis_name(const char *from) {
    if (!strcmp(from, "--now")) return "option";
    if (!strcmp(from, "ctime aux")) return "ctime";
    if (!strcmp(from, "file mtime")) return "mtime";
    if (!strcmp(from, "current time")) return "now";
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

/* A record as the aggregating thread takes it: a heavy key the tables
 * just took, which the parse did not walk whole, is handed to the early
 * re-reader (reread.h). Keys under 16 KiB are left to the end, where they
 * cost little. */
#define EARLY_MIN_BYTES (16u << 10)

static int agg_consume(void *ctx, const key_record *rec) {
    report_run *r = ctx;
    agg_add(r->a, rec);
    if (r->early && !rec->largest_exact && rec->bytes >= EARLY_MIN_BYTES && agg_last_taken_by_bytes(r->a))
        reread_early_offer(r->early, rec);
    return 0;
}

static int report_sink(void *ctx, const key_record *rec) {
    report_run *r = ctx;
    if (!r->file_started) {
        if (r->q) recq_drain(r->q);   /* the aggregate is ours until the next push */
        /* (set before the first push, which publishes it to the consumer) */
        if (r->q && r->pl->shallow_max) r->early = reread_early_start(r->in, &r->pl->header);
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
            /* cluster mode: the model sums the slots, taken whole at the end */
            if (model_cluster_slots(r->pl->model)) agg_file_cluster_model_sums(r->a);
        }
    }
    if (r->tap && r->tap->expect && r->pl->resize_keys != r->expected) {
        r->expected = r->pl->resize_keys;
        r->tap->expect(r->tap->ctx, r->expected);
    }
    if (r->q) {   /* never with a tap: the tap must see what the aggregate kept, at once */
        recq_push(r->q, rec);
        return 0;
    }
    uint64_t before = agg_keys_seen(r->a);
    agg_add(r->a, rec);
    if (r->tap && agg_keys_seen(r->a) != before && r->tap->fn(r->tap->ctx, rec) < 0) return -1;
    return 0;
}

typedef struct report_job {
    const cli_args *args;
    progress pg;
    agg *a;
    unsigned threads;           /* 2: aggregate on a second thread */
    const char *profile;        /* the first file's, for the header */
    size_t readable;            /* files with at least a header */
    bool notes;                 /* print errors now (a run that will not be redone) */
    const char **ref_from;      /* per file: the reference time's basis, noted at the end */
    int64_t *ref_ms;
    const report_tap *tap;      /* also gets every record the aggregate takes */
} report_job;

static void record_aof(agg *a, const input *in, const rdb_result *res) {
    aof_tail t;
    aof_tail_count(in, res->bytes_read, res->input_bytes, &t);
    /* (a compressed stream's size is its compressed bytes: agg_file_compression) */
    if (in->kind == INPUT_STDIN && !in->compression) agg_file_size(a, res->bytes_read + t.bytes);
    /* bytes after a parse that stopped early are the rest of the RDB, not an AOF tail */
    if (res->error.code != RDB_OK && in->kind != INPUT_AOF_MANIFEST) return;
    if (!t.bytes && in->kind != INPUT_AOF_MANIFEST) return;
    agg_aof x = {.present = true, .tail_bytes = t.bytes, .tail_commands = t.commands,
                 .tail_commands_known = t.resp_ok, .incr_files = t.incr_files,
                 .incr_bytes = t.incr_bytes, .incr_commands = t.incr_commands,
                 .incr_commands_known = t.incr_resp_ok};
    agg_file_aof(a, &x);
}

/* One input into the aggregate. With shallow_max > 0 (a shallow run) the
 * records of a regular file that the aggregate keeps get their exact
 * largest afterwards (reread.h), and anything short of a clean read (the
 * input cannot be opened, a parse error, a checksum mismatch, a failed
 * re-read) returns RUN_RETRY before printing anything: such a file may be
 * corrupt inside a blob the shallow parse did not walk, where a full walk
 * stops, so the caller redoes the report walking everything, which prints
 * exactly what it always printed. */
static int run_file(report_job *j, int i, uint64_t shallow_max) {
    const char *path = j->args->files[i];
    const cli_args *args = j->args;
    agg *a = j->a;
    input in;
    char err[512];
    if (input_open(path, &in, err, sizeof err) != 0) {
        if (shallow_max) return RUN_RETRY;
        if (j->notes) fprintf(stderr, "rdblens report: %s\n", err);
        agg_begin_file(a, path, 0, -1);
        rdb_result res = {0};
        res.error.code = RDB_ERR_IO;
        snprintf(res.error.message, sizeof res.error.message, "%.300s", err);
        agg_file_result(a, &res);
        return EXIT_INVALID;
    }
    agg_begin_file(a, path, in.size, in.mtime_s ? in.mtime_s * 1000 : -1);
    progress_file_begin(&j->pg, path, in.src, in.size);
    pipeline pl = {.progress = progress_tick, .progress_ctx = &j->pg};
    model_opts_apply(&args->model, &pl);
    report_run r = {.a = a, .pl = &pl, .tap = j->tap, .in = &in};
    pl.sink = report_sink;
    pl.sink_ctx = &r;
    /* A compressed file is walked whole: re-reading its shown keys would
     * decompress it a second time, which costs more than the walk saves
     * (README, "Compressed inputs and progress"). */
    pl.shallow_max = in.regular && !in.compression ? shallow_max : 0;
    pl.accept_newer = args->accept_newer;
    if (j->threads > 1 && !j->tap) r.q = recq_start(agg_consume, &r, REPORT_RING_BYTES);
    pl.checksum_thread = r.q != NULL;
    rdb_status st = pipeline_run(&pl, &in);
    recq_stop(r.q);   /* every record aggregated, the thread gone */
    reread_early_stop(r.early);
    bool clean = st == RDB_OK && pl.result.trailer.checksum != RDB_CHECKSUM_MISMATCH;
    reread_stats rs = {0};
    bool retry = shallow_max && (!clean || (pl.shallow_max &&
                                            reread_inexact(a, &in, &pl.header, j->threads, r.early, &rs,
                                                           err, sizeof err) != 0));
    reread_early_free(r.early);
    /* for tests/scripts/heavy.sh: whether the early re-reads happened */
    if (rs.kept && getenv("RDBLENS_TRACE_REREAD"))
        fprintf(stderr, "rdblens: re-read %zu kept keys of %s, %zu of them early\n", rs.kept, path, rs.early);
    progress_file_end(&j->pg);
    if (retry) {
        pipeline_free(&pl);
        input_close(&in);
        return RUN_RETRY;
    }
    /* from standard input, the compressed size is known once it is read */
    if (in.compression) agg_file_compression(a, in.compression, in.size ? in.size : in.src->in_offset);
    model_totals totals;
    pipeline_totals(&pl, &totals);
    flush_file_facts(&r);
    agg_file_functions(a, pl.functions);
    agg_file_result(a, &pl.result);
    if (pl.result.have_header) record_aof(a, &in, &pl.result);
    if (pl.have_totals && pl.result.have_header) {
        agg_memory m = {.used_memory = totals.predicted_used_memory, .startup = totals.startup_memory,
                        .keys = totals.keys_ram, .tables = totals.tables_ram,
                        .functions = totals.functions_ram, .modules = totals.modules_ram,
                        .templates = totals.templates_ram, .memory_usage = totals.usage_sum,
                        .keys_loaded = totals.keys_loaded, .keys_not_loaded = totals.keys_expired,
                        .bytes_not_loaded = totals.bytes_expired};
        agg_file_memory(a, &m);
        for (size_t h = 0; h < totals.nhints; h++) {
            const model_config_hint *x = &totals.hints[h];
            agg_hint ah = {x->directive, x->value, x->keys, x->saving, x->sign};
            agg_file_hint(a, &ah);
        }
    }
    if (pl.profile_used && pl.result.have_header)
        agg_file_profile(a, model_profile_name(pl.profile_used),
                         args->model.profile               ? "--profile"
                         : pipeline_aux(&pl, "valkey-ver") ? "valkey-ver"
                         : pipeline_aux(&pl, "redis-ver")  ? "redis-ver"
                                                           : "rdb version");
    const char *cluster = pl.result.have_header ? pipeline_cluster_reason(&pl) : NULL;
    if (cluster)
        agg_file_cluster(a, cluster, totals.functions_ram,
                         pl.model ? model_cluster_other_db_keys(pl.model) : 0,
                         pl.model ? model_cluster_slots(pl.model) : NULL);
    int rc;
    if (!pl.result.have_header) {
        rc = j->notes ? cli_unreadable(args, path, &pl) : EXIT_INVALID;
    } else {
        j->readable++;
        if (pl.profile_used && !j->profile) j->profile = model_profile_name(pl.profile_used);
        rc = j->notes ? cli_run_outcome("report", path, &pl, st, "the report covers only what was read")
                      : EXIT_VALID;
    }
    if (pl.result.have_header) {
        j->ref_from[i] = pl.reference_from;
        j->ref_ms[i] = pl.reference_ms;
    }
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

/* Every input into a new aggregate; returns the exit code, or RUN_RETRY
 * (shallow run given up), or -2 when out of memory. */
static int run_all(report_job *j, const agg_options *ao, uint64_t shallow_max) {
    j->a = agg_new(ao);
    if (!j->a) return -2;
    j->profile = j->args->model.profile ? model_profile_name(j->args->model.profile) : NULL;
    j->readable = 0;
    j->notes = !shallow_max;
    progress_init(&j->pg, progress_wanted(j->args->progress), (size_t)j->args->nfiles,
                  cli_total_size(j->args->files, j->args->nfiles));
    int rc = EXIT_VALID;
    for (int i = 0; i < j->args->nfiles; i++) {
        j->ref_from[i] = NULL;
        int r = run_file(j, i, shallow_max);
        if (r == RUN_RETRY) {
            agg_free(j->a);
            j->a = NULL;
            if (j->tap && j->tap->restart) j->tap->restart(j->tap->ctx);
            return RUN_RETRY;
        }
        if (r != EXIT_VALID) rc = EXIT_INVALID;
    }
    return rc;
}

void report_agg_options(const cli_args *args, agg_options *ao) {
    agg_options_init(ao);
    ao->top_n = (size_t)args->top;
    ao->separators = args->separators;
    ao->prefix_depth = (unsigned)args->prefix_depth;
    ao->prefix_budget = (size_t)args->prefix_budget;
    ao->filter = args->filter;  /* the aggregate copies it */
    ao->config = args->config_args;
    ao->nconfig = args->nconfig;
    ao->th.big_bytes = args->big_bytes;
    ao->th.big_elements = args->big_elements;
    if (args->model.has_now) {
        ao->has_now = true;
        ao->now_ms = args->model.now_ms;
    }
}

static void options_from_args(const cli_args *args, agg_options *ao, report_options *ro) {
    report_agg_options(args, ao);
    report_options_init(ro);
    report_parse_format(args->format, &ro->format);
    ro->rows = args->rows ? (size_t)args->rows : SIZE_MAX;
    ro->color = args->color ? REPORT_COLOR_ALWAYS : REPORT_COLOR_NEVER;
}

static int cluster_usage(const char *msg) {
    fprintf(stderr, "rdblens report: %s\ntry 'rdblens report --help'\n", msg);
    return EXIT_USAGE;
}

/* --shards / --slot-map / --maxmemory: the layout (into *map, and its
 * description into source), and cluster mode they imply. */
static int cluster_layout(cli_args *args, slotmap *map, char *source, size_t cap) {
    if (args->shards && args->slot_map)
        return cluster_usage("--shards and --slot-map are two ways to give the layout: pick one");
    if (args->maxmemory && !args->shards && !args->slot_map)
        return cluster_usage("--maxmemory is per shard: give --shards N or --slot-map FILE");
    if (!args->shards && !args->slot_map) return 0;
    if (!args->model.cluster) {
        args->model.cluster_why = args->shards ? "--shards (implies --cluster)"
                                               : "--slot-map (implies --cluster)";
        if (model_opts_parse(&args->model, OPT_CLUSTER, NULL, "report") != 0) return EXIT_USAGE;
    }
    if (args->shards) {
        snprintf(source, cap, "--shards %llu: contiguous ranges as redis-cli --cluster create",
                 (unsigned long long)args->shards);
        if (slotmap_even(map, (unsigned)args->shards) == 0) return 0;
        fputs("rdblens report: out of memory\n", stderr);
        return EXIT_INVALID;
    }
    /* a saved CLUSTER NODES of a thousand nodes is a few hundred KiB */
    snprintf(source, cap, "--slot-map %s", args->slot_map);
    FILE *f = fopen(args->slot_map, "rb");
    if (!f) {
        fprintf(stderr, "rdblens report: --slot-map %s: %s\n", args->slot_map, strerror(errno));
        return EXIT_USAGE;
    }
    enum { MAX_MAP = 16 << 20 };
    char *text = malloc(MAX_MAP);
    size_t n = text ? fread(text, 1, MAX_MAP, f) : 0;
    bool toolong = text && n == MAX_MAP && fgetc(f) != EOF;
    bool failed = !text || ferror(f);
    fclose(f);
    char err[256];
    int rc = EXIT_USAGE;
    if (failed) fprintf(stderr, "rdblens report: --slot-map %s: cannot read it\n", args->slot_map);
    else if (toolong) fprintf(stderr, "rdblens report: --slot-map %s: over 16 MiB, not a slot map\n", args->slot_map);
    else if (slotmap_parse(map, text, n, err, sizeof err) != 0)
        fprintf(stderr, "rdblens report: --slot-map %s: %s\n", args->slot_map, err);
    else rc = 0;
    free(text);
    return rc;
}

/* --threads, else two threads when this process may run on two CPUs or more. */
static unsigned threads_wanted(const cli_args *args) {
    if (args->threads) return (unsigned)args->threads;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set) >= 2 ? 2 : 1;
    return 1;
}

int report_collect(const cli_args *args, const agg_options *ao, const report_tap *tap, agg **out,
                   const char **profile) {
    *out = NULL;
    size_t nfiles = args->nfiles > 0 ? (size_t)args->nfiles : 1;
    uint64_t shallow_max = agg_find_shallow_max(&ao->th);
    if (args->walk_all || !all_rereadable(args->files, args->nfiles)) shallow_max = 0;
    report_job j = {.args = args, .ref_from = calloc(nfiles, sizeof *j.ref_from),
                    .ref_ms = calloc(nfiles, sizeof *j.ref_ms), .tap = tap,
                    .threads = tap ? 1 : threads_wanted(args)};
    int rc = j.ref_from && j.ref_ms ? RUN_RETRY : -2;
    if (shallow_max && rc == RUN_RETRY) rc = run_all(&j, ao, shallow_max);
    if (rc == RUN_RETRY) rc = run_all(&j, ao, 0);
    if (rc != -2) {
        for (int i = 0; i < args->nfiles; i++)
            cli_note_reference(args, args->files[i], j.ref_from[i], j.ref_ms[i]);
        if (j.readable == 0) {
            agg_free(j.a);
            j.a = NULL;
            rc = EXIT_INVALID;
        }
    }
    free(j.ref_from);
    free(j.ref_ms);
    *out = j.a;
    if (profile) *profile = j.profile;
    return rc;
}

/* ---- -j N: one aggregate per file, on N threads, folded in file order ----
 *
 * Each worker takes the next file, analyses it into an aggregate of its
 * own (shallow first, redone walking everything if it must be, as run_all
 * does for all files), then waits until every earlier file is folded in
 * and folds its own into the result (agg_absorb). Folding in file order
 * gives every key the arrival number a single run gives it, so the report
 * is the -j 1 report (agg_merge.h says why, and when prefixes may differ:
 * a prefix table over its budget). At most N per-file aggregates exist at
 * once, besides the result. */

typedef struct par_run {
    const cli_args *args;
    const agg_options *ao;
    uint64_t shallow_max;
    const char **ref_from;
    int64_t *ref_ms;
    pthread_mutex_t mu;
    pthread_cond_t turn;
    int next_file, next_fold;
    agg *acc;
    int rc;
    size_t readable;
    const char *profile;
    bool oom;
} par_run;

static int one_file(par_run *p, int i, agg **out, report_job *j) {
    *j = (report_job){.args = p->args, .ref_from = p->ref_from, .ref_ms = p->ref_ms};
    for (uint64_t shallow = p->shallow_max;; shallow = 0) {
        j->a = agg_new(p->ao);
        if (!j->a) return -2;
        j->profile = p->args->model.profile ? model_profile_name(p->args->model.profile) : NULL;
        j->readable = 0;
        j->notes = !shallow;
        p->ref_from[i] = NULL;
        int r = run_file(j, i, shallow);
        if (r != RUN_RETRY) {
            *out = j->a;
            return r;
        }
        agg_free(j->a);
        if (!shallow) return -2;  /* not reached: a full walk never asks to retry */
    }
}

static void *par_worker(void *arg) {
    par_run *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        int i = p->next_file++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->args->nfiles) return NULL;
        agg *a = NULL;
        report_job j;
        int r = one_file(p, i, &a, &j);
        const agg_summary *s = a ? agg_finish(a) : NULL;
        pthread_mutex_lock(&p->mu);
        while (p->next_fold != i) pthread_cond_wait(&p->turn, &p->mu);
        if (!s || agg_absorb(p->acc, s) < 0) p->oom = true;
        if (r != EXIT_VALID) p->rc = EXIT_INVALID;
        p->readable += j.readable;
        if (!p->profile) p->profile = j.profile;
        p->next_fold++;
        pthread_cond_broadcast(&p->turn);
        pthread_mutex_unlock(&p->mu);
        agg_free(a);
    }
}

/* Like run_all, on args->jobs threads. */
static int run_parallel(report_job *j, const agg_options *ao, uint64_t shallow_max) {
    par_run p = {.args = j->args, .ao = ao, .shallow_max = shallow_max, .ref_from = j->ref_from,
                 .ref_ms = j->ref_ms, .rc = EXIT_VALID};
    p.acc = agg_new(ao);
    if (!p.acc) return -2;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.turn, NULL);
    size_t n = (size_t)j->args->jobs;
    if (n > (size_t)j->args->nfiles) n = (size_t)j->args->nfiles;
    pthread_t *t = calloc(n, sizeof *t);
    size_t started = 0;
    for (; t && started < n; started++)
        if (pthread_create(&t[started], NULL, par_worker, &p) != 0) break;
    if (started == 0) par_worker(&p);   /* no thread could start: do it here */
    for (size_t i = 0; i < started; i++) pthread_join(t[i], NULL);
    free(t);
    pthread_cond_destroy(&p.turn);
    pthread_mutex_destroy(&p.mu);
    j->a = p.acc;
    j->readable = p.readable;
    j->profile = p.profile;
    if (p.oom) {
        agg_free(p.acc);
        j->a = NULL;
        return -2;
    }
    return p.rc;
}

int cmd_report(int argc, char **argv) {
    cli_args args;
    int rc = cli_parse(CMD_REPORT, argc, argv, &args);
    if (rc >= 0) return rc;
    slotmap map = {0};
    char shards_source[96 + PATH_MAX];
    if ((rc = cluster_layout(&args, &map, shards_source, sizeof shards_source)) != 0) {
        cli_args_free(&args);
        return rc;
    }
    agg_options ao;
    report_options ro;
    options_from_args(&args, &ao, &ro);
    ao.cluster.enabled = args.model.cluster;
    ao.cluster.maxmemory = args.maxmemory;
    if (map.nshards) {
        ao.cluster.shards = &map;
        ao.cluster.shards_source = shards_source;
    }
    size_t nfiles = args.nfiles > 0 ? (size_t)args.nfiles : 1;
    char nonce[40];
    if (ro.format == REPORT_HTML) {
        ao.tree_nodes = REPORT_HTML_TREE_NODES;  /* the treemap's nodes */
        const char *n = cli_html_nonce(nonce, sizeof nonce);
        if (n) ro.html_nonce = n;
    }

    /* Shallow first when it can work (see run_file); a run given up is
     * redone walking everything, so a report never shows an inexact
     * largest and a damaged file fails exactly as it always did. */
    uint64_t shallow_max = agg_find_shallow_max(&ao.th);
    if (args.walk_all || !all_rereadable(args.files, args.nfiles)) shallow_max = 0;
    report_job j = {.args = &args, .ref_from = calloc(nfiles, sizeof *j.ref_from),
                    .ref_ms = calloc(nfiles, sizeof *j.ref_ms), .threads = threads_wanted(&args)};
    rc = j.ref_from && j.ref_ms ? RUN_RETRY : -2;
    if (rc == RUN_RETRY && args.jobs > 1 && args.nfiles > 1) {
        rc = run_parallel(&j, &ao, shallow_max);
    } else {
        if (shallow_max && rc == RUN_RETRY) rc = run_all(&j, &ao, shallow_max);
        if (rc == RUN_RETRY) rc = run_all(&j, &ao, 0);
    }
    if (rc == -2) {
        fputs("rdblens report: out of memory\n", stderr);
        free(j.ref_from);
        free(j.ref_ms);
        slotmap_free(&map);
        cli_args_free(&args);
        return EXIT_INVALID;
    }
    for (int i = 0; i < args.nfiles; i++)
        cli_note_reference(&args, args.files[i], j.ref_from[i], j.ref_ms[i]);
    free(j.ref_from);
    free(j.ref_ms);
    if (j.readable == 0) {
        /* nothing to report on: the reasons are on stderr already */
        agg_free(j.a);
        slotmap_free(&map);
        cli_args_free(&args);
        return EXIT_INVALID;
    }
    if (j.profile) agg_set_profile(j.a, j.profile);
    if (args.has_live) agg_set_live(j.a, &args.live);
    const agg_summary *s = agg_finish(j.a);
    cli_out out;
    int orc = EXIT_INVALID;
    if (!s) {
        fputs("rdblens report: out of memory\n", stderr);
    } else if ((orc = cli_out_open(&out, "report", args.output)) == 0) {
        if (report_render(out.f, s, &ro) != 0) cli_out_error(&out);  /* while errno is the write's */
        orc = cli_out_close(&out, true);
    }
    if (orc) rc = orc;
    agg_free(j.a);
    slotmap_free(&map);
    cli_args_free(&args);
    return rc;
}
