/* inspect.c: the key-event consumer of inspect.h.
 *
 * One key is inspected at a time (the parser delivers keys one after the
 * other): its accumulators live in 'cur' from on_key_begin to the record
 * that follows on_key_end, and then move into a result. A stream entry's
 * size is known only when its last field has gone by, so an entry is
 * completed by the next entry, its node's container event or the stream's
 * metadata, whichever comes first. */
#include <stdlib.h>
#include <string.h>

#include "analyze/inspect_int.h"
#include "rdb/numtext.h"

typedef struct wanted {
    uint8_t *name;
    size_t len;
    bool found;
} wanted;

typedef struct cur_key {
    bool active;
    size_t want;
    rdb_kind kind;
    uint64_t seq;                /* elements seen: a list element's index */
    uint64_t loaded;             /* elements a load keeps */
    inspect_top top;
    inspect_hist hist;
    uint64_t max_member, max_value;
    bool all_int;
    bool str_compressed;
    uint64_t ttl_fields, ttl_expired;
    int64_t ttl_min, ttl_max;
    /* streams */
    bool in_entry, entry_deleted;
    inspect_elem entry;
    uint64_t live_entries, entries_seen;
    inspect_stream st;
    uint8_t *group;              /* the current group's name (head), for its consumers */
    size_t group_len, group_cap;
    uint64_t group_full;
    uint64_t group_seq, consumer_seq;
    whatif_set wi;
    bool have_end;
    rdb_key_end end;
} cur_key;

struct inspect {
    wanted *keys;
    size_t nkeys, kcap;
    const wanted **by_name;      /* the keys sorted by (length, bytes) */
    bool sorted;
    bool has_db;
    uint64_t db;
    inspect_target target;
    cur_key cur;
    inspect_result *res;
    size_t nres, rcap;
    bool failed;
};

inspect *inspect_new(void)
{
    return calloc(1, sizeof(inspect));
}

static void result_free(inspect_result *r)
{
    inspect_top_free(&r->top);
    inspect_top_free(&r->stream.top_groups);
    inspect_top_free(&r->stream.top_consumers);
}

static void cur_reset(cur_key *c)
{
    inspect_top_free(&c->top);
    inspect_top_free(&c->st.top_groups);
    inspect_top_free(&c->st.top_consumers);
    whatif_free(&c->wi);
    uint8_t *g = c->group;
    size_t gc = c->group_cap;
    memset(c, 0, sizeof *c);
    c->group = g;          /* kept for the next stream */
    c->group_cap = gc;
}

void inspect_free(inspect *ins)
{
    if (!ins) return;
    cur_reset(&ins->cur);
    free(ins->cur.group);
    for (size_t i = 0; i < ins->nres; i++) result_free(&ins->res[i]);
    free(ins->res);
    for (size_t i = 0; i < ins->nkeys; i++) free(ins->keys[i].name);
    free(ins->keys);
    free(ins->by_name);
    free(ins);
}

static int name_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    if (alen != blen) return alen < blen ? -1 : 1;
    return alen ? memcmp(a, b, alen) : 0;
}

int inspect_add_key(inspect *ins, const uint8_t *name, size_t len)
{
    for (size_t i = 0; i < ins->nkeys; i++)
        if (!name_cmp(ins->keys[i].name, ins->keys[i].len, name, len)) return 0;
    if (ins->nkeys == ins->kcap) {
        size_t cap = ins->kcap ? ins->kcap * 2 : 8;
        wanted *k = realloc(ins->keys, cap * sizeof *k);
        if (!k) return -1;
        ins->keys = k;
        ins->kcap = cap;
    }
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) return -1;
    if (len) memcpy(copy, name, len);
    ins->keys[ins->nkeys++] = (wanted){copy, len, false};
    ins->sorted = false;
    return 0;
}

void inspect_set_db(inspect *ins, uint64_t db)
{
    ins->has_db = true;
    ins->db = db;
}

