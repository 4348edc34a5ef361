/* minijson.h: just enough JSON to read the corpus truth files in tests:
 * one object per line; top-level fields that are strings, integers, numbers,
 * booleans or null; nested objects and arrays are skipped. */
#ifndef RDBLENS_TEST_MINIJSON_H
#define RDBLENS_TEST_MINIJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MJ_MAX_FIELDS 48

typedef enum mj_type { MJ_NULL, MJ_BOOL, MJ_INT, MJ_NUM, MJ_STR, MJ_NESTED } mj_type;

typedef struct mj_field {
    char name[48];
    mj_type type;
    int64_t i;
    double d;
    char *s;       /* decoded string (malloc'd), for MJ_STR */
    size_t slen;
} mj_field;

typedef struct mj_object {
    mj_field f[MJ_MAX_FIELDS];
    size_t n;
} mj_object;

/* Parses one line; returns 0 or -1. Free with mj_free. */
int mj_parse(const char *line, mj_object *o);
void mj_free(mj_object *o);
const mj_field *mj_get(const mj_object *o, const char *name);

/* Reads a whole file (for small fixtures); NULL on error. *len set. */
char *mj_slurp(const char *path, size_t *len);

#endif
