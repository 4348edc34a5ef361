/* agg_cluster.c: slots, hash tags and shards (agg_cluster.h). */
#include "analyze/agg_cluster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/model.h"
#include "analyze/slot.h"

struct agg_cluster {
    agg_cluster_options opt;
    model_slot_sums *sums;       /* SLOT_COUNT: keys, expires, ram, bytes */
    bool file_model_sums;        /* the current file's sums come from the model */
    agg_tags tags;
    const char *reason;
    uint64_t functions_ram, other_db_keys;
    bool finished;
    agg_slot_row *rows;
    const agg_slot_row **heaviest;
    const agg_tag_row *tag_rows[AGG_TAGS_TRACKED];
    agg_shard_row *shards;
    agg_cluster_summary sum;
};

agg_cluster *agg_cluster_new(const agg_cluster_options *o)
{
    agg_cluster *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    if (o) c->opt = *o;
    if (!c->opt.hot_tag_pct) c->opt.hot_tag_pct = 5;
    c->sums = calloc(SLOT_COUNT, sizeof *c->sums);
    if (!c->sums) {
        agg_cluster_free(c);
        return NULL;
    }
    agg_tags_init(&c->tags);
    return c;
}

void agg_cluster_free(agg_cluster *c)
{
    if (!c) return;
    agg_tags_free(&c->tags);
    free(c->sums);
    free(c->rows);
    free(c->heaviest);
    free(c->shards);
    free(c);
}

void agg_cluster_begin_file(agg_cluster *c, bool model_sums) { c->file_model_sums = model_sums; }

int agg_cluster_add(agg_cluster *c, const key_record *r, bool expired)
{
    if (c->finished || !r->has_slot || expired) return 0;
    unsigned s = r->slot % SLOT_COUNT;
    uint64_t bytes = r->has_bytes ? r->bytes : 0;
    if (!c->file_model_sums) {
        c->sums[s].keys++;
        if (r->has_expire) c->sums[s].expires++;
        c->sums[s].ram += r->ram;
        c->sums[s].bytes += bytes;
    }
    size_t off, n;
    /* r->key holds at most AGG_KEY_KEEP bytes when cut (key_full_len):
     * a tag that ends beyond them is not seen, which only a tag over
     * 4 KiB can do */
    if (slot_hash_tag(r->key, r->key_len, &off, &n))
        return agg_tags_add(&c->tags, r->key + off, n, s, bytes);
    return 0;
}

void agg_cluster_file(agg_cluster *c, const char *reason, uint64_t functions_ram,
                      uint64_t other_db_keys, const model_slot_sums *slots)
{
    if (c->file_model_sums && slots && !c->finished)
        for (unsigned i = 0; i < SLOT_COUNT; i++) {
            c->sums[i].keys += slots[i].keys;
            c->sums[i].expires += slots[i].expires;
            c->sums[i].ram += slots[i].ram;
            c->sums[i].bytes += slots[i].bytes;
        }
    c->file_model_sums = false;
    if (reason && !c->reason) c->reason = reason;
    /* every node holds every function library: the largest set counts */
    if (functions_ram > c->functions_ram) c->functions_ram = functions_ram;
    c->other_db_keys += other_db_keys;
}

int agg_cluster_absorb(agg_cluster *c, const agg_cluster_summary *s)
{
    if (c->finished) return -1;
    for (size_t i = 0; i < s->nslots; i++) {
        const agg_slot_row *r = &s->slots[i];
        if (r->slot >= SLOT_COUNT) return -2;
        c->sums[r->slot].keys += r->keys;
        c->sums[r->slot].expires += r->expires;
        c->sums[r->slot].ram += r->ram;
        c->sums[r->slot].bytes += r->bytes;
    }
    for (size_t i = 0; i < s->ntags; i++)
        if (agg_tags_add_row(&c->tags, s->tags[i]) < 0) return -1;
    agg_tags_add_totals(&c->tags, s->tagged_keys, s->tagged_bytes, s->tags_seen, !s->tags_exact);
    if (s->reason && !c->reason) c->reason = s->reason;
    if (s->functions_ram > c->functions_ram) c->functions_ram = s->functions_ram;
    c->other_db_keys += s->other_db_keys;
    return 0;
}

static int heavier(const void *x, const void *y)
{
    const agg_slot_row *a = *(const agg_slot_row *const *)x, *b = *(const agg_slot_row *const *)y;
    if (a->bytes != b->bytes) return a->bytes > b->bytes ? -1 : 1;
    return a->slot < b->slot ? -1 : a->slot > b->slot;
}

