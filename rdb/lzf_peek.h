/* lzf_peek.h: the first few bytes of an LZF stream, without the rest.
 *
 * liblzf (the project's LZF) decompresses only whole streams. A packed
 * blob's header (element count, total length) is in its first bytes, and a
 * consumer that needs only the header would otherwise pay for decompressing
 * all of it. Full decompression stays liblzf's. */
#ifndef RDBLENS_LZF_PEEK_H
#define RDBLENS_LZF_PEEK_H

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

#endif
