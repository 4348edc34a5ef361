/* keyfmt.c: one key, as JSON or CSV (keyfmt.h). */
#include "report/keyfmt.h"

#include <string.h>
#include <time.h>

/* Length of the valid UTF-8 sequence at s (2-4), or 0 if it is not one.
 * Rejects overlong forms, surrogates and code points above U+10FFFF. */
size_t keyfmt_utf8_len(const uint8_t *s, size_t n) {
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

/* ---- a line buffer: one fwrite per record instead of a locked stdio call
 * per byte or field (`rdblens keys` writes a line for every key) -------- */

typedef struct linebuf {
    FILE *out;
    size_t n;
    char b[1024];
} linebuf;

static void lb_flush(linebuf *lb) {
    if (lb->n) fwrite(lb->b, 1, lb->n, lb->out);
    lb->n = 0;
}

static void lb_put(linebuf *lb, const char *p, size_t n) {
    if (n > sizeof lb->b - lb->n) {
        lb_flush(lb);
        if (n > sizeof lb->b) {  /* a huge key: straight through */
            fwrite(p, 1, n, lb->out);
            return;
        }
    }
    memcpy(lb->b + lb->n, p, n);
    lb->n += n;
}

static void lb_str(linebuf *lb, const char *s) { lb_put(lb, s, strlen(s)); }

static void lb_char(linebuf *lb, char c) {
    if (lb->n == sizeof lb->b) lb_flush(lb);
    lb->b[lb->n++] = c;
}

static void lb_u64(linebuf *lb, uint64_t v) {
    char tmp[20];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    lb_put(lb, tmp + i, sizeof tmp - i);
}

static void lb_i64(linebuf *lb, int64_t v) {
    if (v < 0) {
        lb_char(lb, '-');
        lb_u64(lb, 0 - (uint64_t)v);
    } else {
        lb_u64(lb, (uint64_t)v);
    }
}

/* Zero-padded to width digits. */
static void lb_pad(linebuf *lb, unsigned v, unsigned width) {
    char tmp[8];
    for (unsigned i = width; i > 0; i--) {
        tmp[i - 1] = (char)('0' + v % 10);
        v /= 10;
    }
    lb_put(lb, tmp, width);
}

/* Walks the printable form, handing out runs; 'emit' receives each piece. */
typedef void (*piece_fn)(linebuf *lb, const char *p, size_t n);

static void printable_walk(linebuf *lb, const uint8_t *p, size_t len, piece_fn emit) {
    size_t i = 0;
    while (i < len) {
        uint8_t c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            size_t j = i;
            while (j < len && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '\\') j++;
            emit(lb, (const char *)p + i, j - i);
            i = j;
        } else if (c == '\\') {
            emit(lb, "\\\\", 2);
            i++;
        } else if (c >= 0x80 && (len - i) >= 2 && keyfmt_utf8_len(p + i, len - i)) {
            size_t n = keyfmt_utf8_len(p + i, len - i);
            emit(lb, (const char *)p + i, n);
            i += n;
        } else {
            static const char hexdig[] = "0123456789abcdef";
            char hex[4] = {'\\', 'x', hexdig[c >> 4], hexdig[c & 15]};
            emit(lb, hex, 4);
            i++;
        }
    }
}

/* Copies p with each byte equal to a or b preceded by 'esc'. */
static void put_escaped(linebuf *lb, const char *p, size_t n, char a, char b, char esc) {
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != a && p[i] != b) continue;
        lb_put(lb, p + from, i - from);
        lb_char(lb, esc);
        from = i;  /* the byte itself goes out with the next run */
    }
    lb_put(lb, p + from, n - from);
}

static void emit_plain(linebuf *lb, const char *p, size_t n) { lb_put(lb, p, n); }
static void emit_json(linebuf *lb, const char *p, size_t n) { put_escaped(lb, p, n, '"', '\\', '\\'); }
static void emit_csv(linebuf *lb, const char *p, size_t n) { put_escaped(lb, p, n, '"', '"', '"'); }

void keyfmt_printable(FILE *out, const uint8_t *p, size_t len) {
    linebuf lb = {.out = out};
    printable_walk(&lb, p, len, emit_plain);
    lb_flush(&lb);
}

static void json_string(linebuf *lb, const uint8_t *p, size_t len) {
    lb_char(lb, '"');
    printable_walk(lb, p, len, emit_json);
    lb_char(lb, '"');
}

void keyfmt_json_string(FILE *out, const uint8_t *p, size_t len) {
    linebuf lb = {.out = out};
    json_string(&lb, p, len);
    lb_flush(&lb);
}

void keyfmt_json_text(FILE *out, const char *s) {
    static const char hexdig[] = "0123456789abcdef";
    linebuf lb = {.out = out};
    const uint8_t *p = (const uint8_t *)s;
    size_t len = strlen(s), i = 0;
    lb_char(&lb, '"');
    while (i < len) {
        uint8_t c = p[i];
        size_t n = c >= 0x80 ? keyfmt_utf8_len(p + i, len - i) : 0;
        if (n) {
            lb_put(&lb, (const char *)p + i, n);
            i += n;
            continue;
        }
        if (c == '"' || c == '\\') {
            lb_char(&lb, '\\');
            lb_char(&lb, (char)c);
        } else if (c < 0x20 || c >= 0x80) {
            char u[6] = {'\\', 'u', '0', '0', hexdig[c >> 4], hexdig[c & 15]};
            lb_put(&lb, u, 6);
        } else {
            lb_char(&lb, (char)c);
        }
        i++;
    }
    lb_char(&lb, '"');
    lb_flush(&lb);
}

