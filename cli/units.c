/* units.c: counts, sizes, times and durations from the command line (units.h). */
#include "cli/units.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

/* Digits [s, *end) as an integer; -1 on overflow or no digit. */
static int read_digits(const char *s, const char **end, uint64_t *out, unsigned *ndigits) {
    uint64_t v = 0;
    unsigned n = 0;
    while (isdigit((unsigned char)s[n])) {
        unsigned d = (unsigned)(s[n] - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
        n++;
    }
    *end = s + n;
    *out = v;
    if (ndigits) *ndigits = n;
    return n ? 0 : -1;
}

int units_parse_count(const char *s, uint64_t *out, char *why, size_t whylen) {
    const char *end;
    if (!s || !isdigit((unsigned char)s[0])) return WHY("a whole number");
    if (read_digits(s, &end, out, NULL) < 0) return WHY("a whole number below 2^64");
    if (*end) return WHY("a whole number");
    return 0;
}

static int unit_shift(const char *u, unsigned *shift) {
    static const char units[] = "bkmgtp";
    char c = (char)tolower((unsigned char)u[0]);
    const char *p = c ? strchr(units, c) : NULL;
    if (!c) { *shift = 0; return 0; }
    if (!p) return -1;
    *shift = (unsigned)(p - units) * 10;
    const char *rest = u + 1;
    if (c == 'b') return *rest ? -1 : 0;
    if (!*rest) return 0;                                   /* K */
    if ((rest[0] == 'b' || rest[0] == 'B') && !rest[1]) return 0;  /* KB */
    if ((rest[0] == 'i' || rest[0] == 'I') && (rest[1] == 'b' || rest[1] == 'B') && !rest[2])
        return 0;                                           /* KiB */
    return -1;
}

int units_parse_size(const char *s, uint64_t *out, char *why, size_t whylen) {
    static const char expect[] = "a size such as 512, 64K, 10MiB or 1.5GB (units are binary: K = 1024)";
    if (!s || !isdigit((unsigned char)s[0])) return WHY("%s", expect);
    const char *p;
    uint64_t whole, frac = 0;
    unsigned fdigits = 0;
    if (read_digits(s, &p, &whole, NULL) < 0) return WHY("%s", expect);
    if (*p == '.') {
        if (read_digits(p + 1, &p, &frac, &fdigits) < 0 || fdigits > 18) return WHY("%s", expect);
    }
    if (*p == ' ') {  /* "10 KiB": a space only before a unit */
        while (*p == ' ') p++;
        if (!*p) return WHY("%s", expect);
    }
    unsigned shift;
    if (unit_shift(p, &shift) < 0) return WHY("%s", expect);
    unsigned __int128 v = (unsigned __int128)whole << shift;
    if (fdigits) {
        unsigned __int128 scale = 1;
        for (unsigned i = 0; i < fdigits; i++) scale *= 10;
        v += ((unsigned __int128)frac << shift) / scale;
    }
    if (v > UINT64_MAX) return WHY("a size below 16 EiB");
    *out = (uint64_t)v;
    return 0;
}

/* ---- time ----------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Exactly n digits at *p, advancing it. */
static int fixed(const char **p, unsigned n, unsigned *out) {
    unsigned v = 0;
    for (unsigned i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) return -1;
        v = v * 10 + (unsigned)((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int parse_iso(const char *s, int64_t *out_ms) {
    const char *p = s;
    unsigned y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
    if (fixed(&p, 4, &y) || *p++ != '-' || fixed(&p, 2, &mo) || *p++ != '-' || fixed(&p, 2, &d))
        return -1;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1) return -1;
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d > mdays[mo - 1] + (mo == 2 && leap(y))) return -1;
    int64_t offset_min = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (fixed(&p, 2, &h) || *p++ != ':' || fixed(&p, 2, &mi)) return -1;
        if (*p == ':') {
            p++;
            if (fixed(&p, 2, &sec)) return -1;
            if (*p == '.' || *p == ',') {
                p++;
                unsigned n = 0, scale = 100;
                while (isdigit((unsigned char)*p)) {
                    if (n < 3) ms += (unsigned)(*p - '0') * scale, scale /= 10;
                    n++, p++;
                }
                if (!n) return -1;
            }
        }
        if (h > 23 || mi > 59 || sec > 60) return -1;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1;
            unsigned oh, om = 0;
            if (fixed(&p, 2, &oh)) return -1;
            if (*p == ':') p++;
            if (*p && fixed(&p, 2, &om)) return -1;
            if (oh > 23 || om > 59) return -1;
            offset_min = sign * (int64_t)(oh * 60 + om);
        }
    }
    if (*p) return -1;
    int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    if (secs < 0) return -1;
    *out_ms = secs * 1000 + ms;
    return 0;
}

int units_parse_time(const char *s, int64_t *out_ms, units_time_form *form, char *why, size_t whylen) {
    static const char expect[] =
        "Unix seconds, Unix milliseconds or an ISO-8601 time such as 2026-12-03T10:00:00Z";
    if (!s || !*s) return WHY("%s", expect);
    const char *end;
    uint64_t v;
    unsigned n;
    if (isdigit((unsigned char)s[0]) && read_digits(s, &end, &v, &n) == 0 && !*end) {
        units_time_form f = n >= 12 ? UNITS_TIME_MILLIS : UNITS_TIME_SECONDS;
        if (f == UNITS_TIME_SECONDS) v *= 1000;           /* at most 11 digits: no overflow */
        if (v > (uint64_t)INT64_MAX) return WHY("a time before the year 292 million");
        *out_ms = (int64_t)v;
        if (form) *form = f;
        return 0;
    }
    if (parse_iso(s, out_ms) < 0) return WHY("%s", expect);
    if (form) *form = UNITS_TIME_ISO;
    return 0;
}

int units_parse_duration(const char *s, int64_t *out_ms, char *why, size_t whylen) {
    static const char expect[] = "a duration such as 0, 500ms, 90s, 15m, 1.5h, 7d or 2w";
    if (!s || !isdigit((unsigned char)s[0])) return WHY("%s", expect);
    const char *p;
    uint64_t whole, frac = 0;
    unsigned fdigits = 0;
    if (read_digits(s, &p, &whole, NULL) < 0) return WHY("%s", expect);
    if (*p == '.' && (read_digits(p + 1, &p, &frac, &fdigits) < 0 || fdigits > 9)) return WHY("%s", expect);
    uint64_t unit;
    if (!*p && !whole && !frac) unit = 1;
    else if (!strcmp(p, "ms")) unit = 1;
    else if (!strcmp(p, "s")) unit = 1000;
    else if (!strcmp(p, "m")) unit = 60000;
    else if (!strcmp(p, "h")) unit = 3600000;
    else if (!strcmp(p, "d")) unit = 86400000;
    else if (!strcmp(p, "w")) unit = 604800000;
    else return WHY("%s", expect);
    unsigned __int128 v = (unsigned __int128)whole * unit;
    if (fdigits) {
        uint64_t scale = 1;
        for (unsigned i = 0; i < fdigits; i++) scale *= 10;
        v += (unsigned __int128)frac * unit / scale;
    }
    if (v > INT64_MAX) return WHY("a shorter duration");
    *out_ms = (int64_t)v;
    return 0;
}
