/* agg_prefix.h: key-prefix statistics in a bounded number of nodes.
 *
 * A key is cut into segments at any of the separator bytes; a segment keeps
 * its trailing separator. The node at depth d is the first d segments, for
 * d = 1 .. min(depth, segments), so every key counts in exactly one depth-1
 * node and the depth-1 nodes sum to the totals. A segment that is an id is
 * folded to '*' ("user:12345:cart" -> "user:", "user:*:", "user:*:cart") so
 * that per-id keys aggregate: ASCII digits only, a canonical UUID, or 8 or
 * more hex digits with at least one decimal digit. Node names longer than
 * AGG_PREFIX_MAX_NAME bytes are cut there.
 *
 * Budget: when a new node would exceed the budget, the smallest quarter of
 * the nodes (by bytes, then keys; ties in insertion order) is merged into one
 * "(other)" node per depth and budget_hit is set. Memory is therefore about
 * budget x (~130 bytes + name) whatever the number of keys; a prefix evicted
 * early and seen again restarts from zero, its earlier share stays in
 * "(other)", so every depth still sums to what it saw.
 */
#ifndef RDBLENS_AGG_PREFIX_H
#define RDBLENS_AGG_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/keyrec.h"

#define AGG_PREFIX_MAX_NAME 256
#define AGG_PREFIX_MAX_DEPTH 64
#define AGG_PREFIX_MIN_BUDGET 16

typedef struct agg_prefix_row {
    const uint8_t *name;  /* folded prefix bytes; "(other)" for a merged node */
    size_t name_len;
    unsigned depth;
    bool other;
    uint64_t keys, bytes, elements, keys_no_ttl, bytes_no_ttl;
    uint64_t type_bytes[RDB_KIND_COUNT_];
} agg_prefix_row;

typedef struct agg_prefix agg_prefix;

/* separators: a NUL-terminated set of bytes (may be empty: no cutting);
 * depth 1..AGG_PREFIX_MAX_DEPTH; budget >= AGG_PREFIX_MIN_BUDGET nodes. */
agg_prefix *agg_prefix_new(const char *separators, unsigned depth, size_t budget);
void agg_prefix_free(agg_prefix *p);

/* Adds one key; -1 when out of memory. */
int agg_prefix_add(agg_prefix *p, const key_record *r);

bool agg_prefix_budget_hit(const agg_prefix *p);
size_t agg_prefix_nodes(const agg_prefix *p);        /* live nodes now */
uint64_t agg_prefix_evicted(const agg_prefix *p);    /* nodes merged so far */

/* The best n nodes (including "(other)" nodes) by bytes desc, then keys desc,
 * then depth asc, then name; written to out (caller's array of n rows);
 * returns how many. Rows point into p and stay valid until the next add. */
size_t agg_prefix_top(const agg_prefix *p, size_t n, agg_prefix_row *out);

/* Every live node, i < agg_prefix_nodes(p), in insertion order (the
 * pointer is valid until the next add); and the "(other)" row of a depth
 * (keys 0 when nothing was merged there). For saving a table (merge). */
const agg_prefix_row *agg_prefix_node(const agg_prefix *p, size_t i);
const agg_prefix_row *agg_prefix_other(const agg_prefix *p, unsigned depth);

/* Adds a row of another table (a saved report's, another file's) as if
 * its keys had been added here: an "(other)" row to this depth's
 * "(other)", a node to the node of the same name and depth (hashed as
 * agg_prefix_add hashes it, so rows and keys may be mixed), evicting as
 * agg_prefix_add does when the budget is reached. -1 when out of memory,
 * -2 when the row cannot come from a table like this one (depth out of
 * range, name too long). */
int agg_prefix_add_row(agg_prefix *p, const agg_prefix_row *r);
/* A merged table was cut too (budget_hit), and how many nodes it merged. */
void agg_prefix_note_evicted(agg_prefix *p, bool budget_hit, uint64_t evicted);

/* A tree of nodes for a treemap (the HTML report): the best 'fanout'
 * depth-1 nodes, then, heaviest first, the best 'fanout' children of each
 * node taken, until max_nodes are out; the depth-1 "(other)" node, if any,
 * is a top-level node too. A node's children are the nodes one deeper whose
 * names start with its name, when its name ends at a separator (a name cut
 * at AGG_PREFIX_MAX_NAME is not opened). Every parent comes before its
 * children in out (max_nodes
 * entries); parent is an index into out, SIZE_MAX for a top-level node.
 * Children's bytes need not add up to their parent's: the rest is keys that
 * end at the parent and children not taken. Returns how many, 0 also when
 * out of memory. Time O(n log n) in the live nodes. */
typedef struct agg_prefix_tree_row {
    agg_prefix_row row;
    size_t parent;
} agg_prefix_tree_row;

size_t agg_prefix_tree(const agg_prefix *p, size_t max_nodes, size_t fanout, agg_prefix_tree_row *out);

/* Sum of all nodes (with "(other)") at one depth; for tests and checks. */
agg_prefix_row agg_prefix_depth_sum(const agg_prefix *p, unsigned depth);

#endif
