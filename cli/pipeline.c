/* pipeline.c: parser events -> key records (pipeline.h). */
#include "cli/pipeline.h"
#include "source/source.h"

#include "analyze/slot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>
#include <time.h>

static void copy_text(char *dst, size_t cap, rdb_bytes b) {
    size_t n = b.len < cap - 1 ? b.len : cap - 1;
    memcpy(dst, b.ptr, n);
    dst[n] = '\0';
}

/* The ctime aux field, when it is a plain count of seconds that fits in
 * milliseconds; a hostile or garbled one is ignored (the file's mtime is
 * used instead), not multiplied into an overflow. */
static bool ctime_seconds(const char *text, int64_t *out) {
    if (!text || !*text) return false;
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v < 0 || v > INT64_MAX / 1000) return false;
    *out = (int64_t)v;
    return true;
}

/* The model is created at the first record after the aux fields, which
 * name the server that wrote the dump (redis-ver / valkey-ver, ctime). */
static int create_model(pipeline *pl) {
    const model_profile *p = pl->profile;
    if (!p)
        p = model_profile_infer(pipeline_aux(pl, "redis-ver"), pipeline_aux(pl, "valkey-ver"),
                                pl->header.version, (int)pl->header.flavor);
    pl->profile_used = p;
    pl->model = model_new(p, pl->config);
    if (!pl->model) return -1;
    if (pl->cluster && model_set_cluster(pl->model, MODEL_CLUSTER_OPTION) != 0)
        pl->cluster_unsupported = true;
    int64_t ctime_s;
    if (pl->has_now) {
        pl->reference_ms = pl->now_ms;
        pl->reference_from = "--now";
    } else if (ctime_seconds(pipeline_aux(pl, "ctime"), &ctime_s)) {
        pl->reference_ms = ctime_s * 1000;
        pl->reference_from = "ctime aux";
    } else if (pl->mtime_ms > 0) {
        pl->reference_ms = pl->mtime_ms;
        pl->reference_from = "file mtime";
    } else {
        /* standard input without a ctime aux: the dump was most likely
         * just made, and judging TTLs against 1970 would call every key
         * live; the report says which time it used */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        pl->reference_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
        pl->reference_from = "current time";
    }
    if (pl->reference_ms >= 0) model_set_reference_time_ms(pl->model, pl->reference_ms);
    if (pl->on_model && pl->on_model(pl->tap_ctx, pl) < 0) return -1;
    return 0;
}

/* (asked at every key: the test in line, the work out of it) */
static inline int ensure_model(pipeline *pl) {
    return !pl->use_model || pl->model ? 0 : create_model(pl);
}

static int on_header(void *ctx, const rdb_header *h) {
    ((pipeline *)ctx)->header = *h;
    return RDB_CONTINUE;
}

static int on_aux(void *ctx, rdb_bytes k, rdb_bytes v) {
    pipeline *pl = ctx;
    if (k.len == 9 && memcmp(k.ptr, "slot-info", 9) == 0) {
        pl->slot_info_aux++;
        if (ensure_model(pl) < 0) return -1;
    }
    if (pl->model) model_on_aux(pl->model, k, v);
    if (pl->naux < PIPE_MAX_AUX) {
        pipe_aux *a = &pl->aux[pl->naux++];
        copy_text(a->key, sizeof a->key, k);
        copy_text(a->value, sizeof a->value, v);
    }
    return RDB_CONTINUE;
}

static int on_module_aux(void *ctx, const char name[10], unsigned encver, uint64_t when, uint64_t bytes) {
    (void)name, (void)encver, (void)when, (void)bytes;
    ((pipeline *)ctx)->module_aux++;
    return RDB_CONTINUE;
}

static int on_function(void *ctx, rdb_bytes code) {
    pipeline *pl = ctx;
    pl->functions++;
    if (ensure_model(pl) < 0) return -1;
    if (pl->model) model_on_function(pl->model, code);
    return RDB_CONTINUE;
}

static int on_select_db(void *ctx, uint64_t db) {
    pipeline *pl = ctx;
    if (ensure_model(pl) < 0) return -1;
    if (pl->model) model_on_select_db(pl->model, db);
    return RDB_CONTINUE;
}

static int on_resize_db(void *ctx, uint64_t a, uint64_t b) {
    pipeline *pl = ctx;
    if (ensure_model(pl) < 0) return -1;
    if (pl->model) model_on_resize_db(pl->model, a, b);
    pl->resize_keys = a > UINT64_MAX - pl->resize_keys ? UINT64_MAX : pl->resize_keys + a;
    return RDB_CONTINUE;
}

