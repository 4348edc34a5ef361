/* recq_stress.c: the record queue (cli/recqueue.c) under load, for
 * ThreadSanitizer (make tsan) and AddressSanitizer (make test).
 *
 * One producer pushes records whose key bytes, length (0 .. 300, and now
 * and then longer than a quarter of the 64 KiB ring, which goes in line)
 * and module name follow from their sequence number; the consumer checks
 * every one, in order. The small ring wraps and fills over and over; the
 * producer drains now and then and checks that the consumer has seen
 * everything pushed, which is the promise the report relies on.
 * Exit 0 and "recq_stress: N passed, 0 failed", or 1. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/recqueue.h"

#define RECORDS 200000u

typedef struct check {
    uint64_t seen;       /* records consumed (only the consumer writes it) */
    uint64_t bad;
} check;

static uint64_t mix(uint64_t x) {
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 33;
    return x;
}

static size_t key_len_of(uint64_t seq) {
    uint64_t h = mix(seq);
    if (h % 997 == 0) return 20000 + (size_t)(h % 5000);   /* > ring / 4: in line */
    return (size_t)(h % 301);
}

static void fill_key(uint8_t *k, size_t n, uint64_t seq) {
    for (size_t i = 0; i < n; i++) k[i] = (uint8_t)(mix(seq + i) >> 7);
}

static int consume(void *ctx, const key_record *r) {
    check *c = ctx;
    uint64_t seq = r->offset;
    static uint8_t want[32768];
    size_t n = key_len_of(seq);
    fill_key(want, n, seq);
    bool mod = seq % 7 == 3;
    if (seq != c->seen || r->key_len != n || (n && memcmp(r->key, want, n) != 0) ||
        r->bytes != seq * 3 || mod != (r->module_name != NULL) ||
        (mod && strcmp(r->module_name, "ReJSON-RL") != 0)) {
        if (c->bad++ < 5) fprintf(stderr, "recq_stress: record %llu wrong (expected %llu)\n",
                                   (unsigned long long)seq, (unsigned long long)c->seen);
    }
    c->seen = seq + 1;
    return 0;
}

int main(void) {
    check c = {0};
    recq *q = recq_start(consume, &c, 64u << 10);
    if (!q) {
        fputs("recq_stress: cannot start the queue\n", stderr);
        return 1;
    }
    static uint8_t key[32768];
    char module[10] = "ReJSON-RL";
    unsigned drains = 0, drain_fail = 0;
    for (uint64_t seq = 0; seq < RECORDS; seq++) {
        size_t n = key_len_of(seq);
        fill_key(key, n, seq);
        key_record r = {.key = key, .key_len = n, .offset = seq, .bytes = seq * 3,
                        .module_name = seq % 7 == 3 ? module : NULL};
        recq_push(q, &r);
        memset(key, 0xEE, n);        /* the queue must have copied it */
        if (seq % 10007 == 0) {
            recq_drain(q);
            drains++;
            if (c.seen != seq + 1) drain_fail++;   /* the consumer is idle: no race */
        }
    }
    recq_stop(q);
    unsigned failed = (c.seen != RECORDS) + (c.bad != 0) + (drain_fail != 0);
    if (c.seen != RECORDS)
        fprintf(stderr, "recq_stress: %llu of %u records consumed\n", (unsigned long long)c.seen, RECORDS);
    if (drain_fail) fprintf(stderr, "recq_stress: %u of %u drains returned early\n", drain_fail, drains);
    printf("recq_stress: %u passed, %u failed\n", 3 - failed, failed);
    return failed ? 1 : 0;
}
