/* agg_hist.h: a fixed-size log-bucket histogram for percentiles.
 *
 * Buckets: values 0..127 each have their own bucket; above that every
 * power-of-two interval [2^e, 2^(e+1)) is split into 64 equal sub-buckets,
 * so a bucket's width is at most 1/64 of its lower bound. 3776 buckets cover
 * all of uint64_t; one histogram is 30 KB whatever the number of values.
 *
 * Error bound: agg_hist_quantile() returns the nearest-rank quantile's
 * bucket upper bound, clamped to the observed [min, max]. So the reported
 * value v' and the true nearest-rank value v satisfy v <= v' < v * (1 + 1/64):
 * exact below 128, and at most 1.5625 % high above. The maximum is exact.
 */
#ifndef RDBLENS_AGG_HIST_H
#define RDBLENS_AGG_HIST_H

#include <stdint.h>

#define AGG_HIST_SUB_BITS 6
#define AGG_HIST_SUB (1u << AGG_HIST_SUB_BITS)
#define AGG_HIST_BUCKETS (2 * AGG_HIST_SUB + (64 - AGG_HIST_SUB_BITS - 1) * AGG_HIST_SUB)

typedef struct agg_hist {
    uint64_t count, min, max;
    uint64_t bucket[AGG_HIST_BUCKETS];
} agg_hist;

void agg_hist_add(agg_hist *h, uint64_t v);

/* Adds src's values to dst (as if each had been added): exact, since
 * both use the same buckets. */
void agg_hist_merge(agg_hist *dst, const agg_hist *src);

/* Nearest-rank quantile for permille in 1..1000 (500 = p50, 990 = p99);
 * 0 when the histogram is empty. */
uint64_t agg_hist_quantile(const agg_hist *h, unsigned permille);

/* Bucket helpers, exposed for tests. */
unsigned agg_hist_index(uint64_t v);
uint64_t agg_hist_upper(unsigned index);

#endif
