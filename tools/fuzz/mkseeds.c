/* mkseeds.c: seed corpora for the blob harnesses (tools/fuzz.sh runs it).
 *
 *   mkseeds OUTDIR FILE.rdb...
 *
 * Parses each dump and writes what it holds into OUTDIR/<harness>/: every
 * ziplist, listpack (stream nodes too), intset and zipmap blob; each stream
 * value's payload (type selector + the bytes after the key name) for
 * fuzz_stream; each LZF string value (selector 0 + the bytes after 0xC3) for
 * fuzz_lzf_string; the values and records of RDB 13-15 / VALKEY 80-81 for
 * fuzz_array, fuzz_hash_tmpl, fuzz_keymeta and fuzz_valkey9; each module value's
 * opcode stream for fuzz_mod_<decoder>. Then a few
 * hand-made seeds for encodings the dumps may
 * lack (every listpack/ziplist entry width, 8-byte intsets, big zipmap
 * lengths, LZF in each of the three places fuzz_lzf_string puts it). At
 * most PER_FILE seeds of a kind come from one dump. */
#include <errno.h>
#include <lzf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rdb/rdb.h"

#define PER_FILE 40
#define MAX_SEED (64u << 10)

static const char *outdir;

static void put(const char *harness, const uint8_t *a, size_t na, const uint8_t *b, size_t nb) {
    if (na + nb > MAX_SEED) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", outdir, harness);
    mkdir(path, 0777);
    uint64_t h = 1469598103934665603ULL;  /* FNV-1a: identical seeds share a name */
    for (size_t i = 0; i < na; i++) h = (h ^ a[i]) * 1099511628211ULL;
    for (size_t i = 0; i < nb; i++) h = (h ^ b[i]) * 1099511628211ULL;
    snprintf(path, sizeof path, "%s/%s/seed-%016llx", outdir, harness, (unsigned long long)h);
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); exit(1); }
    if (na) fwrite(a, 1, na, f);
    if (nb) fwrite(b, 1, nb, f);
    fclose(f);
}

/* ---- seeds from real dumps ---------------------------------------------- */

typedef struct ctx {
    const uint8_t *file;
    size_t size;
    unsigned n[13];  /* per kind, this file (12: module values) */
    bool valkey;
} ctx;

/* Size of the RDB string at p (length prefix included), or 0. */
static size_t rdb_string_size(const uint8_t *p, size_t avail) {
    if (avail < 1) return 0;
    uint8_t b = p[0];
    uint64_t len, hdr;
    switch (b >> 6) {
    case 0: hdr = 1; len = b & 0x3f; break;
    case 1: if (avail < 2) return 0; hdr = 2; len = (uint64_t)(b & 0x3f) << 8 | p[1]; break;
    case 2:
        if (b == 0x80 && avail >= 5) { hdr = 5; len = (uint64_t)p[1] << 24 | p[2] << 16 | p[3] << 8 | p[4]; break; }
        return 0;
    default:
        if (b == 0xC0) return 2;
        if (b == 0xC1) return 3;
        if (b == 0xC2) return 5;
        return 0;  /* LZF key names: not worth decoding here */
    }
    return hdr + len <= avail ? (size_t)(hdr + len) : 0;
}

static int on_container(void *vc, const rdb_key *k, const rdb_container *c) {
    ctx *x = vc;
    (void)k;
    const char *h = NULL;
    switch (c->kind) {
    case RDB_CT_ZIPLIST: h = "fuzz_ziplist"; break;
    case RDB_CT_LISTPACK: case RDB_CT_STREAM_NODE: h = "fuzz_listpack"; break;
    case RDB_CT_INTSET: h = "fuzz_intset"; break;
    case RDB_CT_ZIPMAP: h = "fuzz_zipmap"; break;
    default: return RDB_CONTINUE;
    }
    /* a blob walked in pieces (longer than the fuzz build's 4 KiB block) has
     * no bytes here */
    if (c->blob.ptr && x->n[c->kind]++ < PER_FILE) put(h, c->blob.ptr, c->blob.len, NULL, 0);
    return RDB_CONTINUE;
}

