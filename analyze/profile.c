/* profile.c: one constant table per server line.
 *
 * Sources (read at the named tags of redis/redis and valkey-io/valkey):
 *  - struct sizes: src/server.h, src/dict.h, src/quicklist.h, src/stream.h
 *    (robj 16 = type:4 encoding:4 lru:24 refcount ptr; dictEntry 24; dict 96
 *    up to 6.2 (two 32-byte dictht + type/privdata/rehashidx/iterators), 56
 *    from 7.0 (ht_table[2], ht_used[2], rehashidx, pauserehash, ht_size_exp);
 *    quicklist 40; quicklistNode 32 up to 6.2, 40 from 7.0 (sz widened to
 *    size_t); stream 40 (5.0-6.2) / 80 (7.0+: first_id, max_deleted_entry_id,
 *    entries_added); streamCG 32 / 40 (7.0+ entries_read); streamConsumer 24 /
 *    32 (7.2+ active_time)); rax 24, 32 in valkey unstable since f85d8bf
 *    "Rax size tracking (#688)", 2024-10-02 (src/rax.h: size_t alloc_size),
 *    which the corpus' valkey unstable (55bbbe0, 2024-10-25) contains.
 *  - ZSKIPLIST_MAXLEVEL: src/server.h: 32, but 64 in 5.0.x (5.0.14).
 *  - OBJ_ENCODING_EMBSTR_SIZE_LIMIT 44: src/object.c 3.2.13+; 2.8.24 has no
 *    EMBSTR (redis.h has no embstr encoding in 2.8).
 *  - MEMORY USAGE: src/object.c objectComputeSize / memoryCommand:
 *    4.0.14/5.0.14 EMBSTR = len+2+16 and sds = sdsAllocSize (hdr+len+1);
 *    6.2.16 sds = sdsZmallocSize; 7.0.15+ EMBSTR = zmalloc_size(robj) and
 *    blobs (listpack, intset, quicklist nodes) by zmalloc_size; up to 6.2
 *    blobs by ziplistBlobLen / intsetBlobLen.
 *  - encodings: 7.0.15 listpacks for hashes, zsets, quicklist nodes (rdb.c
 *    rdbLoadObject converts ziplists); 7.2.6 set listpack and single-node
 *    list listpack (t_set.c, t_list.c listTypeTryConversion); set dicts
 *    without values (dict.c no_value, redis PR #11595); 7.2.6 d2string via
 *    fpconv_dtoa (util.c); 7.4.1 hash field expiration and kvstore.
 *  - default thresholds: src/config.c of each tag (hash 512/64, set intset
 *    512, set listpack 128/64 (7.2+), zset 128/64, list -2, compress 0).
 *  - startup_used: used_memory of that exact server started empty, measured
 *    with one client connected (shared/corpus reload-meta-main.json
 *    startup_baseline of each version).
 *  - function overhead: calibrated on the 7.0.15/7.2.6/7.4.1 corpus dumps
 *    (two libraries, three functions), see model.c; 7.4+: FUNC_LUA_74.
 *  - robj_elements (2.8.24, 3.2.13): src/rdb.c rdbLoadObject keeps set,
 *    zset and hashtable-hash elements (and 2.8 linked-list items) as robj;
 *    4.0.14 made them sds (t_set.c, t_zset.c, t_hash.c).
 *  - ql_plain_by_fill: src/quicklist.c isLargeElement(sz, fill) of redis
 *    7.4.1 / unstable 2024-10 and valkey 8.0.1 (an element over the fill's
 *    node size limit is a PLAIN node; packed_threshold 0 unless a test sets
 *    it); 7.0.15 / 7.2.6 isLargeElement(size): size >= 1 GiB.
 *  - cluster mode (model_cluster.c has the sources of each keyspace kind):
 *    cluster_startup_used is used_memory of an empty cluster node of that
 *    exact server with one client (shared/corpus-cluster reload-meta-
 *    cluster-main.json startup_baseline: the node's own nodes.conf, all
 *    16384 slots). No cluster node of valkey unstable was measured:
 *    valkey-8.1-dev takes 8.0.1's plus the 232 bytes its empty standalone
 *    server has over 8.0.1's. The estimated newer lines (redis 8.6 - 8.10,
 *    valkey 9.0) take the cluster numbers of the line they extend, and its
 *    quicklist rules (ql_plain_by_fill). Lines before 6.2 have no cluster
 *    model.
 *  - kvstore_dict: J(sizeof(dict) 56 + kvstoreDictMetadata), src/dict.h,
 *    src/kvstore.c: 8 bytes (rehashing_node) in redis 7.4.1 and unstable
 *    2024-10 (64), 16 (+ kvs) in valkey 8.0.1 and unstable 2024-10 (80); the
 *    db dicts are created on demand (server.c initServer
 *    KVSTORE_ALLOCATE_DICTS_ON_DEMAND).
 *
 * Newer profiles (redis-8.6, 8.8, 8.10, valkey-9.0): no server of these
 * versions runs here, so each is the nearest measured profile (redis-8.0,
 * valkey-8.1-dev: every constant above, startup_used included) plus what the
 * new types cost, read from their sources and marked `estimated` (`rdblens
 * profiles` says so). What changed in those servers' key layout (Redis 8.2's
 * kvobj, Valkey 8.1's hashtable) is NOT modelled: the per-key terms are the
 * 8.0 ones. The new terms and their sources:
 *  - keymeta (8.6, redis src/keymeta.c keyMetaSetMetadata / kvobjAllocSize,
 *    redis PR #14704): each attached class is an 8-byte slot in front of
 *    the key object: + 8 bytes a class to the key's allocation.
 *  - stream_idmp (8.6, redis PR #14615): producers and their IIDs
 *    (model_newer.c), stream_nack (8.8, redis PR #14797): the NACKed IDs
 *    kept per group (model_stream.c).
 *  - arrays (8.8, redis src/sparsearray.c, sparsearray.h): model_array.c
 *    replays arSet.
 *  - hash_templates (8.10, the "hinted hash templates" design notes of
 *    redis branch hinted-hash-dev): model_newer.c.
 *  - valkey_hash2 (9.0, valkey src/rdb.c, src/entry.c): model_newer.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/model_int.h"

#define THR_OLD  .hash_entries = 512, .hash_value = 64, .set_intset = 512, \
                 .set_lp_entries = 0, .set_lp_value = 0, .zset_entries = 128, \
                 .zset_value = 64, .list_size = -2, .list_compress = 0
#define THR_72   .hash_entries = 512, .hash_value = 64, .set_intset = 512, \
                 .set_lp_entries = 128, .set_lp_value = 64, .zset_entries = 128, \
                 .zset_value = 64, .list_size = -2, .list_compress = 0

/* 7.4+: the Lua VM that runs functions allocates through zmalloc and counts
 * in used_memory (redis PR #13133, 7.4.0 release notes; src/script.c
 * luaAlloc). What a library adds right after a load (its compiled chunk and
 * closures, the compile garbage Lua's GC has not yet collected, and the
 * library / function structs and the code sds that 7.0 / 7.2 count too) was
 * measured on a 7.4.1 build loading dumps of 1-20 libraries with 1-20
 * functions of 90 B - 11 KB of code: about 530 per library + 480 per
 * function + 8 per byte of code (the code itself and 7 of Lua), within 15 %
 * for up to ~20 KB of growth (the corpus' two libraries: 5864 real,
 * 5579 here); beyond that Lua's GC collects the compile garbage and this
 * overstates, and code that is mostly comments costs about 1 per byte. */
