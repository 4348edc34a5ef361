/* hashseed.h: a per-table secret for the hash tables whose keys come from
 * the file (database numbers, key prefixes). With a fixed hash a dump can
 * choose keys that all land in one slot and turn every lookup into a scan
 * of the table (a 2 MB file took minutes); a secret the file cannot know
 * makes that a matter of luck. Nothing printed depends on slot order, so
 * reports stay identical from run to run. */
#ifndef RDBLENS_ANALYZE_HASHSEED_H
#define RDBLENS_ANALYZE_HASHSEED_H

#include <stdint.h>

/* 64 unpredictable bits: getrandom(2), else the clock and addresses. */
uint64_t hashseed_new(void);

#endif
