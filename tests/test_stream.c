/* test_stream.c: stream values: the parser's consumer PEL events, and the
 * stream memory model against numbers real servers reported for whole dumps
 * (parser and model together, as rdblens runs them). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "analyze/model.h"
#include "rdb/rdb.h"
#include "tests/support/rdbbuild.h"

/* ---- a stream whose three consumers hold 200 pending entries each ------- */

#define PEL_KEY "stream:pel:3x200"
#define PEL_BASE_MS 1600007001000ULL
#define PEL_IDS 600u

/* The i-th ID added: four sequence numbers per millisecond. */
static rdb_stream_id pel_id(unsigned i)
{
    return (rdb_stream_id){PEL_BASE_MS + i / 4, i % 4};
}

static unsigned pel_index(const rdb_stream_id *id)
{
    return (unsigned)((id->ms - PEL_BASE_MS) * 4 + id->seq);
}

/* Ten rounds of XREADGROUP ... COUNT 20 by w1, w2, w3 in turn. */
static unsigned pel_owner(unsigned i)
{
    return (i / 20) % 3;
}

static void rb_raw_id(rb *b, rdb_stream_id id)
{
    uint8_t x[16];
    for (int i = 0; i < 8; i++) {
        x[i] = (uint8_t)(id.ms >> (56 - 8 * i));
        x[8 + i] = (uint8_t)(id.seq >> (56 - 8 * i));
    }
    rb_bytes(b, x, 16);
}

/* What Redis 7.0.15 saves (RDB 10, stream type 19) after
 *   XADD stream:pel:3x200 <ms>-<seq> n <i>     for the 600 IDs of pel_id()
 *   XGROUP CREATE stream:pel:3x200 workers 0
 *   10 x XREADGROUP GROUP workers w1|w2|w3 COUNT 20 STREAMS stream:pel:3x200 >
 *   XTRIM stream:pel:3x200 MAXLEN 0
 * The trim frees every node but keeps the PELs, so the value has no
 * listpack and can be written here by hand. */
static void build_pel_dump(rb *b)
{
    rdb_stream_id last = pel_id(PEL_IDS - 1);
    rb_magic(b, "REDIS0010");
    rb_u8(b, RDB_TYPE_STREAM_LISTPACKS_2);
    rb_str(b, PEL_KEY);
    rb_len(b, 0);                                  /* nodes */
    rb_len(b, 0);                                  /* length */
    rb_len(b, last.ms), rb_len(b, last.seq);       /* last id */
    rb_len(b, 0), rb_len(b, 0);                    /* first id */
    rb_len(b, last.ms), rb_len(b, last.seq);       /* max deleted id */
    rb_len(b, PEL_IDS);                            /* entries added */
    rb_len(b, 1);                                  /* groups */
    rb_str(b, "workers");
    rb_len(b, last.ms), rb_len(b, last.seq);       /* last delivered */
    rb_len(b, PEL_IDS);                            /* entries read */
    rb_len(b, PEL_IDS);
    for (unsigned i = 0; i < PEL_IDS; i++) {
        rb_raw_id(b, pel_id(i));
        rb_u64le(b, PEL_BASE_MS + 60000);          /* delivery time */
        rb_len(b, 1);                              /* delivery count */
    }
    rb_len(b, 3);
    for (unsigned c = 0; c < 3; c++) {
        char name[3] = {'w', (char)('1' + c), 0};
        rb_str(b, name);
        rb_u64le(b, PEL_BASE_MS + 60000);          /* seen time */
        rb_len(b, PEL_IDS / 3);
        for (unsigned i = 0; i < PEL_IDS; i++)
            if (pel_owner(i) == c) rb_raw_id(b, pel_id(i));
    }
    rb_finish(b);
}

/* ---- the events ------------------------------------------------------------ */

typedef struct pel_log {
    bool skip;               /* answer RDB_SKIP at key begin */
    unsigned group_pel, consumer_pel, consumers;
    unsigned since_consumer; /* consumer PEL IDs since the last consumer event */
    bool have_prev;
    rdb_stream_id prev;
} pel_log;