#define FUNC_LUA_74 .func_lib_overhead = 530, .func_overhead = 477, .func_code_factor = 7

/* The redis-8.0 line's numbers (unstable 2024-10, measured), which the
 * estimated 8.6-8.10 profiles reuse for everything but their new types. */
#define LAYOUT_REDIS_80(version)                                                                    \
    .family = FAM_REDIS, .ver = (version), .alloc = ALLOC_JE4, .has_memory_usage = true,           \
    .embstr_limit = 44, .mu_embstr = MU_EMB_ZMALLOC, .mu_sds_rounded = true,                       \
    .mu_blob_rounded = true, .sds_usable_alloc = true, .robj = 16, .dict_entry = 24,               \
    .dict_struct = 56, .ql_struct = 40, .ql_node = 40, .zsl_maxlevel = 32, .listpack = true,       \
    .list_listpack = true, .set_listpack = true, .set_novalue = true, .has_quicklist = true,       \
    .d2s_fpconv = true, .hfe = true, .kvstore = true, .kvstore_dict = 64, .ql_plain_by_fill = true, \
    .stream_struct = 80, .stream_cg = 40, .stream_consumer = 32, THR_72, .startup_used = 986664,   \
    FUNC_LUA_74

static const model_profile profiles[] = {
    { .name = "redis-2.8", .describe = "Redis 2.8 (jemalloc 3.6, sds 8-byte headers, no EMBSTR, no MEMORY USAGE)",
      .family = FAM_REDIS, .ver = 208, .alloc = ALLOC_JE3, .has_memory_usage = false,
      .embstr_limit = 0, .mu_embstr = MU_EMB_NONE,
      .robj = 16, .dict_entry = 24, .dict_struct = 96, .ql_struct = 40, .ql_node = 32,
      .zsl_maxlevel = 32, .has_quicklist = false, .robj_elements = true,
      .stream_struct = 40, .stream_cg = 32, .stream_consumer = 24,
      /* 2.8 lists: list-max-ziplist-entries 512 / -value 64 (redis.h) */
      .hash_entries = 512, .hash_value = 64, .set_intset = 512, .zset_entries = 128,
      .zset_value = 64, .list_size = 512, .list_compress = 0,
      .startup_used = 809944 },
    { .name = "redis-3.2", .describe = "Redis 3.2 (jemalloc 4.0.3, quicklist of ziplists, no MEMORY USAGE)",
      .family = FAM_REDIS, .ver = 302, .alloc = ALLOC_JE4, .has_memory_usage = false,
      .embstr_limit = 44, .mu_embstr = MU_EMB_NONE,
      .robj = 16, .dict_entry = 24, .dict_struct = 96, .ql_struct = 40, .ql_node = 32,
      .zsl_maxlevel = 32, .has_quicklist = true, .robj_elements = true,
      .stream_struct = 40, .stream_cg = 32, .stream_consumer = 24, THR_OLD,
      .startup_used = 822776 },
    { .name = "redis-4.0", .describe = "Redis 4.0 (jemalloc 4.0.3, ziplists, MEMORY USAGE unrounded)",
      .family = FAM_REDIS, .ver = 400, .alloc = ALLOC_JE4, .has_memory_usage = true,
      .embstr_limit = 44, .mu_embstr = MU_EMB_LEN2,
      .robj = 16, .dict_entry = 24, .dict_struct = 96, .ql_struct = 40, .ql_node = 32,
      .zsl_maxlevel = 32, .has_quicklist = true,
      .stream_struct = 40, .stream_cg = 32, .stream_consumer = 24, THR_OLD,
      .startup_used = 849680 },
    { .name = "redis-5.0", .describe = "Redis 5.0 (jemalloc 5.1, ziplists, streams, skiplist max level 64)",
      .family = FAM_REDIS, .ver = 500, .alloc = ALLOC_JE4, .has_memory_usage = true,
      .embstr_limit = 44, .mu_embstr = MU_EMB_LEN2,
      .robj = 16, .dict_entry = 24, .dict_struct = 96, .ql_struct = 40, .ql_node = 32,
      .zsl_maxlevel = 64, .has_quicklist = true,
      .stream_struct = 40, .stream_cg = 32, .stream_consumer = 24, THR_OLD,
      .startup_used = 854640 },
    { .name = "redis-6.2", .describe = "Redis 6.2 (jemalloc 5.1, ziplists, MEMORY USAGE with zmalloc-sized sds)",
      .family = FAM_REDIS, .ver = 602, .alloc = ALLOC_JE4, .has_memory_usage = true,
      .embstr_limit = 44, .mu_embstr = MU_EMB_LEN2, .mu_sds_rounded = true, .sds_usable_alloc = true,
      .robj = 16, .dict_entry = 24, .dict_struct = 96, .ql_struct = 40, .ql_node = 32,
      .zsl_maxlevel = 32, .has_quicklist = true,
      .stream_struct = 40, .stream_cg = 32, .stream_consumer = 24, THR_OLD,
      .startup_used = 875280,
      .cluster_keyspace = CLUSTER_RAX, .cluster_startup_used = 1533872 },
    /* The corpus and the live test use Debian 12's redis-server 7.0.15, linked
     * against the system jemalloc 5.3 (16-byte quantum), not the bundled one. */
    { .name = "redis-7.0", .describe = "Redis 7.0 as packaged by Debian 12 (system jemalloc 5.3, 16-byte quantum; listpacks)",
      .family = FAM_REDIS, .ver = 700, .alloc = ALLOC_JE16, .has_memory_usage = true,
      .embstr_limit = 44, .mu_embstr = MU_EMB_ZMALLOC, .mu_sds_rounded = true, .mu_blob_rounded = true,
      .sds_usable_alloc = true,
      .robj = 16, .dict_entry = 24, .dict_struct = 56, .ql_struct = 40, .ql_node = 40,
      .zsl_maxlevel = 32, .listpack = true, .has_quicklist = true,
      .stream_struct = 80, .stream_cg = 40, .stream_consumer = 24, THR_OLD,
      .startup_used = 916280, .func_lib_overhead = 0, .func_overhead = 0,
      .cluster_keyspace = CLUSTER_ENTRY_META, .cluster_entry_meta = 16, .cluster_mu_meta = 16,
      .cluster_startup_used = 1640240 },
    { .name = "redis-7.2", .describe = "Redis 7.2 (jemalloc 5.3, set listpacks, no-value set dicts, fpconv scores)",
      .family = FAM_REDIS, .ver = 702, .alloc = ALLOC_JE4, .has_memory_usage = true,
      .embstr_limit = 44, .mu_embstr = MU_EMB_ZMALLOC, .mu_sds_rounded = true, .mu_blob_rounded = true,
      .sds_usable_alloc = true,
      .robj = 16, .dict_entry = 24, .dict_struct = 56, .ql_struct = 40, .ql_node = 40,
      .zsl_maxlevel = 32, .listpack = true, .list_listpack = true, .set_listpack = true,
      .set_novalue = true, .has_quicklist = true, .d2s_fpconv = true,
      .stream_struct = 80, .stream_cg = 40, .stream_consumer = 32, THR_72,
      .startup_used = 906176,
      .cluster_keyspace = CLUSTER_ENTRY_META, .cluster_entry_meta = 16, .cluster_mu_meta = 8,
      .cluster_startup_used = 1623248 },
    { .name = "redis-7.4", .describe = "Redis 7.4 (hash field expiration, kvstore keyspace)",
      .family = FAM_REDIS, .ver = 704, .alloc = ALLOC_JE4, .has_memory_usage = true,
      .embstr_limit = 44, .mu_embstr = MU_EMB_ZMALLOC, .mu_sds_rounded = true, .mu_blob_rounded = true,
      .sds_usable_alloc = true,
      .robj = 16, .dict_entry = 24, .dict_struct = 56, .ql_struct = 40, .ql_node = 40,
      .zsl_maxlevel = 32, .listpack = true, .list_listpack = true, .set_listpack = true,
      .set_novalue = true, .has_quicklist = true, .d2s_fpconv = true, .hfe = true, .kvstore = true,
      .kvstore_dict = 64, .ql_plain_by_fill = true,
      .stream_struct = 80, .stream_cg = 40, .stream_consumer = 32, THR_72,
      .startup_used = 986592, FUNC_LUA_74,
      .cluster_keyspace = CLUSTER_KVSTORE, .cluster_startup_used = 2319440 },
    { .name = "redis-8.0", .describe = "Redis 8.0 milestone line (unstable 2024-10, reports 255.255.255; 7.4 layout)",
      LAYOUT_REDIS_80(800),
      .cluster_keyspace = CLUSTER_KVSTORE, .cluster_startup_used = 2319576 },
    /* Newer lines: the redis-8.0 numbers plus the new types (see above). */
    { .name = "redis-8.6", .describe = "Redis 8.6 (RDB 13: KEY_META, stream IDMP) - ESTIMATED: 8.0 layout + new types from source",
      LAYOUT_REDIS_80(806),
      .estimated = true, .keymeta = true, .stream_idmp = true,
      .cluster_keyspace = CLUSTER_KVSTORE, .cluster_startup_used = 2319576 },
    { .name = "redis-8.8", .describe = "Redis 8.8 (RDB 14: arrays, stream NACK zones) - ESTIMATED: 8.0 layout + new types from source",
      LAYOUT_REDIS_80(808),
      .estimated = true, .keymeta = true, .stream_idmp = true, .stream_nack = true, .arrays = true,
      .cluster_keyspace = CLUSTER_KVSTORE, .cluster_startup_used = 2319576 },
    { .name = "redis-8.10", .describe = "Redis 8.10 (RDB 15: hash templates) - ESTIMATED: 8.0 layout + new types from source",
      LAYOUT_REDIS_80(810),
      .estimated = true, .keymeta = true, .stream_idmp = true, .stream_nack = true, .arrays = true,
      .hash_templates = true,
      .cluster_keyspace = CLUSTER_KVSTORE, .cluster_startup_used = 2319576 },
    { .name = "valkey-8.0", .describe = "Valkey 8.0 (key embedded in the main dict entry, Valkey sds types)",
      .family = FAM_VALKEY, .ver = 800, .alloc = ALLOC_JE4, .has_memory_usage = true,
      .embstr_limit = 44, .mu_embstr = MU_EMB_ZMALLOC, .mu_sds_rounded = true, .mu_blob_rounded = true,
      .sds_usable_alloc = true, .valkey_sds_types = true, .valkey_embkey = true,
      .robj = 16, .dict_entry = 24, .dict_struct = 56, .ql_struct = 40, .ql_node = 40,
      .zsl_maxlevel = 32, .listpack = true, .list_listpack = true, .set_listpack = true,
      .set_novalue = true, .has_quicklist = true, .d2s_fpconv = true, .kvstore = true,
      .kvstore_dict = 80, .ql_plain_by_fill = true,
      .stream_struct = 80, .stream_cg = 40, .stream_consumer = 32, THR_72,
      .startup_used = 931888,
      .cluster_keyspace = CLUSTER_KVSTORE, .cluster_startup_used = 2727320 },
    { .name = "valkey-8.1-dev", .describe = "Valkey unstable of 2024-10 (reports 255.255.255; 8.0 layout, exact rax sizes for streams)",
      .family = FAM_VALKEY, .ver = 801, .alloc = ALLOC_JE4, .has_memory_usage = true,
      .embstr_limit = 44, .mu_embstr = MU_EMB_ZMALLOC, .mu_sds_rounded = true, .mu_blob_rounded = true,
      .sds_usable_alloc = true, .valkey_sds_types = true, .valkey_embkey = true,
      .robj = 16, .dict_entry = 24, .dict_struct = 56, .ql_struct = 40, .ql_node = 40,
      .zsl_maxlevel = 32, .listpack = true, .list_listpack = true, .set_listpack = true,
      .set_novalue = true, .has_quicklist = true, .d2s_fpconv = true, .kvstore = true,
      .rax_alloc_size = true, .kvstore_dict = 80, .ql_plain_by_fill = true,
      .stream_struct = 80, .stream_cg = 40, .stream_consumer = 32, THR_72,
      .startup_used = 932120,
      .cluster_keyspace = CLUSTER_KVSTORE, .cluster_startup_used = 2727552 },
    { .name = "valkey-9.0", .describe = "Valkey 9.0 (VALKEY080: hashes with field TTLs) - ESTIMATED: 8.1-dev layout + field TTLs from source",
      .family = FAM_VALKEY, .ver = 900, .alloc = ALLOC_JE4, .has_memory_usage = true,
      .embstr_limit = 44, .mu_embstr = MU_EMB_ZMALLOC, .mu_sds_rounded = true, .mu_blob_rounded = true,
      .sds_usable_alloc = true, .valkey_sds_types = true, .valkey_embkey = true,
      .robj = 16, .dict_entry = 24, .dict_struct = 56, .ql_struct = 40, .ql_node = 40,
      .zsl_maxlevel = 32, .listpack = true, .list_listpack = true, .set_listpack = true,
      .set_novalue = true, .has_quicklist = true, .d2s_fpconv = true, .kvstore = true,
      .rax_alloc_size = true, .kvstore_dict = 80, .ql_plain_by_fill = true,
      .stream_struct = 80, .stream_cg = 40, .stream_consumer = 32, THR_72,
      .startup_used = 932120, .estimated = true, .valkey_hash2 = true,
      .cluster_keyspace = CLUSTER_KVSTORE, .cluster_startup_used = 2727552 },
};

