/* test_inspect.c: `rdblens inspect`'s analysis (analyze/inspect*.c): the
 * bounded largest-N heap against a full stable sort, the log2 histogram's
 * buckets, the consumer on hand-made key events (what it keeps, what it
 * skips, streams), the KEY printable form (cli/keyarg.c), and a run through
 * the pipeline on the sample dump. The largest elements against a real
 * server are checked by tests/scripts/inspect_live.sh, the what-ifs against
 * reloaded servers by tests/scripts/inspect_whatif.py. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/inspect.h"
#include "cli/keyarg.h"
#include "cli/pipeline.h"

#define FIXTURES "tests/fixtures"

/* ---- the heap ------------------------------------------------------------- */

typedef struct ref { uint64_t size, seq; } ref;

static int ref_desc(const void *a, const void *b)
{
    const ref *x = a, *y = b;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* The heap keeps exactly the first N of a stable descending sort, for many
 * sizes with many ties, whatever the order of arrival. */
Test(inspect_top, equals_stable_sort)
{
    for (uint64_t seed = 1; seed <= 20; seed++) {
        size_t n = 50 + (size_t)(seed * 97 % 3000);
        ref *all = malloc(n * sizeof *all);
        inspect_top t;
        cr_assert_eq(inspect_top_init(&t, INSPECT_TOP), 0);
        uint64_t s = seed;
        for (size_t i = 0; i < n; i++) {
            all[i] = (ref){lcg(&s) % (seed % 3 == 0 ? 8 : 5000), i};
            inspect_elem e = {.size = all[i].size, .seq = i};
            char name[32];
            int len = snprintf(name, sizeof name, "e%zu", i);
            cr_assert_geq(inspect_top_offer(&t, &e, (const uint8_t *)name, (uint64_t)len, NULL, 0), 0);
        }
        qsort(all, n, sizeof *all, ref_desc);
        inspect_top_sort(&t);
        cr_assert_eq(t.n, INSPECT_TOP);
        for (size_t i = 0; i < t.n; i++) {
            cr_assert_eq(t.v[i].size, all[i].size, "seed %llu rank %zu", (unsigned long long)seed, i);
            cr_assert_eq(t.v[i].seq, all[i].seq, "seed %llu rank %zu", (unsigned long long)seed, i);
            char name[32];
            int len = snprintf(name, sizeof name, "e%llu", (unsigned long long)all[i].seq);
            cr_assert_eq(t.v[i].name_len, (size_t)len);
            cr_assert_eq(memcmp(t.v[i].name, name, (size_t)len), 0);
        }
        inspect_top_free(&t);
        free(all);
    }
}

Test(inspect_top, fewer_than_cap_and_cap_zero)
{
    inspect_top t;
    cr_assert_eq(inspect_top_init(&t, INSPECT_TOP), 0);
    uint64_t sizes[] = {5, 9, 1, 9, 0};
    for (size_t i = 0; i < 5; i++) {
        inspect_elem e = {.size = sizes[i], .seq = i};
        cr_assert_eq(inspect_top_offer(&t, &e, NULL, 0, NULL, 0), 1);
    }
    inspect_top_sort(&t);
    uint64_t want_seq[] = {1, 3, 0, 2, 4};
    cr_assert_eq(t.n, 5);
    for (size_t i = 0; i < 5; i++) cr_assert_eq(t.v[i].seq, want_seq[i]);
    /* sorted: no more offers */
    inspect_elem big = {.size = 100, .seq = 9};
    cr_assert_eq(inspect_top_offer(&t, &big, NULL, 0, NULL, 0), 0);
    inspect_top_free(&t);

    cr_assert_eq(inspect_top_init(&t, 0), 0);
    cr_assert_eq(inspect_top_offer(&t, &big, NULL, 0, NULL, 0), 0);
    cr_assert_eq(t.n, 0);
    inspect_top_free(&t);
}

/* A name is kept to INSPECT_KEEP bytes with its whole length beside it; a
 * slot refilled with a shorter name reuses its buffer and keeps no stale
 * length; the second name (a consumer's group) likewise. */
Test(inspect_top, names_cut_and_reused)
{
    size_t big = INSPECT_KEEP * 3 + 7;
    uint8_t *name = malloc(big);
    for (size_t i = 0; i < big; i++) name[i] = (uint8_t)(i * 31);
    inspect_top t;
    cr_assert_eq(inspect_top_init(&t, 1), 0);
    inspect_elem e = {.size = 10, .seq = 0};
    cr_assert_eq(inspect_top_offer(&t, &e, name, big, name, 5), 1);
    cr_assert_eq(t.v[0].name_len, INSPECT_KEEP);
    cr_assert_eq(t.v[0].name_full, big);
    cr_assert_eq(memcmp(t.v[0].name, name, INSPECT_KEEP), 0);
    cr_assert_eq(t.v[0].name2_len, 5);
    cr_assert_eq(t.v[0].name2_full, 5);
    inspect_elem f = {.size = 11, .seq = 1};
    cr_assert_eq(inspect_top_offer(&t, &f, (const uint8_t *)"ab", 2, NULL, 0), 1);
    cr_assert_eq(t.v[0].seq, 1);
    cr_assert_eq(t.v[0].name_len, 2);
    cr_assert_eq(t.v[0].name_full, 2);
    cr_assert_eq(memcmp(t.v[0].name, "ab", 2), 0);
    cr_assert_eq(t.v[0].name2_len, 0);
    cr_assert_eq(t.v[0].name2_full, 0);
    /* smaller or as large and later: refused */
    inspect_elem g = {.size = 11, .seq = 2};
    cr_assert_eq(inspect_top_wants(&t, g.size, g.seq), false);
    cr_assert_eq(inspect_top_offer(&t, &g, NULL, 0, NULL, 0), 0);
    cr_assert_eq(inspect_top_wants(&t, 12, 3), true);
    inspect_top_free(&t);
    free(name);
}

/* ---- the histogram -------------------------------------------------------- */

Test(inspect_hist, buckets)
{
    struct { uint64_t v; unsigned b; } cases[] = {
        {0, 0}, {1, 1}, {2, 2}, {3, 2}, {4, 3}, {7, 3}, {8, 4}, {1023, 10}, {1024, 11},
        {(1ull << 32) - 1, 32}, {1ull << 32, 33}, {1ull << 63, 64}, {UINT64_MAX, 64},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned b = inspect_hist_bucket(cases[i].v);
        cr_assert_eq(b, cases[i].b, "%llu", (unsigned long long)cases[i].v);
        cr_assert_leq(inspect_hist_low(b), cases[i].v);
        cr_assert_geq(inspect_hist_high(b), cases[i].v);
    }
    /* the buckets tile 0..UINT64_MAX without gaps */
    for (unsigned b = 1; b < INSPECT_HIST_BUCKETS; b++)
        cr_assert_eq(inspect_hist_low(b), inspect_hist_high(b - 1) + 1, "bucket %u", b);
    cr_assert_eq(inspect_hist_high(64), UINT64_MAX);
    inspect_hist h;
    memset(&h, 0, sizeof h);
    uint64_t vals[] = {0, 5, 6, 7, 100, 4096};
    for (size_t i = 0; i < 6; i++) inspect_hist_add(&h, vals[i]);
    cr_assert_eq(h.count[0], 1);
    cr_assert_eq(h.count[3], 3);
    cr_assert_eq(h.bytes[3], 18);
    cr_assert_eq(h.count[7], 1);
    cr_assert_eq(h.count[13], 1);
    cr_assert_eq(h.bytes[13], 4096);
}

/* ---- the consumer on hand-made events ------------------------------------- */

static rdb_key mkkey(const char *name, uint64_t db, rdb_kind kind, uint8_t type)
{
    rdb_key k;
    memset(&k, 0, sizeof k);
    k.name = (const uint8_t *)name;
    k.name_len = strlen(name);
    k.db = db;
    k.kind = kind;
    k.rdb_type = type;
    return k;
}

static rdb_item item(const char *s)
{
    return (rdb_item){.ptr = (const uint8_t *)s, .len = strlen(s)};
}

/* Runs on_key_end and the record for k. */
static void end_key(inspect *ins, const rdb_key *k, uint64_t elements, const char *enc, uint64_t bytes)
{
    const rdb_handlers *h = inspect_handlers();
    rdb_key_end end = {.elements = elements, .value_bytes = 99};
    cr_assert_eq(h->on_key_end(ins, k, &end), RDB_CONTINUE);
    key_record r = {.db = k->db, .key = k->name, .key_len = k->name_len, .type = k->kind,
                    .rdb_type = k->rdb_type, .encoding = enc, .has_bytes = true, .bytes = bytes,
                    .elements = elements, .offset = k->offset};
    cr_assert_eq(inspect_on_record(ins, &r), 0);
}

Test(inspect_consumer, hash_top_hist_and_skips)
{
    inspect *ins = inspect_new();
    cr_assert_eq(inspect_add_key(ins, (const uint8_t *)"h", 1), 0);
    cr_assert_eq(inspect_add_key(ins, (const uint8_t *)"missing", 7), 0);
    cr_assert_eq(inspect_add_key(ins, (const uint8_t *)"h", 1), 0);   /* a duplicate answers once */
    cr_assert_eq(inspect_keys(ins), 2);
    cr_assert_eq(inspect_set_target(ins, model_profile_find("redis-7.0"), NULL, -1), 0);
    const rdb_handlers *h = inspect_handlers();
    rdb_key other = mkkey("hh", 0, RDB_KIND_HASH, RDB_TYPE_HASH);
    cr_assert_eq(h->on_key_begin(ins, &other), RDB_SKIP);
    rdb_key k = mkkey("h", 0, RDB_KIND_HASH, RDB_TYPE_HASH);
    cr_assert_eq(h->on_key_begin(ins, &k), RDB_CONTINUE);
    /* 600 fields: field "f<i>", value of (i * 7) % 97 bytes */
    char *val = malloc(200);
    memset(val, 'v', 200);
    uint64_t total[600];
    for (int i = 0; i < 600; i++) {
        char f[16];
        snprintf(f, sizeof f, "f%d", i);
        size_t vl = (size_t)(i * 7 % 97);
        rdb_entry e = {.member = item(f), .value = {.ptr = (const uint8_t *)val, .len = vl}};
        total[i] = strlen(f) + vl;
        cr_assert_eq(h->on_entry(ins, &k, &e), RDB_CONTINUE);
    }
    end_key(ins, &k, 600, "hashtable", 50000);
    inspect_finish(ins);
    cr_assert_eq(inspect_count(ins), 1);
    const inspect_result *r = inspect_at(ins, 0);
    cr_assert_eq(r->loaded, 600);
    cr_assert_eq(r->top.n, INSPECT_TOP);
    /* the first N of a stable descending sort of field + value bytes */
    ref all[600];
    for (int i = 0; i < 600; i++) all[i] = (ref){total[i], (uint64_t)i};
    qsort(all, 600, sizeof *all, ref_desc);
    for (size_t i = 0; i < INSPECT_TOP; i++) {
        const inspect_elem *e = &r->top.v[i];
        cr_assert_eq(e->size, all[i].size);
        cr_assert_eq(e->seq, all[i].seq);
        cr_assert_eq(e->u.hash.field_bytes + e->u.hash.value_bytes, e->size);
        char f[16];
        snprintf(f, sizeof f, "f%llu", (unsigned long long)all[i].seq);
        cr_assert_eq(e->name_len, strlen(f));
        cr_assert_eq(memcmp(e->name, f, e->name_len), 0);
    }
    uint64_t n = 0, bytes = 0, want_bytes = 0;
    for (unsigned b = 0; b < INSPECT_HIST_BUCKETS; b++) n += r->hist.count[b], bytes += r->hist.bytes[b];
    for (int i = 0; i < 600; i++) want_bytes += total[i];
    cr_assert_eq(n, 600);
    cr_assert_eq(bytes, want_bytes);
    cr_assert_eq(r->max_member, 4);
    cr_assert_eq(r->max_value, 96);
    /* limits: 600 fields over hash-max-listpack-entries 512, longest 96 over 64 */
    cr_assert(r->has_limits);
    cr_assert_eq(r->limits.nlimit, 2);
    cr_assert_eq(r->limits.limit[0].limit, 512);
    cr_assert_eq(r->limits.limit[0].key, 600);
    cr_assert_eq(r->limits.limit[1].limit, 64);
    cr_assert_eq(r->limits.limit[1].key, 96);
    cr_assert_eq(r->limits.nwhatif, 1);
    const inspect_whatif *w = &r->limits.whatif[0];
    cr_assert_eq(w->nchange, 2);
    cr_assert_eq(w->change[0].dir, DIR_HASH_ENTRIES);
    cr_assert_eq(w->change[0].to, 600);
    cr_assert_eq(w->change[1].dir, DIR_HASH_VALUE);
    cr_assert_eq(w->change[1].to, 96);
    cr_assert_str_eq(w->encoding, "listpack");
    cr_assert_str_eq(inspect_dir_name(DIR_HASH_ENTRIES, false), "hash-max-listpack-entries");
    cr_assert_str_eq(inspect_dir_name(DIR_HASH_ENTRIES, true), "hash-max-ziplist-entries");
    const uint8_t *name;
    size_t len;
    bool found;
    inspect_key(ins, 1, &name, &len, &found);
    cr_assert_eq(found, false);
    cr_assert_eq(len, 7);
    free(val);
    inspect_free(ins);
}

Test(inspect_consumer, db_filter_list_index_and_ints)
{
    inspect *ins = inspect_new();
    cr_assert_eq(inspect_add_key(ins, (const uint8_t *)"l", 1), 0);
    inspect_set_db(ins, 3);
    const rdb_handlers *h = inspect_handlers();
    rdb_key k0 = mkkey("l", 0, RDB_KIND_LIST, RDB_TYPE_LIST);
    cr_assert_eq(h->on_key_begin(ins, &k0), RDB_SKIP);
    rdb_key k = mkkey("l", 3, RDB_KIND_LIST, RDB_TYPE_LIST);
    cr_assert_eq(h->on_key_begin(ins, &k), RDB_CONTINUE);
    rdb_entry a = {.member = item("abc")};
    rdb_entry b = {.member = {.is_int = true, .ival = -123456, .len = 7}};
    rdb_entry c = {.member = item("")};
    cr_assert_eq(h->on_entry(ins, &k, &a), RDB_CONTINUE);
    cr_assert_eq(h->on_entry(ins, &k, &b), RDB_CONTINUE);
    cr_assert_eq(h->on_entry(ins, &k, &c), RDB_CONTINUE);
    end_key(ins, &k, 3, "quicklist", 100);
    inspect_finish(ins);
    const inspect_result *r = inspect_at(ins, 0);
    cr_assert_eq(r->rec.db, 3);
    cr_assert_eq(r->top.n, 3);
    /* an integer element is named by its decimal text */
    cr_assert_eq(r->top.v[0].seq, 1);
    cr_assert_eq(r->top.v[0].size, 7);
    cr_assert_eq(memcmp(r->top.v[0].name, "-123456", 7), 0);
    cr_assert_eq(r->top.v[1].seq, 0);
    cr_assert_eq(r->top.v[2].seq, 2);
    cr_assert_eq(r->hist.count[0], 1);
    cr_assert_eq(r->has_limits, false);
    inspect_free(ins);
}

Test(inspect_consumer, stream_entries_groups_consumers)
{
    inspect *ins = inspect_new();
    cr_assert_eq(inspect_add_key(ins, (const uint8_t *)"s", 1), 0);
    const rdb_handlers *h = inspect_handlers();
    rdb_key k = mkkey("s", 0, RDB_KIND_STREAM, RDB_TYPE_STREAM_LISTPACKS_3);
    cr_assert_eq(h->on_key_begin(ins, &k), RDB_CONTINUE);
    /* two nodes: entries 1-0 (2 fields, 10 bytes), 2-0 deleted (100 bytes),
     * 3-0 (1 field, 30 bytes) | 4-0 (1 field, 20 bytes) */
    struct { uint64_t ms; bool del; const char *fv[4]; int nf; bool node_end; } es[] = {
        {1, false, {"ab", "cd", "ef", "gh"}, 2, false},
        {2, true, {"x", "0123456789012345678901234567890123456789012345678901234567890123456789"
                        "0123456789012345678901234567"}, 1, false},
        {3, false, {"f", "01234567890123456789012345678"}, 1, true},
        {4, false, {"f", "0123456789012345678"}, 1, true},
    };
    for (size_t i = 0; i < 4; i++) {
        rdb_stream_entry se = {.id = {es[i].ms, 0}, .deleted = es[i].del, .num_fields = (uint32_t)es[i].nf};
        cr_assert_eq(h->on_stream_entry(ins, &k, &se), RDB_CONTINUE);
        for (int f = 0; f < es[i].nf; f++) {
            rdb_entry e = {.member = item(es[i].fv[2 * f]), .value = item(es[i].fv[2 * f + 1])};
            cr_assert_eq(h->on_entry(ins, &k, &e), RDB_CONTINUE);
        }
        if (es[i].node_end) {
            rdb_container c = {.kind = RDB_CT_STREAM_NODE};
            cr_assert_eq(h->on_container(ins, &k, &c), RDB_CONTINUE);
        }
    }
    rdb_stream_meta m = {.length = 3, .last_id = {4, 0}, .first_id = {1, 0}, .has_v2_fields = true,
                         .entries_added = 4, .max_deleted_id = {2, 0}, .num_groups = 2};
    cr_assert_eq(h->on_stream_meta(ins, &k, &m), RDB_CONTINUE);
    rdb_stream_pel p1 = {.id = {1, 0}, .delivery_time_ms = 500, .delivery_count = 3};
    rdb_stream_pel p2 = {.id = {3, 0}, .delivery_time_ms = 700, .delivery_count = 1};
    cr_assert_eq(h->on_stream_pel(ins, &k, &p1), RDB_CONTINUE);
    cr_assert_eq(h->on_stream_pel(ins, &k, &p2), RDB_CONTINUE);
    rdb_stream_group g1 = {.name = {(const uint8_t *)"g1", 2}, .last_id = {3, 0}, .has_entries_read = true,
                           .entries_read = UINT64_MAX, .pel_count = 2, .consumers = 2};
    cr_assert_eq(h->on_stream_group(ins, &k, &g1), RDB_CONTINUE);
    rdb_stream_consumer c1 = {.name = {(const uint8_t *)"alice", 5}, .seen_time_ms = 10, .pel_count = 0};
    rdb_stream_consumer c2 = {.name = {(const uint8_t *)"bob", 3}, .seen_time_ms = 20, .pel_count = 2};
    cr_assert_eq(h->on_stream_consumer(ins, &k, &c1), RDB_CONTINUE);
    cr_assert_eq(h->on_stream_consumer(ins, &k, &c2), RDB_CONTINUE);
    rdb_stream_group g2 = {.name = {(const uint8_t *)"g2", 2}, .last_id = {4, 0}, .has_entries_read = true,
                           .entries_read = 4, .pel_count = 0, .consumers = 0};
    cr_assert_eq(h->on_stream_group(ins, &k, &g2), RDB_CONTINUE);
    end_key(ins, &k, 3, "stream", 1000);
    inspect_finish(ins);
    const inspect_result *r = inspect_at(ins, 0);
    cr_assert_eq(r->top_of, 3);
    cr_assert_eq(r->top.n, 3);
    uint64_t want_ms[] = {3, 4, 1}, want_size[] = {30, 20, 8};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(r->top.v[i].u.entry.id.ms, want_ms[i]);
        cr_assert_eq(r->top.v[i].size, want_size[i]);
    }
    cr_assert_eq(r->top.v[2].u.entry.fields, 2);
    const inspect_stream *s = &r->stream;
    cr_assert_eq(s->nodes, 2);
    cr_assert_eq(s->deleted, 1);
    cr_assert_eq(s->length, 3);
    cr_assert_eq(s->groups, 2);
    cr_assert_eq(s->consumers, 2);
    cr_assert_eq(s->pending, 2);
    cr_assert_eq(s->oldest_delivery_ms, 500);
    cr_assert_eq(s->newest_delivery_ms, 700);
    cr_assert_eq(s->max_delivery_count, 3);
    cr_assert_eq(s->top_groups.n, 2);
    cr_assert_eq(memcmp(s->top_groups.v[0].name, "g1", 2), 0);
    cr_assert_eq(s->top_groups.v[0].u.group.has_entries_read, false);   /* -1: not known */
    cr_assert_eq(s->top_groups.v[1].u.group.has_entries_read, true);
    cr_assert_eq(s->top_consumers.n, 2);
    cr_assert_eq(memcmp(s->top_consumers.v[0].name, "bob", 3), 0);
    cr_assert_eq(memcmp(s->top_consumers.v[0].name2, "g1", 2), 0);
    cr_assert_eq(s->top_consumers.v[0].size, 2);
    inspect_free(ins);
}

