/* json_get.c: typed access to a saved report's members (json_load_int.h).
 *
 * Each getter checks the member's JSON type and range and, on failure,
 * names its path in the error ("by_db[2].keys: expected a non-negative
 * integer"); after the first error every call does nothing. Also here: the
 * printable form of keys and names back into bytes, and the texts the
 * document keeps for the aggregate.
 */
#include "report/json_load_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jl_fail(jctx *c, const char *fmt, ...) {
    if (c->failed) return;
    c->failed = true;
    int n = snprintf(c->err, c->cap, "%s: ", c->file);
    if (n < 0 || (size_t)n >= c->cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err + n, c->cap - (size_t)n, fmt, ap);
    va_end(ap);
}

/* ---- members ------------------------------------------------------------ */

json_t *jl_get(jctx *c, json_t *obj, const char *where, const char *name, json_type want, bool nullable) {
    if (c->failed) return NULL;
    if (!json_is_object(obj)) {
        jl_fail(c, "%s: expected an object", where);
        return NULL;
    }
    json_t *v = json_object_get(obj, name);
    if (!v) {
        jl_fail(c, "%s: member \"%s\" is missing", where, name);
        return NULL;
    }
    if (json_is_null(v) && nullable) return NULL;
    if (json_typeof(v) != want && !(want == JSON_TRUE && json_is_boolean(v))) {
        static const char *const names[] = {"an object", "an array", "a string", "an integer",
                                            "a number", "a boolean", "a boolean", "null"};
        jl_fail(c, "%s.%s: expected %s%s", where, name, names[want], nullable ? " or null" : "");
        return NULL;
    }
    return v;
}

bool jl_u64_of(jctx *c, json_t *v, const char *where, uint64_t *out) {
    if (c->failed) return false;
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        jl_fail(c, "%s: expected a non-negative integer (at most 2^63-1)", where);
        return false;
    }
    *out = (uint64_t)json_integer_value(v);
    return true;
}

/* obj.name as a non-negative integer; nullable: *has false for null */
static uint64_t u64_member(jctx *c, json_t *obj, const char *where, const char *name, bool nullable,
                           bool *has) {
    json_t *v = jl_get(c, obj, where, name, JSON_INTEGER, nullable);
    uint64_t x = 0;
    *has = v != NULL;
    if (v) {
        char w[160];
        snprintf(w, sizeof w, "%s.%s", where, name);
        jl_u64_of(c, v, w, &x);
    }
    return x;
}

uint64_t jl_get_u64(jctx *c, json_t *obj, const char *where, const char *name) {
    bool has;
    return u64_member(c, obj, where, name, false, &has);
}

uint64_t jl_get_u64_opt(jctx *c, json_t *obj, const char *where, const char *name, bool *has) {
    return u64_member(c, obj, where, name, true, has);
}

uint64_t jl_get_u64_v2(jctx *c, const report_doc *d, json_t *obj, const char *where, const char *name) {
    if (d->schema < 2 && json_is_object(obj) && !json_object_get(obj, name)) return 0;
    return jl_get_u64(c, obj, where, name);
}

bool jl_has_v2(const report_doc *d, json_t *obj, const char *name) {
    return d->schema >= 2 || json_object_get(obj, name);
}

int64_t jl_get_i64(jctx *c, json_t *obj, const char *where, const char *name) {
    json_t *v = jl_get(c, obj, where, name, JSON_INTEGER, false);
    return v ? (int64_t)json_integer_value(v) : 0;
}

bool jl_get_bool(jctx *c, json_t *obj, const char *where, const char *name) {
    json_t *v = jl_get(c, obj, where, name, JSON_TRUE, false);
    return v && json_is_true(v);
}

const char *jl_get_str(jctx *c, json_t *obj, const char *where, const char *name, bool nullable) {
    json_t *v = jl_get(c, obj, where, name, JSON_STRING, nullable);
    return v ? json_string_value(v) : NULL;
}

json_t *jl_get_arr(jctx *c, json_t *obj, const char *where, const char *name) {
    return jl_get(c, obj, where, name, JSON_ARRAY, false);
}

json_t *jl_get_obj(jctx *c, json_t *obj, const char *where, const char *name, bool nullable) {
    return jl_get(c, obj, where, name, JSON_OBJECT, nullable);
}

