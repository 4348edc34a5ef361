/* test_edges.c: tests/fixtures/edges/redis-7.0.15-edges.rdb, a redis-server
 * 7.0.15 dump of packed values at the parser's size edges
 * (tools/fuzz/gen_edges.py says why each key is there). Checks the exact
 * content the generator wrote (its values are recomputed here), the
 * blob facts that make each key an edge (lengths, LZF, intset width), that
 * the memory model's listpack entry size (analyze/alloc.c lp_entry_item) is
 * the server's own for every entry, that the model predicts each key's
 * encoding and MEMORY USAGE as the server that loads the dump reports them
 * (gen_edges.py prints those), and a shallow parse with the re-read of a
 * peeked key. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/model_int.h"
#include "rdb/listpack.h"
#include "rdb/rdb.h"
#include "rdb/source.h"
#include "tests/support/modelrun.h"

#define FIX "tests/fixtures/edges/redis-7.0.15-edges.rdb"

/* gen_edges.py's LCG text and its keys' content */
static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static uint64_t lcg_text(uint64_t state, char *out, size_t n) {
    for (size_t i = 0; i < n; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        out[i] = alphabet[(state >> 33) % (sizeof alphabet - 1)];
    }
    out[n] = '\0';
    return state;
}

static int64_t intset_member(int i) { return (int64_t)(i - 256) * 10000000000000000LL + i; }

static const struct { const char *field, *value; bool is_int; } numtext[] = {
    {"max", "9223372036854775807", true},
    {"max+1", "9223372036854775808", false},
    {"min", "-9223372036854775808", true},
    {"min-1", "-9223372036854775809", false},
    {"u64max", "18446744073709551615", false},
    {"u64max+1", "18446744073709551616", false},
    {"twenty9s", "99999999999999999999", false},
    {"minus0", "-0", false},
    {"lead0", "007", false},
    {"long", "123456789012345678901234567890", false},
};
#define NUMTEXT_N (sizeof numtext / sizeof numtext[0])

/* string keys: 20 digits beyond int64, stored as text */
static const struct { const char *key, *value; } strings[] = {
    {"edge:str:u64max+1", "18446744073709551616"},
    {"edge:str:twenty9s", "99999999999999999999"},
};

/* ---- what a parse saw ---------------------------------------------------- */

typedef struct seen_key {
    char name[32];
    char text[32];         /* a string value, when it is text */
    bool text_is_int;
    uint64_t offset;
    uint8_t type;
    rdb_container c;       /* the key's one container (blob pointer not kept) */
    int containers;
    rdb_key_end end;
    uint64_t entries;      /* on_entry calls */
    bool entries_ok;       /* every entry as generated, in order */
    uint64_t lp_items;     /* listpack items whose modelled size was checked */
    bool lp_sizes_ok;
} seen_key;

typedef struct seen {
    seen_key k[8];
    int n;
    bool skip;             /* answer RDB_SKIP to keys and shallow containers */
    char lzf_values[40][57];
} seen;

static seen_key *cur(seen *s) { return &s->k[s->n - 1]; }

static int on_key_begin(void *ctx, const rdb_key *k) {
    seen *s = ctx;
    cr_assert_lt(s->n, 8);
    seen_key *x = &s->k[s->n++];
    memset(x, 0, sizeof *x);
    cr_assert_lt(k->name_len, sizeof x->name);
    memcpy(x->name, k->name, k->name_len);
    x->offset = k->offset;
    x->type = k->rdb_type;
    x->entries_ok = x->lp_sizes_ok = true;
    return s->skip ? RDB_SKIP : RDB_CONTINUE;
}

/* Every listpack entry's size, as the model computes it from the item,
 * against the bytes the server used for it. */
static void check_lp_sizes(seen_key *x, const uint8_t *blob, size_t len) {
    lp_iter it;
    const char *err = NULL;
    cr_assert_eq(lp_iter_init(&it, blob, len, &err), 0, "%s", err);
    rdb_item item;
    for (;;) {
        size_t at = it.pos;
        int rc = lp_iter_next(&it, &item, &err);
        cr_assert_geq(rc, 0, "%s", err);
        if (rc == 0) break;
        size_t predicted = (size_t)lp_entry_item(&item);
        if (predicted != it.pos - at) {
            x->lp_sizes_ok = false;
            cr_log_error("%s: entry at %zu takes %zu bytes, the model says %zu", x->name, at, it.pos - at,
                         predicted);
        }
        x->lp_items++;
    }
}

static int on_container(void *ctx, const rdb_key *k, const rdb_container *c) {
    seen *s = ctx;
    (void)k;
    seen_key *x = cur(s);
    x->c = *c;
    x->c.blob.ptr = NULL;
    x->containers++;
    if (c->kind == RDB_CT_LISTPACK && c->blob.ptr) check_lp_sizes(x, c->blob.ptr, c->blob.len);
    return s->skip && c->shallow ? RDB_SKIP : RDB_CONTINUE;
}