static int on_key_end(void *vc, const rdb_key *k, const rdb_key_end *e) {
    ctx *x = vc;
    if (k->offset + 1 >= x->size) return RDB_CONTINUE;
    size_t name = rdb_string_size(x->file + k->offset + 1, x->size - k->offset - 1);
    if (!name) return RDB_CONTINUE;
    size_t start = (size_t)k->offset + 1 + name;
    if (start + e->value_bytes > x->size || e->value_bytes == 0) return RDB_CONTINUE;
    const uint8_t *v = x->file + start;
    /* a KEY_META record right before the key: its body for fuzz_keymeta */
    if (k->meta_bytes > 1 && k->meta_bytes <= k->offset && x->file[k->offset - k->meta_bytes] == 0xF3 &&
        x->n[8]++ < PER_FILE)
        put("fuzz_keymeta", x->file + k->offset - k->meta_bytes + 1, k->meta_bytes - 1, NULL, 0);
    if (k->kind == RDB_KIND_STREAM && x->n[6]++ < PER_FILE) {
        static const uint8_t types[5] = {15, 19, 21, 26, 27};
        for (uint8_t i = 0; i < 5; i++)
            if (types[i] == k->rdb_type) put("fuzz_stream", &i, 1, v, e->value_bytes);
    } else if (k->kind == RDB_KIND_ARRAY && x->n[9]++ < PER_FILE) {
        put("fuzz_array", v, e->value_bytes, NULL, 0);
    } else if (!x->valkey && k->rdb_type >= 29 && k->rdb_type <= 32 && x->n[10]++ < PER_FILE) {
        uint8_t sel = (uint8_t)(k->rdb_type - 29);
        put("fuzz_hash_tmpl", &sel, 1, v, e->value_bytes);
    } else if (x->valkey && k->rdb_type == 22 && x->n[11]++ < PER_FILE) {
        static const uint8_t sel = 0;
        put("fuzz_valkey9", &sel, 1, v, e->value_bytes);
    } else if (k->kind == RDB_KIND_MODULE && e->value_bytes > 9 && v[0] == 0x81) {
        /* fuzz_mod_<decoder>: encver + the opcode stream after the 9-byte id */
        static const char *const names[][2] = {
            {"MBbloom--", "fuzz_mod_bloom"}, {"MBbloomCF", "fuzz_mod_cuckoo"},
            {"CMSk-TYPE", "fuzz_mod_cms"}, {"TopK-TYPE", "fuzz_mod_topk"},
            {"TDIS-TYPE", "fuzz_mod_tdigest"}, {"TSDB-TYPE", "fuzz_mod_tsdb"},
            {"ReJSON-RL", "fuzz_mod_json"}, {"vectorset", "fuzz_mod_vset"}};
        uint8_t encver = (uint8_t)e->module_encver;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strcmp(e->module_name, names[i][0]) == 0 && x->n[12]++ < PER_FILE)
                put(names[i][1], &encver, 1, v + 9, e->value_bytes - 9);
    } else if (k->kind == RDB_KIND_STRING && v[0] == 0xC3 && x->n[7]++ < PER_FILE) {
        static const uint8_t sel = 0;
        put("fuzz_lzf_string", &sel, 1, v + 1, e->value_bytes - 1);
    }
    return RDB_CONTINUE;
}

static void from_dump(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return; }
    struct stat st;
    fstat(fileno(f), &st);
    uint8_t *buf = malloc((size_t)st.st_size + 1);
    size_t n = fread(buf, 1, (size_t)st.st_size, f);
    rewind(f);
    ctx x = {.file = buf, .size = n, .valkey = n >= 6 && memcmp(buf, "VALKEY", 6) == 0};
    rdb_handlers h = {.on_container = on_container, .on_key_end = on_key_end};
    rdb_options o = {.input_size = n};
    rdb_result r;
    rdb_parse_fd(fileno(f), &h, &x, &o, &r);
    fclose(f);
    free(buf);
}

/* ---- hand-made seeds ---------------------------------------------------- */

typedef struct bb { uint8_t p[MAX_SEED]; size_t n; } bb;
static void b8(bb *b, uint8_t v) { b->p[b->n++] = v; }
static void bmem(bb *b, const void *p, size_t n) { memcpy(b->p + b->n, p, n); b->n += n; }
static void ble(bb *b, uint64_t v, int w) { for (int i = 0; i < w; i++) b8(b, (uint8_t)(v >> (8 * i))); }

