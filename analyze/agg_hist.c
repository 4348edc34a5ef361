/* agg_hist.c: see agg_hist.h for the bucket layout and the error bound. */
#include "analyze/agg_hist.h"

/* Index of the bucket holding v. Values below 2 * SUB are their own bucket;
 * above, e = floor(log2 v) >= SUB_BITS + 1 and the next SUB_BITS bits after
 * the leading one pick the sub-bucket. */
unsigned agg_hist_index(uint64_t v) {
    if (v < 2 * AGG_HIST_SUB) return (unsigned)v;
    unsigned e = 63u - (unsigned)__builtin_clzll(v);
    unsigned shift = e - AGG_HIST_SUB_BITS;
    unsigned sub = (unsigned)(v >> shift) & (AGG_HIST_SUB - 1);
    return 2 * AGG_HIST_SUB + (e - AGG_HIST_SUB_BITS - 1) * AGG_HIST_SUB + sub;
}

/* Largest value that falls in bucket 'index'. */
uint64_t agg_hist_upper(unsigned index) {
    if (index < 2 * AGG_HIST_SUB) return index;
    unsigned rel = index - 2 * AGG_HIST_SUB;
    unsigned e = rel / AGG_HIST_SUB + AGG_HIST_SUB_BITS + 1;
    unsigned sub = rel % AGG_HIST_SUB;
    unsigned shift = e - AGG_HIST_SUB_BITS;
    uint64_t lo = (uint64_t)(AGG_HIST_SUB + sub) << shift;
    return lo + ((UINT64_C(1) << shift) - 1);
}

void agg_hist_add(agg_hist *h, uint64_t v) {
    if (h->count == 0 || v < h->min) h->min = v;
    if (v > h->max) h->max = v;
    h->count++;
    h->bucket[agg_hist_index(v)]++;
}

uint64_t agg_hist_quantile(const agg_hist *h, unsigned permille) {
    if (h->count == 0) return 0;
    if (permille == 0) permille = 1;
    if (permille >= 1000) return h->max;
    /* rank = ceil(count * permille / 1000), without overflow for any count */
    uint64_t rank = h->count / 1000 * permille + (h->count % 1000 * permille + 999) / 1000;
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (unsigned i = 0; i < AGG_HIST_BUCKETS; i++) {
        seen += h->bucket[i];
        if (seen >= rank) {
            uint64_t v = agg_hist_upper(i);
            if (v > h->max) v = h->max;
            if (v < h->min) v = h->min;
            return v;
        }
    }
    return h->max;
}

void agg_hist_merge(agg_hist *dst, const agg_hist *src) {
    if (src->count == 0) return;
    if (dst->count == 0 || src->min < dst->min) dst->min = src->min;
    if (src->max > dst->max) dst->max = src->max;
    dst->count += src->count;
    for (unsigned i = 0; i < AGG_HIST_BUCKETS; i++) dst->bucket[i] += src->bucket[i];
}
