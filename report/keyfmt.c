/* keyfmt.c: one key, as JSON or CSV (keyfmt.h). */
#include "report/keyfmt.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

/* Length of the valid UTF-8 sequence at s (2-4), or 0 if it is not one.
 * Rejects overlong forms, surrogates and code points above U+10FFFF. */
static size_t utf8_seq_len(const uint8_t *s, size_t n) {
    uint8_t c = s[0];
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; }
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* Walks the printable form, handing out runs; 'emit' receives each piece. */
typedef void (*piece_fn)(FILE *out, const char *p, size_t n);

static void printable_walk(FILE *out, const uint8_t *p, size_t len, piece_fn emit) {
    size_t i = 0;
    while (i < len) {
        uint8_t c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            size_t j = i;
            while (j < len && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '\\') j++;
            emit(out, (const char *)p + i, j - i);
            i = j;
        } else if (c == '\\') {
            emit(out, "\\\\", 2);
            i++;
        } else if (c >= 0x80 && (len - i) >= 2 && utf8_seq_len(p + i, len - i)) {
            size_t n = utf8_seq_len(p + i, len - i);
            emit(out, (const char *)p + i, n);
            i += n;
        } else {
            char hex[5];
            snprintf(hex, sizeof hex, "\\x%02x", c);
            emit(out, hex, 4);
            i++;
        }
    }
}

static void emit_plain(FILE *out, const char *p, size_t n) { fwrite(p, 1, n, out); }

static void emit_json(FILE *out, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"' || p[i] == '\\') fputc('\\', out);
        fputc(p[i], out);
    }
}

static void emit_csv(FILE *out, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"') fputc('"', out);
        fputc(p[i], out);
    }
}

void keyfmt_printable(FILE *out, const uint8_t *p, size_t len) {
    printable_walk(out, p, len, emit_plain);
}

void keyfmt_json_string(FILE *out, const uint8_t *p, size_t len) {
    fputc('"', out);
    printable_walk(out, p, len, emit_json);
    fputc('"', out);
}

void keyfmt_json_record(FILE *out, const key_record *r) {
    fprintf(out, "{\"db\":%" PRIu64 ",\"key\":", r->db);
    keyfmt_json_string(out, r->key, r->key_len);
    fprintf(out, ",\"type\":\"%s\",\"rdb_type\":%u", rdb_kind_name(r->type), r->rdb_type);
    if (r->encoding) fprintf(out, ",\"encoding\":\"%s\"", r->encoding);
    if (r->has_bytes) fprintf(out, ",\"bytes\":%" PRIu64, r->bytes);
    fprintf(out, ",\"elements\":%" PRIu64 ",\"largest\":%" PRIu64, r->elements, r->largest);
    if (r->has_expire) fprintf(out, ",\"expires_at_ms\":%" PRId64, r->expire_ms);
    else fputs(",\"expires_at_ms\":null", out);
    if (r->has_idle) fprintf(out, ",\"idle_s\":%" PRIu64, r->idle_s);
    if (r->has_freq) fprintf(out, ",\"freq\":%u", r->freq);
    if (r->module_name) fprintf(out, ",\"module\":\"%s\"", r->module_name);
    fputc('}', out);
}

void keyfmt_csv_header(FILE *out) {
    fputs("database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry\n", out);
}

void keyfmt_iso8601_ms(FILE *out, int64_t unix_ms) {
    int64_t secs = unix_ms / 1000, ms = unix_ms % 1000;
    if (ms < 0) { ms += 1000; secs--; }
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        fprintf(out, "%" PRId64, unix_ms);
        return;
    }
    char buf[64];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(out, "%s.%03dZ", buf, (int)ms);
}

void keyfmt_csv_record(FILE *out, const key_record *r) {
    fprintf(out, "%" PRIu64 ",%s,\"", r->db, rdb_kind_name(r->type));
    printable_walk(out, r->key, r->key_len, emit_csv);
    fputs("\",", out);
    if (r->has_bytes) fprintf(out, "%" PRIu64, r->bytes);
    fprintf(out, ",%s,%" PRIu64 ",%" PRIu64 ",", r->encoding ? r->encoding : "", r->elements,
            r->largest);
    if (r->has_expire) keyfmt_iso8601_ms(out, r->expire_ms);
    fputc('\n', out);
}
