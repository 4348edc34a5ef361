/* recqueue.c: a single-producer single-consumer ring of key records
 * (recqueue.h).
 *
 * The ring is a byte array; each record takes one entry, 8-byte aligned:
 *
 *   | size | wrap | key_record | module[10] | key bytes ... | pad |
 *
 * 'head' (bytes consumed) and 'tail' (bytes published) only grow; an
 * offset in the ring is the counter modulo its size. An entry never wraps:
 * when it does not fit before the ring's end, the producer writes a wrap
 * entry over the rest (or, when too little is left for an entry's header,
 * both sides skip that rest by the same rule) and starts at offset 0.
 *
 * The producer writes an entry, then publishes it by storing tail; the
 * consumer reads tail, calls the sink, then stores head: release/acquire
 * pairs, so the bytes are there before they are read and the sink's writes
 * are visible to the producer once it sees head reach tail (recq_drain).
 * A side that finds nothing to do spins briefly, then sleeps on a condition
 * variable; the other side wakes it when the sleeper's flag is set. The
 * flag and the counters are sequentially consistent, so that of "set my
 * flag, then look again" and "move the counter, then look at the flag" at
 * least one sees the other (no lost wake-up). The consumer is the faster
 * side and would otherwise sleep and be woken (a system call each) every
 * few records: the producer wakes it only once a quarter of the ring is
 * waiting, or when it must (draining, or waiting itself for room).
 */
#include "cli/recqueue.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RECQ_MIN_RING (64u << 10)
#define SPINS 64
/* Entries published (tail stored) or consumed (head stored) at a time: a
 * store per record, each one a cache line moving between the cores, cost
 * more than the records' own copying. */
#define BATCH 32

typedef struct entry {
    uint32_t size;           /* bytes of the whole entry, padding included */
    uint32_t wrap;           /* 1: skip to the ring's start */
    key_record rec;
    char module[10];         /* rec.module_name's text, when it has one */
    bool has_module;
} entry;

#define HDR ((sizeof(entry) + 7) & ~(size_t)7)

/* Four cache lines, by who writes them: fields set once and only read
 * (both sides read them for every record), the producer's own position,
 * and each side's published counter with the flag the other side sets.
 * Sharing a line between a field one side writes per record and one the
 * other side reads per record would move that line between the cores at
 * every record. */
struct recq {
    uint8_t *ring;
    size_t cap;
    record_sink sink;
    void *ctx;
    alignas(64) uint64_t ptail;  /* the producer's next write position (>= tail) */
    uint64_t head_seen;      /* head as the producer last loaded it (<= head) */
    unsigned unpublished;    /* entries written since tail was last stored */
    alignas(64) _Atomic uint64_t tail;
    _Atomic bool consumer_sleeps;
    alignas(64) _Atomic uint64_t head;
    _Atomic bool producer_sleeps;
    alignas(64) _Atomic bool stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
};

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Sleeps until ready(q) holds; *flag tells the other side to wake us. */
static void wait_until(recq *q, _Atomic bool *flag, bool (*ready)(recq *)) {
    for (int i = 0; i < SPINS; i++) {
        if (ready(q)) return;
        relax();
    }
    pthread_mutex_lock(&q->mu);
    atomic_store(flag, true);
    while (!ready(q)) pthread_cond_wait(&q->cv, &q->mu);
    atomic_store(flag, false);
    pthread_mutex_unlock(&q->mu);
}

