/* slotmap.c: shard layouts (slotmap.h).
 *
 * CLUSTER NODES (and nodes.conf) is one line per node:
 *
 *   <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot>...
 *
 * with slots as "N", "N-M", or "[N->-id]" / "[N-<-id]" for a slot being
 * migrated or imported (left to its current owner). Masters own slots;
 * replicas list none.
 *
 * CLUSTER SHARDS is a nested reply; redis-cli prints it as numbered lists
 * ("1) 1) \"slots\"", "(integer) 0"), as RESP3 maps ("1# \"slots\" =>"), as
 * bare lines (--raw or a pipe) or as JSON (--json). All of them reduce to
 * the same word sequence once list numbers, type tags and punctuation are
 * dropped: "slots" and pairs of slot numbers, then "nodes" and per node
 * "id" <id> ... "ip" <ip> ... "port" <port> ... "role" <master|replica>.
 * That sequence is what is read, so no layout detail matters. */
#include "analyze/slotmap.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void slotmap_free(slotmap *m)
{
    free(m->shards);
    free(m->ranges);
    memset(m, 0, sizeof *m);
}

static int add_shard(slotmap *m, const char *name)
{
    slotmap_shard *v = realloc(m->shards, (m->nshards + 1) * sizeof *v);
    if (!v) return -1;
    m->shards = v;
    slotmap_shard *s = &v[m->nshards++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->first_range = m->nranges;
    return 0;
}

/* to the last shard */
static int add_range(slotmap *m, unsigned first, unsigned last)
{
    slot_range *v = realloc(m->ranges, (m->nranges + 1) * sizeof *v);
    if (!v) return -1;
    m->ranges = v;
    v[m->nranges++] = (slot_range){first, last};
    m->shards[m->nshards - 1].nranges++;
    return 0;
}

int slotmap_even(slotmap *m, unsigned n)
{
    memset(m, 0, sizeof *m);
    if (n == 0 || n > SLOT_COUNT) return -1;
    /* redis-cli.c: float slots_per_node = CLUSTER_MANAGER_SLOTS / (float)
     * masters_count; float cursor; last = lround(cursor + slots_per_node - 1),
     * the last master up to 16383. In float, as there: the split of e.g. 7
     * or 100 masters depends on it. */
    float per = (float)SLOT_COUNT / (float)n, cursor = 0.0f;
    long first = 0;
    for (unsigned i = 0; i < n; i++) {
        float end = cursor + per - 1;
        long last = lround(end);
        if (last > (long)SLOT_COUNT || i == n - 1) last = SLOT_COUNT - 1;
        if (last < first) last = first;
        char name[32];
        snprintf(name, sizeof name, "shard %u", i + 1);
        if (add_shard(m, name) < 0 || add_range(m, (unsigned)first, (unsigned)last) < 0) {
            slotmap_free(m);
            return -1;
        }
        first = last + 1;
        cursor += per;
    }
    m->nodes = n;
    return 0;
}

/* ---- parsing ----------------------------------------------------------------- */

static void fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* "N" (digits only) as a slot number; *ok false when not a number at all */
static bool parse_slot(const char *s, size_t n, unsigned long *out)
{
    if (n == 0 || n > 9) return false;
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    *out = v;
    return true;
}

static bool is_hex_id(const char *s, size_t n)
{
    if (n != 40) return false;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i])) return false;
    return true;
}

typedef struct word {
    const char *p;
    size_t n;
    unsigned line;
    bool quoted;
} word;

/* Splits a line into whitespace-separated words (CLUSTER NODES). */
static size_t split_line(const char *p, size_t n, word *w, size_t cap, unsigned line)
{
    size_t k = 0, i = 0;
    while (i < n && k < cap) {
        while (i < n && isspace((unsigned char)p[i])) i++;
        size_t s = i;
        while (i < n && !isspace((unsigned char)p[i])) i++;
        if (i > s) w[k++] = (word){p + s, i - s, line, false};
    }
    return k;
}

#define NODE_FIELDS 8

