/* rdb.h: streaming parser for Redis / Valkey RDB files.
 *
 * The parser reads a byte source (rdb/source.h: a file, a pipe, a
 * decompressor; it does not know which) in large blocks and reports what
 * it finds through a table of callbacks, SAX style. It never
 * holds more than the current element (or a bounded chunk of a large string)
 * and knows nothing of memory models or reports.
 *
 * Pointers handed to callbacks point into the parser's buffers and are valid
 * only for the duration of that callback, except rdb_key.name, which stays
 * valid from on_key_begin until on_key_end returns. Copy what you keep.
 *
 * Every callback may be NULL. A callback returns RDB_CONTINUE, RDB_SKIP
 * (only meaningful inside a key: stop delivering element events for this key;
 * the parser still walks the value to validate it and to fill rdb_key_end,
 * except for the blobs rdb_options.shallow_max lets a consumer skip),
 * or a negative value to abort the parse (reported as RDB_ERR_ABORTED).
 * on_key_begin may also return RDB_NO_CONTENT: element events as usual, but
 * an LZF-compressed string value is not decompressed; on_string then gets
 * one chunk with ptr NULL, len 0 and total_len from the LZF header (such a
 * value is longer than 20 bytes, so never integer-like).
 */
#ifndef RDBLENS_RDB_H
#define RDBLENS_RDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdb/source.h"

enum { RDB_CONTINUE = 0, RDB_SKIP = 1, RDB_NO_CONTENT = 2 };

/* At most this many entries per on_entries call. */
#define RDB_ENTRY_BATCH 32

/* ---- error reporting ---------------------------------------------------- */

typedef enum rdb_status {
    RDB_OK = 0,
    RDB_ERR_IO,          /* read(2) failed, or the source cannot seek */
    RDB_ERR_TRUNCATED,   /* input ended before the structure did */
    RDB_ERR_BAD_MAGIC,   /* not an RDB file */
    RDB_ERR_VERSION,     /* a version this parser cannot read */
    RDB_ERR_FORMAT,      /* a malformed structure */
    RDB_ERR_UNSUPPORTED, /* a valid but undocumented type/opcode (fail closed) */
    RDB_ERR_LIMIT,       /* a length beyond the sane limits */
    RDB_ERR_NOMEM,
    RDB_ERR_ABORTED,     /* a callback asked to stop */
    RDB_ERR_COMPRESSION, /* the compressed stream around the RDB is corrupt (a
                            compressed stream cut short is RDB_ERR_TRUNCATED);
                            the message names the compressed offset too */
} rdb_status;

typedef struct rdb_error {
    rdb_status code;
    uint64_t offset;      /* byte offset in the RDB where the problem is (after
                             decompression, for a compressed input) */
    char message[320];    /* what was expected, and the key being read if any */
} rdb_error;

const char *rdb_status_name(rdb_status s);

/* ---- file-level events ------------------------------------------------- */

typedef enum rdb_flavor { RDB_FLAVOR_REDIS, RDB_FLAVOR_VALKEY } rdb_flavor;

typedef struct rdb_header {
    char magic[10];       /* the 9 magic bytes, NUL terminated */
    rdb_flavor flavor;
    unsigned version;     /* 1..15 for REDIS, 80.. for VALKEY */
    bool newer;           /* a version past the newest known, read anyway (accept_newer) */
} rdb_header;

typedef struct rdb_bytes {
    const uint8_t *ptr;
    size_t len;
} rdb_bytes;

typedef enum rdb_checksum_status {
    RDB_CHECKSUM_ABSENT,   /* version < 5: the format has no checksum */
    RDB_CHECKSUM_DISABLED, /* trailer is zero (rdbchecksum no) */
    RDB_CHECKSUM_OK,
    RDB_CHECKSUM_MISMATCH,
} rdb_checksum_status;

typedef struct rdb_trailer {
    uint64_t eof_offset;         /* offset of the EOF opcode */
    rdb_checksum_status checksum;
    uint64_t stored_crc, computed_crc;
} rdb_trailer;

/* ---- key-level events -------------------------------------------------- */

