/* fuzz_common.h: shared by the libFuzzer harnesses in tools/fuzz/.
 *
 * fz_parse_both() loads a byte buffer into one reused memfd and runs
 * rdb_parse_fd over it three times, with a handler table that asks for every
 * event and reads every byte it is handed (so ASan checks each pointer the
 * parser gives out):
 *   1. as a regular file (input_size known), every event delivered;
 *   2. as a pipe (input_size 0), some keys answered with RDB_SKIP, LZF
 *      values still verified: it must agree with run 1 on whether the file
 *      is valid (the size-based early checks must never reject a file that
 *      parses, nor accept one that does not), on the key count and the end;
 *   3. as a file, every key skipped and LZF values not decompressed: it
 *      checks less, so it may accept more, but never rejects what 1 accepts.
 * In run 2 a string value longer than one chunk is also skipped after its
 * first chunk (the rest must be stepped over).
 * When run 1 accepts the file, it is parsed once more by a consumer that
 * stops the parse (returns -1) at one of its callbacks, chosen by the
 * input's bytes: the parse must end at once with RDB_ERR_ABORTED.
 * Its first FZ_REREAD keys are then re-read by
 * their offsets through a read(2) source, as `report` re-reads the keys it
 * shows (rdb_parse_key_at for the first, one rdb_key_reader in ascending
 * offsets for the rest): each must come out as run 1 saw it (name, type,
 * counts, sizes), except a hash that refers to a template (types 30 and 32
 * of a REDIS file), which a lone key cannot resolve and must be refused.
 * Each result is also checked on its own (error message and offset present
 * and inside the input, bytes_read inside the input, key events paired).
 * Any violation aborts, which libFuzzer reports as a crash. Built only by
 * tools/fuzz.sh (clang -fsanitize=fuzzer). */
#ifndef RDBLENS_FUZZ_COMMON_H
#define RDBLENS_FUZZ_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rdb/rdb.h"
#include "rdb/source.h"

/* What a key came out as, for the re-read check. */
typedef struct fz_seen {
    uint64_t offset, name_hash, name_len;
    uint8_t rdb_type;
    rdb_key_end end;
} fz_seen;

#define FZ_REREAD 4

typedef struct fz_ctx {
    uint64_t sum;        /* folded bytes: keeps the reads from being optimized out */
    uint64_t events;
    int skip_mode;       /* 0: never skip; 1: skip keys whose name hashes odd; 2: skip all */
    int in_key;
    fz_seen *seen;       /* when set: the first max_seen keys are recorded here */
    size_t nseen, max_seen;
    uint64_t calls;      /* callbacks answered */
    uint64_t abort_at;   /* when set: the callback (1-based) that stops the parse */
    bool aborted;
} fz_ctx;

/* Every callback's usual answer: RDB_CONTINUE, or -1 at the call chosen to
 * stop the parse; no callback may come after that one. */
static inline int fz_rc(void *ctx) {
    fz_ctx *c = ctx;
    if (c->aborted) {
        fprintf(stderr, "fuzz: a callback after the consumer stopped the parse\n");
        abort();
    }
    if (++c->calls == c->abort_at) {
        c->aborted = true;
        return -1;
    }
    return RDB_CONTINUE;
}

static inline void fz_touch(fz_ctx *c, const uint8_t *p, size_t n) {
    if (n && !p) {
        fprintf(stderr, "fuzz: NULL pointer with length %zu\n", n);
        abort();
    }
    uint64_t s = c->sum;
    for (size_t i = 0; i < n; i++) s = s * 31 + p[i];
    c->sum = s;
    c->events++;
}

static inline void fz_touch_item(fz_ctx *c, const rdb_item *it) {
    if (it->is_int) {
        c->sum += (uint64_t)it->ival + it->len;
        if (it->len == 0 || it->len > 20) {
            fprintf(stderr, "fuzz: integer item with text length %zu\n", it->len);
            abort();
        }
    } else {
        fz_touch(c, it->ptr, it->len);
    }
}

static inline void fz_touch_key(fz_ctx *c, const rdb_key *k) {
    fz_touch(c, k->name, k->name_len);
    c->sum += k->db + k->rdb_type + (uint64_t)k->kind + (uint64_t)k->expire_ms + k->idle_s + k->freq;
}

