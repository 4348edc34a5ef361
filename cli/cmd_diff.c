/* cmd_diff.c: `rdblens diff OLD NEW`: each side is a dump, read as
 * `report` reads it (collect.h), or a saved JSON report (json_load.h);
 * analyze/diff.c compares the two summaries, report/diff_render.c prints.
 *
 * Passes over the dumps:
 *   1. OLD, aggregated; with churn its keys also fill the fingerprint table
 *   2. NEW, aggregated; with churn its keys are looked up in that table
 *   3. with churn and removed keys: OLD again, for the removed keys' names
 *      (the table knows only fingerprints), so the top movers are exact
 *   without churn, 3'. each dump side once more for the keys of the other
 *      side's top list that its own list lacks (their exact bytes there)
 * Saved reports cannot be re-read: what they do not list stays unknown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze/agg_merge.h"
#include "analyze/churn.h"
#include "analyze/diff.h"
#include "cli/cli.h"
#include "cli/collect.h"
#include "cli/opt.h"
#include "cli/output.h"
#include "report/diff_render.h"
#include "report/json_load.h"

/* A side: its summary comes from a dump or a saved report. */
typedef struct side {
    const char *path;
    bool json;
    agg *a;
    const agg_summary *s;
    int rc;
    int schema;                /* a saved report's schema_version */
    report_doc *doc;           /* a saved report (its options point into it) */
} side;

/* A regular file whose first non-blank byte is '{' or '[' is JSON (a saved
 * report, or a JSON file the loader will refuse clearly); a dump starts
 * with REDIS / VALKEY (or an AOF with '*'). */
static bool looks_like_json(const char *path) {
    if (!strcmp(path, "-")) return false;
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    int c;
    do c = fgetc(f);
    while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
    fclose(f);
    return c == '{' || c == '[';
}

static int load_report(side *x, agg_options *o, char *err, size_t cap) {
    report_doc *d;
    if (report_doc_load(x->path, &d, err, cap) < 0) return -1;
    x->schema = report_doc_schema(d);
    int rc = report_doc_options(d, o, err, cap);
    if (rc == 0 && !(x->a = agg_new(o))) {
        snprintf(err, cap, "out of memory");
        rc = -1;
    }
    if (rc == 0) rc = report_doc_absorb(d, x->a, err, cap);
    if (rc == 0 && report_doc_profile(d)) agg_set_profile(x->a, report_doc_profile(d));
    x->doc = d;
    if (rc == 0 && !(x->s = agg_finish(x->a))) {
        snprintf(err, cap, "out of memory");
        rc = -1;
    }
    return rc;
}

/* ---- taps ---------------------------------------------------------------- */

/* The old dump's keys fill the table: sized once from its RESIZEDB hints,
 * bounded by what the file can hold (a key takes at least 3 bytes: type,
 * name length, value), so a lying hint cannot make us allocate more than
 * the dump could need. */
typedef struct old_tap {
    churn *c;
    uint64_t max_keys;
} old_tap;

static int tap_old(void *ctx, const key_record *r) { return churn_add_old(((old_tap *)ctx)->c, r); }
static void expect_old(void *ctx, uint64_t keys) {
    old_tap *t = ctx;
    churn_reserve(t->c, keys < t->max_keys ? keys : t->max_keys);
}
static void restart_old_tap(void *ctx) { churn_reset_old(((old_tap *)ctx)->c); }
static int tap_new(void *ctx, const key_record *r) { return churn_add_new(ctx, r); }
static int tap_removed(void *ctx, const key_record *r) { return churn_removed(ctx, r); }
static void restart_new(void *ctx) { churn_reset_new(ctx); }
static void restart_none(void *ctx) { (void)ctx; }

/* The targeted pass: the wanted keys, and what the dump holds for them. */
typedef struct lookup {
    diff_found *v;
    size_t n;
} lookup;

static int tap_lookup(void *ctx, const key_record *r) {
    lookup *l = ctx;
    for (size_t i = 0; i < l->n; i++) {
        diff_found *f = &l->v[i];
        if (!f->found && f->db == r->db && f->key_len == r->key_len && !memcmp(f->key, r->key, r->key_len)) {
            f->found = true;
            f->bytes = r->has_bytes ? r->bytes : 0;
        }
    }
    return 0;
}

static void restart_lookup(void *ctx) {
    lookup *l = ctx;
    for (size_t i = 0; i < l->n; i++) l->v[i].found = false, l->v[i].bytes = 0;
}

/* One pass over a dump side: aggregated into x->a (aggregate = true) or
 * only through the tap. */
static int pass(const cli_args *args, int which, const agg_options *ao, const report_tap *tap, side *x,
                bool aggregate) {
    cli_args one = *args;
    one.files = &args->files[which];
    one.nfiles = 1;
    agg *a = NULL;
    const char *profile = NULL;
    int rc = report_collect(&one, ao, tap, &a, &profile);
    if (rc == -2) {
        agg_free(a);
        return -2;
    }
    if (!aggregate) {
        agg_free(a);
        return rc;
    }
    x->a = a;
    x->rc = rc;
    if (!a) return rc;
    if (profile) agg_set_profile(a, profile);
    x->s = agg_finish(a);
    return x->s ? rc : -2;
}

