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

/* Display columns of a code point in a terminal: 2 for the East Asian
 * wide and fullwidth ranges (CJK, Hangul, kana, fullwidth forms, the emoji
 * blocks), 0 for combining marks and zero-width characters, else 1. The
 * ranges are those of Unicode's EastAsianWidth W/F classes, coarsened to
 * whole blocks; a key is a name, not prose, so block accuracy is enough. */
static unsigned cp_cols(uint32_t cp) {
    static const struct { uint32_t lo, hi; } zero[] = {
        {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
        {0x064B, 0x065F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
        {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
    };
    static const struct { uint32_t lo, hi; } wide[] = {
        {0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xA960, 0xA97F}, {0xAC00, 0xD7A3},
        {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
        {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };
    if (cp < 0x300) return 1;
    for (size_t i = 0; i < sizeof zero / sizeof *zero; i++)
        if (cp >= zero[i].lo && cp <= zero[i].hi) return 0;
    for (size_t i = 0; i < sizeof wide / sizeof *wide; i++)
        if (cp >= wide[i].lo && cp <= wide[i].hi) return 2;
    return 1;
}

/* The length in bytes of the display unit at s[0..len) (a code point, or a
 * whole "\xHH" / "\\" escape, so a cut never splits one), and its columns. */
static size_t unit_at(const char *s, size_t len, unsigned *cols) {
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == '\\' && len > 3 && u[1] == 'x') { *cols = 4; return 4; }
    if (u[0] == '\\' && len > 1) { *cols = 2; return 2; }
    if (u[0] < 0x80) { *cols = u[0] ? 1 : 0; return 1; }
    size_t n = 1;
    while (n < len && (u[n] & 0xc0) == 0x80) n++;
    /* printable text is valid UTF-8 (keyfmt); anything else counts 1 */
    uint32_t cp = u[0] >= 0xf0 ? u[0] & 0x07u : u[0] >= 0xe0 ? u[0] & 0x0fu : u[0] & 0x1fu;
    for (size_t i = 1; i < n; i++) cp = cp << 6 | (u[i] & 0x3fu);
    *cols = n >= 2 && n <= 4 ? cp_cols(cp) : 1;
    return n;
}

size_t rfmt_width(const char *s) {
    size_t w = 0, len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned c;
        i += unit_at(s + i, len - i, &c);
        w += c;
    }
    return w;
}

typedef struct unit { size_t start; unsigned cols; } unit;

/* The display units of s (unit_at). Returns the count. */
static size_t units(const char *s, size_t len, unit *u) {
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        u[n].start = i;
        i += unit_at(s + i, len - i, &u[n].cols);
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
    unit *u = malloc((slen + 1) * sizeof *u);
    if (!u) {
        free(s);
        snprintf(buf, cap, "?");
        return buf;
    }
    size_t n = units(s, slen, u);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) w += u[i].cols;
    /* columns for text once "..." is in: at least one unit is shown */
    size_t keep = width > 3 ? width - 3 : 1;
    if (head_only) {
        size_t k = 0, used = 0;
        while (k < n && (width == 0 || used + u[k].cols <= keep || k == 0)) used += u[k++].cols;
        snprintf(buf, cap, "%.*s...", (int)(k < n ? u[k].start : slen), s);
    } else if (!split && (width == 0 || w <= width)) {
        snprintf(buf, cap, "%s", s);
    } else {
        size_t left = (keep + 1) / 2, right = keep - left;
        size_t l = 0, used = 0;
        while (l < n && (used + u[l].cols <= left || l == 0)) used += u[l++].cols;
        size_t r = n;
        used = 0;
        while (r > l && used + u[r - 1].cols <= right) used += u[--r].cols;
        size_t lend = l < n ? u[l].start : slen;
        size_t rbeg = r < n ? u[r].start : slen;
        if (split) {
            if (lend > head_len) lend = head_len;
            if (rbeg <= head_len) rbeg = head_len + 1;
        }
        snprintf(buf, cap, "%.*s...%.*s", (int)lend, s, (int)(slen - rbeg), s + rbeg);
    }
    free(u);
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

char *rfmt_text(char *buf, size_t cap, const char *s) {
    static const char hexdig[] = "0123456789abcdef";
    const uint8_t *p = (const uint8_t *)s;
    size_t len = strlen(s), i = 0, o = 0;
    while (i < len && o + 5 < cap) {
        uint8_t c = p[i];
        size_t n = c >= 0x80 ? keyfmt_utf8_len(p + i, len - i) : 0;
        if (n) {
            if (o + n + 1 > cap) break;
            memcpy(buf + o, p + i, n);
            o += n, i += n;
        } else if (c < 0x20 || c >= 0x7f) {
            buf[o++] = '\\', buf[o++] = 'x', buf[o++] = hexdig[c >> 4], buf[o++] = hexdig[c & 15];
            i++;
        } else {
            buf[o++] = (char)c;
            i++;
        }
    }
    buf[o < cap ? o : cap - 1] = '\0';
    return buf;
}

char *rfmt_filter(char *buf, size_t cap, const key_filter *f) {
    char t[RFMT_CELL];
    size_t o = 0;
    buf[0] = '\0';
#define ADD(...) (o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, __VA_ARGS__), o = o < cap ? o : cap - 1)
    if (f->has_db) ADD("%sdb=%llu", o ? " " : "", (unsigned long long)f->db);
    if (f->type_mask) {
        ADD("%stype=", o ? " " : "");
        for (int k = 0, n = 0; k < RDB_KIND_COUNT_; k++)
            if (f->type_mask & (1u << k)) ADD("%s%s", n++ ? "," : "", rdb_kind_name((rdb_kind)k));
    }
    if (f->match) ADD("%smatch=%s", o ? " " : "", rfmt_text(t, sizeof t, f->match));
    if (f->regex) ADD("%sregex=%s", o ? " " : "", rfmt_text(t, sizeof t, f->regex));
    if (f->min_bytes) ADD("%smin-bytes=%s", o ? " " : "", rfmt_bytes(t, sizeof t, f->min_bytes));
    if (f->min_elements) ADD("%smin-elements=%s", o ? " " : "", rfmt_count(t, sizeof t, f->min_elements));
    if (f->expiry_text) ADD("%sexpiry=%s", o ? " " : "", rfmt_text(t, sizeof t, f->expiry_text));
#undef ADD
    return buf;
}
