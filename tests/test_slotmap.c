/* test_slotmap.c: shard layouts (analyze/slotmap.c).
 *
 * The even split is checked for coverage here and against redis-cli's own
 * output by tools/cluster_live.py (tests/scripts/cluster.sh). The parser
 * reads tests/fixtures/slotmap: CLUSTER NODES, nodes.conf and CLUSTER
 * SHARDS as redis-cli 7.0.15 printed them from a real cluster (formatted
 * RESP2 and RESP3, --raw, --json; 3 masters, and 3 masters with a replica
 * each), all of which must give the same shards; then edge cases written
 * here, and garbage that must be refused with a message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/slotmap.h"
#include "tests/support/minijson.h"

static void expect_cover_once(const slotmap *m) {
    static unsigned char seen[SLOT_COUNT];
    memset(seen, 0, sizeof seen);
    for (size_t i = 0; i < m->nranges; i++)
        for (unsigned s = m->ranges[i].first; s <= m->ranges[i].last; s++) {
            cr_assert_lt(s, SLOT_COUNT);
            cr_assert_eq(seen[s], 0, "slot %u twice", s);
            seen[s] = 1;
        }
    for (unsigned s = 0; s < SLOT_COUNT; s++) cr_assert_eq(seen[s], 1, "slot %u in no shard", s);
}

Test(slotmap, even_split_covers_every_slot_once) {
    static const unsigned ns[] = {1, 2, 3, 5, 6, 7, 10, 16, 100, 1000, 3000, 16383, 16384};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        slotmap m;
        cr_assert_eq(slotmap_even(&m, ns[i]), 0);
        cr_assert_eq(m.nshards, ns[i]);
        cr_assert_eq(m.nodes, ns[i]);
        expect_cover_once(&m);
        for (size_t s = 0; s < m.nshards; s++) {
            cr_assert_eq(m.shards[s].nranges, 1);
            const slot_range *g = &m.ranges[m.shards[s].first_range];
            if (s) cr_assert_eq(g->first, m.ranges[m.shards[s - 1].first_range].last + 1);
            uint64_t size = g->last - g->first + 1;
            cr_assert(size == SLOT_COUNT / ns[i] || size == SLOT_COUNT / ns[i] + 1,
                      "%u shards: shard %zu has %llu slots", ns[i], s, (unsigned long long)size);
        }
        slotmap_free(&m);
    }
    slotmap m;
    cr_assert_eq(slotmap_even(&m, 0), -1);
    cr_assert_eq(slotmap_even(&m, 16385), -1);
    /* redis-cli --cluster create with 3 masters */
    cr_assert_eq(slotmap_even(&m, 3), 0);
    cr_assert_eq(m.ranges[0].last, 5460);
    cr_assert_eq(m.ranges[1].last, 10922);
    cr_assert_eq(m.ranges[2].last, 16383);
    slotmap_free(&m);
}

static int parse_text(slotmap *m, const char *text, char *err, size_t errlen) {
    return slotmap_parse(m, text, strlen(text), err, errlen);
}

static void parse_file(slotmap *m, const char *name) {
    char path[256], err[256];
    snprintf(path, sizeof path, "tests/fixtures/slotmap/%s", name);
    size_t len;
    char *text = mj_slurp(path, &len);
    cr_assert_not_null(text, "cannot read %s", path);
    cr_assert_eq(slotmap_parse(m, text, len, err, sizeof err), 0, "%s: %s", name, err);
    free(text);
}

/* the shards as "name:first-last,first-last;..." */
static void describe(const slotmap *m, char *out, size_t cap) {
    size_t o = 0;
    for (size_t i = 0; i < m->nshards; i++) {
        o += (size_t)snprintf(out + o, cap - o, "%s:", m->shards[i].name);
        for (size_t r = 0; r < m->shards[i].nranges; r++) {
            const slot_range *g = &m->ranges[m->shards[i].first_range + r];
            o += (size_t)snprintf(out + o, cap - o, "%s%u-%u", r ? "," : "", g->first, g->last);
        }
        o += (size_t)snprintf(out + o, cap - o, ";");
    }
}

Test(slotmap, every_saved_form_gives_the_same_shards) {
    static const char *const sets[2][6] = {
        {"nodes.txt", "nodes.conf", "shards-resp2.txt", "shards-resp3.txt", "shards-raw.txt", "shards-json.txt"},
        {"nodes-replicas.txt", "shards-resp2-replicas.txt", "shards-resp3-replicas.txt",
         "shards-raw-replicas.txt", "shards-json-replicas.txt", NULL}};
    for (int s = 0; s < 2; s++) {
        char first[1024] = "", got[1024];
        for (int i = 0; i < 6 && sets[s][i]; i++) {
            slotmap m;
            parse_file(&m, sets[s][i]);
            cr_assert_eq(m.nshards, 3, "%s: %zu shards", sets[s][i], m.nshards);
            cr_assert_eq(m.nodes, s ? 6 : 3, "%s: %zu nodes", sets[s][i], m.nodes);
            expect_cover_once(&m);
            for (size_t k = 0; k < m.nshards; k++)
                cr_assert(!strncmp(m.shards[k].name, "127.0.0.1:", 10), "%s: shard named '%s'",
                          sets[s][i], m.shards[k].name);
            describe(&m, got, sizeof got);
            if (!first[0]) snprintf(first, sizeof first, "%s", got);
            cr_assert_str_eq(got, first, "%s differs from %s", sets[s][i], sets[s][0]);
            slotmap_free(&m);
        }
    }
}