static int fz_on_header(void *ctx, const rdb_header *h) {
    fz_ctx *c = ctx;
    fz_touch(c, (const uint8_t *)h->magic, strlen(h->magic));
    return fz_rc(ctx);
}
static int fz_on_aux(void *ctx, rdb_bytes k, rdb_bytes v) {
    fz_ctx *c = ctx;
    fz_touch(c, k.ptr, k.len);
    fz_touch(c, v.ptr, v.len);
    return fz_rc(ctx);
}
static int fz_on_module_aux(void *ctx, const char name[10], unsigned encver, uint64_t when, uint64_t bytes) {
    fz_ctx *c = ctx;
    fz_touch(c, (const uint8_t *)name, strlen(name));
    c->sum += encver + when + bytes;
    return fz_rc(ctx);
}
static int fz_on_function(void *ctx, rdb_bytes code) {
    fz_touch(ctx, code.ptr, code.len);
    return fz_rc(ctx);
}
static int fz_on_select_db(void *ctx, uint64_t db) {
    ((fz_ctx *)ctx)->sum += db;
    return fz_rc(ctx);
}
static int fz_on_resize_db(void *ctx, uint64_t a, uint64_t b) {
    ((fz_ctx *)ctx)->sum += a ^ b;
    return fz_rc(ctx);
}
static int fz_on_slot_info(void *ctx, uint64_t a, uint64_t b, uint64_t d) {
    ((fz_ctx *)ctx)->sum += a ^ b ^ d;
    return fz_rc(ctx);
}
static int fz_on_key_begin(void *ctx, const rdb_key *k) {
    fz_ctx *c = ctx;
    if (c->in_key) {
        fprintf(stderr, "fuzz: on_key_begin inside a key\n");
        abort();
    }
    c->in_key = 1;
    fz_touch_key(c, k);
    if (c->skip_mode == 2) return RDB_SKIP;
    if (c->skip_mode == 1) {
        uint64_t h = 0;
        for (size_t i = 0; i < k->name_len; i++) h = h * 131 + k->name[i];
        if (h & 1) return RDB_SKIP;
    }
    return fz_rc(ctx);
}
static int fz_on_string(void *ctx, const rdb_key *k, const rdb_string_chunk *s) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    fz_touch(c, s->ptr, s->len);
    if (s->offset + s->len > s->total_len) {
        fprintf(stderr, "fuzz: string chunk past its total length\n");
        abort();
    }
    if (c->skip_mode == 1 && s->offset == 0 && s->len < s->total_len) return RDB_SKIP;
    return fz_rc(ctx);
}
static int fz_on_container(void *ctx, const rdb_key *k, const rdb_container *ct) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    /* a blob walked in pieces (longer than the fuzz build's 4 KiB block) has no bytes */
    if (ct->streamed && ct->blob.ptr) {
        fprintf(stderr, "fuzz: a blob walked in pieces came with bytes\n");
        abort();
    }
    if (!ct->streamed) fz_touch(c, ct->blob.ptr, ct->blob.len);
    c->sum += ct->entries + ct->stored_len + ct->intset_width + ct->stream_ms + ct->stream_seq;
    return fz_rc(ctx);
}
static int fz_on_entry(void *ctx, const rdb_key *k, const rdb_entry *e) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    fz_touch_item(c, &e->member);
    if (e->value.is_int || e->value.ptr || e->value.len) fz_touch_item(c, &e->value);
    uint64_t bits;
    memcpy(&bits, &e->score, sizeof bits);
    c->sum += bits + (uint64_t)e->ttl_ms;
    return fz_rc(ctx);
}
/* batched element events (rdb.h on_entries): the same touches, one by one */
static int fz_on_entries(void *ctx, const rdb_key *k, const rdb_entry *e, size_t n) {
    if (n == 0 || n > RDB_ENTRY_BATCH) {
        fprintf(stderr, "fuzz: a batch of %zu element events\n", n);
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        int rc = fz_on_entry(ctx, k, &e[i]);
        if (rc < 0 || rc == RDB_SKIP) return rc;
    }
    return RDB_CONTINUE;
}
static int fz_on_stream_entry(void *ctx, const rdb_key *k, const rdb_stream_entry *e) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    c->sum += e->id.ms + e->id.seq + e->num_fields + e->deleted;
    return fz_rc(ctx);
}
static int fz_on_stream_meta(void *ctx, const rdb_key *k, const rdb_stream_meta *m) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    c->sum += m->length + m->nodes + m->last_id.ms + m->first_id.seq + m->entries_added + m->num_groups;
    return fz_rc(ctx);
}
static int fz_on_stream_group(void *ctx, const rdb_key *k, const rdb_stream_group *g) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    fz_touch(c, g->name.ptr, g->name.len);
    c->sum += g->last_id.ms + g->entries_read + g->pel_count + g->consumers;
    return fz_rc(ctx);
}
static int fz_on_stream_pel(void *ctx, const rdb_key *k, const rdb_stream_pel *p) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    c->sum += p->id.ms + (uint64_t)p->delivery_time_ms + p->delivery_count;
    return fz_rc(ctx);
}
static int fz_on_stream_consumer_pel(void *ctx, const rdb_key *k, const rdb_stream_id *id) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    c->sum += id->ms + id->seq;
    return fz_rc(ctx);
}
static int fz_on_stream_consumer(void *ctx, const rdb_key *k, const rdb_stream_consumer *cs) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    fz_touch(c, cs->name.ptr, cs->name.len);
    c->sum += (uint64_t)cs->seen_time_ms + (uint64_t)cs->active_time_ms + cs->pel_count;
    return fz_rc(ctx);
}
static int fz_on_stream_nack_zone(void *ctx, const rdb_key *k, const rdb_stream_nack_zone *z) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    fz_touch(c, z->group.ptr, z->group.len);
    c->sum += z->count;
    return fz_rc(ctx);
}
static int fz_on_stream_nack(void *ctx, const rdb_key *k, const rdb_stream_id *id) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    c->sum += id->ms ^ id->seq;
    return fz_rc(ctx);
}
static int fz_on_stream_idmp(void *ctx, const rdb_key *k, const rdb_stream_idmp *m) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    c->sum += m->producers + m->entries + m->pid_bytes + m->iid_bytes + m->iids_added + m->duration_s;
    return fz_rc(ctx);
}
static int fz_on_array_meta(void *ctx, const rdb_key *k, const rdb_array_meta *m) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    c->sum += m->count + m->insert_idx + m->has_insert_idx;
    return fz_rc(ctx);
}
static int fz_on_key_meta(void *ctx, const rdb_key_meta *m) {
    fz_ctx *c = ctx;
    if (strlen(m->name) != 4 || m->version > 31 || m->flags > 7) {
        fprintf(stderr, "fuzz: KEY_META class spec out of range\n");
        abort();
    }
    fz_touch(c, (const uint8_t *)m->name, 4);
    c->sum += m->value_bytes + m->offset;
    return fz_rc(ctx);
}
static int fz_on_hash_template(void *ctx, const rdb_hash_template *t) {
    ((fz_ctx *)ctx)->sum += t->id + t->fields + t->field_bytes;
    return fz_rc(ctx);
}
static int fz_on_slot_import(void *ctx, const rdb_slot_import *s) {
    fz_ctx *c = ctx;
    fz_touch(c, s->job.ptr, s->job.len);
    c->sum += s->ranges + s->slots;
    return fz_rc(ctx);
}
static int fz_on_update_command(void *ctx, const rdb_update_command *u) {
    fz_ctx *c = ctx;
    fz_touch(c, u->name.ptr, u->name.len);
    c->sum += u->argc + u->bytes;
    return fz_rc(ctx);
}
static int fz_on_key_end(void *ctx, const rdb_key *k, const rdb_key_end *e) {
    fz_ctx *c = ctx;
    if (!c->in_key) {
        fprintf(stderr, "fuzz: on_key_end without on_key_begin\n");
        abort();
    }
    c->in_key = 0;
    fz_touch_key(c, k);
    if (c->seen && c->nseen < c->max_seen) {
        fz_seen *s = &c->seen[c->nseen++];
        uint64_t h = 1469598103934665603ULL;
        for (size_t i = 0; i < k->name_len; i++) h = (h ^ k->name[i]) * 1099511628211ULL;
        *s = (fz_seen){.offset = k->offset, .name_hash = h, .name_len = k->name_len,
                       .rdb_type = k->rdb_type, .end = *e};
    }
    fz_touch(c, (const uint8_t *)e->module_name, strnlen(e->module_name, sizeof e->module_name));
    c->sum += e->elements + e->largest + e->value_bytes + e->containers + e->module_encver;
    return fz_rc(ctx);
}
static int fz_on_end(void *ctx, const rdb_trailer *t) {
    ((fz_ctx *)ctx)->sum += t->eof_offset + t->stored_crc + t->computed_crc + t->checksum;
    return fz_rc(ctx);
}

