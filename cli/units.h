/* units.h: the values people type on a command line: counts, sizes with
 * units, points in time and durations. Pure functions, no output: each
 * returns 0, or -1 with a short reason in 'why' (what was expected), so
 * every command words its errors the same way.
 *
 * Sizes: a decimal number with an optional fraction and an optional unit,
 * case-insensitive, space allowed before the unit:
 *     512   512b   10k  10kb  10kib   1.5m  1.5MB  1.5MiB   1g  1gb   2t
 * Every unit is binary: K = KB = KiB = 1024 bytes, M = 1024^2, G = 1024^3,
 * T = 1024^4, P = 1024^5. (redis.conf reads "1k" as 1000 and "1kb" as
 * 1024; here both spellings mean 1024, the unit the report prints.) A
 * fraction is applied exactly and rounded down to whole bytes.
 *
 * Times: Unix seconds (up to 11 digits), Unix milliseconds (12 or more
 * digits: 1e11 seconds is the year 5138, and 1e11 ms is 1973), or ISO-8601:
 *     2026-12-03   2026-12-03T10:00   2026-12-03T10:00:00Z
 *     2026-12-03 10:00:00.250+01:00   (no zone means UTC)
 *
 * Durations: a number and a unit: ms, s, m, h, d, w (e.g. 90s, 1.5h, 7d);
 * a bare 0 is zero.
 */
#ifndef RDBLENS_CLI_UNITS_H
#define RDBLENS_CLI_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A non-negative decimal integer, no sign, no unit. */
int units_parse_count(const char *s, uint64_t *out, char *why, size_t whylen);

/* A size in bytes (see above). */
int units_parse_size(const char *s, uint64_t *out, char *why, size_t whylen);

typedef enum units_time_form { UNITS_TIME_SECONDS, UNITS_TIME_MILLIS, UNITS_TIME_ISO } units_time_form;

/* A point in time as Unix milliseconds; *form says how it was read (may be NULL). */
int units_parse_time(const char *s, int64_t *out_ms, units_time_form *form, char *why, size_t whylen);

/* A duration in milliseconds. */
int units_parse_duration(const char *s, int64_t *out_ms, char *why, size_t whylen);

#endif
