/* agg_find_out.c: the finding list: wording, severity, savings, the
 * commands that list each finding's keys, and the order (agg_find.h).
 *
 * Commands are meant to be pasted into a shell, and key names come from the
 * dump, so everything taken from a name is single-quoted with any quote
 * closed and reopened ('\''), glob characters of a name are escaped for
 * --match, and control characters or invalid bytes become the glob '?'
 * instead of reaching the terminal or the shell.
 */
#include "analyze/agg_find.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building commands ---------------------------------------------------- */

typedef struct cmd {
    char *p;
    size_t n, cap;
} cmd;

static void put(cmd *c, const char *s, size_t n) {
    if (c->n + n + 1 > c->cap) n = c->n + 1 < c->cap ? c->cap - c->n - 1 : 0;
    memcpy(c->p + c->n, s, n);
    c->n += n;
    c->p[c->n] = '\0';
}
static void puts_(cmd *c, const char *s) { put(c, s, strlen(s)); }

/* The length of a valid UTF-8 sequence at p that is not a bidi or
 * zero-width control (U+200B-200F, U+202A-202E, U+2066-2069), else 0. */
static size_t utf8_ok(const uint8_t *p, size_t n) {
    size_t len;
    uint32_t cp;
    if (p[0] >= 0xc2 && p[0] <= 0xdf) len = 2, cp = p[0] & 0x1fu;
    else if (p[0] >= 0xe0 && p[0] <= 0xef) len = 3, cp = p[0] & 0x0fu;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4) len = 4, cp = p[0] & 0x07u;
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (p[i] & 0x3fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
        return 0;
    return len;
}

/* bytes as a single-quoted shell word; glob: escape *?[]\ for --match,
 * except '*' when keep_star (the prefix table's folded id segments), and
 * end with a '*' when star */
static void quoted(cmd *c, const uint8_t *p, size_t n, bool glob, bool keep_star, bool star) {
    put(c, "'", 1);
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        size_t l;
        if (b == '\'') {
            puts_(c, "'\\''");
        } else if (b >= 0x80 && (l = utf8_ok(p + i, n - i)) > 0) {
            put(c, (const char *)p + i, l);  /* UTF-8 text as it is */
            i += l - 1;
        } else if (b < 0x20 || b >= 0x7f) {
            /* never a control byte, an invalid byte or a bidi control in a
             * pasted command: the glob '?' matches it */
            put(c, "?", 1);
        } else {
            if (glob && strchr("*?[]\\", b) && !(keep_star && b == '*')) put(c, "\\", 1);
            char ch = (char)b;
            put(c, &ch, 1);
        }
    }
    if (star) put(c, "*", 1);
    put(c, "'", 1);
}

static void file_arg(cmd *c, const agg_find_file *files, size_t nfiles, uint32_t file) {
    puts_(c, " ");
    const char *path = file < nfiles ? files[file].path : "FILE";
    quoted(c, (const uint8_t *)path, strlen(path), false, false, false);
}

/* "1MiB", "10MiB", "512KiB": a size the --min-bytes parser reads back */
static void size_arg(char *buf, size_t cap, uint64_t v) {
    static const char *const u[] = {"", "KiB", "MiB", "GiB", "TiB"};
    unsigned i = 0;
    while (i < 4 && v >= 1024 && v % 1024 == 0) v /= 1024, i++;
    snprintf(buf, cap, "%" PRIu64 "%s", v, u[i]);
}

/* A key's bytes in the printable form `rdblens inspect --escaped` reads
 * (valid UTF-8 as is, a backslash doubled, other bytes \xHH), single-quoted:
 * exact, and nothing in it reaches the shell or the terminal. */
static void escaped_key(cmd *c, const uint8_t *p, size_t n) {
    static const char hex[] = "0123456789abcdef";
    put(c, "'", 1);
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        size_t l;
        if (b == '\'') puts_(c, "'\\''");
        else if (b == '\\') puts_(c, "\\\\");
        else if (b >= 0x80 && (l = utf8_ok(p + i, n - i)) > 0) put(c, (const char *)p + i, l), i += l - 1;
        else if (b < 0x20 || b >= 0x7f) {
            char x[4] = {'\\', 'x', hex[b >> 4], hex[b & 15]};
            put(c, x, 4);
        } else {
            char ch = (char)b;
            put(c, &ch, 1);
        }
    }
    put(c, "'", 1);
}

/* One key: `rdblens inspect` by its exact name; a key kept by its head only
 * (a name over AGG_KEY_KEEP bytes) by a glob on that head. */
