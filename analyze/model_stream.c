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
 *
 * numnodes is the rax's internal node count, not in the RDB. Stream IDs are
 * inserted in ascending order (node master IDs, PEL IDs), so the tree is the
 * canonical compressed trie of the keys and its node count follows from the
 * longest common prefix of each key with the previous one (rax.c: a node
 * per branch target, per branching point, per key end, plus the root).
 * Consumer PEL IDs are not reported by the parser; their rax is estimated
 * with the group PEL's nodes-per-entry ratio.
 * RAM adds what MEMORY USAGE leaves out: the rax headers (24) and variable
 * rax node sizes (estimated at 32 bytes each), the consumers rax, the
 * consumer name sds by allocation. */
#include <string.h>

#include "analyze/model_int.h"

static void rax_init(raxsim *r)
{
    memset(r, 0, sizeof *r);
    r->numnodes = 1;   /* the root */
}

static void rax_insert(raxsim *r, const uint8_t key[16])
{
    if (r->numele == 0) {
        r->numnodes = 2;             /* root (compressed) + key node */
        memset(r->is_node, 0, sizeof r->is_node);
        memset(r->branching, 0, sizeof r->branching);
        r->is_node[0] = r->is_node[16] = true;
    } else {
        unsigned l = 0;
        while (l < 16 && r->last[l] == key[l]) l++;
        if (l == 16) return;          /* duplicate */
        if (r->branching[l]) {
            r->numnodes += (l + 1 < 16) ? 2 : 1;
        } else {
            if (!r->is_node[l]) r->numnodes++;
            if (!r->is_node[l + 1]) r->numnodes++;   /* the old child starts a node */
            r->numnodes += (l + 1 < 16) ? 2 : 1;
        }
        r->branching[l] = true;
        r->is_node[l] = true;
        for (unsigned d = l + 1; d <= 16; d++) { r->is_node[d] = false; r->branching[d] = false; }
        r->is_node[l + 1] = true;
        r->is_node[16] = true;
    }
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

static uint64_t rax_mu(const raxsim *r)
{
    return 16 * r->numele + (4 + 8 * 30) * r->numnodes;
}

static uint64_t rax_ram(const model_profile *p, uint64_t numnodes)
{
    return je_size(p, 24) + 32 * numnodes;
}

static stream_state *st_of(model *m)
{
    stream_state *s = &m->k.st;
    if (s->nodes.numnodes == 0) { rax_init(&s->nodes); rax_init(&s->pel); }
    return s;
}

void model_stream_container(model *m, const rdb_container *c)
{
    stream_state *s = st_of(m);
    uint8_t key[16];
    id_bytes(c->stream_ms, c->stream_seq, key);
    rax_insert(&s->nodes, key);
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
    stream_state *s = st_of(m);
    uint8_t key[16];
    id_bytes(pe->id.ms, pe->id.seq, key);
    rax_insert(&s->pel, key);
    return RDB_CONTINUE;
}

int model_on_stream_group(void *ctx, const rdb_key *k, const rdb_stream_group *g)
{
    model *m = ctx;
    const model_profile *p = m->p;
    (void)k;
    stream_state *s = st_of(m);
    s->groups++;
    s->mu_groups += p->stream_cg + rax_mu(&s->pel) + 24 * s->pel.numele;
    s->ram_groups += je_size(p, p->stream_cg) + rax_ram(p, s->pel.numnodes) +
                     je_size(p, 24) * s->pel.numele + rax_ram(p, 1 + 2 * g->consumers) +
                     sds_alloc(p, g->name.len) + 16;
    s->cur_group_pel = s->pel.numele;
    s->cur_group_pel_nodes = s->pel.numnodes;
    rax_init(&s->pel);
    return RDB_CONTINUE;
}

int model_on_stream_consumer(void *ctx, const rdb_key *k, const rdb_stream_consumer *c)
{
    model *m = ctx;
    const model_profile *p = m->p;
    (void)k;
    stream_state *s = st_of(m);
    uint64_t nodes;
    if (c->pel_count == 0) nodes = 1;
    else if (s->cur_group_pel) {
        double ratio = (double)(s->cur_group_pel_nodes - 1) / (double)s->cur_group_pel;
        nodes = 1 + (uint64_t)(ratio * (double)c->pel_count + 0.5);
    } else nodes = 1 + 2 * c->pel_count;
    s->mu_groups += p->stream_consumer + c->name.len + 16 * c->pel_count + (4 + 8 * 30) * nodes;
    s->ram_groups += je_size(p, p->stream_consumer) + sds_alloc(p, c->name.len) +
                     rax_ram(p, nodes);
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
        out->mu = p->robj + rax_mu(&s.nodes) + s.lp_len_sum + s.mu_groups;
    else
        out->mu = p->robj + p->stream_struct + rax_mu(&s.nodes) + s.lp_alloc_sum + s.mu_groups;
    out->ram = je_size(p, p->robj) + je_size(p, p->stream_struct) + rax_ram(p, s.nodes.numnodes) +
               s.lp_alloc_sum + s.ram_groups + (s.groups ? rax_ram(p, 1 + 2 * s.groups) : 0);
}
