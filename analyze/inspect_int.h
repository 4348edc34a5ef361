/* inspect_int.h: what inspect.c and inspect_limits.c share (not for other
 * modules). */
#ifndef RDBLENS_INSPECT_INT_H
#define RDBLENS_INSPECT_INT_H

#include "analyze/inspect.h"
#include "analyze/model_int.h"

/* The target server: what the what-if models are made of. */
typedef struct inspect_target {
    bool set;
    const model_profile *p;
    model_config cfg;       /* the --config overrides (all unset when none) */
    int64_t now_ms;         /* < 0: no reference time */
    enc_limits lim;         /* the target's limits (model_enc_limits) */
} inspect_target;

/* One what-if: the memory model with one directive (or a pair) set far
 * above or to zero, fed the key's events. Far above and zero decide the
 * encoding exactly as "just enough" (the key's count or longest element)
 * and "one below" would, and a compact form's size does not depend on the
 * limit, so the answer is that of the setting the report names. */
typedef enum whatif_kind {
    WI_RAISE, WI_LOWER,                 /* hash / zset: entries (and value) */
    WI_RAISE_INTSET, WI_LOWER_INTSET,   /* sets */
    WI_RAISE_LP, WI_LOWER_LP,           /* sets, 7.2+ */
} whatif_kind;

#define WHATIF_MAX 4

typedef struct whatif_run {
    whatif_kind kind;
    model *m;
    bool skip;              /* the model asked for no element events */
    bool done;
    key_record rec;         /* its record of the key (encoding, bytes) */
} whatif_run;

typedef struct whatif_set {
    whatif_run run[WHATIF_MAX];
    unsigned n;
} whatif_set;

/* Starts the what-ifs a key of k's type has. -1 when out of memory. */
int whatif_begin(whatif_set *w, const inspect_target *t, const rdb_key *k);
void whatif_entry(whatif_set *w, const rdb_key *k, const rdb_entry *e);
void whatif_container(whatif_set *w, const rdb_key *k, const rdb_container *c);
void whatif_end(whatif_set *w, const rdb_key *k, const rdb_key_end *end);
/* Fills out from the finished runs: the limits against the key and the
 * changes that would change its encoding. n: elements a load keeps;
 * maxlen: the longest element the value limit judges (hash: field or
 * value; zset / set: member); encoding: the model's on the target. */
void whatif_finish(const whatif_set *w, const inspect_target *t, rdb_kind kind,
                   const char *encoding, uint64_t n, uint64_t maxlen, bool all_int,
                   inspect_limits *out);
void whatif_free(whatif_set *w);

#endif
