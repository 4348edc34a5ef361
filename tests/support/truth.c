/* truth.c: see truth.h. */
#include "tests/support/truth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/minijson.h"

static int hexval(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

static char *slurp_maybe_gz(const char *path) {
    size_t n = strlen(path);
    if (n < 3 || strcmp(path + n - 3, ".gz")) return mj_slurp(path, NULL);
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s'", path);
    FILE *f = popen(cmd, "r");
    if (!f) return NULL;
    size_t cap = 1 << 20, len = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len < 2) buf = realloc(buf, cap *= 2);
    }
    if (pclose(f) != 0 || !buf) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static int cmp(const void *a, const void *b) {
    const truth_key *x = a, *y = b;
    if (x->db != y->db) return x->db < y->db ? -1 : 1;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    if (c) return c;
    return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

int truth_load(const char *path, truth_set *out) {
    memset(out, 0, sizeof *out);
    char *text = slurp_maybe_gz(path);
    if (!text) return -1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        mj_object o;
        if (mj_parse(line, &o) != 0) continue;
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 256;
            out->v = realloc(out->v, out->cap * sizeof *out->v);
        }
        truth_key *r = &out->v[out->n++];
        memset(r, 0, sizeof *r);
        const mj_field *hex = mj_get(&o, "key_hex"), *key = mj_get(&o, "key");
        if (hex && hex->type == MJ_STR) {
            r->key_len = hex->slen / 2;
            r->key = malloc(r->key_len + 1);
            for (size_t i = 0; i < r->key_len; i++)
                r->key[i] = (uint8_t)(hexval(hex->s[2 * i]) << 4 | hexval(hex->s[2 * i + 1]));
        } else {
            r->key_len = key ? key->slen : 0;
            r->key = malloc(r->key_len + 1);
            if (key) memcpy(r->key, key->s, r->key_len);
        }
        const mj_field *f;
        if ((f = mj_get(&o, "db"))) r->db = (uint64_t)f->i;
        if ((f = mj_get(&o, "type")) && f->type == MJ_STR) snprintf(r->type, sizeof r->type, "%s", f->s);
        if ((f = mj_get(&o, "encoding")) && f->type == MJ_STR)
            snprintf(r->encoding, sizeof r->encoding, "%s", f->s);
        if ((f = mj_get(&o, "memory_usage_samples0")) && f->type == MJ_INT) {
            r->has_mu = true;
            r->mu = (uint64_t)f->i;
        }
        mj_free(&o);
    }
    free(text);
    qsort(out->v, out->n, sizeof *out->v, cmp);
    return 0;
}

const truth_key *truth_find(const truth_set *t, uint64_t db, const uint8_t *key, size_t len) {
    truth_key probe = {.db = db, .key = (uint8_t *)key, .key_len = len};
    return bsearch(&probe, t->v, t->n, sizeof *t->v, cmp);
}

void truth_free(truth_set *t) {
    for (size_t i = 0; i < t->n; i++) free(t->v[i].key);
    free(t->v);
    memset(t, 0, sizeof *t);
}