/* listpack entries */
static void lp_backlen(bb *b, size_t l) {
    if (l <= 127) { b8(b, (uint8_t)l); return; }
    int n = l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    for (int i = 0; i < n; i++) {
        unsigned shift = (unsigned)(7 * (n - 1 - i));
        b8(b, i == 0 ? (uint8_t)(l >> shift) : (uint8_t)(((l >> shift) & 127) | 128));
    }
}
static void lp_str(bb *b, const char *s, size_t n) {
    size_t start = b->n;
    if (n < 64) b8(b, (uint8_t)(0x80 | n));
    else if (n < 4096) { b8(b, (uint8_t)(0xE0 | n >> 8)); b8(b, (uint8_t)n); }
    else { b8(b, 0xF0); ble(b, n, 4); }
    bmem(b, s, n);
    lp_backlen(b, b->n - start);
}
static void lp_int(bb *b, int64_t v) {
    size_t start = b->n;
    if (v >= 0 && v <= 127) b8(b, (uint8_t)v);
    else if (v >= -4096 && v <= 4095) { b8(b, (uint8_t)(0xC0 | ((uint64_t)v >> 8 & 0x1F))); b8(b, (uint8_t)v); }
    else if (v >= -32768 && v <= 32767) { b8(b, 0xF1); ble(b, (uint64_t)v, 2); }
    else if (v >= -8388608 && v <= 8388607) { b8(b, 0xF2); ble(b, (uint64_t)v, 3); }
    else if (v >= INT32_MIN && v <= INT32_MAX) { b8(b, 0xF3); ble(b, (uint64_t)v, 4); }
    else { b8(b, 0xF4); ble(b, (uint64_t)v, 8); }
    lp_backlen(b, b->n - start);
}
static void lp_begin(bb *b) { b->n = 6; }
static void lp_end(bb *b, unsigned count) {
    b8(b, 0xFF);
    uint8_t *p = b->p;
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(b->n >> (8 * i));
    p[4] = (uint8_t)count;
    p[5] = (uint8_t)(count >> 8);
}

/* ziplist entries */
static size_t zl_prev;
static void zl_entry_hdr(bb *b, bool big_prev) {
    if (zl_prev < 254 && !big_prev) b8(b, (uint8_t)zl_prev);
    else { b8(b, 0xFE); ble(b, zl_prev, 4); }
}
static size_t zl_last;
static void zl_str(bb *b, const char *s, size_t n, bool big_prev) {
    size_t start = b->n;
    zl_last = start;
    zl_entry_hdr(b, big_prev);
    if (n < 64) b8(b, (uint8_t)n);
    else if (n < 16384) { b8(b, (uint8_t)(0x40 | n >> 8)); b8(b, (uint8_t)n); }
    else { b8(b, 0x80); b8(b, (uint8_t)(n >> 24)); b8(b, (uint8_t)(n >> 16)); b8(b, (uint8_t)(n >> 8)); b8(b, (uint8_t)n); }
    bmem(b, s, n);
    zl_prev = b->n - start;
}
static void zl_int(bb *b, uint8_t enc, int64_t v) {
    size_t start = b->n;
    zl_last = start;
    zl_entry_hdr(b, false);
    b8(b, enc);
    switch (enc) {
    case 0xC0: ble(b, (uint64_t)v, 2); break;
    case 0xD0: ble(b, (uint64_t)v, 4); break;
    case 0xE0: ble(b, (uint64_t)v, 8); break;
    case 0xF0: ble(b, (uint64_t)v, 3); break;
    case 0xFE: ble(b, (uint64_t)v, 1); break;
    default: break;
    }
    zl_prev = b->n - start;
}
static void zl_begin(bb *b) { b->n = 10; zl_prev = 0; zl_last = 10; }
static void zl_end(bb *b, unsigned count) {
    b8(b, 0xFF);
    for (int i = 0; i < 4; i++) b->p[i] = (uint8_t)(b->n >> (8 * i));
    for (int i = 0; i < 4; i++) b->p[4 + i] = (uint8_t)(zl_last >> (8 * i));
    b->p[8] = (uint8_t)count;
    b->p[9] = (uint8_t)(count >> 8);
}

