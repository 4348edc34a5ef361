/* agg_internal.h: the aggregate's state, shared by agg.c (keys, finish) and
 * agg_source.c (file hooks). Not for renderers: they read agg_summary. */
#ifndef RDBLENS_AGG_INTERNAL_H
#define RDBLENS_AGG_INTERNAL_H

#include "analyze/agg.h"
#include "analyze/agg_hist.h"

#define AGG_MAX_DBS 4096        /* further dbs merge into db UINT64_MAX */
#define AGG_MAX_ENCODINGS 256   /* further pairs merge into encoding "(other)" */

/* reference-time precedence, low to high */
enum { AGG_REF_NONE, AGG_REF_MTIME, AGG_REF_CTIME, AGG_REF_EXPLICIT, AGG_REF_OPTION };

struct agg {
    agg_options opt;
    bool last_taken_by_bytes;     /* agg_last_taken_by_bytes */
    char *separators;             /* owned copies behind opt's pointers: */
    char *filter_text[3];         /* match, regex, expiry_text */
    agg_file *files;
    size_t nfiles, capfiles;
    int *file_ref_rank;           /* AGG_REF_* per file */
    char *profile;
    bool has_live;
    live_info live;
    agg_totals totals;
    agg_db_row *dbs;
    size_t ndbs, capdbs;
    struct {
        agg_type_row row;
        agg_hist bytes, elements;
    } types[RDB_KIND_COUNT_];
    agg_enc_row *encs;
    size_t nencs, capencs;
    agg_ttl_row ttl[AGG_TTL_COUNT_];
    agg_access access;            /* rows; .cold is built from 'cold' at the end */
    agg_topn cold;
    agg_topn top_bytes, top_elements;
    agg_topn type_bytes[RDB_KIND_COUNT_], type_elements[RDB_KIND_COUNT_];
    agg_prefix *prefix;
    agg_find find;
    agg_modules modules;
    agg_cluster *cluster;         /* NULL until cluster mode or a key with a slot */
    uint64_t seq, filtered;
    bool finished, oom;
    agg_prefix_row *prefix_rows;
    agg_prefix_tree_row *prefix_tree;  /* opt.tree_nodes rows, when asked */
    agg_find_file *find_files;
    agg_summary sum;
    /* merge (agg_merge.c): where the part being absorbed starts, and the
     * strings it brought (encodings, reference bases) */
    uint32_t part_file_base;
    uint64_t part_seq_base;
    char **strings;
    size_t nstrings, capstrings;
};

/* the db row, created (sorted) if needed; NULL when out of memory */
agg_db_row *agg_db_row_of(agg *a, uint64_t db);
/* the (type, encoding) row, created if needed; NULL when out of memory */
agg_enc_row *agg_enc_row_of(agg *a, rdb_kind type, const char *enc);

/* the file keys currently go to, creating an unnamed one if needed */
agg_file *agg_current_file(agg *a);
void agg_free_files(agg *a);

#endif
