/* mod_tsdb.c: RedisTimeSeries, type "TSDB-TYPE".
 *
 * Layout (RedisTimeSeries src/rdb.c series_rdb_save / series_rdb_load,
 * v1.8.23, v1.10.24 and master of 2026; encver 0..9, TS_ENC_VER ..
 * TS_NAN_SUPPORT_VER in src/rdb.h; 1.8 / 1.10 write 7):
 *
 *   STRING keyName
 *   UINT retentionTime  UINT chunkSizeBytes
 *   UINT options                                  encver >= 1 (bit 0: uncompressed)
 *   UINT lastTimestamp  DOUBLE lastValue  UINT totalSamples    encver >= 2
 *   UINT duplicatePolicy                          encver >= 3
 *   UINT hasSrcKey [STRING srcKey]                encver >= 2
 *   UINT ignoreMaxTimeDiff  DOUBLE ignoreMaxValDiff            encver >= 8
 *   UINT labelsCount, labelsCount x {STRING key, STRING value}
 *   UINT rulesCount, rulesCount x {
 *     STRING destKey  UINT bucketDuration
 *     UINT timestampAlignment                     encver >= 6
 *     UINT aggType  UINT startCurrentTimeBucket
 *     UINT validSamplesInBucket                   encver >= 9
 *     the aggregation context (src/compaction.c *ReadContext), by aggType:
 *       MIN MAX RANGE       DOUBLE max, DOUBLE min [STRING, encver < 6]
 *       SUM COUNT LAST, COUNT_NAN COUNT_ALL
 *                           DOUBLE value [UINT, 3 <= encver < 7]
 *       FIRST               DOUBLE value [UINT isResetted, encver >= 3]
 *       AVG                 DOUBLE val, DOUBLE cnt [UINT isOverflow, encver >= 4]
 *       STD.P STD.S VAR.P VAR.S   DOUBLE sum, DOUBLE sum_2, UINT cnt
 *       TWA                 DOUBLE, UINT, DOUBLE, 7 x UINT
 *   }
 *   encver < 2:  UINT samples, samples x {UINT timestamp, DOUBLE value}
 *   encver >= 2: UINT numChunks, numChunks x a chunk (src/chunk.c,
 *     src/compressed_chunk.c *_SaveToRDB):
 *       uncompressed  UINT base_timestamp, UINT num_samples, UINT size, STRING samples
 *       compressed    UINT size, count, idx, baseValue, baseTimestamp,
 *                     prevTimestamp, prevTimestampDelta, prevValue,
 *                     prevLeading, prevTrailing; STRING data
 *     read here as "numbers, then the STRING", which both are.
 *
 * Memory: SeriesMemUsage (src/tsdb.c) after a load, which re-allocates
 * every chunk at the length its STRING has.
 *   1.8 and older:  sizeof(series) (a pointer: 8) + rules * sizeof(CompactionRule) 64
 *     + sum over labels (strlen(key) + 1 + strlen(value) + 1) + labels * sizeof(Label) 16
 *     + sum over chunks (data length + sizeof(CompressedChunk) 80 | sizeof(Chunk) 32)
 *   1.10 and newer (RedisModule_MallocSize*: allocator sizes):
 *     J(sizeof(Series) 120)
 *     + rules: J(64) + J(aggregation context)
 *     + labels: J(16 * labels) (calloc(0, ..) still gets J(0) = 8) + per string
 *       RM_MallocSizeString = 16 + J(sds of its text) (a raw robj: LoadString)
 *     + chunks: RM_MallocSizeDict = 8 + 24 + numnodes * (4 + 240) of the
 *       chunks rax (keys: 8-byte big-endian first timestamps, inserted in
 *       ascending order, so its node count follows from the keys)
 *       + J(chunk struct) + J(data length) per chunk.
 *   Which of the two a server runs is not in the dump (both write encver 7):
 *   RedisTimeSeries 1.8 goes with Redis 7.0, 1.10 with 7.2, so the profile
 *   decides unless --config timeseries-module-version=X.Y.Z says.
 * Allocations (both): the Series, its keyName / srcKey / label / destKey
 *   RedisModuleStrings (robj J(16) + sds), the labels array, per rule the
 *   CompactionRule and its context, the chunks rax and per chunk its
 *   struct and data; measured against the corpus (model accuracy table).
 */