Test(slotmap, nodes_edge_cases) {
    char err[256], got[1024];
    slotmap m;
    /* migrating / importing markers leave the slot with its owner; several
     * ranges per master; a hostname after the address; noaddr; replicas */
    const char *text =
        "# saved by hand\n"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 10.0.0.1:7000@17000,host-a myself,master - 0 0 1 connected 0-99 200 300-16383 [201->-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb]\n"
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb :0@0 master,noaddr - 0 0 2 disconnected 100-199 201-299 [201-<-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n"
        "cccccccccccccccccccccccccccccccccccccccc 10.0.0.3:7002@17002 slave aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 0 0 1 connected\n"
        "\n"
        "vars currentEpoch 2 lastVoteEpoch 0\n";
    cr_assert_eq(parse_text(&m, text, err, sizeof err), 0, "%s", err);
    describe(&m, got, sizeof got);
    cr_assert_str_eq(got, "10.0.0.1:7000:0-99,200-200,300-16383;"
                          "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb:100-199,201-299;");
    cr_assert_eq(m.nodes, 3);
    expect_cover_once(&m);
    slotmap_free(&m);
    /* slots may be left unassigned */
    cr_assert_eq(parse_text(&m, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1.2.3.4:1@2 master - 0 0 1 connected 5 7-9\n",
                            err, sizeof err), 0, "%s", err);
    cr_assert_eq(m.nshards, 1);
    cr_assert_eq(m.nranges, 2);
    slotmap_free(&m);
}

Test(slotmap, shards_with_several_ranges_and_replicas) {
    char err[256], got[1024];
    slotmap m;
    const char *text =
        "1) 1) \"slots\"\n   2) 1) (integer) 0\n      2) (integer) 10\n      3) (integer) 20\n      4) (integer) 30\n"
        "   3) \"nodes\"\n   4) 1)  1) \"id\"\n          2) \"x1\"\n          3) \"port\"\n          4) (integer) 6379\n"
        "          5) \"ip\"\n          6) \"10.1.1.1\"\n          7) \"endpoint\"\n          8) \"db1.example\"\n"
        "          9) \"role\"\n         10) \"replica\"\n"
        "      2)  1) \"id\"\n          2) \"x2\"\n          3) \"port\"\n          4) (integer) 6380\n"
        "          5) \"ip\"\n          6) \"10.1.1.2\"\n          7) \"endpoint\"\n          8) \"\"\n"
        "          9) \"role\"\n         10) \"master\"\n"
        "2) 1) \"slots\"\n   2) (empty array)\n   3) \"nodes\"\n   4) 1) 1) \"id\"\n 2) \"x3\"\n 3) \"role\"\n 4) \"master\"\n";
    cr_assert_eq(parse_text(&m, text, err, sizeof err), 0, "%s", err);
    describe(&m, got, sizeof got);
    /* the master names the shard (its ip when the endpoint is empty); a
     * shard without slots is dropped, its node still counted */
    cr_assert_str_eq(got, "10.1.1.2:6380:0-10,20-30;");
    cr_assert_eq(m.nodes, 3);
    slotmap_free(&m);
}

Test(slotmap, garbage_is_refused_with_a_message) {
    static const struct { const char *text, *msg; } bad[] = {
        {"", "no slot ranges found"},
        {"hello world\nthis is not a cluster\n", "no slot ranges found"},
        {"{\"a\": [1, 2, 3]}", "no slot ranges found"},
        {"slots 0 5460 16000", "odd number of slot numbers"},
        {"slots 0 16384", "slot 16384 is past 16383"},
        {"slots 10 5", "runs backwards"},
        {"slots 0 100 nodes slots 50 200", "slot 50 is claimed by two shards"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1.2.3.4:1@2 master - 0 0 1 connected 0-99x\n",
         "line 1: '0-99x' is not a slot or slot range"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1.2.3.4:1@2 master - 0 0 1 connected 99-0\n",
         "is not a slot or slot range"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1.2.3.4:1@2 master - 0 0 1 connected 0-99\n"
         "garbage line\n", "line 2: not a CLUSTER NODES line"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1.2.3.4:1@2 master - 0 0 1 connected 0-99\n"
         "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 1.2.3.5:1@2 master - 0 0 1 connected 99-200\n",
         "slot 99 is claimed by two shards (1.2.3.4:1 and 1.2.3.5:1)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        slotmap m;
        char err[256] = "";
        cr_assert_eq(parse_text(&m, bad[i].text, err, sizeof err), -1, "case %zu accepted", i);
        cr_assert(strstr(err, bad[i].msg), "case %zu: '%s', expected '%s'", i, err, bad[i].msg);
        cr_assert_eq(m.nshards, 0);
    }
    /* bytes of every value, NULs included: refused, never read past the end */
    char junk[4096];
    srand(3);
    for (int round = 0; round < 200; round++) {
        size_t n = (size_t)(rand() % (int)sizeof junk);
        for (size_t i = 0; i < n; i++) junk[i] = (char)(rand() % 256);
        slotmap m;
        char err[256];
        if (slotmap_parse(&m, junk, n, err, sizeof err) == 0) {
            for (size_t r = 0; r < m.nranges; r++)   /* random bytes made a map: a valid one */
                cr_assert(m.ranges[r].first <= m.ranges[r].last && m.ranges[r].last < SLOT_COUNT);
            slotmap_free(&m);
        } else {
            cr_assert(err[0]);
        }
    }
}