#define NPROFILES (sizeof profiles / sizeof profiles[0])

size_t model_profile_count(void) { return NPROFILES; }

const model_profile *model_profile_at(size_t i)
{
    return i < NPROFILES ? &profiles[i] : NULL;
}

const char *model_profile_name(const model_profile *p) { return p->name; }
const char *model_profile_describe(const model_profile *p) { return p->describe; }
bool model_profile_estimated(const model_profile *p) { return p->estimated; }

const model_profile *model_profile_find(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < NPROFILES; i++)
        if (strcmp(profiles[i].name, name) == 0) return &profiles[i];
    return NULL;
}

static bool parse_ver(const char *s, unsigned *maj, unsigned *min)
{
    char *end;
    unsigned long a = strtoul(s, &end, 10);
    if (end == s || *end != '.') return false;
    const char *q = end + 1;
    unsigned long b = strtoul(q, &end, 10);
    if (end == q) return false;
    *maj = (unsigned)a;
    *min = (unsigned)b;
    return true;
}

static const model_profile *redis_for(unsigned maj, unsigned min)
{
    const char *n;
    if (maj == 255) n = "redis-8.0";          /* development branch (2024-10) */
    else if (maj > 8 || (maj == 8 && min >= 9)) n = "redis-8.10";  /* 8.9.x: the 8.10 pre-releases */
    else if (maj == 8 && min >= 8) n = "redis-8.8";
    else if (maj == 8 && min >= 6) n = "redis-8.6";
    else if (maj >= 8) n = "redis-8.0";
    else if (maj == 7 && min >= 4) n = "redis-7.4";
    else if (maj == 7 && min >= 2) n = "redis-7.2";
    else if (maj == 7) n = "redis-7.0";
    else if (maj == 6) n = "redis-6.2";
    else if (maj == 5) n = "redis-5.0";
    else if (maj == 4) n = "redis-4.0";
    else if (maj == 3) n = "redis-3.2";
    else n = "redis-2.8";
    return model_profile_find(n);
}

