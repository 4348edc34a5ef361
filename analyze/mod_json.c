/* mod_json.c: RedisJSON, type "ReJSON-RL". No server with RedisJSON ran
 * here: source-model (RedisJSON v8.6.0 / v8.8.0, ijson at 5676f59 and
 * 3dcd744, the revisions their Cargo.toml pin).
 *
 * Layout (redis_json/src/redisjson.rs rdb_load / value_rdb_load_json,
 * backward.rs json_rdb_load):
 *
 *   encver 4 (RedisJSON 8.8+)  STRING: the value as CBOR (ijson::encode;
 *                              cbor.rs: maps, arrays, text, integers, floats,
 *                              typed numeric arrays as RFC 8746 tags)
 *   encver 3 (RedisJSON 2.x .. 8.6)  STRING: the value as JSON text
 *   encver 2                   STRING json, UINT n, [STRING, STRING if n > 0]
 *   encver 0 (RedisJSON 1.x)   a node: UINT type, then by type
 *                              0x01 null; 0x02 string: STRING; 0x04 number:
 *                              DOUBLE; 0x08 integer: SINT; 0x10 boolean:
 *                              STRING "1"/"0"; 0x20 dict: UINT n, n x {UINT
 *                              0x80, STRING key, node}; 0x40 array: UINT n,
 *                              n x node
 *
 * mem_usage: RedisIValueJsonKeyManager::get_memory (ivalue_manager.rs) =
 * IValue::mem_allocated() + 8, summed over the tree as ijson builds it:
 *   null, bool: 0; integer in 61 bits: 0 (inline), other numbers: 8
 *   string: up to 7 bytes inline (0), else round4(8 + len) (Header {rc, len})
 *   array: round8(8 + cap * element size): heterogeneous 8, or a typed
 *     numeric array (every element a number: the narrowest type of
 *     ArrayTag::from_ivalue, widened by promote_with) of 1/2/4/8-byte
 *     elements; numbers in a heterogeneous array add their own 8
 *   object: 16 + cap * 16 (key, value) + (cap + cap / 4) * 8 (hash index)
 *   capacities: parsed from text, with_capacity(0) then reserve: 4, 8, 16,
 *   ...; from CBOR, with_capacity(min(n, 1024)) for arrays, n for objects;
 *   empty containers are static (0).
 * ram: each of those allocations rounded to the allocator's class, plus
 *   the boxed RedisJSON (8).
 * JSON text is scanned with yajl, CBOR with libcbor's streaming decoder
 * (Debian libyajl-dev, libcbor-dev); the CBOR value is held whole while
 * it is decoded (bounded by the largest value, like an LZF string).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <yajl/yajl_parse.h>

#include "analyze/modval.h"
#include "analyze/model_int.h"

#define JSON_MAX_DEPTH 128   /* serde_json's recursion limit, cbor.rs MAX_DEPTH */

enum { T_HET, T_I8, T_U8, T_I16, T_U16, T_F16, T_BF16, T_I32, T_U32, T_F32, T_I64, T_U64, T_F64, T_NONE };

typedef struct jframe {
    uint8_t obj;             /* object, else array */
    uint8_t tag;             /* array: element type so far (T_NONE: empty) */
    bool expect_key;
    uint64_t len, hint;      /* items so far; with_capacity's argument */
    uint64_t num_heap, num_ram;   /* array: its numbers' own memory if it ends heterogeneous */
    int64_t left;            /* CBOR definite count left (-1: indefinite) */
} jframe;

typedef struct jtree {
    const model_profile *p;
    bool cbor;               /* capacities as cbor.rs sets them */
    unsigned depth;
    bool bad;
    uint64_t mem, ram, nodes;
    jframe st[JSON_MAX_DEPTH + 2];
} jtree;

typedef struct json_state {
    jtree t;
    unsigned encver;
    unsigned field;
    yajl_handle yh;          /* encver 2 / 3 */
    uint8_t *cbor;           /* encver 4: the value, gathered */
    size_t cbor_len, cbor_cap;
    uint64_t typed_tag;      /* CBOR: a typed-array tag waiting for its bytes */
    bool text_done;
    /* encver 0: the node stream */
    uint64_t node_stack[JSON_MAX_DEPTH + 2];   /* items left per open container */
    unsigned legacy_depth;
    unsigned legacy_expect;  /* 0 node type, 1 scalar payload, 2 dict KeyVal, 3 dict key, 4 count */
    uint64_t legacy_type;
} json_state;