int inspect_set_target(inspect *ins, const model_profile *p, const model_config *cfg, int64_t now_ms)
{
    inspect_target *t = &ins->target;
    memset(t, 0, sizeof *t);
    if (!p) return 0;
    if (cfg) t->cfg = *cfg;
    model *m = model_new(p, &t->cfg);
    if (!m) {
        ins->failed = true;
        return -1;
    }
    model_enc_limits(m, &t->lim);
    t->p = p;
    model_free(m);
    t->now_ms = now_ms;
    t->set = true;
    return 0;
}

/* ---- finding a key ---------------------------------------------------------- */

static int by_name_cmp(const void *a, const void *b)
{
    const wanted *x = *(const wanted *const *)a, *y = *(const wanted *const *)b;
    return name_cmp(x->name, x->len, y->name, y->len);
}

/* Built at the first key, after the arguments are in (the pointers are
 * into 'keys', which no longer moves then). */
static int sort_keys(inspect *ins)
{
    free(ins->by_name);
    ins->by_name = malloc((ins->nkeys ? ins->nkeys : 1) * sizeof *ins->by_name);
    if (!ins->by_name) return -1;
    for (size_t i = 0; i < ins->nkeys; i++) ins->by_name[i] = &ins->keys[i];
    qsort(ins->by_name, ins->nkeys, sizeof *ins->by_name, by_name_cmp);
    ins->sorted = true;
    return 0;
}

/* Index of the wanted key named so, or -1. */
static long find_key(const inspect *ins, const uint8_t *name, size_t len)
{
    size_t lo = 0, hi = ins->nkeys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const wanted *w = ins->by_name[mid];
        int c = name_cmp(w->name, w->len, name, len);
        if (c == 0) return (long)(w - ins->keys);
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return -1;
}

/* ---- key events ------------------------------------------------------------- */

static int fail(inspect *ins)
{
    ins->failed = true;
    return -1;
}

static int on_key_begin(void *ctx, const rdb_key *k)
{
    inspect *ins = ctx;
    if (ins->has_db && k->db != ins->db) return RDB_SKIP;
    if (!ins->sorted && sort_keys(ins) < 0) return fail(ins);
    long i = find_key(ins, k->name, k->name_len);
    if (i < 0) return RDB_SKIP;
    cur_key *c = &ins->cur;
    cur_reset(c);
    c->active = true;
    c->want = (size_t)i;
    c->kind = k->kind;
    c->all_int = true;
    if (inspect_top_init(&c->top, INSPECT_TOP) < 0) return fail(ins);
    if (k->kind == RDB_KIND_STREAM &&
        (inspect_top_init(&c->st.top_groups, INSPECT_TOP) < 0 ||
         inspect_top_init(&c->st.top_consumers, INSPECT_TOP) < 0))
        return fail(ins);
    if (whatif_begin(&c->wi, &ins->target, k) < 0) return fail(ins);
    /* a string's length and storage are all inspect shows of it */
    return k->kind == RDB_KIND_STRING ? RDB_NO_CONTENT : RDB_CONTINUE;
}

static int on_string(void *ctx, const rdb_key *k, const rdb_string_chunk *ch)
{
    inspect *ins = ctx;
    (void)k;
    if (ins->cur.active && ch->offset == 0) ins->cur.str_compressed = ch->compressed;
    return RDB_CONTINUE;
}

/* An element's name: its bytes, or the decimal text of an integer. */
static const uint8_t *item_bytes(const rdb_item *it, char buf[24], uint64_t *len)
{
    if (it->is_int) {
        *len = rdb_int_to_text(it->ival, buf);
        return (const uint8_t *)buf;
    }
    *len = it->len;
    return it->ptr;
}

static int offer(inspect *ins, const inspect_elem *e, const rdb_item *name)
{
    char buf[24];
    uint64_t len = 0;
    const uint8_t *p = name ? item_bytes(name, buf, &len) : NULL;
    return inspect_top_offer(&ins->cur.top, e, p, len, NULL, 0) < 0 ? fail(ins) : RDB_CONTINUE;
}