static int on_slot_info(void *ctx, uint64_t slot, uint64_t size, uint64_t expires) {
    pipeline *pl = ctx;
    pl->slot_infos++;
    if (ensure_model(pl) < 0) return -1;
    if (pl->model) model_on_slot_info(pl->model, slot, size, expires);
    return RDB_CONTINUE;
}

static pipe_db *db_entry(pipeline *pl, uint64_t db) {
    /* Keys of one db come together: the previous key's row nearly always */
    if (pl->last_db < pl->ndbs && pl->dbs[pl->last_db].db == db) return &pl->dbs[pl->last_db];
    uint64_t i;
    if (idmap_get(&pl->db_index, db, &i)) {
        pl->last_db = (size_t)i;
        return &pl->dbs[i];
    }
    if (pl->ndbs == pl->dbcap) {
        size_t cap = pl->dbcap ? pl->dbcap * 2 : 16;
        pipe_db *d = realloc(pl->dbs, cap * sizeof *d);
        if (!d) return NULL;
        pl->dbs = d;
        pl->dbcap = cap;
    }
    if (idmap_put(&pl->db_index, db, pl->ndbs) < 0) return NULL;
    pl->last_db = pl->ndbs;
    pipe_db *e = &pl->dbs[pl->ndbs++];
    *e = (pipe_db){.db = db};
    return e;
}

static int on_key_begin(void *ctx, const rdb_key *k) {
    pipeline *pl = ctx;
    if (ensure_model(pl) < 0) return -1;
    int tap = RDB_CONTINUE;
    pl->key_taken = true;
    pl->model_skips = false;
    if (pl->tap && pl->tap->on_key_begin) {
        tap = pl->tap->on_key_begin(pl->tap_ctx, k);
        if (tap < 0) return tap;
        if (tap == RDB_SKIP) {
            pl->key_taken = false;
            return RDB_SKIP;
        }
    }
    int rc = pl->want_elements ? RDB_CONTINUE : RDB_SKIP;
    if (pl->model) {
        int m = model_on_key_begin(pl->model, k);
        if (m < 0) return m;
        pl->model_skips = m == RDB_SKIP;
        if (m != RDB_SKIP) rc = pl->want_elements ? RDB_CONTINUE : m;
    }
    return pl->tap ? tap : rc;
}

/* Events of the current key: to the model when it is modelled (element
 * events only when the model asked for them, or they are of a blob walked
 * in pieces, which the model cannot replay from bytes: rdb_options.
 * streamed_elements), then to the tap. */
#define KEY_EVENT(name, type, element, streamed)                                    \
    static int name(void *ctx, const rdb_key *k, type arg) {                        \
        pipeline *pl = ctx;                                                         \
        if (!pl->key_taken) return RDB_CONTINUE;                                    \
        if (pl->model && !((element) && pl->model_skips && !(streamed))) {          \
            int rc = model_##name(pl->model, k, arg);                               \
            if (rc < 0 || (!pl->tap && rc != RDB_CONTINUE)) return rc;              \
        }                                                                           \
        if (pl->tap && pl->tap->name) return pl->tap->name(pl->tap_ctx, k, arg);    \
        return RDB_CONTINUE;                                                        \
    }

KEY_EVENT(on_string, const rdb_string_chunk *, true, false)
KEY_EVENT(on_container, const rdb_container *, false, false)
KEY_EVENT(on_entry, const rdb_entry *, true, arg->streamed)
KEY_EVENT(on_stream_entry, const rdb_stream_entry *, true, false)
KEY_EVENT(on_stream_meta, const rdb_stream_meta *, false, false)
KEY_EVENT(on_stream_group, const rdb_stream_group *, false, false)
KEY_EVENT(on_stream_pel, const rdb_stream_pel *, true, false)
KEY_EVENT(on_stream_consumer_pel, const rdb_stream_id *, true, false)
KEY_EVENT(on_stream_consumer, const rdb_stream_consumer *, false, false)
#undef KEY_EVENT

/* A run of element events (rdb_handlers.on_entries): to the model in one
 * call, or one at a time as above when a tap wants them too. These are
 * never of a blob walked in pieces (only plain collections come batched). */
static int on_entries(void *ctx, const rdb_key *k, const rdb_entry *e, size_t n) {
    pipeline *pl = ctx;
    if (!pl->key_taken) return RDB_CONTINUE;
    if (pl->tap && pl->tap->on_entry) {
        /* as the parser takes answers one at a time: RDB_SKIP or an error
         * ends the key's events, RDB_NO_CONTENT only sets a flag */
        int last = RDB_CONTINUE;
        for (size_t i = 0; i < n; i++) {
            int rc = on_entry(ctx, k, &e[i]);
            if (rc < 0 || rc == RDB_SKIP) return rc;
            if (rc != RDB_CONTINUE) last = rc;
        }
        return last;
    }
    if (pl->model && !pl->model_skips) {
        int rc = model_on_entries(pl->model, k, e, n);
        if (rc < 0 || (!pl->tap && rc != RDB_CONTINUE)) return rc;
    }
    return RDB_CONTINUE;
}