/* ---- KEY arguments in the printable form ---------------------------------- */

Test(keyarg, unescape)
{
    uint8_t out[64];
    char why[200];
    long n = keyarg_unescape("a\\x00\\xFFb\\\\c\\\"\\n\\r\\t\\a\\b", out, why, sizeof why);
    cr_assert_eq(n, 12);
    cr_assert_eq(memcmp(out, "a\0\xff" "b\\c\"\n\r\t\a\b", 12), 0);
    cr_assert_eq(keyarg_unescape("", out, why, sizeof why), 0);
    cr_assert_eq(keyarg_unescape("caf\xc3\xa9:\"q\"", out, why, sizeof why), 9);
    const char *bad[] = {"a\\", "\\x4", "\\xg0", "\\q", "x\\x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_assert_eq(keyarg_unescape(bad[i], out, why, sizeof why), -1, "%s", bad[i]);
        cr_assert_neq(why[0], '\0');
    }
    cr_assert_eq(keyarg_unescape("ab\\q", out, why, sizeof why), -1);
    cr_assert(strstr(why, "\\q at byte 2"), "%s", why);
}

/* ---- through the pipeline ------------------------------------------------- */

static int sink(void *ctx, const key_record *r)
{
    return inspect_on_record(ctx, r);
}

static int on_model(void *ctx, const pipeline *pl)
{
    return inspect_set_target(ctx, pl->profile_used, pl->config, pl->reference_ms);
}