static int build_slots(agg_cluster *c, agg_cluster_summary *s, size_t top_n)
{
    size_t n = 0;
    for (unsigned i = 0; i < SLOT_COUNT; i++) n += c->sums[i].keys != 0;
    c->rows = calloc(n ? n : 1, sizeof *c->rows);
    c->heaviest = calloc(n ? n : 1, sizeof *c->heaviest);
    if (!c->rows || !c->heaviest) return -1;
    size_t k = 0;
    for (unsigned i = 0; i < SLOT_COUNT; i++) {
        const model_slot_sums *m = &c->sums[i];
        if (!m->keys) continue;
        c->rows[k] = (agg_slot_row){i, m->keys, m->bytes, m->expires, m->ram};
        c->heaviest[k] = &c->rows[k];
        s->keys += m->keys;
        s->bytes += m->bytes;
        k++;
    }
    qsort(c->heaviest, n, sizeof *c->heaviest, heavier);
    s->slots = c->rows;
    s->nslots = n;
    s->heaviest = c->heaviest;
    s->nheaviest = n < top_n ? n : top_n;
    return 0;
}

static int build_shards(agg_cluster *c, agg_cluster_summary *s, const model_profile *p)
{
    const slotmap *map = c->opt.shards;
    if (!map || map->nshards == 0) return 0;
    c->shards = calloc(map->nshards, sizeof *c->shards);
    uint8_t *owned = calloc(SLOT_COUNT, 1), *any = calloc(SLOT_COUNT, 1);
    if (!c->shards || !owned || !any) {
        free(owned);
        free(any);
        return -1;
    }
    bool predict = p && model_profile_has_cluster(p);
    uint64_t total = 0;
    for (size_t i = 0; i < map->nshards; i++) {
        const slotmap_shard *sh = &map->shards[i];
        agg_shard_row *row = &c->shards[i];
        memset(owned, 0, SLOT_COUNT);
        row->name = sh->name;
        row->ranges = map->ranges + sh->first_range;
        row->nranges = sh->nranges;
        row->first_slot = SLOT_COUNT;
        for (size_t r = 0; r < sh->nranges; r++) {
            const slot_range *g = &row->ranges[r];
            if (g->first < row->first_slot) row->first_slot = g->first;
            if (g->last > row->last_slot) row->last_slot = g->last;
            for (unsigned x = g->first; x <= g->last && x < SLOT_COUNT; x++) {
                owned[x] = any[x] = 1;
                row->slots++;
                row->slots_used += c->sums[x].keys != 0;
                row->keys += c->sums[x].keys;
                row->bytes += c->sums[x].bytes;
            }
        }
        if (predict) {
            row->has_predicted = true;
            row->predicted_used_memory = model_cluster_node_memory(p, c->sums, owned, c->functions_ram) +
                                         (map->nodes - 1) * model_cluster_peer_bytes(p);
        }
        row->fill_flag = "ok";
        if (row->has_predicted && c->opt.maxmemory) {
            row->has_fill = true;
            row->fill_pct = 100.0 * (double)row->predicted_used_memory / (double)c->opt.maxmemory;
            if (row->predicted_used_memory > c->opt.maxmemory) row->fill_flag = "over_100";
            else if ((unsigned __int128)row->predicted_used_memory * 100 >
                     (unsigned __int128)c->opt.maxmemory * 80)
                row->fill_flag = "over_80";
        }
        if (row->bytes > s->shard_bytes_max) s->shard_bytes_max = row->bytes;
        total += row->bytes;
    }
    for (unsigned x = 0; x < SLOT_COUNT; x++) {
        if (any[x] || !c->sums[x].keys) continue;
        s->unassigned_slots_used++;
        s->unassigned_keys += c->sums[x].keys;
        s->unassigned_bytes += c->sums[x].bytes;
    }
    free(owned);
    free(any);
    s->shards = c->shards;
    s->nshards = map->nshards;
    s->nodes = map->nodes;
    s->shards_source = c->opt.shards_source;
    s->maxmemory = c->opt.maxmemory;
    s->skew = total ? (double)s->shard_bytes_max * (double)map->nshards / (double)total : 0;
    return 0;
}

const agg_cluster_summary *agg_cluster_finish(agg_cluster *c, const char *profile, size_t top_n)
{
    agg_cluster_summary *s = &c->sum;
    if (c->finished) return s;
    c->finished = true;
    memset(s, 0, sizeof *s);
    s->reason = c->reason ? c->reason : "--cluster";
    const model_profile *p = profile ? model_profile_find(profile) : NULL;
    s->profile = p && model_profile_has_cluster(p) ? profile : NULL;
    if (build_slots(c, s, top_n) < 0) return NULL;
    s->ntags = agg_tags_sorted(&c->tags, c->tag_rows);
    s->tags = c->tag_rows;
    s->tags_exact = !c->tags.evicted;
    s->functions_ram = c->functions_ram;
    s->tagged_keys = c->tags.tagged_keys;
    s->tagged_bytes = c->tags.tagged_bytes;
    s->tags_seen = c->tags.distinct_seen;
    s->other_db_keys = c->other_db_keys;
    if (build_shards(c, s, p) < 0) return NULL;
    return s;
}

