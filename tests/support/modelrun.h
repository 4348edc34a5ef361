/* modelrun.h: a dump run through the parser and the memory model of a named
 * profile (as rdblens does), its key records kept for tests. */
#ifndef RDBLENS_TEST_MODELRUN_H
#define RDBLENS_TEST_MODELRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/model.h"

typedef struct modelrun_key {
    uint64_t db;
    char name[64];
    const char *encoding;
    bool has_bytes;
    uint64_t bytes, ram, elements;
} modelrun_key;

typedef struct modelrun {
    rdb_status status;
    modelrun_key keys[64];
    size_t nkeys;
    model_totals totals;
} modelrun;

/* Runs path through the model of 'profile'; returns the status. */
rdb_status modelrun_file(const char *path, const char *profile, modelrun *out);
/* The key named name in db, or NULL. */
const modelrun_key *modelrun_find(const modelrun *r, uint64_t db, const char *name);

#endif
