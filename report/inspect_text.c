/* inspect_text.c: `rdblens inspect` for people at a terminal (100
 * columns). Per key: a few facts lines, then the largest elements, their
 * size histogram, the encoding limits with what changing them would do,
 * and for streams their groups and consumers. */
#include <inttypes.h>
#include <string.h>

#include "report/inspect_render.h"
#include "report/keyfmt.h"
#include "report/rfmt.h"
#include "report/table.h"

#define BOLD "\033[1m"
#define RED "\033[31m"
#define RESET "\033[0m"
#define NAME_WIDTH 40   /* columns of an element name in a table */

typedef struct ctx {
    FILE *out;
    const inspect_source *src;
    bool color;
} ctx;

const char *inspect_size_meaning(rdb_kind kind)
{
    switch (kind) {
    case RDB_KIND_HASH: return "field + value bytes";
    case RDB_KIND_ZSET: case RDB_KIND_SET: return "member bytes";
    case RDB_KIND_LIST: case RDB_KIND_ARRAY: return "element bytes";
    case RDB_KIND_STREAM: return "field and value bytes of an entry";
    default: return "bytes";
    }
}

const char *inspect_elem_noun(rdb_kind kind, bool plural)
{
    switch (kind) {
    case RDB_KIND_HASH: return plural ? "fields" : "field";
    case RDB_KIND_ZSET: case RDB_KIND_SET: return plural ? "members" : "member";
    case RDB_KIND_LIST: return plural ? "elements" : "element";
    case RDB_KIND_STREAM: return plural ? "entries" : "entry";
    default: return plural ? "elements" : "element";
    }
}

static void heading(const ctx *c, const char *title)
{
    fprintf(c->out, "\n  %s%s%s\n", c->color ? BOLD : "", title, c->color ? RESET : "");
}

static const char *basis_text(const char *from)
{
    if (!from) return "";
    if (!strcmp(from, "ctime aux")) return "the dump's ctime";
    if (!strcmp(from, "--now")) return "--now";
    if (!strcmp(from, "file mtime")) return "the file's time (no ctime aux in the dump; --now sets it)";
    if (!strcmp(from, "current time")) return "the current time (no ctime aux; --now sets it)";
    return from;
}

static void header(const ctx *c)
{
    const inspect_source *s = c->src;
    char k[RFMT_CELL], b[RFMT_CELL], iso[RFMT_CELL];
    FILE *o = c->out;
    fprintf(o, "%srdblens inspect%s  %s\n", c->color ? BOLD : "", c->color ? RESET : "",
            rfmt_key(k, sizeof k, (const uint8_t *)s->path, strlen(s->path), 82));
    const char *cs = !s->have_trailer                       ? "no checksum read"
                     : s->checksum == RDB_CHECKSUM_OK       ? "checksum ok"
                     : s->checksum == RDB_CHECKSUM_MISMATCH ? "CHECKSUM MISMATCH"
                     : s->checksum == RDB_CHECKSUM_DISABLED ? "checksum disabled"
                                                            : "no checksum (RDB < 5)";
    bool bad = strcmp(s->status, "complete") || (s->have_trailer && s->checksum == RDB_CHECKSUM_MISMATCH);
    fprintf(o, "  %s", bad && c->color ? RED : "");
    if (s->size) fprintf(o, "%s, ", rfmt_bytes(b, sizeof b, s->size));
    fprintf(o, "%s%s%s, %s, %s%s\n", s->have_header ? s->header.magic : "?", s->server ? ", server " : "",
            s->server ? s->server : "", cs, s->status, bad && c->color ? RESET : "");
    if (s->error && s->error->code != RDB_OK)
        fprintf(o, "  %serror at offset %" PRIu64 ": %s%s\n", c->color ? RED : "", s->error->offset,
                s->error->message, c->color ? RESET : "");
    if (s->profile) {
        fprintf(o, "  modelled as %s", s->profile);
        if (s->profile_from) {
            if (!strcmp(s->profile_from, "--profile")) fputs(" (--profile)", o);
            else if (!strcmp(s->profile_from, "rdb version")) fputs(" (its RDB version)", o);
            else fprintf(o, " (its %s)", s->profile_from);
        }
        for (size_t i = 0; i < s->nconfig; i++)
            fprintf(o, "%s%s", i ? " " : " with --config ", rfmt_text(k, sizeof k, s->config[i]));
        if (s->reference_ms >= 0)
            fprintf(o, "; TTLs judged at %s, %s", rfmt_iso(iso, sizeof iso, s->reference_ms),
                    basis_text(s->reference_from));
        fputc('\n', o);
    }
}

