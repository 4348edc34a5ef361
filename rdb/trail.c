/* trail.c: the checksum and page release behind the parser, on a helper
 * thread (trail.h). */
#include "rdb/trail.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/* The trailer wakes for at least this much new input (a wake-up per
 * megabyte costs nothing next to checksumming it) and takes at most
 * TRAIL_STEP at once, releasing in between: what it reads is resident
 * until released, and one skipped 500 MB string must not be. */
#define TRAIL_CHUNK (1u << 20)
#define TRAIL_STEP (2u << 20)
/* The parser waits when this far ahead (a trailer starved of CPU): the
 * pages between the two are resident. */
#define TRAIL_MAX_LAG (8u << 20)
/* How far ahead of the parser the pages are mapped (src->ops->ahead). */
#define TRAIL_AHEAD (2u << 20)

struct rd_trail {
    const uint8_t *map;
    rdb_source *src;
    const crc64_table *tab;
    size_t release_step;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;     /* both ways: new input for the trailer, done for finish */
    /* under mu */
    size_t published;      /* the parser has read map[0, published) */
    bool final;            /* published is the end: checksum up to it and stop */
    bool stop;             /* give up (the parse stopped early) */
    bool waiting;          /* the trailer sleeps on cv */
    bool parser_waiting;   /* the parser sleeps on cv (too far ahead) */
    bool done;             /* the trailer reached the final offset */
    uint64_t crc;          /* of map[0, crc_pos); read by finish once done */
    size_t crc_pos;        /* checksummed so far (the trailer's to write) */
    size_t released;       /* the trailer's own */
    size_t ahead;          /* the trailer's own: mapped ahead up to here */
    size_t len;
};

static void *trail_main(void *arg) {
    rd_trail *t = arg;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        while (!t->stop && !t->final && t->published - t->crc_pos < TRAIL_CHUNK) {
            t->waiting = true;
            pthread_cond_wait(&t->cv, &t->mu);
            t->waiting = false;
        }
        if (t->stop) break;
        size_t from = t->crc_pos, to = t->published, at = t->published;
        if (to - from > TRAIL_STEP) to = from + TRAIL_STEP;
        uint64_t crc = t->crc;
        pthread_mutex_unlock(&t->mu);

        if (t->src->ops->ahead && at + TRAIL_AHEAD > t->ahead && t->ahead < t->len) {
            size_t a = t->ahead > at ? t->ahead : at;
            t->src->ops->ahead(t->src, a, at + TRAIL_AHEAD);
            t->ahead = at + TRAIL_AHEAD;
        }
        crc = crc64_update(t->tab, crc, t->map + from, to - from);
        if (t->src->ops->release && to - t->released >= t->release_step) {
            t->src->ops->release(t->src, to);
            t->released = to;
        }

        pthread_mutex_lock(&t->mu);
        t->crc = crc;
        t->crc_pos = to;
        if (t->final && to == t->published) {
            t->done = true;
            pthread_cond_broadcast(&t->cv);
            break;
        }
        if (t->parser_waiting) pthread_cond_broadcast(&t->cv);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

rd_trail *trail_start(const uint8_t *map, size_t len, rdb_source *src, const crc64_table *tab,
                      uint64_t crc, size_t from, size_t release_step) {
    rd_trail *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    *t = (rd_trail){.map = map, .src = src, .tab = tab, .release_step = release_step,
                    .published = from, .crc = crc, .crc_pos = from, .released = from, .ahead = from, .len = len};
    if (pthread_mutex_init(&t->mu, NULL) != 0) {
        free(t);
        return NULL;
    }
    if (pthread_cond_init(&t->cv, NULL) != 0) {
        pthread_mutex_destroy(&t->mu);
        free(t);
        return NULL;
    }
    if (pthread_create(&t->thread, NULL, trail_main, t) != 0) {
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
        free(t);
        return NULL;
    }
    return t;
}

void trail_advance(rd_trail *t, size_t pos) {
    pthread_mutex_lock(&t->mu);
    if (pos > t->published) t->published = pos;
    if (t->waiting && t->published - t->crc_pos >= TRAIL_CHUNK) pthread_cond_broadcast(&t->cv);
    while (t->published - t->crc_pos > TRAIL_MAX_LAG) {
        t->parser_waiting = true;
        pthread_cond_wait(&t->cv, &t->mu);
        t->parser_waiting = false;
    }
    pthread_mutex_unlock(&t->mu);
}

uint64_t trail_finish(rd_trail *t, size_t pos) {
    pthread_mutex_lock(&t->mu);
    if (pos > t->published) t->published = pos;
    t->final = true;
    pthread_cond_broadcast(&t->cv);
    while (!t->done) pthread_cond_wait(&t->cv, &t->mu);
    uint64_t crc = t->crc;
    pthread_mutex_unlock(&t->mu);
    return crc;
}

void trail_stop(rd_trail *t) {
    if (!t) return;
    pthread_mutex_lock(&t->mu);
    t->stop = true;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
