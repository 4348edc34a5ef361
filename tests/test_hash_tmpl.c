/* test_hash_tmpl.c: Redis hash templates (RDB 15, rdb/hash_tmpl.c): the
 * events of tests/fixtures/newer/redis15_hash_templates.rdb, whose content
 * is that of redis/librdb's test/dumps/hash_template_v15.json (h1..h5:
 * name/age/city), hash_template_array_v15.json (k1..k3: alpha..delta),
 * hash_template_values_v15.json (e1..e3: an integer, an empty and an
 * LZF-compressed value) and hash_template_self_*_v15.json (self-contained
 * types 29/31); librdb's corruption cases; the registry bounds; the model. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/evlog.h"
#include "tests/support/modelrun.h"
#include "tests/support/rdbbuild.h"

#define FIX "tests/fixtures/newer/redis15_hash_templates.rdb"

static char *log_of(const char *path)
{
    evlog l;
    rdb_result res;
    cr_assert_eq(evlog_parse_file(path, EVLOG_NO_AUX, NULL, &l, &res), RDB_OK, "%s", res.error.message);
    cr_assert_eq(res.trailer.checksum, RDB_CHECKSUM_OK);
    return l.text;
}

/* Fields come in the template's order (length, then bytes), values paired. */
Test(hash_tmpl, registry_and_lp_refs)
{
    char *t = log_of(FIX);
    char want[4096];
    size_t o = (size_t)snprintf(want, sizeof want,
                                "header REDIS0015 v15\n"
                                "hash_template id=0 fields=3 bytes=11\n"
                                "hash_template id=7 fields=4 bytes=19\n"
                                "hash_template id=1099511627776 fields=3 bytes=11\n"
                                "select 0\n");
    for (int i = 1; i <= 5; i++)
        o += (size_t)snprintf(want + o, sizeof want - o,
                              "begin db=0 h%d type=30 hash meta=0\n"
                              "entry age=a%d\nentry city=c%d\nentry name=n%d\n"
                              "container listpack entries=4\nend elements=3 largest=4\n", i, i, i, i);
    for (int i = 1; i <= 3; i++)
        o += (size_t)snprintf(want + o, sizeof want - o,
                              "%sbegin db=1 k%d type=32 hash meta=0\n"
                              "entry beta=B%d\nentry alpha=A%d\nentry delta=D%d\nentry gamma=G%d\n"
                              "end elements=4 largest=5\n", i == 1 ? "select 1\n" : "", i, i, i, i, i);
    cr_assert(strncmp(t, want, o) == 0, "events differ:\n%s", t);
    free(t);
}

Test(hash_tmpl, values_int_empty_lzf)
{
    char *t = log_of(FIX);
    char big[401];
    memset(big, 'a', 400);
    big[400] = 0;
    for (int i = 1; i <= 3; i++) {
        char want[256];
        /* the 400-byte value, LZF-compressed in the file, shows as its first
         * 120 bytes (evlog) */
        snprintf(want, sizeof want, "begin db=2 e%d type=32 hash meta=0\nentry big=%.120s...(400)\n"
                 "entry num=%d\nentry empty=\nend elements=3 largest=400\n", i, big, i * 1000000);
        cr_assert(strstr(t, want), "missing:\n%s\nin:\n%s", want, t);
    }
    free(t);
}

Test(hash_tmpl, self_contained_forms)
{
    char *t = log_of(FIX);
    static const char want[] =
        "select 3\n"
        "begin db=3 s1 type=29 hash meta=0\nentry age=a1\nentry city=c1\nentry name=n1\n"
        "container listpack entries=4\nend elements=3 largest=4\n"
        "begin db=3 s2 type=29 hash meta=0\nentry age=a2\nentry city=c2\nentry name=n2\n"
        "container listpack entries=4\nend elements=3 largest=4\n"
        "begin db=3 s3 type=31 hash meta=0\nentry age=a3\nentry city=c3\nentry name=n3\n"
        "end elements=3 largest=4\n"
        "begin db=3 s4 type=31 hash meta=0\nentry age=a4\nentry city=c4\nentry name=n4\n"
        "end elements=3 largest=4\n";
    cr_assert(strstr(t, want), "events differ:\n%s", t);
    free(t);
}

/* librdb's multiple_types_v15.json: str, myzset, myhash, mylist, myset. */
Test(hash_tmpl, plain_types_in_v15)
{
    char *t = log_of("tests/fixtures/newer/redis15_multiple_types.rdb");
    static const char want[] =
        "header REDIS0015 v15\nselect 0\n"
        "begin db=0 str type=0 string meta=0\nstring hello world\nend elements=11 largest=11\n"
        "begin db=0 myzset type=17 zset meta=0\nzmember one score=1\nzmember two score=2\n"
        "zmember three score=3\ncontainer listpack entries=6\nend elements=3 largest=5\n"
        "begin db=0 myhash type=16 hash meta=0\nentry f1=v1\nentry f2=v2\nentry f3=v3\n"
        "container listpack entries=6\nend elements=3 largest=2\n"
        "begin db=0 mylist type=18 list meta=0\nmember a\nmember b\nmember c\nmember 1\nmember 2\n"
        "member 3\ncontainer listpack entries=6\nend elements=6 largest=1\n"
        "begin db=0 myset type=20 set meta=0\nmember x\nmember y\nmember z\n"
        "container listpack entries=3\nend elements=3 largest=1\n";
    cr_assert_str_eq(t, want);
    free(t);
}

