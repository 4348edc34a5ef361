/* test_lzf_peek.c: rdb/lzf_peek.c against liblzf: every LZF string in the
 * fixture dumps, random data compressed by lzf_compress, every truncation,
 * and hand-made hostile streams. The peek must give exactly liblzf's first
 * bytes, and fail only on streams liblzf refuses; the streaming check, fed
 * in pieces of every small size, must accept exactly what liblzf accepts. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <lzf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdb/lzf_peek.h"

/* The streaming check's verdict on in[0..clen), fed 'piece' bytes at a time. */
static bool check_in_pieces(const uint8_t *in, size_t clen, size_t ulen, size_t piece) {
    lzf_check chk;
    lzf_check_init(&chk, ulen);
    for (size_t at = 0; at < clen; at += piece)
        lzf_check_feed(&chk, in + at, piece < clen - at ? piece : clen - at);
    return lzf_check_end(&chk) == 0;
}

/* The piecewise decoder's verdict on in[0..clen), fed 'piece' input bytes
 * and given 'room' output bytes at a time (into one buffer, so the history
 * it reads is there); its output is compared with liblzf's when both
 * accept. */
static bool dec_in_pieces(const uint8_t *in, size_t clen, size_t ulen, size_t piece, size_t room,
                          const uint8_t *want) {
    uint8_t *out = malloc(ulen ? ulen : 1);
    lzf_dec d;
    lzf_dec_init(&d, ulen);
    size_t at = 0, made = 0;
    bool bad = false;
    while (!bad) {
        size_t n = piece < clen - at ? piece : clen - at;
        size_t r = room < ulen - made ? room : ulen - made;
        size_t used, got;
        bad = lzf_dec_run(&d, in + at, n, &used, out + made, r, &got) < 0;
        cr_assert_leq(used, n);
        cr_assert_leq(got, r);
        at += used;
        made += got;
        if (used == 0 && got == 0) break;       /* stuck: input used up, or output full */
    }
    bool ok = !bad && at == clen && lzf_dec_end(&d) == 0;
    if (ok && want) cr_assert_eq(memcmp(out, want, ulen), 0, "pieces of %zu/%zu: bytes differ", piece, room);
    free(out);
    return ok;
}

/* liblzf's whole output, then every prefix length through the peek, then
 * the streaming check and the piecewise decoder. */
static void agree(const uint8_t *in, size_t clen, size_t ulen, bool *liblzf_ok) {
    uint8_t *full = malloc(ulen ? ulen : 1);
    /* an exact-size copy, so ASan sees any read past the stream */
    uint8_t *copy = malloc(clen ? clen : 1);
    memcpy(copy, in, clen);
    unsigned got = ulen ? lzf_decompress(copy, (unsigned)clen, full, (unsigned)ulen) : 0;
    *liblzf_ok = got == ulen;
    for (size_t want = 0; want <= LZF_PEEK_MAX; want++) {
        uint8_t out[LZF_PEEK_MAX];
        int n = lzf_peek(copy, clen, out, want, ulen);
        if (*liblzf_ok) {
            size_t expect = want < ulen ? want : ulen;
            cr_assert_eq(n, (int)expect, "want %zu of %zu: got %d", want, ulen, n);
            cr_assert_eq(memcmp(out, full, expect), 0, "want %zu: bytes differ", want);
        } else if (n >= 0 && got > 0) {
            /* liblzf failed later in the stream; what the peek decoded
             * must still be the stream's true start */
            cr_assert_eq(memcmp(out, full, (size_t)n < got ? (size_t)n : got), 0);
        }
        /* n < 0: the prefix itself is corrupt; liblzf must refuse it too */
        if (n < 0) cr_assert_not(*liblzf_ok, "peek refused a stream liblzf accepts");
    }
    if (ulen > 0)
        for (size_t piece = 1; piece <= 4; piece++)
            cr_assert_eq(check_in_pieces(copy, clen, ulen, piece), *liblzf_ok,
                         "%zu-byte pieces of %zu: the check and liblzf disagree", piece, clen);
    if (ulen > 0 && clen > 0)
        cr_assert_eq(check_in_pieces(copy, clen, ulen, clen), *liblzf_ok, "whole stream of %zu", clen);
    if (ulen > 0) {
        static const size_t pieces[][2] = {{1, 1}, {2, 7}, {3, 300}, {4, 1}, {1000000, 1000000},
                                           {1000000, 3}, {5, 1000000}};
        for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
            cr_assert_eq(dec_in_pieces(copy, clen, ulen, pieces[i][0], pieces[i][1],
                                       *liblzf_ok ? full : NULL),
                         *liblzf_ok, "decoder in %zu/%zu pieces of %zu: it and liblzf disagree",
                         pieces[i][0], pieces[i][1], clen);
    }
    free(copy);
    free(full);
}

