/* test_agg_cluster.c: the cluster view of the aggregate on synthetic key
 * records: per-slot sums, shards that add up to them, expired keys left
 * out, maxmemory flags and findings, and the hash-tag counter
 * (analyze/agg_tags.c) against exact counts kept here: exact while tags
 * fit, and beyond that every heavy tag kept with its true bytes within
 * [bytes - error, bytes]. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg.h"
#include "analyze/agg_tags.h"
#include "analyze/slot.h"
#include "tests/support/aggrun.h"
#include "tests/support/keyrecs.h"

static key_record slotted(const char *key, uint64_t bytes) {
    key_record r = kr(0, key, RDB_KIND_STRING, "embstr", bytes, 1, 1);
    r.has_slot = true;
    r.slot = (uint16_t)slot_of_key(r.key, r.key_len);
    return r;
}

static const agg_finding *find_kind(const agg_summary *s, const char *kind, size_t nth) {
    for (size_t i = 0; i < s->nfindings; i++)
        if (!strcmp(s->findings[i].kind, kind) && nth-- == 0) return &s->findings[i];
    return NULL;
}

Test(agg_cluster, slots_shards_and_expired_keys) {
    agg_options o = opts();
    slotmap map;
    cr_assert_eq(slotmap_even(&map, 4), 0);
    o.cluster.shards = &map;
    o.cluster.shards_source = "--shards 4";
    o.cluster.maxmemory = 2600000;   /* redis-7.4 empty node: 2,319,440 */
    agg *a = new_agg(&o);
    uint64_t bytes_by_slot[SLOT_COUNT] = {0}, total = 0;
    char key[64];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "user:%d", i);
        key_record r = slotted(key, 100 + (uint64_t)(i % 7));
        cr_assert_eq(agg_add(a, &r), 0);
        bytes_by_slot[r.slot] += r.bytes;
        total += r.bytes;
    }
    /* already expired at the reference time: in the totals, not on a node */
    key_record gone = with_ttl(slotted("gone", 999999), REF - 1);
    cr_assert_eq(agg_add(a, &gone), 0);
    agg_set_profile(a, "redis-7.4");
    const agg_summary *s = agg_finish(a);
    cr_assert_not_null(s->cluster);
    const agg_cluster_summary *c = s->cluster;
    cr_assert_eq(c->keys, 5000);
    cr_assert_eq(c->bytes, total);
    cr_assert_eq(s->totals.keys, 5001);
    uint64_t sum = 0;
    for (size_t i = 0; i < c->nslots; i++) {
        cr_assert_eq(c->slots[i].bytes, bytes_by_slot[c->slots[i].slot]);
        if (i) cr_assert_lt(c->slots[i - 1].slot, c->slots[i].slot);
        sum += c->slots[i].keys;
    }
    cr_assert_eq(sum, 5000);
    for (size_t i = 1; i < c->nheaviest; i++) cr_assert_geq(c->heaviest[i - 1]->bytes, c->heaviest[i]->bytes);
    /* shards: ranges as redis-cli, sums equal to the slots they own */
    cr_assert_eq(c->nshards, 4);
    uint64_t keys = 0, b = 0, bmax = 0;
    for (size_t i = 0; i < 4; i++) {
        const agg_shard_row *r = &c->shards[i];
        uint64_t want = 0;
        for (unsigned x = r->first_slot; x <= r->last_slot; x++) want += bytes_by_slot[x];
        cr_assert_eq(r->bytes, want);
        cr_assert_eq(r->slots, r->last_slot - r->first_slot + 1);
        cr_assert(r->has_predicted && r->predicted_used_memory > 2319440);
        /* four 4-shard nodes: each holds 3 peers' state */
        cr_assert(r->has_fill);
        keys += r->keys;
        b += r->bytes;
        if (r->bytes > bmax) bmax = r->bytes;
    }
    cr_assert_eq(keys, 5000);
    cr_assert_eq(b, total);
    cr_assert_eq(c->shard_bytes_max, bmax);
    cr_assert_float_eq(c->skew, (double)bmax * 4 / (double)total, 1e-9);
    /* 2.6 MB of maxmemory, a node about 2.4 MB + 125 KB of keys: over 80 % */
    for (size_t i = 0; i < 4; i++) cr_assert_str_eq(c->shards[i].fill_flag, "over_80");
    const agg_finding *f = find_kind(s, "shard_near_maxmemory", 0);
    cr_assert_not_null(f);
    cr_assert_str_eq(f->severity, "warning");
    cr_assert_eq(f->subject_kind, AGG_SUBJECT_SHARD);
    cr_assert_null(find_kind(s, "hash_tag_hotspot", 0));
    agg_free(a);
    slotmap_free(&map);
}

