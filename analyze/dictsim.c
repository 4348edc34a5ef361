/* dictsim.c: see dictsim.h. Source: redis src/dict.c (7.0.15: _dictExpand,
 * _dictExpandIfNeeded with dict_can_resize enabled during a load, dictRehash
 * with one bucket per _dictRehashStep); DICT_HT_INITIAL_SIZE = 4. */
#include "analyze/dictsim.h"

#include <math.h>

#include "analyze/model_int.h"

void ds_init(dictsim *d)
{
    d->s0 = d->s1 = d->used = 0;
    d->rehashing = false;
    d->steps_left = 0;
}

static void finish_rehash(dictsim *d)
{
    d->s0 = d->s1;
    d->s1 = 0;
    d->rehashing = false;
    d->steps_left = 0;
}

void ds_expand(dictsim *d, uint64_t size)
{
    if (d->rehashing || d->used > size) return;
    uint64_t ns = next_pow2(size);
    if (d->s0 == 0) { d->s0 = ns; return; }
    if (ns == d->s0) return;
    d->s1 = ns;
    d->rehashing = true;
    /* One step per non-empty bucket of the old table (empty ones are
     * skipped within a step). Which are non-empty depends on the process's
     * hash seed; expect s0 (1 - (1 - 1/s0)^used) of them, rounded to the
     * nearest count: 3 keys in 4 buckets fill 2.31 on average and exactly
     * 2 most often (56 %). */
    double ne = (double)d->s0 * -expm1((double)d->used * log1p(-1.0 / (double)d->s0));
    d->steps_left = (uint64_t)llround(ne);
    if (d->steps_left == 0 && d->used > 0) d->steps_left = 1;
}

/* one _dictRehashStep */
static void step(dictsim *d)
{
    if (!d->rehashing) return;
    if (d->steps_left <= 1) finish_rehash(d);
    else d->steps_left--;
}

void ds_add(dictsim *d, uint64_t n)
{
    while (n > 0) {
        if (!d->rehashing && d->s0 != 0 && d->used < d->s0) {
            /* room left: nothing happens until used reaches the size */
            uint64_t room = d->s0 - d->used;
            if (room > n) room = n;
            d->used += room;
            n -= room;
            continue;
        }
        /* one dictAdd: a rehash step, then _dictExpandIfNeeded, then insert */
        step(d);
        if (!d->rehashing) {
            if (d->s0 == 0) ds_expand(d, 4);
            else if (d->used >= d->s0) ds_expand(d, d->used + 1);
        }
        d->used++;
        n--;
    }
}

uint64_t dict_mu_slots(const dictsim *d)
{
    return d->s0 + (d->rehashing ? d->s1 : 0);
}

uint64_t dict_ram_tables(const model_profile *p, const dictsim *d)
{
    uint64_t r = d->s0 ? je_size(p, 8 * d->s0) : 0;
    if (d->rehashing) r += je_size(p, 8 * d->s1);
    return r;
}

uint64_t mu_add_avg(uint64_t asize, uint64_t elesize, uint64_t samples, uint64_t count)
{
    if (samples == 0) return asize;
    double v = (double)asize + (double)elesize / (double)samples * (double)count;
    return (uint64_t)v;
}
