/* inspect_limits.c: a hash's, set's or sorted set's compact-encoding limits
 * on the target server, and what changing one would make of the key.
 *
 * A what-if is the memory model itself, created with the target's profile
 * and --config plus one changed setting, and fed the same key events as
 * the model that sized the key. It runs beside the key's parse, so it must
 * be set up before the key's size is known: a limit is raised to 2^40 (far
 * above any key) or lowered to 0. For one key that is the same as setting it
 * to exactly the key's count or longest element (or one below): the loaders
 * compare each limit with one number of the key (rdb.c rdbLoadObject,
 * t_hash.c / t_set.c / t_zset.c conversions), and a compact blob's size does
 * not depend on the limit. Only the entries limits are lowered: a packed blob
 * in the dump is converted on its count alone (model_blob_kept), so a lower
 * value limit changes nothing of most compact keys after a restart. */
#include <stdio.h>
#include <string.h>

#include "analyze/inspect_int.h"

#define FAR_ABOVE "1099511627776"   /* 2^40 */

const char *inspect_dir_name(inspect_dir d, bool ziplist)
{
    switch (d) {
    case DIR_HASH_ENTRIES: return ziplist ? "hash-max-ziplist-entries" : "hash-max-listpack-entries";
    case DIR_HASH_VALUE: return ziplist ? "hash-max-ziplist-value" : "hash-max-listpack-value";
    case DIR_ZSET_ENTRIES: return ziplist ? "zset-max-ziplist-entries" : "zset-max-listpack-entries";
    case DIR_ZSET_VALUE: return ziplist ? "zset-max-ziplist-value" : "zset-max-listpack-value";
    case DIR_SET_INTSET: return "set-max-intset-entries";
    case DIR_SET_LP_ENTRIES: return "set-max-listpack-entries";
    case DIR_SET_LP_VALUE: return "set-max-listpack-value";
    }
    return "?";
}

/* The settings of a what-if, as model_config_set takes them. */
static void whatif_settings(whatif_kind kind, rdb_kind type, const char *set[2][2])
{
    bool hash = type == RDB_KIND_HASH;
    memset(set, 0, 4 * sizeof(const char *));
    switch (kind) {
    case WI_RAISE:
        set[0][0] = hash ? "hash-max-listpack-entries" : "zset-max-listpack-entries";
        set[1][0] = hash ? "hash-max-listpack-value" : "zset-max-listpack-value";
        set[0][1] = set[1][1] = FAR_ABOVE;
        break;
    case WI_LOWER:
        set[0][0] = hash ? "hash-max-listpack-entries" : "zset-max-listpack-entries";
        set[0][1] = "0";
        break;
    case WI_RAISE_INTSET: set[0][0] = "set-max-intset-entries"; set[0][1] = FAR_ABOVE; break;
    case WI_LOWER_INTSET: set[0][0] = "set-max-intset-entries"; set[0][1] = "0"; break;
    case WI_RAISE_LP:
        set[0][0] = "set-max-listpack-entries";
        set[1][0] = "set-max-listpack-value";
        set[0][1] = set[1][1] = FAR_ABOVE;
        break;
    case WI_LOWER_LP: set[0][0] = "set-max-listpack-entries"; set[0][1] = "0"; break;
    }
}

static int add_run(whatif_set *w, const inspect_target *t, whatif_kind kind, const rdb_key *k)
{
    model_config cfg = t->cfg;
    const char *set[2][2];
    char err[128];
    whatif_settings(kind, k->kind, set);
    for (int i = 0; i < 2; i++)
        if (set[i][0] && model_config_set(&cfg, set[i][0], set[i][1], err, sizeof err) < 0) return -1;
    whatif_run *r = &w->run[w->n];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->m = model_new(t->p, &cfg);
    if (!r->m) return -1;
    if (t->now_ms >= 0) model_set_reference_time_ms(r->m, t->now_ms);
    w->n++;
    int rc = model_on_key_begin(r->m, k);
    if (rc < 0) return -1;
    r->skip = rc == RDB_SKIP;
    return 0;
}

int whatif_begin(whatif_set *w, const inspect_target *t, const rdb_key *k)
{
    memset(w, 0, sizeof *w);
    if (!t->set) return 0;
    switch (k->kind) {
    case RDB_KIND_HASH: case RDB_KIND_ZSET:
        if (add_run(w, t, WI_RAISE, k) < 0 || add_run(w, t, WI_LOWER, k) < 0) return -1;
        return 0;
    case RDB_KIND_SET:
        if (add_run(w, t, WI_RAISE_INTSET, k) < 0 || add_run(w, t, WI_LOWER_INTSET, k) < 0) return -1;
        if (t->p->set_listpack &&
            (add_run(w, t, WI_RAISE_LP, k) < 0 || add_run(w, t, WI_LOWER_LP, k) < 0))
            return -1;
        return 0;
    default:
        return 0;
    }
}

void whatif_entry(whatif_set *w, const rdb_key *k, const rdb_entry *e)
{
    for (unsigned i = 0; i < w->n; i++)
        if (!w->run[i].skip) model_on_entry(w->run[i].m, k, e);
}

void whatif_container(whatif_set *w, const rdb_key *k, const rdb_container *c)
{
    for (unsigned i = 0; i < w->n; i++) model_on_container(w->run[i].m, k, c);
}

