/* agg_module.h: module values grouped by module type and encoding version
 * (the report's by_module table), and what the report's bytes rest on. */
#ifndef RDBLENS_AGG_MODULE_H
#define RDBLENS_AGG_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/keyrec.h"

#define AGG_MAX_MODULE_ROWS 64   /* further (type, encver) pairs merge into "(other)" */

typedef struct agg_module_row {
    char module[10];             /* 9-character type name, or "(other)" */
    unsigned encver;
    uint64_t keys, bytes, serialized_bytes, elements;
    uint64_t keys_by_basis[KEY_BASIS_COUNT_];   /* KEY_BASIS_MEASURED / _SOURCE / _SERIALIZED */
} agg_module_row;

typedef struct agg_modules {
    agg_module_row *v;
    size_t n, cap;
} agg_modules;

/* Counts one module value (r->module_name set). -1 when out of memory. */
int agg_modules_add(agg_modules *m, const key_record *r, uint64_t bytes);
/* Adds another table's row (a merge: agg_merge.h). -1 when out of memory. */
int agg_modules_add_row(agg_modules *m, const agg_module_row *r);
/* Orders the rows: most bytes first, then name, then encver. */
void agg_modules_finish(agg_modules *m);
void agg_modules_free(agg_modules *m);

/* The basis every key of the row shares ("measured-model", "source-model",
 * "serialized-size"), or "mixed". */
const char *agg_module_row_basis(const agg_module_row *r);

#endif
