/* model_cluster.c: what a cluster node holds beyond a standalone server of
 * the same version, per key and per node (model.h, "cluster mode").
 *
 * A cluster node maps keys to hash slots, and each version keeps that map
 * differently (read at the named tags; measured in
 * shared/corpus-cluster/README.md, "Memory in cluster mode"):
 *
 *  - 6.2 (CLUSTER_RAX): redis 6.2.16 src/db.c slotToKeyUpdateKey inserts
 *    every key, prefixed by its slot in two bytes, into one radix tree
 *    (server.cluster->slots_to_keys, src/rax.c) with a NULL value. A key
 *    alone under its branch costs a compressed node holding its bytes and
 *    an empty leaf; the branch nodes above (one per used high slot byte,
 *    per used slot under it, per slot holding several keys) are counted
 *    once per node from the slot counts. Prefixes shared by keys of one
 *    slot are not known to a streaming model: those keys are charged as if
 *    they shared nothing. MEMORY USAGE sees none of it.
 *  - 7.0 / 7.2 (CLUSTER_ENTRY_META): src/server.c dbDictEntryMetadataSize:
 *    every main-dict entry carries a clusterDictEntryMetadata (prev / next
 *    entry of the same slot, 16 bytes: src/cluster.h), so an entry is
 *    zmalloc(24 + 16). MEMORY USAGE (src/object.c memoryCommand) adds
 *    dictMetadataSize(db->dict): in 7.0.15 the macro is the entry metadata
 *    (16), in 7.2.6 the dict's own clusterDictMetadata (8 bytes), so 7.2
 *    reports 8 of the 16.
 *  - 7.4+, valkey 8.0 (CLUSTER_KVSTORE): the keyspace is a kvstore of 16384
 *    dicts, one per slot (src/kvstore.c kvstoreCreate with
 *    KVSTORE_ALLOCATE_DICTS_ON_DEMAND | KVSTORE_FREE_EMPTY_DICTS in
 *    cluster mode, src/server.c initServer). A slot's dict (sizeof(dict) +
 *    kvstoreDictMetadata: profile kvstore_dict) is created with its first
 *    key, so the SLOT_INFO hint that precedes the slot's keys finds no dict
 *    to expand (kvstoreDictExpand returns DICT_ERR on a NULL dict) and the
 *    table grows by doubling to next_pow2(keys) once the cron has finished
 *    rehashing; the same for the expires kvstore. MEMORY USAGE is the
 *    standalone one.
 *
 * The arrays of 16384 pointers, counters and Fenwick trees every version
 * allocates at start-up are in the empty node's used_memory
 * (cluster_startup_used, measured). */
#include <stdlib.h>
#include <string.h>

#include "analyze/model_int.h"
#include "analyze/slot.h"

_Static_assert(MODEL_SLOTS == SLOT_COUNT, "one slot count");

/* src/rax.c raxPadding / raxNodeCurrentLength: a 4-byte header, the
 * characters padded so the pointers that follow are aligned, one child
 * pointer per character (non-compressed) or one (compressed); a NULL
 * value adds nothing. */
static uint64_t rax_node(const model_profile *p, uint64_t chars, bool compressed)
{
    uint64_t head = (4 + chars + 7) & ~(uint64_t)7;
    return je_size(p, head + 8 * (compressed ? 1 : chars));
}

bool model_profile_has_cluster(const model_profile *p)
{
    return p->cluster_keyspace != CLUSTER_NONE;
}

int model_set_cluster(model *m, model_cluster_reason why)
{
    if (why == MODEL_CLUSTER_OFF) {
        m->cluster_reason = why;
        return 0;
    }
    if (!model_profile_has_cluster(m->p)) return -1;
    if (!m->slots) {
        m->slots = calloc(SLOT_COUNT, sizeof *m->slots);
        if (!m->slots) return -1;
    }
    if (m->cluster_reason == MODEL_CLUSTER_OFF) m->cluster_reason = why;
    return 0;
}

model_cluster_reason model_cluster_mode(const model *m) { return m->cluster_reason; }

const char *model_cluster_reason_text(model_cluster_reason r)
{
    switch (r) {
    case MODEL_CLUSTER_OPTION: return "--cluster";
    case MODEL_CLUSTER_SLOT_INFO: return "assumed: the dump carries SLOT_INFO records (a Redis 7.4+ cluster node wrote it)";
    case MODEL_CLUSTER_SLOT_INFO_AUX: return "assumed: the dump carries slot-info aux fields (a Valkey 8 cluster node wrote it)";
    default: return NULL;
    }
}

uint64_t model_cluster_other_db_keys(const model *m) { return m->cluster_other_db_keys; }

/* Implied cluster mode (SLOT_INFO, valkey's slot-info aux): only before
 * the first key, and only for a profile that has a cluster model. */
void model_cluster_implied(model *m, model_cluster_reason why)
{
    if (m->cluster_reason != MODEL_CLUSTER_OFF || m->t.keys_loaded || m->t.keys_expired) return;
    if (model_profile_has_cluster(m->p)) model_set_cluster(m, why);
}

int model_on_slot_info(void *ctx, uint64_t slot, uint64_t size, uint64_t expires)
{
    (void)slot, (void)size, (void)expires;
    model_cluster_implied(ctx, MODEL_CLUSTER_SLOT_INFO);
    return RDB_CONTINUE;
}