/* ---- corruption (librdb's hash_template_corrupt_* cases, rebuilt) ------- */

static void tmpl_record(rb *b, uint64_t id, int n, const char *const *fields)
{
    rb_u8(b, 0xf2);
    rb_len(b, id);
    rb_len(b, (uint64_t)n);
    for (int i = 0; i < n; i++) rb_str(b, fields[i]);
}

static const char *const F3[] = {"age", "city", "name"};

static void head(rb *b) { rb_magic(b, "REDIS0015"); }
static void db0(rb *b) { rb_u8(b, 0xfe), rb_len(b, 0); }

static void expect(rb *b, rdb_status want, size_t at, const char *text, const rdb_options *opt)
{
    rb_finish(b);
    int fd = rb_memfd(b->p, b->len);
    rdb_options o = opt ? *opt : (rdb_options){0};
    o.input_size = b->len;
    rdb_result res;
    cr_assert_eq(rdb_parse_fd(fd, NULL, NULL, &o, &res), want, "%s", res.error.message);
    close(fd);
    cr_assert_eq(res.error.offset, at, "offset %llu: %s", (unsigned long long)res.error.offset,
                 res.error.message);
    cr_assert(strstr(res.error.message, text), "%s", res.error.message);
    rb_free(b);
}

Test(hash_tmpl, unknown_id)
{
    rb b = {0};
    head(&b);
    tmpl_record(&b, 1, 3, F3);
    db0(&b);
    rb_u8(&b, 32), rb_str(&b, "k");
    size_t at = b.len;
    rb_len(&b, 2), rb_str(&b, "x"), rb_str(&b, "y"), rb_str(&b, "z");
    expect(&b, RDB_ERR_FORMAT, at, "template id 2, which no earlier HASH_TEMPLATES record defines", NULL);
}

Test(hash_tmpl, duplicate_id)
{
    rb b = {0};
    head(&b);
    tmpl_record(&b, 9, 3, F3);
    size_t at = b.len + 1;
    tmpl_record(&b, 9, 3, F3);
    expect(&b, RDB_ERR_FORMAT, at, "id 9 is defined twice", NULL);
}

Test(hash_tmpl, unsorted_fields)
{
    static const char *const bad[] = {"city", "age", "name"};
    rb b = {0};
    head(&b);
    rb_u8(&b, 0xf2), rb_len(&b, 1), rb_len(&b, 3), rb_str(&b, bad[0]);
    size_t at = b.len;
    rb_str(&b, bad[1]), rb_str(&b, bad[2]);
    expect(&b, RDB_ERR_FORMAT, at, "field 1 is not after the one before it", NULL);
}

Test(hash_tmpl, equal_fields)
{
    static const char *const bad[] = {"age", "age"};
    rb b = {0};
    head(&b);
    rb_u8(&b, 0xf2), rb_len(&b, 1), rb_len(&b, 2), rb_str(&b, bad[0]);
    size_t at = b.len;
    rb_str(&b, bad[1]);
    expect(&b, RDB_ERR_FORMAT, at, "strictly ascending", NULL);
}

Test(hash_tmpl, zero_fields)
{
    rb b = {0};
    head(&b);
    rb_u8(&b, 0xf2), rb_len(&b, 1);
    size_t at = b.len;
    rb_len(&b, 0);
    expect(&b, RDB_ERR_FORMAT, at, "has 0 fields", NULL);
}

/* An untrusted count is checked against the file before anything is read. */
Test(hash_tmpl, huge_field_count_fails_fast)
{
    rb b = {0};
    head(&b);
    rb_u8(&b, 0xf2), rb_len(&b, 1);
    size_t at = b.len;
    rb_len(&b, 1ULL << 50), rb_str(&b, "a");
    expect(&b, RDB_ERR_TRUNCATED, at, "claims 1125899906842624 fields", NULL);
}

Test(hash_tmpl, registry_is_bounded)
{
    rb b = {0};
    head(&b);
    tmpl_record(&b, 1, 3, F3);
    size_t at = b.len + 1;
    tmpl_record(&b, 2, 3, F3);
    /* the first template: 32 + 3 x 16 + 11 bytes = 91 */
    rdb_options o = {.max_template_bytes = 100};
    expect(&b, RDB_ERR_LIMIT, at, "max_template_bytes", &o);
}