/* Module values: every opcode; string bytes asked for except, in the
 * skipping run, for odd opcode indexes (the parser then skips them). */
static int fz_on_module_value(void *ctx, const rdb_key *k, const rdb_module_type *t) {
    fz_ctx *c = ctx;
    fz_touch_key(c, k);
    fz_touch(c, (const uint8_t *)t->name, strlen(t->name));
    c->sum += t->encver + t->id;
    return fz_rc(ctx);
}
static int fz_on_module_op(void *ctx, const rdb_key *k, const rdb_module_op *op) {
    fz_ctx *c = ctx;
    (void)k;
    c->sum += (uint64_t)op->code + op->index + op->uint + op->str_len + op->stored_len;
    if (op->code == RDB_MOP_STRING && c->skip_mode == 1 && (op->index & 1)) return RDB_NO_CONTENT;
    return fz_rc(ctx);
}
static int fz_on_module_string(void *ctx, const rdb_key *k, const rdb_string_chunk *s) {
    fz_ctx *c = ctx;
    (void)k;
    if (s->offset + s->len > s->total_len) {
        fprintf(stderr, "fuzz: module string chunk past its length\n");
        abort();
    }
    fz_touch(c, s->ptr, s->len);
    return fz_rc(ctx);
}

static const rdb_handlers fz_handlers = {
    .on_header = fz_on_header, .on_aux = fz_on_aux, .on_module_aux = fz_on_module_aux,
    .on_function = fz_on_function, .on_select_db = fz_on_select_db,
    .on_resize_db = fz_on_resize_db, .on_slot_info = fz_on_slot_info,
    .on_key_begin = fz_on_key_begin, .on_string = fz_on_string, .on_container = fz_on_container,
    .on_entry = fz_on_entry, .on_entries = fz_on_entries, .on_stream_entry = fz_on_stream_entry,
    .on_stream_meta = fz_on_stream_meta, .on_stream_group = fz_on_stream_group,
    .on_stream_pel = fz_on_stream_pel, .on_stream_consumer_pel = fz_on_stream_consumer_pel,
    .on_stream_consumer = fz_on_stream_consumer,
    .on_stream_nack_zone = fz_on_stream_nack_zone, .on_stream_nack = fz_on_stream_nack,
    .on_stream_idmp = fz_on_stream_idmp, .on_array_meta = fz_on_array_meta,
    .on_key_meta = fz_on_key_meta, .on_hash_template = fz_on_hash_template,
    .on_slot_import = fz_on_slot_import, .on_update_command = fz_on_update_command,
    .on_module_value = fz_on_module_value, .on_module_op = fz_on_module_op,
    .on_module_string = fz_on_module_string,
    .on_key_end = fz_on_key_end, .on_end = fz_on_end,
};

