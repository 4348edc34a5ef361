/* model_stream.c: streams.
 *
 * MEMORY USAGE (redis src/object.c objectComputeSize, 5.0.14 .. 7.4.1):
 *   16 + sizeof(stream) + streamRadixTreeMemoryUsage(rax)
 *   + sum of zmalloc_size(listpack) (SAMPLES 0 samples every node)
 *   + per group: sizeof(streamCG) + rax usage(PEL) + 24 x PEL size
 *   + per consumer: sizeof(streamConsumer) + sdslen(name) + rax usage(PEL),
 * where streamRadixTreeMemoryUsage(r) = 16 x numele + (4 + 8 x 30) x numnodes
 * (the sizeof(rax) it first assigns is overwritten).
 * 5.0.14 differs: asize = sizeof(*o) without sizeof(stream), and each
 * listpack is charged lpBytes (its length as loaded), not zmalloc_size;
 * the group and consumer terms are the same as 6.2's.
 * Valkey unstable since f85d8bf "Rax size tracking (#688)" (2024-10-02; the
 * corpus' server is 55bbbe0 of 2024-10-25) has the same terms, but every
 * rax usage is raxAllocSize(rax): the rax's alloc_size, which rax.c keeps
 * equal to zmalloc_size(the 32-byte rax struct) + zmalloc_size(every node)
 * across inserts (src/object.c, src/rax.c at 55bbbe0).
 *
 * Neither numnodes nor the node sizes are in the RDB. Stream IDs are
 * inserted in ascending order (node master IDs, group PEL IDs, each
 * consumer's PEL IDs), so the tree is the canonical compressed trie of the
 * keys, and an insert only changes nodes on the rightmost path: rax_insert
 * replays raxGenericInsert on that path (at most 18 nodes) and only sums the
 * sizes of the nodes that leave it. Checked against valkey's rax.c itself
 * (numnodes and alloc_size) on random ascending ID sets of up to 20000 keys.
 * RAM adds what MEMORY USAGE leaves out: the rax headers (24) and the real
 * node allocations of the replayed raxes (stream nodes, group and consumer
 * PELs; a flat 32 bytes a node undercounted a 3 x 200 consumer PEL stream
 * by 12 KB against a live 7.0 server), the consumers and groups raxes
 * (keyed by names, not replayed: 32 bytes a node), the consumer name sds
 * by allocation. */
#include <string.h>

#include "analyze/model_int.h"

static void rax_init(raxsim *r)
{
    memset(r, 0, sizeof *r);
    r->numnodes = 1;                 /* raxNew: the root, an empty node */
    r->depth = 1;
}

/* raxNodeCurrentLength (rax.c): 4-byte header, the characters padded so
 * that the child pointers are aligned, one pointer (compressed) or one per
 * child, and the value pointer of a key. */
static uint64_t node_len(const raxsim_node *n)
{
    uint64_t pad = (8 - (n->size + 4) % 8) & 7;
    return 4 + n->size + pad + 8 * (n->compr ? 1 : (uint64_t)n->size) + (n->key ? 8 : 0);
}

/* The path holds at most 16 inner nodes (each spans at least one of the 16
 * key bytes) and the leaf; the bound only guards against a logic error. */
static void rax_push(raxsim *r, bool compr, unsigned size, bool key)
{
    if (r->depth < sizeof r->path / sizeof r->path[0])
        r->path[r->depth++] = (raxsim_node){ .size = (uint16_t)size, .compr = compr, .key = key };
}

/* Nodes from path[from] down leave the rightmost path: no later ascending
 * insert reaches them, so their size is final. */
static void rax_freeze_from(const model_profile *p, raxsim *r, unsigned from)
{
    for (unsigned i = from; i < r->depth; i++) r->frozen_alloc += je_size(p, node_len(&r->path[i]));
    r->depth = from;
}

/* The insert loop of raxGenericInsert below the node that just got the new
 * key's byte at depth l as its last child: the rest of the key (15 - l
 * bytes) becomes one compressed node (raxCompressNode), or a one-child node
 * for a single byte, then the key's leaf, which raxReallocForData grows to
 * hold the value pointer (stream nodes and PELs all store one). */
static void rax_append_tail(raxsim *r, unsigned l)
{
    unsigned rem = 15 - l;
    r->numnodes += 1 + (rem >= 1);
    if (rem >= 2) rax_push(r, true, rem, false);
    else if (rem == 1) rax_push(r, false, 1, false);
    rax_push(r, false, 0, true);
}

/* raxGenericInsert (rax.c, the same in redis 5.0 .. 7.4 and valkey) of a key
 * greater than every key present. It walks the rightmost path to the first
 * byte l where the key differs from the previous one: a plain node there
 * gets one more child (raxAddChild); a compressed node is split (ALGO 1)
 * into the bytes before l (trimmed), a two-child split node, and the bytes
 * after l (postfix, which leaves the path with the old keys). */