void keyfmt_json_record(FILE *out, const key_record *r) {
    linebuf lb = {.out = out};
    lb_str(&lb, "{\"db\":");
    lb_u64(&lb, r->db);
    lb_str(&lb, ",\"key\":");
    json_string(&lb, r->key, r->key_len);
    if (r->key_full_len > r->key_len) {
        lb_str(&lb, ",\"key_truncated\":true,\"key_length\":");
        lb_u64(&lb, r->key_full_len);
    }
    lb_str(&lb, ",\"type\":\"");
    lb_str(&lb, rdb_kind_name(r->type));
    lb_str(&lb, "\",\"rdb_type\":");
    lb_u64(&lb, r->rdb_type);
    if (r->encoding) {
        lb_str(&lb, ",\"encoding\":\"");
        lb_str(&lb, r->encoding);
        lb_char(&lb, '"');
    }
    if (r->has_bytes) {
        lb_str(&lb, ",\"bytes\":");
        lb_u64(&lb, r->bytes);
    }
    lb_str(&lb, ",\"elements\":");
    lb_u64(&lb, r->elements);
    lb_str(&lb, ",\"largest\":");
    lb_u64(&lb, r->largest);
    if (r->has_expire) {
        lb_str(&lb, ",\"expires_at_ms\":");
        lb_i64(&lb, r->expire_ms);
    } else {
        lb_str(&lb, ",\"expires_at_ms\":null");
    }
    if (r->has_idle) {
        lb_str(&lb, ",\"idle_s\":");
        lb_u64(&lb, r->idle_s);
    }
    if (r->has_freq) {
        lb_str(&lb, ",\"freq\":");
        lb_u64(&lb, r->freq);
    }
    if (r->module_name) {
        lb_str(&lb, ",\"module\":\"");
        lb_str(&lb, r->module_name);
        lb_str(&lb, "\",\"module_encver\":");
        lb_u64(&lb, r->module_encver);
        if (r->has_bytes) {
            lb_str(&lb, ",\"bytes_basis\":\"");
            lb_str(&lb, key_basis_name(r->bytes_basis));
            lb_char(&lb, '"');
        }
        lb_str(&lb, ",\"serialized_bytes\":");
        lb_u64(&lb, r->serialized_bytes);
    }
    if (r->has_slot) {
        lb_str(&lb, ",\"slot\":");
        lb_u64(&lb, r->slot);
    }
    lb_char(&lb, '}');
    lb_flush(&lb);
}

void keyfmt_csv_header(FILE *out) {
    fputs("database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry\n", out);
}

/* Years 1970..9999 by arithmetic (days to civil date, H. Hinnant's
 * algorithm); anything else through gmtime_r, which strftime would print
 * the same way. */
#define ISO_FAST_MAX_S INT64_C(253402300800)  /* 10000-01-01T00:00:00Z */

static void iso8601_ms(linebuf *lb, int64_t unix_ms) {
    int64_t secs = unix_ms / 1000, ms = unix_ms % 1000;
    if (ms < 0) { ms += 1000; secs--; }
    if (secs >= 0 && secs < ISO_FAST_MAX_S) {
        int64_t days = secs / 86400, rem = secs % 86400;
        int64_t z = days + 719468, era = z / 146097;
        int64_t doe = z - era * 146097;
        int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int64_t mp = (5 * doy + 2) / 153;
        unsigned d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
        unsigned m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
        unsigned y = (unsigned)(yoe + era * 400 + (m <= 2));
        lb_pad(lb, y, 4); lb_char(lb, '-'); lb_pad(lb, m, 2); lb_char(lb, '-'); lb_pad(lb, d, 2);
        lb_char(lb, 'T');
        lb_pad(lb, (unsigned)(rem / 3600), 2); lb_char(lb, ':');
        lb_pad(lb, (unsigned)(rem / 60 % 60), 2); lb_char(lb, ':');
        lb_pad(lb, (unsigned)(rem % 60), 2); lb_char(lb, '.');
        lb_pad(lb, (unsigned)ms, 3); lb_char(lb, 'Z');
        return;
    }
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        lb_i64(lb, unix_ms);
        return;
    }
    char buf[64];
    size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    lb_put(lb, buf, n);
    lb_char(lb, '.');
    lb_pad(lb, (unsigned)ms, 3);
    lb_char(lb, 'Z');
}

void keyfmt_iso8601_ms(FILE *out, int64_t unix_ms) {
    linebuf lb = {.out = out};
    iso8601_ms(&lb, unix_ms);
    lb_flush(&lb);
}

void keyfmt_csv_record(FILE *out, const key_record *r) {
    linebuf lb = {.out = out};
    lb_u64(&lb, r->db);
    lb_char(&lb, ',');
    lb_str(&lb, rdb_kind_name(r->type));
    lb_str(&lb, ",\"");
    printable_walk(&lb, r->key, r->key_len, emit_csv);
    lb_str(&lb, "\",");
    if (r->has_bytes) lb_u64(&lb, r->bytes);
    lb_char(&lb, ',');
    lb_str(&lb, r->encoding ? r->encoding : "");
    lb_char(&lb, ',');
    lb_u64(&lb, r->elements);
    lb_char(&lb, ',');
    lb_u64(&lb, r->largest);
    lb_char(&lb, ',');
    if (r->has_expire) iso8601_ms(&lb, r->expire_ms);
    lb_char(&lb, '\n');
    lb_flush(&lb);
}