volatile uint64_t fz_sink;

/* One memfd for the whole run, refilled per input. */
static int fz_fd = -1;

static void fz_load(const uint8_t *data, size_t size) {
    if (fz_fd < 0) {
        fz_fd = memfd_create("fuzz-rdb", MFD_CLOEXEC);
        if (fz_fd < 0) { perror("memfd_create"); abort(); }
    }
    if (ftruncate(fz_fd, 0) != 0) { perror("ftruncate"); abort(); }
    size_t done = 0;
    while (done < size) {
        ssize_t w = pwrite(fz_fd, data + done, size - done, (off_t)done);
        if (w <= 0) { perror("pwrite"); abort(); }
        done += (size_t)w;
    }
    if (lseek(fz_fd, 0, SEEK_SET) != 0) { perror("lseek"); abort(); }
}

/* Sanity of one result whatever the input. */
static void fz_check_result(const char *run, rdb_status st, const rdb_result *res, size_t size) {
    if (st != res->error.code) {
        fprintf(stderr, "fuzz[%s]: returned %d but result says %d\n", run, st, res->error.code);
        abort();
    }
    if (res->bytes_read > size) {
        fprintf(stderr, "fuzz[%s]: bytes_read %llu past the input (%zu)\n", run,
                (unsigned long long)res->bytes_read, size);
        abort();
    }
    if (st != RDB_OK) {
        if (res->error.message[0] == '\0') {
            fprintf(stderr, "fuzz[%s]: error %d with an empty message\n", run, st);
            abort();
        }
        if (res->error.offset > size) {
            fprintf(stderr, "fuzz[%s]: error offset %llu past the input (%zu): %s\n", run,
                    (unsigned long long)res->error.offset, size, res->error.message);
            abort();
        }
        if (memchr(res->error.message, '\0', sizeof res->error.message) == NULL) {
            fprintf(stderr, "fuzz[%s]: unterminated error message\n", run);
            abort();
        }
    } else if (!res->have_header || !res->have_trailer) {
        fprintf(stderr, "fuzz[%s]: RDB_OK without header/trailer\n", run);
        abort();
    }
}

