/* progress.c: the progress line (progress.h). */
#include "cli/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REDRAW_NS 200000000ull   /* 5 redraws a second at most */

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool progress_wanted(progress_mode mode) {
    if (mode != PROGRESS_AUTO) return mode == PROGRESS_ON;
    const char *no = getenv("NO_PROGRESS");
    if (no && *no) return false;
    const char *ci = getenv("CI");
    if (ci && *ci) return false;
    const char *term = getenv("TERM");
    if (term && !strcmp(term, "dumb")) return false;   /* cannot erase a line */
    return isatty(STDERR_FILENO) == 1;
}

void progress_init(progress *p, bool on, size_t nfiles, uint64_t total) {
    memset(p, 0, sizeof *p);
    p->on = on;
    p->fd = STDERR_FILENO;
    p->nfiles = nfiles;
    p->total = total;
    p->start_ns = now_ns();
}

void progress_file_begin(progress *p, const char *name, const rdb_source *src, uint64_t size) {
    p->name = name;
    p->src = src;
    p->size = size;
    p->file_start_ns = now_ns();
    p->last_draw_ns = p->file_start_ns;   /* the first line after REDRAW_NS */
}

/* "1.2 GB" (decimal units, as MB/s is) */
static void fmt_bytes(char *out, size_t cap, double b) {
    static const char *const unit[] = {"B", "kB", "MB", "GB", "TB"};
    int u = 0;
    while (b >= 1000 && u < 4) b /= 1000, u++;
    snprintf(out, cap, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
}

static void fmt_eta(char *out, size_t cap, double s) {
    if (s > 359999) s = 359999;
    unsigned t = (unsigned)(s + 0.5);
    if (t >= 3600) snprintf(out, cap, "%u:%02u:%02u", t / 3600, t / 60 % 60, t % 60);
    else snprintf(out, cap, "%u:%02u", t / 60, t % 60);
}

/* Stored bytes of the current file read so far. */
static uint64_t file_read(const progress *p, uint64_t offset) {
    /* a decompressor knows its compressed offset; a plain source is at offset */
    if (p->src && strcmp(p->src->format, "plain") != 0) return p->src->in_offset;
    return offset;
}

static void put(progress *p, const char *s, size_t n) {
    while (n) {
        ssize_t w = write(p->fd, s, n);
        if (w <= 0) {   /* stderr is gone: stop drawing, never fail the run */
            p->on = false;
            return;
        }
        s += w;
        n -= (size_t)w;
    }
}

static void draw(progress *p, uint64_t offset, uint64_t t) {
    uint64_t read = file_read(p, offset);
    double secs = (double)(t - p->file_start_ns) / 1e9;
    double rate = secs > 0 ? (double)read / secs : 0;
    char line[256], b[32], sz[32], r[32], eta[32];
    size_t n = 0;
    line[0] = '\0';
    if (p->nfiles > 1)
        n += (size_t)snprintf(line + n, sizeof line - n, "[%zu/%zu] ", p->index + 1, p->nfiles);
    fmt_bytes(b, sizeof b, (double)read);
    fmt_bytes(r, sizeof r, rate);
    /* the name last but one, cut to keep the line within 100 columns */
    const char *name = p->name ? p->name : "-";
    size_t nl = strlen(name);
    if (nl > 32) name += nl - 32;
    if (p->size && read <= p->size) {
        fmt_bytes(sz, sizeof sz, (double)p->size);
        fmt_eta(eta, sizeof eta, rate > 0 ? (double)(p->size - read) / rate : 0);
        n += (size_t)snprintf(line + n, sizeof line - n, "%s%s  %3.0f%%  %s / %s  %s/s  ETA %s",
                              nl > 32 ? "..." : "", name, 100.0 * (double)read / (double)p->size, b,
                              sz, r, eta);
    } else {
        n += (size_t)snprintf(line + n, sizeof line - n, "%s%s  %s  %s/s", nl > 32 ? "..." : "", name,
                              b, r);
    }
    if (p->nfiles > 1 && p->total && n < sizeof line) {
        uint64_t all = p->done + read;
        double asecs = (double)(t - p->start_ns) / 1e9;
        double arate = asecs > 0 ? (double)all / asecs : 0;
        if (all > p->total) all = p->total;
        fmt_eta(eta, sizeof eta, arate > 0 ? (double)(p->total - all) / arate : 0);
        n += (size_t)snprintf(line + n, sizeof line - n, "  | all %3.0f%%  ETA %s",
                              100.0 * (double)all / (double)p->total, eta);
    }
    if (n >= sizeof line) n = sizeof line - 1;
    /* carriage return, the line, erase what an earlier, longer one left */
    char out[300];
    int m = snprintf(out, sizeof out, "\r%.*s\033[K", (int)n, line);
    if (m > 0) put(p, out, (size_t)m < sizeof out ? (size_t)m : sizeof out - 1);
    p->drawn = p->on;
}

void progress_tick(void *ctx, uint64_t offset) {
    progress *p = ctx;
    if (!p || !p->on) return;
    uint64_t t = now_ns();
    if (t - p->last_draw_ns < REDRAW_NS) return;
    p->last_draw_ns = t;
    draw(p, offset, t);
}

void progress_file_end(progress *p) {
    if (!p) return;
    p->done += p->size;
    p->index++;
    p->src = NULL;
    if (p->on && p->drawn) put(p, "\r\033[K", 4);
    p->drawn = false;
}
