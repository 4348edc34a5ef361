/* cluster.h: the report's cluster section (analyze/agg_cluster.h): its
 * tables for the text and markdown renderers, and its JSON object. */
#ifndef RDBLENS_REPORT_CLUSTER_H
#define RDBLENS_REPORT_CLUSTER_H

#include <stdio.h>

#include "analyze/agg.h"
#include "report/table.h"

/* label/value rows: why cluster mode, slots and keys, tags, layout, skew */
void sec_cluster_overview(table *t, const agg_cluster_summary *c);
size_t sec_cluster_slots(table *t, const agg_cluster_summary *c, size_t rows);
size_t sec_cluster_tags(table *t, const agg_cluster_summary *c, size_t rows, unsigned key_width);
size_t sec_cluster_shards(table *t, const agg_cluster_summary *c, size_t rows);

/* `"cluster": {...}` (docs/report-schema.md), no trailing comma or newline */
void report_json_cluster(FILE *out, const agg_cluster_summary *c);

#endif
