/* enc_limits.h: the compact-encoding limits of a target server, as one
 * plain record. The memory model fills it (model_enc_limits: the profile's
 * defaults with --config overrides); the findings read it (agg_find). It
 * lives in its own header so that the aggregators need not know the model,
 * just as they know key records and not parser events. */
#ifndef RDBLENS_ENC_LIMITS_H
#define RDBLENS_ENC_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct enc_limits {
    /* Hashes and zsets are ziplists on this server (before Redis 7.0), so
     * its directives are spelled hash-max-ziplist-entries and so on;
     * otherwise listpacks, hash-max-listpack-entries. */
    bool ziplist;
    /* The directives' values. An *_entries of 0 means the server has no
     * such encoding (set listpacks before Redis 7.2) or never uses it (the
     * directive set to 0): no key can be just above it. */
    uint64_t hash_entries, hash_value;       /* hash-max-listpack-entries / -value */
    uint64_t zset_entries, zset_value;       /* zset-max-listpack-entries / -value */
    uint64_t set_intset;                     /* set-max-intset-entries */
    uint64_t set_lp_entries, set_lp_value;   /* set-max-listpack-entries / -value */
} enc_limits;

/* "Just above" a limit, for the near_encoding_limit finding: at most this
 * many percent over it. The memory model tracks what the finding needs
 * (integer members, the compact form's size) over the same window only,
 * so that the window costs nothing on collections far past their limits. */
#define ENC_NEAR_LIMIT_PCT 25

static inline uint64_t enc_near_window(uint64_t limit) {
    return limit + limit * ENC_NEAR_LIMIT_PCT / 100;
}

#endif