/* ---- the ijson tree ----------------------------------------------------- */

static uint64_t str_heap(uint64_t len) { return len <= 7 ? 0 : (8 + len + 3) & ~(uint64_t)3; }
static unsigned tag_size(unsigned t) {
    static const uint8_t sz[] = {8, 1, 1, 2, 2, 2, 2, 4, 4, 4, 8, 8, 8, 8};
    return sz[t];
}

static bool is_signed(unsigned t) { return t == T_I8 || t == T_I16 || t == T_I32 || t == T_I64; }
static bool is_unsigned(unsigned t) { return t == T_U8 || t == T_U16 || t == T_U32 || t == T_U64; }
static bool is_float(unsigned t) { return t == T_F16 || t == T_BF16 || t == T_F32 || t == T_F64; }
static unsigned rank_signed(unsigned t) { return t == T_I8 ? 0 : t == T_I16 ? 1 : t == T_I32 ? 2 : 3; }
static unsigned rank_unsigned(unsigned t) { return t == T_U8 ? 0 : t == T_U16 ? 1 : t == T_U32 ? 2 : 3; }

/* array.rs ArrayTag::promote_with */
static unsigned promote(unsigned a, unsigned b) {
    static const uint8_t S[] = {T_I8, T_I16, T_I32, T_I64}, U[] = {T_U8, T_U16, T_U32, T_U64};
    if (a == T_NONE) return b;
    if (a == b) return a;
    if (a == T_HET || b == T_HET) return T_HET;
    if ((is_float(a) && !is_float(b)) || (!is_float(a) && is_float(b))) return T_HET;
    if (is_float(a)) {
        if ((a == T_F16 && b == T_BF16) || (a == T_BF16 && b == T_F16)) return T_F32;
        if (a == T_F64 || b == T_F64) return T_F64;
        return T_F32;
    }
    if (is_signed(a) && is_signed(b)) return S[rank_signed(a) > rank_signed(b) ? rank_signed(a) : rank_signed(b)];
    if (is_unsigned(a) && is_unsigned(b))
        return U[rank_unsigned(a) > rank_unsigned(b) ? rank_unsigned(a) : rank_unsigned(b)];
    unsigned u = is_unsigned(a) ? a : b, s = is_unsigned(a) ? b : a;   /* promote_unsigned */
    if (u == T_U64) return T_HET;
    unsigned need = rank_unsigned(u) + 1;   /* uN fits iM for M > N */
    return S[need > rank_signed(s) ? need : rank_signed(s)];
}

static unsigned int_tag(bool neg, uint64_t mag) {
    if (!neg) {
        if (mag <= 127) return T_I8;
        if (mag <= 255) return T_U8;
        if (mag <= 32767) return T_I16;
        if (mag <= 65535) return T_U16;
        if (mag <= 2147483647u) return T_I32;
        if (mag <= 4294967295u) return T_U32;
        if (mag <= (uint64_t)INT64_MAX) return T_I64;
        return T_U64;
    }
    if (mag <= 128) return T_I8;
    if (mag <= 32768) return T_I16;
    if (mag <= 2147483648u) return T_I32;
    return T_I64;
}

static bool f16_exact(double d) {
    if (d == 0 || !isfinite(d)) return d == 0;
    double a = fabs(d);
    if (a > 65504 || a < ldexp(1, -24)) return false;
    int e;
    frexp(a, &e);               /* a = m * 2^e, 0.5 <= m < 1 */
    int lsb = e - 11 < -24 ? -24 : e - 11;   /* 11 significant bits, subnormals down to 2^-24 */
    return ldexp(floor(ldexp(a, -lsb)), lsb) == a;
}

static unsigned float_tag(double d) {
    if (f16_exact(d)) return T_F16;
    float f = (float)d;
    if ((double)f == d) {
        uint32_t bits;
        memcpy(&bits, &f, sizeof bits);
        return (bits & 0xffff) == 0 ? T_BF16 : T_F32;
    }
    return T_F64;
}

static void heap(jtree *t, uint64_t bytes) {
    if (!bytes) return;
    t->mem += bytes;
    t->ram += je_size(t->p, bytes);
}

/* A value takes its place in the container it is in; a number's own heap
 * bytes wait in its array, which may store it typed instead. */