static int lookup_in(const cli_args *args, int which, const agg_options *ao, const agg_summary *here,
                     const agg_summary *there, lookup *l) {
    const key_record **want;
    size_t n;
    if (diff_missing(here, there, &want, &n) < 0) return -2;
    l->v = calloc(n ? n : 1, sizeof *l->v);
    if (!l->v) {
        free(want);
        return -2;
    }
    for (size_t i = 0; i < n; i++)
        l->v[i] = (diff_found){.db = want[i]->db, .key = want[i]->key, .key_len = want[i]->key_len};
    l->n = n;
    free(want);
    if (n == 0) return 0;
    report_tap tap = {tap_lookup, l, restart_lookup, NULL};
    return pass(args, which, ao, &tap, NULL, false);
}

int cmd_diff(int argc, char **argv) {
    cli_args args;
    int rc = cli_parse(CMD_DIFF, argc, argv, &args);
    if (rc >= 0) return rc;
    char err[600];
    side sd[2] = {{.path = args.files[0]}, {.path = args.files[1]}};
    agg_options ao, jo[2];
    report_agg_options(&args, &ao);
    churn *ch = NULL;
    lookup found[2] = {{0}};
    diff_result d;
    memset(&d, 0, sizeof d);
    rc = EXIT_VALID;

    /* saved reports first: a bad one fails before any dump is read */
    for (int i = 0; i < 2; i++) {
        sd[i].json = looks_like_json(sd[i].path);
        if (sd[i].json && load_report(&sd[i], &jo[i], err, sizeof err) < 0) {
            fprintf(stderr, "rdblens diff: %s\n", err);
            rc = EXIT_INVALID;
            goto done;
        }
        if (sd[i].json) jo[i] = *agg_get_options(sd[i].a);
    }
    /* a dump compared with a saved report is cut into the report's prefixes */
    for (int i = 0; i < 2; i++) {
        if (!sd[i].json || sd[!i].json) continue;
        if (!args.given[O_SEPARATORS]) ao.separators = jo[i].separators;
        if (!args.given[O_PREFIX_DEPTH]) ao.prefix_depth = jo[i].prefix_depth;
        if (!args.given[O_PREFIX_BUDGET]) ao.prefix_budget = jo[i].prefix_budget;
    }
    if (sd[0].json && sd[1].json &&
        (strcmp(jo[0].separators, jo[1].separators) || jo[0].prefix_depth != jo[1].prefix_depth) && !args.quiet)
        fputs("rdblens diff: note: the two reports cut prefixes differently (--separators or "
              "--prefix-depth); their prefix rows do not line up\n", stderr);

    bool churning = !sd[0].json && !sd[1].json && !args.no_churn;
    if (churning && !(ch = churn_new((size_t)args.top))) goto oom;
    struct stat st_old;
    old_tap ot = {ch, !stat(sd[0].path, &st_old) && S_ISREG(st_old.st_mode) ? (uint64_t)st_old.st_size / 3 : 0};
    report_tap t_old = {tap_old, &ot, restart_old_tap, expect_old}, t_new = {tap_new, ch, restart_new, NULL};
    for (int i = 0; i < 2; i++) {
        if (sd[i].json) continue;
        int r = pass(&args, i, &ao, churning ? (i ? &t_new : &t_old) : NULL, &sd[i], true);
        if (r == -2) goto oom;
        if (!sd[i].s) {   /* unreadable: the reason is on stderr */
            rc = EXIT_INVALID;
            goto done;
        }
        if (r != EXIT_VALID) rc = EXIT_INVALID;
    }
    if (churning && churn_counts_of(ch).removed > 0) {
        report_tap t_rm = {tap_removed, ch, restart_none, NULL};
        int r = pass(&args, 0, &ao, &t_rm, NULL, false);
        if (r == -2) goto oom;
    } else if (!churning) {
        /* keys of one side's top list that the other's lacks, from its dump */
        for (int i = 0; i < 2; i++) {
            if (sd[i].json) continue;
            int r = lookup_in(&args, i, &ao, sd[i].s, sd[!i].s, &found[i]);
            if (r == -2) goto oom;
        }
    }

    /* a schema-1 report lists its top prefix nodes only */
    diff_side old = {sd[0].path, sd[0].json ? "report" : "dump", sd[0].s, !sd[0].json || sd[0].schema >= 2,
                     !sd[0].json};
    diff_side new_ = {sd[1].path, sd[1].json ? "report" : "dump", sd[1].s, !sd[1].json || sd[1].schema >= 2,
                      !sd[1].json};
    churn_counts cc;
    size_t nmovers = 0;
    const churn_mover *movers = NULL;
    if (churning) {
        cc = churn_counts_of(ch);
        movers = churn_movers(ch, &nmovers);
    }
    if (diff_compute(&d, &old, &new_, (size_t)args.top, churning ? &cc : NULL, movers, nmovers,
                     found[0].v, found[0].n, found[1].v, found[1].n) < 0)
        goto oom;

    report_options ro;
    report_options_init(&ro);
    report_parse_format(args.format, &ro.format);
    ro.rows = args.rows ? (size_t)args.rows : SIZE_MAX;
    ro.color = args.color ? REPORT_COLOR_ALWAYS : REPORT_COLOR_NEVER;
    cli_out out;
    int orc = cli_out_open(&out, "diff", args.output);
    if (orc == 0) {
        if (diff_render(out.f, &d, &ro) != 0) cli_out_error(&out);
        orc = cli_out_close(&out, true);
    }
    if (orc) rc = orc;
    goto done;
oom:
    fputs("rdblens diff: out of memory\n", stderr);
    rc = EXIT_INVALID;
done:
    diff_free(&d);
    churn_free(ch);
    for (int i = 0; i < 2; i++) {
        free(found[i].v);
        agg_free(sd[i].a);
        report_doc_free(sd[i].doc);
    }
    cli_args_free(&args);
    return rc;
}
