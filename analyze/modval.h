/* modval.h: module values in the memory model.
 *
 * The parser hands over a module value as its opcode stream (rdb.h:
 * on_module_value, on_module_op, on_module_string). A decoder per module
 * type (analyze/mod_*.c) follows the module's own rdb_save layout field by
 * field, in a small fixed state (no per-element memory), and at the end
 * says what the module's mem_usage callback would report for the value
 * after a load (what MEMORY USAGE adds to the key's overhead) and what the
 * load allocates through the server's allocator (its share of used_memory).
 *
 * A stream that does not follow the layout (a newer module, a corrupt
 * value), an encoding version the decoder does not know, or a module type
 * without a decoder falls back to the serialized size (MOD_BASIS_SERIALIZED),
 * never to a guess about the bytes.
 */
#ifndef RDBLENS_MODVAL_H
#define RDBLENS_MODVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/keyrec.h"
#include "rdb/rdb.h"

typedef struct model_profile model_profile;

/* Answers of a decoder's op / bytes functions. */
enum { MOD_OK = 0, MOD_WANT_BYTES = 1, MOD_BAD = -1 };

/* What a decoder is told at the start of a value. */
typedef struct mod_env {
    const model_profile *p;   /* the target server: allocator classes, version */
    unsigned encver;          /* the value's encoding version */
    unsigned module_ver;      /* the module's version as MODULE LIST reports it
                                 (20628 = 2.6.28), 0: the one the server ships or
                                 was released with (per decoder) */
} mod_env;

typedef struct mod_size {
    uint64_t mem_usage;       /* the module's mem_usage callback after a load */
    uint64_t ram;             /* what the load allocates through zmalloc */
    uint64_t elements;        /* the value's own count (items, samples, nodes), 0 if none */
} mod_size;

typedef struct mod_decoder {
    const char *type;         /* the 9-character type name */
    const char *module;       /* the module's name in MODULE LIST ("bf", "timeseries") */
    key_bytes_basis basis;    /* KEY_BASIS_MEASURED or KEY_BASIS_SOURCE */
    unsigned max_encver;      /* newest encoding version the decoder reads */
    size_t state_size;        /* at most MOD_STATE_MAX */
    void (*begin)(void *st, const mod_env *env);
    /* One opcode: MOD_OK, MOD_WANT_BYTES (a STRING whose bytes it reads
     * through 'bytes'), or MOD_BAD (the value does not follow the layout). */
    int (*op)(void *st, const rdb_module_op *op);
    int (*bytes)(void *st, const rdb_string_chunk *c);   /* may be NULL */
    /* After the last opcode: MOD_OK with *out filled, or MOD_BAD. */
    int (*end)(void *st, mod_size *out);
    void (*release)(void *st);   /* may be NULL: frees what the decoder allocated */
} mod_decoder;

#define MOD_STATE_MAX 8192

/* The decoder for a type name, or NULL. */
const mod_decoder *mod_find(const char *type);
size_t mod_decoder_count(void);
const mod_decoder *mod_decoder_at(size_t i);

/* used_memory of a module's own load (its globals, thread pools, command
 * tables) measured on an empty server, for the modules whose values a dump
 * holds; 0 when not measured. */
uint64_t mod_load_overhead(const char *module, const model_profile *p);

/* "X.Y.Z" or MODULE LIST's integer (20628) -> 20628; 0 when not a version. */
unsigned mod_parse_version(const char *s);

/* The decoders (mod_*.c). */
extern const mod_decoder mod_bloom, mod_cuckoo, mod_cms, mod_topk, mod_tdigest, mod_tsdb,
    mod_json, mod_vset;

#endif