static bool place(jtree *t, unsigned tag, uint64_t num_heap) {
    t->nodes++;
    if (t->depth == 0) {
        heap(t, num_heap);
        return true;
    }
    jframe *f = &t->st[t->depth - 1];
    if (f->left == 0) return t->bad = true, false;
    if (f->left > 0 && (!f->obj || !f->expect_key)) f->left--;
    if (f->obj) {
        if (f->expect_key) return t->bad = true, false;   /* a value where a key belongs */
        f->expect_key = true;
        f->len++;
        heap(t, num_heap);
        return true;
    }
    f->len++;
    f->tag = (uint8_t)promote(f->tag, tag);
    f->num_heap += num_heap;
    f->num_ram += num_heap ? je_size(t->p, num_heap) : 0;
    return true;
}

static void jt_key(jtree *t, uint64_t len) {
    jframe *f = t->depth ? &t->st[t->depth - 1] : NULL;
    if (!f || !f->obj || !f->expect_key) { t->bad = true; return; }
    f->expect_key = false;
    heap(t, str_heap(len));
}

static void jt_string(jtree *t, uint64_t len) {
    if (place(t, T_HET, 0)) heap(t, str_heap(len));
}

static void jt_int(jtree *t, bool neg, uint64_t mag) {
    /* inline when it fits 61 bits (number.rs INLINE_LOWER ..= INLINE_UPPER) */
    bool inl = neg ? mag <= ((uint64_t)1 << 60) : mag < ((uint64_t)1 << 60);
    place(t, int_tag(neg, mag), inl ? 0 : 8);
}

static void jt_float(jtree *t, double d) { place(t, float_tag(d), 8); }
static void jt_plain(jtree *t) { place(t, T_HET, 0); }   /* null, true, false */

static void jt_open(jtree *t, bool obj, uint64_t n, bool definite) {
    if (!place(t, T_HET, 0)) return;
    if (t->depth >= JSON_MAX_DEPTH) { t->bad = true; return; }
    jframe *f = &t->st[t->depth++];
    memset(f, 0, sizeof *f);
    f->obj = obj;
    f->tag = T_NONE;
    f->expect_key = obj;
    f->left = definite ? (int64_t)(obj ? 2 * n : n) : -1;
    f->hint = t->cbor ? (obj ? n : (n < 1024 ? n : 1024)) : 0;
}

static uint64_t grown(uint64_t hint, uint64_t len) {
    uint64_t cap = hint;
    while (cap < len) cap = cap * 2 > 4 ? cap * 2 : 4;   /* reserve: max(cap * 2, len + 1, 4) */
    return cap;
}

static void jt_close(jtree *t) {
    if (!t->depth) { t->bad = true; return; }
    jframe *f = &t->st[--t->depth];
    if (f->obj && !f->expect_key) { t->bad = true; return; }
    if (f->len == 0 && f->hint == 0) return;   /* the static empty container */
    uint64_t cap = grown(f->hint, f->len);
    if (f->obj) {
        heap(t, 16 + 16 * cap + 8 * (cap + cap / 4));
    } else {
        unsigned tag = f->tag == T_NONE ? T_HET : f->tag;
        heap(t, (8 + cap * tag_size(tag) + 7) & ~(uint64_t)7);
        if (tag == T_HET) {
            t->mem += f->num_heap;
            t->ram += f->num_ram;
        }
    }
}

/* A CBOR definite container whose last item just came closes itself. */
static void cbor_settle(jtree *t) {
    while (!t->bad && t->depth && t->st[t->depth - 1].left == 0) jt_close(t);
}

/* ---- JSON text (yajl) ------------------------------------------------------ */

static int y_null(void *c) { jt_plain(c); return !((jtree *)c)->bad; }
static int y_bool(void *c, int b) { (void)b; jt_plain(c); return !((jtree *)c)->bad; }
static int y_number(void *c, const char *s, size_t n) {
    jtree *t = c;
    char buf[400];
    if (n >= sizeof buf) { jt_float(t, 0); return !t->bad; }   /* a float either way */
    memcpy(buf, s, n);
    buf[n] = 0;
    if (memchr(buf, '.', n) || memchr(buf, 'e', n) || memchr(buf, 'E', n)) {
        jt_float(t, strtod(buf, NULL));
    } else {
        bool neg = buf[0] == '-';
        char *end;
        errno = 0;
        unsigned long long mag = strtoull(buf + neg, &end, 10);
        if (errno || (neg && mag > (uint64_t)INT64_MAX + 1)) jt_float(t, strtod(buf, NULL));   /* serde: f64 */
        else jt_int(t, neg, mag);
    }
    return !t->bad;
}
static int y_string(void *c, const unsigned char *s, size_t n) { (void)s; jt_string(c, n); return !((jtree *)c)->bad; }
static int y_start_map(void *c) { jt_open(c, true, 0, false); return !((jtree *)c)->bad; }
static int y_map_key(void *c, const unsigned char *s, size_t n) { (void)s; jt_key(c, n); return !((jtree *)c)->bad; }
static int y_end(void *c) { jt_close(c); return !((jtree *)c)->bad; }
static int y_start_array(void *c) { jt_open(c, false, 0, false); return !((jtree *)c)->bad; }

