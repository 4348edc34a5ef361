/* glob.h: Redis glob matching (KEYS / SCAN MATCH semantics) for --match.
 *
 * Mirrors stringmatchlen() in Redis src/util.c (7.x): '*' any run of bytes,
 * '?' one byte, '[abc]' '[^abc]' '[a-z]' classes (a reversed range such as
 * [z-a] is accepted and swapped; an unterminated class runs to the end of
 * the pattern), '\x' a literal x (also inside a class). Patterns and
 * subjects are byte strings, not C strings: embedded NULs are fine.
 *
 * One deliberate difference: bytes compare as unsigned values, so a range
 * such as [\x01-\xff] means what it says on every platform (Redis compares
 * plain 'char', which is signed on x86-64).
 */
#ifndef RDBLENS_GLOB_H
#define RDBLENS_GLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool glob_match(const char *pattern, size_t plen, const uint8_t *s, size_t slen, bool nocase);

#endif