static void rax_insert(const model_profile *p, raxsim *r, const uint8_t key[16])
{
    if (r->numele == 0) {
        r->depth = 0;
        rax_push(r, true, 16, false);   /* the root compressed over the whole key */
        rax_push(r, false, 0, true);
        r->numnodes = 2;
        memcpy(r->last, key, 16);
        r->numele = 1;
        return;
    }
    unsigned l = 0;
    while (l < 16 && r->last[l] == key[l]) l++;
    if (l == 16) return;              /* duplicate: the server refuses the file */
    unsigned i = 0, start = 0;
    for (; i + 1 < r->depth; i++) {
        unsigned span = r->path[i].compr ? r->path[i].size : 1;
        if (l < start + span) break;
        start += span;
    }
    raxsim_node h = r->path[i];
    rax_freeze_from(p, r, i + 1);
    if (!h.compr) {
        r->path[i].size++;
    } else {
        unsigned j = l - start, postfix = h.size - j - 1;
        r->depth = i;                 /* h itself is freed */
        if (j) { rax_push(r, j > 1, j, false); r->numnodes++; }
        if (postfix) {
            raxsim_node pf = { .size = (uint16_t)postfix, .compr = postfix > 1, .key = false };
            r->frozen_alloc += je_size(p, node_len(&pf));
            r->numnodes++;
        }
        rax_push(r, false, 2, false);
    }
    rax_append_tail(r, l);
    memcpy(r->last, key, 16);
    r->numele++;
}

static void id_bytes(uint64_t ms, uint64_t seq, uint8_t out[16])
{
    for (int i = 0; i < 8; i++) {
        out[i] = (uint8_t)(ms >> (56 - 8 * i));
        out[8 + i] = (uint8_t)(seq >> (56 - 8 * i));
    }
}

/* Every node's allocation, as rax.c tracks it in valkey's alloc_size. */
static uint64_t rax_nodes_alloc(const model_profile *p, const raxsim *r)
{
    uint64_t sum = r->frozen_alloc;
    for (unsigned i = 0; i < r->depth; i++) sum += je_size(p, node_len(&r->path[i]));
    return sum;
}

/* The MEMORY USAGE term of one rax: valkey's raxAllocSize (the struct and
 * every node, by zmalloc_size), or redis's streamRadixTreeMemoryUsage. */
static uint64_t rax_mu(const model_profile *p, const raxsim *r)
{
    if (p->rax_alloc_size) return je_size(p, 32) + rax_nodes_alloc(p, r);
    return 16 * r->numele + (4 + 8 * 30) * r->numnodes;
}

/* A rax the model does not replay (consumers, groups): 32 bytes a node. */
static uint64_t rax_ram(const model_profile *p, uint64_t numnodes)
{
    return je_size(p, 24) + 32 * numnodes;
}

/* A replayed rax as allocated: its header and every node. */
static uint64_t rax_ram_exact(const model_profile *p, const raxsim *r)
{
    return je_size(p, 24) + rax_nodes_alloc(p, r);
}

static stream_state *st_of(model *m)
{
    stream_state *s = &m->k.st;
    if (s->nodes.numnodes == 0) { rax_init(&s->nodes); rax_init(&s->pel); rax_init(&s->cpel); }
    return s;
}

static void rax_insert_id(const model_profile *p, raxsim *r, const rdb_stream_id *id)
{
    uint8_t key[16];
    id_bytes(id->ms, id->seq, key);
    rax_insert(p, r, key);
}

void model_stream_container(model *m, const rdb_container *c)
{
    stream_state *s = st_of(m);
    rdb_stream_id master = { c->stream_ms, c->stream_seq };
    rax_insert_id(m->p, &s->nodes, &master);
    s->lp_alloc_sum += je_size(m->p, c->blob.len);
    s->lp_len_sum += c->blob.len;
}

int model_on_stream_entry(void *ctx, const rdb_key *k, const rdb_stream_entry *e)
{
    (void)ctx; (void)k; (void)e;
    return RDB_CONTINUE;
}

int model_on_stream_meta(void *ctx, const rdb_key *k, const rdb_stream_meta *sm)
{
    (void)k; (void)sm;
    st_of(ctx);
    return RDB_CONTINUE;
}

int model_on_stream_pel(void *ctx, const rdb_key *k, const rdb_stream_pel *pe)
{
    model *m = ctx;
    (void)k;
    rax_insert_id(m->p, &st_of(m)->pel, &pe->id);
    return RDB_CONTINUE;
}

int model_on_stream_group(void *ctx, const rdb_key *k, const rdb_stream_group *g)
{
    model *m = ctx;
    const model_profile *p = m->p;
    (void)k;
    stream_state *s = st_of(m);
    s->groups++;
    s->mu_groups += p->stream_cg + rax_mu(p, &s->pel) + 24 * s->pel.numele;
    s->ram_groups += je_size(p, p->stream_cg) + rax_ram_exact(p, &s->pel) +
                     je_size(p, 24) * s->pel.numele + rax_ram(p, 1 + 2 * g->consumers) +
                     sds_alloc(p, g->name.len) + 16;
    rax_init(&s->pel);
    return RDB_CONTINUE;
}

