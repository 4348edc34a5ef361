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
    /* Digits from the bit length (log10(2) ~ 1233/4096), corrected by one
     * comparison: no division, no loop. Called for every integer element. */
    static const uint64_t pow10[20] = {
        1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
        100000000ull, 1000000000ull, 10000000000ull, 100000000000ull,
        1000000000000ull, 10000000000000ull, 100000000000000ull,
        1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
        1000000000000000000ull, 10000000000000000000ull,
    };
    uint64_t m = magnitude(v);
    unsigned bits = 64 - (unsigned)__builtin_clzll(m | 1);
    unsigned d = (bits * 1233) >> 12;       /* floor(log10(2^bits)) */
    size_t digits = d + (m >= pow10[d]);
    if (digits == 0) digits = 1;
    return digits + (v < 0);
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
    if (len - i <= 18) {
        /* At most 18 digits cannot overflow (10^18 < 2^63): no checks per
         * digit. Most values tested are short (the model asks of every
         * string value up to 20 bytes whether it is an integer). */
        for (; i < len; i++) {
            unsigned d = (unsigned)s[i] - '0';
            if (d > 9)
                return false;
            m = m * 10 + d;
        }
        if (out)
            *out = negative ? -(int64_t)m : (int64_t)m;
        return true;
    }
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
