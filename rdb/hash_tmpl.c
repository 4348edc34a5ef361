/* hash_tmpl.c: Redis hash templates (RDB 15, Redis 8.10 "hinted hash
 * templates"): opcode 0xF2 HASH_TEMPLATES in a REDIS file (the same byte is
 * Valkey's UPDATE, see valkey9.c) and value types 29-32.
 *
 * Sources: redis/librdb 2.3.x src/lib/parser.c (elementHashTemplate,
 * elementHashTmplLpRef, elementHashTmplArrayRef,
 * elementHashTmplSelfContained) and its test/dumps/hash_template_*_v15
 * expectations; the feature's design notes (redis branch hinted-hash-dev,
 * target 8.10.0; redis PRs #15364, #15191).
 *
 * A template is a set of field names, sorted by length and then by bytes
 * (sdscmplen), strictly ascending, defined once per file by id; a hash that
 * uses it stores only its values.
 *
 *   F2 <len id> <len n > 0> n x <string field>          a template record
 *
 *   type 30 HASH_TMPL_LP_REF:    <string listpack: <int id> <value 1> .. <value n>>
 *   type 32 HASH_TMPL_ARRAY_REF: <len id> n x <string value>
 *   type 29 HASH_TMPL_LP:        <fields> <string listpack: <int id, ignored> <value 1> .. <value n>>
 *   type 31 HASH_TMPL_ARRAY:     <fields> n x <string value>
 *     <fields> = <len 0> <string listpack of the n field names>   (FIELDS_LP)
 *              | <len 1> <len n> n x <string field>               (FIELDS_RAW)
 *
 * Types 30 and 32 refer to a template an earlier record defined; 29 and 31
 * (what DUMP writes) carry their own field names. The value listpack of
 * types 29/30 is what the server keeps in memory (`template-listpack`).
 *
 * The registry of templates is state the parser must keep: the field names
 * of every template, in one arena, found by id through a hash table seeded
 * with a per-parser secret (ids come from the file). Its size is bounded by
 * rdb_options.max_template_bytes; every count is checked against the bytes
 * left in the file before anything is read, and nothing is sized from a
 * count (the arena grows as names arrive). */
#include "rdb/internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "rdb/listpack.h"
#include "rdb/numtext.h"

#define TMPL_FIELD_COST 16   /* accounting per field: its offset and length */
#define TMPL_COST 32         /* per template: its slot */

typedef struct tmpl_slot {
    uint64_t id;
    uint64_t first;          /* index of its first field */
    uint64_t nfields;
    bool used;
} tmpl_slot;

struct tmpl_registry {
    tmpl_slot *slots;
    size_t cap, count;       /* cap: a power of two, or 0 */
    uint64_t seed;
    uint64_t *field_off, *field_len;
    size_t nfields, fields_cap;
    uint8_t *names;
    size_t names_len, names_cap;
    uint64_t bytes;          /* accounted against max_template_bytes */
};

void rdb_tmpl_free(tmpl_registry *r) {
    if (!r) return;
    free(r->slots);
    free(r->field_off);
    free(r->field_len);
    free(r->names);
    free(r);
}

