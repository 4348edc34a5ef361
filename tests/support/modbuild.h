/* modbuild.h: module values for tests and fuzz seeds: a type id from its
 * name, the opcodes of a MODULE_2 value (rdb/module.c draws the layout),
 * and a run of the memory model over a whole dump held in memory. */
#ifndef RDBLENS_TEST_MODBUILD_H
#define RDBLENS_TEST_MODBUILD_H

#include "analyze/model.h"
#include "tests/support/rdbbuild.h"

uint64_t mb_id(const char *name9, unsigned encver);
/* type byte 7, the key, the module id */
void mb_begin(rb *b, const char *key, const char *name9, unsigned encver);
void mb_uint(rb *b, uint64_t v);
void mb_sint(rb *b, int64_t v);
void mb_double(rb *b, double v);
void mb_float(rb *b, float v);
void mb_str(rb *b, const void *p, size_t n);   /* a raw RDB string */
void mb_eof(rb *b);
/* One small value of every module type with a decoder (keys m:<type>),
 * each also LZF-free and under 2 KiB: for cuts at every byte. */
void mb_every_type(rb *b);

/* The records the model makes of a dump (key names copied; free with mr_free). */
typedef struct mr_key {
    key_record rec;
    char name[64];
    char module[10];
} mr_key;

typedef struct mr_run {
    mr_key *k;
    size_t n, cap;
    rdb_result res;
    rdb_status st;
    model_totals tot;
} mr_run;

/* profile NULL: redis-8.0; cfg may be NULL */
void mr_model(const uint8_t *buf, size_t len, const char *profile, const model_config *cfg, mr_run *out);
void mr_free(mr_run *r);

#endif
