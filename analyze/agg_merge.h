/* agg_merge.h: one aggregate absorbing others, as if their keys had been
 * added to it after its own. Two callers: `rdblens merge`, whose inputs
 * are saved JSON reports (report/json_load.c feeds their pieces through
 * the agg_part_* calls below), and `report -j N`, whose workers each
 * aggregate one file and hand the finished summary to agg_absorb.
 *
 * Why the result is the report over all the inputs at once: every section
 * of the summary is a sum (totals, rows, TTL buckets, histograms, prefix
 * nodes, finding counts) or a top-N (key tables, findings' worst keys).
 * Sums add exactly. A top-N ranks by (score, arrival order); a part's
 * arrival numbers are shifted by the keys that came before it, so the
 * order of equal scores is the one a single run gives, and the best N of
 * the union is among the union of each part's best N, so a table is exact
 * when every part kept at least N keys. The prefix table is exact while
 * the merged table stays within its budget; past it, the lightest nodes
 * are merged into "(other)" as in a single run (budget_hit says so).
 * Options that shape the aggregate (separators, depth, filters,
 * thresholds) must be the same everywhere; callers check them.
 *
 * Use (a part):
 *   agg_part_begin(a);
 *   agg_part_file(a, &file) ...          // its files, in order
 *   agg_part_totals / _db / _type / _encoding / _ttl / _key / _finding / _prefix ...
 *   agg_part_end(a, keys_seen, keys_filtered_out, partial);
 */
#ifndef RDBLENS_AGG_MERGE_H
#define RDBLENS_AGG_MERGE_H

#include "analyze/agg.h"
#include "analyze/agg_hist.h"

/* The key tables of an aggregate. */
typedef enum agg_list_kind {
    AGG_LIST_BYTES, AGG_LIST_ELEMENTS,          /* top_keys.by_bytes / by_elements */
    AGG_LIST_TYPE_BYTES, AGG_LIST_TYPE_ELEMENTS, /* per type: sub = rdb_kind */
    AGG_LIST_FINDING,                           /* a finding kind's worst keys: sub = AGG_FK_* */
    AGG_LIST_COLD,                              /* access.cold: idle or rarely used keys */
} agg_list_kind;

typedef struct agg_list_id {
    agg_list_kind kind;
    unsigned sub;
} agg_list_id;

/* A string kept as long as the aggregate (encodings and other names a
 * loaded report brings; key records point at them). NULL when out of
 * memory. Equal strings give the same pointer. */
const char *agg_intern(agg *a, const char *s);

void agg_part_begin(agg *a);
/* Appends a copy of a file (path, header, aux, status, totals, encoding
 * limits). Its reference time counts as set unless its basis is "none".
 * -1 when out of memory. */
int agg_part_file(agg *a, const agg_file *f);
/* The part's totals (predicted and aux used memory come from its files). */
void agg_part_totals(agg *a, const agg_totals *t);
int agg_part_db(agg *a, const agg_db_row *r);
/* a type's row (keys, bytes, elements; percentiles come from the
 * histograms) and its histograms, which may be NULL (an old report) */
void agg_part_type(agg *a, const agg_type_row *r, const agg_hist *bytes, const agg_hist *elements);
int agg_part_encoding(agg *a, const agg_enc_row *r);
void agg_part_ttl(agg *a, unsigned bucket, uint64_t keys, uint64_t bytes);
/* A key of one of the part's tables: seq and file are the part's own
 * (file indexes its files in the order agg_part_file took them). The
 * record's strings must live as long as the aggregate (agg_intern); its
 * key bytes are copied. -1 when out of memory, -2 when the list does not
 * exist or file is not one of the part's. */
int agg_part_key(agg *a, agg_list_id list, uint64_t score, uint64_t seq, uint32_t file,
                 const key_record *r);
/* A finding kind's count and byte sum over all matching keys. */
void agg_part_finding(agg *a, unsigned kind, uint64_t keys, uint64_t bytes);
/* A near_encoding_limit group of the part (its worst keys not included:
 * agg_part_near_key), appended in the part's order; g->file is the part's.
 * Returns the group's index for agg_part_near_key, -1 when out of memory,
 * -2 when the file is not one of the part's. */
long agg_part_near_group(agg *a, const agg_near_group *g);
int agg_part_near_key(agg *a, long group, uint64_t score, uint64_t seq, uint32_t file,
                      const key_record *r);
/* The access section's counts and rows (its cold keys: AGG_LIST_COLD). */
void agg_part_access(agg *a, const agg_access *x);
/* A cluster view (agg_cluster_absorb; its reason must outlive the
 * aggregate: agg_intern). -1 when out of memory, -2 for a bad slot. */
int agg_part_cluster(agg *a, const agg_cluster_summary *c);
/* A by_module row. -1 when out of memory. */
int agg_part_module(agg *a, const agg_module_row *r);
/* A prefix node or "(other)" row (agg_prefix_add_row). */
int agg_part_prefix(agg *a, const agg_prefix_row *r);
void agg_part_prefix_state(agg *a, bool budget_hit, uint64_t evicted);
void agg_part_end(agg *a, uint64_t keys_seen, uint64_t keys_filtered_out, bool partial);

/* A finished summary of another aggregate with the same options, as one
 * part. -1 when out of memory. */
int agg_absorb(agg *a, const agg_summary *s);

/* The options the aggregate runs with (a merge compares its inputs' with
 * them). */
const agg_options *agg_get_options(const agg *a);

#endif