static void wake(recq *q, _Atomic bool *flag) {
    if (!atomic_load(flag)) return;
    pthread_mutex_lock(&q->mu);
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

static bool has_work(recq *q) {
    return atomic_load(&q->tail) != atomic_load_explicit(&q->head, memory_order_relaxed) ||
           atomic_load(&q->stop);
}

static bool drained(recq *q) {
    return atomic_load(&q->head) == q->ptail;
}

static void *consume(void *arg) {
    recq *q = arg;
    uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
    uint64_t tail = head;
    unsigned done = 0;
    for (;;) {
        if (tail == head) {
            /* caught up: let the producer see it, then look for more */
            atomic_store(&q->head, head);
            done = 0;
            wake(q, &q->producer_sleeps);
            tail = atomic_load(&q->tail);
            if (tail != head) continue;
            if (atomic_load(&q->stop)) return NULL;
            wait_until(q, &q->consumer_sleeps, has_work);
            tail = atomic_load(&q->tail);
            continue;
        }
        size_t off = (size_t)(head % q->cap);
        size_t rest = q->cap - off;
        if (rest < HDR) {                      /* too little for a header: skipped */
            head += rest;
        } else {
            entry *e = (entry *)(q->ring + off);
            if (!e->wrap) {
                /* in place: the entry is the consumer's until head passes it */
                e->rec.key = q->ring + off + HDR;
                e->rec.module_name = e->has_module ? e->module : NULL;
                (void)q->sink(q->ctx, &e->rec);
            }
            head += e->size;
        }
        if (++done == BATCH) {
            atomic_store(&q->head, head);
            done = 0;
            wake(q, &q->producer_sleeps);
        }
    }
}

recq *recq_start(record_sink sink, void *ctx, size_t ring_bytes) {
    /* its own alignment (64, the cache lines above): calloc gives 16 */
    recq *q = aligned_alloc(alignof(recq), sizeof *q);
    if (!q) return NULL;
    memset(q, 0, sizeof *q);
    if (ring_bytes < RECQ_MIN_RING) ring_bytes = RECQ_MIN_RING;
    q->cap = ring_bytes & ~(size_t)7;
    q->ring = aligned_alloc(alignof(max_align_t), q->cap);
    q->sink = sink;
    q->ctx = ctx;
    if (!q->ring || pthread_mutex_init(&q->mu, NULL) != 0) goto fail_ring;
    if (pthread_cond_init(&q->cv, NULL) != 0) goto fail_mu;
    if (pthread_create(&q->thread, NULL, consume, q) != 0) goto fail_cv;
    return q;
fail_cv:
    pthread_cond_destroy(&q->cv);
fail_mu:
    pthread_mutex_destroy(&q->mu);
fail_ring:
    free(q->ring);
    free(q);
    return NULL;
}

/* Stores tail; wakes a sleeping consumer when 'force' or enough waits. */
static void publish(recq *q, bool force) {
    q->unpublished = 0;
    atomic_store(&q->tail, q->ptail);
    if (!atomic_load(&q->consumer_sleeps)) return;
    if (force || q->ptail - atomic_load(&q->head) >= q->cap / 4) wake(q, &q->consumer_sleeps);
}

/* Whether n bytes are free. The head seen last time answers most calls
 * without touching the consumer's cache line: the room it shows only
 * grows as the consumer goes on. */
static bool room_for(recq *q, size_t n) {
    if (q->cap - (size_t)(q->ptail - q->head_seen) >= n) return true;
    q->head_seen = atomic_load(&q->head);
    return q->cap - (size_t)(q->ptail - q->head_seen) >= n;
}

/* Waits for n free bytes (n <= cap). */
static void reserve(recq *q, size_t n) {
    if (room_for(q, n)) return;
    publish(q, true);
    for (int i = 0; i < SPINS; i++) {
        if (room_for(q, n)) return;
        relax();
    }
    pthread_mutex_lock(&q->mu);
    atomic_store(&q->producer_sleeps, true);
    while (!room_for(q, n)) pthread_cond_wait(&q->cv, &q->mu);
    atomic_store(&q->producer_sleeps, false);
    pthread_mutex_unlock(&q->mu);
}

void recq_drain(recq *q) {
    publish(q, true);
    if (drained(q)) return;
    for (int i = 0; i < SPINS; i++) {
        if (drained(q)) return;
        relax();
    }
    pthread_mutex_lock(&q->mu);
    atomic_store(&q->producer_sleeps, true);
    while (!drained(q)) pthread_cond_wait(&q->cv, &q->mu);
    atomic_store(&q->producer_sleeps, false);
    pthread_mutex_unlock(&q->mu);
}

void recq_push(recq *q, const key_record *r) {
    size_t need = (HDR + r->key_len + 7) & ~(size_t)7;
    if (r->key_len > q->cap / 4) {
        /* too long for the ring: in line, once the consumer is idle */
        recq_drain(q);
        (void)q->sink(q->ctx, r);
        return;
    }
    size_t off = (size_t)(q->ptail % q->cap);
    size_t rest = q->cap - off;
    if (rest < need) {
        /* the entry would wrap: skip to the ring's start */
        reserve(q, rest + need);
        if (rest >= HDR) {
            entry *w = (entry *)(q->ring + off);
            w->size = (uint32_t)rest;
            w->wrap = 1;
        }
        q->ptail += rest;
        off = 0;
    } else {
        reserve(q, need);
    }
    entry *e = (entry *)(q->ring + off);
    e->size = (uint32_t)need;
    e->wrap = 0;
    e->rec = *r;
    e->rec.key = NULL;
    e->rec.module_name = NULL;
    e->has_module = r->module_name != NULL;
    if (e->has_module) {
        strncpy(e->module, r->module_name, sizeof e->module - 1);
        e->module[sizeof e->module - 1] = '\0';
    }
    if (r->key_len) memcpy(q->ring + off + HDR, r->key, r->key_len);
    q->ptail += need;
    if (++q->unpublished == BATCH) publish(q, false);
}

int recq_sink(void *q, const key_record *r) {
    recq_push(q, r);
    return 0;
}

void recq_stop(recq *q) {
    if (!q) return;
    recq_drain(q);
    pthread_mutex_lock(&q->mu);
    atomic_store(&q->stop, true);
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->thread, NULL);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q->ring);
    free(q);
}