static bool is_integer(const rdb_item *it)
{
    int64_t v;
    return it->is_int || (it->ptr && rdb_text_to_int(it->ptr, it->len, &v));
}

/* Completes the stream entry being read, if any. */
static int end_entry(inspect *ins)
{
    cur_key *c = &ins->cur;
    if (!c->in_entry) return 0;
    c->in_entry = false;
    if (c->entry_deleted) return 0;
    inspect_hist_add(&c->hist, c->entry.size);
    return offer(ins, &c->entry, NULL) < 0 ? -1 : 0;
}

static int on_entry(void *ctx, const rdb_key *k, const rdb_entry *e)
{
    inspect *ins = ctx;
    cur_key *c = &ins->cur;
    if (!c->active) return RDB_CONTINUE;
    whatif_entry(&c->wi, k, e);
    if (k->kind == RDB_KIND_STREAM) {   /* a field of the current entry */
        c->entry.size += e->member.len + e->value.len;
        return RDB_CONTINUE;
    }
    inspect_elem el = {.size = e->member.len, .seq = c->seq++};
    switch (k->kind) {
    case RDB_KIND_HASH:
        if (e->has_ttl) {
            if (!c->ttl_fields || e->ttl_ms < c->ttl_min) c->ttl_min = e->ttl_ms;
            if (!c->ttl_fields || e->ttl_ms > c->ttl_max) c->ttl_max = e->ttl_ms;
            c->ttl_fields++;
            /* a field already expired is not loaded (7.4+ rdb.c) */
            if (ins->target.now_ms >= 0 && e->ttl_ms <= ins->target.now_ms) {
                c->ttl_expired++;
                return RDB_CONTINUE;
            }
        }
        if (e->member.len > c->max_member) c->max_member = e->member.len;
        if (e->value.len > c->max_value) c->max_value = e->value.len;
        el.size = e->member.len + e->value.len;
        el.u.hash.field_bytes = e->member.len;
        el.u.hash.value_bytes = e->value.len;
        break;
    case RDB_KIND_ZSET:
        el.u.score = e->score;
        if (e->member.len > c->max_member) c->max_member = e->member.len;
        break;
    case RDB_KIND_SET:
        if (c->all_int && !is_integer(&e->member)) c->all_int = false;
        if (e->member.len > c->max_member) c->max_member = e->member.len;
        break;
    case RDB_KIND_ARRAY:
        el.seq = e->index;   /* shown as the element's index; ascending in the file */
        if (e->member.len > c->max_member) c->max_member = e->member.len;
        break;
    default:
        if (e->member.len > c->max_member) c->max_member = e->member.len;
        break;
    }
    c->loaded++;
    inspect_hist_add(&c->hist, el.size);
    return offer(ins, &el, &e->member);
}

static int on_container(void *ctx, const rdb_key *k, const rdb_container *ct)
{
    inspect *ins = ctx;
    cur_key *c = &ins->cur;
    if (!c->active) return RDB_CONTINUE;
    if (ct->kind == RDB_CT_STREAM_NODE) {
        c->st.nodes++;
        return end_entry(ins) < 0 ? -1 : RDB_CONTINUE;
    }
    whatif_container(&c->wi, k, ct);
    return RDB_CONTINUE;
}

static int on_stream_entry(void *ctx, const rdb_key *k, const rdb_stream_entry *se)
{
    inspect *ins = ctx;
    cur_key *c = &ins->cur;
    (void)k;
    if (!c->active) return RDB_CONTINUE;
    if (end_entry(ins) < 0) return -1;
    c->in_entry = true;
    c->entry_deleted = se->deleted;
    memset(&c->entry, 0, sizeof c->entry);
    c->entry.seq = c->entries_seen++;
    c->entry.u.entry.id = se->id;
    c->entry.u.entry.fields = se->num_fields;
    if (se->deleted) c->st.deleted++;
    else c->live_entries++;
    return RDB_CONTINUE;
}

