/* filter.h: which keys a command looks at. One definition for every command
 * (keys, report, and the commands built on the report), so the same options
 * select the same keys everywhere.
 *
 *   --db N            one database
 *   --type T[,T...]   string, list, set, zset, hash, stream, module
 *   --match GLOB      Redis glob (KEYS / SCAN MATCH semantics, glob.h)
 *   --regex RE        a Perl-compatible regular expression (PCRE2, as
 *                     Python's re and Go's regexp users write them: \d, \w,
 *                     (?i)...), searched anywhere in the key's raw bytes
 *                     like re.search; anchor it with ^...$
 *   --min-bytes N     predicted MEMORY USAGE at least N (a key the model could
 *                     not size fails any minimum)
 *   --min-elements N  elements (collections) or length (strings) at least N
 *   --expiry WHAT     none | any | expired | [FROM]..[TO]
 *
 * An --expiry range takes durations relative to the reference time (the
 * time TTLs are judged against: --now, else the dump's ctime), "0..1h" =
 * expires within the next hour, or absolute times (Unix s/ms, ISO-8601),
 * "2026-12-01..2026-12-02"; FROM is inclusive, TO exclusive, either may be
 * left out; keys without a TTL never fall in a range.
 *
 * A filter holds a compiled regex and its match scratch: one filter per
 * thread (filter_copy).
 */
#ifndef RDBLENS_FILTER_H
#define RDBLENS_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/keyrec.h"

typedef enum filter_expiry {
    FILTER_EXPIRY_ALL,      /* no --expiry */
    FILTER_EXPIRY_NONE,     /* keys without a TTL */
    FILTER_EXPIRY_ANY,      /* keys with a TTL */
    FILTER_EXPIRY_EXPIRED,  /* expired at the reference time */
    FILTER_EXPIRY_RANGE,
} filter_expiry;

typedef struct key_filter {
    bool has_db;
    uint64_t db;
    unsigned type_mask;        /* 1 << rdb_kind per accepted type; 0 = every type */
    const char *match;         /* glob, NUL-terminated, or NULL */
    const char *regex;         /* the pattern as given, or NULL */
    void *re_code, *re_data;   /* compiled (pcre2_code / pcre2_match_data) */
    uint64_t min_bytes, min_elements;
    filter_expiry expiry;
    const char *expiry_text;   /* as given, for the report's echo */
    bool range_relative;       /* bounds are durations from the reference time */
    bool has_from, has_to;
    int64_t from_ms, to_ms;
} key_filter;

void filter_init(key_filter *f);
void filter_free(key_filter *f);
/* A deep copy (its own regex scratch). 0, or -1 when out of memory. */
int filter_copy(key_filter *dst, const key_filter *src);

/* Setters for the options above; each returns 0 or -1 with the reason in
 * 'why'. The strings must outlive the filter. */
int filter_set_types(key_filter *f, const char *list, char *why, size_t whylen);
int filter_set_regex(key_filter *f, const char *pattern, char *why, size_t whylen);
/* --expiry's range is read by the command line (cli/units.h) into expiry,
 * range_relative, has_from/from_ms, has_to/to_ms. */

/* Does any option narrow the key set? */
bool filter_active(const key_filter *f);

/* reference_ms: the time TTLs are judged against (< 0: unknown; then
 * "expired" and relative ranges match nothing). */
bool filter_accepts(const key_filter *f, const key_record *r, int64_t reference_ms);

#endif
