/* keyarg.h: a key named on the command line in the printable form that
 * rdblens and redis-cli print key bytes in (rdblens inspect --escaped).
 *
 *   \xHH   any byte (two hex digits, either case)
 *   \\     a backslash
 *   \"  \n  \r  \t  \a  \b   a quote and the control characters redis-cli
 *          writes so (sds.c sdscatrepr)
 *
 * Every other character stands for itself (rdblens leaves valid UTF-8 and
 * quotes as they are). The surrounding double quotes redis-cli adds are not
 * part of the form: a shell removes them when the key is pasted inside them.
 * A backslash followed by anything else, or at the end, is an error, so a
 * key typed with a mistake is refused rather than looked for as something
 * else. */
#ifndef RDBLENS_CLI_KEYARG_H
#define RDBLENS_CLI_KEYARG_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the printable form 'text' into out (at most strlen(text) bytes,
 * which always suffices). Returns the length, or -1 with a message in why
 * (naming the offending escape and its position). */
long keyarg_unescape(const char *text, uint8_t *out, char *why, size_t whylen);

#endif
