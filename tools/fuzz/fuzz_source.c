/* fuzz_source.c: the compressed byte sources (source/). The input is a
 * file as rdblens would open it (gzip, zstd, lz4, xz, bzip2, told by its
 * magic; seeds: fixture dumps compressed by each tool, tools/fuzz.sh).
 * Checks, aborting on a violation:
 *   - read in 1 MiB pieces and in small pieces of an input-chosen size, the
 *     source gives the same bytes and the same outcome (success or not);
 *   - an error has a message, and a compressed offset inside the input;
 *   - a seek back to the middle gives the bytes read there the first time;
 *   - opened as a stream (standard input: the sniffed head pushed back, no
 *     size), read in pieces of a third size, it gives the same bytes and the
 *     same outcome again;
 *   - the parser over the source: its error offsets are inside the bytes the
 *     source produced (in either way of reading).
 * Decompressed output is capped at 4 MiB (a small input can expand a
 * thousandfold; that is a plain dump's worth of work, not a bug). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rdb/rdb.h"
#include "source/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUT_CAP (4u << 20)

static int load(const uint8_t *data, size_t size) {
    int fd = memfd_create("fuzz_source", 0);
    if (fd < 0) abort();
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) abort();
        off += (size_t)w;
    }
    return fd;
}

/* Up to OUT_CAP bytes in reads of cap; *st the last status. */
static size_t drain(rdb_source *s, uint8_t *out, size_t cap, rdb_src_status *st, size_t size) {
    size_t len = 0;
    *st = RDB_SRC_OK;
    while (len < OUT_CAP) {
        size_t want = OUT_CAP - len < cap ? OUT_CAP - len : cap;
        size_t got = 0;
        *st = s->ops->read(s, out + len, want, &got);
        if (*st != RDB_SRC_OK) {
            if (!s->err.message[0]) { fprintf(stderr, "fuzz_source: error without a message\n"); abort(); }
            if (s->err.has_in_offset && s->err.in_offset > size) {
                fprintf(stderr, "fuzz_source: compressed offset %llu past the input (%zu)\n",
                        (unsigned long long)s->err.in_offset, size);
                abort();
            }
            break;
        }
        if (got > want) { fprintf(stderr, "fuzz_source: read more than asked\n"); abort(); }
        if (got == 0) break;
        len += got;
    }
    return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static uint8_t *a, *b, *c;
    if (!a) a = malloc(OUT_CAP), b = malloc(OUT_CAP), c = malloc(OUT_CAP);
    if (!a || !b || !c) abort();
    int fd = load(data, size);
    char err[256];
    rdb_source *s = source_open_fd(fd, 1, size, err, sizeof err);
    if (!s) {
        if (!err[0]) abort();
        close(fd);
        return 0;
    }
    rdb_src_status sa, sb;
    size_t na = drain(s, a, 1u << 20, &sa, size);
    source_close(s);
    s = source_open_fd(fd, 1, size, err, sizeof err);
    if (!s) abort();   /* it opened a moment ago */
    size_t cap = 1 + (size ? data[size - 1] % 251 : 0);
    size_t nb = drain(s, b, cap, &sb, size);
    size_t common = na < nb ? na : nb;
    if (memcmp(a, b, common) != 0 || (sa == RDB_SRC_OK) != (sb == RDB_SRC_OK) ||
        (sa == RDB_SRC_OK && na != nb && na < OUT_CAP && nb < OUT_CAP)) {
        fprintf(stderr, "fuzz_source: 1 MiB reads: %d, %zu bytes; %zu-byte reads: %d, %zu bytes\n", sa, na,
                cap, sb, nb);
        abort();
    }
    /* back to the middle: the same bytes again */
    if (sa == RDB_SRC_OK && na > 1 && na < OUT_CAP && source_can_seek(s)) {
        uint8_t again[16];
        size_t got = 0;
        if (s->ops->seek(s, na / 2) != RDB_SRC_OK || s->ops->read(s, again, sizeof again, &got) != RDB_SRC_OK ||
            got == 0 || memcmp(again, a + na / 2, got) != 0) {
            fprintf(stderr, "fuzz_source: seek to %zu gave other bytes\n", na / 2);
            abort();
        }
    }
    source_close(s);
    if (lseek(fd, 0, SEEK_SET) != 0) abort();
    s = source_open_fd(fd, 0, 0, err, sizeof err);
    if (!s) {
        fprintf(stderr, "fuzz_source: opens as a file but not as a stream: %s\n", err);
        abort();
    }
    rdb_src_status sc;
    size_t cap_c = 1 + (size > 1 ? data[size - 2] % 13 : 0);
    size_t nc = drain(s, c, cap_c, &sc, size);
    common = na < nc ? na : nc;
    if (memcmp(a, c, common) != 0 || (sa == RDB_SRC_OK) != (sc == RDB_SRC_OK) ||
        (sa == RDB_SRC_OK && na != nc && na < OUT_CAP && nc < OUT_CAP)) {
        fprintf(stderr, "fuzz_source: as a file: %d, %zu bytes; as a stream in %zu-byte reads: %d, %zu bytes\n",
                sa, na, cap_c, sc, nc);
        abort();
    }
    source_close(s);
    /* the parser over it, when its output is bounded: its offsets are inside
     * what the source produced (in small reads a codec may hand out more
     * before it finds an error than in large ones: lz4 decoding straight
     * into a large buffer keeps nothing once the checksum fails) */
    size_t most = na > nb ? na : nb;
    if (na < OUT_CAP && nb < OUT_CAP) {
        s = source_open_fd(fd, 1, size, err, sizeof err);
        if (!s) abort();
        /* (a plain file is mapped: its checksum on the helper thread) */
        rdb_options threaded = {.checksum_thread = true};
        rdb_result res;
        rdb_status st = rdb_parse(s, NULL, NULL, &threaded, &res);
        if (st != RDB_OK && (res.error.offset > most || !res.error.message[0])) {
            fprintf(stderr, "fuzz_source: parse error at %llu of %zu bytes: %s\n",
                    (unsigned long long)res.error.offset, most, res.error.message);
            abort();
        }
        bool plain = strcmp(s->format, "plain") == 0;
        source_close(s);
        if (plain) {
            /* the helper's CRC and outcome are the parser's own (rdb/trail.h) */
            s = source_open_fd(fd, 1, size, err, sizeof err);
            if (!s) abort();
            rdb_result alone;
            rdb_status sa1 = rdb_parse(s, NULL, NULL, NULL, &alone);
            source_close(s);
            if (sa1 != st || alone.keys != res.keys || alone.have_trailer != res.have_trailer ||
                alone.trailer.computed_crc != res.trailer.computed_crc ||
                alone.trailer.checksum != res.trailer.checksum) {
                fprintf(stderr, "fuzz_source: the checksum thread changed the parse (%d vs %d)\n",
                        (int)st, (int)sa1);
                abort();
            }
        }
    }
    close(fd);
    return 0;
}
