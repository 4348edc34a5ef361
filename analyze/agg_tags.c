/* agg_tags.c: weighted Space-Saving over hash tags (agg_tags.h).
 *
 * rows[] holds the counters; heap[] orders them by bytes (smallest first)
 * so the one to replace is found in O(1) and re-ordered in O(log n);
 * index[] finds a tag's row by its seeded hash (linear probing, backward
 * shift on removal), so a dump cannot pick tags that collide. */
#include "analyze/agg_tags.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "analyze/hashseed.h"

#define INDEX_SIZE (2 * AGG_TAGS_TRACKED)

void agg_tags_init(agg_tags *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < INDEX_SIZE; i++) t->index[i] = -1;
    t->seed = hashseed_new();
}

void agg_tags_free(agg_tags *t)
{
    for (size_t i = 0; i < t->n; i++) free(t->rows[i].tag);
    t->n = 0;
}

/* ---- the min-heap of rows by bytes ----------------------------------------- */

static bool less(const agg_tags *t, uint16_t a, uint16_t b)
{
    return t->rows[a].bytes < t->rows[b].bytes;
}

static void heap_swap(agg_tags *t, size_t i, size_t j)
{
    uint16_t x = t->heap[i];
    t->heap[i] = t->heap[j];
    t->heap[j] = x;
    t->pos[t->heap[i]] = (uint16_t)i;
    t->pos[t->heap[j]] = (uint16_t)j;
}