const model_profile *model_profile_infer(const char *redis_ver, const char *valkey_ver,
                                         unsigned rdb_version, int flavor)
{
    unsigned maj, min;
    if (valkey_ver && parse_ver(valkey_ver, &maj, &min)) {
        if (maj >= 9 && maj != 255) return model_profile_find("valkey-9.0");
        if (maj == 255 || maj > 8 || (maj == 8 && min >= 1))
            return model_profile_find("valkey-8.1-dev");
        if (maj >= 8) return model_profile_find("valkey-8.0");
        /* Valkey 7.2 is Redis 7.2 */
        return model_profile_find("redis-7.2");
    }
    if (flavor == RDB_FLAVOR_VALKEY) return model_profile_find("valkey-9.0");   /* VALKEY080+ */
    if (redis_ver && parse_ver(redis_ver, &maj, &min)) return redis_for(maj, min);
    /* RDB version map (rdb-format.md §1) */
    if (rdb_version >= 15) return model_profile_find("redis-8.10");
    if (rdb_version == 14) return model_profile_find("redis-8.8");
    if (rdb_version == 13) return model_profile_find("redis-8.6");
    if (rdb_version == 12) return model_profile_find("redis-7.4");
    if (rdb_version == 11) return model_profile_find("redis-7.2");
    if (rdb_version == 10) return model_profile_find("redis-7.0");
    if (rdb_version == 9) return model_profile_find("redis-6.2");
    if (rdb_version == 8) return model_profile_find("redis-4.0");
    if (rdb_version == 7) return model_profile_find("redis-3.2");
    return model_profile_find("redis-2.8");
}

