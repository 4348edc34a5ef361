/* inspect_json.c: `rdblens inspect --format json` (docs/inspect-schema.md).
 * One top-level member per line and one key object per line, so that two
 * runs diff well; every count and size is an exact integer. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/inspect_render.h"
#include "report/keyfmt.h"

static void jstr(FILE *out, const char *s)
{
    if (!s) fputs("null", out);
    else keyfmt_json_text(out, s);
}

static void jbytes(FILE *out, const uint8_t *p, size_t n)
{
    keyfmt_json_string(out, p, n);
}

static void ju(FILE *out, const char *name, uint64_t v)
{
    fprintf(out, ",\"%s\":%" PRIu64, name, v);
}

static void ji(FILE *out, const char *name, int64_t v)
{
    fprintf(out, ",\"%s\":%" PRId64, name, v);
}

static void jid(FILE *out, const char *name, rdb_stream_id id)
{
    fprintf(out, ",\"%s\":\"%" PRIu64 "-%" PRIu64 "\"", name, id.ms, id.seq);
}

char *inspect_score_text(char *buf, size_t cap, double d)
{
    if (isinf(d)) snprintf(buf, cap, "%s", d > 0 ? "inf" : "-inf");
    else if (isnan(d)) snprintf(buf, cap, "nan");
    else
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(buf, cap, "%.*g", prec, d);
            if (strtod(buf, NULL) == d) break;
        }
    return buf;
}

/* A score as a JSON number; infinities (ZADD accepts them) as the strings
 * "inf" and "-inf", which JSON numbers cannot hold. */
static void jscore(FILE *out, double d)
{
    char buf[40];
    inspect_score_text(buf, sizeof buf, d);
    if (isinf(d) || isnan(d)) fprintf(out, "\"%s\"", buf);
    else fputs(buf, out);
}

/* "name":"...", plus "name_truncated":true when only the head was kept. */
static void jname(FILE *out, const char *field, const uint8_t *p, size_t len, uint64_t full)
{
    fprintf(out, ",\"%s\":", field);
    jbytes(out, p, len);
    if (full > len) fprintf(out, ",\"%s_truncated\":true", field);
}

static const char *checksum_name(const inspect_source *s)
{
    if (!s->have_trailer) return NULL;
    switch (s->checksum) {
    case RDB_CHECKSUM_OK: return "ok";
    case RDB_CHECKSUM_MISMATCH: return "mismatch";
    case RDB_CHECKSUM_DISABLED: return "disabled";
    default: return "absent";
    }
}

static void source(FILE *out, const inspect_source *s)
{
    fputs("\"source\":{\"file\":", out);
    jbytes(out, (const uint8_t *)s->path, strlen(s->path));
    fputs(",\"format\":", out);
    jstr(out, s->have_header ? s->header.magic : NULL);
    fputs(",\"server\":", out);
    jstr(out, s->server);
    fputs(",\"profile\":", out);
    jstr(out, s->profile);
    fputs(",\"profile_from\":", out);
    jstr(out, s->profile ? s->profile_from : NULL);
    fputs(",\"config\":[", out);
    for (size_t i = 0; i < s->nconfig; i++) {
        if (i) fputc(',', out);
        jstr(out, s->config[i]);
    }
    fputs("],\"db\":", out);
    if (s->has_db) fprintf(out, "%" PRIu64, s->db);
    else fputs("null", out);
    fputs(",\"reference_time_ms\":", out);
    if (s->reference_ms >= 0) fprintf(out, "%" PRId64, s->reference_ms);
    else fputs("null", out);
    fputs(",\"reference_from\":", out);
    jstr(out, s->reference_ms >= 0 ? s->reference_from : NULL);
    fputs(",\"status\":", out);
    jstr(out, s->status);
    fputs(",\"checksum\":", out);
    jstr(out, checksum_name(s));
    if (s->error && s->error->code != RDB_OK) {
        fprintf(out, ",\"error\":{\"offset\":%" PRIu64 ",\"message\":", s->error->offset);
        jstr(out, s->error->message);
        fputc('}', out);
    }
    fputc('}', out);
}

