/* idmap.c: open addressing, linear probing, grown at half full. */
#include "analyze/idmap.h"

#include <stdlib.h>

#include "analyze/hashseed.h"

/* splitmix64's finaliser over the id and the map's secret: every input bit
 * moves about half the output bits, so ids 0, 1, 2 ... and ids 2^32 apart
 * land in unrelated slots. The finaliser alone can be inverted, which let a
 * file choose ids that all share a slot; the secret takes that away. */
static uint64_t mix(uint64_t x, uint64_t seed) {
    x += seed;
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static size_t find_slot(const uint64_t *ids, const uint8_t *used, size_t cap, uint64_t seed,
                        uint64_t id) {
    size_t mask = cap - 1;
    size_t i = (size_t)mix(id, seed) & mask;
    while (used[i] && ids[i] != id) i = (i + 1) & mask;
    return i;
}

bool idmap_get(const idmap *m, uint64_t id, uint64_t *val) {
    if (!m->cap) return false;
    size_t i = find_slot(m->ids, m->used, m->cap, m->seed, id);
    if (!m->used[i]) return false;
    *val = m->vals[i];
    return true;
}

static int grow(idmap *m) {
    size_t cap = m->cap ? m->cap * 2 : 16;
    if (cap > SIZE_MAX / sizeof(uint64_t)) return -1;
    uint64_t *ids = malloc(cap * sizeof *ids);
    uint64_t *vals = malloc(cap * sizeof *vals);
    uint8_t *used = calloc(cap, 1);
    if (!ids || !vals || !used) {
        free(ids), free(vals), free(used);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->used[i]) continue;
        size_t j = find_slot(ids, used, cap, m->seed, m->ids[i]);
        used[j] = 1;
        ids[j] = m->ids[i];
        vals[j] = m->vals[i];
    }
    size_t n = m->n;
    uint64_t seed = m->seed;
    idmap_free(m);
    *m = (idmap){.ids = ids, .vals = vals, .used = used, .n = n, .cap = cap, .seed = seed};
    return 0;
}

int idmap_put(idmap *m, uint64_t id, uint64_t val) {
    if (!m->cap) m->seed = hashseed_new();
    if ((m->n + 1) * 2 > m->cap && grow(m) < 0) return -1;
    size_t i = find_slot(m->ids, m->used, m->cap, m->seed, id);
    if (!m->used[i]) {
        m->used[i] = 1;
        m->ids[i] = id;
        m->n++;
    }
    m->vals[i] = val;
    return 0;
}

void idmap_free(idmap *m) {
    free(m->ids);
    free(m->vals);
    free(m->used);
    m->ids = m->vals = NULL;
    m->used = NULL;
    m->n = m->cap = 0;
}
