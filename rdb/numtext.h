/* numtext.h: integers as Redis writes and recognises them in text form.
 *
 * Redis turns a string into an integer encoding only when it parses
 * *strictly* as a signed 64-bit decimal (util.c string2ll: no leading '+',
 * no leading zeros, no spaces, "-0" rejected, at most 20 characters). The
 * parser uses this to report element lengths; the memory model uses it to
 * predict int/embstr encodings and listpack entry sizes.
 */
#ifndef RDBLENS_NUMTEXT_H
#define RDBLENS_NUMTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the decimal text of v (1..20). */
size_t rdb_int_text_len(int64_t v);

/* Writes the decimal text of v into buf (no NUL needed; at most 20 bytes);
 * returns its length. */
size_t rdb_int_to_text(int64_t v, char buf[24]);

/* Strict string2ll: true and *out set when s[0..len) is the canonical decimal
 * form of an int64. */
bool rdb_text_to_int(const uint8_t *s, size_t len, int64_t *out);

#endif