static void key_command(char *out, const agg_key *e, const agg_find_file *files, size_t nfiles) {
    cmd c = {out, 0, AGG_CMD_MAX};
    out[0] = '\0';
    char db[48];
    if (e->rec.key_full_len > e->rec.key_len) {
        snprintf(db, sizeof db, "rdblens keys --db %" PRIu64 " --match ", e->rec.db);
        puts_(&c, db);
        quoted(&c, e->rec.key, e->rec.key_len, true, false, true);
        file_arg(&c, files, nfiles, e->file);
        return;
    }
    /* a key (or file) starting with '-' would read as an option: end the
     * options first (only then, so that the usual command stays short) */
    const char *path = e->file < nfiles ? files[e->file].path : "FILE";
    bool dash = (e->rec.key_len && e->rec.key[0] == '-') || (path[0] == '-' && path[1]);  /* "-": stdin */
    snprintf(db, sizeof db, "rdblens inspect --db %" PRIu64 " --escaped%s", e->rec.db, dash ? " --" : "");
    puts_(&c, db);
    file_arg(&c, files, nfiles, e->file);
    puts_(&c, " ");
    escaped_key(&c, e->rec.key, e->rec.key_len);
}

/* ---- the list ------------------------------------------------------------- */

static agg_finding *push(agg_find *f, const char *kind, const char *severity,
                         agg_subject_kind sk, const char *suggestion) {
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 32;
        agg_finding *v = realloc(f->v, cap * sizeof *v);
        if (!v) return NULL;
        f->v = v;
        f->cap = cap;
    }
    agg_finding *x = &f->v[f->n++];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->severity = severity ? severity : "info";
    x->subject_kind = sk;
    x->suggestion = suggestion;
    return x;
}

static void ev_u(agg_finding *x, const char *name, uint64_t v) {
    if (x->nev < AGG_MAX_EVIDENCE) x->ev[x->nev++] = (agg_evidence){.name = name, .kind = AGG_EV_U64, .u = v};
}
static void ev_i(agg_finding *x, const char *name, int64_t v) {
    if (x->nev < AGG_MAX_EVIDENCE) x->ev[x->nev++] = (agg_evidence){.name = name, .kind = AGG_EV_I64, .i = v};
}
static void ev_s(agg_finding *x, const char *name, const char *v) {
    if (x->nev < AGG_MAX_EVIDENCE) x->ev[x->nev++] = (agg_evidence){.name = name, .kind = AGG_EV_STR, .s = v};
}
static void ev_pct(agg_finding *x, const char *name, uint64_t part, uint64_t whole) {
    double p = whole ? 100.0 * (double)part / (double)whole : 0.0;
    if (x->nev < AGG_MAX_EVIDENCE) x->ev[x->nev++] = (agg_evidence){.name = name, .kind = AGG_EV_PCT, .pct = p};
}

static const char *worse(const char *a, const char *b) {
    return agg_find_severity_rank(a) <= agg_find_severity_rank(b) ? a : b;
}

/* What to do about a big key depends on what it is: a list or a stream
 * that only grows is trimmed, a keyed collection is sharded and scanned
 * with its own command, a string is split or shrunk. */
static const char *big_key_suggestion(rdb_kind type) {
    switch (type) {
    case RDB_KIND_LIST:
        return "a list this long is usually a queue or a log: consume or LTRIM it, or shard it "
               "by id over several lists; read it with LRANGE ranges, never whole";
    case RDB_KIND_STREAM:
        return "cap the stream: XADD with MAXLEN or MINID, or XTRIM it on a schedule; read it "
               "with XRANGE/XREAD COUNT";
    case RDB_KIND_HASH:
        return "shard it into buckets (for example by id modulo) so each stays well under the "
               "limit; read it with HSCAN, never HGETALL; delete it with UNLINK";
    case RDB_KIND_SET:
        return "shard it into buckets (for example by id modulo) so each stays well under the "
               "limit; read it with SSCAN, never SMEMBERS; delete it with UNLINK";
    case RDB_KIND_ZSET:
        return "shard it into buckets (for example by id modulo) so each stays well under the "
               "limit; read it with ZRANGE ranges or ZSCAN, never whole; delete it with UNLINK";
    case RDB_KIND_STRING:
        return "split the value over several keys or compress it in the client; read it with "
               "GETRANGE, delete it with UNLINK; expect latency when it is migrated or replicated";
    default:
        return "check what the module stores in it; delete it with UNLINK, and expect latency "
               "when it is migrated or replicated";
    }
}

