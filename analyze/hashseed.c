/* hashseed.c: see hashseed.h. */
#include "analyze/hashseed.h"

#include <sys/random.h>
#include <time.h>
#include <unistd.h>

uint64_t hashseed_new(void) {
    uint64_t s = 0;
    if (getrandom(&s, sizeof s, GRND_NONBLOCK) == (ssize_t)sizeof s) return s;
    /* No entropy yet (early boot) or no getrandom: weaker, still not
     * something a file can predict. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    s = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)ts.tv_sec;
    s ^= (uint64_t)(uintptr_t)&s * 0xbf58476d1ce4e5b9ull ^ (uint64_t)getpid() << 32;
    return s;
}