static void sift_up(agg_tags *t, size_t i)
{
    while (i > 0 && less(t, t->heap[i], t->heap[(i - 1) / 2])) {
        heap_swap(t, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

/* A row's bytes only grow: it moves towards the leaves. */
static void sift_down(agg_tags *t, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < t->n && less(t, t->heap[l], t->heap[m])) m = l;
        if (r < t->n && less(t, t->heap[r], t->heap[m])) m = r;
        if (m == i) return;
        heap_swap(t, i, m);
        i = m;
    }
}

/* ---- the index ------------------------------------------------------------- */

static bool same_tag(const agg_tag_row *r, uint64_t h, const uint8_t *tag, size_t len)
{
    size_t keep = len < AGG_TAG_KEEP ? len : AGG_TAG_KEEP;
    return r->hash == h && r->tag_full_len == len && r->tag_len == keep &&
           memcmp(r->tag, tag, keep) == 0;
}

static int find(const agg_tags *t, uint64_t h, const uint8_t *tag, size_t len)
{
    for (size_t i = h % INDEX_SIZE;; i = (i + 1) % INDEX_SIZE) {
        int r = t->index[i];
        if (r < 0) return -1;
        if (same_tag(&t->rows[r], h, tag, len)) return r;
    }
}

static void index_put(agg_tags *t, uint64_t h, int row)
{
    size_t i = h % INDEX_SIZE;
    while (t->index[i] >= 0) i = (i + 1) % INDEX_SIZE;
    t->index[i] = (int16_t)row;
}

/* Removes row from the index, shifting later entries of its run back so
 * that lookups never stop early (no tombstones). */
static void index_remove(agg_tags *t, int row)
{
    size_t i = t->rows[row].hash % INDEX_SIZE;
    while (t->index[i] != row) i = (i + 1) % INDEX_SIZE;
    t->index[i] = -1;
    for (size_t j = (i + 1) % INDEX_SIZE; t->index[j] >= 0; j = (j + 1) % INDEX_SIZE) {
        int r = t->index[j];
        size_t home = t->rows[r].hash % INDEX_SIZE;
        /* r may move to the hole at i when i lies cyclically in [home, j) */
        bool movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
        if (movable) {
            t->index[i] = (int16_t)r;
            t->index[j] = -1;
            i = j;
        }
    }
}

/* ---- adding ---------------------------------------------------------------- */

static int set_tag(agg_tag_row *r, uint64_t h, const uint8_t *tag, size_t len, unsigned slot)
{
    size_t keep = len < AGG_TAG_KEEP ? len : AGG_TAG_KEEP;
    uint8_t *copy = malloc(keep ? keep : 1);
    if (!copy) return -1;
    memcpy(copy, tag, keep);
    free(r->tag);
    r->tag = copy;
    r->tag_len = keep;
    r->tag_full_len = len;
    r->hash = h;
    r->slot = slot;
    return 0;
}

/* Counts keys/bytes (and an inherited error bound) for the tag hashed to h:
 * into its row when tracked, else into a free row or, when all are taken,
 * the lightest one's, whose bytes become the newcomer's error bound
 * (Space-Saving). 1 when the tag was not tracked, 0 when it was, -1 when
 * out of memory. */
static int count_tag(agg_tags *t, uint64_t h, const uint8_t *tag, size_t len, unsigned slot,
                     uint64_t keys, uint64_t bytes, uint64_t error)
{
    int r = find(t, h, tag, len);
    if (r >= 0) {
        t->rows[r].keys += keys;
        t->rows[r].bytes += bytes;
        t->rows[r].error += error;
        sift_down(t, t->pos[r]);
        return 0;
    }
    uint64_t floor = 0;
    agg_tag_row *row;
    bool evict = t->n == AGG_TAGS_TRACKED;
    if (!evict) {
        r = (int)t->n;
        row = &t->rows[r];
        memset(row, 0, sizeof *row);
    } else {
        r = t->heap[0];   /* take over the row with the fewest bytes */
        row = &t->rows[r];
        index_remove(t, r);
        floor = row->bytes;
    }
    if (set_tag(row, h, tag, len, slot) < 0) return -1;
    row->keys = keys;
    row->bytes = floor + bytes;
    row->error = floor + error;
    index_put(t, h, r);
    if (evict) {
        t->evicted = true;
        sift_down(t, 0);
    } else {
        t->heap[t->n] = (uint16_t)r;
        t->pos[r] = (uint16_t)t->n;
        t->n++;
        sift_up(t, t->pos[r]);
    }
    return 1;
}

int agg_tags_add(agg_tags *t, const uint8_t *tag, size_t len, unsigned slot, uint64_t bytes)
{
    t->tagged_keys++;
    t->tagged_bytes += bytes;
    uint64_t h = XXH3_64bits_withSeed(tag, len, t->seed);
    int rc = count_tag(t, h, tag, len, slot, 1, bytes, 0);
    if (rc == 1) t->distinct_seen++;
    return rc < 0 ? -1 : 0;
}

static int row_cmp(const void *x, const void *y)
{
    const agg_tag_row *a = *(const agg_tag_row *const *)x, *b = *(const agg_tag_row *const *)y;
    if (a->bytes != b->bytes) return a->bytes > b->bytes ? -1 : 1;
    if (a->tag_full_len != b->tag_full_len) return a->tag_full_len < b->tag_full_len ? -1 : 1;
    size_t n = a->tag_len < b->tag_len ? a->tag_len : b->tag_len;
    int c = memcmp(a->tag, b->tag, n);
    if (c) return c;
    return a->tag_len < b->tag_len ? -1 : a->tag_len > b->tag_len;
}

size_t agg_tags_sorted(const agg_tags *t, const agg_tag_row **out)
{
    for (size_t i = 0; i < t->n; i++) out[i] = &t->rows[i];
    qsort(out, t->n, sizeof *out, row_cmp);
    return t->n;
}

/* ---- merging (agg_merge.h) -------------------------------------------------
 * Another sketch's row: its counts add to this tag's row; a tag not kept
 * here takes a free row or, when all are taken, the lightest one's, whose
 * bytes become its error bound as in agg_tags_add (Space-Saving merged). A
 * tag cut at AGG_TAG_KEEP bytes is matched by its kept head and length. */
int agg_tags_add_row(agg_tags *t, const agg_tag_row *src)
{
    uint64_t h = XXH3_64bits_withSeed(src->tag, src->tag_len, t->seed);
    size_t len = src->tag_full_len > src->tag_len ? (size_t)src->tag_full_len : src->tag_len;
    int rc = count_tag(t, h, src->tag, len, src->slot, src->keys, src->bytes, src->error);
    return rc < 0 ? -1 : 0;
}

void agg_tags_add_totals(agg_tags *t, uint64_t tagged_keys, uint64_t tagged_bytes, uint64_t seen, bool evicted)
{
    t->tagged_keys += tagged_keys;
    t->tagged_bytes += tagged_bytes;
    t->distinct_seen += seen;
    if (evicted) t->evicted = true;
}
