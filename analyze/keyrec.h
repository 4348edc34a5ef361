/* keyrec.h: the one fixed-size record per key that flows from the memory
 * model to the aggregators and renderers. Aggregators see only this, never
 * parser events. */
#ifndef RDBLENS_KEYREC_H
#define RDBLENS_KEYREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdb/rdb.h"

/* What a key's bytes rest on (module values; other keys are KEY_BASIS_MODEL). */
typedef enum key_bytes_basis {
    KEY_BASIS_MODEL = 0,      /* the per-version model, checked against real servers */
    KEY_BASIS_MEASURED,       /* module value: decoded, formula checked against real servers */
    KEY_BASIS_SOURCE,         /* module value: decoded, formula from the module's source only */
    KEY_BASIS_SERIALIZED,     /* module value not modelled: its size in the dump stands in */
    KEY_BASIS_COUNT_
} key_bytes_basis;

/* "measured-model", "measured-model", "source-model", "serialized-size" */
static inline const char *key_basis_name(key_bytes_basis b) {
    static const char *const names[] = {"measured-model", "measured-model", "source-model",
                                        "serialized-size"};
    return (unsigned)b < KEY_BASIS_COUNT_ ? names[b] : "serialized-size";
}

/* Made once per key and copied once into the record queue: the fields
 * are ordered by size (8-byte, 4-byte, then the small ones), which keeps
 * it at 152 bytes instead of the 192 that padding made of it. */
typedef struct key_record {
    uint64_t db;
    const uint8_t *key;     /* valid only during the sink call; copy to keep */
    size_t key_len;
    uint64_t key_full_len;  /* 0, or the key's true length when 'key' holds only
                               its first key_len bytes (a report keeps at most
                               AGG_KEY_KEEP bytes of a name) */
    uint64_t offset;        /* of the key's type byte in its file (rdb_key.offset),
                               to re-read it (rdb_parse_key_at) */
    const char *encoding;   /* OBJECT ENCODING after load on the target profile
                               (static string), or NULL when not modelled */
    uint64_t bytes;         /* predicted MEMORY USAGE key SAMPLES 0 */
    uint64_t ram;           /* predicted contribution to used_memory (in cluster
                               mode without a share of the tables, model.h) */
    const char *compact_encoding;  /* hashtable / skiplist collections just past
                               a compact-encoding limit (enc_near_window): that encoding
                               (static string), else NULL ... */
    uint64_t compact_bytes; /* ... and bytes as predicted had the key it */
    uint64_t elements;      /* STRLEN/LLEN/SCARD/ZCARD/HLEN/XLEN */
    uint64_t largest;       /* longest element in bytes (strings: STRLEN) */
    int64_t expire_ms;      /* absolute unix ms (has_expire) */
    uint64_t idle_s;        /* (has_idle) */
    const char *module_name;/* module values: 9-character type name, else NULL */
    uint64_t serialized_bytes;    /* module values: bytes of the value in the dump */
    rdb_kind type;
    unsigned module_encver; /* module values: encoding version */
    key_bytes_basis bytes_basis;  /* module values: what bytes rests on */
    uint16_t slot;          /* (has_slot) */
    uint8_t rdb_type;       /* type byte as stored */
    uint8_t freq;           /* (has_freq) */
    bool has_bytes;         /* false when no memory model ran */
    bool int_members;       /* a set whose members all parse as integers (an
                               intset candidate); checked over sets of up to
                               enc_near_window(set-max-intset-entries) members,
                               false past that */
    bool largest_exact;     /* false: a shallow parse left blobs unwalked, largest
                               covers only the rest (rdb_key_end.largest_exact) */
    bool has_expire;
    bool has_idle;
    bool has_freq;
    bool has_slot;          /* cluster mode (model.h): the key's hash slot */
} key_record;

#endif