static void facts(const ctx *c, const inspect_result *r)
{
    const key_record *k = &r->rec;
    FILE *o = c->out;
    char a[RFMT_CELL], b[RFMT_CELL], n[RFMT_CELL];
    /* the whole name: it is what was asked for, and shown once */
    fprintf(o, "\n%s", c->color ? BOLD : "");
    keyfmt_printable(o, k->key, k->key_len);
    fprintf(o, "%s  (db %" PRIu64 ")\n", c->color ? RESET : "", k->db);
    fprintf(o, "  type        %s", rdb_kind_name(k->type));
    if (k->module_name) fprintf(o, " (module %s)", k->module_name);
    fprintf(o, ", stored as %s (rdb type %u), %s in the dump%s\n",
            rdb_type_name(c->src->header.flavor, k->rdb_type), k->rdb_type,
            rfmt_bytes(a, sizeof a, r->stored_bytes), r->str_compressed ? " (LZF-compressed)" : "");
    if (k->encoding) fprintf(o, "  encoding    %s after load on %s\n", k->encoding, c->src->profile);
    if (k->has_bytes && k->bytes >= 1024)
        fprintf(o, "  bytes       %s (%s B), predicted MEMORY USAGE after load\n",
                rfmt_bytes(a, sizeof a, k->bytes), rfmt_count(b, sizeof b, k->bytes));
    else if (k->has_bytes)
        fprintf(o, "  bytes       %s, predicted MEMORY USAGE after load\n", rfmt_bytes(a, sizeof a, k->bytes));
    else
        fputs("  bytes       not modelled (module value)\n", o);
    if (k->type == RDB_KIND_STRING) {
        fprintf(o, "  length      %s B\n", rfmt_count(a, sizeof a, k->elements));
    } else if (k->type != RDB_KIND_MODULE) {
        fprintf(o, "  elements    %s %s", rfmt_count(a, sizeof a, k->elements),
                inspect_elem_noun(k->type, k->elements != 1));
        if (r->ttl_fields_expired)
            fprintf(o, ", %s after load (%s already expired)", rfmt_count(b, sizeof b, r->loaded),
                    rfmt_count(n, sizeof n, r->ttl_fields_expired));
        fputc('\n', o);
    }
    if (!k->has_expire) {
        fputs("  ttl         none\n", o);
    } else {
        fprintf(o, "  ttl         expires %s", rfmt_iso(a, sizeof a, k->expire_ms));
        int64_t ref = c->src->reference_ms;
        if (ref >= 0 && k->expire_ms > ref)
            fprintf(o, ", %s left at the reference time", rfmt_remaining(b, sizeof b, k->expire_ms - ref));
        else if (ref >= 0)
            fputs(", already expired at the reference time (a restart does not load it)", o);
        fputc('\n', o);
    }
    if (r->ttl_fields)
        fprintf(o, "  field TTLs  %s fields, the earliest %s, the latest %s\n",
                rfmt_count(a, sizeof a, r->ttl_fields), rfmt_iso(b, sizeof b, r->ttl_fields_min_ms),
                rfmt_iso(n, sizeof n, r->ttl_fields_max_ms));
    if (k->has_idle) fprintf(o, "  idle        %s s (LRU)\n", rfmt_count(a, sizeof a, k->idle_s));
    if (k->has_freq) fprintf(o, "  freq        %u (LFU counter)\n", k->freq);
}

static char *name_cell(char *buf, size_t cap, const uint8_t *p, size_t len, uint64_t full)
{
    return full > len ? rfmt_key_head(buf, cap, p, len, NAME_WIDTH) : rfmt_key(buf, cap, p, len, NAME_WIDTH);
}

