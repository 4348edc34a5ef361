/* keyfmt.h: how one key is written, shared by `rdblens keys` and the report's
 * top-key tables, so both always print the same object for a key.
 *
 * Key bytes are made printable losslessly first (redis-cli convention: valid
 * UTF-8 passes through, backslash becomes "\\", other bytes and control
 * characters become "\xHH"), then escaped for JSON or CSV.
 */
#ifndef RDBLENS_KEYFMT_H
#define RDBLENS_KEYFMT_H

#include <stdio.h>

#include "analyze/keyrec.h"

/* Length of the valid UTF-8 sequence (2-4 bytes) at s, or 0 when s[0]
 * does not start one (overlong forms, surrogates and code points above
 * U+10FFFF are invalid). */
size_t keyfmt_utf8_len(const uint8_t *s, size_t n);

/* The redis-cli style printable form of raw bytes (no JSON/CSV quoting). */
void keyfmt_printable(FILE *out, const uint8_t *p, size_t len);

/* A JSON string literal (with quotes) of the printable form. */
void keyfmt_json_string(FILE *out, const uint8_t *p, size_t len);

/* A JSON string literal of text as given (a command-line pattern): valid
 * UTF-8 as is, quotes, backslashes and control characters JSON-escaped,
 * any other byte as \u00XX. */
void keyfmt_json_text(FILE *out, const char *s);

/* One key as a JSON object, no trailing newline:
 * {"db","key","key_truncated"?,"key_length"?,"type","rdb_type","encoding"?,
 *  "bytes"?,"elements","largest","expires_at_ms","idle_s"?,"freq"?,"module"?}
 * key_truncated and key_length only for a record that kept just the head of
 * its name (key_full_len). */
void keyfmt_json_record(FILE *out, const key_record *r);

/* redis-rdb-tools memory CSV:
 * database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry */
void keyfmt_csv_header(FILE *out);
void keyfmt_csv_record(FILE *out, const key_record *r);

/* ISO-8601 UTC with milliseconds, e.g. 2026-11-21T10:00:00.000Z */
void keyfmt_iso8601_ms(FILE *out, int64_t unix_ms);

#endif