/* ---- configuration overrides ---------------------------------------------- */

model_config *model_config_new(void)
{
    return calloc(1, sizeof(model_config));
}

void model_config_free(model_config *c) { free(c); }

static int parse_long(const char *v, long long *out)
{
    char *end;
    if (!v || !*v) return -1;
    long long x = strtoll(v, &end, 10);
    if (*end == 'k' || *end == 'K') { x *= 1024; end++; }
    else if (*end == 'm' || *end == 'M') { x *= 1024 * 1024; end++; }
    else if (*end == 'g' || *end == 'G') { x *= 1024LL * 1024 * 1024; end++; }
    if ((*end == 'b' || *end == 'B') && end[1] == 0) end++;
    if (*end) return -1;
    *out = x;
    return 0;
}

int model_config_set(model_config *c, const char *key, const char *value,
                     char *err, size_t errlen)
{
    long long x = 0;
    if (strcmp(key, "maxmemory-policy") == 0) {
        c->set_policy = true;
        c->v.policy_lru_lfu = strstr(value, "lru") || strstr(value, "lfu");
        return 0;
    }
    if (strcmp(key, "stream-node-max-bytes") == 0 || strcmp(key, "stream-node-max-entries") == 0)
        return 0;   /* only shapes new nodes; a load keeps the file's nodes */
    if (model_config_module_version(c, key, value, err, errlen) == 0) return 0;
    if (err[0]) return -1;
    if (parse_long(value, &x) != 0) {
        snprintf(err, errlen, "%s: not a number: '%s'", key, value);
        return -1;
    }
#define SET(name1, name2, field) \
    if (strcmp(key, name1) == 0 || strcmp(key, name2) == 0) { \
        c->set_##field = true; c->v.field = (long)x; return 0; }
    SET("hash-max-listpack-entries", "hash-max-ziplist-entries", hash_entries)
    SET("hash-max-listpack-value", "hash-max-ziplist-value", hash_value)
    SET("set-max-intset-entries", "set-max-intset-entries", set_intset)
    SET("set-max-listpack-entries", "set-max-listpack-entries", set_lp_entries)
    SET("set-max-listpack-value", "set-max-listpack-value", set_lp_value)
    SET("zset-max-listpack-entries", "zset-max-ziplist-entries", zset_entries)
    SET("zset-max-listpack-value", "zset-max-ziplist-value", zset_value)
    SET("list-max-listpack-size", "list-max-ziplist-size", list_size)
    SET("list-compress-depth", "list-compress-depth", list_compress)
#undef SET
    if (strcmp(key, "maxmemory") == 0) { c->set_maxmemory = true; c->v.maxmemory = x; return 0; }
    snprintf(err, errlen, "unknown memory-model setting '%s'", key);
    return -1;
}