static void item(FILE *out, rdb_kind kind, const inspect_elem *e, size_t rank)
{
    fprintf(out, "{\"rank\":%zu", rank);
    switch (kind) {
    case RDB_KIND_HASH:
        jname(out, "field", e->name, e->name_len, e->name_full);
        ju(out, "field_bytes", e->u.hash.field_bytes);
        ju(out, "value_bytes", e->u.hash.value_bytes);
        break;
    case RDB_KIND_ZSET:
        jname(out, "member", e->name, e->name_len, e->name_full);
        ju(out, "member_bytes", e->name_full);
        fputs(",\"score\":", out);
        jscore(out, e->u.score);
        break;
    case RDB_KIND_SET:
        jname(out, "member", e->name, e->name_len, e->name_full);
        ju(out, "member_bytes", e->name_full);
        break;
    case RDB_KIND_LIST: case RDB_KIND_ARRAY:
        ju(out, "index", e->seq);
        jname(out, "element", e->name, e->name_len, e->name_full);
        ju(out, "element_bytes", e->name_full);
        break;
    case RDB_KIND_STREAM:
        jid(out, "id", e->u.entry.id);
        ju(out, "fields", e->u.entry.fields);
        break;
    default:
        break;
    }
    ju(out, "bytes", e->size);
    fputc('}', out);
}

static void largest(FILE *out, const inspect_result *r)
{
    rdb_kind kind = r->rec.type;
    fputs(",\"largest\":{\"by\":", out);
    jstr(out, inspect_size_meaning(kind));
    ju(out, "of", r->top_of);
    fputs(",\"items\":[", out);
    for (size_t i = 0; i < r->top.n; i++) {
        if (i) fputc(',', out);
        item(out, kind, &r->top.v[i], i + 1);
    }
    fputs("]}", out);
    fputs(",\"histogram\":{\"of\":", out);
    jstr(out, inspect_size_meaning(kind));
    fputs(",\"buckets\":[", out);
    bool first = true;
    for (unsigned b = 0; b < INSPECT_HIST_BUCKETS; b++) {
        if (!r->hist.count[b]) continue;
        fprintf(out, "%s{\"min\":%" PRIu64 ",\"max\":%" PRIu64 ",\"count\":%" PRIu64
                     ",\"bytes\":%" PRIu64 "}",
                first ? "" : ",", inspect_hist_low(b), inspect_hist_high(b), r->hist.count[b],
                r->hist.bytes[b]);
        first = false;
    }
    fputs("]}", out);
}

static void limits(FILE *out, const inspect_result *r)
{
    const inspect_limits *l = &r->limits;
    fputs(",\"encoding_limits\":{\"limits\":[", out);
    for (unsigned i = 0; i < l->nlimit; i++) {
        fputs(i ? ",{\"directive\":" : "{\"directive\":", out);
        jstr(out, inspect_dir_name(l->limit[i].dir, l->ziplist));
        ju(out, "value", l->limit[i].limit);
        ju(out, "key", l->limit[i].key);
        fputc('}', out);
    }
    fputc(']', out);
    if (r->rec.type == RDB_KIND_SET) fprintf(out, ",\"all_integers\":%s", l->all_int ? "true" : "false");
    fputs(",\"what_if\":[", out);
    for (unsigned i = 0; i < l->nwhatif; i++) {
        const inspect_whatif *w = &l->whatif[i];
        fputs(i ? ",{\"set\":[" : "{\"set\":[", out);
        for (unsigned c = 0; c < w->nchange; c++) {
            fputs(c ? ",{\"directive\":" : "{\"directive\":", out);
            jstr(out, inspect_dir_name(w->change[c].dir, l->ziplist));
            ju(out, "from", w->change[c].from);
            ju(out, "to", w->change[c].to);
            fputc('}', out);
        }
        fputs("],\"encoding\":", out);
        jstr(out, w->encoding);
        ju(out, "bytes", w->bytes);
        ji(out, "delta_bytes", (int64_t)w->bytes - (int64_t)r->rec.bytes);
        fputc('}', out);
    }
    fputs("]}", out);
}

