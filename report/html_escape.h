/* html_escape.h: everything the HTML report writes that came from a dump
 * (key names, prefixes, paths, aux values, error messages) goes through one
 * of these, one function per output context. Key names are attacker-
 * controlled: a dump can hold `<script>`, `</script>`, `"><img onerror=...>`,
 * control bytes, invalid UTF-8 and bidi overrides.
 *
 * Two steps:
 *   1. the display form (html_key_form): the redis-cli printable form of the
 *      bytes (keyfmt.h, through rfmt.h so long names are elided the same way
 *      the text report elides them), with the bidi controls that reorder
 *      what follows them (U+202A-202E, U+2066-2069, and the marks U+200E,
 *      U+200F, U+061C) written as the \xHH escapes of their bytes, so they
 *      show and act on nothing;
 *   2. the escape for where the text goes: html_text (element content),
 *      html_attr (a double-quoted attribute value), html_json_string (a JSON
 *      string inside a <script> element, where "</script>", "<!--" and, for
 *      older JavaScript parsers, U+2028/U+2029 must not appear literally).
 *
 * The escapes expect UTF-8 text (the display form is); anything else that
 * reaches them is made harmless, not preserved: NUL, other C0 controls but
 * tab and newline, DEL and bytes that are not valid UTF-8 become U+FFFD.
 */
#ifndef RDBLENS_HTML_ESCAPE_H
#define RDBLENS_HTML_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Room for a display form of up to 'width' columns: 4 bytes per column for
 * \xHH escapes, 3x that when every escaped unit was a bidi control. */
#define HTML_KEY_CAP(width) ((size_t)(width) * 16 + 64)

/* The display form of raw bytes, at most 'width' columns (0 = no limit;
 * then cap must hold 16 bytes per input byte), "..." in the middle when cut
 * (or at the end when head_only: p is the head of a longer name). Returns
 * buf, always NUL-terminated. */
char *html_key_form(char *buf, size_t cap, const uint8_t *p, size_t len, unsigned width,
                    bool head_only);

/* Rewrites the bidi controls of UTF-8 text as the \xHH escapes of their
 * bytes into dst (cap bytes, NUL-terminated, cut at a character boundary
 * when too small). Returns the length written. */
size_t html_inert_bidi(char *dst, size_t cap, const char *src);

/* Element content: & < > " ' as character references. */
void html_text(FILE *out, const char *s);
/* A double-quoted attribute value (without the quotes): the same set, so a
 * value can neither close its quotes nor start a tag or reference, plus
 * tab, newline and ` as references (kept, not normalized to spaces). */
void html_attr(FILE *out, const char *s);
/* A JSON string literal, quotes included, safe inside <script>: " and \ and
 * controls as JSON escapes, < > & as \u003c \u003e \u0026 (so neither
 * "</script" nor "<!--" can occur), U+2028/U+2029 as \u2028/\u2029. */
void html_json_string(FILE *out, const char *s);

#endif