/* A consumer's PEL holds a subset of its group's IDs, in ascending order:
 * the loader inserts them one by one into the consumer's own rax (rdb.c
 * rdbLoadObject, raxTryInsert(consumer->pel, rawid, ..., nack)). */
int model_on_stream_consumer_pel(void *ctx, const rdb_key *k, const rdb_stream_id *id)
{
    model *m = ctx;
    (void)k;
    rax_insert_id(m->p, &st_of(m)->cpel, id);
    return RDB_CONTINUE;
}

int model_on_stream_consumer(void *ctx, const rdb_key *k, const rdb_stream_consumer *c)
{
    model *m = ctx;
    const model_profile *p = m->p;
    (void)k;
    stream_state *s = st_of(m);
    s->mu_groups += p->stream_consumer + c->name.len + rax_mu(p, &s->cpel);
    s->ram_groups += je_size(p, p->stream_consumer) + sds_alloc(p, c->name.len) +
                     rax_ram_exact(p, &s->cpel);
    rax_init(&s->cpel);
    return RDB_CONTINUE;
}

/* ---- Redis 8.6 / 8.8 additions: ESTIMATES, from the RDB layout only ----
 * NACK zone (8.8, redis PR #14797, type 27): the NACKed IDs of a group,
 * assumed kept like a PEL: a rax of the 16-byte IDs (replayed) charged as
 * the PEL is (rax usage + 24 a NACK to MEMORY USAGE, the nodes to RAM).
 * IDMP (8.6, redis PR #14615, types 26/27): per producer an entry (24), a
 * producer struct (48) and its id's sds; per IID its sds, the stream ID
 * it maps to (16) and a 32-byte index node. */
static void nack_flush(const model_profile *p, stream_state *s)
{
    if (!s->in_nack) return;
    s->mu_extra += rax_mu(p, &s->nack) + 24 * s->nack.numele;
    s->ram_extra += rax_ram_exact(p, &s->nack);
    s->in_nack = false;
}

int model_on_stream_nack_zone(void *ctx, const rdb_key *k, const rdb_stream_nack_zone *z)
{
    model *m = ctx;
    (void)k; (void)z;
    stream_state *s = st_of(m);
    nack_flush(m->p, s);
    if (!m->p->stream_nack) return RDB_CONTINUE;
    rax_init(&s->nack);
    s->in_nack = true;
    return RDB_CONTINUE;
}

int model_on_stream_nack(void *ctx, const rdb_key *k, const rdb_stream_id *id)
{
    model *m = ctx;
    (void)k;
    stream_state *s = st_of(m);
    if (s->in_nack) rax_insert_id(m->p, &s->nack, id);
    return RDB_CONTINUE;
}

int model_on_stream_idmp(void *ctx, const rdb_key *k, const rdb_stream_idmp *i)
{
    model *m = ctx;
    const model_profile *p = m->p;
    (void)k;
    stream_state *s = st_of(m);
    nack_flush(p, s);
    if (!p->stream_idmp || (!i->producers && !i->entries)) return RDB_CONTINUE;
    uint64_t avg_pid = i->producers ? i->pid_bytes / i->producers : 0;
    uint64_t avg_iid = i->entries ? i->iid_bytes / i->entries : 0;
    uint64_t b = i->producers * (je_size(p, 24) + je_size(p, 48) + sds_alloc(p, avg_pid)) +
                 i->entries * (sds_alloc(p, avg_iid) + je_size(p, 16) + je_size(p, 32));
    s->mu_extra += b;
    s->ram_extra += b;
    return RDB_CONTINUE;
}

void model_stream_cost(const model *m, const key_state *ks, const rdb_key_end *end, value_cost *out)
{
    const model_profile *p = m->p;
    (void)end;
    stream_state s = ks->st;
    if (s.nodes.numnodes == 0) rax_init(&s.nodes);
    out->encoding = p->ver < 600 ? "unknown" : "stream";   /* 5.0 OBJECT ENCODING */
    if (p->ver < 600)
        out->mu = p->robj + rax_mu(p, &s.nodes) + s.lp_len_sum + s.mu_groups;
    else
        out->mu = p->robj + p->stream_struct + rax_mu(p, &s.nodes) + s.lp_alloc_sum + s.mu_groups;
    out->ram = je_size(p, p->robj) + je_size(p, p->stream_struct) + rax_ram_exact(p, &s.nodes) +
               s.lp_alloc_sum + s.ram_groups + (s.groups ? rax_ram(p, 1 + 2 * s.groups) : 0);
    nack_flush(p, &s);   /* a zone not followed by IDMP (none is written without) */
    out->mu += s.mu_extra;
    out->ram += s.ram_extra;
}
