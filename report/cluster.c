/* cluster.c: the cluster section of the report (cluster.h): slots, hash
 * tags and shards as humanized tables for text / markdown, and as exact
 * integers in JSON (docs/report-schema.md, "cluster"). */
#include "report/cluster.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report/keyfmt.h"
#include "report/rfmt.h"

#define CELL RFMT_CELL

static size_t shown(size_t have, size_t rows) { return have < rows ? have : rows; }

void sec_cluster_overview(table *t, const agg_cluster_summary *c) {
    static const char *const h[] = {"cluster", "value"};
    table_init(t, "ll", h);
    char v[2 * CELL], a[CELL], b[CELL], x[CELL], y[CELL];
    const char *row[2];
#define ROW(label) (row[0] = (label), row[1] = v, table_row(t, row))
    snprintf(v, sizeof v, "%s", c->reason);
    ROW("mode");
    snprintf(v, sizeof v, "%s", c->profile ? c->profile : "- (no cluster-mode model for this profile)");
    ROW("node profile");
    snprintf(v, sizeof v, "%s of 16,384 hold %s keys, %s", rfmt_count(a, CELL, c->nslots),
             rfmt_count(b, CELL, c->keys), rfmt_bytes(x, CELL, c->bytes));
    ROW("slots");
    if (c->nheaviest) {
        const agg_slot_row *h0 = c->heaviest[0];
        snprintf(v, sizeof v, "slot %u: %s, %s of the bytes", h0->slot, rfmt_bytes(a, CELL, h0->bytes),
                 rfmt_pct(b, CELL, h0->bytes, c->bytes));
        ROW("heaviest slot");
    }
    snprintf(v, sizeof v, "%s keys with a {tag}, %s (%s); %s distinct tags%s",
             rfmt_count(a, CELL, c->tagged_keys), rfmt_bytes(b, CELL, c->tagged_bytes),
             rfmt_pct(x, CELL, c->tagged_bytes, c->bytes), rfmt_count(y, CELL, c->tags_seen),
             c->tags_exact ? "" : " or more (top tags approximate, see JSON bytes_error)");
    ROW("hash tags");
    if (c->nshards) {
        snprintf(v, sizeof v, "%zu shards, %zu nodes (%s)", c->nshards, c->nodes,
                 c->shards_source ? c->shards_source : "");
        ROW("layout");
        snprintf(v, sizeof v, "%.2f (largest shard %s, mean %s)", c->skew,
                 rfmt_bytes(a, CELL, c->shard_bytes_max),
                 rfmt_bytes(b, CELL, c->nshards ? c->bytes / c->nshards : 0));
        ROW("skew (max / mean bytes)");
        if (c->maxmemory) {
            rfmt_bytes(v, sizeof v, c->maxmemory);
            ROW("maxmemory per node");
        }
        if (c->unassigned_slots_used) {
            snprintf(v, sizeof v, "%s slots holding %s keys, %s are owned by no shard",
                     rfmt_count(a, CELL, c->unassigned_slots_used), rfmt_count(b, CELL, c->unassigned_keys),
                     rfmt_bytes(x, CELL, c->unassigned_bytes));
            ROW("unassigned");
        }
    }
    if (c->other_db_keys) {
        snprintf(v, sizeof v, "%s keys outside db 0: a cluster node refuses this dump",
                 rfmt_count(a, CELL, c->other_db_keys));
        ROW("WARNING");
    }
#undef ROW
}

size_t sec_cluster_slots(table *t, const agg_cluster_summary *c, size_t rows) {
    static const char *const h[] = {"slot", "keys", "bytes", "bytes %", "with TTL"};
    table_init(t, "rrrrr", h);
    size_t n = shown(c->nheaviest, rows);
    for (size_t i = 0; i < n; i++) {
        const agg_slot_row *r = c->heaviest[i];
        char s[5][CELL];
        snprintf(s[0], CELL, "%u", r->slot);
        rfmt_count(s[1], CELL, r->keys);
        rfmt_bytes(s[2], CELL, r->bytes);
        rfmt_pct(s[3], CELL, r->bytes, c->bytes);
        rfmt_count(s[4], CELL, r->expires);
        const char *row[] = {s[0], s[1], s[2], s[3], s[4]};
        table_row(t, row);
    }
    return c->nslots - n;
}

