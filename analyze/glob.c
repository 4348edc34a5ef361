/* glob.c: Redis stringmatchlen() semantics, bounds-checked.
 *
 * Redis reads one byte past the pattern in a few places (it relies on the
 * sds NUL terminator); here every such read checks the remaining length
 * first, which gives the same answers because the terminator never equals
 * '*', '\\' or ']'. Like Redis, a '*' that failed to match the rest of the
 * pattern at every later position stops the outer '*'s from retrying
 * (skip_longer), which keeps pathological patterns linear-ish, and nesting is
 * capped at 1000 '*'s.
 */
#include "analyze/glob.h"

#include <ctype.h>

static int lower(int c) { return tolower(c); }

static bool eq(uint8_t a, uint8_t b, bool nocase) {
    return nocase ? lower(a) == lower(b) : a == b;
}

/* Matches one class starting after '['; advances *pp and *pl to the closing ']'
 * (or the last pattern byte when unterminated) exactly as Redis does. */
static bool match_class(const uint8_t **pp, size_t *pl, uint8_t c, bool nocase) {
    const uint8_t *p = *pp;
    size_t l = *pl;
    bool negate = l > 0 && p[0] == '^';
    bool hit = false;
    if (negate) { p++; l--; }
    for (;;) {
        if (l == 0) {           /* unterminated: step back onto the last byte */
            p--; l++;
            break;
        }
        if (p[0] == '\\' && l >= 2) {
            p++; l--;
            if (p[0] == c) hit = true;
        } else if (p[0] == ']') {
            break;
        } else if (l >= 3 && p[1] == '-') {
            int start = p[0], end = p[2], ch = c;
            if (start > end) { int t = start; start = end; end = t; }
            if (nocase) { start = lower(start); end = lower(end); ch = lower(ch); }
            p += 2; l -= 2;
            if (ch >= start && ch <= end) hit = true;
        } else if (eq(p[0], c, nocase)) {
            hit = true;
        }
        p++; l--;
    }
    *pp = p;
    *pl = l;
    return negate ? !hit : hit;
}

static bool match_impl(const uint8_t *p, size_t pl, const uint8_t *s, size_t sl,
                       bool nocase, bool *skip_longer, int nesting) {
    if (nesting > 1000) return false;
    while (pl && sl) {
        switch (p[0]) {
        case '*':
            while (pl >= 2 && p[1] == '*') { p++; pl--; }
            if (pl == 1) return true;
            while (sl) {
                if (match_impl(p + 1, pl - 1, s, sl, nocase, skip_longer, nesting + 1))
                    return true;
                if (*skip_longer) return false;
                s++; sl--;
            }
            *skip_longer = true;
            return false;
        case '?':
            s++; sl--;
            break;
        case '[':
            p++; pl--;
            if (!match_class(&p, &pl, s[0], nocase)) return false;
            s++; sl--;
            break;
        case '\\':
            if (pl >= 2) { p++; pl--; }
            /* fall through */
        default:
            if (!eq(p[0], s[0], nocase)) return false;
            s++; sl--;
            break;
        }
        p++; pl--;
        if (sl == 0) {
            while (pl && p[0] == '*') { p++; pl--; }
            break;
        }
    }
    return pl == 0 && sl == 0;
}

bool glob_match(const char *pattern, size_t plen, const uint8_t *s, size_t slen, bool nocase) {
    bool skip = false;
    return match_impl((const uint8_t *)pattern, plen, s, slen, nocase, &skip, 0);
}