/* ---- array elements ------------------------------------------------------ */

uint64_t jl_at_u64(jctx *c, json_t *arr, size_t i, const char *where) {
    json_t *v = json_array_get(arr, i);
    char w[160];
    snprintf(w, sizeof w, "%s[%zu]", where, i);
    uint64_t x = 0;
    if (!v) jl_fail(c, "%s: missing", w);
    else jl_u64_of(c, v, w, &x);
    return x;
}

bool jl_pair_at(jctx *c, json_t *arr, size_t i, const char *where, const char *shape, const char *at,
                uint64_t *x, uint64_t *y) {
    if (c->failed) return false;
    json_t *pair = json_array_get(arr, i);
    if (!json_is_array(pair) || json_array_size(pair) != 2) {
        jl_fail(c, "%s[%zu]: expected %s", where, i, shape);
        return false;
    }
    *x = jl_at_u64(c, pair, 0, at);
    *y = jl_at_u64(c, pair, 1, at);
    return !c->failed;
}

/* ---- composite values ------------------------------------------------------ */

int jl_kind_of(jctx *c, const char *name, const char *where) {
    for (int k = 0; k < RDB_KIND_COUNT_; k++)
        if (name && !strcmp(rdb_kind_name((rdb_kind)k), name)) return k;
    jl_fail(c, "%s: unknown type \"%s\"", where, name ? name : "(null)");
    return -1;
}

void jl_get_limits(jctx *c, json_t *o, const char *where, enc_limits *l) {
    l->ziplist = jl_get_bool(c, o, where, "ziplist");
    l->hash_entries = jl_get_u64(c, o, where, "hash_entries");
    l->hash_value = jl_get_u64(c, o, where, "hash_value");
    l->zset_entries = jl_get_u64(c, o, where, "zset_entries");
    l->zset_value = jl_get_u64(c, o, where, "zset_value");
    l->set_intset = jl_get_u64(c, o, where, "set_intset");
    l->set_lp_entries = jl_get_u64(c, o, where, "set_lp_entries");
    l->set_lp_value = jl_get_u64(c, o, where, "set_lp_value");
}

/* ---- the printable form back into bytes ---------------------------------- */

static int hexval(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

char *jl_keep_text(report_doc *d, char *t) {
    if (!t) return NULL;
    if (d->ntexts == d->captexts) {
        size_t cap = d->captexts ? d->captexts * 2 : 64;
        char **v = realloc(d->texts, cap * sizeof *v);
        if (!v) {
            free(t);
            return NULL;
        }
        d->texts = v;
        d->captexts = cap;
    }
    d->texts[d->ntexts++] = t;
    return t;
}

uint8_t *jl_unprintable(jctx *c, report_doc *d, json_t *v, const char *where, size_t *len) {
    *len = 0;
    if (c->failed) return NULL;
    if (!json_is_string(v)) {
        jl_fail(c, "%s: expected a string", where);
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    char *out = malloc(n + 1);
    if (!out) {
        jl_fail(c, "out of memory");
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] != '\\') {
            out[o++] = s[i++];
            continue;
        }
        if (i + 1 < n && s[i + 1] == '\\') {
            out[o++] = '\\';
            i += 2;
        } else if (i + 3 < n && s[i + 1] == 'x' && hexval(s[i + 2]) >= 0 && hexval(s[i + 3]) >= 0) {
            out[o++] = (char)(hexval(s[i + 2]) << 4 | hexval(s[i + 3]));
            i += 4;
        } else {
            free(out);
            jl_fail(c, "%s: a backslash not followed by \\ or xHH (not rdblens' printable form)", where);
            return NULL;
        }
    }
    out[o] = '\0';
    *len = o;
    if (!jl_keep_text(d, out)) {
        jl_fail(c, "out of memory");
        return NULL;
    }
    return (uint8_t *)out;
}

uint8_t *jl_get_bytes(jctx *c, report_doc *d, json_t *obj, const char *where, const char *name, size_t *len) {
    json_t *v = jl_get(c, obj, where, name, JSON_STRING, false);
    char w[160];
    snprintf(w, sizeof w, "%s.%s", where, name);
    return v ? jl_unprintable(c, d, v, w, len) : NULL;
}