size_t sec_cluster_tags(table *t, const agg_cluster_summary *c, size_t rows, unsigned key_width) {
    static const char *const h[] = {"hash tag", "slot", "keys", "bytes", "bytes %", "of its slot"};
    table_init(t, "lrrrrr", h);
    size_t n = shown(c->ntags, rows);
    for (size_t i = 0; i < n; i++) {
        const agg_tag_row *r = c->tags[i];
        char s[6][CELL];
        char tag[CELL - 2];
        if (r->tag_full_len > r->tag_len) rfmt_key_head(tag, sizeof tag, r->tag, r->tag_len, key_width);
        else rfmt_key(tag, sizeof tag, r->tag, r->tag_len, key_width);
        snprintf(s[0], CELL, "{%s}", tag);
        snprintf(s[1], CELL, "%u", r->slot);
        rfmt_count(s[2], CELL, r->keys);
        rfmt_bytes(s[3], CELL, r->bytes);
        if (r->error) {
            size_t l = strlen(s[3]);
            snprintf(s[3] + l, CELL - l, " (<= +%s)", rfmt_bytes(tag, sizeof tag, r->error));
        }
        rfmt_pct(s[4], CELL, r->bytes, c->bytes);
        uint64_t slot_bytes = 0;
        for (size_t j = 0; j < c->nslots; j++)
            if (c->slots[j].slot == r->slot) slot_bytes = c->slots[j].bytes;
        rfmt_pct(s[5], CELL, r->bytes, slot_bytes);
        const char *row[] = {s[0], s[1], s[2], s[3], s[4], s[5]};
        table_row(t, row);
    }
    return c->ntags - n;
}

size_t sec_cluster_shards(table *t, const agg_cluster_summary *c, size_t rows) {
    static const char *const h[] = {"shard", "slots", "first", "last", "keys", "bytes", "bytes %",
                                    "predicted used_memory", "fill", "flag"};
    table_init(t, "lrrrrrrrrl", h);
    size_t n = shown(c->nshards, rows);
    for (size_t i = 0; i < n; i++) {
        const agg_shard_row *r = &c->shards[i];
        char s[9][CELL];
        rfmt_key(s[0], CELL, (const uint8_t *)r->name, strlen(r->name), 40);
        rfmt_count(s[1], CELL, r->slots);
        if (r->nranges > 1) {
            size_t l = strlen(s[1]);
            snprintf(s[1] + l, CELL - l, " (%zu ranges)", r->nranges);
        }
        snprintf(s[2], CELL, "%u", r->first_slot);
        snprintf(s[3], CELL, "%u", r->last_slot);
        rfmt_count(s[4], CELL, r->keys);
        rfmt_bytes(s[5], CELL, r->bytes);
        rfmt_pct(s[6], CELL, r->bytes, c->bytes);
        if (r->has_predicted) rfmt_bytes(s[7], CELL, r->predicted_used_memory);
        else snprintf(s[7], CELL, "-");
        if (r->has_fill) snprintf(s[8], CELL, "%.1f%%", r->fill_pct);
        else snprintf(s[8], CELL, "-");
        const char *flag = !r->has_fill ? "" : !strcmp(r->fill_flag, "over_100") ? "OVER 100%"
                         : !strcmp(r->fill_flag, "over_80") ? "over 80%" : "ok";
        const char *row[] = {s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], flag};
        table_row(t, row);
    }
    return c->nshards - n;
}

/* ---- JSON ------------------------------------------------------------------- */

static void ju(FILE *out, const char *name, uint64_t v, bool comma) {
    fprintf(out, "%s\"%s\":%" PRIu64, comma ? "," : "", name, v);
}

static void jtext(FILE *out, const char *s) {
    if (s) keyfmt_json_string(out, (const uint8_t *)s, strlen(s));
    else fputs("null", out);
}

static void slot_obj(FILE *out, const agg_slot_row *r) {
    fprintf(out, "{\"slot\":%u", r->slot);
    ju(out, "keys", r->keys, true);
    ju(out, "bytes", r->bytes, true);
    ju(out, "keys_with_ttl", r->expires, true);
    ju(out, "ram", r->ram, true);
    fputc('}', out);
}

