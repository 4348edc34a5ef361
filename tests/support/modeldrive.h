/* modeldrive.h: the memory model driven straight by the parser over one dump
 * file, for the tests that hold it against real servers. */
#ifndef RDBLENS_TEST_MODELDRIVE_H
#define RDBLENS_TEST_MODELDRIVE_H

#include <stdbool.h>

#include "analyze/model.h"

typedef struct modeldrive {
    const model_profile *profile;      /* NULL: inferred from the dump */
    const model_config *config;        /* may be NULL */
    bool cluster;                      /* model_set_cluster(MODEL_CLUSTER_OPTION) */
    bool has_now;
    int64_t now_ms;
    /* optional callbacks */
    void (*on_key)(void *ctx, const rdb_key *k, const key_record *r);
    void (*on_slot_info)(void *ctx, uint64_t slot, uint64_t keys, uint64_t expires);
    void (*on_aux)(void *ctx, rdb_bytes k, rdb_bytes v);
    void *ctx;
    /* results */
    model_totals totals;
    model_cluster_reason cluster_mode;
    const model_profile *used;
    model *m;                          /* freed by modeldrive_free */
} modeldrive;

/* Parses path; 0, or -1 (a message in err) when it cannot be read whole. */
int modeldrive_file(modeldrive *r, const char *path, char *err, size_t errlen);
void modeldrive_free(modeldrive *r);

#endif
