/* internal.h: parser state and decoding primitives shared by the rdb/ files
 * (parser.c, value.c, packed.c, stream.c, module.c). Not part of the public API. */
#ifndef RDBLENS_RDB_INTERNAL_H
#define RDBLENS_RDB_INTERNAL_H

#include "rdb/piecewise.h"
#include "rdb/rdb.h"
#include "rdb/reader.h"

typedef struct tmpl_registry tmpl_registry;   /* hash_tmpl.c */

typedef struct parser {
    reader rd;
    const rdb_handlers *h;
    void *ctx;
    rdb_options opt;
    rdb_result *res;
    rdb_header hdr;

    uint64_t db;
    /* State of the key being read. */
    bool in_key;
    bool skip;            /* the consumer asked for no more element events */
    bool no_content;      /* ... or for LZF string values' lengths only */
    bool piece_entries;   /* ... except those of the blob walked in pieces now
                             (rdb_options.streamed_elements) */
    rdb_key key;
    rdb_key_end kend;

    /* Buffers that outlive a reader call: key name, first half of a pair,
     * a packed blob, LZF input and output. */
    rd_buf keybuf, pairbuf, blobbuf, lzfin, lzfout, valbuf;
    /* Hash templates defined so far (RDB 15), NULL until the first one. */
    tmpl_registry *tmpl;
    pieces pcs;           /* the blob being walked in pieces (piecewise.h) */
    /* Short elements of a plain collection waiting for on_entries (value.c);
     * their bytes are in the block, which no fill has moved since. */
    rdb_entry batch[RDB_ENTRY_BATCH];
    size_t nbatch;
    int batch_shape;      /* the shape (value.c SHAPE_*) whose fields batch[]
                             holds; the others are zero */
} parser;