/* An RDB length at b[*i] (6-, 14- and 32-bit forms); false otherwise. */
static bool rdb_len(const uint8_t *b, size_t n, size_t *i, uint64_t *v) {
    if (*i >= n) return false;
    uint8_t f = b[*i];
    switch (f >> 6) {
    case 0: *v = f & 0x3f; *i += 1; return true;
    case 1: if (*i + 2 > n) return false; *v = (uint64_t)(f & 0x3f) << 8 | b[*i + 1]; *i += 2; return true;
    default:
        if (f != 0x80 || *i + 5 > n) return false;
        *v = (uint64_t)b[*i + 1] << 24 | (uint64_t)b[*i + 2] << 16 | (uint64_t)b[*i + 3] << 8 | b[*i + 4];
        *i += 5;
        return true;
    }
}

static uint8_t *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(sz > 0 ? (size_t)sz : 1);
    *n = fread(b, 1, (size_t)sz, f);
    fclose(f);
    return b;
}

static size_t strings_found;

/* Every 0xC3 marker in a dump followed by a plausible LZF header: the real
 * LZF strings, and some false hits whose bytes make hostile streams. */
static void scan_file(const char *path) {
    size_t n;
    uint8_t *b = slurp(path, &n);
    if (!b) return;
    for (size_t i = 0; i + 3 < n; i++) {
        if (b[i] != 0xC3) continue;
        size_t j = i + 1;
        uint64_t clen, ulen;
        if (!rdb_len(b, n, &j, &clen) || !rdb_len(b, n, &j, &ulen)) continue;
        if (clen == 0 || clen > n - j || ulen > 1u << 24 || ulen / 90 > clen) continue;
        bool ok;
        agree(b + j, (size_t)clen, (size_t)ulen, &ok);
        if (ok) strings_found++;
    }
    free(b);
}

static void scan_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        size_t l = strlen(e->d_name);
        if (e->d_type == DT_DIR) scan_dir(p);
        else if ((l > 4 && !strcmp(e->d_name + l - 4, ".rdb")) || (l > 4 && !strcmp(e->d_name + l - 4, ".aof")))
            scan_file(p);
    }
    closedir(d);
}