static const yajl_callbacks yajl_cbs = {
    .yajl_null = y_null, .yajl_boolean = y_bool, .yajl_number = y_number, .yajl_string = y_string,
    .yajl_start_map = y_start_map, .yajl_map_key = y_map_key, .yajl_end_map = y_end,
    .yajl_start_array = y_start_array, .yajl_end_array = y_end,
};

/* ---- CBOR (libcbor) ---------------------------------------------------------- */

/* RFC 8746 typed-array tags cbor.rs writes (ciborium_ll tag::TYPED_*), and
 * the private BF16 tag 0x10000: element type. */
static unsigned typed_tag(uint64_t tag) {
    switch (tag) {
    case 64: return T_U8;   case 72: return T_I8;
    case 69: return T_U16;  case 77: return T_I16;  case 84: return T_F16;
    case 70: return T_U32;  case 78: return T_I32;  case 85: return T_F32;
    case 71: return T_U64;  case 79: return T_I64;  case 86: return T_F64;
    case 0x10000: return T_BF16;
    default: return T_NONE;
    }
}

static json_state *CS(void *c) { return c; }
static void c_after(json_state *s) { s->typed_tag = 0; cbor_settle(&s->t); }
static void c_uint(json_state *s, uint64_t v) {
    bool is_key = s->t.depth && s->t.st[s->t.depth - 1].obj && s->t.st[s->t.depth - 1].expect_key;
    if (is_key) { s->t.bad = true; return; }   /* a map key must be text */
    jt_int(&s->t, false, v);
    c_after(s);
}
static void c_u8(void *c, uint8_t v) { c_uint(c, v); }
static void c_u16(void *c, uint16_t v) { c_uint(c, v); }
static void c_u32(void *c, uint32_t v) { c_uint(c, v); }
static void c_u64(void *c, uint64_t v) { c_uint(c, v); }
static void c_neg(json_state *s, uint64_t v) {
    jt_int(&s->t, true, v == UINT64_MAX ? v : v + 1);
    c_after(s);
}
static void c_n8(void *c, uint8_t v) { c_neg(c, v); }
static void c_n16(void *c, uint16_t v) { c_neg(c, v); }
static void c_n32(void *c, uint32_t v) { c_neg(c, v); }
static void c_n64(void *c, uint64_t v) { c_neg(c, v); }
static void c_text(void *c, cbor_data d, size_t n) {
    json_state *s = CS(c);
    (void)d;
    jframe *f = s->t.depth ? &s->t.st[s->t.depth - 1] : NULL;
    if (f && f->obj && f->expect_key) {
        jt_key(&s->t, n);
        if (f->left > 0) f->left--;
    } else {
        jt_string(&s->t, n);
    }
    c_after(s);
}
static void c_bytes(void *c, cbor_data d, size_t n) {
    json_state *s = CS(c);
    (void)d;
    unsigned t = typed_tag(s->typed_tag);
    if (t == T_NONE || n % tag_size(t)) { s->t.bad = true; return; }   /* bytes only as a typed array */
    if (place(&s->t, T_HET, 0) && n) heap(&s->t, (8 + n + 7) & ~(uint64_t)7);
    c_after(s);
}
static void c_tag(void *c, uint64_t v) { CS(c)->typed_tag = v; }
static void c_array(void *c, size_t n) { json_state *s = CS(c); jt_open(&s->t, false, n, true); c_after(s); }
static void c_map(void *c, size_t n) { json_state *s = CS(c); jt_open(&s->t, true, n, true); c_after(s); }
static void c_indef_array(void *c) { jt_open(&CS(c)->t, false, 0, false); }
static void c_indef_map(void *c) { jt_open(&CS(c)->t, true, 0, false); }
static void c_break(void *c) { json_state *s = CS(c); jt_close(&s->t); c_after(s); }
static void c_float(void *c, float f) { json_state *s = CS(c); jt_float(&s->t, f); c_after(s); }
static void c_double(void *c, double d) { json_state *s = CS(c); jt_float(&s->t, d); c_after(s); }
static void c_simple(void *c) { json_state *s = CS(c); jt_plain(&s->t); c_after(s); }
static void c_bool(void *c, bool b) { (void)b; c_simple(c); }
static void c_unsupported(void *c) { CS(c)->t.bad = true; }   /* indefinite strings: cbor.rs never writes them */