static int log_key_begin(void *ctx, const rdb_key *k)
{
    (void)k;
    return ((pel_log *)ctx)->skip ? RDB_SKIP : RDB_CONTINUE;
}

static int log_pel(void *ctx, const rdb_key *k, const rdb_stream_pel *p)
{
    (void)k, (void)p;
    ((pel_log *)ctx)->group_pel++;
    return RDB_CONTINUE;
}

/* A consumer's IDs come before its consumer event, ascending. */
static int log_consumer_pel(void *ctx, const rdb_key *k, const rdb_stream_id *id)
{
    pel_log *l = ctx;
    cr_assert(k->name_len == strlen(PEL_KEY) && memcmp(k->name, PEL_KEY, k->name_len) == 0);
    cr_assert_eq(pel_owner(pel_index(id)), l->consumers, "ID %u delivered before its consumer's turn",
                 pel_index(id));
    if (l->have_prev)
        cr_assert(id->ms > l->prev.ms || (id->ms == l->prev.ms && id->seq > l->prev.seq), "IDs not ascending");
    l->prev = *id;
    l->have_prev = true;
    l->consumer_pel++;
    l->since_consumer++;
    return RDB_CONTINUE;
}

static int log_consumer(void *ctx, const rdb_key *k, const rdb_stream_consumer *c)
{
    pel_log *l = ctx;
    (void)k;
    cr_assert_eq(c->pel_count, PEL_IDS / 3);
    if (!l->skip) cr_assert_eq(l->since_consumer, c->pel_count);
    l->since_consumer = 0;
    l->have_prev = false;
    l->consumers++;
    return RDB_CONTINUE;
}

static const rdb_handlers log_handlers = {
    .on_key_begin = log_key_begin, .on_stream_pel = log_pel,
    .on_stream_consumer_pel = log_consumer_pel, .on_stream_consumer = log_consumer,
};

