/* modelrun.c: see modelrun.h. Test support only. */
#include "tests/support/modelrun.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct ctx {
    model *m;
    modelrun *out;
} ctx;

static int aux(void *c, rdb_bytes k, rdb_bytes v) { return model_on_aux(((ctx *)c)->m, k, v); }
static int sel(void *c, uint64_t db) { return model_on_select_db(((ctx *)c)->m, db); }
static int rsz(void *c, uint64_t a, uint64_t b) { return model_on_resize_db(((ctx *)c)->m, a, b); }
static int kb(void *c, const rdb_key *k) { return model_on_key_begin(((ctx *)c)->m, k); }
static int str(void *c, const rdb_key *k, const rdb_string_chunk *s) { return model_on_string(((ctx *)c)->m, k, s); }
static int cont(void *c, const rdb_key *k, const rdb_container *x) { return model_on_container(((ctx *)c)->m, k, x); }
static int ent(void *c, const rdb_key *k, const rdb_entry *e) { return model_on_entry(((ctx *)c)->m, k, e); }
static int smeta(void *c, const rdb_key *k, const rdb_stream_meta *x) { return model_on_stream_meta(((ctx *)c)->m, k, x); }
static int sgrp(void *c, const rdb_key *k, const rdb_stream_group *x) { return model_on_stream_group(((ctx *)c)->m, k, x); }
static int spel(void *c, const rdb_key *k, const rdb_stream_pel *x) { return model_on_stream_pel(((ctx *)c)->m, k, x); }
static int scpel(void *c, const rdb_key *k, const rdb_stream_id *x) { return model_on_stream_consumer_pel(((ctx *)c)->m, k, x); }
static int scons(void *c, const rdb_key *k, const rdb_stream_consumer *x) { return model_on_stream_consumer(((ctx *)c)->m, k, x); }
static int snz(void *c, const rdb_key *k, const rdb_stream_nack_zone *x) { return model_on_stream_nack_zone(((ctx *)c)->m, k, x); }
static int snack(void *c, const rdb_key *k, const rdb_stream_id *x) { return model_on_stream_nack(((ctx *)c)->m, k, x); }
static int sidmp(void *c, const rdb_key *k, const rdb_stream_idmp *x) { return model_on_stream_idmp(((ctx *)c)->m, k, x); }
static int tmpl(void *c, const rdb_hash_template *t) { return model_on_hash_template(((ctx *)c)->m, t); }
static int sentry(void *c, const rdb_key *k, const rdb_stream_entry *e) { return model_on_stream_entry(((ctx *)c)->m, k, e); }

static int kend(void *c, const rdb_key *k, const rdb_key_end *e) {
    ctx *x = c;
    key_record rec;
    memset(&rec, 0, sizeof rec);
    model_key_end(x->m, k, e, &rec);
    modelrun *o = x->out;
    if (o->nkeys < sizeof o->keys / sizeof o->keys[0]) {
        modelrun_key *r = &o->keys[o->nkeys++];
        r->db = k->db;
        snprintf(r->name, sizeof r->name, "%.*s", (int)k->name_len, (const char *)k->name);
        r->encoding = rec.encoding;
        r->has_bytes = rec.has_bytes;
        r->bytes = rec.bytes;
        r->ram = rec.ram;
        r->elements = e->elements;
    }
    return RDB_CONTINUE;
}

static const rdb_handlers H = {
    .on_aux = aux, .on_select_db = sel, .on_resize_db = rsz, .on_key_begin = kb, .on_string = str,
    .on_container = cont, .on_entry = ent, .on_stream_entry = sentry, .on_stream_meta = smeta,
    .on_stream_group = sgrp, .on_stream_pel = spel, .on_stream_consumer_pel = scpel,
    .on_stream_consumer = scons, .on_stream_nack_zone = snz, .on_stream_nack = snack,
    .on_stream_idmp = sidmp, .on_hash_template = tmpl, .on_key_end = kend,
};

rdb_status modelrun_file(const char *path, const char *profile, modelrun *out) {
    memset(out, 0, sizeof *out);
    ctx c = {.m = model_new(model_profile_find(profile), NULL), .out = out};
    int fd = open(path, O_RDONLY);
    struct stat sb;
    rdb_options opt = {0};
    if (fd >= 0 && fstat(fd, &sb) == 0) opt.input_size = (uint64_t)sb.st_size;
    rdb_result res;
    out->status = fd < 0 ? RDB_ERR_IO : rdb_parse_fd(fd, &H, &c, &opt, &res);
    if (fd >= 0) close(fd);
    model_finish(c.m, &out->totals);
    model_free(c.m);
    return out->status;
}

const modelrun_key *modelrun_find(const modelrun *r, uint64_t db, const char *name) {
    for (size_t i = 0; i < r->nkeys; i++)
        if (r->keys[i].db == db && strcmp(r->keys[i].name, name) == 0) return &r->keys[i];
    return NULL;
}