#include <string.h>

#include "analyze/modval.h"
#include "analyze/model_int.h"

enum {
    AGG_MIN = 1, AGG_MAX, AGG_SUM, AGG_AVG, AGG_COUNT, AGG_FIRST, AGG_LAST, AGG_RANGE,
    AGG_STD_P, AGG_STD_S, AGG_VAR_P, AGG_VAR_S, AGG_TWA, AGG_COUNT_NAN, AGG_COUNT_ALL,
};

/* Phases of the stream; each reads a fixed list of typed fields. */
typedef enum ts_phase {
    P_HEADER,     /* keyName .. hasSrcKey / labelsCount */
    P_SRCKEY, P_IGNORE, P_LABELS_COUNT, P_LABELS, P_RULES_COUNT, P_RULE, P_CONTEXT,
    P_CHUNKS_COUNT, P_CHUNK, P_SAMPLES_COUNT, P_SAMPLES, P_DONE,
} ts_phase;

typedef struct rax8 {      /* node count of a rax of 8-byte keys inserted in order */
    uint8_t last[8];
    uint8_t depth[9];      /* branch points on the rightmost path (prefix lengths) */
    unsigned nbranch;
    uint64_t numele, numnodes;
} rax8;

typedef struct ts_state {
    const model_profile *p;
    unsigned encver;
    bool new_memusage;     /* RedisTimeSeries 1.10+ */
    ts_phase phase;
    unsigned field;        /* within the phase */
    bool uncompressed;
    uint64_t total_samples, labels, labels_left, rules, rules_left, chunks, chunks_left;
    uint64_t samples_left;
    uint64_t agg_type;
    uint8_t ctx[12];       /* the current aggregation context's opcode list */
    unsigned ctx_len;
    uint64_t chunk_numbers;    /* numbers read in the current chunk */
    uint64_t chunk_first_ts;   /* its first timestamp (the rax key) */
    /* accumulated */
    uint64_t label_text;       /* sum of strlen + 1 (1.8) */
    uint64_t label_strings_new;/* sum of RM_MallocSizeString (1.10) */
    uint64_t strings_ram;      /* keyName, srcKey, labels, destKeys */
    uint64_t rules_new, rules_ram;
    uint64_t chunk_data, chunk_data_j, chunk_struct_j;
    rax8 rax;
} ts_state;

/* RM_MallocSizeString of a string loaded by RedisModule_LoadString: a raw
 * robj (16) and its sds (rdbGenericLoadStringObject, RDB_LOAD_NONE). */
static uint64_t module_string(const model_profile *p, uint64_t len) {
    return 16 + sds_alloc(p, len);
}

static void rax8_insert(rax8 *r, const uint8_t key[8]) {
    if (r->numele++ == 0) {
        r->numnodes = 2;   /* the root, compressed over the key, and the leaf */
        memcpy(r->last, key, 8);
        return;
    }
    unsigned l = 0;
    while (l < 8 && r->last[l] == key[l]) l++;
    if (l == 8) { r->numele--; return; }   /* same first timestamp: the dict replaces */
    /* the point after the split on the rightmost path: the shallowest
     * branch deeper than l, else the leaf */
    unsigned below = 8;
    while (r->nbranch && r->depth[r->nbranch - 1] > l) below = r->depth[--r->nbranch];
    if (r->nbranch && r->depth[r->nbranch - 1] == l) {
        r->numnodes += 1 + (8 - l - 1 >= 1);   /* a new child: its chain and leaf */
    } else {
        /* a new branch at l splits the chain from the branch above (or the
         * root, at depth -1) to 'below': one chain node before it, the
         * branch, one chain node after it, where there are characters */
        int above = r->nbranch ? r->depth[r->nbranch - 1] : -1;
        uint64_t before = (int)below - above - 1 >= 1;
        uint64_t after = ((int)l - above - 1 >= 1) + 1 + ((int)below - (int)l - 1 >= 1);
        r->numnodes += after - before;
        r->depth[r->nbranch++] = (uint8_t)l;
        r->numnodes += 1 + (8 - l - 1 >= 1);
    }
    memcpy(r->last, key, 8);
}

