/* lzf_peek.h: what can be learnt of an LZF stream without decompressing
 * all of it at once: its first few bytes, whether it is well formed, and
 * its output a piece at a time.
 *
 * liblzf (the project's LZF) decompresses only whole streams into a buffer
 * of the full output size. A packed blob's header (element count, total
 * length) is in its first bytes, and a consumer that needs only the header
 * would otherwise pay for decompressing all of it; a check that a string
 * decompresses to its stated length would need a buffer of that length (up
 * to LZF_MAX_RATIO times the stored bytes). Full decompression stays
 * liblzf's. */
#ifndef RDBLENS_LZF_PEEK_H
#define RDBLENS_LZF_PEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LZF_PEEK_MAX 16

/* Decodes the first min(want, out_len) bytes (want <= LZF_PEEK_MAX) that
 * in[0..in_len) decompresses to, where out_len is the length the stream
 * claims to decompress to. Returns how many bytes were written to out, or
 * -1 when the part of the stream read is corrupt: it ends inside an
 * instruction, refers back before the start of the output, or produces more
 * than out_len bytes. The rest of the stream is not looked at. */
int lzf_peek(const uint8_t *in, size_t in_len, uint8_t *out, size_t want, size_t out_len);

/* A well-formedness check fed the stream in pieces of any size, holding
 * no output: only how much output there would be is needed to check every
 * back-reference and the stated length. Accepts exactly the streams that
 * liblzf's lzf_decompress() decompresses to out_len (> 0) bytes. */
typedef struct lzf_check {
    uint64_t out_len;   /* stated decompressed length */
    uint64_t op;        /* output the instructions so far produce */
    uint64_t lit_left;  /* literal bytes still to come */
    uint8_t hdr[3];     /* a back-reference header cut by a piece boundary */
    unsigned nhdr, need;
    bool bad;
} lzf_check;

void lzf_check_init(lzf_check *c, uint64_t out_len);
/* Returns 0, or -1 once the stream is known to be corrupt. */
int lzf_check_feed(lzf_check *c, const uint8_t *in, size_t len);
/* After the last piece: 0 when the stream ended on an instruction boundary
 * having produced exactly out_len bytes, else -1. */
int lzf_check_end(const lzf_check *c);

/* A decoder fed the stream in pieces of any size that writes the output a
 * piece at a time, holding nothing but the instruction in progress: the
 * caller keeps the last LZF_HISTORY bytes of output (as far as there are
 * that many) right before where the next ones go, since back-references
 * reach that far. For walking a packed blob that expands to far more than
 * it should be allowed to take in memory (rdb/piecewise.c). Accepts exactly
 * the streams that liblzf's lzf_decompress() decompresses to out_len (> 0)
 * bytes, and produces the same bytes. */
#define LZF_HISTORY 8192

typedef struct lzf_dec {
    uint64_t out_len;   /* stated decompressed length */
    uint64_t op;        /* bytes produced so far */
    uint32_t lit_left;  /* literal bytes still to copy from the input */
    uint32_t ref_left;  /* back-reference bytes still to copy ... */
    uint32_t ref_back;  /* ... from this far back */
    uint8_t hdr[3];     /* a back-reference header cut by a piece boundary */
    unsigned nhdr, need;
    bool bad;
} lzf_dec;

void lzf_dec_init(lzf_dec *d, uint64_t out_len);
/* Decodes from in[0..in_len) into out[0..room), where out[-1], out[-2], ...
 * are the bytes produced before (at least min(op, LZF_HISTORY) of them).
 * Stops when the input is used up or room bytes are written. Sets *in_used
 * and *produced; returns 0, or -1 once the stream is known to be corrupt. */
int lzf_dec_run(lzf_dec *d, const uint8_t *in, size_t in_len, size_t *in_used, uint8_t *out,
                size_t room, size_t *produced);
/* After the last piece: 0 when the stream ended on an instruction boundary
 * having produced exactly out_len bytes, else -1. */
int lzf_dec_end(const lzf_dec *d);

#endif