/* The sample dump (Redis 7.4.1): keys found in any db, one not; every
 * element of a found collection counted once in the histogram; the model's
 * bytes unchanged by the tap (same as a plain keys run). */
Test(inspect_pipeline, sample_dump)
{
    inspect *ins = inspect_new();
    const char *names[] = {"hash:large", "db15:set", "list:plain", "set:large:ints", "nope"};
    for (size_t i = 0; i < 5; i++) cr_assert_eq(inspect_add_key(ins, (const uint8_t *)names[i], strlen(names[i])), 0);
    input in;
    char err[256];
    cr_assert_eq(input_open(FIXTURES "/sample.rdb", &in, err, sizeof err), 0, "%s", err);
    pipeline pl = {.sink = sink, .sink_ctx = ins, .tap = inspect_handlers(), .tap_ctx = ins, .on_model = on_model,
                   .use_model = true};
    cr_assert_eq(pipeline_run(&pl, &in), RDB_OK);
    inspect_finish(ins);
    cr_assert_eq(inspect_count(ins), 4);
    cr_assert_eq(pl.keys, 104);   /* every key counted, whether taken or not */
    uint64_t want_bytes[] = {44984, 0, 43392, 30704};   /* MEMORY USAGE after a reload (reload-main.jsonl) */
    for (size_t i = 0; i < 4; i++) {
        const inspect_result *r = inspect_at(ins, i);
        cr_assert_eq(r->arg, i);
        cr_assert_eq(memcmp(r->rec.key, names[i], r->rec.key_len), 0);
        uint64_t n = 0;
        for (unsigned b = 0; b < INSPECT_HIST_BUCKETS; b++) n += r->hist.count[b];
        cr_assert_eq(n, r->rec.elements, "%s", names[i]);
        cr_assert_eq(r->loaded, r->rec.elements);
        for (size_t j = 1; j < r->top.n; j++) cr_assert_geq(r->top.v[j - 1].size, r->top.v[j].size);
        if (want_bytes[i]) cr_assert_eq(r->rec.bytes, want_bytes[i], "%s", names[i]);
    }
    cr_assert_eq(inspect_at(ins, 1)->rec.db, 15);
    /* list:plain: the largest element is what the parser's largest says */
    const inspect_result *l = inspect_at(ins, 2);
    cr_assert_eq(l->top.v[0].size, l->rec.largest);
    /* set:large:ints: all integers, an intset at set-max-intset-entries 700 */
    const inspect_result *s = inspect_at(ins, 3);
    cr_assert(s->limits.all_int);
    cr_assert_eq(s->limits.nwhatif, 1);
    cr_assert_str_eq(s->limits.whatif[0].encoding, "intset");
    cr_assert_eq(s->limits.whatif[0].change[0].to, 700);
    pipeline_free(&pl);
    input_close(&in);
    inspect_free(ins);
}
