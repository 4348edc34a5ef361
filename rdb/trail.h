/* trail.h: the checksum of a mapped input, and the release of the pages
 * behind the parser, on a helper thread that trails the parser.
 *
 * Why: over a mapped file the parser spends about a tenth of its time on
 * what is behind it, the CRC-64 of every byte (about 5 %) and the
 * madvise(MADV_DONTNEED) that keeps the resident set small (about 4 %).
 * Neither needs the parser: both read only the mapping, which nobody
 * writes, up to where the parser has got. The parser publishes its offset
 * once per block; the trailer catches up in its own time and the parser
 * waits for it once, at the end of the file, for the CRC.
 *
 *      mapping  [0 ............................................ len)
 *                released  <- 1 MiB ->  crc_pos       published  parser
 *                (dropped)  (kept)      (checksummed) (told)     (reading)
 *
 * The source's release op is then called from the trailer's thread: a
 * source that maps must keep release free of state its other ops change
 * (source/mmap.c's is a madvise on immutable fields).
 */
#ifndef RDBLENS_TRAIL_H
#define RDBLENS_TRAIL_H

#include <stddef.h>
#include <stdint.h>

#include "rdb/crc64.h"
#include "rdb/source.h"

typedef struct rd_trail rd_trail;

/* Starts the trailer over map (len bytes), whose first `from` bytes have CRC `crc`.
 * src->ops->release (if any) drops pages behind it, release_step bytes at
 * a time. NULL when the thread cannot be had: the caller does it all. */
rd_trail *trail_start(const uint8_t *map, size_t len, rdb_source *src, const crc64_table *tab,
                      uint64_t crc, size_t from, size_t release_step);

/* The parser has read map[0, pos): the trailer may go up to there. */
void trail_advance(rd_trail *t, size_t pos);

/* The CRC of map[0, pos), once the trailer has reached pos (waits). */
uint64_t trail_finish(rd_trail *t, size_t pos);

/* Stops the thread (without finishing) and frees. NULL is a no-op. */
void trail_stop(rd_trail *t);

#endif