static void hand_made(void) {
    static char big[20000];
    memset(big, 'x', sizeof big);
    static bb b, w;

    /* Valkey 9 records: a SLOT_IMPORT, UPDATE commands (fuzz_valkey9) */
    b.n = 0;
    b8(&b, 1);
    b8(&b, 40);
    bmem(&b, "0123456789abcdef0123456789abcdef01234567", 40);
    b8(&b, 2), b8(&b, 0), b8(&b, 99), b8(&b, 0x43), b8(&b, 0xe8), b8(&b, 0x43), b8(&b, 0xe8);
    put("fuzz_valkey9", b.p, b.n, NULL, 0);
    static const char *const cmds[] = {"\x02*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n",
                                       "\x02*1\r\n$0\r\n\r\n"};
    for (size_t i = 0; i < 2; i++) put("fuzz_valkey9", (const uint8_t *)cmds[i], strlen(cmds[i]), NULL, 0);

    /* listpacks: every int width, every string length class */
    lp_begin(&b);
    const int64_t ints[] = {0, 127, -1, 4095, -4096, 32767, -32768, 8388607, -8388608,
                            INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) lp_int(&b, ints[i]);
    lp_str(&b, "", 0);
    lp_str(&b, "field", 5);
    lp_str(&b, big, 63);
    lp_str(&b, big, 64);
    lp_str(&b, big, 200);
    lp_str(&b, big, 4095);
    lp_str(&b, big, 4096);
    lp_end(&b, sizeof ints / sizeof ints[0] + 7);
    put("fuzz_listpack", b.p, b.n, NULL, 0);
    lp_begin(&b);
    lp_str(&b, "a", 1);
    lp_str(&b, "1.5", 3);
    lp_end(&b, 65535);
    put("fuzz_listpack", b.p, b.n, NULL, 0);
    lp_begin(&b);
    lp_end(&b, 0);
    put("fuzz_listpack", b.p, b.n, NULL, 0);

    /* ziplists: every encoding, a 5-byte prevlen */
    zl_begin(&b);
    zl_str(&b, "a", 1, false);
    zl_str(&b, big, 300, false);
    zl_str(&b, "b", 1, false);          /* prevlen 0xFE form (after 300 bytes) */
    zl_str(&b, "c", 1, true);           /* 5-byte prevlen for a small size */
    zl_str(&b, big, 16384, false);
    zl_int(&b, 0xC0, -2);
    zl_int(&b, 0xD0, 100000);
    zl_int(&b, 0xE0, INT64_MIN);
    zl_int(&b, 0xF0, -8388608);
    zl_int(&b, 0xFE, -128);
    zl_int(&b, 0xF1, 0);
    zl_int(&b, 0xFD, 12);
    zl_end(&b, 12);
    put("fuzz_ziplist", b.p, b.n, NULL, 0);
    zl_begin(&b);
    zl_str(&b, "k", 1, false);
    zl_str(&b, "v", 1, false);
    zl_end(&b, 65535);
    put("fuzz_ziplist", b.p, b.n, NULL, 0);

    /* intsets of each width */
    for (int width = 2; width <= 8; width *= 2) {
        b.n = 0;
        ble(&b, (uint64_t)width, 4);
        ble(&b, 3, 4);
        int64_t lo = width == 2 ? INT16_MIN : width == 4 ? INT32_MIN : INT64_MIN;
        ble(&b, (uint64_t)lo, width);
        ble(&b, 0, width);
        ble(&b, (uint64_t)(width == 8 ? INT64_MAX : 7), width);
        put("fuzz_intset", b.p, b.n, NULL, 0);
    }

    /* zipmaps: small, with free bytes, with a 5-byte length */
    b.n = 0;
    b8(&b, 2);
    b8(&b, 1); b8(&b, 'a'); b8(&b, 2); b8(&b, 0); bmem(&b, "xy", 2);
    b8(&b, 1); b8(&b, 'b'); b8(&b, 1); b8(&b, 3); bmem(&b, "z...", 4);
    b8(&b, 0xFF);
    put("fuzz_zipmap", b.p, b.n, NULL, 0);
    b.n = 0;
    b8(&b, 254);
    b8(&b, 0xFE); ble(&b, 300, 4); bmem(&b, big, 300);
    b8(&b, 0xFE); ble(&b, 2, 4); b8(&b, 0); bmem(&b, "ok", 2);
    b8(&b, 0xFF);
    put("fuzz_zipmap", b.p, b.n, NULL, 0);

    /* LZF strings: selector, then <clen> <ulen> <data> as RDB lengths */
    struct { const char *what; uint8_t sel; } places[] = {{"value", 0}, {"quicklist node", 1}, {"key", 2}};
    for (size_t i = 0; i < 3; i++) {
        const uint8_t *src;
        size_t srclen;
        char text[2000];
        if (places[i].sel == 1) {  /* a listpack, so the node walks */
            lp_begin(&w);
            for (int j = 0; j < 20; j++) lp_str(&w, "repeated element", 16);
            lp_int(&w, 12345);
            lp_end(&w, 21);
            src = w.p;
            srclen = w.n;
        } else {
            for (size_t j = 0; j < sizeof text; j++) text[j] = "abcabcabd"[j % 9];
            src = (const uint8_t *)text;
            srclen = places[i].sel == 2 ? 100 : sizeof text;
        }
        static uint8_t comp[4096];
        unsigned clen = lzf_compress(src, (unsigned)srclen, comp, sizeof comp);
        if (!clen) continue;
        b.n = 0;
        b8(&b, places[i].sel);
        b8(&b, 0x40 | (uint8_t)(clen >> 8)); b8(&b, (uint8_t)clen);
        b8(&b, 0x40 | (uint8_t)(srclen >> 8)); b8(&b, (uint8_t)srclen);
        bmem(&b, comp, clen);
        put("fuzz_lzf_string", b.p, b.n, NULL, 0);
    }
}