/* Newer records (RDB 13-15): the model sizes NACK zones, IDMP and the
 * hash-template registry (which comes before the first key). */
static int on_stream_nack_zone(void *ctx, const rdb_key *k, const rdb_stream_nack_zone *z) {
    pipeline *pl = ctx;
    return pl->model && pl->key_taken ? model_on_stream_nack_zone(pl->model, k, z) : RDB_CONTINUE;
}
static int on_stream_nack(void *ctx, const rdb_key *k, const rdb_stream_id *id) {
    pipeline *pl = ctx;
    return pl->model && pl->key_taken ? model_on_stream_nack(pl->model, k, id) : RDB_CONTINUE;
}
static int on_stream_idmp(void *ctx, const rdb_key *k, const rdb_stream_idmp *i) {
    pipeline *pl = ctx;
    return pl->model && pl->key_taken ? model_on_stream_idmp(pl->model, k, i) : RDB_CONTINUE;
}
static int on_hash_template(void *ctx, const rdb_hash_template *t) {
    pipeline *pl = ctx;
    if (ensure_model(pl) < 0) return -1;
    return pl->model ? model_on_hash_template(pl->model, t) : RDB_CONTINUE;
}
/* (a key the tap did not take is neither modelled nor read further) */
static int on_module_value(void *ctx, const rdb_key *k, const rdb_module_type *t) {
    pipeline *pl = ctx;
    return pl->model && pl->key_taken ? model_on_module_value(pl->model, k, t) : RDB_SKIP;
}
static int on_module_op(void *ctx, const rdb_key *k, const rdb_module_op *op) {
    pipeline *pl = ctx;
    return pl->model && pl->key_taken ? model_on_module_op(pl->model, k, op) : RDB_SKIP;
}
static int on_module_string(void *ctx, const rdb_key *k, const rdb_string_chunk *c) {
    pipeline *pl = ctx;
    return pl->model && pl->key_taken ? model_on_module_string(pl->model, k, c) : RDB_SKIP;
}

static int on_key_end(void *ctx, const rdb_key *k, const rdb_key_end *end) {
    pipeline *pl = ctx;
    pl->keys++;
    if (k->has_expire) pl->expires++;
    pipe_db *d = db_entry(pl, k->db);
    if (!d) return -1;
    d->keys++;
    if (k->has_expire) d->expires++;
    if (!pl->key_taken) return RDB_CONTINUE;
    if (pl->tap && pl->tap->on_key_end) {
        int rc = pl->tap->on_key_end(pl->tap_ctx, k, end);
        if (rc < 0) return rc;
    }
    if (!pl->sink) return RDB_CONTINUE;
    key_record r = {
        .db = k->db, .key = k->name, .key_len = k->name_len, .type = k->kind,
        .rdb_type = k->rdb_type, .elements = end->elements, .largest = end->largest,
        .largest_exact = end->largest_exact, .offset = k->offset,
        .has_expire = k->has_expire, .expire_ms = k->expire_ms, .has_idle = k->has_idle,
        .idle_s = k->idle_s, .has_freq = k->has_freq, .freq = k->freq,
        .module_name = k->kind == RDB_KIND_MODULE ? end->module_name : NULL,
        .module_encver = end->module_encver,
        .serialized_bytes = k->kind == RDB_KIND_MODULE ? end->value_bytes : 0,
    };
    if (pl->model) model_key_end(pl->model, k, end, &r);
    if (!r.has_slot && (pl->cluster || pl->slot_infos || pl->slot_info_aux)) {
        r.has_slot = true;   /* no cluster model for this profile: the slot still is a fact */
        r.slot = (uint16_t)slot_of_key(k->name, k->name_len);
    }
    return pl->sink(pl->sink_ctx, &r) < 0 ? -1 : RDB_CONTINUE;
}

