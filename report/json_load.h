/* json_load.h: a saved JSON report (`rdblens report --format json`,
 * docs/report-schema.md) read back into an aggregate, so that `merge` and
 * `diff` work on exactly what produced it. The one reader of the report's
 * JSON; parsing is Debian's libjansson, never by hand.
 *
 *   report_doc *d;
 *   if (report_doc_load("mon.json", &d, err, sizeof err) < 0) ... err ...
 *   agg_options o; report_doc_options(d, &o);      // what it was made with
 *   agg *a = agg_new(&o);
 *   if (report_doc_absorb(d, a, err, sizeof err) < 0) ... err ...
 *   ... more reports (report_doc_compatible first) ...
 *   agg_finish(a) -> the summary the renderers, diff and merge use
 *
 * Schema 2 carries everything (its "merge" member); schema 1 reports,
 * written before it, carry the sections only: they load for `diff` (totals,
 * rows, TTL buckets, the top keys and the reported prefix nodes), and
 * report_doc_exact() is false for them, which `merge` refuses.
 *
 * Hostile input: the file is read through a 1 GiB cap, duplicate object
 * keys are refused, every member is checked for its type and range, and
 * each error names the file and the member ("a.json: by_db[2].keys:
 * expected a non-negative integer"). jansson's integers are signed 64-bit:
 * a value above 2^63-1 is refused as such.
 */
#ifndef RDBLENS_JSON_LOAD_H
#define RDBLENS_JSON_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/agg.h"

#define REPORT_LOAD_MAX_BYTES (UINT64_C(1) << 30)

typedef struct report_doc report_doc;

/* Reads and parses path ("-": standard input) and checks its
 * schema_version (1 or 2). 0, or -1 with err filled. */
int report_doc_load(const char *path, report_doc **out, char *err, size_t cap);
/* The same from memory; name is what errors call it. */
int report_doc_parse(const char *name, const void *buf, size_t len, report_doc **out, char *err, size_t cap);
void report_doc_free(report_doc *d);

int report_doc_schema(const report_doc *d);
/* Schema 2: everything a merge needs is there. */
bool report_doc_exact(const report_doc *d);
/* source.profile, or NULL. */
const char *report_doc_profile(const report_doc *d);

/* The options the report was made with (top, separators, prefix depth
 * and budget, thresholds, filters as typed, --now); strings point into d,
 * so d must outlive the aggregate made from them... the aggregate copies
 * them (agg_new). 0, or -1 with err filled. */
int report_doc_options(const report_doc *d, agg_options *o, char *err, size_t cap);

/* Are d's aggregate-shaping options those of o (a merge's first input)?
 * Separators, prefix depth and budget, findings per kind, thresholds and
 * filters must be equal; d must have kept at least o->top_n keys per
 * table. 0, or -1 with err naming the first difference. */
int report_doc_compatible(const report_doc *d, const agg_options *o, char *err, size_t cap);

/* Adds d to a as one part (analyze/agg_merge.h). 0, or -1 with err. */
int report_doc_absorb(const report_doc *d, agg *a, char *err, size_t cap);

#endif
