/* lzf_peek.c: a prefix of an LZF stream, a streaming check of a whole
 * one, and a decoder that takes and gives it in pieces (lzf_peek.h).
 *
 * The format (liblzf lzf_d.c), one instruction after another:
 *
 *   000LLLLL <L+1 bytes>           literal run of 1..32 bytes
 *   LLLooooo oooooooo              back-reference, L in 1..6: copy L+2 bytes
 *   111ooooo LLLLLLLL oooooooo     back-reference, 7+L+2 bytes (9..264)
 *
 * A back-reference copies from ((ooooo << 8) | oooooooo) + 1 bytes before
 * the output position, byte by byte (the source may overlap what it
 * writes). Every byte is checked to exist before it is read, every reference
 * to point into what was already produced, and the output never to pass
 * the stated length, as liblzf checks them (EINVAL, E2BIG).
 */
#include "rdb/lzf_peek.h"

#include <string.h>

int lzf_peek(const uint8_t *in, size_t in_len, uint8_t *out, size_t want, size_t out_len) {
    if (want > LZF_PEEK_MAX) want = LZF_PEEK_MAX;
    if (want > out_len) want = out_len;
    size_t ip = 0, op = 0;   /* op: bytes produced, also those past 'want' not kept */
    while (op < want) {
        if (ip >= in_len) return -1;   /* the stream ends before the prefix */
        unsigned ctrl = in[ip++];
        size_t run;
        if (ctrl < 32) {
            run = (size_t)ctrl + 1;
            if (run > out_len - op || run > in_len - ip) return -1;
            for (size_t i = 0; i < run && op + i < want; i++) out[op + i] = in[ip + i];
            ip += run;
            op += run;
            continue;
        }
        run = ctrl >> 5;
        size_t back = (size_t)(ctrl & 0x1f) << 8;
        if (ip >= in_len) return -1;
        if (run == 7) {
            run += in[ip++];
            if (ip >= in_len) return -1;
        }
        back += (size_t)in[ip++] + 1;
        run += 2;
        if (run > out_len - op || back > op) return -1;
        /* Only bytes below 'want' are kept, and a reference reads only
         * bytes before the one it writes, so a copy that reaches past
         * 'want' needs nothing beyond it. */
        for (size_t i = 0; i < run && op + i < want; i++) out[op + i] = out[op + i - back];
        op += run;
    }
    return (int)want;
}

void lzf_check_init(lzf_check *c, uint64_t out_len) {
    *c = (lzf_check){.out_len = out_len};
}

int lzf_check_feed(lzf_check *c, const uint8_t *in, size_t len) {
    size_t i = 0;
    while (i < len && !c->bad) {
        if (c->lit_left) {
            size_t k = c->lit_left < len - i ? (size_t)c->lit_left : len - i;
            i += k;
            c->lit_left -= k;
            continue;
        }
        uint8_t b = in[i++];
        if (c->nhdr == 0 && b < 32) {
            uint64_t run = (uint64_t)b + 1;
            if (run > c->out_len - c->op) c->bad = true;
            c->op += run;
            c->lit_left = run;
            continue;
        }
        c->hdr[c->nhdr++] = b;
        if (c->nhdr == 1) c->need = (b >> 5) == 7 ? 3 : 2;
        if (c->nhdr < c->need) continue;
        uint64_t run = (uint64_t)(c->hdr[0] >> 5) + 2;
        if (c->need == 3) run += c->hdr[1];
        uint64_t back = ((uint64_t)(c->hdr[0] & 0x1f) << 8) + c->hdr[c->need - 1] + 1;
        if (run > c->out_len - c->op || back > c->op) c->bad = true;
        c->op += run;
        c->nhdr = 0;
    }
    return c->bad ? -1 : 0;
}

int lzf_check_end(const lzf_check *c) {
    return !c->bad && c->lit_left == 0 && c->nhdr == 0 && c->op == c->out_len ? 0 : -1;
}

void lzf_dec_init(lzf_dec *d, uint64_t out_len) {
    *d = (lzf_dec){.out_len = out_len};
}

/* Copies n bytes from 'back' bytes before out (n may exceed back: the
 * copy then repeats what it has just written, as LZF means it to). */
static void copy_back(uint8_t *out, size_t back, size_t n) {
    const uint8_t *ref = out - back;
    if (back >= n) {
        memcpy(out, ref, n);
        return;
    }
    for (size_t i = 0; i < n; i++) out[i] = ref[i];
}

int lzf_dec_run(lzf_dec *d, const uint8_t *in, size_t in_len, size_t *in_used, uint8_t *out,
                size_t room, size_t *produced) {
    size_t ip = 0, o = 0;
    while (!d->bad && o < room) {
        /* Between instructions with a whole one of input and room for its
         * output at hand (nearly always): no state kept across pieces. */
        while (!d->lit_left && !d->ref_left && !d->nhdr && in_len - ip >= 34 && room - o >= 264) {
            unsigned ctrl = in[ip++];
            if (ctrl < 32) {
                size_t run = ctrl + 1;
                if (run > d->out_len - d->op) {
                    d->bad = true;
                    break;
                }
                memcpy(out + o, in + ip, 32);   /* 32 are there; run of them count */
                ip += run;
                o += run;
                d->op += run;
                continue;
            }
            size_t run = ctrl >> 5, back = ((size_t)(ctrl & 0x1f) << 8) + 1;
            if (run == 7) run += in[ip++];
            back += in[ip++];
            run += 2;
            if (run > d->out_len - d->op || back > d->op) {
                d->bad = true;
                break;
            }
            copy_back(out + o, back, run);
            o += run;
            d->op += run;
        }
        if (d->bad) break;
        if (d->lit_left) {
            size_t n = d->lit_left;
            if (n > in_len - ip) n = in_len - ip;
            if (n > room - o) n = room - o;
            if (n == 0) break;                        /* the input piece is used up */
            memcpy(out + o, in + ip, n);
            ip += n;
            o += n;
            d->lit_left -= (uint32_t)n;
            d->op += n;
            continue;
        }
        if (d->ref_left) {
            size_t n = d->ref_left < room - o ? d->ref_left : room - o;
            copy_back(out + o, d->ref_back, n);
            o += n;
            d->ref_left -= (uint32_t)n;
            d->op += n;
            continue;
        }
        if (ip == in_len) break;
        uint8_t b = in[ip++];
        if (d->nhdr == 0 && b < 32) {                 /* literal run of b + 1 bytes */
            uint64_t run = (uint64_t)b + 1;
            if (run > d->out_len - d->op) d->bad = true;
            d->lit_left = (uint32_t)run;
            continue;
        }
        d->hdr[d->nhdr++] = b;
        if (d->nhdr == 1) d->need = (b >> 5) == 7 ? 3 : 2;
        if (d->nhdr < d->need) continue;
        uint64_t run = (uint64_t)(d->hdr[0] >> 5) + 2;
        if (d->need == 3) run += d->hdr[1];
        uint64_t back = ((uint64_t)(d->hdr[0] & 0x1f) << 8) + d->hdr[d->need - 1] + 1;
        d->nhdr = 0;
        if (run > d->out_len - d->op || back > d->op) {
            d->bad = true;
            break;
        }
        d->ref_left = (uint32_t)run;
        d->ref_back = (uint32_t)back;
    }
    *in_used = ip;
    *produced = o;
    return d->bad ? -1 : 0;
}

int lzf_dec_end(const lzf_dec *d) {
    return !d->bad && d->lit_left == 0 && d->ref_left == 0 && d->nhdr == 0 &&
                   d->op == d->out_len ? 0 : -1;
}