typedef enum rdb_kind {
    RDB_KIND_STRING, RDB_KIND_LIST, RDB_KIND_SET, RDB_KIND_ZSET,
    RDB_KIND_HASH, RDB_KIND_STREAM, RDB_KIND_MODULE,
    /* Redis 8.8+ sparse array (RDB type 28): `TYPE key` answers "array", a
     * type of its own (OBJ_ARRAY, redis src/t_array.c), not a list: its
     * indexes are sparse 64-bit positions, not a sequence. */
    RDB_KIND_ARRAY,
    RDB_KIND_COUNT_
} rdb_kind;

const char *rdb_kind_name(rdb_kind k);  /* "string", "list", ... */

/* Value type bytes, as stored. 22/23 mean different things per flavor. */
enum {
    RDB_TYPE_STRING = 0, RDB_TYPE_LIST = 1, RDB_TYPE_SET = 2, RDB_TYPE_ZSET = 3,
    RDB_TYPE_HASH = 4, RDB_TYPE_ZSET_2 = 5, RDB_TYPE_MODULE_PRE_GA = 6,
    RDB_TYPE_MODULE_2 = 7, RDB_TYPE_HASH_ZIPMAP = 9, RDB_TYPE_LIST_ZIPLIST = 10,
    RDB_TYPE_SET_INTSET = 11, RDB_TYPE_ZSET_ZIPLIST = 12, RDB_TYPE_HASH_ZIPLIST = 13,
    RDB_TYPE_LIST_QUICKLIST = 14, RDB_TYPE_STREAM_LISTPACKS = 15,
    RDB_TYPE_HASH_LISTPACK = 16, RDB_TYPE_ZSET_LISTPACK = 17,
    RDB_TYPE_LIST_QUICKLIST_2 = 18, RDB_TYPE_STREAM_LISTPACKS_2 = 19,
    RDB_TYPE_SET_LISTPACK = 20, RDB_TYPE_STREAM_LISTPACKS_3 = 21,
    RDB_TYPE_HASH_METADATA_PRE_GA = 22,    /* REDIS flavor */
    RDB_TYPE_VALKEY_HASH_2 = 22,           /* VALKEY flavor */
    RDB_TYPE_HASH_LISTPACK_EX_PRE_GA = 23, /* REDIS flavor */
    RDB_TYPE_HASH_METADATA = 24, RDB_TYPE_HASH_LISTPACK_EX = 25,
    RDB_TYPE_STREAM_LISTPACKS_4 = 26, RDB_TYPE_STREAM_LISTPACKS_5 = 27,
    RDB_TYPE_VALKEY_PATH_HASH = 23,        /* VALKEY flavor, RDB 81: no public layout */
    RDB_TYPE_ARRAY = 28,                   /* REDIS flavor, RDB 14+ */
    RDB_TYPE_HASH_TMPL_LP = 29, RDB_TYPE_HASH_TMPL_LP_REF = 30,    /* REDIS, RDB 15+ */
    RDB_TYPE_HASH_TMPL_ARRAY = 31, RDB_TYPE_HASH_TMPL_ARRAY_REF = 32,
    RDB_TYPE_GCRA = 33,                    /* REDIS, RDB 15: no public layout */
};

/* The name of a value type byte, for messages: "hash-listpack" for 16,
 * "hash-2" for 22 in a Valkey file, "unknown" for a byte no server writes. */
const char *rdb_type_name(rdb_flavor flavor, uint8_t type);

typedef struct rdb_key {
    uint64_t db;
    const uint8_t *name;   /* valid until on_key_end returns */
    size_t name_len;
    uint8_t rdb_type;      /* the type byte as stored */
    rdb_kind kind;
    bool has_expire;
    int64_t expire_ms;     /* absolute unix ms */
    bool has_idle;
    uint64_t idle_s;       /* LRU idle seconds (IDLE opcode) */
    bool has_freq;
    uint8_t freq;          /* LFU counter (FREQ opcode) */
    uint8_t meta_classes;  /* KEY_META classes attached (Redis RDB 13+), 0..7 */
    uint64_t meta_bytes;   /* bytes of the KEY_META record before the key */
    uint64_t offset;       /* offset of the type byte */
} rdb_key;