static void largest(const ctx *c, const inspect_result *r)
{
    rdb_kind kind = r->rec.type;
    char title[160], n1[RFMT_CELL];
    snprintf(title, sizeof title, "Largest %s (%zu of %s, by %s)", inspect_elem_noun(kind, true), r->top.n,
             rfmt_count(n1, sizeof n1, r->top_of), inspect_size_meaning(kind));
    heading(c, title);
    if (r->top.n == 0) {
        fputs("    (none)\n", c->out);
        return;
    }
    table t;
    static const char *const h_hash[] = {"#", "field", "field size", "value size", "bytes"};
    static const char *const h_zset[] = {"#", "member", "score", "bytes"};
    static const char *const h_set[] = {"#", "member", "bytes"};
    static const char *const h_list[] = {"#", "index", "element", "bytes"};
    static const char *const h_stream[] = {"#", "entry id", "fields", "bytes"};
    switch (kind) {
    case RDB_KIND_HASH: table_init(&t, "rlrrr", h_hash); break;
    case RDB_KIND_ZSET: table_init(&t, "rlrr", h_zset); break;
    case RDB_KIND_SET: table_init(&t, "rlr", h_set); break;
    case RDB_KIND_LIST: case RDB_KIND_ARRAY: table_init(&t, "rrlr", h_list); break;
    default: table_init(&t, "rlrr", h_stream); break;
    }
    for (size_t i = 0; i < r->top.n; i++) {
        const inspect_elem *e = &r->top.v[i];
        char rank[24], name[RFMT_CELL], x[RFMT_CELL], y[RFMT_CELL], z[RFMT_CELL];
        snprintf(rank, sizeof rank, "%zu", i + 1);
        rfmt_bytes(z, sizeof z, e->size);
        name_cell(name, sizeof name, e->name, e->name_len, e->name_full);
        switch (kind) {
        case RDB_KIND_HASH: {
            const char *row[] = {rank, name, rfmt_bytes(x, sizeof x, e->u.hash.field_bytes),
                                 rfmt_bytes(y, sizeof y, e->u.hash.value_bytes), z};
            table_row(&t, row);
            break;
        }
        case RDB_KIND_ZSET: {
            inspect_score_text(x, sizeof x, e->u.score);
            const char *row[] = {rank, name, x, z};
            table_row(&t, row);
            break;
        }
        case RDB_KIND_SET: {
            const char *row[] = {rank, name, z};
            table_row(&t, row);
            break;
        }
        case RDB_KIND_LIST: case RDB_KIND_ARRAY: {
            const char *row[] = {rank, rfmt_count(x, sizeof x, e->seq), name, z};
            table_row(&t, row);
            break;
        }
        default: {
            snprintf(x, sizeof x, "%" PRIu64 "-%" PRIu64, e->u.entry.id.ms, e->u.entry.id.seq);
            const char *row[] = {rank, x, rfmt_count(y, sizeof y, e->u.entry.fields), z};
            table_row(&t, row);
            break;
        }
        }
    }
    table_print_text(c->out, &t, 4, c->color);
    table_free(&t);
}

/* 2^e bytes in the largest binary unit that holds it whole: "8 KiB". */
static char *pow2(char *buf, size_t cap, unsigned e)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (e >= 64) snprintf(buf, cap, "16 EiB");
    else snprintf(buf, cap, "%llu %s", 1ull << (e % 10), unit[e / 10]);
    return buf;
}

static void histogram(const ctx *c, const inspect_result *r)
{
    rdb_kind kind = r->rec.type;
    char title[160];
    snprintf(title, sizeof title, "Sizes (%s, log2 buckets)", inspect_size_meaning(kind));
    heading(c, title);
    uint64_t count = 0, bytes = 0;
    for (unsigned b = 0; b < INSPECT_HIST_BUCKETS; b++) count += r->hist.count[b], bytes += r->hist.bytes[b];
    if (!count) {
        fputs("    (none)\n", c->out);
        return;
    }
    const char *heads[] = {"size", inspect_elem_noun(kind, true), "share", "bytes", "share"};
    table t;
    table_init(&t, "lrrrr", heads);
    for (unsigned b = 0; b < INSPECT_HIST_BUCKETS; b++) {
        if (!r->hist.count[b]) continue;
        char range[RFMT_CELL], lo[RFMT_CELL], hi[RFMT_CELL], n[RFMT_CELL], p1[RFMT_CELL],
            by[RFMT_CELL], p2[RFMT_CELL];
        if (b <= 1) snprintf(range, sizeof range, "%s", b ? "1 B" : "0 B");
        else
            snprintf(range, sizeof range, "%s - <%s", pow2(lo, sizeof lo, b - 1), pow2(hi, sizeof hi, b));
        const char *row[] = {range, rfmt_count(n, sizeof n, r->hist.count[b]),
                             rfmt_pct(p1, sizeof p1, r->hist.count[b], count),
                             rfmt_bytes(by, sizeof by, r->hist.bytes[b]),
                             rfmt_pct(p2, sizeof p2, r->hist.bytes[b], bytes)};
        table_row(&t, row);
    }
    table_print_text(c->out, &t, 4, c->color);
    table_free(&t);
}