static const char *const KIND_NAME[AGG_FK_COUNT_] = {
    [AGG_FK_BIG] = "big_key", [AGG_FK_DOMINANT] = "dominant_element",
    [AGG_FK_LIST_BIG_ELEMENTS] = "list_big_elements", [AGG_FK_NEAR_LIMIT] = "near_encoding_limit",
};

const char *agg_find_kind_name(unsigned kind) {
    return kind < AGG_FK_COUNT_ ? KIND_NAME[kind] : NULL;
}

static const char *const KIND_ADVICE[AGG_FK_COUNT_] = {
    [AGG_FK_DOMINANT] = "one element holds most of this key; store that payload in its own string "
                        "key and keep a reference in the collection",
    [AGG_FK_LIST_BIG_ELEMENTS] = "list elements over 8 KB become plain quicklist nodes; keep large "
                                 "payloads in separate keys and push only their ids",
};

static int emit_key_kind(agg_find *f, int k, const agg_find_file *files, size_t nfiles) {
    const agg_thresholds *th = &f->th;
    agg_topn *t = &f->kind[k].worst;
    agg_topn_sort(t);
    uint64_t shown_bytes = 0;
    for (size_t i = 0; i < t->n; i++) {
        const agg_key *e = &t->v[i];
        const key_record *r = &e->rec;
        const char *sev = "info", *advice = KIND_ADVICE[k];
        if (k == AGG_FK_BIG) {
            uint64_t size = r->has_bytes ? r->bytes : r->type == RDB_KIND_STRING ? r->largest : 0;
            sev = agg_find_bytes_tier(th, size);
            if (r->type != RDB_KIND_STRING && r->type != RDB_KIND_MODULE)
                sev = worse(sev, agg_find_elements_tier(th, r->elements));
            advice = big_key_suggestion(r->type);
        }
        agg_finding *x = push(f, KIND_NAME[k], sev, AGG_SUBJECT_KEY, advice);
        if (!x) return -1;
        x->key = e;
        x->keys = 1;
        x->bytes = r->has_bytes ? r->bytes : 0;
        shown_bytes += x->bytes;
        key_command(x->command, e, files, nfiles);
        ev_s(x, "type", rdb_kind_name(r->type));
        if (r->encoding) ev_s(x, "encoding", r->encoding);
        if (r->has_bytes) ev_u(x, "bytes", r->bytes);
        if (r->type == RDB_KIND_STRING) ev_u(x, "length_bytes", r->elements);
        else ev_u(x, "elements", r->elements);
        if (r->type != RDB_KIND_STRING) ev_u(x, "largest", r->largest);
        switch (k) {
        case AGG_FK_BIG:
            ev_u(x, "threshold_bytes", th->big_bytes);
            if (r->type != RDB_KIND_STRING) ev_u(x, "threshold_elements", th->big_elements);
            break;
        case AGG_FK_DOMINANT: ev_pct(x, "largest_pct", r->largest, r->bytes); break;
        case AGG_FK_LIST_BIG_ELEMENTS: ev_u(x, "threshold_element_bytes", th->list_element_bytes); break;
        default: break;
        }
    }
    uint64_t more = f->kind[k].keys - t->n;
    if (more == 0) return 0;
    agg_finding *x = push(f, KIND_NAME[k], "info", AGG_SUBJECT_MORE,
                          "the command lists every such key, biggest first with sort -t, -k4nr "
                          "on --format csv");
    if (!x) return -1;
    snprintf(x->text, sizeof x->text, "(%" PRIu64 " more keys)", more);
    x->keys = more;
    x->bytes = f->kind[k].bytes - shown_bytes;
    ev_u(x, "keys_total", f->kind[k].keys);
    ev_u(x, "bytes_total", f->kind[k].bytes);
    ev_u(x, "keys_not_listed", more);
    cmd c = {x->command, 0, AGG_CMD_MAX};
    char sz[32];
    if (k == AGG_FK_BIG) {
        size_arg(sz, sizeof sz, th->big_bytes / 10 ? th->big_bytes / 10 : 1);
        puts_(&c, "rdblens keys --min-bytes ");
        puts_(&c, sz);
    } else if (k == AGG_FK_LIST_BIG_ELEMENTS) {
        puts_(&c, "rdblens keys --type list");
    } else {
        size_arg(sz, sizeof sz, th->dominant_min_bytes ? th->dominant_min_bytes : 1);
        puts_(&c, "rdblens keys --min-bytes ");
        puts_(&c, sz);
    }
    file_arg(&c, files, nfiles, 0);
    if (nfiles > 1) puts_(&c, "  # and each other file");
    return 0;
}