/* A packed blob or node as it sits in the file. The memory model uses these
 * to size what the loader builds; 'blob' is the raw container (decompressed)
 * and is valid only during the callback. It is delivered after the entries
 * it holds (so 'entries' is the walked count), and always, even after a
 * consumer returned RDB_SKIP for the key.
 *
 * Shallow delivery (rdb_options.shallow_max > 0): after on_key_begin
 * returned RDB_SKIP, a ziplist, listpack or intset (not a zipmap, not a
 * stream node, not a listpack with field TTLs) whose header states its
 * element count and whose decompressed length is at most shallow_max is
 * first delivered with 'shallow' set, before anything in it is walked:
 * 'entries' is the header's count, blob.len the decompressed length, and
 * blob.ptr may be NULL (an LZF-compressed blob is not decompressed for it).
 * A consumer must not read the bytes of a shallow blob. Only the header has
 * been checked (total length, terminator when the bytes are at hand, count
 * against the length, intset width and order of its ends). The callback's
 * answer decides:
 *   RDB_SKIP      the blob is not walked (nor decompressed); the key's
 *                 elements come from the count, and its largest is no longer
 *                 exact (rdb_key_end.largest_exact) unless the blob is an
 *                 intset, whose largest comes from its first and last member;
 *   RDB_CONTINUE  the blob is decompressed and walked as without the option,
 *                 and delivered a second time, walked ('shallow' false).
 * rdb_key_end.containers counts such a blob once.
 *
 * A stream node whose listpack is at most shallow_max bytes is delivered
 * shallow too, whatever on_key_begin answered (a stream's consumer groups
 * are element events a consumer may want without the entries): 'entries'
 * from the node's master entry (live + deleted), blob.ptr NULL when the node
 * is LZF-compressed (it is not decompressed for it), and only the
 * listpack's header and the master entry's counts checked. RDB_SKIP skips
 * that node's walk and its entry events only, not the key's later events;
 * largest is then no longer exact. */
typedef enum rdb_container_kind {
    RDB_CT_ZIPLIST, RDB_CT_LISTPACK, RDB_CT_INTSET, RDB_CT_ZIPMAP,
    RDB_CT_QUICKLIST_PLAIN,  /* a PLAIN quicklist-2 node: one raw element */
    RDB_CT_STREAM_NODE,      /* a stream rax node's listpack */
} rdb_container_kind;

typedef struct rdb_container {
    rdb_container_kind kind;
    rdb_bytes blob;
    size_t stored_len;       /* bytes in the file (after LZF, if compressed) */
    bool compressed;         /* was LZF-compressed in the file */
    uint32_t entries;        /* raw entries in the blob (walked; the header's when shallow) */
    bool shallow;            /* not walked (yet): see above; blob.ptr may be NULL */
    uint8_t intset_width;    /* 2, 4 or 8 for RDB_CT_INTSET */
    uint64_t stream_ms, stream_seq;  /* master ID, for RDB_CT_STREAM_NODE */
    bool streamed;           /* walked in pieces, never held: blob.ptr is NULL (see
                                rdb_options.streamed_elements) */
} rdb_container;

/* One element of a collection value. 'is_int' elements come from integer
 * encodings (intset, ziplist/listpack integers, RDB int strings); their text
 * form is the decimal representation. */
typedef struct rdb_item {
    const uint8_t *ptr;  /* bytes, when !is_int */
    size_t len;          /* byte length; for integers, length of the decimal text */
    bool is_int;
    int64_t ival;
} rdb_item;

/* A logical entry: a list item or set member ('member' only), a zset member
 * with its score, a hash field with its value (and field TTL when the type
 * carries one). */
typedef enum rdb_array_tag {   /* how an ARRAY element is stored (redis sparsearray.h) */
    RDB_AR_SDS = 0, RDB_AR_INT = 1, RDB_AR_FLOAT = 2, RDB_AR_SMALLSTR = 3,
} rdb_array_tag;

typedef struct rdb_entry {
    rdb_item member;     /* list item, set/zset member, hash field, array element */
    rdb_item value;      /* hash value; a zset member read from a ziplist or
                            listpack: its score as stored there (a loader that
                            converts the blob copies that text, not the double) */
    double score;        /* zset; an ARRAY element with tag RDB_AR_FLOAT: its value */
    bool has_ttl;
    int64_t ttl_ms;      /* hash field absolute expiry (unix ms) */
    uint64_t index;      /* ARRAY: the element's index */
    uint8_t array_tag;   /* ARRAY: rdb_array_tag */
    bool streamed;       /* of a blob walked in pieces (rdb_options.streamed_elements) */
} rdb_entry;