static void ts_begin(void *st, const mod_env *env) {
    ts_state *s = st;
    *s = (ts_state){.p = env->p, .encver = env->encver};
    s->new_memusage = env->module_ver ? env->module_ver >= 11000 : env->p->ver >= 702;
    s->uncompressed = env->encver < 1;   /* before options, every series was uncompressed */
}

/* The aggregation context's opcodes for aggType at encver (src/compaction.c). */
static bool context_layout(ts_state *s) {
    static const uint8_t D = RDB_MOP_DOUBLE, U = RDB_MOP_UINT, S = RDB_MOP_STRING;
    unsigned v = s->encver, n = 0;
    uint8_t *c = s->ctx;
    switch (s->agg_type) {
    case AGG_MIN: case AGG_MAX: case AGG_RANGE:
        c[n++] = D; c[n++] = D;
        if (v < 6) c[n++] = S;
        break;
    case AGG_SUM: case AGG_COUNT: case AGG_LAST: case AGG_COUNT_NAN: case AGG_COUNT_ALL:
        c[n++] = D;
        if (v >= 3 && v < 7) c[n++] = U;
        break;
    case AGG_FIRST:
        c[n++] = D;
        if (v >= 3) c[n++] = U;
        break;
    case AGG_AVG:
        c[n++] = D; c[n++] = D;
        if (v >= 4) c[n++] = U;
        break;
    case AGG_STD_P: case AGG_STD_S: case AGG_VAR_P: case AGG_VAR_S:
        c[n++] = D; c[n++] = D; c[n++] = U;
        break;
    case AGG_TWA:
        c[n++] = D; c[n++] = U; c[n++] = D;
        for (int i = 0; i < 7; i++) c[n++] = U;
        break;
    default:
        return false;
    }
    s->ctx_len = n;
    return true;
}

/* The aggregation context the loader allocates (createContext, src/compaction.c
 * and src/compactions/compaction_common.h of v1.10.24): SingleValueContext
 * {double} 8, FirstValueContext {double; char} 16, MaxMinContext {double,
 * double} 16, AvgContext {double, double, bool} 24, StdContext {double,
 * double, uint64_t} 24, TwaContext {5 x 8, 2 x 8, 2 bools, int64_t} 72. */
static uint64_t context_size(uint64_t agg) {
    switch (agg) {
    case AGG_SUM: case AGG_COUNT: case AGG_LAST: case AGG_COUNT_NAN: case AGG_COUNT_ALL: return 8;
    case AGG_FIRST: case AGG_MIN: case AGG_MAX: case AGG_RANGE: return 16;
    case AGG_TWA: return 72;
    default: return 24;   /* AVG, STD.P, STD.S, VAR.P, VAR.S */
    }
}

static bool is_num(const rdb_module_op *op) {
    return op->code == RDB_MOP_UINT || op->code == RDB_MOP_SINT;
}

static void end_header(ts_state *s) {
    s->phase = s->encver >= 8 ? P_IGNORE : P_LABELS_COUNT;
    s->field = 0;
}

static void after_rules(ts_state *s) {
    s->phase = s->encver >= 2 ? P_CHUNKS_COUNT : P_SAMPLES_COUNT;
    s->field = 0;
}

/* Header fields after keyName, by encver: retention, chunkSize, [options],
 * [lastTimestamp, lastValue, totalSamples], [duplicatePolicy], [hasSrcKey]. */