/* The key's measure against a limit, in words: "600 fields", "40 B
 * (its longest field or value)". */
static char *measure(char *buf, size_t cap, const inspect_limit *x, rdb_kind kind)
{
    char n[RFMT_CELL];
    switch (x->dir) {
    case DIR_HASH_VALUE:
        snprintf(buf, cap, "%s B (its longest field or value)", rfmt_count(n, sizeof n, x->key));
        break;
    case DIR_ZSET_VALUE: case DIR_SET_LP_VALUE:
        snprintf(buf, cap, "%s B (its longest member)", rfmt_count(n, sizeof n, x->key));
        break;
    default:
        snprintf(buf, cap, "%s %s", rfmt_count(n, sizeof n, x->key), inspect_elem_noun(kind, x->key != 1));
        break;
    }
    return buf;
}

static void limits(const ctx *c, const inspect_result *r)
{
    const inspect_limits *l = &r->limits;
    char title[160], v[RFMT_CELL], kv[RFMT_CELL], a[RFMT_CELL], b[RFMT_CELL], d[RFMT_CELL];
    snprintf(title, sizeof title, "Encoding limits on %s", c->src->profile ? c->src->profile : "the target");
    heading(c, title);
    static const char *const heads[] = {"limit", "value", "this key"};
    table t;
    table_init(&t, "lrl", heads);
    for (unsigned i = 0; i < l->nlimit; i++) {
        const inspect_limit *x = &l->limit[i];
        const char *row[] = {inspect_dir_name(x->dir, l->ziplist), rfmt_count(v, sizeof v, x->limit),
                             measure(kv, sizeof kv, x, r->rec.type)};
        table_row(&t, row);
    }
    table_print_text(c->out, &t, 4, c->color);
    table_free(&t);
    FILE *o = c->out;
    if (r->rec.type == RDB_KIND_SET)
        fprintf(o, "    members are %sall integers (an intset holds integers only)\n", l->all_int ? "" : "not ");
    if (l->nwhatif == 0) {
        fprintf(o, "    no single limit change would change its encoding (%s)\n",
                r->rec.encoding ? r->rec.encoding : "?");
        return;
    }
    for (unsigned i = 0; i < l->nwhatif; i++) {
        const inspect_whatif *w = &l->whatif[i];
        fputs("    ", o);
        for (unsigned j = 0; j < w->nchange; j++)
            fprintf(o, "%s%s %s -> %s", j ? " and " : "", inspect_dir_name(w->change[j].dir, l->ziplist),
                    rfmt_count(v, sizeof v, w->change[j].from), rfmt_count(kv, sizeof kv, w->change[j].to));
        bool less = w->bytes < r->rec.bytes;
        fprintf(o, " would make it %s: %s -> %s (%s%s)\n", w->encoding, rfmt_bytes(a, sizeof a, r->rec.bytes),
                rfmt_bytes(b, sizeof b, w->bytes), less ? "-" : "+",
                rfmt_bytes(d, sizeof d, less ? r->rec.bytes - w->bytes : w->bytes - r->rec.bytes));
    }
}

