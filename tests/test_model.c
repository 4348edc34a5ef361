/* test_model.c: the memory model's formulas against numbers real servers
 * reported (shared/corpus reload-main.jsonl memory_usage_samples0 of the
 * named version) and against the allocator / encoding rules. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/model.h"
#include "analyze/model_int.h"

static uint64_t string_key(const char *profile, const char *key, const char *val, bool has_exp,
                           const char **enc)
{
    const model_profile *p = model_profile_find(profile);
    cr_assert_not_null(p);
    model *m = model_new(p, NULL);
    rdb_key k;
    memset(&k, 0, sizeof k);
    k.name = (const uint8_t *)key;
    k.name_len = strlen(key);
    k.kind = RDB_KIND_STRING;
    k.has_expire = has_exp;
    k.expire_ms = 4102444800123LL;
    model_on_key_begin(m, &k);
    rdb_string_chunk c;
    memset(&c, 0, sizeof c);
    c.total_len = strlen(val);
    c.ptr = (const uint8_t *)val;
    c.len = strlen(val);
    model_on_string(m, &k, &c);
    rdb_key_end end;
    memset(&end, 0, sizeof end);
    end.elements = c.total_len;
    key_record rec;
    memset(&rec, 0, sizeof rec);
    model_key_end(m, &k, &end, &rec);
    cr_assert(rec.has_bytes);
    if (enc) *enc = rec.encoding;
    model_free(m);
    return rec.bytes;
}

Test(model, jemalloc_classes)
{
    const model_profile *p = model_profile_find("redis-7.4");
    cr_assert_eq(je_size(p, 1), 8);
    cr_assert_eq(je_size(p, 21), 24);
    cr_assert_eq(je_size(p, 65), 80);
    cr_assert_eq(je_size(p, 129), 160);
    cr_assert_eq(je_size(p, 536), 640);
    cr_assert_eq(je_size(p, 5242880 + 6), 6291456);
    /* Debian 12's redis 7.0.15 links jemalloc with a 16-byte quantum */
    const model_profile *d = model_profile_find("redis-7.0");
    cr_assert_eq(je_size(d, 19), 32);
    cr_assert_eq(je_size(d, 21), 32);
    cr_assert_eq(je_size(d, 129), 160);
}

Test(model, listpack_sizes)
{
    cr_assert_eq(lp_entry_int(5), 2);
    cr_assert_eq(lp_entry_int(-1), 3);
    cr_assert_eq(lp_entry_int(100000), 5);
    cr_assert_eq(lp_entry_str((const uint8_t *)"007", 3), 5);
    cr_assert_eq(lp_entry_str((const uint8_t *)"7", 1), 2);
    long long v;
    cr_assert(!str_to_ll((const uint8_t *)"-0", 2, &v));
    cr_assert(!str_to_ll((const uint8_t *)"+5", 2, &v));
    cr_assert(!str_to_ll((const uint8_t *)"9223372036854775808", 19, &v));
    cr_assert(str_to_ll((const uint8_t *)"-9223372036854775808", 20, &v));
}

/* redis-7.0.15/reload-main.jsonl */
Test(model, strings_redis70)
{
    const char *enc;
    cr_assert_eq(string_key("redis-7.0", "str:len:1", "x", false, &enc), 72);
    cr_assert_str_eq(enc, "embstr");
    cr_assert_eq(string_key("redis-7.0", "str:int:shared", "1234", false, &enc), 56);
    cr_assert_str_eq(enc, "int");
    cr_assert_eq(string_key("redis-7.0", "str:int:int64_max", "9223372036854775807", false, &enc), 72);
    cr_assert_eq(string_key("redis-7.0", "str:intlike:neg_zero", "-0", false, &enc), 88);
    cr_assert_str_eq(enc, "embstr");
}

/* redis-7.4.1 and valkey-8.0.1 reload-main.jsonl */
Test(model, strings_other_versions)
{
    const char *enc;
    cr_assert_eq(string_key("redis-7.4", "str:len:44", "12345678901234567890123456789012345678901234", false, &enc), 104);
    cr_assert_eq(string_key("redis-7.4", "str:len:45", "123456789012345678901234567890123456789012345", false, &enc), 112);
    cr_assert_str_eq(enc, "raw");
}

/* redis-4.0.14 / redis-5.0.14 reload-main.jsonl: 4.0 charges the key as the
 * command argument (an sdshdr8 EMBSTR), 5.0 the loaded key (type 5) */