Test(lzf_peek, every_lzf_string_in_the_fixtures) {
    scan_dir("tests/fixtures");
    cr_assert_gt(strings_found, 100, "only %zu LZF strings found", strings_found);
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint32_t next(void) {
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

Test(lzf_peek, random_data_and_every_truncation) {
    static uint8_t src[6000], comp[7000];
    for (int round = 0; round < 400; round++) {
        size_t len = 1 + next() % (round < 200 ? 64 : sizeof src - 1);
        unsigned alphabet = 1 + next() % (round % 3 == 0 ? 256 : 4);
        for (size_t i = 0; i < len; i++)
            src[i] = (uint8_t)(round % 5 == 0 && i >= 8 ? src[i - 8] : next() % alphabet);
        unsigned c = lzf_compress(src, (unsigned)len, comp, sizeof comp);
        if (c == 0) continue;   /* incompressible: stored plain in an RDB */
        bool ok;
        agree(comp, c, len, &ok);
        cr_assert(ok);
        uint8_t out[LZF_PEEK_MAX];
        int n = lzf_peek(comp, c, out, LZF_PEEK_MAX, len);
        cr_assert_eq(memcmp(out, src, (size_t)n), 0, "round %d", round);
        /* cut anywhere: the peek gives the true start or fails, and never
         * reads past the cut (exact-size copies in agree) */
        for (size_t cut = 0; cut < c && cut < 40; cut++) agree(comp, cut, len, &ok);
        /* a stated length shorter than the data: refused once passed */
        if (len > 2) {
            n = lzf_peek(comp, c, out, LZF_PEEK_MAX, 2);
            cr_assert(n == 2 || n == -1);
            if (n == 2) cr_assert_eq(memcmp(out, src, 2), 0);
        }
    }
}

static int peek(const uint8_t *in, size_t n, size_t want, size_t out_len) {
    uint8_t out[LZF_PEEK_MAX];
    return lzf_peek(in, n, out, want, out_len);
}

Test(lzf_peek, hostile_streams) {
    /* a back-reference before any output */
    cr_assert_eq(peek((const uint8_t[]){0x20, 0x00}, 2, 4, 3), -1);
    /* reaching further back than the output so far */
    cr_assert_eq(peek((const uint8_t[]){0x00, 'a', 0x20, 0x01}, 4, 8, 4), -1);
    /* a literal run past the input's end */
    cr_assert_eq(peek((const uint8_t[]){0x05, 'a', 'b'}, 3, 4, 6), -1);
    /* a literal run longer than the stated output */
    cr_assert_eq(peek((const uint8_t[]){0x03, 'a', 'b', 'c', 'd'}, 5, 2, 3), -1);
    /* a long back-reference without its length byte, then without its offset */
    cr_assert_eq(peek((const uint8_t[]){0x00, 'a', 0xE0}, 3, 4, 20), -1);
    cr_assert_eq(peek((const uint8_t[]){0x00, 'a', 0xE0, 0x01}, 4, 4, 20), -1);
    /* a back-reference copying more than the stated output */
    cr_assert_eq(peek((const uint8_t[]){0x00, 'a', 0x40, 0x00}, 4, 4, 3), -1);
    /* an empty stream has no first byte */
    cr_assert_eq(peek(NULL, 0, 4, 4), -1);
    /* nothing wanted, nothing read */
    cr_assert_eq(peek(NULL, 0, 0, 4), 0);
    /* overlapping copy: "a" then 8 more from one byte back */
    uint8_t out[LZF_PEEK_MAX];
    cr_assert_eq(lzf_peek((const uint8_t[]){0x00, 'a', 0xC0, 0x00}, 4, out, 16, 9), 9);
    cr_assert_eq(memcmp(out, "aaaaaaaaa", 9), 0);
    /* want is capped at LZF_PEEK_MAX */
    cr_assert_eq(lzf_peek((const uint8_t[]){0x00, 'a', 0xE0, 0x10, 0x00}, 5, out, 100, 26), LZF_PEEK_MAX);
}

/* The streaming check's verdict; the piecewise decoder, given the stream
 * whole or byte by byte, must reach the same one. */
static bool check(const uint8_t *in, size_t n, size_t out_len) {
    bool v = check_in_pieces(in, n, out_len, n ? n : 1);
    cr_assert_eq(dec_in_pieces(in, n, out_len, n ? n : 1, out_len, NULL), v, "decoder, whole");
    cr_assert_eq(dec_in_pieces(in, n, out_len, 1, 1, NULL), v, "decoder, byte by byte");
    return v;
}

Test(lzf_peek, check_hostile_streams) {
    /* each of the peek's hostile cases, now over the whole stream */
    cr_assert_not(check((const uint8_t[]){0x20, 0x00}, 2, 3));
    cr_assert_not(check((const uint8_t[]){0x00, 'a', 0x20, 0x01}, 4, 4));
    cr_assert_not(check((const uint8_t[]){0x05, 'a', 'b'}, 3, 6));
    cr_assert_not(check((const uint8_t[]){0x03, 'a', 'b', 'c', 'd'}, 5, 3));
    cr_assert_not(check((const uint8_t[]){0x00, 'a', 0xE0}, 3, 20));
    cr_assert_not(check((const uint8_t[]){0x00, 'a', 0xE0, 0x01}, 4, 20));
    cr_assert_not(check((const uint8_t[]){0x00, 'a', 0x40, 0x00}, 4, 3));
    cr_assert_not(check(NULL, 0, 4));
    /* well formed, but short of the stated length, or exactly it */
    cr_assert_not(check((const uint8_t[]){0x00, 'a', 0xC0, 0x00}, 4, 10));
    cr_assert(check((const uint8_t[]){0x00, 'a', 0xC0, 0x00}, 4, 9));
    /* the longest back-reference, 264 bytes, from 8192 back: needs 8192
     * bytes of output first (256 literal runs of 32) */
    static uint8_t s[256 * 33 + 3];
    for (size_t r = 0; r < 256; r++) s[r * 33] = 31;
    memcpy(s + 256 * 33, (const uint8_t[]){0xFF, 0xFF, 0xFF}, 3);
    cr_assert(check(s, sizeof s, 8192 + 264));
    cr_assert_not(check(s + 33, sizeof s - 33, 8192 - 32 + 264));
}
