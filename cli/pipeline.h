/* pipeline.h: wires one input through parser -> (memory model) -> key
 * records -> a sink, and keeps the file-level facts a command reports
 * (header, aux fields, per-db counts, checksum, parse status). */
#ifndef RDBLENS_CLI_PIPELINE_H
#define RDBLENS_CLI_PIPELINE_H

#include "analyze/idmap.h"
#include "analyze/keyrec.h"
#include "analyze/model.h"
#include "cli/input.h"
#include "rdb/rdb.h"

/* Gets each key's record; returns 0 to go on, or < 0 to stop the parse
 * (reported as RDB_ERR_ABORTED: the output failed, say). */
typedef int (*record_sink)(void *ctx, const key_record *r);

#define PIPE_MAX_AUX 64
#define PIPE_AUX_VALUE_MAX 256

typedef struct pipe_aux {
    char key[64];
    char value[PIPE_AUX_VALUE_MAX];
} pipe_aux;

typedef struct pipe_db {
    uint64_t db, keys, expires;
} pipe_db;

typedef struct pipeline {
    /* set by the caller */
    record_sink sink;
    void *sink_ctx;
    bool want_elements;       /* deliver element events (else sizes only) */
    bool verify;              /* check everything, even what nobody reads */
    bool use_model;           /* run the memory model (bytes, encoding) */
    uint64_t shallow_max;     /* rdb_options.shallow_max: 0 walks every blob */
    bool checksum_thread;     /* rdb_options.checksum_thread (a second core is free) */
    bool accept_newer;        /* rdb_options.accept_newer (--accept-newer) */
    const struct model_profile *profile;  /* NULL: inferred from the dump */
    const struct model_config *config;    /* threshold overrides, or NULL */
    bool has_now;             /* reference time given (--now) */
    int64_t now_ms;
    int64_t mtime_ms;         /* fallback reference time: the file's mtime */
    bool cluster;             /* --cluster: predict a cluster node, give keys their slot */
    const char *cluster_why;  /* the option that asked for it, NULL: "--cluster" */
    /* Optional, for a consumer of chosen keys' events (rdblens inspect).
     * tap->on_key_begin is asked first for every key: RDB_SKIP means not
     * wanted (the key is counted in the db rows, but neither modelled nor
     * given to the sink); otherwise its answer is the parser's (RDB_CONTINUE
     * or RDB_NO_CONTENT), the key is modelled as usual, and the tap gets
     * every event of it, elements included, then on_key_end before the
     * sink gets the record. The model still sees only the events it asked
     * for. on_model is called once, when the model exists (profile_used and
     * reference_ms are then set). Whole-dump totals then cover the taken
     * keys only. */
    const rdb_handlers *tap;
    void *tap_ctx;
    int (*on_model)(void *tap_ctx, const struct pipeline *pl);
    void (*progress)(void *ctx, uint64_t offset);  /* rdb_options.progress */
    void *progress_ctx;

    /* filled by pipeline_run */
    struct model *model;      /* created after the aux fields (they name the server) */
    const struct model_profile *profile_used;
    int64_t reference_ms;     /* the reference time in force, or -1 */
    const char *reference_from;  /* "--now", "ctime aux", "file mtime", "current time"
                                    (standard input without ctime), "none" */
    bool have_totals;

    rdb_result result;
    rdb_header header;
    pipe_aux aux[PIPE_MAX_AUX];
    size_t naux;
    uint64_t functions, module_aux, slot_infos;
    uint64_t slot_info_aux;   /* valkey's slot-info aux fields */
    bool cluster_unsupported; /* --cluster, but the profile has no cluster model */
    pipe_db *dbs;          /* in the order the file names them */
    size_t ndbs, dbcap;
    idmap db_index;        /* db number -> index in dbs */
    size_t last_db;        /* index of the row the previous key used */
    bool key_taken;        /* the current key is modelled (the tap took it, or there is none) */
    bool model_skips;      /* the model asked for no element events of the current key */
    uint64_t keys, expires;
    uint64_t resize_keys;  /* sum of the RESIZEDB key-count hints so far (the file's word: a hint) */
} pipeline;

/* Runs the parser over the input. Returns the parse status (RDB_OK when the
 * file was read to its end); pl->result has the details either way. */
rdb_status pipeline_run(pipeline *pl, input *in);
void pipeline_free(pipeline *pl);

/* Whole-dump model totals (call after pipeline_run when use_model). */
void pipeline_totals(pipeline *pl, model_totals *out);

/* Cluster mode of the run: why (model_cluster_reason_text), or NULL when
 * off. With a profile that has no cluster model (cluster_unsupported) keys
 * still get their slot, and the reason says the prediction is standalone. */
const char *pipeline_cluster_reason(const pipeline *pl);

/* An aux field's value, or NULL. */
const char *pipeline_aux(const pipeline *pl, const char *key);

#endif
