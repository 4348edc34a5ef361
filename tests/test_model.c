/* test_model.c: the memory model's formulas against numbers real servers
 * reported (shared/corpus reload-main.jsonl memory_usage_samples0 of the
 * named version) and against the allocator / encoding rules. */
#include <criterion/criterion.h>
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
    cr_assert_null(model_profile_find("redis-1.0"));
    cr_assert_eq(model_profile_count(), 11);
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
