/* cmd_merge.c: `rdblens merge REPORT.json...`: saved JSON reports (one per
 * host, shard or file) into the report over all their dumps at once.
 * Loading is report/json_load.c, combining analyze/agg_merge.c; this file
 * only wires them and maps errors to exit codes. Every input is read and
 * checked before anything is written, so a bad one leaves stdout empty.
 * Memory: one parsed report at a time plus the merged aggregate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg_merge.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/output.h"
#include "report/json_load.h"
#include "report/report.h"

static int refuse(const char *msg) {
    fprintf(stderr, "rdblens merge: %s\n", msg);
    return EXIT_INVALID;
}

int cmd_merge(int argc, char **argv) {
    cli_args args;
    int rc = cli_parse(CMD_MERGE, argc, argv, &args);
    if (rc >= 0) return rc;
    char err[600];
    agg *a = NULL;
    agg_options first;
    report_doc *keep = NULL;   /* the first report: the options point into it */
    char *profile = NULL;
    rc = EXIT_VALID;
    for (int i = 0; i < args.nfiles && rc == EXIT_VALID; i++) {
        report_doc *d;
        if (report_doc_load(args.files[i], &d, err, sizeof err) < 0) {
            rc = refuse(err);
            break;
        }
        if (!report_doc_exact(d)) {
            snprintf(err, sizeof err,
                     "%s: schema_version %d report: it has no histograms, prefix table or finding "
                     "state, so a merge could not be exact; make it again with this rdblens "
                     "(report --format json writes schema_version %d)",
                     args.files[i], report_doc_schema(d), REPORT_SCHEMA_VERSION);
            rc = refuse(err);
        } else if (!a) {
            if (report_doc_options(d, &first, err, sizeof err) < 0) rc = refuse(err);
            else {
                if (args.given[O_TOP]) first.top_n = (size_t)args.top;
                if (!strcmp(args.format, "html")) first.tree_nodes = REPORT_HTML_TREE_NODES;
                if (report_doc_compatible(d, &first, err, sizeof err) < 0) rc = refuse(err);
                else if (!(a = agg_new(&first))) rc = refuse("out of memory");
            }
        } else if (report_doc_compatible(d, agg_get_options(a), err, sizeof err) < 0) {
            rc = refuse(err);
        }
        if (rc == EXIT_VALID && report_doc_absorb(d, a, err, sizeof err) < 0) rc = refuse(err);
        const char *p = report_doc_profile(d);
        if (rc == EXIT_VALID && p && !profile && !(profile = strdup(p))) rc = refuse("out of memory");
        if (!keep && a) keep = d;
        else report_doc_free(d);
    }
    if (rc != EXIT_VALID) {
        agg_free(a);
        report_doc_free(keep);
        free(profile);
        cli_args_free(&args);
        return rc;
    }
    if (profile) agg_set_profile(a, profile);
    free(profile);
    const agg_summary *s = agg_finish(a);
    report_options ro;
    report_options_init(&ro);
    report_parse_format(args.format, &ro.format);
    ro.rows = args.rows ? (size_t)args.rows : SIZE_MAX;
    ro.color = args.color ? REPORT_COLOR_ALWAYS : REPORT_COLOR_NEVER;
    char nonce[40];
    if (ro.format == REPORT_HTML) ro.html_nonce = cli_html_nonce(nonce, sizeof nonce);
    cli_out out;
    if (!s) {
        rc = refuse("out of memory");
    } else if ((rc = cli_out_open(&out, "merge", args.output)) == 0) {
        if (report_render(out.f, s, &ro) != 0) cli_out_error(&out);
        rc = cli_out_close(&out, true);
    }
    /* a merged input that was itself incomplete keeps its status in the
     * report; the merge still succeeded */
    agg_free(a);
    report_doc_free(keep);
    cli_args_free(&args);
    return rc;
}