/* Module values the fixtures lack (RedisJSON, vector sets): encver + the
 * opcode stream, as fuzz_mod_* take them. Items under 64 bytes only. */
static void op_len(bb *b, size_t v) { b8(b, (uint8_t)v); }
static void op_uint(bb *b, uint8_t v) { op_len(b, 2); op_len(b, v); }
static void op_str(bb *b, const void *p, size_t n) { op_len(b, 5); op_len(b, n); bmem(b, p, n); }

static void module_seeds(void) {
    static bb b;
    static const char json[] = "{\"a\":[1,2,300,-4],\"b\":\"a longer string\",\"c\":[1.5,{\"d\":null}],\"e\":true}";
    b.n = 0; b8(&b, 3); op_str(&b, json, sizeof json - 1); op_len(&b, 0);
    put("fuzz_mod_json", b.p, b.n, NULL, 0);
    static const uint8_t cbor[] = {0xa2, 0x61, 'a', 0xd8, 0x48, 0x43, 1, 2, 3, 0x61, 'b', 0x82, 0xf9, 0x3e, 0x00,
                                   0x9f, 0xf6, 0xff};
    b.n = 0; b8(&b, 4); op_str(&b, cbor, sizeof cbor); op_len(&b, 0);
    put("fuzz_mod_json", b.p, b.n, NULL, 0);
    b.n = 0; b8(&b, 0);   /* RedisJSON 1.x: {"a": [1]} */
    op_uint(&b, 0x20); op_uint(&b, 1); op_uint(&b, 0x80); op_str(&b, "a", 1);
    op_uint(&b, 0x40); op_uint(&b, 1); op_uint(&b, 0x08); op_len(&b, 1); op_len(&b, 1); op_len(&b, 0);
    put("fuzz_mod_json", b.p, b.n, NULL, 0);
    b.n = 0; b8(&b, 0);   /* a vector set of 2 int8 vectors with attributes */
    op_uint(&b, 3); op_uint(&b, 2); op_len(&b, 2); op_len(&b, 0x50); op_len(&b, 0x01); op_uint(&b, 2);
    for (int i = 0; i < 2; i++) {
        op_str(&b, i ? "b" : "a", 1);
        op_str(&b, i ? "" : "{\"x\":1}", i ? 0 : 7);
        op_str(&b, "\1\2\3", 3);
        op_uint(&b, 7);
        op_uint(&b, (uint8_t)(i + 1)); op_len(&b, 2); op_len(&b, 0x80); b8(&b, 1); b8(&b, 0); b8(&b, 0); b8(&b, 0);
        op_uint(&b, 1); op_uint(&b, 32); op_uint(&b, (uint8_t)(2 - i)); op_uint(&b, 0); op_uint(&b, 0);
    }
    op_len(&b, 0);
    put("fuzz_mod_vset", b.p, b.n, NULL, 0);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: mkseeds OUTDIR FILE.rdb...\n");
        return 2;
    }
    outdir = argv[1];
    mkdir(outdir, 0777);
    for (int i = 2; i < argc; i++) from_dump(argv[i]);
    hand_made();
    module_seeds();
    return 0;
}