/* A top-level string value, possibly in several chunks when it is large.
 * total_len is the length of the whole value (decimal text length for
 * integer-encoded strings). */
typedef struct rdb_string_chunk {
    uint64_t total_len;
    uint64_t offset;     /* of this chunk within the value */
    const uint8_t *ptr;
    size_t len;
    bool is_int;         /* stored with an RDB integer encoding */
    int64_t ival;
    bool compressed;     /* stored LZF-compressed */
    uint64_t stored_len; /* bytes of the value in the file */
} rdb_string_chunk;

/* Streams, in file order: for each rax node its entries (on_stream_entry,
 * then one on_entry per field/value pair) followed by the node itself (an
 * RDB_CT_STREAM_NODE container); then on_stream_meta; then per consumer
 * group its PEL entries (on_stream_pel), the group (on_stream_group, which
 * then knows its consumer count) and its consumers: per consumer the IDs of
 * its own PEL (on_stream_consumer_pel, ascending, each also in the group's
 * PEL), then the consumer (on_stream_consumer, which then knows its PEL
 * size). PEL and consumer PEL events are element events (RDB_SKIP stops them). */
typedef struct rdb_stream_id { uint64_t ms, seq; } rdb_stream_id;

typedef struct rdb_stream_entry {
    rdb_stream_id id;
    bool deleted;
    uint32_t num_fields;   /* followed by num_fields on_entry events (field, value) */
} rdb_stream_entry;

typedef struct rdb_stream_meta {
    uint64_t length;       /* live entries (XLEN) */
    uint64_t nodes;
    rdb_stream_id last_id, first_id, max_deleted_id;
    uint64_t entries_added;
    bool has_v2_fields;    /* first_id/max_deleted_id/entries_added present */
    uint64_t num_groups;
} rdb_stream_meta;

typedef struct rdb_stream_group {
    rdb_bytes name;
    rdb_stream_id last_id;
    bool has_entries_read;
    uint64_t entries_read;
    uint64_t pel_count;
    uint64_t consumers;
} rdb_stream_group;

typedef struct rdb_stream_pel {
    rdb_stream_id id;
    int64_t delivery_time_ms;
    uint64_t delivery_count;
} rdb_stream_pel;

typedef struct rdb_stream_consumer {
    rdb_bytes name;
    int64_t seen_time_ms;
    bool has_active_time;
    int64_t active_time_ms;
    uint64_t pel_count;
} rdb_stream_consumer;

/* Type 27 (Redis 8.8 XNACK): after a group's consumers, the IDs of its PEL
 * entries that no consumer owns (NACKed). on_stream_nack_zone comes first
 * (always), then one on_stream_nack element event per ID. */
typedef struct rdb_stream_nack_zone {
    rdb_bytes group;        /* the group's name */
    uint64_t count;
} rdb_stream_nack_zone;

/* Types 26/27 (Redis 8.6 IDMP): the idempotent-producer section after the
 * groups, summed (delivered once, after the last group). */
typedef struct rdb_stream_idmp {
    uint64_t duration_s, max_entries;
    uint64_t producers, entries;   /* producers; IID entries over all of them */
    uint64_t pid_bytes, iid_bytes; /* total length of producer ids / IIDs */
    uint64_t iids_added, iids_duplicates;
} rdb_stream_idmp;

/* KEY_META (Redis RDB 13+, opcode 0xF3 before a key): one event per class,
 * before the key's on_key_begin. The class spec is 32 bits: a 4-character
 * name (6 bits a character), a 5-bit version and 3 flag bits (bit 0:
 * ALLOW_IGNORE) (redis src/keymeta.c keyMetaClassEncode). */
typedef struct rdb_key_meta {
    char name[5];           /* NUL terminated */
    unsigned version;       /* 0..31 */
    unsigned flags;         /* 0..7 */
    uint64_t value_bytes;   /* the class value's module opcode stream, EOF included */
    uint64_t offset;        /* of the class spec */
} rdb_key_meta;

/* ARRAY (Redis RDB 14+): count of elements and the last-insert cursor,
 * before the elements. */
typedef struct rdb_array_meta {
    uint64_t count;
    bool has_insert_idx;
    uint64_t insert_idx;
} rdb_array_meta;

