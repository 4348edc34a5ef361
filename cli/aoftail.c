/* aoftail.c: count the AOF commands an RDB analysis leaves out (aoftail.h). */
#include "cli/aoftail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { S_TOP, S_COMMENT, S_NUM, S_LF, S_BULK, S_SKIP, S_CR2, S_LF2 };
enum { MAX_DIGITS = 19 };

void resp_walk_init(resp_walk *w) { memset(w, 0, sizeof *w); }

static void fail(resp_walk *w, size_t i) {
    w->bad = true;
    w->bad_at = w->consumed + i;
}

void resp_walk_feed(resp_walk *w, const uint8_t *p, size_t n) {
    size_t i = 0;
    while (i < n && !w->bad) {
        uint8_t c = p[i];
        switch (w->state) {
        case S_TOP:
            if (c == '#') w->state = S_COMMENT;
            else if (c == '*') w->in_array = true, w->num = 0, w->neg = false, w->state = S_NUM;
            else if (c != '\r' && c != '\n') { fail(w, i); continue; }
            i++;
            break;
        case S_COMMENT:
            if (c == '\n') w->state = S_TOP;
            i++;
            break;
        case S_BULK:
            if (c != '$') { fail(w, i); continue; }
            w->in_array = false, w->num = 0, w->neg = false, w->state = S_NUM;
            i++;
            break;
        case S_NUM:
            if (c >= '0' && c <= '9') {
                if (w->num > (UINT64_MAX - 9) / 10) { fail(w, i); continue; }
                w->num = w->num * 10 + (uint64_t)(c - '0');
            } else if (c == '\r') {
                w->state = S_LF;
            } else {
                fail(w, i);
                continue;
            }
            i++;
            break;
        case S_LF:
            if (c != '\n') { fail(w, i); continue; }
            i++;
            if (w->in_array) {
                w->commands++;
                w->items = w->num;
                w->state = w->items ? S_BULK : S_TOP;
            } else {
                w->left = w->num;
                w->state = S_SKIP;
            }
            break;
        case S_SKIP: {
            size_t take = n - i < w->left ? n - i : (size_t)w->left;
            i += take;
            w->left -= take;
            if (!w->left) w->state = S_CR2;
            break;
        }
        case S_CR2:
            if (c != '\r') { fail(w, i); continue; }
            w->state = S_LF2;
            i++;
            break;
        case S_LF2:
            if (c != '\n') { fail(w, i); continue; }
            i++;
            w->state = --w->items ? S_BULK : S_TOP;
            break;
        }
    }
    w->consumed += n;
}

bool resp_walk_complete(const resp_walk *w) { return !w->bad && (w->state == S_TOP || w->state == S_COMMENT); }

/* Walks fd from 'from' (pread; or read() to EOF when from < 0), through a
 * buffer of its own, not a static one: `report -j` walks AOFs on several
 * threads at once. */
#define WALK_BUF (1 << 16)
static int walk_fd(int fd, int64_t from, uint64_t *bytes, resp_walk *w) {
    uint8_t *buf = malloc(WALK_BUF);
    if (!buf) return -1;
    uint64_t at = from >= 0 ? (uint64_t)from : 0;
    int rc = 0;
    for (;;) {
        ssize_t r = from >= 0 ? pread(fd, buf, WALK_BUF, (off_t)at) : read(fd, buf, WALK_BUF);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            rc = r < 0 ? -1 : 0;
            break;
        }
        at += (uint64_t)r;
        *bytes += (uint64_t)r;
        if (w) resp_walk_feed(w, buf, (size_t)r);
    }
    free(buf);
    return rc;
}

int aof_tail_count(const input *in, uint64_t rdb_end, uint64_t input_bytes, aof_tail *t) {
    memset(t, 0, sizeof *t);
    int rc = 0;
    resp_walk w;
    resp_walk_init(&w);
    if (in->compression) {
        /* decompressed to its end by pipeline_run: input_bytes is the whole
         * stream's RDB-side length; its commands are not walked */
        t->bytes = input_bytes > rdb_end ? input_bytes - rdb_end : 0;
        t->resp_ok = t->bytes == 0;
    } else if (in->regular) {
        if (in->size > rdb_end) {
            if (walk_fd(in->fd, (int64_t)rdb_end, &t->bytes, &w) < 0) rc = -1;
            t->commands = w.commands;
            t->resp_ok = rc == 0 && resp_walk_complete(&w);
        }
    } else if (in->kind == INPUT_STDIN) {
        /* what the parser buffered past the RDB, then the rest of the pipe */
        t->bytes = input_bytes > rdb_end ? input_bytes - rdb_end : 0;
        if (walk_fd(in->fd, -1, &t->bytes, NULL) < 0) rc = -1;
        t->resp_ok = t->bytes == 0;
    }
    t->incr_files = in->incr_files;
    t->incr_resp_ok = true;
    for (size_t i = 0; i < in->nincr; i++) {
        int fd = open(in->incr_paths[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            t->incr_resp_ok = false;
            rc = -1;
            continue;
        }
        resp_walk_init(&w);
        if (walk_fd(fd, 0, &t->incr_bytes, &w) < 0) rc = -1;
        close(fd);
        t->incr_commands += w.commands;
        if (!resp_walk_complete(&w)) t->incr_resp_ok = false;
    }
    return rc;
}