static const rdb_handlers pipeline_handlers = {
    .on_header = on_header, .on_aux = on_aux, .on_module_aux = on_module_aux, .on_function = on_function,
    .on_select_db = on_select_db, .on_resize_db = on_resize_db, .on_slot_info = on_slot_info,
    .on_key_begin = on_key_begin, .on_string = on_string, .on_container = on_container,
    .on_entry = on_entry, .on_entries = on_entries, .on_stream_entry = on_stream_entry,
    .on_stream_meta = on_stream_meta, .on_stream_group = on_stream_group, .on_stream_pel = on_stream_pel,
    .on_stream_consumer_pel = on_stream_consumer_pel, .on_stream_consumer = on_stream_consumer,
    .on_stream_nack_zone = on_stream_nack_zone, .on_stream_nack = on_stream_nack,
    .on_stream_idmp = on_stream_idmp, .on_hash_template = on_hash_template,
    .on_module_value = on_module_value, .on_module_op = on_module_op,
    .on_module_string = on_module_string, .on_key_end = on_key_end,
};

rdb_status pipeline_run(pipeline *pl, input *in) {
    pl->reference_ms = -1;
    pl->reference_from = "none";
    if (!pl->mtime_ms && in->mtime_s) pl->mtime_ms = in->mtime_s * 1000;
    rdb_options opt = {.input_size = in->src->rdb_size, .verify_lzf = pl->verify,
                       .shallow_max = pl->shallow_max, .accept_newer = pl->accept_newer,
                       .checksum_thread = pl->checksum_thread,
                       .progress = pl->progress,
                       .progress_ctx = pl->progress_ctx,
                       /* the model replays converted blobs: from their entries
                        * when too long to be held (rdb_options.streamed_elements) */
                       .streamed_elements = pl->use_model};
    rdb_status st = rdb_parse(in->src, &pipeline_handlers, pl, &opt, &pl->result);
    if (!in->compression) return st;
    /* The compressed stream's own checks (block and stream checksums, its
     * length) run as it is read, some only at its end: read it to the end
     * after an RDB that parsed, and after an RDB error too, since a
     * corrupt stream hands out corrupt bytes before its checksum says so,
     * and then it, not the RDB, is the cause to report. */
    rdb_error *e = &pl->result.error;
    const rdb_src_error *se = &in->src->err;
    bool source_failed = st != RDB_OK && (e->code == RDB_ERR_COMPRESSION || se->message[0]);
    uint64_t total = 0;
    rdb_src_status ss = source_failed ? RDB_SRC_OK : source_drain(in->src, &total);
    /* the RDB-side bytes of the whole stream (an AOF tail after the RDB) */
    if (st == RDB_OK && ss == RDB_SRC_OK) pl->result.input_bytes = total;
    if (ss == RDB_SRC_OK) return st;
    char first[160];
    if (st == RDB_OK) {
        snprintf(first, sizeof first, "after the RDB's end");
        e->offset = total;
        e->code = ss == RDB_SRC_TRUNCATED ? RDB_ERR_TRUNCATED : RDB_ERR_COMPRESSION;
    } else {
        /* the offset stays the parser's: the report covers what came before */
        snprintf(first, sizeof first, "%.140s; the cause", e->message);
        e->code = RDB_ERR_COMPRESSION;
    }
    snprintf(e->message, sizeof e->message, "%s: %.80s at compressed offset %llu (RDB offset %llu)",
             first, se->message, (unsigned long long)se->in_offset, (unsigned long long)total);
    return e->code;
}

void pipeline_totals(pipeline *pl, model_totals *out) {
    memset(out, 0, sizeof *out);
    if (ensure_model(pl) == 0 && pl->model) {
        model_finish(pl->model, out);
        pl->have_totals = true;
    }
}

void pipeline_free(pipeline *pl) {
    if (pl->model) model_free(pl->model);
    pl->model = NULL;
    free(pl->dbs);
    pl->dbs = NULL;
    idmap_free(&pl->db_index);
}

const char *pipeline_aux(const pipeline *pl, const char *key) {
    for (size_t i = 0; i < pl->naux; i++)
        if (strcmp(pl->aux[i].key, key) == 0) return pl->aux[i].value;
    return NULL;
}

const char *pipeline_cluster_reason(const pipeline *pl) {
    model_cluster_reason r = pl->model ? model_cluster_mode(pl->model) : MODEL_CLUSTER_OFF;
    if (r == MODEL_CLUSTER_OPTION && pl->cluster_why) return pl->cluster_why;
    if (r != MODEL_CLUSTER_OFF) return model_cluster_reason_text(r);
    const model_profile *p = pl->profile_used;
    bool asked = pl->cluster || pl->slot_infos || pl->slot_info_aux;
    if (!asked) return NULL;
    if (p && !model_profile_has_cluster(p))
        return "slots only: the profile has no cluster-mode model (cluster nodes are modelled "
               "from redis-6.2 on), memory is predicted for a standalone server";
    return pl->cluster ? (pl->cluster_why ? pl->cluster_why : "--cluster")
                       : "assumed: the dump carries slot info";
}
