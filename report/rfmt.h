/* rfmt.h: small formatting helpers shared by the text and markdown
 * renderers: human units, counts, percentages, durations and printable keys
 * elided in the middle. All write into a caller buffer (NUL-terminated,
 * truncated to fit) and return it. */
#ifndef RDBLENS_RFMT_H
#define RDBLENS_RFMT_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/filter.h"
#include "analyze/keyrec.h"

#define RFMT_CELL 192   /* a buffer size that fits any cell these produce */

/* 512 B, 1.0 KiB, 12.3 MiB, 1.2 GiB ... (binary units, one decimal) */
char *rfmt_bytes(char *buf, size_t cap, uint64_t v);
/* 1,234,567 */
char *rfmt_count(char *buf, size_t cap, uint64_t v);
/* "12.3%" of part in whole ("-" when whole is 0) */
char *rfmt_pct(char *buf, size_t cap, uint64_t part, uint64_t whole);
/* remaining time: 45s, 12m, 3.5h, 2.0d; "expired" when ms <= 0 */
char *rfmt_remaining(char *buf, size_t cap, int64_t ms);
/* 2026-11-21T10:00:00.000Z */
char *rfmt_iso(char *buf, size_t cap, int64_t unix_ms);
/* The redis-cli printable form of bytes, cut to at most 'width' display
 * columns (rfmt_width) by replacing the middle with "..." (never splitting
 * a UTF-8 sequence or a \xHH escape; the first one is always shown, so a
 * very narrow width can be exceeded). width 0 means no limit. */
char *rfmt_key(char *buf, size_t cap, const uint8_t *p, size_t len, unsigned width);
/* The same for the head of a longer key (agg_topn.h AGG_KEY_KEEP): as much
 * of the head as fits, then "...", whatever the width. */
char *rfmt_key_head(char *buf, size_t cap, const uint8_t *p, size_t len, unsigned width);
/* A kept key record's name: rfmt_key, or rfmt_key_head when only its head
 * was kept. */
char *rfmt_record_key(char *buf, size_t cap, const key_record *r, unsigned width);
/* Text as the user typed it (a pattern), for echoing: valid UTF-8 and
 * backslashes as they are, control characters and invalid bytes as \xHH
 * so nothing typed can drive the terminal. */
char *rfmt_text(char *buf, size_t cap, const char *s);
/* The filters in force, as options would spell them: "db=0 type=hash
 * match=user:* regex=user:\d+ min-bytes=1.0 MiB expiry=0..1h"; "" when none. */
char *rfmt_filter(char *buf, size_t cap, const key_filter *f);
/* Display columns of a printable UTF-8 string: CJK and other East Asian
 * wide characters take 2, combining marks 0, the rest 1. */
size_t rfmt_width(const char *s);

#endif
