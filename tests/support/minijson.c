/* minijson.c: see minijson.h. Test support only. */
#include "tests/support/minijson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *ws(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

static void put_utf8(char *out, size_t *n, unsigned cp) {
    if (cp < 0x80) out[(*n)++] = (char)cp;
    else if (cp < 0x800) {
        out[(*n)++] = (char)(0xc0 | cp >> 6);
        out[(*n)++] = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xe0 | cp >> 12);
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[(*n)++] = (char)(0x80 | (cp & 0x3f));
    } else {
        out[(*n)++] = (char)(0xf0 | cp >> 18);
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[(*n)++] = (char)(0x80 | (cp & 0x3f));
    }
}

/* Parses a string at p (pointing at the quote); returns the end or NULL. */
static const char *parse_string(const char *p, char **out, size_t *outlen) {
    if (*p != '"') return NULL;
    p++;
    size_t cap = strlen(p) + 1, n = 0;
    char *s = out ? malloc(cap) : NULL;
    while (*p && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            char e = *p++;
            unsigned cp = 0;
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u':
                for (int i = 0; i < 4; i++) {
                    char h = *p++;
                    cp = cp * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
                }
                if (cp >= 0xd800 && cp < 0xdc00 && p[0] == '\\' && p[1] == 'u') {
                    unsigned lo = 0;
                    p += 2;
                    for (int i = 0; i < 4; i++) {
                        char h = *p++;
                        lo = lo * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
                    }
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                }
                if (s) put_utf8(s, &n, cp);
                continue;
            default: c = e; break;
            }
        }
        if (s) s[n++] = c;
    }
    if (*p != '"') {
        free(s);
        return NULL;
    }
    if (out) {
        s[n] = '\0';
        *out = s;
        *outlen = n;
    }
    return p + 1;
}

static const char *skip_value(const char *p) {
    p = ws(p);
    if (*p == '"') return parse_string(p, NULL, NULL);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        while (*p) {
            if (*p == '"') {
                p = parse_string(p, NULL, NULL);
                if (!p) return NULL;
                continue;
            }
            if (*p == '{' || *p == '[') depth++;
            if (*p == '}' || *p == ']') {
                depth--;
                if (depth == 0) return p + 1;
            }
            p++;
        }
        return NULL;
    }
    while (*p && *p != ',' && *p != '}' && *p != ']') p++;
    return p;
}

int mj_parse(const char *line, mj_object *o) {
    memset(o, 0, sizeof *o);
    const char *p = ws(line);
    if (*p++ != '{') return -1;
    for (;;) {
        p = ws(p);
        if (*p == '}') return 0;
        char *name;
        size_t nl;
        p = parse_string(p, &name, &nl);
        if (!p) return -1;
        p = ws(p);
        if (*p++ != ':') { free(name); return -1; }
        p = ws(p);
        mj_field tmp = {0};
        snprintf(tmp.name, sizeof tmp.name, "%s", name);
        free(name);
        if (*p == '"') {
            tmp.type = MJ_STR;
            p = parse_string(p, &tmp.s, &tmp.slen);
        } else if (*p == '{' || *p == '[') {
            tmp.type = MJ_NESTED;
            p = skip_value(p);
        } else if (!strncmp(p, "null", 4)) {
            tmp.type = MJ_NULL;
            p += 4;
        } else if (!strncmp(p, "true", 4) || !strncmp(p, "false", 5)) {
            tmp.type = MJ_BOOL;
            tmp.i = *p == 't';
            p += *p == 't' ? 4 : 5;
        } else {
            char *end;
            tmp.d = strtod(p, &end);
            tmp.i = strtoll(p, NULL, 10);
            tmp.type = strpbrk(p, ".eE") && strpbrk(p, ".eE") < end ? MJ_NUM : MJ_INT;
            p = end;
        }
        if (!p) return -1;
        if (o->n < MJ_MAX_FIELDS) o->f[o->n++] = tmp;
        else free(tmp.s);
        p = ws(p);
        if (*p == ',') { p++; continue; }
        if (*p == '}') return 0;
        return -1;
    }
}

void mj_free(mj_object *o) {
    for (size_t i = 0; i < o->n; i++) free(o->f[i].s);
    o->n = 0;
}

const mj_field *mj_get(const mj_object *o, const char *name) {
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->f[i].name, name)) return &o->f[i];
    return NULL;
}

char *mj_slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    if (buf) { buf[n] = '\0'; if (len) *len = (size_t)n; }
    return buf;
}
