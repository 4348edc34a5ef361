/* numtext.c: decimal text <-> int64, with the strictness Redis applies.
 *
 * Redis decides whether a string is "really" an integer with util.c
 * string2ll (and listpack.c lpStringToInt64, the same rules):
 *
 *     text  := "0" | [ "-" ] nonzero-digit { digit }
 *     value := must fit in int64 (INT64_MIN included)
 *
 *   "0" ok       "-0" rejected     "007" rejected     "+7" rejected
 *   " 7" / "7 " rejected           ""  rejected        "-" rejected
 *
 * Because no leading zeros are allowed, a canonical int64 has at most
 * 20 characters ("-9223372036854775808"); anything longer is rejected
 * before it is read. Parsing accumulates the magnitude in a uint64_t and
 * checks for overflow before every multiply/add, so no signed overflow
 * can occur on any input.
 */
#include "rdb/numtext.h"

#define NUMTEXT_MAX_LEN 20u

/* Magnitude of v as unsigned, valid for INT64_MIN too. */
static uint64_t magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

size_t rdb_int_text_len(int64_t v)
{
    uint64_t m = magnitude(v);
    size_t n = v < 0 ? 2 : 1;
    /* Most integers in dumps are small: answer those without dividing. */
    if (m < 10) return n;
    if (m < 100) return n + 1;
    if (m < 1000) return n + 2;
    if (m < 10000) return n + 3;
    while (m >= 10) {
        m /= 10;
        n++;
    }
    return n;
}

size_t rdb_int_to_text(int64_t v, char buf[24])
{
    char tmp[24];
    size_t n = 0, out = 0;
    uint64_t m = magnitude(v);

    do {
        tmp[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m != 0);
    if (v < 0)
        buf[out++] = '-';
    while (n > 0)
        buf[out++] = tmp[--n];
    return out;
}

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

bool rdb_text_to_int(const uint8_t *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool negative = false;
    uint64_t m = 0;

    if (s == NULL || len == 0 || len > NUMTEXT_MAX_LEN)
        return false;
    if (len == 1 && s[0] == '0') {
        if (out)
            *out = 0;
        return true;
    }
    if (s[0] == '-') {
        negative = true;
        i = 1;
        if (i == len)
            return false;
    }
    /* First digit 1-9: this rejects leading zeros and "-0". */
    if (s[i] < '1' || s[i] > '9')
        return false;
    for (; i < len; i++) {
        uint64_t d;
        if (!is_digit(s[i]))
            return false;
        d = (uint64_t)(s[i] - '0');
        if (m > UINT64_MAX / 10)
            return false;
        m *= 10;
        if (m > UINT64_MAX - d)
            return false;
        m += d;
    }
    if (negative) {
        if (m > (uint64_t)INT64_MAX + 1u)
            return false;
        if (out)
            *out = m == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)m;
    } else {
        if (m > (uint64_t)INT64_MAX)
            return false;
        if (out)
            *out = (int64_t)m;
    }
    return true;
}