static int header_op(ts_state *s, const rdb_module_op *op) {
    unsigned f = s->field++;
    if (f == 0) {
        if (op->code != RDB_MOP_STRING) return MOD_BAD;
        s->strings_ram += je_size(s->p, 16) + sds_alloc(s->p, op->str_len);
        return MOD_OK;
    }
    unsigned v = s->encver;
    /* the field list at this encver */
    enum { RET, CSZ, OPT, LTS, LVAL, TOT, DUP, HAS, END };
    unsigned list[8], n = 0;
    list[n++] = RET; list[n++] = CSZ;
    if (v >= 1) list[n++] = OPT;
    if (v >= 2) { list[n++] = LTS; list[n++] = LVAL; list[n++] = TOT; }
    if (v >= 3) list[n++] = DUP;
    if (v >= 2) list[n++] = HAS;
    unsigned what = list[f - 1];
    if (what == LVAL) return op->code == RDB_MOP_DOUBLE ? MOD_OK : MOD_BAD;
    if (!is_num(op)) return MOD_BAD;
    if (what == OPT) s->uncompressed = op->uint & 1;
    if (what == TOT) s->total_samples = op->uint;
    if (f == n) {
        if (what == HAS && op->uint) s->phase = P_SRCKEY, s->field = 0;
        else end_header(s);
    }
    return MOD_OK;
}

static int ts_op(void *st, const rdb_module_op *op) {
    ts_state *s = st;
    switch (s->phase) {
    case P_HEADER:
        return header_op(s, op);
    case P_SRCKEY:
        if (op->code != RDB_MOP_STRING) return MOD_BAD;
        s->strings_ram += je_size(s->p, 16) + sds_alloc(s->p, op->str_len);
        end_header(s);
        return MOD_OK;
    case P_IGNORE:
        if (s->field++ == 0) return is_num(op) ? MOD_OK : MOD_BAD;
        if (op->code != RDB_MOP_DOUBLE) return MOD_BAD;
        s->phase = P_LABELS_COUNT;
        return MOD_OK;
    case P_LABELS_COUNT:
        if (!is_num(op)) return MOD_BAD;
        s->labels = s->labels_left = op->uint;
        s->phase = s->labels ? P_LABELS : P_RULES_COUNT;
        s->field = 0;
        return MOD_OK;
    case P_LABELS:
        if (op->code != RDB_MOP_STRING) return MOD_BAD;
        s->label_text += op->str_len + 1;
        s->label_strings_new += module_string(s->p, op->str_len);
        s->strings_ram += je_size(s->p, 16) + sds_alloc(s->p, op->str_len);
        if (++s->field == 2) {
            s->field = 0;
            if (--s->labels_left == 0) s->phase = P_RULES_COUNT;
        }
        return MOD_OK;
    case P_RULES_COUNT:
        if (!is_num(op)) return MOD_BAD;
        s->rules = s->rules_left = op->uint;
        if (s->rules) s->phase = P_RULE, s->field = 0;
        else after_rules(s);
        return MOD_OK;
    case P_RULE: {
        /* destKey, bucketDuration, [alignment], aggType, startBucket, [validSamples] */
        unsigned f = s->field++;
        unsigned n = 4 + (s->encver >= 6) + (s->encver >= 9);
        unsigned agg_at = s->encver >= 6 ? 3 : 2;
        if (f == 0) {
            if (op->code != RDB_MOP_STRING) return MOD_BAD;
            s->strings_ram += je_size(s->p, 16) + sds_alloc(s->p, op->str_len);
            return MOD_OK;
        }
        if (!is_num(op)) return MOD_BAD;
        if (f == agg_at) s->agg_type = op->uint;
        if (f + 1 == n) {
            if (!context_layout(s)) return MOD_BAD;
            uint64_t ctx = je_size(s->p, context_size(s->agg_type));
            s->rules_new += je_size(s->p, 64) + ctx;
            s->rules_ram += je_size(s->p, 64) + ctx;
            s->phase = P_CONTEXT;
            s->field = 0;
        }
        return MOD_OK;
    }
    case P_CONTEXT: {
        uint8_t want = s->ctx[s->field++];
        bool ok = want == RDB_MOP_UINT ? is_num(op) : op->code == want;
        if (!ok) return MOD_BAD;
        if (s->field == s->ctx_len) {
            if (--s->rules_left) s->phase = P_RULE, s->field = 0;
            else after_rules(s);
        }
        return MOD_OK;
    }
    case P_CHUNKS_COUNT:
        if (!is_num(op)) return MOD_BAD;
        s->chunks = s->chunks_left = op->uint;
        s->phase = s->chunks ? P_CHUNK : P_DONE;
        s->chunk_numbers = 0;
        return MOD_OK;
    case P_CHUNK:
        if (is_num(op)) {
            /* the first timestamp: base_timestamp (uncompressed, 1st number)
             * or baseTimestamp (compressed, 5th) */
            if (s->chunk_numbers == (s->uncompressed ? 0u : 4u)) s->chunk_first_ts = op->uint;
            if (++s->chunk_numbers > 16) return MOD_BAD;
            return MOD_OK;
        }
        if (op->code != RDB_MOP_STRING || s->chunk_numbers != (s->uncompressed ? 3u : 10u))
            return MOD_BAD;
        s->chunk_data += op->str_len;
        s->chunk_data_j += je_size(s->p, op->str_len);
        s->chunk_struct_j += je_size(s->p, s->uncompressed ? 32 : 80);
        {
            uint8_t key[8];
            for (int i = 0; i < 8; i++) key[i] = (uint8_t)(s->chunk_first_ts >> (56 - 8 * i));
            rax8_insert(&s->rax, key);
        }
        s->chunk_numbers = 0;
        if (--s->chunks_left == 0) s->phase = P_DONE;
        return MOD_OK;
    case P_SAMPLES_COUNT:
        if (!is_num(op)) return MOD_BAD;
        s->samples_left = op->uint;
        s->total_samples = op->uint;
        s->phase = s->samples_left ? P_SAMPLES : P_DONE;
        s->field = 0;
        return MOD_OK;
    case P_SAMPLES:
        if (s->field++ == 0) return is_num(op) ? MOD_OK : MOD_BAD;
        if (op->code != RDB_MOP_DOUBLE) return MOD_BAD;
        s->field = 0;
        if (--s->samples_left == 0) s->phase = P_DONE;
        return MOD_OK;
    case P_DONE:
    default:
        return MOD_BAD;
    }
}