static struct cbor_callbacks cbor_cbs(void) {
    struct cbor_callbacks cb = cbor_empty_callbacks;
    cb.uint8 = c_u8; cb.uint16 = c_u16; cb.uint32 = c_u32; cb.uint64 = c_u64;
    cb.negint8 = c_n8; cb.negint16 = c_n16; cb.negint32 = c_n32; cb.negint64 = c_n64;
    cb.byte_string = c_bytes; cb.string = c_text;
    cb.byte_string_start = c_unsupported; cb.string_start = c_unsupported;
    cb.array_start = c_array; cb.indef_array_start = c_indef_array;
    cb.map_start = c_map; cb.indef_map_start = c_indef_map; cb.indef_break = c_break;
    cb.tag = c_tag; cb.float2 = c_float; cb.float4 = c_float; cb.float8 = c_double;
    cb.null = c_simple; cb.undefined = c_simple; cb.boolean = c_bool;
    return cb;
}

static void decode_cbor(json_state *s) {
    struct cbor_callbacks cb = cbor_cbs();
    size_t at = 0;
    while (at < s->cbor_len && !s->t.bad) {
        struct cbor_decoder_result r = cbor_stream_decode(s->cbor + at, s->cbor_len - at, &cb, s);
        if (r.status != CBOR_DECODER_FINISHED || r.read == 0) { s->t.bad = true; return; }
        at += r.read;
        if (s->t.depth == 0 && s->t.nodes) break;   /* the one top-level value is complete */
    }
    if (at != s->cbor_len || s->t.depth) s->t.bad = true;
}

/* ---- encver 0: the node stream ----------------------------------------------- */

enum { N_NULL = 0x1, N_STRING = 0x2, N_NUMBER = 0x4, N_INTEGER = 0x8, N_BOOLEAN = 0x10,
       N_DICT = 0x20, N_ARRAY = 0x40, N_KEYVAL = 0x80 };

/* After a complete node: count it off its container, closing those done. */
static void legacy_node_done(json_state *s) {
    while (s->legacy_depth) {
        if (--s->node_stack[s->legacy_depth - 1] > 0) {
            s->legacy_expect = s->t.st[s->t.depth - 1].obj ? 2 : 0;
            return;
        }
        s->legacy_depth--;
        jt_close(&s->t);
    }
    s->legacy_expect = 5;   /* the value is complete */
}

static int legacy_op(json_state *s, const rdb_module_op *op) {
    bool num = op->code == RDB_MOP_UINT || op->code == RDB_MOP_SINT;
    switch (s->legacy_expect) {
    case 0:   /* a node's type */
        if (!num) return MOD_BAD;
        s->legacy_type = op->uint;
        if (op->uint == N_NULL) { jt_plain(&s->t); legacy_node_done(s); }
        else if (op->uint == N_DICT || op->uint == N_ARRAY) s->legacy_expect = 4;
        else if (op->uint == N_STRING || op->uint == N_NUMBER || op->uint == N_INTEGER ||
                 op->uint == N_BOOLEAN) s->legacy_expect = 1;
        else return MOD_BAD;
        break;
    case 1:   /* a scalar's payload */
        if (s->legacy_type == N_NUMBER) {
            if (op->code != RDB_MOP_DOUBLE) return MOD_BAD;
            /* serde_json re-reads it from text: an integral double prints as "1.0" */
            jt_float(&s->t, op->dbl);
        } else if (s->legacy_type == N_INTEGER) {
            if (!num) return MOD_BAD;
            jt_int(&s->t, op->sint < 0, op->sint < 0 ? 0 - (uint64_t)op->sint : (uint64_t)op->sint);
        } else {
            if (op->code != RDB_MOP_STRING) return MOD_BAD;
            if (s->legacy_type == N_STRING) jt_string(&s->t, op->str_len);
            else jt_plain(&s->t);
        }
        legacy_node_done(s);
        break;
    case 2:   /* a dict entry's KeyVal marker */
        if (!num || op->uint != N_KEYVAL) return MOD_BAD;
        s->legacy_expect = 3;
        break;
    case 3:   /* its key */
        if (op->code != RDB_MOP_STRING) return MOD_BAD;
        jt_key(&s->t, op->str_len);
        s->legacy_expect = 0;
        break;
    case 4: { /* a container's count */
        if (!num) return MOD_BAD;
        bool dict = s->legacy_type == N_DICT;
        jt_open(&s->t, dict, 0, false);
        if (s->t.bad) return MOD_BAD;
        if (op->uint == 0) { jt_close(&s->t); legacy_node_done(s); break; }
        s->node_stack[s->legacy_depth++] = op->uint;
        s->legacy_expect = dict ? 2 : 0;
        break;
    }
    default:
        return MOD_BAD;
    }
    return s->t.bad ? MOD_BAD : MOD_OK;
}