Test(model, strings_redis40_50)
{
    const char *enc;
    cr_assert_eq(string_key("redis-4.0", "str:len:1", "x", false, &enc), 56);
    cr_assert_str_eq(enc, "embstr");
    cr_assert_eq(string_key("redis-4.0", "str:len:45", "123456789012345678901234567890123456789012345", false, &enc), 103);
    cr_assert_str_eq(enc, "raw");
    cr_assert_eq(string_key("redis-5.0", "str:len:1", "x", false, &enc), 54);
    cr_assert_eq(string_key("redis-5.0", "str:len:45", "123456789012345678901234567890123456789012345", false, &enc), 101);
}

Test(model, dict_rehash_left_open)
{
    dictsim d;
    ds_init(&d);
    ds_add(&d, 700);             /* grows 512 -> 1024 at 513, rehash still open */
    cr_assert(d.rehashing);
    cr_assert_eq(dict_mu_slots(&d), 1536);
    ds_init(&d);
    ds_expand(&d, 600);
    ds_add(&d, 600);
    cr_assert_eq(dict_mu_slots(&d), 1024);
}

Test(model, profile_inference)
{
    cr_assert_str_eq(model_profile_name(model_profile_infer("7.0.15", NULL, 10, RDB_FLAVOR_REDIS)), "redis-7.0");
    cr_assert_str_eq(model_profile_name(model_profile_infer("255.255.255", NULL, 12, RDB_FLAVOR_REDIS)), "redis-8.0");
    cr_assert_str_eq(model_profile_name(model_profile_infer("7.2.4", "8.0.1", 11, RDB_FLAVOR_REDIS)), "valkey-8.0");
    cr_assert_str_eq(model_profile_name(model_profile_infer("7.2.4", "255.255.255", 11, RDB_FLAVOR_REDIS)), "valkey-8.1-dev");
    cr_assert_str_eq(model_profile_name(model_profile_infer(NULL, NULL, 9, RDB_FLAVOR_REDIS)), "redis-6.2");
    /* the newer lines (estimated profiles) */
    cr_assert_str_eq(model_profile_name(model_profile_infer("8.6.1", NULL, 13, RDB_FLAVOR_REDIS)), "redis-8.6");
    cr_assert_str_eq(model_profile_name(model_profile_infer("8.8.0", NULL, 14, RDB_FLAVOR_REDIS)), "redis-8.8");
    cr_assert_str_eq(model_profile_name(model_profile_infer("8.9.241", NULL, 15, RDB_FLAVOR_REDIS)), "redis-8.10");
    cr_assert_str_eq(model_profile_name(model_profile_infer("8.4.0", NULL, 12, RDB_FLAVOR_REDIS)), "redis-8.0");
    cr_assert_str_eq(model_profile_name(model_profile_infer(NULL, NULL, 14, RDB_FLAVOR_REDIS)), "redis-8.8");
    cr_assert_str_eq(model_profile_name(model_profile_infer(NULL, "9.0.0", 80, RDB_FLAVOR_VALKEY)), "valkey-9.0");
    cr_assert_str_eq(model_profile_name(model_profile_infer(NULL, NULL, 81, RDB_FLAVOR_VALKEY)), "valkey-9.0");
    cr_assert(model_profile_estimated(model_profile_find("redis-8.10")));
    cr_assert(!model_profile_estimated(model_profile_find("redis-8.0")));
    cr_assert_null(model_profile_find("redis-1.0"));
    cr_assert_eq(model_profile_count(), 15);
}

Test(model, config_overrides)
{
    model_config *c = model_config_new();
    char err[100];
    cr_assert_eq(model_config_set(c, "list-compress-depth", "1", err, sizeof err), 0);
    cr_assert_eq(model_config_set(c, "hash-max-ziplist-entries", "64", err, sizeof err), 0);
    cr_assert_neq(model_config_set(c, "nonsense", "1", err, sizeof err), 0);
    model *m = model_new(model_profile_find("redis-7.2"), c);
    cr_assert_eq(m->s.list_compress, 1);
    cr_assert_eq(m->s.hash_entries, 64);
    model_free(m);
    model_config_free(c);
}

static enc_limits limits(const char *profile, const model_config *c)
{
    model *m = model_new(model_profile_find(profile), c);
    cr_assert_not_null(m);
    enc_limits l;
    model_enc_limits(m, &l);
    model_free(m);
    return l;
}