static rdb_status fz_parse(const uint8_t *data, size_t size, uint64_t input_size, int skip_mode,
                           bool verify_lzf, rdb_result *res, fz_seen *seen, uint64_t *calls) {
    fz_ctx c = {.skip_mode = skip_mode, .seen = seen, .max_seen = seen ? FZ_REREAD : 0,
                .abort_at = calls ? *calls : 0};
    (void)data;
    if (lseek(fz_fd, 0, SEEK_SET) != 0) { perror("lseek"); abort(); }
    rdb_options opt = {.input_size = input_size, .verify_lzf = verify_lzf};
    rdb_status st = rdb_parse_fd(fz_fd, &fz_handlers, &c, &opt, res);
    fz_check_result(input_size ? "file" : "pipe", st, res, size);
    if (st == RDB_OK && c.in_key) {
        fprintf(stderr, "fuzz: parse ended inside a key\n");
        abort();
    }
    fz_sink += c.sum + c.events;  /* keeps the reads observable */
    if (c.abort_at && (st != RDB_ERR_ABORTED || !c.aborted ||
                       !strstr(res->error.message, "stopped by the consumer"))) {
        fprintf(stderr, "fuzz: stopped at callback %llu of a file that parses: %s (%s)\n",
                (unsigned long long)c.abort_at, rdb_status_name(st), res->error.message);
        abort();
    }
    if (calls) *calls = c.calls;
    if (seen) {
        for (size_t i = c.nseen; i < FZ_REREAD; i++) seen[i] = (fz_seen){0};
    }
    return st;
}

static bool fz_same_key(const fz_seen *a, const fz_seen *b) {
    const rdb_key_end *x = &a->end, *y = &b->end;
    return a->offset == b->offset && a->name_hash == b->name_hash && a->name_len == b->name_len &&
           a->rdb_type == b->rdb_type && x->elements == y->elements && x->largest == y->largest &&
           x->largest_exact == y->largest_exact && x->value_bytes == y->value_bytes &&
           x->containers == y->containers && x->has_field_ttl == y->has_field_ttl &&
           x->module_encver == y->module_encver &&
           memcmp(x->module_name, y->module_name, sizeof x->module_name) == 0;
}

/* One key of 'seen' re-read (the key reader kr, or rdb_parse_key_at when
 * NULL) and compared with what the whole parse made of it. */
