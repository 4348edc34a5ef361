/* fuzz_json_load.c: the JSON report loader (report/json_load.c) on hostile
 * input: parse, read the options, absorb into an aggregate, finish it and
 * render it as JSON and text, then absorb it twice more into one aggregate
 * as `merge` would. Every error must be a clean message (the loader returns
 * -1), never a crash, a sanitizer report or a leak. Seeds: saved reports
 * (tools/fuzz.sh copies tests/fixtures/golden/report.json and the JSON
 * fixtures). Built only by tools/fuzz.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg_merge.h"
#include "report/json_load.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static FILE *devnull;
    if (!devnull && !(devnull = fopen("/dev/null", "w"))) abort();
    char err[600];
    report_doc *d;
    if (report_doc_parse("fuzz.json", data, size, &d, err, sizeof err) < 0) {
        if (!err[0]) abort();   /* a failure always says why */
        return 0;
    }
    agg_options o;
    if (report_doc_options(d, &o, err, sizeof err) == 0) {
        agg *a = agg_new(&o);
        if (a && report_doc_absorb(d, a, err, sizeof err) == 0) {
            const agg_summary *s = agg_finish(a);
            if (s) {
                report_json(devnull, s);
                report_options ro;
                report_options_init(&ro);
                report_text(devnull, s, &ro, false);
                report_prom(devnull, s, &ro);
            }
        }
        agg_free(a);
        /* the same report twice into one aggregate: a merge */
        if (report_doc_exact(d) && report_doc_compatible(d, &o, err, sizeof err) == 0 && (a = agg_new(&o))) {
            if (report_doc_absorb(d, a, err, sizeof err) == 0 && report_doc_absorb(d, a, err, sizeof err) == 0) {
                const agg_summary *s = agg_finish(a);
                if (s) report_json(devnull, s);
            }
            agg_free(a);
        }
    }
    report_doc_free(d);
    return 0;
}