static void stream(const ctx *c, const inspect_stream *s)
{
    FILE *o = c->out;
    char a[RFMT_CELL], b[RFMT_CELL], x[RFMT_CELL];
    heading(c, "Stream");
    fprintf(o, "    entries     %s (XLEN)", rfmt_count(a, sizeof a, s->length));
    if (s->deleted) fprintf(o, ", %s deleted ones still stored", rfmt_count(b, sizeof b, s->deleted));
    fprintf(o, ", in %s nodes\n", rfmt_count(x, sizeof x, s->nodes));
    fprintf(o, "    IDs         first %" PRIu64 "-%" PRIu64 ", last %" PRIu64 "-%" PRIu64, s->first_id.ms,
            s->first_id.seq, s->last_id.ms, s->last_id.seq);
    fputc('\n', o);
    if (s->has_v2)
        fprintf(o, "    added       %s entries in all, the highest deleted %" PRIu64 "-%" PRIu64 "\n",
                rfmt_count(a, sizeof a, s->entries_added), s->max_deleted_id.ms, s->max_deleted_id.seq);
    fprintf(o, "    groups      %s, consumers %s, pending entries %s\n", rfmt_count(a, sizeof a, s->groups),
            rfmt_count(b, sizeof b, s->consumers), rfmt_count(x, sizeof x, s->pending));
    if (s->has_pending_times)
        fprintf(o, "    pending     delivered from %s to %s, at most %s times\n",
                rfmt_iso(a, sizeof a, s->oldest_delivery_ms), rfmt_iso(b, sizeof b, s->newest_delivery_ms),
                rfmt_count(x, sizeof x, s->max_delivery_count));
    if (s->top_groups.n) {
        heading(c, "Consumer groups by pending entries");
        static const char *const heads[] = {"group", "pending", "consumers", "last delivered", "entries read"};
        table t;
        table_init(&t, "lrrrr", heads);
        for (size_t i = 0; i < s->top_groups.n; i++) {
            const inspect_elem *g = &s->top_groups.v[i];
            char name[RFMT_CELL], p[RFMT_CELL], n[RFMT_CELL], id[64], rd[RFMT_CELL];
            snprintf(id, sizeof id, "%" PRIu64 "-%" PRIu64, g->u.group.last_id.ms, g->u.group.last_id.seq);
            const char *row[] = {name_cell(name, sizeof name, g->name, g->name_len, g->name_full),
                                 rfmt_count(p, sizeof p, g->size), rfmt_count(n, sizeof n, g->u.group.consumers),
                                 id, g->u.group.has_entries_read ? rfmt_count(rd, sizeof rd, g->u.group.entries_read) : "-"};
            table_row(&t, row);
        }
        table_print_text(o, &t, 4, c->color);
        table_free(&t);
    }
    if (s->top_consumers.n) {
        heading(c, "Consumers by pending entries");
        static const char *const heads[] = {"group", "consumer", "pending", "seen"};
        table t;
        table_init(&t, "llrl", heads);
        for (size_t i = 0; i < s->top_consumers.n; i++) {
            const inspect_elem *e = &s->top_consumers.v[i];
            char g[RFMT_CELL], name[RFMT_CELL], p[RFMT_CELL], seen[RFMT_CELL];
            const char *row[] = {name_cell(g, sizeof g, e->name2, e->name2_len, e->name2_full),
                                 name_cell(name, sizeof name, e->name, e->name_len, e->name_full),
                                 rfmt_count(p, sizeof p, e->size), rfmt_iso(seen, sizeof seen, e->u.consumer.seen_ms)};
            table_row(&t, row);
        }
        table_print_text(o, &t, 4, c->color);
        table_free(&t);
    }
}

void inspect_render_text(FILE *out, const inspect_source *src, const inspect *ins, bool color)
{
    ctx c = {.out = out, .src = src, .color = color};
    header(&c);
    size_t n = inspect_count(ins);
    for (size_t i = 0; i < n; i++) {
        const inspect_result *r = inspect_at(ins, i);
        facts(&c, r);
        if (r->rec.type != RDB_KIND_STRING && r->rec.type != RDB_KIND_MODULE) {
            largest(&c, r);
            histogram(&c, r);
        }
        if (r->has_limits) limits(&c, r);
        if (r->has_stream) stream(&c, &r->stream);
    }
    size_t missing = 0;
    for (size_t i = 0; i < inspect_keys(ins); i++) {
        const uint8_t *name;
        size_t len;
        bool found;
        inspect_key(ins, i, &name, &len, &found);
        if (found) continue;
        if (!missing++) fputc('\n', out);
        fputs(strcmp(src->status, "complete") ? "not found in what could be read: " : "not found: ", out);
        keyfmt_printable(out, name, len);
        fputc('\n', out);
    }
}
