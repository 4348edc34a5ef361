/* inspect_top.c: the bounded largest-N heap of elements and the log2
 * histogram of inspect.h.
 *
 * The heap is a binary min-heap on (size, later arrival): its root is the
 * element the next bigger one evicts. A slot's name buffers are kept when
 * it is refilled, so a key whose elements keep growing costs no allocation
 * per element once the heap is warm; a name is cut to INSPECT_KEEP bytes,
 * which bounds the heap at INSPECT_TOP x 2 x INSPECT_KEEP bytes of names. */
#include <stdlib.h>
#include <string.h>

#include "analyze/inspect.h"

/* a ranks below b: smaller, or as large and later */
static bool worse(const inspect_elem *a, const inspect_elem *b)
{
    if (a->size != b->size) return a->size < b->size;
    return a->seq > b->seq;
}

int inspect_top_init(inspect_top *t, size_t cap)
{
    memset(t, 0, sizeof *t);
    if (cap == 0) return 0;
    t->v = calloc(cap, sizeof *t->v);
    if (!t->v) return -1;
    t->cap = cap;
    return 0;
}

void inspect_top_free(inspect_top *t)
{
    for (size_t i = 0; i < t->cap && t->v; i++) {
        free(t->v[i].name);
        free(t->v[i].name2);
    }
    free(t->v);
    memset(t, 0, sizeof *t);
}

bool inspect_top_wants(const inspect_top *t, uint64_t size, uint64_t seq)
{
    if (t->sorted || t->cap == 0) return false;
    if (t->n < t->cap) return true;
    inspect_elem probe = {.size = size, .seq = seq};
    return worse(&t->v[0], &probe);
}

static void swap(inspect_elem *a, inspect_elem *b)
{
    inspect_elem tmp = *a;
    *a = *b;
    *b = tmp;
}

static void sift_down(inspect_elem *v, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && worse(&v[l], &v[m])) m = l;
        if (r < n && worse(&v[r], &v[m])) m = r;
        if (m == i) return;
        swap(&v[i], &v[m]);
        i = m;
    }
}

static void sift_up(inspect_elem *v, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!worse(&v[i], &v[p])) return;
        swap(&v[i], &v[p]);
        i = p;
    }
}

/* Copies the head of a name into a slot's buffer, growing it as needed. */
static int keep_name(uint8_t **buf, size_t *cap, size_t *len, uint64_t *full,
                     const uint8_t *name, uint64_t name_len)
{
    size_t keep = name_len < INSPECT_KEEP ? (size_t)name_len : INSPECT_KEEP;
    *full = name_len;
    *len = 0;
    if (!name) return 0;
    if (keep > *cap || !*buf) {
        uint8_t *nb = realloc(*buf, keep ? keep : 1);
        if (!nb) return -1;
        *buf = nb;
        *cap = keep ? keep : 1;
    }
    if (keep) memcpy(*buf, name, keep);
    *len = keep;
    return 0;
}

/* Fills slot s with e and the names, keeping s's buffers. */
static int fill(inspect_elem *s, const inspect_elem *e, const uint8_t *name, uint64_t name_len,
                const uint8_t *name2, uint64_t name2_len)
{
    uint8_t *b1 = s->name, *b2 = s->name2;
    size_t c1 = s->name_cap, c2 = s->name2_cap;
    *s = *e;
    s->name = b1, s->name_cap = c1;
    s->name2 = b2, s->name2_cap = c2;
    if (keep_name(&s->name, &s->name_cap, &s->name_len, &s->name_full, name, name_len) < 0 ||
        keep_name(&s->name2, &s->name2_cap, &s->name2_len, &s->name2_full, name2, name2_len) < 0)
        return -1;
    /* a slot may keep a buffer from an earlier element: NULL marks "no name" */
    return 0;
}

int inspect_top_offer(inspect_top *t, const inspect_elem *e, const uint8_t *name, uint64_t name_len,
                      const uint8_t *name2, uint64_t name2_len)
{
    if (!inspect_top_wants(t, e->size, e->seq)) return 0;
    size_t at = t->n < t->cap ? t->n : 0;
    if (fill(&t->v[at], e, name, name_len, name2, name2_len) < 0) {
        /* the slot's old element is gone (the heap stays a heap without it
         * only if it was the last one or the root): drop the slot */
        if (at == 0 && t->n == t->cap) {
            swap(&t->v[0], &t->v[t->n - 1]);
            t->n--;
            sift_down(t->v, t->n, 0);
        }
        return -1;
    }
    if (t->n < t->cap) sift_up(t->v, t->n++);
    else sift_down(t->v, t->n, 0);
    return 1;
}

static int best_first(const void *a, const void *b)
{
    const inspect_elem *x = a, *y = b;
    if (worse(y, x)) return -1;
    if (worse(x, y)) return 1;
    return 0;
}

void inspect_top_sort(inspect_top *t)
{
    if (t->sorted) return;
    if (t->n > 1) qsort(t->v, t->n, sizeof *t->v, best_first);
    t->sorted = true;
}

/* ---- histogram ------------------------------------------------------------ */

unsigned inspect_hist_bucket(uint64_t size)
{
    return size ? 64u - (unsigned)__builtin_clzll(size) : 0;
}

uint64_t inspect_hist_low(unsigned bucket)
{
    return bucket ? (uint64_t)1 << (bucket - 1) : 0;
}

uint64_t inspect_hist_high(unsigned bucket)
{
    if (bucket == 0) return 0;
    if (bucket >= 64) return UINT64_MAX;
    return ((uint64_t)1 << bucket) - 1;
}

void inspect_hist_add(inspect_hist *h, uint64_t size)
{
    unsigned b = inspect_hist_bucket(size);
    h->count[b]++;
    h->bytes[b] += size;
}
