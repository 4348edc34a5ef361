/* reread.h: after a shallow parse (rdb_options.shallow_max), the exact
 * largest element of the keys a report keeps, by re-reading each of them
 * from its file (rdb_parse_key_at) with every blob walked. */
#ifndef RDBLENS_CLI_REREAD_H
#define RDBLENS_CLI_REREAD_H

#include "analyze/agg.h"
#include "cli/input.h"
#include "rdb/rdb.h"

/* Makes largest exact in every record of the current file that 'a' keeps
 * (agg_visit_inexact). 'in' is the file just parsed (still open, regular),
 * 'hdr' its header. Returns 0, or -1 with the reason in err (the key is no
 * longer where it was, or no longer parses: the file changed, or a blob the
 * shallow parse did not walk is corrupt). With threads > 1 and a mapped
 * input, two readers share the keys, on this thread and one more. */
int reread_inexact(agg *a, const input *in, const rdb_header *hdr, unsigned threads, char *err,
                   size_t errlen);

#endif