Test(model, enc_limits_of_the_target)
{
    /* src/config.c defaults: no set listpacks before 7.2, ziplists before 7.0 */
    enc_limits l = limits("redis-7.0", NULL);
    cr_assert_eq(l.ziplist, false);
    cr_assert_eq(l.hash_entries, 512);
    cr_assert_eq(l.hash_value, 64);
    cr_assert_eq(l.zset_entries, 128);
    cr_assert_eq(l.zset_value, 64);
    cr_assert_eq(l.set_intset, 512);
    cr_assert_eq(l.set_lp_entries, 0);
    cr_assert_eq(l.set_lp_value, 0);
    l = limits("redis-7.2", NULL);
    cr_assert_eq(l.ziplist, false);
    cr_assert_eq(l.set_lp_entries, 128);
    cr_assert_eq(l.set_lp_value, 64);
    cr_assert_eq(limits("valkey-8.0", NULL).set_lp_entries, 128);
    l = limits("redis-6.2", NULL);
    cr_assert_eq(l.ziplist, true);
    cr_assert_eq(l.set_lp_entries, 0);
    l = limits("redis-2.8", NULL);
    cr_assert_eq(l.ziplist, true);
    cr_assert_eq(l.hash_entries, 512);
    cr_assert_eq(l.set_lp_entries, 0);

    /* --config overrides, either spelling; set listpacks stay absent on 7.0 */
    model_config *c = model_config_new();
    char err[100];
    cr_assert_eq(model_config_set(c, "hash-max-listpack-entries", "1024", err, sizeof err), 0);
    cr_assert_eq(model_config_set(c, "zset-max-ziplist-value", "32", err, sizeof err), 0);
    cr_assert_eq(model_config_set(c, "set-max-listpack-entries", "200", err, sizeof err), 0);
    cr_assert_eq(model_config_set(c, "set-max-intset-entries", "-1", err, sizeof err), 0);
    l = limits("redis-7.0", c);
    cr_assert_eq(l.hash_entries, 1024);
    cr_assert_eq(l.zset_value, 32);
    cr_assert_eq(l.set_lp_entries, 0);
    cr_assert_eq(l.set_intset, 0);
    l = limits("redis-7.2", c);
    cr_assert_eq(l.hash_entries, 1024);
    cr_assert_eq(l.set_lp_entries, 200);
    cr_assert_eq(l.set_lp_value, 64);
    model_config_free(c);
}

/* ---- collections fed element by element ---------------------------------- */

static void feed_key(model *m, rdb_key *k, const char *name, rdb_kind kind, uint8_t type)
{
    memset(k, 0, sizeof *k);
    k->name = (const uint8_t *)name;
    k->name_len = strlen(name);
    k->kind = kind;
    k->rdb_type = type;
    model_on_key_begin(m, k);
}

static void item_text(rdb_item *it, const char *s)
{
    memset(it, 0, sizeof *it);
    it->ptr = (const uint8_t *)s;
    it->len = strlen(s);
}

/* One list item / set member given as text. */
static void feed_text(model *m, const rdb_key *k, const char *s)
{
    rdb_entry e;
    memset(&e, 0, sizeof e);
    item_text(&e.member, s);
    model_on_entry(m, k, &e);
}

static key_record end_key(model *m, const rdb_key *k, uint64_t elements)
{
    rdb_key_end end;
    memset(&end, 0, sizeof end);
    end.elements = elements;
    key_record rec;
    memset(&rec, 0, sizeof rec);
    model_key_end(m, k, &end, &rec);
    return rec;
}

/* The string key "a" = "x", fed and ended. */
static key_record one_byte_string_key(model *m)
{
    rdb_key k;
    feed_key(m, &k, "a", RDB_KIND_STRING, RDB_TYPE_STRING);
    rdb_string_chunk c;
    memset(&c, 0, sizeof c);
    c.total_len = c.len = 1;
    c.ptr = (const uint8_t *)"x";
    model_on_string(m, &k, &c);
    return end_key(m, &k, 1);
}

/* Redis 2.8 (2.8.24 rdb.c, adlist.c): a list of more than 512 items is a
 * linked list: robj 16 + list 48 + per item a listNode J(24) = 32 and the
 * item's object: the shared integer (0), a robj for other integers (16),
 * robj + sds J(8 + len + 1) for text (jemalloc 3.6 classes). */
