/* truth.h: the reloaded servers' per-key truth (reload-*.jsonl of
 * ../shared/corpus, corpus-cluster and whatif: db, key or key_hex, type,
 * encoding, memory_usage_samples0), loaded for lookups by (db, key). */
#ifndef RDBLENS_TEST_TRUTH_H
#define RDBLENS_TEST_TRUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct truth_key {
    uint64_t db;
    uint8_t *key;
    size_t key_len;
    char type[8];
    char encoding[16];
    bool has_mu;
    uint64_t mu;           /* MEMORY USAGE key SAMPLES 0 */
} truth_key;

typedef struct truth_set {
    truth_key *v;
    size_t n, cap;
} truth_set;

/* path may end in .gz (read through gzip -dc). 0, or -1 when unreadable. */
int truth_load(const char *path, truth_set *out);
const truth_key *truth_find(const truth_set *t, uint64_t db, const uint8_t *key, size_t len);
void truth_free(truth_set *t);

#endif
