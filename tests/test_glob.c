/* test_glob.c: analyze/glob.c against Redis stringmatchlen() behavior
 * (KEYS / SCAN MATCH), including the odd corners: unterminated classes,
 * reversed ranges, escapes inside classes, embedded NULs. */
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/glob.h"

static bool m(const char *pat, const char *s) {
    return glob_match(pat, strlen(pat), (const uint8_t *)s, strlen(s), false);
}

static bool mi(const char *pat, const char *s) {
    return glob_match(pat, strlen(pat), (const uint8_t *)s, strlen(s), true);
}

Test(glob, literal) {
    cr_assert(m("hello", "hello"));
    cr_assert(!m("hello", "hell"));
    cr_assert(!m("hell", "hello"));
    cr_assert(m("", ""));
    cr_assert(!m("", "a"));
}

Test(glob, star) {
    cr_assert(m("*", "anything"));
    cr_assert(m("user:*", "user:"));
    cr_assert(m("user:*", "user:123:cart"));
    cr_assert(m("*:cart", "user:1:cart"));
    cr_assert(m("a*b*c", "aXXbYYc"));
    cr_assert(!m("a*b*c", "aXXbYY"));
    cr_assert(m("a**b", "ab"));
    cr_assert(m("h*llo", "hllo"));
    cr_assert(m("h*", "h"));
    /* as in Redis, a lone '*' does not match the empty string (KEYS and SCAN
     * short-circuit "*" before calling the matcher; agg_filter does too) */
    cr_assert(!m("*", ""));
    cr_assert(m("a*", "a"));
}

Test(glob, question) {
    cr_assert(m("h?llo", "hello"));
    cr_assert(m("h?llo", "hallo"));
    cr_assert(!m("h?llo", "hllo"));
    cr_assert(m("???", "abc"));
    cr_assert(!m("???", "ab"));
}

Test(glob, classes) {
    cr_assert(m("h[ae]llo", "hello"));
    cr_assert(m("h[ae]llo", "hallo"));
    cr_assert(!m("h[ae]llo", "hillo"));
    cr_assert(m("h[^e]llo", "hallo"));
    cr_assert(!m("h[^e]llo", "hello"));
    cr_assert(m("h[a-b]llo", "hbllo"));
    cr_assert(!m("h[a-b]llo", "hcllo"));
    cr_assert(m("h[b-a]llo", "hallo"));  /* reversed range is swapped */
    cr_assert(m("[0-9][0-9]", "42"));
    cr_assert(!m("[0-9]", "x"));
    cr_assert(m("[\\]]", "]"));           /* escaped ']' inside a class */
    cr_assert(m("[a\\-z]", "-"));
    cr_assert(!m("[a\\-z]", "b"));
}

Test(glob, unterminated_class) {
    /* Redis: an unterminated class runs to the end of the pattern */
    cr_assert(m("[abc", "a"));
    cr_assert(m("[abc", "c"));
    cr_assert(!m("[abc", "d"));
    cr_assert(!m("[abc", "ab"));
    cr_assert(m("x[", "x") == false);
}

Test(glob, escapes) {
    cr_assert(m("a\\*b", "a*b"));
    cr_assert(!m("a\\*b", "aXb"));
    cr_assert(m("a\\?", "a?"));
    cr_assert(m("\\[x]", "[x]"));
    cr_assert(m("a\\", "a\\"));          /* trailing backslash is literal */
}

Test(glob, nocase) {
    cr_assert(mi("HeLLo", "hello"));
    cr_assert(mi("h[A-C]llo", "hbllo"));
    cr_assert(!m("HeLLo", "hello"));
}

Test(glob, binary_and_high_bytes) {
    const uint8_t s[] = {'k', 0, 0xff, 'z'};
    cr_assert(glob_match("k?\xff*", 4, s, sizeof s, false));
    cr_assert(glob_match("k\0*", 3, s, sizeof s, false));
    cr_assert(glob_match("k?[\x80-\xff]z", 8, s, sizeof s, false));
    cr_assert(!glob_match("k?[a-z]z", 8, s, sizeof s, false));
}

Test(glob, pathological_is_fast) {
    char s[200];
    memset(s, 'a', sizeof s - 1);
    s[sizeof s - 1] = '\0';
    /* exponential without the skip-longer rule */
    cr_assert(!m("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", s));
}