/* HASH_TEMPLATES (Redis RDB 15, opcode 0xF2): a template defined once, by
 * id, that hashes of type 30/32 refer to. The parser keeps the field names
 * (bounded: rdb_options.max_template_bytes) to deliver those hashes' fields. */
typedef struct rdb_hash_template {
    uint64_t id;
    uint64_t fields;
    uint64_t field_bytes;   /* total length of the field names */
} rdb_hash_template;

/* Valkey SLOT_IMPORT (RDB 80+, opcode 0xF3): a slot-import job in progress. */
typedef struct rdb_slot_import {
    rdb_bytes job;          /* the 40-character job name */
    uint64_t ranges, slots; /* slot ranges, slots they cover */
} rdb_slot_import;

/* Valkey UPDATE (RDB 81, opcode 0xF2): a replication command written inline
 * by a forkless save, as RESP. The server replays it while loading; it is
 * reported, not applied. */
typedef struct rdb_update_command {
    rdb_bytes name;         /* the first argument (the command), at most 64 bytes shown */
    uint64_t argc;
    uint64_t bytes;         /* the RESP text, opcode excluded */
} rdb_update_command;
/* Module values (RDB_TYPE_MODULE_2): after on_key_begin, on_module_value
 * names the module type; then one on_module_op per opcode of the value's
 * stream, in file order, up to (not including) its EOF opcode. This is the
 * module's own RDB layout (RedisModule_Save* calls), framed by the type of
 * each value, so a consumer that knows the module decodes it field by field
 * and one that does not can still count and size it. For a STRING op the
 * answer decides whether its bytes follow: RDB_CONTINUE delivers them
 * through on_module_string (a raw string in block-sized chunks, an
 * LZF-compressed one decompressed whole in one chunk, an integer-encoded
 * one as its decimal text), any other non-negative answer skips them (an
 * LZF string is then not decompressed; rdb_options.verify_lzf still checks
 * it). RDB_SKIP from on_module_value or on_module_op stops the module
 * events of this key; the parser still walks the value to its end. */
typedef enum rdb_module_opcode {
    RDB_MOP_SINT = 1, RDB_MOP_UINT = 2, RDB_MOP_FLOAT = 3, RDB_MOP_DOUBLE = 4,
    RDB_MOP_STRING = 5,
} rdb_module_opcode;

typedef struct rdb_module_type {
    char name[10];         /* the 9-character type name, NUL terminated */
    unsigned encver;       /* encoding version (low 10 bits of the id) */
    uint64_t id;           /* the module type id as stored */
} rdb_module_type;

typedef struct rdb_module_op {
    rdb_module_opcode code;
    uint64_t index;        /* position in the value's opcode stream, from 0 */
    uint64_t offset;       /* of the opcode in the file */
    uint64_t uint;         /* UINT (SINT: the stored bits) */
    int64_t sint;          /* SINT */
    double dbl;            /* FLOAT and DOUBLE */
    uint64_t str_len;      /* STRING: length (decompressed; integer-encoded: its text's) */
    uint64_t stored_len;   /* STRING: bytes in the file after the length prefix */
    bool compressed;       /* STRING stored LZF-compressed */
    bool is_int;           /* STRING stored as an RDB integer (ival) */
    int64_t ival;
} rdb_module_op;

/* Summary of a whole key, computed by the parser whether or not element
 * events were delivered. */
typedef struct rdb_key_end {
    uint64_t elements;     /* STRLEN / LLEN / SCARD / ZCARD / HLEN / XLEN */
    uint64_t largest;      /* longest element's byte length (strings: STRLEN); only
                              over the walked blobs when !largest_exact */
    bool largest_exact;    /* false when a shallow blob was not walked (rdb_options.shallow_max) */
    uint64_t largest_bound;/* when !largest_exact: no element of an unwalked blob is longer
                              (the longest such blob's length, at least 20: an integer's text) */
    uint64_t value_bytes;  /* bytes the value occupies in the file */
    uint64_t containers;   /* quicklist nodes / stream nodes / 1 for a blob */
    bool has_field_ttl;    /* a hash with at least one field TTL */
    char module_name[10];  /* module values: decoded 9-character type name */
    unsigned module_encver;
} rdb_key_end;

/* ---- the callback table ------------------------------------------------ */