/* 40 templates with scattered ids (tools/fuzz/gen_seeds.py): more than the
 * registry's first table holds, so it grows and rehashes what it has; every
 * hash, read in the reverse order, still finds its own template. */
Test(hash_tmpl, registry_grows_past_its_first_table)
{
    char *t = log_of("tests/fixtures/fuzz/fuzz_rdb-hash-templates-40.bin");
    static char want[16384];
    size_t o = (size_t)snprintf(want, sizeof want, "header REDIS0015 v15\n");
    for (int i = 0; i < 40; i++)
        o += (size_t)snprintf(want + o, sizeof want - o, "hash_template id=%d fields=3 bytes=%d\n",
                              i * 1000003, i < 10 ? 2 + 2 + 6 : 3 + 3 + 6);
    o += (size_t)snprintf(want + o, sizeof want - o, "select 0\n");
    for (int i = 39; i >= 0; i--) {
        o += (size_t)snprintf(want + o, sizeof want - o,
                              "begin db=0 %s%d type=%d hash meta=0\n"
                              "entry f%d=f%d=%d\nentry g%d=g%d=%d\nentry common=common=%d\n"
                              "%send elements=3 largest=%d\n",
                              i % 2 ? "lp" : "arr", i, i % 2 ? 30 : 32, i, i, i, i, i, i, i,
                              i % 2 ? "container listpack entries=4\n" : "", i < 10 ? 8 : 9);
        cr_assert_lt(o, sizeof want);
    }
    cr_assert_str_eq(t, want);
    free(t);
}

Test(hash_tmpl, lp_ref_value_count_mismatch)
{
    rb b = {0};
    head(&b);
    tmpl_record(&b, 0, 3, F3);
    db0(&b);
    rb_u8(&b, 30), rb_str(&b, "k");
    /* listpack: id 0 and two values, one short */
    static const uint8_t lp[] = {15, 0, 0, 0, 3, 0, 0, 1, 0x81, 'x', 2, 0x81, 'y', 2, 0xff};
    size_t at = b.len + 1;
    rb_raw_str(&b, lp, sizeof lp);
    expect(&b, RDB_ERR_FORMAT, at + 14, "fewer values than the template has fields", NULL);
}

Test(hash_tmpl, self_contained_bad_fields_format)
{
    rb b = {0};
    head(&b);
    db0(&b);
    rb_u8(&b, 31), rb_str(&b, "k");
    size_t at = b.len;
    rb_len(&b, 2);
    expect(&b, RDB_ERR_FORMAT, at, "fields format 2", NULL);
}

/* Byte 0xF2 is HASH_TEMPLATES from RDB 15 only, and Valkey's UPDATE in a
 * VALKEY 81 file. */
Test(hash_tmpl, opcode_f2_by_magic_and_version)
{
    rb b = {0};
    rb_magic(&b, "REDIS0014");
    size_t at = b.len;
    tmpl_record(&b, 0, 3, F3);
    expect(&b, RDB_ERR_FORMAT, at, "opcode 0xF2 (HASH_TEMPLATES) in a REDIS RDB version 14 file", NULL);
    rb v = {0};
    rb_magic(&v, "VALKEY080");
    at = v.len;
    tmpl_record(&v, 0, 3, F3);
    expect(&v, RDB_ERR_FORMAT, at, "opcode 0xF2 (UPDATE) in a VALKEY RDB version 80 file", NULL);
}

/* ---- the model (redis-8.10, an estimate from the design notes) ---------- */

Test(hash_tmpl, model_template_encodings)
{
    modelrun r;
    cr_assert_eq(modelrun_file(FIX, "redis-8.10", &r), RDB_OK);
    /* h1: key "h1" J(1+2+1)=8 + entry 24; robj 16; its values listpack of
     * 6 + id (1+1) + 3 x (1+2+1) + 1 = 21 bytes -> J 24 */
    const modelrun_key *k = modelrun_find(&r, 0, "h1");
    cr_assert_str_eq(k->encoding, "template-listpack");
    cr_assert_eq(k->bytes, 32 + 16 + 24);
    /* k1: hashTemplateArray J(8 + 4 x 8) = 40, four 2-byte values J(1+2+1) = 8 each */
    k = modelrun_find(&r, 1, "k1");
    cr_assert_str_eq(k->encoding, "template-array");
    cr_assert_eq(k->bytes, 32 + 16 + 40 + 4 * 8);
    /* the registry counts in used_memory only: 3 templates */
    cr_assert_gt(r.totals.templates_ram, 0);
    /* on 8.8 (no templates) they are the plain hashes of the same fields */
    modelrun o;
    cr_assert_eq(modelrun_file(FIX, "redis-8.8", &o), RDB_OK);
    cr_assert_str_eq(modelrun_find(&o, 0, "h1")->encoding, "listpack");
    cr_assert_str_eq(modelrun_find(&o, 2, "e1")->encoding, "hashtable");   /* a 400-byte value */
    cr_assert_eq(o.totals.templates_ram, 0);
}