void report_json_cluster(FILE *out, const agg_cluster_summary *c) {
    fputs("  \"cluster\": {\"mode\":", out);
    jtext(out, c->reason);
    fputs(",\"node_profile\":", out);
    jtext(out, c->profile);
    ju(out, "keys", c->keys, true);
    ju(out, "bytes", c->bytes, true);
    ju(out, "slots_used", c->nslots, true);
    ju(out, "keys_outside_db0", c->other_db_keys, true);
    fputs(",\n   \"slots\": [", out);
    for (size_t i = 0; i < c->nslots; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        slot_obj(out, &c->slots[i]);
    }
    fputs(c->nslots ? "\n   ],\n   \"heaviest_slots\": [" : "],\n   \"heaviest_slots\": [", out);
    for (size_t i = 0; i < c->nheaviest; i++) fprintf(out, "%s%u", i ? "," : "", c->heaviest[i]->slot);
    fputs("],\n   \"hash_tags\": {", out);
    ju(out, "tagged_keys", c->tagged_keys, false);
    ju(out, "tagged_bytes", c->tagged_bytes, true);
    ju(out, "tags_seen", c->tags_seen, true);
    fprintf(out, ",\"exact\":%s,\"tracked\":%d,\"top\": [", c->tags_exact ? "true" : "false",
            AGG_TAGS_TRACKED);
    for (size_t i = 0; i < c->ntags; i++) {
        const agg_tag_row *r = c->tags[i];
        fputs(i ? ",\n    " : "\n    ", out);
        fputs("{\"tag\":", out);
        keyfmt_json_string(out, r->tag, r->tag_len);
        if (r->tag_full_len > r->tag_len)
            fprintf(out, ",\"tag_truncated\":true,\"tag_length\":%" PRIu64, r->tag_full_len);
        fprintf(out, ",\"slot\":%u", r->slot);
        ju(out, "keys", r->keys, true);
        ju(out, "bytes", r->bytes, true);
        ju(out, "bytes_error", r->error, true);
        fputc('}', out);
    }
    fputs(c->ntags ? "\n   ]},\n   \"shards\": " : "]},\n   \"shards\": ", out);
    if (!c->nshards) {
        fputs("null}", out);
        return;
    }
    fputs("{\"source\":", out);
    jtext(out, c->shards_source);
    fprintf(out, ",\"nodes_in_layout\":%zu", c->nodes);
    fputs(",\"maxmemory\":", out);
    if (c->maxmemory) fprintf(out, "%" PRIu64, c->maxmemory);
    else fputs("null", out);
    ju(out, "bytes_max", c->shard_bytes_max, true);
    fprintf(out, ",\"skew\":%.3f", c->skew);
    ju(out, "unassigned_slots_used", c->unassigned_slots_used, true);
    ju(out, "unassigned_keys", c->unassigned_keys, true);
    ju(out, "unassigned_bytes", c->unassigned_bytes, true);
    fputs(",\"nodes\": [", out);
    for (size_t i = 0; i < c->nshards; i++) {
        const agg_shard_row *r = &c->shards[i];
        fputs(i ? ",\n    " : "\n    ", out);
        fputs("{\"name\":", out);
        jtext(out, r->name);
        fprintf(out, ",\"first_slot\":%u,\"last_slot\":%u,\"ranges\":[", r->first_slot, r->last_slot);
        for (size_t g = 0; g < r->nranges; g++)
            fprintf(out, "%s[%u,%u]", g ? "," : "", r->ranges[g].first, r->ranges[g].last);
        fputc(']', out);
        ju(out, "slots", r->slots, true);
        ju(out, "slots_used", r->slots_used, true);
        ju(out, "keys", r->keys, true);
        ju(out, "bytes", r->bytes, true);
        fputs(",\"predicted_used_memory\":", out);
        if (r->has_predicted) fprintf(out, "%" PRIu64, r->predicted_used_memory);
        else fputs("null", out);
        fputs(",\"fill_pct\":", out);
        if (r->has_fill) fprintf(out, "%.1f", r->fill_pct);
        else fputs("null", out);
        fputs(",\"fill\":", out);
        jtext(out, r->has_fill ? r->fill_flag : NULL);
        fputc('}', out);
    }
    fputs("\n   ]}}", out);
}