Test(stream, consumer_pel_events)
{
    rb b = {0};
    build_pel_dump(&b);
    pel_log l = {0};
    rdb_result res;
    cr_assert_eq(rb_parse(b.p, b.len, &log_handlers, &l, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(l.group_pel, PEL_IDS);
    cr_assert_eq(l.consumer_pel, PEL_IDS);
    cr_assert_eq(l.consumers, 3);
    rb_free(&b);
}

/* Like the group PEL, consumer PEL IDs are element events: RDB_SKIP stops
 * them, the consumers themselves are still reported. */
Test(stream, consumer_pel_skipped)
{
    rb b = {0};
    build_pel_dump(&b);
    pel_log l = {.skip = true};
    rdb_result res;
    cr_assert_eq(rb_parse(b.p, b.len, &log_handlers, &l, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(l.group_pel, 0);
    cr_assert_eq(l.consumer_pel, 0);
    cr_assert_eq(l.consumers, 3);
    rb_free(&b);
}

/* ---- the model, driven by the parser ------------------------------------- */

#define MAX_KEYS 8

typedef struct model_run {
    model *m;
    rdb_kind kind;           /* keys of this kind are recorded */
    size_t n;
    char name[MAX_KEYS][32];
    uint64_t bytes[MAX_KEYS];
} model_run;

static int mr_key_begin(void *c, const rdb_key *k) { return model_on_key_begin(((model_run *)c)->m, k); }
static int mr_string(void *c, const rdb_key *k, const rdb_string_chunk *s) { return model_on_string(((model_run *)c)->m, k, s); }
static int mr_container(void *c, const rdb_key *k, const rdb_container *x) { return model_on_container(((model_run *)c)->m, k, x); }
static int mr_entry(void *c, const rdb_key *k, const rdb_entry *e) { return model_on_entry(((model_run *)c)->m, k, e); }
static int mr_stream_entry(void *c, const rdb_key *k, const rdb_stream_entry *e) { return model_on_stream_entry(((model_run *)c)->m, k, e); }
static int mr_stream_meta(void *c, const rdb_key *k, const rdb_stream_meta *e) { return model_on_stream_meta(((model_run *)c)->m, k, e); }
static int mr_stream_group(void *c, const rdb_key *k, const rdb_stream_group *e) { return model_on_stream_group(((model_run *)c)->m, k, e); }
static int mr_stream_pel(void *c, const rdb_key *k, const rdb_stream_pel *e) { return model_on_stream_pel(((model_run *)c)->m, k, e); }
static int mr_stream_consumer_pel(void *c, const rdb_key *k, const rdb_stream_id *e) { return model_on_stream_consumer_pel(((model_run *)c)->m, k, e); }
static int mr_stream_consumer(void *c, const rdb_key *k, const rdb_stream_consumer *e) { return model_on_stream_consumer(((model_run *)c)->m, k, e); }

static int mr_key_end(void *ctx, const rdb_key *k, const rdb_key_end *end)
{
    model_run *r = ctx;
    key_record rec;
    memset(&rec, 0, sizeof rec);
    model_key_end(r->m, k, end, &rec);
    if (k->kind == r->kind) {
        cr_assert_lt(r->n, MAX_KEYS);
        cr_assert(rec.has_bytes);
        snprintf(r->name[r->n], sizeof r->name[r->n], "%.*s", (int)k->name_len, (const char *)k->name);
        r->bytes[r->n++] = rec.bytes;
    }
    return RDB_CONTINUE;
}

static const rdb_handlers model_handlers = {
    .on_key_begin = mr_key_begin, .on_string = mr_string, .on_container = mr_container,
    .on_entry = mr_entry, .on_stream_entry = mr_stream_entry, .on_stream_meta = mr_stream_meta,
    .on_stream_group = mr_stream_group, .on_stream_pel = mr_stream_pel,
    .on_stream_consumer_pel = mr_stream_consumer_pel, .on_stream_consumer = mr_stream_consumer,
    .on_key_end = mr_key_end,
};

static uint64_t recorded(const model_run *r, const char *key)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->name[i], key) == 0) return r->bytes[i];
    cr_assert_fail("no record for %s", key);
    return 0;
}

/* A Redis 7.0.15 (Debian 12) server that loaded the dump of build_pel_dump's
 * commands reported MEMORY USAGE stream:pel:3x200 SAMPLES 0 = 477218 (the
 * group PEL rax, 600 x 24-byte NACKs, and each consumer's own PEL rax:
 * 16 x IDs + 244 x its rax nodes). Before the consumer PEL IDs were
 * reported, the model guessed those nodes and came out 1464 short. */
Test(stream, consumer_pels_redis70)
{
    rb b = {0};
    build_pel_dump(&b);
    model_run r = {.m = model_new(model_profile_find("redis-7.0"), NULL), .kind = RDB_KIND_STREAM};
    rdb_result res;
    cr_assert_eq(rb_parse(b.p, b.len, &model_handlers, &r, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(recorded(&r, PEL_KEY), 477218);
    model_free(r.m);
    rb_free(&b);
}

/* Valkey unstable (2024-10-25) charges every stream rax by its tracked
 * allocation (raxAllocSize): tests/fixtures/corpus/valkey-unstable
 * reload-main.jsonl, memory_usage_samples0 of its five streams. */
Test(stream, rax_alloc_size_valkey_unstable)
{
    int fd = open("tests/fixtures/corpus/valkey-unstable/main.rdb", O_RDONLY);
    cr_assert_geq(fd, 0, "fixture missing (tools/copy-fixtures.sh)");
    model_run r = {.m = model_new(model_profile_find("valkey-8.1-dev"), NULL), .kind = RDB_KIND_STREAM};
    rdb_options opt = {0};
    rdb_result res;
    cr_assert_eq(rdb_parse_fd(fd, &model_handlers, &r, &opt, &res), RDB_OK, "%s", res.error.message);
    close(fd);
    cr_assert_eq(r.n, 5);
    cr_assert_eq(recorded(&r, "stream:basic"), 528);
    cr_assert_eq(recorded(&r, "stream:big"), 10921);
    cr_assert_eq(recorded(&r, "stream:emptied"), 176);
    cr_assert_eq(recorded(&r, "stream:mkstream"), 256);
    cr_assert_eq(recorded(&r, "stream:varfields"), 1112);
    model_free(r.m);
}