static int ts_end(void *st, mod_size *out) {
    ts_state *s = st;
    if (s->phase != P_DONE) return MOD_BAD;
    const model_profile *p = s->p;
    if (s->encver < 2) {
        /* an old series is re-added sample by sample into new chunks: not
         * replayed, sized from its samples in 4096-byte uncompressed chunks */
        uint64_t chunk_samples = 4096 / 16;
        s->chunks = (s->total_samples + chunk_samples - 1) / chunk_samples;
        if (!s->chunks) s->chunks = 1;
        s->chunk_data = s->chunks * 4096;
        s->chunk_data_j = s->chunks * je_size(p, 4096);
        s->chunk_struct_j = s->chunks * je_size(p, 32);
        s->rax.numnodes = 2 * s->chunks;   /* estimate */
    }
    uint64_t structs = s->encver < 2 ? s->chunks * 32
                                      : s->chunks * (s->uncompressed ? 32 : 80);
    uint64_t labels_array = je_size(p, 16 * s->labels);
    uint64_t dict_nodes = s->chunks ? s->rax.numnodes : 1;
    if (s->new_memusage) {
        out->mem_usage = je_size(p, 120) + s->rules_new + labels_array + s->label_strings_new
                         + 8 + 24 + dict_nodes * (4 + 240) + s->chunk_struct_j + s->chunk_data_j;
    } else {
        out->mem_usage = 8 + 64 * s->rules + s->label_text + 16 * s->labels + s->chunk_data + structs;
    }
    /* the rax's own nodes: about one small node (J(24)) each, plus its
     * header (24) and the RedisModuleDict (8) */
    uint64_t rax = je_size(p, 8) + je_size(p, 24) + dict_nodes * je_size(p, 24);
    out->ram = je_size(p, 120) + s->strings_ram + labels_array + s->rules_ram + rax
               + s->chunk_struct_j + s->chunk_data_j;
    out->elements = s->total_samples;
    return MOD_OK;
}

const mod_decoder mod_tsdb = {
    .type = "TSDB-TYPE", .module = "timeseries", .basis = KEY_BASIS_MEASURED, .max_encver = 9,
    .state_size = sizeof(ts_state), .begin = ts_begin, .op = ts_op, .end = ts_end,
};
