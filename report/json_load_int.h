/* json_load_int.h: what the files of the saved-report reader share; not
 * part of its interface (json_load.h).
 *
 *   json_load.c           reading the file, the document, source.files, absorb
 *   json_get.c            typed member getters, the printable form, fail()
 *   json_load_options.c   the options a report was made with, compatibility
 *   json_load_sections.c  totals, by_db / by_type / by_encoding, ttl,
 *                         prefixes, cluster, modules
 *   json_load_keys.c      key records and the lists that name them
 *
 * Every value is fetched through one of the jl_get_* helpers, which check
 * its JSON type and range and, on failure, write the member's path into the
 * error ("by_db[2].keys: expected a non-negative integer"). The first error
 * wins; later calls see it and do nothing, so a section can be read straight
 * through and checked once at its end.
 */
#ifndef RDBLENS_JSON_LOAD_INT_H
#define RDBLENS_JSON_LOAD_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/agg_merge.h"
#include "analyze/slotmap.h"
#include "report/json_load.h"

struct report_doc {
    char *path;
    json_t *root;
    int schema;
    /* bytes the loaded strings need (unescaped keys, prefix names, texts);
     * owned here, freed with the document */
    char **texts;
    size_t ntexts, captexts;
    slotmap layout;            /* merge.cluster_options.layout (options point here) */
};

/* One load's error state: the file errors name, and the first error. */
typedef struct jctx {
    const char *file;
    char *err;
    size_t cap;
    bool failed;
} jctx;

/* "FILE: " and the message into c->err, unless an error is there already. */
void jl_fail(jctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- typed getters (json_get.c) ------------------------------------------
 * where: the path of obj ("by_db[2]"), name: the member. NULL / 0 / false
 * once c has failed. */

/* obj.name of JSON type want (JSON_TRUE: any boolean); NULL for null when
 * nullable. */
json_t *jl_get(jctx *c, json_t *obj, const char *where, const char *name, json_type want, bool nullable);
/* v as a non-negative integer; where names v itself. */
bool jl_u64_of(jctx *c, json_t *v, const char *where, uint64_t *out);
uint64_t jl_get_u64(jctx *c, json_t *obj, const char *where, const char *name);
/* nullable: *has false for null */
uint64_t jl_get_u64_opt(jctx *c, json_t *obj, const char *where, const char *name, bool *has);
/* A member schema 2 always has and older schema-1 reports may lack (0). */
uint64_t jl_get_u64_v2(jctx *c, const report_doc *d, json_t *obj, const char *where, const char *name);
int64_t jl_get_i64(jctx *c, json_t *obj, const char *where, const char *name);
bool jl_get_bool(jctx *c, json_t *obj, const char *where, const char *name);
const char *jl_get_str(jctx *c, json_t *obj, const char *where, const char *name, bool nullable);
json_t *jl_get_arr(jctx *c, json_t *obj, const char *where, const char *name);
json_t *jl_get_obj(jctx *c, json_t *obj, const char *where, const char *name, bool nullable);
/* Should the reader look for obj.name? Schema 2 always has it; a schema-1
 * report may lack it. */
bool jl_has_v2(const report_doc *d, json_t *obj, const char *name);

/* arr[i] as a non-negative integer; errors name "where[i]". */
uint64_t jl_at_u64(jctx *c, json_t *arr, size_t i, const char *where);
/* arr[i] as a pair of non-negative integers [x, y]: false, with
 * "where[i]: expected SHAPE", when it is not a two-element array; an
 * integer's own error names "at[0]" or "at[1]". */
bool jl_pair_at(jctx *c, json_t *arr, size_t i, const char *where, const char *shape, const char *at,
                uint64_t *x, uint64_t *y);

/* A type name ("hash") as its rdb_kind; -1 with the error. */
int jl_kind_of(jctx *c, const char *name, const char *where);
/* An enc_limits object (merge.options.thresholds.enc, merge.files[i].enc_limits). */
void jl_get_limits(jctx *c, json_t *o, const char *where, enc_limits *l);

/* t kept by d until it is freed; NULL (t freed) when out of memory. */
char *jl_keep_text(report_doc *d, char *t);
/* The printable form back into bytes: keys, prefixes, paths and aux values
 * are written as redis-cli prints them (report/keyfmt.h): "\\" is a
 * backslash, "\xHH" a byte, anything else itself. Returns a copy owned by d
 * (NUL-terminated for convenience), its length in *len. */
uint8_t *jl_unprintable(jctx *c, report_doc *d, json_t *v, const char *where, size_t *len);
uint8_t *jl_get_bytes(jctx *c, report_doc *d, json_t *obj, const char *where, const char *name, size_t *len);

/* ---- sections (json_load_sections.c): each adds its part to a ------------- */

void jl_read_totals(jctx *c, const report_doc *d, json_t *o, const char *w, agg_totals *t);
void jl_read_dbs(jctx *c, report_doc *d, agg *a);
/* merge: the document's "merge" member (schema 2), else NULL */
void jl_read_types(jctx *c, report_doc *d, agg *a, json_t *merge);
void jl_read_encodings(jctx *c, report_doc *d, agg *a);
void jl_read_ttl(jctx *c, report_doc *d, agg *a);
void jl_read_modules(jctx *c, agg *a, json_t *merge);
void jl_read_cluster(jctx *c, report_doc *d, agg *a, json_t *merge);
void jl_read_prefixes(jctx *c, report_doc *d, agg *a, json_t *merge);

/* ---- key records (json_load_keys.c) --------------------------------------- */

/* Schema 2: merge.records and the lists, findings, near groups and access
 * table that name them; nfiles: the report's source files. */
void jl_read_lists_v2(jctx *c, report_doc *d, agg *a, json_t *merge, size_t nfiles);
/* Schema 1: the KEY lists of top_keys, in their order (what diff needs). */
void jl_read_lists_v1(jctx *c, report_doc *d, agg *a);

#endif