static void stream(FILE *out, const inspect_stream *s)
{
    fputs(",\"stream\":{", out);
    fprintf(out, "\"length\":%" PRIu64, s->length);
    ju(out, "deleted_entries", s->deleted);
    ju(out, "nodes", s->nodes);
    jid(out, "first_id", s->first_id);
    jid(out, "last_id", s->last_id);
    if (s->has_v2) {
        jid(out, "max_deleted_id", s->max_deleted_id);
        ju(out, "entries_added", s->entries_added);
    }
    ju(out, "groups", s->groups);
    ju(out, "consumers", s->consumers);
    ju(out, "pending", s->pending);
    if (s->has_pending_times) {
        ji(out, "oldest_delivery_ms", s->oldest_delivery_ms);
        ji(out, "newest_delivery_ms", s->newest_delivery_ms);
        ju(out, "max_delivery_count", s->max_delivery_count);
    }
    fputs(",\"largest_groups\":[", out);
    for (size_t i = 0; i < s->top_groups.n; i++) {
        const inspect_elem *g = &s->top_groups.v[i];
        fprintf(out, "%s{\"rank\":%zu", i ? "," : "", i + 1);
        jname(out, "name", g->name, g->name_len, g->name_full);
        ju(out, "pending", g->size);
        ju(out, "consumers", g->u.group.consumers);
        jid(out, "last_delivered_id", g->u.group.last_id);
        if (g->u.group.has_entries_read) ju(out, "entries_read", g->u.group.entries_read);
        fputc('}', out);
    }
    fputs("],\"largest_consumers\":[", out);
    for (size_t i = 0; i < s->top_consumers.n; i++) {
        const inspect_elem *c = &s->top_consumers.v[i];
        fprintf(out, "%s{\"rank\":%zu", i ? "," : "", i + 1);
        jname(out, "group", c->name2, c->name2_len, c->name2_full);
        jname(out, "name", c->name, c->name_len, c->name_full);
        ju(out, "pending", c->size);
        ji(out, "seen_time_ms", c->u.consumer.seen_ms);
        if (c->u.consumer.has_active) ji(out, "active_time_ms", c->u.consumer.active_ms);
        fputc('}', out);
    }
    fputs("]}", out);
}

static void key_obj(FILE *out, const inspect_source *src, const inspect_result *r)
{
    const key_record *k = &r->rec;
    fprintf(out, "{\"db\":%" PRIu64 ",\"key\":", k->db);
    jbytes(out, k->key, k->key_len);
    fputs(",\"type\":", out);
    jstr(out, rdb_kind_name(k->type));
    ju(out, "rdb_type", k->rdb_type);
    fputs(",\"rdb_type_name\":", out);
    jstr(out, rdb_type_name(src->header.flavor, k->rdb_type));
    if (k->module_name) {
        fputs(",\"module\":", out);
        jstr(out, k->module_name);
    }
    fputs(",\"encoding\":", out);
    jstr(out, k->encoding);
    fputs(",\"bytes\":", out);
    if (k->has_bytes) fprintf(out, "%" PRIu64, k->bytes);
    else fputs("null", out);
    ju(out, "stored_bytes", r->stored_bytes);
    if (k->type == RDB_KIND_STRING) {
        ju(out, "length", k->elements);
        fprintf(out, ",\"stored_compressed\":%s", r->str_compressed ? "true" : "false");
    } else if (k->type != RDB_KIND_MODULE) {
        ju(out, "elements", k->elements);
        if (k->type == RDB_KIND_HASH && r->ttl_fields_expired) ju(out, "elements_loaded", r->loaded);
    }
    fputs(",\"expires_at_ms\":", out);
    if (k->has_expire) fprintf(out, "%" PRId64, k->expire_ms);
    else fputs("null", out);
    fputs(",\"ttl_ms\":", out);
    if (k->has_expire && src->reference_ms >= 0) fprintf(out, "%" PRId64, k->expire_ms - src->reference_ms);
    else fputs("null", out);
    if (k->has_idle) ju(out, "idle_s", k->idle_s);
    if (k->has_freq) ju(out, "freq", k->freq);
    if (r->ttl_fields) {
        fprintf(out, ",\"field_ttls\":{\"fields\":%" PRIu64, r->ttl_fields);
        ju(out, "expired", r->ttl_fields_expired);
        ji(out, "earliest_ms", r->ttl_fields_min_ms);
        ji(out, "latest_ms", r->ttl_fields_max_ms);
        fputc('}', out);
    }
    if (k->type != RDB_KIND_STRING && k->type != RDB_KIND_MODULE) largest(out, r);
    if (r->has_limits) limits(out, r);
    if (r->has_stream) stream(out, &r->stream);
    fputc('}', out);
}

void inspect_render_json(FILE *out, const inspect_source *src, const inspect *ins)
{
    fprintf(out, "{\"schema_version\":%d,\n", INSPECT_SCHEMA_VERSION);
    source(out, src);
    fputs(",\n\"keys\":[", out);
    size_t n = inspect_count(ins);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n" : "\n", out);
        key_obj(out, src, inspect_at(ins, i));
    }
    fputs(n ? "\n],\n\"not_found\":[" : "],\n\"not_found\":[", out);
    bool first = true;
    for (size_t i = 0; i < inspect_keys(ins); i++) {
        const uint8_t *name;
        size_t len;
        bool found;
        inspect_key(ins, i, &name, &len, &found);
        if (found) continue;
        fputs(first ? "" : ",", out);
        jbytes(out, name, len);
        first = false;
    }
    fputs("]}\n", out);
}