static bool item_is(const rdb_item *it, const char *text, bool is_int) {
    if (it->is_int != is_int) return false;
    if (is_int) {
        char buf[24];
        snprintf(buf, sizeof buf, "%" PRId64, it->ival);
        return strcmp(buf, text) == 0;
    }
    return it->len == strlen(text) && memcmp(it->ptr, text, it->len) == 0;
}

static int on_entry(void *ctx, const rdb_key *k, const rdb_entry *e) {
    seen *s = ctx;
    (void)k;
    seen_key *x = cur(s);
    uint64_t i = x->entries++;
    bool ok;
    if (!strcmp(x->name, "edge:intset")) {
        ok = i < 512 && e->member.is_int && e->member.ival == intset_member((int)i);
    } else if (!strcmp(x->name, "edge:lzfhash")) {
        char field[16];
        snprintf(field, sizeof field, "field:%04d", (int)(i % 10000));
        ok = i < 40 && item_is(&e->member, field, false) && item_is(&e->value, s->lzf_values[i], false);
    } else if (!strcmp(x->name, "edge:numtext")) {
        ok = i < NUMTEXT_N && item_is(&e->member, numtext[i].field, false) &&
             item_is(&e->value, numtext[i].value, numtext[i].is_int);
    } else {
        ok = false;
    }
    if (!ok) x->entries_ok = false;
    return RDB_CONTINUE;
}

static int on_string(void *ctx, const rdb_key *k, const rdb_string_chunk *c) {
    seen *s = ctx;
    (void)k;
    seen_key *x = cur(s);
    x->text_is_int = c->is_int;
    if (!c->is_int && c->offset == 0 && c->len < sizeof x->text) memcpy(x->text, c->ptr, c->len);
    return RDB_CONTINUE;
}

static int on_key_end(void *ctx, const rdb_key *k, const rdb_key_end *e) {
    seen *s = ctx;
    (void)k;
    cur(s)->end = *e;
    return RDB_CONTINUE;
}

static const rdb_handlers H = {.on_key_begin = on_key_begin, .on_string = on_string, .on_container = on_container,
                               .on_entry = on_entry, .on_key_end = on_key_end};

static void seen_init(seen *s, bool skip) {
    memset(s, 0, sizeof *s);
    s->skip = skip;
    uint64_t st = 42;
    for (int i = 0; i < 40; i++) st = lcg_text(st, s->lzf_values[i], 56);
}

static const seen_key *find(const seen *s, const char *name) {
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->k[i].name, name)) return &s->k[i];
    cr_assert_fail("no key %s", name);
    return NULL;
}

static rdb_status parse(int fd, seen *s, uint64_t shallow_max, rdb_result *res) {
    struct stat st;
    cr_assert_eq(fstat(fd, &st), 0);
    cr_assert_eq(lseek(fd, 0, SEEK_SET), 0);
    rdb_options opt = {.input_size = (uint64_t)st.st_size, .verify_lzf = true, .shallow_max = shallow_max};
    return rdb_parse_fd(fd, &H, s, &opt, res);
}

/* ---- the tests ----------------------------------------------------------- */

Test(edges, whole_parse_gives_what_the_generator_wrote) {
    int fd = open(FIX, O_RDONLY);
    cr_assert_geq(fd, 0, "%s is missing", FIX);
    static seen s;
    seen_init(&s, false);
    rdb_result res;
    cr_assert_eq(parse(fd, &s, 0, &res), RDB_OK, "%s", res.error.message);
    close(fd);
    cr_assert_str_eq(res.header.magic, "REDIS0010");
    cr_assert_eq(res.trailer.checksum, RDB_CHECKSUM_OK);
    cr_assert_eq(res.keys, 5);

    /* 512 members of 8 bytes: 4104 bytes, raw (over a 4 KiB block) */
    const seen_key *x = find(&s, "edge:intset");
    cr_assert_eq(x->type, RDB_TYPE_SET_INTSET);
    cr_assert_eq(x->containers, 1);
    cr_assert_eq(x->c.kind, RDB_CT_INTSET);
    cr_assert_eq(x->c.intset_width, 8);
    cr_assert_eq(x->c.entries, 512);
    cr_assert_eq(x->c.blob.len, 8 + 512 * 8);
    cr_assert_not(x->c.compressed);
    cr_assert_eq(x->entries, 512);
    cr_assert(x->entries_ok, "intset members differ from the generator's");
    cr_assert_eq(x->end.elements, 512);
    cr_assert_eq(x->end.largest, 20);   /* "-2560000000000000000" */

    /* 2807 bytes as LZF 2545: over half a 4 KiB block compressed */
    x = find(&s, "edge:lzfhash");
    cr_assert_eq(x->type, RDB_TYPE_HASH_LISTPACK);
    cr_assert_eq(x->c.kind, RDB_CT_LISTPACK);
    cr_assert(x->c.compressed);
    cr_assert_eq(x->c.blob.len, 2807);
    cr_assert_eq(x->c.stored_len, 2545);
    cr_assert_eq(x->c.entries, 80);
    cr_assert_eq(x->entries, 40);
    cr_assert(x->entries_ok, "lzfhash fields differ from the generator's");
    cr_assert_eq(x->end.largest, 56);
    cr_assert_eq(x->lp_items, 80);
    cr_assert(x->lp_sizes_ok, "the listpack size model disagrees with the server");

    /* integer-looking text beyond int64 stays a string, in the file and in the model */
    x = find(&s, "edge:numtext");
    cr_assert_eq(x->type, RDB_TYPE_HASH_LISTPACK);
    cr_assert_eq(x->entries, NUMTEXT_N);
    cr_assert(x->entries_ok, "numtext entries differ from the generator's (or their int encoding)");
    cr_assert_eq(x->end.largest, 30);
    cr_assert_eq(x->lp_items, 2 * NUMTEXT_N);
    cr_assert(x->lp_sizes_ok, "the listpack size model disagrees with the server");

    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        x = find(&s, strings[i].key);
        cr_assert_eq(x->type, RDB_TYPE_STRING);
        cr_assert_not(x->text_is_int);
        cr_assert_str_eq(x->text, strings[i].value);
        cr_assert_eq(x->end.elements, 20);
    }
}

