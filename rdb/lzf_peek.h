/* lzf_peek.h: what can be learnt of an LZF stream without decompressing
 * all of it at once: its first few bytes, and whether it is well formed.
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

#endif