static uint64_t mix(uint64_t x) {   /* splitmix64 finalizer */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t new_seed(void) {
    uint64_t s = 0;
    if (getrandom(&s, sizeof s, GRND_NONBLOCK) == (ssize_t)sizeof s) return s;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return mix((uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32 ^ (uint64_t)(uintptr_t)&s);
}

static tmpl_registry *registry(parser *p) {
    if (!p->tmpl) {
        p->tmpl = calloc(1, sizeof *p->tmpl);
        if (p->tmpl) p->tmpl->seed = new_seed();
    }
    return p->tmpl;
}

static tmpl_slot *find_slot(const tmpl_registry *r, uint64_t id) {
    if (!r || !r->cap) return NULL;
    size_t mask = r->cap - 1;
    for (size_t i = (size_t)mix(id ^ r->seed) & mask;; i = (i + 1) & mask) {
        if (!r->slots[i].used) return NULL;
        if (r->slots[i].id == id) return &r->slots[i];
    }
}

static bool grow_table(tmpl_registry *r) {
    size_t ncap = r->cap ? r->cap * 2 : 64;
    tmpl_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns) return false;
    for (size_t j = 0; j < r->cap; j++) {
        if (!r->slots[j].used) continue;
        size_t i = (size_t)mix(r->slots[j].id ^ r->seed) & (ncap - 1);
        while (ns[i].used) i = (i + 1) & (ncap - 1);
        ns[i] = r->slots[j];
    }
    free(r->slots);
    r->slots = ns;
    r->cap = ncap;
    return true;
}

/* Charges n bytes to the registry's budget. */
static rdb_status charge(parser *p, tmpl_registry *r, uint64_t n, uint64_t at) {
    uint64_t max = p->opt.max_template_bytes ? p->opt.max_template_bytes : (uint64_t)256 << 20;
    if (r->bytes + n > max || r->bytes + n < r->bytes)
        return perr(p, RDB_ERR_LIMIT, at,
                    "hash templates need more than the %llu bytes the parser keeps for them "
                    "(rdb_options.max_template_bytes)", (unsigned long long)max);
    r->bytes += n;
    return RDB_OK;
}

/* Appends one field name to the arena, checking that the names of the
 * template being built (its first field at index 'first') stay strictly
 * ascending by length, then bytes. */
static rdb_status add_field(parser *p, tmpl_registry *r, uint64_t first, const rdb_item *it,
                            uint64_t at) {
    char num[24];
    const uint8_t *s = it->ptr;
    size_t len = it->len;
    if (it->is_int) len = rdb_int_to_text(it->ival, num), s = (const uint8_t *)num;
    rdb_status st = charge(p, r, len + TMPL_FIELD_COST, at);
    if (st) return st;
    if (r->nfields > first) {
        uint64_t pl = r->field_len[r->nfields - 1];
        int c = pl != len ? (pl < len ? -1 : 1)
                          : len ? memcmp(r->names + r->field_off[r->nfields - 1], s, len) : 0;
        if (c >= 0)
            return perr(p, RDB_ERR_FORMAT, at,
                        "hash template field %llu is not after the one before it (names must be strictly "
                        "ascending by length, then bytes)", (unsigned long long)(r->nfields - first));
    }
    if (r->nfields == r->fields_cap) {
        size_t nc = r->fields_cap ? r->fields_cap * 2 : 64;
        uint64_t *o = realloc(r->field_off, nc * sizeof *o);
        if (!o) return perr(p, RDB_ERR_NOMEM, at, "out of memory for hash template fields");
        r->field_off = o;
        uint64_t *l = realloc(r->field_len, nc * sizeof *l);
        if (!l) return perr(p, RDB_ERR_NOMEM, at, "out of memory for hash template fields");
        r->field_len = l;
        r->fields_cap = nc;
    }
    if (len > r->names_cap - r->names_len) {
        size_t nc = r->names_cap ? r->names_cap : 4096;
        while (nc - r->names_len < len) nc *= 2;
        uint8_t *n = realloc(r->names, nc);
        if (!n) return perr(p, RDB_ERR_NOMEM, at, "out of memory for hash template field names");
        r->names = n;
        r->names_cap = nc;
    }
    if (len) memcpy(r->names + r->names_len, s, len);
    r->field_off[r->nfields] = r->names_len;
    r->field_len[r->nfields] = len;
    r->names_len += len;
    r->nfields++;
    return RDB_OK;
}

/* A field count read from the file: at least 1, and at most one field per
 * byte left. */
static rdb_status check_field_count(parser *p, uint64_t n, uint64_t at, const char *what) {
    if (n == 0) return perr(p, RDB_ERR_FORMAT, at, "%s has 0 fields", what);
    uint64_t here = rd_offset(&p->rd);
    if (p->opt.input_size && here <= p->opt.input_size && n > p->opt.input_size - here)
        return perr(p, RDB_ERR_TRUNCATED, at, "%s claims %llu fields but only %llu bytes remain", what,
                    (unsigned long long)n, (unsigned long long)(p->opt.input_size - here));
    return RDB_OK;
}

static rdb_status read_raw_fields(parser *p, tmpl_registry *r, uint64_t n, const char *what) {
    uint64_t first = r->nfields;
    for (uint64_t i = 0; i < n; i++) {
        rdb_item it;
        uint64_t at = rd_offset(&p->rd);
        rdb_status st = rdb_read_string(p, NULL, &it, NULL, NULL, what);
        if (st) return st;
        if ((st = add_field(p, r, first, &it, at))) return st;
    }
    return RDB_OK;
}

rdb_status rdb_read_hash_template(parser *p) {
    uint64_t at = rd_offset(&p->rd);
    uint64_t id, n;
    rdb_status st = rdb_read_plain_len(p, &id, "hash template id");
    if (st) return st;
    tmpl_registry *r = registry(p);
    if (!r) return perr(p, RDB_ERR_NOMEM, at, "out of memory for the hash template registry");
    if (find_slot(r, id))
        return perr(p, RDB_ERR_FORMAT, at, "hash template id %llu is defined twice", (unsigned long long)id);
    uint64_t nat = rd_offset(&p->rd);
    if ((st = rdb_read_plain_len(p, &n, "hash template field count"))) return st;
    if ((st = check_field_count(p, n, nat, "hash template"))) return st;
    if ((st = charge(p, r, TMPL_COST, at))) return st;
    uint64_t first = r->nfields, names0 = r->names_len;
    if ((st = read_raw_fields(p, r, n, "hash template field"))) return st;
    if (2 * (r->count + 1) > r->cap && !grow_table(r))
        return perr(p, RDB_ERR_NOMEM, at, "out of memory for the hash template registry");
    size_t i = (size_t)mix(id ^ r->seed) & (r->cap - 1);
    while (r->slots[i].used) i = (i + 1) & (r->cap - 1);
    r->slots[i] = (tmpl_slot){.id = id, .first = first, .nfields = n, .used = true};
    r->count++;
    if (!p->h->on_hash_template) return RDB_OK;
    rdb_hash_template t = {.id = id, .fields = n, .field_bytes = r->names_len - names0};
    return pcb(p, p->h->on_hash_template(p->ctx, &t));
}

/* ---- template-encoded hashes ------------------------------------------- */

static rdb_status emit_pair(parser *p, const tmpl_registry *r, uint64_t field, const rdb_item *value) {
    rdb_entry e = {0};
    e.member.len = (size_t)r->field_len[field];
    e.member.ptr = e.member.len ? r->names + r->field_off[field] : (const uint8_t *)"";
    e.value = *value;
    kend_largest(p, e.member.len);
    kend_largest(p, value->len);
    if (p->skip || !p->h->on_entry) return RDB_OK;
    return pcb(p, p->h->on_entry(p->ctx, &p->key, &e));
}

/* The values listpack of types 29/30: <int id> then one value per field.
 * For type 30 the id names the template (*first, *n are set from it). */
static rdb_status read_values_lp(parser *p, tmpl_registry *r, bool ref, uint64_t *first, uint64_t *n) {
    blob bl;
    rdb_status st = rdb_read_blob(p, RDB_CT_LISTPACK, &bl, "hash template values listpack");
    if (st) return st;
    lp_iter it;
    const char *err = NULL;
    if (lp_iter_init(&it, bl.ptr, bl.len, &err) < 0) return rdb_blob_error(p, &bl, it.pos, "listpack", err);
    rdb_item item;
    int rc = lp_iter_next(&it, &item, &err);
    if (rc < 0) return rdb_blob_error(p, &bl, it.pos, "listpack", err);
    if (rc == 0) return rdb_blob_error(p, &bl, it.pos, "listpack", "empty: no template id");
    if (!item.is_int || (ref && item.ival < 0))
        return rdb_blob_error(p, &bl, 6, "listpack", "the first entry (the template id) is not a non-negative integer");
    if (ref) {
        const tmpl_slot *t = find_slot(r, (uint64_t)item.ival);
        if (!t)
            return perr(p, RDB_ERR_FORMAT, bl.file_off,
                        "hash refers to template id %lld, which no earlier HASH_TEMPLATES record defines",
                        (long long)item.ival);
        *first = t->first;
        *n = t->nfields;
    }
    for (uint64_t i = 0; i < *n; i++) {
        rc = lp_iter_next(&it, &item, &err);
        if (rc < 0) return rdb_blob_error(p, &bl, it.pos, "listpack", err);
        if (rc == 0) return rdb_blob_error(p, &bl, it.pos, "listpack", "fewer values than the template has fields");
        if ((st = emit_pair(p, r, *first + i, &item))) return st;
    }
    rc = lp_iter_next(&it, &item, &err);
    if (rc < 0) return rdb_blob_error(p, &bl, it.pos, "listpack", err);
    if (rc != 0) return rdb_blob_error(p, &bl, it.pos, "listpack", "more values than the template has fields");
    p->kend.containers++;
    if (!p->h->on_container) return RDB_OK;
    rdb_container c = {.kind = RDB_CT_LISTPACK, .blob = {bl.ptr, bl.len}, .stored_len = bl.stored_len,
                       .compressed = bl.compressed, .entries = (uint32_t)(*n + 1)};
    return pcb(p, p->h->on_container(p->ctx, &p->key, &c));
}

static rdb_status read_values_array(parser *p, const tmpl_registry *r, uint64_t first, uint64_t n) {
    for (uint64_t i = 0; i < n; i++) {
        rdb_item v;
        rdb_status st = rdb_read_string(p, NULL, &v, NULL, NULL, "hash template value");
        if (st) return st;
        if ((st = emit_pair(p, r, first + i, &v))) return st;
    }
    return RDB_OK;
}

/* The inline field names of types 29/31, appended to the arena as a
 * template of this key only (dropped when the key ends). */
static rdb_status read_inline_fields(parser *p, tmpl_registry *r, uint64_t *n) {
    uint64_t at = rd_offset(&p->rd);
    uint64_t fmt;
    rdb_status st = rdb_read_plain_len(p, &fmt, "hash template fields format");
    if (st) return st;
    uint64_t first = r->nfields;
    if (fmt == 1) {   /* FIELDS_RAW */
        at = rd_offset(&p->rd);
        if ((st = rdb_read_plain_len(p, n, "hash template field count"))) return st;
        if ((st = check_field_count(p, *n, at, "inline hash template"))) return st;
        return read_raw_fields(p, r, *n, "hash template field");
    }
    if (fmt != 0)
        return perr(p, RDB_ERR_FORMAT, at, "hash template fields format %llu, expected 0 (listpack) or 1 (raw)",
                    (unsigned long long)fmt);
    blob bl;   /* FIELDS_LP: the names as one listpack */
    if ((st = rdb_read_blob(p, RDB_CT_LISTPACK, &bl, "hash template fields listpack"))) return st;
    /* the names must outlive the blob's buffer: they go to the arena */
    lp_iter it;
    const char *err = NULL;
    if (lp_iter_init(&it, bl.ptr, bl.len, &err) < 0) return rdb_blob_error(p, &bl, it.pos, "listpack", err);
    rdb_item item;
    int rc;
    *n = 0;
    while ((rc = lp_iter_next(&it, &item, &err)) == 1) {
        if ((st = add_field(p, r, first, &item, bl.file_off))) return st;
        (*n)++;
    }
    if (rc < 0) return rdb_blob_error(p, &bl, it.pos, "listpack", err);
    if (*n == 0) return rdb_blob_error(p, &bl, 0, "listpack", "hash template with 0 fields");
    return RDB_OK;
}

rdb_status rdb_read_hash_tmpl_value(parser *p) {
    uint8_t t = p->key.rdb_type;
    uint64_t at = rd_offset(&p->rd);
    tmpl_registry *r = registry(p);
    if (!r) return perr(p, RDB_ERR_NOMEM, at, "out of memory for the hash template registry");
    uint64_t first = 0, n = 0;
    rdb_status st = RDB_OK;
    if (t == RDB_TYPE_HASH_TMPL_LP_REF) {
        st = read_values_lp(p, r, true, &first, &n);
    } else if (t == RDB_TYPE_HASH_TMPL_ARRAY_REF) {
        uint64_t id;
        if ((st = rdb_read_plain_len(p, &id, "hash template id"))) return st;
        const tmpl_slot *s = find_slot(r, id);
        if (!s)
            return perr(p, RDB_ERR_FORMAT, at,
                        "hash refers to template id %llu, which no earlier HASH_TEMPLATES record defines",
                        (unsigned long long)id);
        first = s->first;
        n = s->nfields;
        st = read_values_array(p, r, first, n);
    } else {
        /* self-contained: a scratch template at the arena's end */
        size_t names0 = r->names_len, fields0 = r->nfields;
        uint64_t bytes0 = r->bytes;
        first = r->nfields;
        st = read_inline_fields(p, r, &n);
        if (!st) st = t == RDB_TYPE_HASH_TMPL_LP ? read_values_lp(p, r, false, &first, &n)
                                                 : read_values_array(p, r, first, n);
        r->names_len = names0;
        r->nfields = fields0;
        r->bytes = bytes0;
    }
    if (st) return st;
    p->kend.elements = n;
    return RDB_OK;
}
