/* html_escape.c: display form and per-context escapes (html_escape.h). */
#include "report/html_escape.h"

#include <stdlib.h>
#include <string.h>

#include "report/keyfmt.h"
#include "report/rfmt.h"

static const char REPLACEMENT[] = "\xef\xbf\xbd";  /* U+FFFD */

/* The code point of a valid UTF-8 sequence of n (2-4) bytes. */
static uint32_t code_point(const uint8_t *s, size_t n) {
    uint32_t cp = n == 2 ? s[0] & 0x1fu : n == 3 ? s[0] & 0x0fu : s[0] & 0x07u;
    for (size_t i = 1; i < n; i++) cp = cp << 6 | (s[i] & 0x3fu);
    return cp;
}

/* Controls that reorder the text after them (embeddings, overrides,
 * isolates) or nudge its direction (the marks): shown, never obeyed. */
static bool is_bidi_control(uint32_t cp) {
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
           cp == 0x200f || cp == 0x061c;
}

size_t html_inert_bidi(char *dst, size_t cap, const char *src) {
    static const char hexdig[] = "0123456789abcdef";
    const uint8_t *p = (const uint8_t *)src;
    size_t len = strlen(src), i = 0, o = 0;
    if (cap == 0) return 0;
    while (i < len) {
        size_t n = p[i] >= 0x80 ? keyfmt_utf8_len(p + i, len - i) : 0;
        if (n == 0) n = 1;
        bool bidi = n > 1 && is_bidi_control(code_point(p + i, n));
        size_t need = bidi ? 4 * n : n;
        if (o + need + 1 > cap) break;
        if (bidi) {
            for (size_t k = 0; k < n; k++) {
                dst[o++] = '\\', dst[o++] = 'x';
                dst[o++] = hexdig[p[i + k] >> 4], dst[o++] = hexdig[p[i + k] & 15];
            }
        } else {
            memcpy(dst + o, p + i, n);
            o += n;
        }
        i += n;
    }
    dst[o] = '\0';
    return o;
}

char *html_key_form(char *buf, size_t cap, const uint8_t *p, size_t len, unsigned width,
                    bool head_only) {
    if (cap == 0) return buf;
    /* rfmt writes at most 4 bytes per column plus "..." (or 4 per input
     * byte without a limit); the bidi pass may quadruple that */
    size_t tcap = (width ? (size_t)width : len) * 4 + 16;
    char *tmp = malloc(tcap);
    if (!tmp) {
        snprintf(buf, cap, "?");
        return buf;
    }
    if (head_only) rfmt_key_head(tmp, tcap, p, len, width);
    else rfmt_key(tmp, tcap, p, len, width);
    html_inert_bidi(buf, cap, tmp);
    free(tmp);
    return buf;
}

typedef enum { CTX_TEXT, CTX_ATTR, CTX_JSON } esc_ctx;

static void escape(FILE *out, const char *s, esc_ctx ctx) {
    const uint8_t *p = (const uint8_t *)s;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        uint8_t c = p[i];
        if (c >= 0x80) {
            size_t n = keyfmt_utf8_len(p + i, len - i);
            if (n == 0) {
                fputs(REPLACEMENT, out);
                i++;
                continue;
            }
            uint32_t cp = code_point(p + i, n);
            if (ctx == CTX_JSON && (cp == 0x2028 || cp == 0x2029)) fprintf(out, "\\u%04x", cp);
            else fwrite(p + i, 1, n, out);
            i += n;
            continue;
        }
        i++;
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
            fputs(REPLACEMENT, out);
            continue;
        }
        if (ctx == CTX_ATTR && (c == '\n' || c == '\t' || c == '`')) {
            fprintf(out, "&#%d;", c);  /* kept, not normalized to a space */
        } else if (ctx != CTX_JSON) {
            switch (c) {
            case '&': fputs("&amp;", out); break;
            case '<': fputs("&lt;", out); break;
            case '>': fputs("&gt;", out); break;
            case '"': fputs("&quot;", out); break;
            case '\'': fputs("&#39;", out); break;
            default: fputc(c, out); break;
            }
        } else {
            switch (c) {
            case '"': fputs("\\\"", out); break;
            case '\\': fputs("\\\\", out); break;
            case '\n': fputs("\\n", out); break;
            case '\t': fputs("\\t", out); break;
            case '<': fputs("\\u003c", out); break;
            case '>': fputs("\\u003e", out); break;
            case '&': fputs("\\u0026", out); break;
            default: fputc(c, out); break;
            }
        }
    }
}

void html_text(FILE *out, const char *s) { escape(out, s, CTX_TEXT); }

/* Attribute values are always written double-quoted; escaping " and ' (in
 * case a caller ever single-quotes), & and < > keeps a value from closing
 * its quotes or starting a reference; tab, newline and ` are written as
 * references too (kept as they are, and no old parser's quote). */
void html_attr(FILE *out, const char *s) { escape(out, s, CTX_ATTR); }

void html_json_string(FILE *out, const char *s) {
    fputc('"', out);
    escape(out, s, CTX_JSON);
    fputc('"', out);
}