static const char *noun(rdb_kind t, uint64_t n) {
    switch (t) {
    case RDB_KIND_HASH: return n == 1 ? "hash" : "hashes";
    case RDB_KIND_ZSET: return n == 1 ? "sorted set" : "sorted sets";
    case RDB_KIND_SET: return n == 1 ? "set" : "sets";
    default: return n == 1 ? "key" : "keys";
    }
}

/* One finding per group of keys just over a compact-encoding limit, with
 * what re-encoding them would save. */
static int emit_near_groups(agg_find *f, const agg_find_file *files, size_t nfiles) {
    for (size_t i = 0; i < f->ngroups; i++) {
        agg_near_group *g = &f->groups[i];
        agg_topn_sort(&g->worst);
        const char *sev = agg_find_bytes_tier(&f->th, g->saving);
        agg_finding *x = push(f, "near_encoding_limit", sev, AGG_SUBJECT_GROUP,
                              "these keys are just over the limit of their compact encoding: raise "
                              "the directive above their largest size on the server (CONFIG SET, and "
                              "in redis.conf), or keep them under it; the saving comes after a "
                              "restart or a rewrite of each key");
        if (!x) return -1;
        x->subject = g->segment;
        x->subject_len = g->segment_len;
        snprintf(x->text, sizeof x->text, "%" PRIu64 " %s over %s %" PRIu64, g->keys, noun(g->type, g->keys),
                 g->nl.config, g->nl.limit);
        x->keys = g->keys;
        x->bytes = g->bytes;
        x->has_saving = true;
        x->saving = g->saving;
        for (size_t j = 0; j < g->worst.n && j < AGG_NEAR_EXAMPLES; j++) x->examples[x->nexamples++] = &g->worst.v[j];
        ev_s(x, "type", rdb_kind_name(g->type));
        ev_s(x, "config", g->nl.config);
        ev_u(x, "limit", g->nl.limit);
        ev_s(x, "compact_encoding", g->nl.target);
        ev_u(x, "keys", g->keys);
        ev_u(x, "bytes", g->bytes);
        ev_u(x, "elements_min", g->min_elements);
        ev_u(x, "elements_max", g->max_elements);
        ev_u(x, "estimated_saving_bytes", g->saving);
        ev_s(x, "estimate", g->model ? "memory model" : "rough per-element overhead");
        cmd c = {x->command, 0, AGG_CMD_MAX};
        char n[48];
        puts_(&c, "rdblens keys --type ");
        puts_(&c, rdb_kind_name(g->type));
        if (!g->other) {
            puts_(&c, " --match ");
            /* the segment is literal key bytes: its glob characters escaped */
            quoted(&c, g->segment, g->segment_len, true, false, true);
        }
        snprintf(n, sizeof n, " --min-elements %" PRIu64, g->nl.limit + 1);
        puts_(&c, n);
        file_arg(&c, files, nfiles, g->file);
    }
    return 0;
}

/* a is a proper ancestor of b in the prefix tree */
static bool ancestor(const agg_prefix_row *a, const agg_prefix_row *b) {
    return a->depth < b->depth && a->name_len <= b->name_len &&
           memcmp(a->name, b->name, a->name_len) == 0;
}

static int emit_prefixes(agg_find *f, const agg_prefix_row *rows, size_t n, uint64_t total,
                         const agg_find_file *files, size_t nfiles) {
    const agg_thresholds *th = &f->th;
    size_t limit = f->kind[0].worst.cap, flagged = 0;
    const agg_prefix_row *done[64];
    if (limit > 64) limit = 64;
    for (size_t i = 0; i < n && flagged < limit; i++) {
        const agg_prefix_row *p = &rows[i];
        if (p->other || p->bytes == 0 || total == 0) continue;
        if ((unsigned __int128)p->bytes * 100 < (unsigned __int128)total * th->no_ttl_min_share_pct) continue;
        if ((unsigned __int128)p->bytes_no_ttl * 100 < (unsigned __int128)p->bytes * th->no_ttl_pct) continue;
        bool covered = false;
        for (size_t j = 0; j < flagged; j++) covered |= ancestor(done[j], p);
        if (covered) continue;
        bool warn = (unsigned __int128)p->bytes * 100 >= (unsigned __int128)total * th->no_ttl_warn_share_pct;
        agg_finding *x = push(f, "prefix_without_ttl", warn ? "warning" : "info", AGG_SUBJECT_PREFIX,
                              "if these keys are a cache or sessions, give them a TTL (EXPIRE on "
                              "write) so they cannot grow without bound");
        if (!x) return -1;
        x->subject = p->name;
        x->subject_len = p->name_len;
        x->keys = p->keys;
        x->bytes = p->bytes_no_ttl;
        ev_u(x, "depth", p->depth);
        ev_u(x, "keys", p->keys);
        ev_u(x, "bytes", p->bytes);
        ev_u(x, "bytes_no_ttl", p->bytes_no_ttl);
        ev_pct(x, "no_ttl_pct", p->bytes_no_ttl, p->bytes);
        ev_pct(x, "share_pct", p->bytes, total);
        cmd c = {x->command, 0, AGG_CMD_MAX};
        puts_(&c, "rdblens keys --expiry none --match ");
        /* prefix names keep '*' for folded id segments: a glob star */
        quoted(&c, p->name, p->name_len, true, true, true);
        file_arg(&c, files, nfiles, 0);
        if (nfiles > 1) puts_(&c, "  # and each other file");
        done[flagged++] = p;
    }
    return 0;
}