/* What redis-server 7.0.15 said after loading the dump (gen_edges.py). */
Test(edges, model_predicts_what_the_server_reports) {
    static const struct { const char *key, *encoding; uint64_t memory_usage; } truth[] = {
        {"edge:intset", "intset", 5176},
        {"edge:lzfhash", "listpack", 3128},
        {"edge:numtext", "listpack", 312},
        {"edge:str:u64max+1", "embstr", 104},
        {"edge:str:twenty9s", "embstr", 104},
    };
    static modelrun r;
    cr_assert_eq(modelrun_file(FIX, "redis-7.0", &r), RDB_OK);
    cr_assert_eq(r.nkeys, 5);
    for (size_t i = 0; i < sizeof truth / sizeof truth[0]; i++) {
        const modelrun_key *k = modelrun_find(&r, 0, truth[i].key);
        cr_assert_not_null(k, "%s", truth[i].key);
        cr_assert_str_eq(k->encoding, truth[i].encoding, "%s", truth[i].key);
        cr_assert(k->has_bytes, "%s", truth[i].key);
        cr_assert_eq(k->bytes, truth[i].memory_usage, "%s: model %llu, server %llu", truth[i].key,
                     (unsigned long long)k->bytes, (unsigned long long)truth[i].memory_usage);
    }
}

Test(edges, shallow_parse_then_reread) {
    int fd = open(FIX, O_RDONLY);
    cr_assert_geq(fd, 0, "%s is missing", FIX);
    static seen s;
    seen_init(&s, true);
    rdb_result res;
    cr_assert_eq(parse(fd, &s, 8192, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(res.keys, 5);

    /* the compressed listpack: peeked at, not decompressed */
    const seen_key *x = find(&s, "edge:lzfhash");
    cr_assert(x->c.shallow);
    cr_assert(x->c.compressed);
    cr_assert_eq(x->c.blob.len, 2807);
    cr_assert_eq(x->c.stored_len, 2545);
    cr_assert_eq(x->c.entries, 80);
    cr_assert_eq(x->entries, 0);
    cr_assert_eq(x->end.elements, 40);
    cr_assert_not(x->end.largest_exact);
    cr_assert_eq(x->end.largest_bound, 2807);
    uint64_t at = x->offset;

    /* the intset: its largest from its ends, exact without a walk */
    x = find(&s, "edge:intset");
    cr_assert(x->c.shallow);
    cr_assert_eq(x->entries, 0);
    cr_assert(x->end.largest_exact);
    cr_assert_eq(x->end.largest, 20);

    /* the peeked key re-read by its offset, walked: its exact largest */
    static seen r;
    seen_init(&r, false);
    rdb_fd_source src;
    rdb_fd_source_init(&src, fd, NULL, 0);
    rdb_header hdr = res.header;
    struct stat st;
    cr_assert_eq(fstat(fd, &st), 0);
    rdb_options opt = {.input_size = (uint64_t)st.st_size};
    cr_assert_eq(rdb_parse_key_at(&src.base, at, &hdr, &H, &r, &opt, &res), RDB_OK, "%s",
                 res.error.message);
    close(fd);
    cr_assert_eq(r.n, 1);
    cr_assert_str_eq(r.k[0].name, "edge:lzfhash");
    cr_assert(r.k[0].end.largest_exact);
    cr_assert_eq(r.k[0].end.largest, 56);
    cr_assert_eq(r.k[0].entries, 40);
    cr_assert(r.k[0].entries_ok);
}