Test(model, redis28_linked_list)
{
    model *m = model_new(model_profile_find("redis-2.8"), NULL);
    rdb_key k;
    feed_key(m, &k, "l", RDB_KIND_LIST, RDB_TYPE_LIST);
    char buf[32];
    for (int i = 0; i < 600; i++) {
        rdb_entry e;
        memset(&e, 0, sizeof e);
        if (i % 3 == 0) {
            e.member.is_int = true;
            e.member.ival = i < 300 ? 7 : 123456;      /* shared / INT robj */
            e.member.len = i < 300 ? 1 : 6;
        } else {
            snprintf(buf, sizeof buf, "item:%04d", i);  /* 9 bytes: 16 + J(18) = 48 */
            item_text(&e.member, buf);
        }
        model_on_entry(m, &k, &e);
    }
    key_record r = end_key(m, &k, 600);
    cr_assert_str_eq(r.encoding, "linkedlist");
    /* robj 16, key "l" J(8+1+1) 16 + dictEntry J(24) 32, list 48, nodes 600 * 32,
     * 400 texts * 48, 100 INT robj * 16 */
    cr_assert_eq(r.ram, 16 + 16 + 32 + 48 + 600 * 32 + 400 * 48 + 100 * 16);
    model_free(m);

    /* at most 512 short items: a ziplist built by ziplistPush */
    m = model_new(model_profile_find("redis-2.8"), NULL);
    feed_key(m, &k, "l", RDB_KIND_LIST, RDB_TYPE_LIST);
    feed_text(m, &k, "abc");
    feed_text(m, &k, "12");
    feed_text(m, &k, "1000000");
    r = end_key(m, &k, 3);
    cr_assert_str_eq(r.encoding, "ziplist");
    /* header 10, "abc" 1+1+3, 12 (immediate) 1+1, 1000000 (24-bit) 1+1+3, end 1:
     * 23 -> J(23) = 32 */
    cr_assert_eq(r.ram, 16 + 32 + 16 + 32);
    model_free(m);
}

/* Redis 3.2 (3.2.13 rdb.c rdbLoadObject, object.c tryObjectEncoding): set
 * members are objects: EMBSTR J(16 + 3 + len + 1) up to 44 bytes. */
Test(model, redis32_set_members_are_objects)
{
    model *m = model_new(model_profile_find("redis-3.2"), NULL);
    rdb_key k;
    feed_key(m, &k, "s", RDB_KIND_SET, RDB_TYPE_SET);
    char buf[32];
    for (int i = 0; i < 600; i++) {
        snprintf(buf, sizeof buf, "member:%06d", i);   /* 13 bytes: J(33) = 40 */
        feed_text(m, &k, buf);
    }
    key_record r = end_key(m, &k, 600);
    cr_assert_str_eq(r.encoding, "hashtable");
    /* robj 16 + dict 96 + 1024 buckets + 600 * (entry 24 + member 40) + key
     * J(1+1+1) 8 + dictEntry 24 */
    cr_assert_eq(r.ram, 16 + 96 + 8 * 1024 + 600 * (24 + 40) + 8 + 24);
    model_free(m);
}

/* key_record.int_members: a hashtable set is an intset candidate only if
 * every member is an integer, including those past the intset limit (the
 * loader stops caring there; the near-limit finding does not), and the
 * question is only answered up to 25 % past the limit (enc_near_window). */
Test(model, set_int_members)
{
    struct { int n; int text_at; bool want; } cases[] = {
        {600, -1, true},     /* 600 integers */
        {600, 550, false},   /* one string past the limit of 512 */
        {600, 3, false},     /* one string before it */
        {641, -1, false},    /* past 512 + 25 %: not answered */
        {640, -1, true},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        model *m = model_new(model_profile_find("redis-7.0"), NULL);
        rdb_key k;
        feed_key(m, &k, "s", RDB_KIND_SET, RDB_TYPE_SET);
        char buf[32];
        for (int i = 0; i < cases[c].n; i++) {
            if (i == cases[c].text_at) snprintf(buf, sizeof buf, "m%d", i);
            else snprintf(buf, sizeof buf, "%d", 1000 + i);
            feed_text(m, &k, buf);
        }
        key_record r = end_key(m, &k, (uint64_t)cases[c].n);
        cr_assert_str_eq(r.encoding, "hashtable");
        cr_assert_eq(r.int_members, cases[c].want, "case %zu", c);
        model_free(m);
    }
}

/* Redis 7.4.1 rdb.c: a hashtable from RDB_TYPE_HASH_METADATA carries a
 * dictExpireMetadata (32 bytes: dict J(88) = 96 instead of 56) and an
 * ebuckets of its field TTLs (a list up to 16, then a rax); the hash is
 * registered in db->hexpires. */
