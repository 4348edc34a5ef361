/* churn.h: which keys two dumps share, exactly, in 16 bytes per key of the
 * old dump (a fingerprint table), and the keys that moved the most.
 *
 * A key is (db, name). The old dump's keys go into an open-addressing table
 * of (64-bit fingerprint, bytes); each key of the new dump is looked up:
 * found with the same bytes is unchanged, with other bytes changed, not
 * found added; old keys never found are removed. The fingerprint is XXH3 of
 * the name seeded with a per-table secret and the db, so a dump cannot pick
 * names that collide; two different keys share one with probability about
 * n^2 / 2^65 (below 10^-6 for 5 million keys), the only way a count can be
 * off. The table holds one 16-byte slot per key at a load of at most 3/4 in
 * a power-of-two table (21-43 bytes per key), sized once from the dump's
 * RESIZEDB hints when the caller passes them (churn_reserve), else
 * doubling as it goes (old and new table coexist while it does).
 *
 * Movers: the `keep` keys with the largest |new - old| bytes (an added key
 * counts its new bytes, a removed one its old), ties in arrival order (the
 * new dump's keys in its order, then the removed ones in the old dump's).
 * Removed keys are known only after the new dump, and their names only in
 * the old one, so they are offered in a second pass over the old dump.
 *
 * Use:
 *   churn *c = churn_new(keep);
 *   old dump:   churn_add_old(c, rec)       per key
 *   new dump:   churn_add_new(c, rec)       per key
 *   if (churn_counts_of(c).removed) second pass over the old dump: churn_removed(c, rec)
 *   churn_movers(c, &n) -> best first
 * churn_reset_old / churn_reset_new start a side over (its pass was redone).
 */
#ifndef RDBLENS_CHURN_H
#define RDBLENS_CHURN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/keyrec.h"

typedef struct churn_counts {
    uint64_t added, removed, changed, unchanged;
    uint64_t duplicates;       /* a (db, name) met twice in one dump: counted once */
} churn_counts;

typedef struct churn_mover {
    uint64_t db;
    uint8_t *key;              /* at most AGG_KEY_KEEP bytes, owned */
    size_t key_len;
    uint64_t key_full_len;     /* 0, or the true length when cut */
    rdb_kind type;
    bool has_old, has_new;     /* removed: no new; added: no old */
    uint64_t old_bytes, new_bytes;
    uint64_t seq;              /* arrival (ties) */
} churn_mover;

typedef struct churn churn;

churn *churn_new(size_t keep);
void churn_free(churn *c);

/* Makes room for n old keys at once (one table of the final size instead
 * of doublings, whose old and new tables coexist: 1.5 times the memory).
 * A hint: the caller bounds it (a dump's RESIZEDB may claim anything);
 * failing to allocate is not an error, the table then grows as it goes. */
void churn_reserve(churn *c, uint64_t n);
/* -1 when out of memory. */
int churn_add_old(churn *c, const key_record *r);
int churn_add_new(churn *c, const key_record *r);
/* second pass over the old dump (after every churn_add_new) */
int churn_removed(churn *c, const key_record *r);
void churn_reset_old(churn *c);
void churn_reset_new(churn *c);

/* removed is complete once the new dump is in */
churn_counts churn_counts_of(const churn *c);
/* best first; valid until churn_free */
const churn_mover *churn_movers(churn *c, size_t *n);
/* bytes the table and movers hold now, and at most so far */
size_t churn_memory(const churn *c);
size_t churn_memory_peak(const churn *c);

#endif
