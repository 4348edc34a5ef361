/* rfmt.c: see rfmt.h. */
#include "report/rfmt.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/keyfmt.h"

char *rfmt_bytes(char *buf, size_t cap, uint64_t v) {
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (v < 1024) {
        snprintf(buf, cap, "%" PRIu64 " B", v);
        return buf;
    }
    double d = (double)v;
    unsigned u = 0;
    while (d >= 1024.0 && u < 6) { d /= 1024.0; u++; }
    /* 1023.96 KiB would print as "1024.0 KiB": move up a unit instead */
    if (d >= 1023.95 && u < 6) { d /= 1024.0; u++; }
    snprintf(buf, cap, "%.1f %s", d, unit[u]);
    return buf;
}

char *rfmt_count(char *buf, size_t cap, uint64_t v) {
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
    char out[48];
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    snprintf(buf, cap, "%s", out);
    return buf;
}

char *rfmt_pct(char *buf, size_t cap, uint64_t part, uint64_t whole) {
    if (whole == 0) snprintf(buf, cap, "-");
    else snprintf(buf, cap, "%.1f%%", 100.0 * (double)part / (double)whole);
    return buf;
}

char *rfmt_remaining(char *buf, size_t cap, int64_t ms) {
    if (ms <= 0) snprintf(buf, cap, "expired");
    else if (ms < 60000) snprintf(buf, cap, "%" PRId64 "s", (ms + 999) / 1000);
    else if (ms < 3600000) snprintf(buf, cap, "%" PRId64 "m", ms / 60000);
    else if (ms < 86400000) snprintf(buf, cap, "%.1fh", (double)ms / 3600000.0);
    else snprintf(buf, cap, "%.1fd", (double)ms / 86400000.0);
    return buf;
}

char *rfmt_iso(char *buf, size_t cap, int64_t unix_ms) {
    FILE *f = fmemopen(buf, cap, "w");
    if (!f) {
        snprintf(buf, cap, "%" PRId64, unix_ms);
        return buf;
    }
    keyfmt_iso8601_ms(f, unix_ms);
    fclose(f);
    buf[cap - 1] = '\0';
    return buf;
}

size_t rfmt_width(const char *s) {
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80) w++;
    return w;
}

/* Start offsets of the display units of s: a code point, or a whole "\xHH"
 * / "\\" escape, so a cut never splits one. Returns the count. */
static size_t units(const char *s, size_t len, size_t *start) {
    size_t n = 0, i = 0;
    while (i < len) {
        start[n++] = i;
        if (s[i] == '\\' && i + 1 < len && s[i + 1] == 'x' && i + 3 < len) i += 4;
        else if (s[i] == '\\' && i + 1 < len) i += 2;
        else {
            i++;
            while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80) i++;
        }
    }
    return n;
}

/* head_only: p is the head of a longer key, so there is no tail to show. */
static char *key_cell(char *buf, size_t cap, const uint8_t *p, size_t len, unsigned width,
                      bool head_only) {
    char *s = NULL;
    size_t slen = 0;
    FILE *f = open_memstream(&s, &slen);
    if (!f) {
        snprintf(buf, cap, "?");
        return buf;
    }
    /* a key can be huge; only its two ends can be shown */
    size_t show = width ? (size_t)width * 4 + 8 : len;
    if (head_only && len > show) len = show;
    if (len > 2 * show) {
        keyfmt_printable(f, p, show);
        fputc('\0', f);
        keyfmt_printable(f, p + len - show, show);
    } else {
        keyfmt_printable(f, p, len);
    }
    fclose(f);
    /* a NUL separates the head and tail when both were cut from a long key */
    size_t head_len = strlen(s);
    bool split = head_len < slen;
    size_t *st = malloc((slen + 1) * sizeof *st);
    if (!st) {
        free(s);
        snprintf(buf, cap, "?");
        return buf;
    }
    size_t n = units(s, slen, st);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) w += s[st[i]] == '\0' ? 0 : 1;
    if (head_only) {
        size_t keep = width > 3 ? width - 3 : (width ? 1 : n);
        snprintf(buf, cap, "%.*s...", (int)(keep < n ? st[keep] : slen), s);
    } else if (!split && (width == 0 || w <= width)) {
        snprintf(buf, cap, "%s", s);
    } else {
        size_t keep = width > 3 ? width - 3 : 1;
        size_t left = (keep + 1) / 2, right = keep - left;
        size_t lend = left < n ? st[left] : slen;
        size_t rbeg = right < n ? st[n - right] : 0;
        if (split) {
            if (lend > head_len) lend = head_len;
            if (rbeg <= head_len) rbeg = head_len + 1;
        }
        snprintf(buf, cap, "%.*s...%.*s", (int)lend, s, (int)(slen - rbeg), s + rbeg);
    }
    free(st);
    free(s);
    return buf;
}

char *rfmt_key(char *buf, size_t cap, const uint8_t *p, size_t len, unsigned width) {
    return key_cell(buf, cap, p, len, width, false);
}

char *rfmt_key_head(char *buf, size_t cap, const uint8_t *p, size_t len, unsigned width) {
    return key_cell(buf, cap, p, len, width, true);
}

char *rfmt_record_key(char *buf, size_t cap, const key_record *r, unsigned width) {
    return key_cell(buf, cap, r->key, r->key_len, width, r->key_full_len > r->key_len);
}