Test(model, redis74_hash_field_ttl_ram)
{
    uint64_t ram[2];
    for (int ttl = 0; ttl < 2; ttl++) {
        model *m = model_new(model_profile_find("redis-7.4"), NULL);
        model_set_reference_time_ms(m, 1000);
        rdb_key k;
        feed_key(m, &k, "h", RDB_KIND_HASH, ttl ? RDB_TYPE_HASH_METADATA : RDB_TYPE_HASH);
        char f[16];
        for (int i = 0; i < 600; i++) {
            rdb_entry e;
            memset(&e, 0, sizeof e);
            snprintf(f, sizeof f, "f%05d", i);
            item_text(&e.member, f);
            item_text(&e.value, "v");
            if (ttl && i % 6 == 0) { e.has_ttl = true; e.ttl_ms = 5000000 + i; }
            model_on_entry(m, &k, &e);
        }
        ram[ttl] = end_key(m, &k, 600).ram;
        model_free(m);
    }
    /* 100 fields with a TTL: J(16 + 1 + 1 + 6 + 1) = 32 instead of J(8) = 8
     * each; both hashes end with 1024 buckets, the TTL one still rehashing
     * from 512 (not presized), which adds 4096 */
    uint64_t fields = 100 * (32 - 8), table = 4096;
    cr_assert_eq(ram[1] - ram[0], fields + table + (96 - 56) + (64 + 100 * 27 / 5));
}

/* 7.4+: a db's dicts are created with its first key and the RESIZEDB hint
 * finds none to expand; the Lua VM of functions counts in used_memory. */
Test(model, redis74_keyspace_and_functions)
{
    model_totals t74, t72;
    for (int v = 0; v < 2; v++) {
        model *m = model_new(model_profile_find(v ? "redis-7.4" : "redis-7.2"), NULL);
        const char *code = "#!lua name=l\nredis.register_function('f', function(k, a) return 1 end)\n";
        rdb_bytes b = { (const uint8_t *)code, strlen(code) };
        model_on_function(m, b);
        model_on_select_db(m, 0);
        model_on_resize_db(m, 1000, 0);
        one_byte_string_key(m);
        model_finish(m, v ? &t74 : &t72);
        model_free(m);
    }
    cr_assert_eq(t72.tables_ram, 8 * 1024 + 8 * 4);   /* presized main table, empty expires */
    cr_assert_eq(t74.tables_ram, 64 + 8 * 4);         /* dict + 4 buckets */
    size_t code = strlen("#!lua name=l\nredis.register_function('f', function(k, a) return 1 end)\n");
    cr_assert_eq(t72.functions_ram, code);
    cr_assert_eq(t74.functions_ram, 8 * code + 530 + 477);
}

/* 7.2+ writes a listpack zset's scores with fpconv_dtoa: the shortest text
 * that reads back as the same double. The lengths of the strings it prints
 * for these, from 1 digit to 17, in both notations. */
