/* reread.h: after a shallow parse (rdb_options.shallow_max), the exact
 * largest element of the keys a report keeps, by re-reading each of them
 * from its file (rdb_parse_key_at) with every blob walked. */
#ifndef RDBLENS_CLI_REREAD_H
#define RDBLENS_CLI_REREAD_H

#include "analyze/agg.h"
#include "cli/input.h"
#include "rdb/rdb.h"

/* Early re-reads: while the parse goes on, a thread of low priority
 * re-reads the heavy keys the aggregate has just taken into its tables
 * (agg_last_taken_by_bytes), in the time the two busy threads leave, so
 * that reread_inexact finds most of its work done. Best effort: a key it
 * did not get to, or could not read, is read by reread_inexact as ever.
 * Only for a mapped input (read in place by both); NULL otherwise, or
 * when no thread can be had. */
typedef struct reread_early reread_early;
reread_early *reread_early_start(const input *in, const rdb_header *hdr);
/* From the aggregating thread: rec (copied) was just taken into a table. */
void reread_early_offer(reread_early *e, const key_record *rec);
/* No more offers; those waiting are dropped. The thread finishes the key
 * it is reading: reread_inexact reads the other keys meanwhile and then
 * waits for it, as reread_early_free does. */
void reread_early_stop(reread_early *e);
void reread_early_free(reread_early *e);

/* Makes largest exact in every record of the current file that 'a' keeps
 * (agg_visit_inexact). 'in' is the file just parsed (still open, regular),
 * 'hdr' its header. Returns 0, or -1 with the reason in err (the key is no
 * longer where it was, or no longer parses: the file changed, or a blob the
 * shallow parse did not walk is corrupt). With threads > 1 and a mapped
 * input, two readers share the keys, on this thread and one more. Keys
 * 'early' (may be NULL, stopped) has read are not read again. */
typedef struct reread_stats {
    size_t kept;             /* distinct keys kept with an inexact largest */
    size_t early;            /* of them, read early */
} reread_stats;
int reread_inexact(agg *a, const input *in, const rdb_header *hdr, unsigned threads,
                   reread_early *early, reread_stats *stats, char *err, size_t errlen);

#endif
