/* keyarg.c: see keyarg.h. */
#include "cli/keyarg.h"

#include <stdio.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

long keyarg_unescape(const char *text, uint8_t *out, char *why, size_t whylen)
{
    size_t o = 0, n = strlen(text);
    for (size_t i = 0; i < n; i++) {
        if (text[i] != '\\') {
            out[o++] = (uint8_t)text[i];
            continue;
        }
        if (i + 1 >= n) {
            snprintf(why, whylen, "a lone backslash ends it (write \\\\ for a backslash)");
            return -1;
        }
        char e = text[++i];
        switch (e) {
        case '\\': out[o++] = '\\'; break;
        case '"': out[o++] = '"'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'a': out[o++] = '\a'; break;
        case 'b': out[o++] = '\b'; break;
        case 'x': {
            int hi = i + 1 < n ? hexval(text[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(text[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                snprintf(why, whylen, "\\x at byte %zu is not followed by two hex digits", i - 1);
                return -1;
            }
            out[o++] = (uint8_t)(hi << 4 | lo);
            i += 2;
            break;
        }
        default:
            if ((unsigned char)e >= 0x20 && (unsigned char)e < 0x7f)
                snprintf(why, whylen, "unknown escape \\%c at byte %zu (\\xHH, \\\\, \\\", \\n, "
                                      "\\r, \\t, \\a, \\b are known)", e, i - 1);
            else
                snprintf(why, whylen, "a backslash at byte %zu is followed by a byte no escape "
                                      "starts with", i - 1);
            return -1;
        }
    }
    return (long)o;
}