/* ---- findings -------------------------------------------------------------- */

static void ev(agg_finding *x, agg_evidence e)
{
    if (x->nev < AGG_MAX_EVIDENCE) x->ev[x->nev++] = e;
}
static void ev_u(agg_finding *x, const char *name, uint64_t v)
{
    ev(x, (agg_evidence){.name = name, .kind = AGG_EV_U64, .u = v});
}
/* slot numbers print as they are (a count would get thousands separators) */
static void ev_slot(agg_finding *x, const char *name, unsigned slot)
{
    ev(x, (agg_evidence){.name = name, .kind = AGG_EV_I64, .i = slot});
}
static void ev_pct(agg_finding *x, const char *name, double pct)
{
    ev(x, (agg_evidence){.name = name, .kind = AGG_EV_PCT, .pct = pct});
}

static double pct_of(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* A hash tag whose keys hold hot_tag_pct % of the bytes or more (judged on
 * the bytes it surely has: a tracked tag's count less its error). */
static int tag_findings(const agg_cluster *c, const agg_cluster_summary *s, agg_find *f,
                        size_t per_kind)
{
    size_t listed = 0;
    for (size_t i = 0; i < s->ntags && listed < per_kind; i++) {
        const agg_tag_row *t = s->tags[i];
        uint64_t sure = t->bytes - t->error;
        if (s->bytes == 0 ||
            (unsigned __int128)sure * 100 < (unsigned __int128)s->bytes * c->opt.hot_tag_pct)
            continue;
        bool most = (unsigned __int128)sure * 2 >= (unsigned __int128)s->bytes;
        agg_finding *x = agg_find_push(f, "hash_tag_hotspot", most ? "critical" : "warning",
                                       AGG_SUBJECT_TAG,
                                       "every key with this hash tag lives in one slot, so one node "
                                       "holds them all however many shards there are; spread them "
                                       "over more tags unless multi-key commands need them together");
        if (!x) return -1;
        x->subject = t->tag;
        x->subject_len = t->tag_len;
        x->keys = t->keys;
        x->bytes = t->bytes;
        ev_slot(x, "slot", t->slot);
        ev_u(x, "keys", t->keys);
        ev_u(x, "bytes", t->bytes);
        if (t->error) ev_u(x, "bytes_error", t->error);
        ev_pct(x, "share_pct", pct_of(t->bytes, s->bytes));
        ev_pct(x, "slot_share_pct", pct_of(t->bytes, c->sums[t->slot % SLOT_COUNT].bytes));
        listed++;
    }
    return 0;
}

static int shard_findings(const agg_cluster_summary *s, agg_find *f)
{
    for (size_t i = 0; i < s->nshards; i++) {
        const agg_shard_row *r = &s->shards[i];
        if (!r->has_fill || strcmp(r->fill_flag, "ok") == 0) continue;
        bool over = strcmp(r->fill_flag, "over_100") == 0;
        agg_finding *x = agg_find_push(
            f, over ? "shard_over_maxmemory" : "shard_near_maxmemory", over ? "critical" : "warning",
            AGG_SUBJECT_SHARD,
            over ? "a node holding this shard would pass maxmemory: writes fail with OOM or keys "
                   "are evicted; add shards or raise maxmemory"
                 : "a node holding this shard would be over 80 % of maxmemory, with little room "
                   "for growth, fragmentation and replication buffers");
        if (!x) return -1;
        x->subject = (const uint8_t *)r->name;
        x->subject_len = strlen(r->name);
        x->keys = r->keys;
        x->bytes = r->bytes;
        ev_slot(x, "first_slot", r->first_slot);
        ev_slot(x, "last_slot", r->last_slot);
        ev_u(x, "keys", r->keys);
        ev_u(x, "predicted_used_memory_bytes", r->predicted_used_memory);
        ev_u(x, "maxmemory_bytes", s->maxmemory);
        ev_pct(x, "fill_pct", r->fill_pct);
    }
    return 0;
}

int agg_cluster_findings(const agg_cluster *c, agg_find *f, size_t per_kind)
{
    const agg_cluster_summary *s = &c->sum;
    if (!c->finished) return 0;
    if (s->other_db_keys) {
        agg_finding *x = agg_find_push(
            f, "cluster_keys_outside_db0", "critical", AGG_SUBJECT_MORE,
            "a cluster node has only db 0 and will not load this dump (6.2 exits after the "
            "load, 7.0 crashes, 7.2+ stop at SELECTDB 1): move the keys to db 0 first");
        if (!x) return -1;
        snprintf(x->text, sizeof x->text, "keys outside db 0");
        x->keys = s->other_db_keys;
        ev_u(x, "keys", s->other_db_keys);
    }
    if (tag_findings(c, s, f, per_kind) < 0) return -1;
    return shard_findings(s, f);
}