void whatif_end(whatif_set *w, const rdb_key *k, const rdb_key_end *end)
{
    for (unsigned i = 0; i < w->n; i++) {
        whatif_run *r = &w->run[i];
        memset(&r->rec, 0, sizeof r->rec);
        model_key_end(r->m, k, end, &r->rec);
        r->rec.key = NULL;   /* the name is the caller's; nothing here keeps it */
        r->done = true;
    }
}

void whatif_free(whatif_set *w)
{
    for (unsigned i = 0; i < w->n; i++) model_free(w->run[i].m);
    memset(w, 0, sizeof *w);
}

static const whatif_run *find_run(const whatif_set *w, whatif_kind kind)
{
    for (unsigned i = 0; i < w->n; i++)
        if (w->run[i].kind == kind && w->run[i].done && w->run[i].rec.encoding) return &w->run[i];
    return NULL;
}

static void add_limit(inspect_limits *o, inspect_dir d, uint64_t limit, uint64_t key)
{
    o->limit[o->nlimit++] = (inspect_limit){d, limit, key};
}

/* Records a what-if when the run exists and its encoding differs from the
 * key's: setting the n changes given would load it that way. */
static void add_whatif(inspect_limits *o, const whatif_set *w, whatif_kind kind, const char *encoding,
                       const inspect_change *ch, unsigned n)
{
    const whatif_run *r = find_run(w, kind);
    if (!r || n == 0 || !encoding || !strcmp(r->rec.encoding, encoding)) return;
    inspect_whatif *x = &o->whatif[o->nwhatif++];
    memset(x, 0, sizeof *x);
    for (unsigned i = 0; i < n; i++) x->change[i] = ch[i];
    x->nchange = n;
    x->encoding = r->rec.encoding;
    x->bytes = r->rec.bytes;
}

/* The raising what-if of an entries / value pair of limits: each limit the
 * key is over goes up to the key's number. */
static void raise_pair(inspect_limits *o, const whatif_set *w, whatif_kind kind, const char *encoding,
                       inspect_dir de, uint64_t le, uint64_t n, inspect_dir dv, uint64_t lv,
                       uint64_t maxlen)
{
    inspect_change ch[2];
    unsigned k = 0;
    if (n > le) ch[k++] = (inspect_change){de, le, n};
    if (maxlen > lv) ch[k++] = (inspect_change){dv, lv, maxlen};
    add_whatif(o, w, kind, encoding, ch, k);
}

static bool compact(const char *encoding)
{
    return encoding && strcmp(encoding, "hashtable") && strcmp(encoding, "skiplist");
}

void whatif_finish(const whatif_set *w, const inspect_target *t, rdb_kind kind,
                   const char *encoding, uint64_t n, uint64_t maxlen, bool all_int,
                   inspect_limits *out)
{
    const enc_limits *l = &t->lim;
    memset(out, 0, sizeof *out);
    out->ziplist = l->ziplist;
    out->all_int = all_int;
    switch (kind) {
    case RDB_KIND_HASH: case RDB_KIND_ZSET: {
        bool hash = kind == RDB_KIND_HASH;
        inspect_dir de = hash ? DIR_HASH_ENTRIES : DIR_ZSET_ENTRIES;
        inspect_dir dv = hash ? DIR_HASH_VALUE : DIR_ZSET_VALUE;
        uint64_t le = hash ? l->hash_entries : l->zset_entries;
        uint64_t lv = hash ? l->hash_value : l->zset_value;
        add_limit(out, de, le, n);
        add_limit(out, dv, lv, maxlen);
        if (compact(encoding)) {
            if (n > 0 && n - 1 < le) {
                inspect_change ch = {de, le, n - 1};
                add_whatif(out, w, WI_LOWER, encoding, &ch, 1);
            }
        } else {
            raise_pair(out, w, WI_RAISE, encoding, de, le, n, dv, lv, maxlen);
        }
        break;
    }
    case RDB_KIND_SET: {
        bool lp = t->p->set_listpack;
        add_limit(out, DIR_SET_INTSET, l->set_intset, n);
        if (lp) {
            add_limit(out, DIR_SET_LP_ENTRIES, l->set_lp_entries, n);
            add_limit(out, DIR_SET_LP_VALUE, l->set_lp_value, maxlen);
        }
        if (!encoding) break;
        if (!strcmp(encoding, "intset")) {
            if (n > 0 && n - 1 < l->set_intset) {
                inspect_change ch = {DIR_SET_INTSET, l->set_intset, n - 1};
                add_whatif(out, w, WI_LOWER_INTSET, encoding, &ch, 1);
            }
            break;
        }
        if (all_int && n > l->set_intset) {
            inspect_change ch = {DIR_SET_INTSET, l->set_intset, n};
            add_whatif(out, w, WI_RAISE_INTSET, encoding, &ch, 1);
        }
        if (lp && !strcmp(encoding, "listpack") && n > 0 && n - 1 < l->set_lp_entries) {
            inspect_change ch = {DIR_SET_LP_ENTRIES, l->set_lp_entries, n - 1};
            add_whatif(out, w, WI_LOWER_LP, encoding, &ch, 1);
        } else if (lp && !strcmp(encoding, "hashtable")) {
            raise_pair(out, w, WI_RAISE_LP, encoding, DIR_SET_LP_ENTRIES, l->set_lp_entries, n,
                       DIR_SET_LP_VALUE, l->set_lp_value, maxlen);
        }
        break;
    }
    default:
        break;
    }
}