static int parse_nodes_line(slotmap *m, const char *p, size_t n, unsigned line, char *err,
                            size_t errlen)
{
    word w[NODE_FIELDS];
    size_t k = split_line(p, n, w, NODE_FIELDS, line);
    if (k == 0 || w[0].p[0] == '#') return 0;
    if (w[0].n == 4 && memcmp(w[0].p, "vars", 4) == 0) return 0;   /* nodes.conf */
    if (k < NODE_FIELDS || !is_hex_id(w[0].p, w[0].n)) {
        fail(err, errlen, "line %u: not a CLUSTER NODES line (expected <40-hex id> <ip:port@cport> "
             "<flags> <master> <ping> <pong> <epoch> <link> <slots>...)", line);
        return -1;
    }
    m->nodes++;
    /* the slots follow the 8 fixed fields */
    const char *q = w[NODE_FIELDS - 1].p + w[NODE_FIELDS - 1].n;
    size_t rest = (size_t)(p + n - q);
    word sl[256];
    bool named = false;
    char name[96];
    size_t addr_len = 0;
    while (addr_len < w[1].n && w[1].p[addr_len] != '@' && w[1].p[addr_len] != ',') addr_len++;
    if (addr_len > 1 && !(addr_len == 2 && w[1].p[0] == ':'))
        snprintf(name, sizeof name, "%.*s", (int)addr_len, w[1].p);
    else
        snprintf(name, sizeof name, "%.40s", w[0].p);
    for (;;) {
        size_t ns = split_line(q, rest, sl, 256, line);
        if (ns == 0) break;
        for (size_t i = 0; i < ns; i++) {
            const char *s = sl[i].p;
            size_t sn = sl[i].n;
            if (s[0] == '[') continue;   /* migrating / importing: owner unchanged */
            const char *dash = memchr(s, '-', sn);
            unsigned long a, b;
            bool ok = dash ? parse_slot(s, (size_t)(dash - s), &a) &&
                             parse_slot(dash + 1, sn - (size_t)(dash - s) - 1, &b)
                           : parse_slot(s, sn, &a);
            if (!dash) b = a;
            if (!ok || a > b || b >= SLOT_COUNT) {
                fail(err, errlen, "line %u: '%.*s' is not a slot or slot range 0-16383", line,
                     (int)(sn > 40 ? 40 : sn), s);
                return -1;
            }
            if (!named) {
                if (add_shard(m, name) < 0) goto oom;
                named = true;
            }
            if (add_range(m, (unsigned)a, (unsigned)b) < 0) goto oom;
        }
        q = sl[ns - 1].p + sl[ns - 1].n;
        rest = (size_t)(p + n - q);
    }
    return 0;
oom:
    fail(err, errlen, "out of memory");
    return -1;
}

/* The CLUSTER SHARDS word sequence: drops list numbers "1)", map markers
 * "1#", "=>", type tags "(integer)", "(empty array)", and JSON punctuation. */
static bool next_word(const char *t, size_t len, size_t *pos, unsigned *line, word *out)
{
    size_t i = *pos;
    for (;;) {
        while (i < len && (isspace((unsigned char)t[i]) || strchr("[]{},:", t[i]) || t[i] == 0)) {
            if (t[i] == '\n') (*line)++;
            i++;
        }
        if (i >= len) { *pos = i; return false; }
        if (t[i] == '"') {
            size_t s = ++i;
            while (i < len && t[i] != '"' && t[i] != '\n') i += t[i] == '\\' && i + 1 < len ? 2 : 1;
            *out = (word){t + s, (i < len ? i : len) - s, *line, true};
            if (i < len && t[i] == '"') i++;
            *pos = i;
            return true;
        }
        size_t s = i;
        while (i < len && !isspace((unsigned char)t[i]) && !strchr("[]{},:\"", t[i]) && t[i] != 0) i++;
        size_t n = i - s;
        const char *w = t + s;
        bool numbered = n >= 2 && (w[n - 1] == ')' || w[n - 1] == '#');
        for (size_t j = 0; numbered && j + 1 < n; j++) numbered = isdigit((unsigned char)w[j]);
        bool tag = w[0] == '(' || (n > 1 && w[n - 1] == ')') || (n == 2 && w[0] == '=' && w[1] == '>');
        if (numbered || tag) continue;
        *out = (word){w, n, *line, false};
        *pos = i;
        return true;
    }
}

static bool word_is(const word *w, const char *s)
{
    size_t n = strlen(s);
    if (w->n != n) return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)w->p[i]) != s[i]) return false;
    return true;
}