/* Formats res->error and returns its code. Adds the current key. */
rdb_status perr(parser *p, rdb_status code, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Maps a reader status to a parser error at the current offset. */
rdb_status perr_rd(parser *p, rd_status s, const char *what);

/* Delivers a callback result: RDB_SKIP sets p->skip, negative aborts. */
rdb_status pcb(parser *p, int rc);

/* Primitives. Each returns RDB_OK or an error already recorded. */
rdb_status rdb_read_u8(parser *p, uint8_t *v, const char *what);
rdb_status rdb_read_raw(parser *p, size_t n, const uint8_t **out, const char *what);
rdb_status rdb_read_len(parser *p, uint64_t *len, bool *encoded, const char *what);
/* A length that must not be a special encoding. */
rdb_status rdb_read_plain_len(parser *p, uint64_t *len, const char *what);
rdb_status rdb_read_i64le(parser *p, int64_t *v, const char *what);
rdb_status rdb_read_double_bin(parser *p, double *v, const char *what);
rdb_status rdb_read_double_legacy(parser *p, double *v, const char *what);

/* A complete RDB string, decompressed, into buf (or as an integer).
 * stored_len receives its size in the file (excluding the length prefix). */
rdb_status rdb_read_string(parser *p, rd_buf *buf, rdb_item *out, uint64_t *stored_len,
                           bool *compressed, const char *what);

/* After an LZF marker (at = its offset): reads the compressed and
 * decompressed lengths and checks them (limit, bytes left, LZF's maximum
 * expansion) before anything is allocated. */
rdb_status rdb_read_lzf_header(parser *p, uint64_t at, uint64_t *clen, uint64_t *ulen,
                               const char *what);

/* Decompresses in[0..clen) into dst (grown to ulen), checking that it
 * yields exactly ulen bytes; 'at' is the string's offset, for errors. */
rdb_status rdb_lzf_decompress(parser *p, const uint8_t *in, uint64_t clen, uint64_t ulen,
                              uint64_t at, rd_buf *dst, const char *what);

/* Consumes an LZF string's clen stored bytes (after its header), checking
 * that they decompress to ulen bytes without a buffer of ulen bytes (value.c). */
rdb_status rdb_lzf_verify(parser *p, uint64_t clen, uint64_t ulen, uint64_t at, const char *what);

/* Checks a length read from the file against the sane limit and the bytes
 * left in the input (when known). */
rdb_status rdb_check_len(parser *p, uint64_t len, uint64_t at, const char *what);

/* A packed blob as read from the file (packed.c, shallow.c). */
typedef struct blob {
    rdb_container_kind kind;
    const uint8_t *ptr;  /* NULL when walked in pieces */
    size_t len;
    uint64_t file_off;   /* where the blob's bytes start in the file */
    uint64_t stored_len;
    bool compressed;
    bool pieces;         /* walked in pieces (p->pcs), not held */
} blob;

/* Reads a blob (decompressed) as one RDB string. */
rdb_status rdb_read_blob(parser *p, rdb_container_kind kind, blob *bl, const char *what);
/* The same for a blob to walk: one too long to hold (piecewise.h) is only
 * opened (bl->pieces, bl->ptr NULL). */
rdb_status rdb_read_blob_to_walk(parser *p, rdb_container_kind kind, blob *bl, const char *what);
/* A corrupt blob: offset of byte 'inner' (the blob's start when compressed). */
rdb_status rdb_blob_error(parser *p, const blob *bl, size_t inner, const char *kind,
                          const char *msg);

/* Reads a packed blob of ziplist / listpack / intset kind whose entries are
 * 'arity' items. When it may go out shallow (rdb.h, rdb_container) it is
 * delivered so; if the consumer answers RDB_SKIP, *done is set and *entries
 * is the header's entry count. Otherwise *done is false and bl holds the
 * decompressed blob, to be walked, or (bl->pieces) one too long to hold,
 * opened to be walked in pieces; such a blob never goes out shallow. */
rdb_status rdb_read_packed_blob(parser *p, rdb_container_kind kind, int arity, blob *bl,
                                const char *what, bool *done, uint64_t *entries);

/* Walks a blob (rdb_read_packed_blob, rdb_read_blob_to_walk) whose items
 * group into entries of 'arity' items: 1 = list item / set member, 2 = zset
 * member+score or hash field+value, 3 = hash field+value+ttl
 * (HASH_LISTPACK_EX); delivers them and then the container (packed.c).
 * Returns entries in *n. */
rdb_status rdb_walk_blob(parser *p, const blob *bl, int arity, bool zset, uint64_t *n);

/* Value payloads. */
rdb_status rdb_read_value(parser *p);
rdb_status rdb_read_zipmap(parser *p);                     /* packed.c */
rdb_status rdb_read_stream(parser *p);
rdb_status rdb_read_module(parser *p, uint64_t *bytes);
rdb_status rdb_read_array(parser *p);                      /* array.c */
size_t rdb_array_float_text(double d, char buf[40]);
rdb_status rdb_read_hash_template(parser *p);              /* hash_tmpl.c */
rdb_status rdb_read_hash_tmpl_value(parser *p);
void rdb_tmpl_free(tmpl_registry *r);
rdb_status rdb_read_key_meta(parser *p, uint64_t op_off);  /* keymeta.c */
void rdb_key_meta_decode(uint32_t spec, rdb_key_meta *m);
rdb_status rdb_read_slot_import(parser *p);                /* valkey9.c */
rdb_status rdb_read_update_command(parser *p, uint64_t op_off);
rdb_status rdb_vkcs_refusal(parser *p, const uint8_t b[9]);
/* Walk a module opcode stream up to its EOF opcode (module aux, KEY_META
 * classes), delivering nothing. Module values use rdb_read_module, which
 * delivers the opcodes (rdb.h, on_module_op). */
rdb_status rdb_skip_module_opcodes(parser *p, const char *what);
void rdb_module_name(uint64_t id, char name[10], unsigned *encver);

/* Small helpers. */
static inline void kend_largest(parser *p, uint64_t len) {
    if (len > p->kend.largest) p->kend.largest = len;
}

/* An element event, unless the consumer asked for no more (p->skip) outside
 * a blob walked in pieces (value.c, packed.c). */
static inline rdb_status rdb_emit_entry(parser *p, const rdb_entry *e) {
    if ((p->skip && !p->piece_entries) || !p->h->on_entry) return RDB_OK;
    return pcb(p, p->h->on_entry(p->ctx, &p->key, e));
}

/* A container event, counted in the key's summary. */
static inline rdb_status rdb_emit_container(parser *p, const rdb_container *c) {
    p->kend.containers++;
    if (!p->h->on_container) return RDB_OK;
    return pcb(p, p->h->on_container(p->ctx, &p->key, c));
}
double rdb_item_to_double(const rdb_item *it, bool *ok);

#endif