/* ---- the decoder -------------------------------------------------------------- */

static void json_begin(void *st, const mod_env *env) {
    json_state *s = st;
    memset(s, 0, sizeof *s);
    s->t.p = env->p;
    s->encver = env->encver;
    s->t.cbor = env->encver == 4;
}

static int json_op(void *st, const rdb_module_op *op) {
    json_state *s = st;
    if (s->encver == 0) return legacy_op(s, op);
    unsigned f = s->field++;
    if (f == 0) {
        if (op->code != RDB_MOP_STRING) return MOD_BAD;
        if (s->encver == 4) return MOD_WANT_BYTES;
        s->yh = yajl_alloc(&yajl_cbs, NULL, &s->t);
        return s->yh ? MOD_WANT_BYTES : MOD_BAD;
    }
    /* encver 2: the RediSearch aux flag and, when set, two strings */
    if (s->encver != 2) return MOD_BAD;
    if (f == 1) return op->code == RDB_MOP_UINT || op->code == RDB_MOP_SINT ? MOD_OK : MOD_BAD;
    return f <= 3 && op->code == RDB_MOP_STRING ? MOD_OK : MOD_BAD;
}

static int json_bytes(void *st, const rdb_string_chunk *c) {
    json_state *s = st;
    if (s->encver == 4) {
        if (c->offset == 0) {
            free(s->cbor);
            s->cbor = malloc(c->total_len ? (size_t)c->total_len : 1);
            if (!s->cbor) return MOD_BAD;
            s->cbor_cap = (size_t)c->total_len;
            s->cbor_len = 0;
        }
        if (c->len > s->cbor_cap - s->cbor_len) return MOD_BAD;
        memcpy(s->cbor + s->cbor_len, c->ptr, c->len);
        s->cbor_len += c->len;
        return MOD_OK;
    }
    if (!s->yh || yajl_parse(s->yh, c->ptr, c->len) != yajl_status_ok || s->t.bad) return MOD_BAD;
    if (c->offset + c->len == c->total_len) {
        if (yajl_complete_parse(s->yh) != yajl_status_ok) return MOD_BAD;
        s->text_done = true;
    }
    return MOD_OK;
}

static void json_release(void *st) {
    json_state *s = st;
    if (s->yh) yajl_free(s->yh);
    s->yh = NULL;
    free(s->cbor);
    s->cbor = NULL;
}

static int json_end(void *st, mod_size *out) {
    json_state *s = st;
    if (s->encver == 4) {
        if (!s->cbor || s->cbor_len != s->cbor_cap) return MOD_BAD;
        decode_cbor(s);
    } else if (s->encver == 0) {
        if (s->legacy_expect != 5) return MOD_BAD;
    } else if (!s->text_done || (s->encver == 2 && s->field != 2 && s->field != 4)) {
        return MOD_BAD;
    }
    if (s->t.bad || s->t.depth || !s->t.nodes) return MOD_BAD;
    out->mem_usage = s->t.mem + 8;                       /* + size_of::<IValue>() */
    out->ram = s->t.ram + je_size(s->t.p, 8);            /* + the boxed RedisJSON */
    out->elements = s->t.nodes;
    return MOD_OK;
}

const mod_decoder mod_json = {
    .type = "ReJSON-RL", .module = "ReJSON", .basis = KEY_BASIS_SOURCE, .max_encver = 4,
    .state_size = sizeof(json_state), .begin = json_begin, .op = json_op, .bytes = json_bytes,
    .end = json_end, .release = json_release,
};