static int on_stream_meta(void *ctx, const rdb_key *k, const rdb_stream_meta *m)
{
    inspect *ins = ctx;
    cur_key *c = &ins->cur;
    (void)k;
    if (!c->active) return RDB_CONTINUE;
    if (end_entry(ins) < 0) return -1;
    c->st.length = m->length;
    c->st.first_id = m->first_id;
    c->st.last_id = m->last_id;
    c->st.max_deleted_id = m->max_deleted_id;
    c->st.has_v2 = m->has_v2_fields;
    c->st.entries_added = m->entries_added;
    return RDB_CONTINUE;
}

static int on_stream_pel(void *ctx, const rdb_key *k, const rdb_stream_pel *p)
{
    inspect *ins = ctx;
    inspect_stream *s = &ins->cur.st;
    (void)k;
    if (!ins->cur.active) return RDB_CONTINUE;
    if (!s->has_pending_times || p->delivery_time_ms < s->oldest_delivery_ms)
        s->oldest_delivery_ms = p->delivery_time_ms;
    if (!s->has_pending_times || p->delivery_time_ms > s->newest_delivery_ms)
        s->newest_delivery_ms = p->delivery_time_ms;
    s->has_pending_times = true;
    if (p->delivery_count > s->max_delivery_count) s->max_delivery_count = p->delivery_count;
    return RDB_CONTINUE;
}

static int on_stream_group(void *ctx, const rdb_key *k, const rdb_stream_group *g)
{
    inspect *ins = ctx;
    cur_key *c = &ins->cur;
    (void)k;
    if (!c->active) return RDB_CONTINUE;
    c->st.groups++;
    c->st.pending += g->pel_count;
    inspect_elem e = {.size = g->pel_count, .seq = c->group_seq++};
    e.u.group.last_id = g->last_id;
    /* -1 (SCG_INVALID_ENTRIES_READ, t_stream.c) is "not known": XINFO shows nil */
    e.u.group.has_entries_read = g->has_entries_read && g->entries_read != UINT64_MAX;
    e.u.group.entries_read = g->entries_read;
    e.u.group.consumers = g->consumers;
    if (inspect_top_offer(&c->st.top_groups, &e, g->name.ptr, g->name.len, NULL, 0) < 0) return fail(ins);
    /* its consumers follow: keep the head of its name for them */
    size_t keep = g->name.len < INSPECT_KEEP ? g->name.len : INSPECT_KEEP;
    if (keep > c->group_cap) {
        uint8_t *nb = realloc(c->group, keep);
        if (!nb) return fail(ins);
        c->group = nb;
        c->group_cap = keep;
    }
    if (keep) memcpy(c->group, g->name.ptr, keep);
    c->group_len = keep;
    c->group_full = g->name.len;
    return RDB_CONTINUE;
}

static int on_stream_consumer(void *ctx, const rdb_key *k, const rdb_stream_consumer *sc)
{
    inspect *ins = ctx;
    cur_key *c = &ins->cur;
    (void)k;
    if (!c->active) return RDB_CONTINUE;
    c->st.consumers++;
    c->st.consumer_pending += sc->pel_count;
    inspect_elem e = {.size = sc->pel_count, .seq = c->consumer_seq++};
    e.u.consumer.seen_ms = sc->seen_time_ms;
    e.u.consumer.has_active = sc->has_active_time;
    e.u.consumer.active_ms = sc->active_time_ms;
    /* the group's head was kept, at most INSPECT_KEEP bytes, all the offer copies */
    if (inspect_top_offer(&c->st.top_consumers, &e, sc->name.ptr, sc->name.len, c->group,
                          c->group_full) < 0)
        return fail(ins);
    return RDB_CONTINUE;
}

static int on_key_end(void *ctx, const rdb_key *k, const rdb_key_end *end)
{
    inspect *ins = ctx;
    cur_key *c = &ins->cur;
    if (!c->active) return RDB_CONTINUE;
    if (end_entry(ins) < 0) return -1;
    whatif_end(&c->wi, k, end);
    c->end = *end;
    c->have_end = true;
    return RDB_CONTINUE;
}