static int parse_shards(slotmap *m, const char *t, size_t len, char *err, size_t errlen)
{
    size_t pos = 0;
    unsigned line = 1;
    word w;
    bool have = next_word(t, len, &pos, &line, &w);
    bool in_nodes = false, named = false;
    char id[96] = "", ip[64] = "", port[16] = "", endpoint[64] = "";
    size_t shard_no = 0;
    while (have) {
        if (word_is(&w, "slots")) {
            in_nodes = named = false;
            id[0] = ip[0] = port[0] = endpoint[0] = '\0';
            char name[32];
            snprintf(name, sizeof name, "shard %zu", ++shard_no);
            if (add_shard(m, name) < 0) goto oom;
            unsigned long v[2];
            unsigned nv = 0, at = w.line;
            while ((have = next_word(t, len, &pos, &line, &w)) && parse_slot(w.p, w.n, &v[nv])) {
                if (v[nv] >= SLOT_COUNT) {
                    fail(err, errlen, "line %u: slot %lu is past 16383", w.line, v[nv]);
                    return -1;
                }
                if (++nv == 2) {
                    if (v[0] > v[1]) {
                        fail(err, errlen, "line %u: slot range %lu-%lu runs backwards", w.line, v[0], v[1]);
                        return -1;
                    }
                    if (add_range(m, (unsigned)v[0], (unsigned)v[1]) < 0) goto oom;
                    nv = 0;
                }
            }
            if (nv) {
                fail(err, errlen, "line %u: 'slots' is followed by an odd number of slot numbers", at);
                return -1;
            }
            continue;
        }
        if (m->nshards == 0) {   /* nothing before the first "slots" is read */
            have = next_word(t, len, &pos, &line, &w);
            continue;
        }
        if (word_is(&w, "nodes")) in_nodes = true;
        else if (in_nodes) {
            char *dst = word_is(&w, "id") ? id : word_is(&w, "ip") ? ip : word_is(&w, "port") ? port
                      : word_is(&w, "endpoint") ? endpoint : NULL;
            bool role = word_is(&w, "role");
            if (dst || role) {
                if (word_is(&w, "id")) {   /* a new node */
                    ip[0] = port[0] = endpoint[0] = '\0';
                    m->nodes++;
                }
                if (!(have = next_word(t, len, &pos, &line, &w))) break;
                size_t cap = dst == id ? sizeof id : dst == port ? sizeof port : sizeof ip;
                if (dst) snprintf(dst, cap, "%.*s", (int)w.n, w.p);
                if (role && !named && (word_is(&w, "master") || word_is(&w, "primary"))) {
                    slotmap_shard *s = &m->shards[m->nshards - 1];
                    const char *host = endpoint[0] && strcmp(endpoint, "?") ? endpoint : ip;
                    if (host[0] && port[0]) snprintf(s->name, sizeof s->name, "%s:%s", host, port);
                    else if (id[0]) snprintf(s->name, sizeof s->name, "%s", id);
                    named = true;
                }
            }
        }
        have = next_word(t, len, &pos, &line, &w);
    }
    return 0;
oom:
    fail(err, errlen, "out of memory");
    return -1;
}

static int range_cmp(const void *x, const void *y)
{
    const slot_range *a = x, *b = y;
    return a->first < b->first ? -1 : a->first > b->first;
}

/* Drops shards without slots, sorts each shard's ranges and the shards by
 * their first slot, and refuses a slot claimed twice. */
static int finish(slotmap *m, char *err, size_t errlen)
{
    size_t k = 0;
    for (size_t i = 0; i < m->nshards; i++)
        if (m->shards[i].nranges) m->shards[k++] = m->shards[i];
    m->nshards = k;
    if (m->nodes < k) m->nodes = k;
    if (k == 0) {
        fail(err, errlen, "no slot ranges found: expected the output of CLUSTER SHARDS or CLUSTER NODES");
        return -1;
    }
    for (size_t i = 0; i < k; i++)
        qsort(m->ranges + m->shards[i].first_range, m->shards[i].nranges, sizeof *m->ranges, range_cmp);
    int16_t *owner = malloc(SLOT_COUNT * sizeof *owner);
    if (!owner) {
        fail(err, errlen, "out of memory");
        return -1;
    }
    for (unsigned s = 0; s < SLOT_COUNT; s++) owner[s] = -1;
    for (size_t i = 0; i < k; i++) {
        const slotmap_shard *sh = &m->shards[i];
        for (size_t r = 0; r < sh->nranges; r++) {
            const slot_range *g = &m->ranges[sh->first_range + r];
            for (unsigned s = g->first; s <= g->last; s++) {
                if (owner[s] >= 0) {
                    fail(err, errlen, "slot %u is claimed by two shards (%s and %s)", s,
                         m->shards[owner[s]].name, sh->name);
                    free(owner);
                    return -1;
                }
                owner[s] = (int16_t)i;
            }
        }
    }
    free(owner);
    /* shards by first slot (ranges stay where they are) */
    for (size_t i = 1; i < k; i++) {
        slotmap_shard x = m->shards[i];
        size_t j = i;
        while (j > 0 && m->ranges[m->shards[j - 1].first_range].first > m->ranges[x.first_range].first) {
            m->shards[j] = m->shards[j - 1];
            j--;
        }
        m->shards[j] = x;
    }
    return 0;
}

int slotmap_parse(slotmap *m, const char *text, size_t len, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    /* CLUSTER NODES when the first word of the first line that has one
     * (not a '#' comment) is a 40-hex node id (or nodes.conf's "vars") */
    size_t i = 0;
    for (;;) {   /* past blank and '#' comment lines */
        while (i < len && isspace((unsigned char)text[i])) i++;
        if (i >= len || text[i] != '#') break;
        while (i < len && text[i] != '\n') i++;
    }
    size_t e = i;
    while (e < len && !isspace((unsigned char)text[e])) e++;
    bool nodes = is_hex_id(text + i, e - i) || (e - i == 4 && memcmp(text + i, "vars", 4) == 0);
    int rc = 0;
    if (nodes) {
        unsigned line = 1;
        for (size_t s = 0; s < len && rc == 0; line++) {
            const char *nl = memchr(text + s, '\n', len - s);
            size_t n = nl ? (size_t)(nl - (text + s)) : len - s;
            rc = parse_nodes_line(m, text + s, n, line, err, errlen);
            s += n + 1;
        }
    } else {
        rc = parse_shards(m, text, len, err, errlen);
    }
    if (rc == 0) rc = finish(m, err, errlen);
    if (rc != 0) slotmap_free(m);
    return rc;
}