Test(agg_cluster, hot_hash_tag_is_a_finding) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    char key[64];
    for (int i = 0; i < 900; i++) {
        snprintf(key, sizeof key, "k:%d", i);
        key_record r = slotted(key, 100);
        agg_add(a, &r);
    }
    for (int i = 0; i < 100; i++) {   /* 100 * 1000 of 190,000 bytes: 52.6 % */
        snprintf(key, sizeof key, "{cart:42}:item:%d", i);
        key_record r = slotted(key, 1000);
        agg_add(a, &r);
    }
    key_record small = slotted("{tiny}", 10);
    agg_add(a, &small);
    agg_set_profile(a, "redis-7.4");
    const agg_summary *s = agg_finish(a);
    const agg_cluster_summary *c = s->cluster;
    cr_assert(c->tags_exact);
    cr_assert_eq(c->ntags, 2);
    cr_assert_eq(c->tags[0]->keys, 100);
    cr_assert_eq(c->tags[0]->bytes, 100000);
    cr_assert_eq(c->tags[0]->slot, slot_of_key((const uint8_t *)"cart:42", 7));
    cr_assert_eq(c->tagged_keys, 101);
    const agg_finding *f = find_kind(s, "hash_tag_hotspot", 0);
    cr_assert_not_null(f);
    cr_assert_str_eq(f->severity, "critical", "a tag with most of the bytes");
    cr_assert_eq(f->subject_kind, AGG_SUBJECT_TAG);
    cr_assert_eq(f->subject_len, 7);
    cr_assert_eq(memcmp(f->subject, "cart:42", 7), 0);
    cr_assert_null(find_kind(s, "hash_tag_hotspot", 1), "{tiny} is not hot");
    cr_assert_str_eq(s->findings[0].severity, "critical", "findings re-ordered by severity");
    agg_free(a);
}

/* no --cluster, no slots: no cluster section */
Test(agg_cluster, absent_without_slots) {
    agg_options o = opts();
    agg *a = new_agg(&o);
    key_record r = kr(0, "a", RDB_KIND_STRING, "embstr", 50, 1, 1);
    agg_add(a, &r);
    cr_assert_null(agg_finish(a)->cluster);
    agg_free(a);
}

/* ---- the hash-tag counter --------------------------------------------------- */

/* the number in a kept tag "<prefix><n>" (tags are bytes, not C strings) */
static int tag_num(const agg_tag_row *r, size_t prefix) {
    char buf[32];
    snprintf(buf, sizeof buf, "%.*s", (int)(r->tag_len - prefix), (const char *)r->tag + prefix);
    return atoi(buf);
}

Test(agg_tags, exact_while_they_fit) {
    agg_tags t;
    agg_tags_init(&t);
    char name[16];
    uint64_t want[AGG_TAGS_TRACKED] = {0};
    srand(9);
    for (int i = 0; i < 20000; i++) {
        int k = rand() % AGG_TAGS_TRACKED;
        uint64_t b = (uint64_t)(rand() % 500);
        snprintf(name, sizeof name, "t%d", k);
        cr_assert_eq(agg_tags_add(&t, (const uint8_t *)name, strlen(name), 0, b), 0);
        want[k] += b;
    }
    const agg_tag_row *rows[AGG_TAGS_TRACKED];
    size_t n = agg_tags_sorted(&t, rows);
    cr_assert_eq(n, AGG_TAGS_TRACKED);
    cr_assert_not(t.evicted);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(rows[i]->error, 0);
        int k = tag_num(rows[i], 1);
        cr_assert_eq(rows[i]->bytes, want[k], "tag %d", k);
        if (i) cr_assert_geq(rows[i - 1]->bytes, rows[i]->bytes);
    }
    agg_tags_free(&t);
}

/* 20,000 distinct tags, a few heavy ones among them: the Space-Saving
 * guarantees hold for every kept tag, and every tag heavier than
 * total / AGG_TAGS_TRACKED is kept. */
Test(agg_tags, heavy_tags_survive_many_light_ones) {
    agg_tags t;
    agg_tags_init(&t);
    enum { NT = 20000 };
    uint64_t *want = calloc(NT, sizeof *want), total = 0;
    char name[16];
    srand(11);
    for (int i = 0; i < 200000; i++) {
        int k = rand() % 10 == 0 ? rand() % 5 : 5 + rand() % (NT - 5);   /* tags 0-4 are heavy */
        uint64_t b = 1 + (uint64_t)(rand() % 100);
        snprintf(name, sizeof name, "tag%d", k);
        cr_assert_eq(agg_tags_add(&t, (const uint8_t *)name, strlen(name), 0, b), 0);
        want[k] += b;
        total += b;
    }
    cr_assert(t.evicted);
    cr_assert_eq(t.tagged_bytes, total);
    const agg_tag_row *rows[AGG_TAGS_TRACKED];
    size_t n = agg_tags_sorted(&t, rows);
    int heavy_found = 0;
    for (size_t i = 0; i < n; i++) {
        int k = tag_num(rows[i], 3);
        cr_assert_geq(rows[i]->bytes, want[k], "tag%d over-counted only", k);
        cr_assert_leq(rows[i]->bytes - rows[i]->error, want[k], "tag%d: error bound", k);
        heavy_found += k < 5;
    }
    for (int k = 0; k < NT; k++)
        if (want[k] * AGG_TAGS_TRACKED > total) {
            bool kept = false;
            for (size_t i = 0; i < n; i++) kept |= tag_num(rows[i], 3) == k;
            cr_assert(kept, "tag%d holds %llu of %llu bytes and was lost", k,
                      (unsigned long long)want[k], (unsigned long long)total);
        }
    cr_assert_eq(heavy_found, 5);
    for (int i = 0; i < 5; i++) cr_assert_lt(tag_num(rows[i], 3), 5, "heavy first");
    free(want);
    agg_tags_free(&t);
}