typedef struct rdb_handlers {
    int (*on_header)(void *ctx, const rdb_header *h);
    int (*on_aux)(void *ctx, rdb_bytes key, rdb_bytes value);
    int (*on_module_aux)(void *ctx, const char name[10], unsigned encver, uint64_t when, uint64_t bytes);
    int (*on_function)(void *ctx, rdb_bytes code);
    int (*on_select_db)(void *ctx, uint64_t db);
    int (*on_resize_db)(void *ctx, uint64_t db_size, uint64_t expires_size);
    int (*on_slot_info)(void *ctx, uint64_t slot, uint64_t size, uint64_t expires);

    int (*on_key_begin)(void *ctx, const rdb_key *k);
    int (*on_string)(void *ctx, const rdb_key *k, const rdb_string_chunk *c);
    int (*on_container)(void *ctx, const rdb_key *k, const rdb_container *c);
    int (*on_entry)(void *ctx, const rdb_key *k, const rdb_entry *e);
    /* Optional, used only with on_entry: the elements of a plain (one
     * string per element) list, set, sorted set or hash that are short and
     * whole in the block come n at a time (at most RDB_ENTRY_BATCH), in
     * order, the rest one at a time through on_entry. The answer is taken
     * as on_entry's for the last of them: a consumer that stops part way
     * (RDB_SKIP, or a negative value: the parse then ends at the batch's
     * end, up to 31 elements after the one that stopped it) looks at no
     * more of them. Why: per element, the calls from parser to model cost
     * as much as the model's work. */
    int (*on_entries)(void *ctx, const rdb_key *k, const rdb_entry *e, size_t n);
    int (*on_stream_entry)(void *ctx, const rdb_key *k, const rdb_stream_entry *e);
    int (*on_stream_meta)(void *ctx, const rdb_key *k, const rdb_stream_meta *m);
    int (*on_stream_group)(void *ctx, const rdb_key *k, const rdb_stream_group *g);
    int (*on_stream_pel)(void *ctx, const rdb_key *k, const rdb_stream_pel *p);
    int (*on_stream_consumer_pel)(void *ctx, const rdb_key *k, const rdb_stream_id *id);
    int (*on_stream_consumer)(void *ctx, const rdb_key *k, const rdb_stream_consumer *c);
    int (*on_stream_nack_zone)(void *ctx, const rdb_key *k, const rdb_stream_nack_zone *z);
    int (*on_stream_nack)(void *ctx, const rdb_key *k, const rdb_stream_id *id);
    int (*on_stream_idmp)(void *ctx, const rdb_key *k, const rdb_stream_idmp *m);
    int (*on_array_meta)(void *ctx, const rdb_key *k, const rdb_array_meta *m);
    int (*on_module_value)(void *ctx, const rdb_key *k, const rdb_module_type *t);
    int (*on_module_op)(void *ctx, const rdb_key *k, const rdb_module_op *op);
    int (*on_module_string)(void *ctx, const rdb_key *k, const rdb_string_chunk *c);
    int (*on_key_end)(void *ctx, const rdb_key *k, const rdb_key_end *end);

    /* Newer records (RDB 13-15, VALKEY 80/81), see their structs above. */
    int (*on_key_meta)(void *ctx, const rdb_key_meta *m);
    int (*on_hash_template)(void *ctx, const rdb_hash_template *t);
    int (*on_slot_import)(void *ctx, const rdb_slot_import *s);
    int (*on_update_command)(void *ctx, const rdb_update_command *c);

    int (*on_end)(void *ctx, const rdb_trailer *t);
} rdb_handlers;

/* ---- running the parser ------------------------------------------------ */