static int emit_expired(agg_find *f, const agg_find_file *files, size_t nfiles) {
    for (size_t i = 0; i < nfiles; i++) {
        const agg_find_file *ff = &files[i];
        if (ff->keys_expired == 0) continue;
        bool warn = (unsigned __int128)ff->bytes_expired * 100 >=
                    (unsigned __int128)ff->bytes * f->th.expired_warn_pct && ff->bytes_expired > 0;
        /* Only the dump's own ctime says the keys were expired when it was
         * taken; judged against a later time (the file's copy time, --now)
         * they may have been live then, and expiry was doing its job. */
        const char *advice =
            ff->reference_is_ctime
                ? "these keys had expired when the dump was taken and are dropped on load; if "
                  "many, active expiry is not keeping up (check hz and active-expire-effort)"
                : "these keys are expired at the reference time and are dropped on load; the "
                  "reference is not the dump's own ctime, so they may have been live when it was "
                  "taken";
        agg_finding *x = push(f, "expired_in_dump", warn ? "warning" : "info", AGG_SUBJECT_FILE, advice);
        if (!x) return -1;
        x->subject = (const uint8_t *)ff->path;
        x->subject_len = strlen(ff->path);
        x->keys = ff->keys_expired;
        x->bytes = ff->bytes_expired;
        ev_u(x, "keys", ff->keys_expired);
        ev_u(x, "bytes", ff->bytes_expired);
        ev_pct(x, "share_pct", ff->bytes_expired, ff->bytes);
        ev_i(x, "reference_time_ms", ff->reference_ms);
        cmd c = {x->command, 0, AGG_CMD_MAX};
        puts_(&c, "rdblens keys --expiry expired");
        if (!ff->reference_is_ctime) {
            char now[48];
            snprintf(now, sizeof now, " --now %" PRId64, ff->reference_ms);
            puts_(&c, now);
        }
        file_arg(&c, files, nfiles, (uint32_t)i);
    }
    return 0;
}

/* the memory a finding is about: its saving when estimated, else its bytes */
static uint64_t weight(const agg_finding *x) { return x->has_saving ? x->saving : x->bytes; }

static bool before(const agg_finding *a, const agg_finding *b) {
    int ra = agg_find_severity_rank(a->severity), rb = agg_find_severity_rank(b->severity);
    if (ra != rb) return ra < rb;
    /* "(N more keys)" entries come after the keys of their severity */
    bool ma = a->subject_kind == AGG_SUBJECT_MORE, mb = b->subject_kind == AGG_SUBJECT_MORE;
    if (ma != mb) return mb;
    return weight(a) > weight(b);
}

/* stable insertion sort: equal findings keep rule order */
static void order(agg_finding *v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        agg_finding x = v[i];
        size_t j = i;
        while (j > 0 && before(&x, &v[j - 1])) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

int agg_find_build(agg_find *f, const agg_prefix_row *prefixes, size_t nprefixes,
                   uint64_t total_bytes, const agg_find_file *files, size_t nfiles) {
    for (int k = 0; k < AGG_FK_COUNT_; k++)
        if (k != AGG_FK_NEAR_LIMIT && emit_key_kind(f, k, files, nfiles) < 0) return -1;
    if (emit_near_groups(f, files, nfiles) < 0) return -1;
    if (emit_prefixes(f, prefixes, nprefixes, total_bytes, files, nfiles) < 0) return -1;
    if (emit_expired(f, files, nfiles) < 0) return -1;
    order(f->v, f->n);
    return 0;
}

agg_finding *agg_find_push(agg_find *f, const char *kind, const char *severity,
                           agg_subject_kind sk, const char *suggestion) {
    return push(f, kind, severity, sk, suggestion);
}

void agg_find_reorder(agg_find *f) { order(f->v, f->n); }