/* The per-key terms of cluster mode (model_key_end): MEMORY USAGE and RAM
 * added to the standalone key, and the slot. */
void model_cluster_key(const model *m, const rdb_key *k, uint64_t *mu, uint64_t *ram)
{
    const model_profile *p = m->p;
    *mu = *ram = 0;
    switch (p->cluster_keyspace) {
    case CLUSTER_RAX: {
        uint64_t len = k->name_len;
        *ram = rax_node(p, len, true) + rax_node(p, 0, false);
        break;
    }
    case CLUSTER_ENTRY_META:
        *ram = je_size(p, p->dict_entry + p->cluster_entry_meta) - je_size(p, p->dict_entry);
        *mu = p->cluster_mu_meta;
        break;
    default:
        break;
    }
}

void model_cluster_count(model *m, unsigned slot, bool expires, uint64_t ram, uint64_t bytes,
                         uint64_t db)
{
    model_slot_sums *s = &m->slots[slot];
    s->keys++;
    if (expires) s->expires++;
    s->ram += ram;
    s->bytes += bytes;
    if (db != 0) m->cluster_other_db_keys++;
}

/* A table grown by doubling from empty to n entries, its rehash finished
 * (dict.c _dictExpandIfNeeded: next_pow2(n), at least 4). */
static uint64_t grown_table(const model_profile *p, uint64_t n)
{
    return n ? je_size(p, 8 * next_pow2(n)) : 0;
}

/* The 6.2 rax above the keys' own nodes: the root branches on the slot's
 * high byte, a node per high byte with several used slots branches on the
 * low byte, and a slot of several keys branches where they part. The
 * empty head node (8 bytes) is in the empty server. */
static uint64_t rax_branches(const model_profile *p, const model_slot_sums *s, const uint8_t *owned)
{
    uint64_t total = 0, high_used = 0;
    for (unsigned h = 0; h < SLOT_COUNT / 256; h++) {
        uint64_t used = 0;
        for (unsigned l = 0; l < 256; l++) {
            unsigned slot = h * 256 + l;
            if ((owned && !owned[slot]) || !s[slot].keys) continue;
            used++;
            if (s[slot].keys >= 2) total += rax_node(p, s[slot].keys, false);
        }
        if (used) high_used++;
        if (used >= 2) total += rax_node(p, used, false);
    }
    if (high_used >= 2) total += rax_node(p, high_used, false) - rax_node(p, 0, false);
    return total;
}

/* The slot bookkeeping above the keys' own allocations: 7.4+ / valkey's
 * per-slot dicts, 6.2's rax branch nodes; nothing on 7.0 / 7.2, whose
 * metadata is in the keys' entries. */
uint64_t model_cluster_bookkeeping(const model_profile *p, const model_slot_sums *s,
                                   const uint8_t *owned)
{
    if (p->cluster_keyspace == CLUSTER_RAX) return rax_branches(p, s, owned);
    if (p->cluster_keyspace != CLUSTER_KVSTORE) return 0;
    uint64_t tables = 0;
    for (unsigned i = 0; i < SLOT_COUNT; i++) {
        if (owned && !owned[i]) continue;
        if (s[i].keys) tables += p->kvstore_dict + grown_table(p, s[i].keys);
        if (s[i].expires) tables += p->kvstore_dict + grown_table(p, s[i].expires);
    }
    return tables;
}

uint64_t model_cluster_node_memory(const model_profile *p, const model_slot_sums *s,
                                   const uint8_t *owned, uint64_t functions_ram)
{
    uint64_t ram = 0, keys = 0, expires = 0;
    for (unsigned i = 0; i < SLOT_COUNT; i++) {
        if (owned && !owned[i]) continue;
        ram += s[i].ram;
        keys += s[i].keys;
        expires += s[i].expires;
    }
    uint64_t tables = model_cluster_bookkeeping(p, s, owned);
    if (p->cluster_keyspace != CLUSTER_KVSTORE && keys) {
        /* one main and one expires dict, each dictExpand-ed to the node's
         * own RESIZEDB hint (rdb.c rdbLoadRio; dictExpand(d, 0) makes 4
         * buckets too) */
        tables += je_size(p, 8 * next_pow2(keys)) + je_size(p, 8 * next_pow2(expires));
    }
    return p->cluster_startup_used + ram + tables + functions_ram;
}

const model_slot_sums *model_cluster_slots(const model *m) { return m->slots; }

/* Each other node of the cluster: its clusterNode (src/cluster.h: a 2 KiB
 * bitmap of its slots and the rest), its entry in the nodes dict, and two
 * cluster bus links (one each way) with their 1 KiB receive buffers
 * (RCVBUF_INIT_LEN, src/cluster.c createClusterLink). Measured on Debian's
 * 7.0.15: empty nodes of 1-, 3-, 5- and 8-node clusters use 5,024 bytes
 * more per other node (2,176 of them mem_cluster_links), tools/cluster_live.py
 * checks it. Not measured on other versions, whose clusterNode and links
 * are of the same make: the same number is used. */
uint64_t model_cluster_peer_bytes(const model_profile *p)
{
    return model_profile_has_cluster(p) ? 5024 : 0;
}