typedef struct rdb_options {
    /* Largest single string / blob accepted (default 1 GiB: above Redis's
     * 512 MB proto-max-bulk-len default, far above what any container
     * reaches). Lengths are also checked against the bytes left in a
     * regular file before anything is allocated. */
    uint64_t max_string;
    /* Bytes of the input that are known to exist (file size), or 0 when
     * unknown (a pipe); then buffers grow only as data actually arrives. */
    uint64_t input_size;
    /* Decompress LZF string values even when no consumer reads them, to
     * check each one against its header (rdblens check). Otherwise such a
     * value's bytes are only covered by the file's checksum. */
    bool verify_lzf;
    /* 0: walk every packed blob. Otherwise the longest (decompressed) blob
     * that may be delivered shallow, unwalked, after on_key_begin returned
     * RDB_SKIP (see rdb_container). A consumer that shows largest must then
     * re-read the keys whose largest is not exact (rdb_parse_key_at). */
    uint64_t shallow_max;
    /* Read a file whose RDB version is newer than the newest this parser
     * knows (REDIS above 15, VALKEY above 81) as if it were the newest: what
     * is known is read, and the first unknown type or opcode stops the parse
     * with RDB_ERR_UNSUPPORTED, as a truncation would. */
    bool accept_newer;
    /* Bytes the hash-template registry may hold (field names plus 16 per
     * field and 32 per template); default 256 MiB. Past it: RDB_ERR_LIMIT. */
    uint64_t max_template_bytes;
    /* Called about once per RD_BLOCK_SIZE bytes with the RDB offset read up
     * to (rdblens's progress line); NULL: not called. */
    void (*progress)(void *ctx, uint64_t offset);
    void *progress_ctx;
    /* A ziplist, listpack, intset or zipmap longer than 1 MiB decompressed
     * is walked in pieces and never held whole, so its container event has
     * no bytes (rdb_container.streamed). A consumer that would replay such
     * a blob's entries from its bytes sets this: the blob's element events
     * are then delivered even after RDB_SKIP. */
    bool streamed_elements;
    /* A mapped input's checksum, and the release of the pages the parser
     * has left behind, on a helper thread (rdb/trail.h): a tenth less work
     * for the parsing thread when a second core is free. */
    bool checksum_thread;
} rdb_options;

typedef struct rdb_result {
    rdb_error error;          /* code RDB_OK when the file was read to the end */
    uint64_t bytes_read;      /* up to and including the checksum */
    uint64_t input_bytes;     /* taken from the fd, which may be more than bytes_read
                                 when something follows the RDB (an AOF tail) */
    uint64_t keys;            /* keys fully delivered (on_key_end called) */
    bool have_header;
    rdb_header header;
    bool have_trailer;
    rdb_trailer trailer;
} rdb_result;

/* Parse an RDB from a byte source, from its start. Returns the status
 * (also in res->error.code). The parser stops after the checksum, so what
 * follows (an AOF tail) is left unread; res->bytes_read says where it ended.
 * opt->input_size defaults to src->rdb_size. */
rdb_status rdb_parse(rdb_source *src, const rdb_handlers *h, void *ctx, const rdb_options *opt,
                     rdb_result *res);

/* The same over fd (read(2), from its current position). */
rdb_status rdb_parse_fd(int fd, const rdb_handlers *h, void *ctx,
                        const rdb_options *opt, rdb_result *res);

/* Re-reading keys by offset. rdb_key_reader_read parses the one key record
 * whose type byte is at 'offset' (rdb_key.offset from an earlier parse of
 * the same input), as a file with header 'hdr' would hold it, delivering
 * its key events (on_key_begin .. on_key_end) and nothing else. The
 * key-level opcodes before the type byte (expiry, idle, freq) are not read,
 * so rdb_key has none, and its db is 0. Offsets in errors are absolute.
 * Used to learn a key's exact largest after a shallow parse
 * (opt->shallow_max should then be 0). One key reader keeps its block
 * between keys: keys read in ascending offsets go forward only, which is
 * what a decompressing source needs (a seek back starts it over). NULL
 * when out of memory or hdr is NULL. A hash of type 30 or 32 (RDB 15)
 * refers to a template defined earlier in the file, which a lone key cannot
 * see: it fails as an unknown template id (such hashes are always walked in
 * full, so a shallow parse never asks for one). */
typedef struct rdb_key_reader rdb_key_reader;
rdb_key_reader *rdb_key_reader_new(rdb_source *src, const rdb_header *hdr, const rdb_options *opt);
rdb_status rdb_key_reader_read(rdb_key_reader *kr, uint64_t offset, const rdb_handlers *h,
                               void *ctx, rdb_result *res);
void rdb_key_reader_free(rdb_key_reader *kr);

/* One key, with a key reader of its own. */
rdb_status rdb_parse_key_at(rdb_source *src, uint64_t offset, const rdb_header *hdr,
                            const rdb_handlers *h, void *ctx, const rdb_options *opt,
                            rdb_result *res);

#endif