Test(model, fpconv_score_lengths)
{
    const model_profile *p = model_profile_find("redis-7.2");
    struct { double v; const char *text; } cases[] = {
        {0.1, "0.1"}, {1.5, "1.5"}, {1.0 / 3, "0.3333333333333333"},
        {1e300, "1e+300"}, {-2.5e-10, "-2.5e-10"}, {123456.789, "123456.789"},
        {1.7976931348623157e308, "1.7976931348623157e+308"}, {5e-324, "5e-324"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(d2string_len(p, cases[i].v), strlen(cases[i].text), "%s", cases[i].text);
}

/* Table sizes as _dictNextExp gives them; above 2^63 the answer saturates
 * (the doubling loop this replaced never ended there). */
Test(model, next_pow2_saturates)
{
    cr_assert_eq(next_pow2(0), 4);
    cr_assert_eq(next_pow2(4), 4);
    cr_assert_eq(next_pow2(5), 8);
    cr_assert_eq(next_pow2(1000), 1024);
    cr_assert_eq(next_pow2(1024), 1024);
    cr_assert_eq(next_pow2((1ull << 40) + 1), 1ull << 41);
    cr_assert_eq(next_pow2((1ull << 63) + 1), 1ull << 63);
    cr_assert_eq(next_pow2(UINT64_MAX), 1ull << 63);
}

/* A RESIZEDB hint no server could allocate (a 37-byte file can claim 2^63
 * keys) is not modelled: the key and the tables cost what they would
 * without a hint, and nothing overflows or loops. */
Test(model, absurd_resize_hint_is_ignored)
{
    uint64_t ram[2];
    model_totals t[2];
    for (int v = 0; v < 2; v++) {
        model *m = model_new(model_profile_find("redis-7.0"), NULL);
        model_on_select_db(m, 0);
        if (v) model_on_resize_db(m, (1ull << 63) + 1, UINT64_MAX);
        ram[v] = one_byte_string_key(m).ram;
        model_finish(m, &t[v]);
        model_free(m);
    }
    cr_assert_eq(ram[1], ram[0]);
    cr_assert_eq(t[1].tables_ram, t[0].tables_ram);
    cr_assert_gt(t[0].tables_ram, 0);
}

/* A shallow blob (rdb.h): the model skips the walk of a blob the loader
 * keeps and sizes it exactly as it sizes the walked blob; a blob the
 * loader converts it asks to be walked. */
static int shallow_answer(const char *profile, uint8_t type, rdb_kind kind, uint32_t entries,
                          uint64_t *bytes)
{
    model *m = model_new(model_profile_find(profile), NULL);
    rdb_key k = {.name = (const uint8_t *)"k", .name_len = 1, .rdb_type = type, .kind = kind};
    cr_assert_eq(model_on_key_begin(m, &k), RDB_SKIP, "a kept blob needs no element events");
    rdb_container c = {.kind = type == RDB_TYPE_SET_INTSET ? RDB_CT_INTSET : RDB_CT_LISTPACK,
                       .blob = {NULL, 3000}, .stored_len = 3000, .entries = entries,
                       .intset_width = 2, .shallow = true};
    int rc = model_on_container(m, &k, &c);
    rdb_key_end end = {.elements = kind == RDB_KIND_HASH || kind == RDB_KIND_ZSET ? entries / 2 : entries,
                       .containers = 1};
    key_record rec = {0};
    if (rc == RDB_SKIP) {
        model_key_end(m, &k, &end, &rec);
        *bytes = rec.bytes;
    }
    model_free(m);
    return rc;
}

static uint64_t walked_bytes(const char *profile, uint8_t type, rdb_kind kind, uint32_t entries)
{
    model *m = model_new(model_profile_find(profile), NULL);
    rdb_key k = {.name = (const uint8_t *)"k", .name_len = 1, .rdb_type = type, .kind = kind};
    model_on_key_begin(m, &k);
    uint8_t blob[3000] = {0};
    rdb_container c = {.kind = type == RDB_TYPE_SET_INTSET ? RDB_CT_INTSET : RDB_CT_LISTPACK,
                       .blob = {blob, sizeof blob}, .stored_len = 3000, .entries = entries,
                       .intset_width = 2};
    cr_assert_eq(model_on_container(m, &k, &c), RDB_CONTINUE);
    rdb_key_end end = {.elements = kind == RDB_KIND_HASH || kind == RDB_KIND_ZSET ? entries / 2 : entries,
                       .containers = 1};
    key_record rec = {0};
    model_key_end(m, &k, &end, &rec);
    model_free(m);
    return rec.bytes;
}

Test(model, shallow_blobs_kept_are_skipped_converted_are_walked)
{
    uint64_t b = 0;
    cr_assert_eq(shallow_answer("redis-7.0", RDB_TYPE_HASH_LISTPACK, RDB_KIND_HASH, 200, &b), RDB_SKIP);
    cr_assert_eq(b, walked_bytes("redis-7.0", RDB_TYPE_HASH_LISTPACK, RDB_KIND_HASH, 200),
                 "length and count size it as the walk does");
    cr_assert_eq(shallow_answer("redis-7.2", RDB_TYPE_LIST_QUICKLIST_2, RDB_KIND_LIST, 100, &b), RDB_SKIP);
    cr_assert_eq(b, walked_bytes("redis-7.2", RDB_TYPE_LIST_QUICKLIST_2, RDB_KIND_LIST, 100));
    cr_assert_eq(shallow_answer("redis-7.4", RDB_TYPE_SET_INTSET, RDB_KIND_SET, 300, &b), RDB_SKIP);
    /* over hash-max-listpack-entries (512) / set-max-intset-entries (512):
     * converted on load, replayed, so walked */
    cr_assert_eq(shallow_answer("redis-7.0", RDB_TYPE_HASH_LISTPACK, RDB_KIND_HASH, 2 * 600, &b), RDB_CONTINUE);
    cr_assert_eq(shallow_answer("redis-7.4", RDB_TYPE_SET_INTSET, RDB_KIND_SET, 600, &b), RDB_CONTINUE);
}