static const rdb_handlers HANDLERS = {
    .on_key_begin = on_key_begin, .on_string = on_string, .on_container = on_container,
    .on_entry = on_entry, .on_stream_entry = on_stream_entry, .on_stream_meta = on_stream_meta,
    .on_stream_group = on_stream_group, .on_stream_pel = on_stream_pel,
    .on_stream_consumer = on_stream_consumer, .on_key_end = on_key_end,
};

const rdb_handlers *inspect_handlers(void)
{
    return &HANDLERS;
}

/* ---- results ---------------------------------------------------------------- */

int inspect_on_record(inspect *ins, const key_record *r)
{
    cur_key *c = &ins->cur;
    if (!c->active || !c->have_end) return 0;
    if (ins->nres == ins->rcap) {
        size_t cap = ins->rcap ? ins->rcap * 2 : 4;
        inspect_result *n = realloc(ins->res, cap * sizeof *n);
        if (!n) return fail(ins);
        ins->res = n;
        ins->rcap = cap;
    }
    wanted *w = &ins->keys[c->want];
    w->found = true;
    inspect_result *x = &ins->res[ins->nres++];
    memset(x, 0, sizeof *x);
    x->arg = c->want;
    x->rec = *r;
    x->rec.key = w->name;
    x->rec.key_len = w->len;
    x->rec.module_name = NULL;
    if (r->module_name) {
        strncpy(x->module, r->module_name, sizeof x->module - 1);
        x->rec.module_name = x->module;
    }
    x->stored_bytes = c->end.value_bytes;
    x->str_compressed = c->str_compressed;
    x->loaded = c->kind == RDB_KIND_STREAM ? c->live_entries : c->loaded;
    x->top_of = x->loaded;
    x->max_member = c->max_member;
    x->max_value = c->max_value;
    x->hist = c->hist;
    x->top = c->top;
    inspect_top_sort(&x->top);
    memset(&c->top, 0, sizeof c->top);
    x->ttl_fields = c->ttl_fields;
    x->ttl_fields_expired = c->ttl_expired;
    x->ttl_fields_min_ms = c->ttl_min;
    x->ttl_fields_max_ms = c->ttl_max;
    if (c->kind == RDB_KIND_STREAM) {
        x->has_stream = true;
        x->stream = c->st;
        inspect_top_sort(&x->stream.top_groups);
        inspect_top_sort(&x->stream.top_consumers);
        memset(&c->st, 0, sizeof c->st);
    }
    if (c->kind == RDB_KIND_HASH || c->kind == RDB_KIND_SET || c->kind == RDB_KIND_ZSET) {
        uint64_t maxlen = c->kind == RDB_KIND_HASH && c->max_value > c->max_member ? c->max_value
                                                                                 : c->max_member;
        x->has_limits = ins->target.set;
        if (x->has_limits)
            whatif_finish(&c->wi, &ins->target, c->kind, r->encoding, c->loaded, maxlen, c->all_int,
                          &x->limits);
        x->limits.all_int = c->all_int;
    }
    cur_reset(c);
    return 0;
}

static int by_arg(const void *a, const void *b)
{
    const inspect_result *x = a, *y = b;
    if (x->arg != y->arg) return x->arg < y->arg ? -1 : 1;
    return x->rec.offset < y->rec.offset ? -1 : x->rec.offset > y->rec.offset;
}

void inspect_finish(inspect *ins)
{
    if (ins->nres > 1) qsort(ins->res, ins->nres, sizeof *ins->res, by_arg);
}

size_t inspect_count(const inspect *ins)
{
    return ins->nres;
}

const inspect_result *inspect_at(const inspect *ins, size_t i)
{
    return i < ins->nres ? &ins->res[i] : NULL;
}

size_t inspect_keys(const inspect *ins)
{
    return ins->nkeys;
}

void inspect_key(const inspect *ins, size_t arg, const uint8_t **name, size_t *len, bool *found)
{
    const wanted *w = &ins->keys[arg];
    *name = w->name;
    *len = w->len;
    *found = w->found;
}

bool inspect_failed(const inspect *ins)
{
    return ins->failed;
}
