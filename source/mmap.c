/* mmap.c: a regular file, mapped whole and parsed in place (source.h).
 *
 * Why: read(2) copies every byte from the page cache into the reader's
 * block; a mapping lets the parser read the page cache itself. The pages
 * the parser has left behind are dropped from the mapping as it goes
 * (MADV_DONTNEED on a read-only file mapping only unmaps them; touching
 * them again maps the same file bytes back), so the resident set stays a
 * few blocks, as with read(2).
 *
 * A file that is truncated while mapped makes a later access fault
 * (SIGBUS); rdblens reads dumps that are no longer being written (a dump
 * being written is renamed into place by the server when complete). */
#include "source/source.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct mmap_source {
    rdb_source base;
    uint8_t *map;
    size_t len;
    size_t page;
} mmap_source;

static rdb_src_status mm_read(rdb_source *base, uint8_t *dst, size_t cap, size_t *got) {
    /* Only for consumers that do not map (a decoder reading its input). */
    mmap_source *s = (mmap_source *)base;
    size_t left = s->len - (size_t)base->out_offset;
    *got = cap < left ? cap : left;
    memcpy(dst, s->map + base->out_offset, *got);
    base->out_offset += *got;
    base->in_offset = base->out_offset;
    return RDB_SRC_OK;
}

static const uint8_t *mm_map(rdb_source *base, uint64_t *len) {
    mmap_source *s = (mmap_source *)base;
    *len = s->len;
    return s->map;
}

static rdb_src_status mm_seek(rdb_source *base, uint64_t offset) {
    mmap_source *s = (mmap_source *)base;
    base->out_offset = base->in_offset = offset < s->len ? offset : s->len;
    return RDB_SRC_OK;
}

static void mm_release(rdb_source *base, uint64_t before) {
    mmap_source *s = (mmap_source *)base;
    /* keep a block behind the parser mapped: it may still hold pointers there */
    if (before < (1u << 20)) return;
    size_t upto = (size_t)(before - (1u << 20)) & ~(s->page - 1);
    if (upto) madvise(s->map, upto, MADV_DONTNEED);
}

/* Pages shared with the bytes around [from, to) go too: touched again,
 * they map the same file bytes back. */
static void mm_drop(rdb_source *base, uint64_t from, uint64_t to) {
    mmap_source *s = (mmap_source *)base;
    if (to > s->len) to = s->len;
    size_t a = (size_t)from & ~(s->page - 1);
    size_t b = ((size_t)to + s->page - 1) & ~(s->page - 1);
    if (b > s->len) b = s->len;
    if (a < b) madvise(s->map + a, b - a, MADV_DONTNEED);
}

/* Page faults, one per fault-around span (64 KiB), were 5 % of the
 * parsing thread: a helper maps the pages before the parser gets there.
 * (MADV_POPULATE_READ: Linux 5.14; elsewhere the parser faults them.) */
static void mm_ahead(rdb_source *base, uint64_t from, uint64_t to) {
#ifdef MADV_POPULATE_READ
    mmap_source *s = (mmap_source *)base;
    if (to > s->len) to = s->len;
    size_t a = (size_t)from & ~(s->page - 1);
    if (a < to) madvise(s->map + a, (size_t)to - a, MADV_POPULATE_READ);
#else
    (void)base, (void)from, (void)to;
#endif
}

static void mm_close(rdb_source *base) {
    mmap_source *s = (mmap_source *)base;
    munmap(s->map, s->len);
    free(s);
}

static const rdb_source_ops mmap_ops = {
    .read = mm_read, .map = mm_map, .seek = mm_seek, .release = mm_release, .drop = mm_drop,
    .ahead = mm_ahead, .close = mm_close};

rdb_source *source_mmap_open(int fd, uint64_t size) {
    if (size == 0 || size > SIZE_MAX) return NULL;
    void *m = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) return NULL;
    madvise(m, (size_t)size, MADV_SEQUENTIAL);
    mmap_source *s = calloc(1, sizeof *s);
    if (!s) {
        munmap(m, (size_t)size);
        return NULL;
    }
    s->base.ops = &mmap_ops;
    s->base.format = "plain";
    s->base.rdb_size = s->base.in_size = size;
    s->map = m;
    s->len = (size_t)size;
    long page = sysconf(_SC_PAGESIZE);
    s->page = page > 0 ? (size_t)page : 4096;
    return &s->base;
}