static void fz_reread_one(rdb_key_reader *kr, rdb_fd_source *src, const rdb_header *hdr,
                          const rdb_options *opt, const fz_seen *want, size_t size) {
    static rdb_result res;
    fz_seen got = {0};
    fz_ctx c = {.seen = &got, .max_seen = 1};
    rdb_status st = kr ? rdb_key_reader_read(kr, want->offset, &fz_handlers, &c, &res)
                       : rdb_parse_key_at(&src->base, want->offset, hdr, &fz_handlers, &c, opt, &res);
    bool lone = hdr->flavor == RDB_FLAVOR_REDIS &&
                (want->rdb_type == RDB_TYPE_HASH_TMPL_LP_REF || want->rdb_type == RDB_TYPE_HASH_TMPL_ARRAY_REF);
    if (st != RDB_OK) {
        if (!lone) {
            fprintf(stderr, "fuzz: re-reading the key at offset %llu: %s at offset %llu: %s\n",
                    (unsigned long long)want->offset, rdb_status_name(st),
                    (unsigned long long)res.error.offset, res.error.message);
            abort();
        }
        if (!res.error.message[0] || res.error.offset > size) {
            fprintf(stderr, "fuzz: re-read refusal without a message or past the input\n");
            abort();
        }
        return;
    }
    if (lone || c.nseen != 1 || c.in_key || !fz_same_key(want, &got)) {
        fprintf(stderr, "fuzz: the key at offset %llu re-read differs from the whole parse's "
                "(type %u/%u, elements %llu/%llu, largest %llu/%llu, value bytes %llu/%llu)\n",
                (unsigned long long)want->offset, want->rdb_type, got.rdb_type,
                (unsigned long long)want->end.elements, (unsigned long long)got.end.elements,
                (unsigned long long)want->end.largest, (unsigned long long)got.end.largest,
                (unsigned long long)want->end.value_bytes, (unsigned long long)got.end.value_bytes);
        abort();
    }
    fz_sink += c.sum + c.events;
}

/* The re-read check described at the top. */
static void fz_reread(const fz_seen *seen, const rdb_header *hdr, size_t size) {
    rdb_fd_source src;
    rdb_fd_source_init(&src, fz_fd, NULL, 0);
    src.base.rdb_size = src.base.in_size = size;
    rdb_options opt = {.input_size = size, .verify_lzf = true};
    if (seen[0].offset) fz_reread_one(NULL, &src, hdr, &opt, &seen[0], size);
    rdb_key_reader *kr = rdb_key_reader_new(&src.base, hdr, &opt);
    if (!kr) abort();
    for (size_t i = 1; i < FZ_REREAD && seen[i].offset; i++) fz_reread_one(kr, &src, hdr, &opt, &seen[i], size);
    rdb_key_reader_free(kr);
}

/* The three runs described at the top. */
static void fz_parse_both(const uint8_t *data, size_t size) {
    static rdb_result a, b, d, e;  /* rdb_result is big-ish; keep it off the stack */
    fz_seen seen[FZ_REREAD];
    uint64_t calls = 0;
    fz_load(data, size);
    rdb_status sa = fz_parse(data, size, size, 0, true, &a, seen, &calls);
    rdb_status sb = fz_parse(data, size, 0, 1, true, &b, NULL, NULL);
    rdb_status sd = fz_parse(data, size, size, 2, false, &d, NULL, NULL);
    if (sa == RDB_OK && calls > 0) {
        uint64_t h = 1469598103934665603ULL;
        for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 1099511628211ULL;
        uint64_t at = 1 + h % calls;
        fz_parse(data, size, size, 0, true, &e, NULL, &at);
    }
    if (sa == RDB_OK) fz_reread(seen, &a.header, size);
    static int verbose = -1;  /* FUZZ_VERBOSE=1: say what each input parsed to */
    if (verbose < 0) verbose = getenv("FUZZ_VERBOSE") != NULL;
    if (verbose)
        fprintf(stderr, "fuzz: %s, %llu keys: %s\n", rdb_status_name(sa), (unsigned long long)a.keys,
                a.error.message);
    if (sa == RDB_OK && sd != RDB_OK) {
        fprintf(stderr, "fuzz: full parse ok, but with every key skipped: %s (%s)\n",
                rdb_status_name(sd), d.error.message);
        abort();
    }
    if ((sa == RDB_OK) != (sb == RDB_OK)) {
        fprintf(stderr, "fuzz: file path says %s (%s), pipe path says %s (%s)\n",
                rdb_status_name(sa), sa ? a.error.message : "", rdb_status_name(sb),
                sb ? b.error.message : "");
        abort();
    }
    if (sa == RDB_OK && (a.keys != b.keys || a.bytes_read != b.bytes_read ||
                         a.trailer.checksum != b.trailer.checksum)) {
        fprintf(stderr, "fuzz: file and pipe paths disagree (keys %llu/%llu, bytes %llu/%llu)\n",
                (unsigned long long)a.keys, (unsigned long long)b.keys,
                (unsigned long long)a.bytes_read, (unsigned long long)b.bytes_read);
        abort();
    }
}

#endif
