/* alloc.c: allocator size classes and the byte sizes of the server's
 * encodings (sds, listpack, intset, number formatting). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdb/numtext.h"
#include "analyze/model_int.h"

/* jemalloc size classes.
 * 4.x / 5.x built with --with-lg-quantum=3 (redis deps/Makefile 3.2.13 ..
 * 7.4.1, valkey 8.0.1): 8-byte steps up to 64, then four classes per
 * doubling, e.g. 80 96 112 128 160 ... (jemalloc size_classes.sh / sc.c;
 * measured with nallocx on the Redis-bundled 5.3.0, memory-model.md §1).
 * 3.6.0 (redis 2.8.24 deps/jemalloc, default 16-byte quantum, 4 KiB pages,
 * 4 MiB chunks): 8, then 16-byte steps to 128, four per doubling to 3584,
 * page multiples ("large") below the chunk size, chunk multiples ("huge"). */
static uint64_t je_geometric(uint64_t n)
{
    if (n <= 8) return 8;
    if (n <= 64) return (n + 7) & ~(uint64_t)7;
    uint64_t x = n - 1;
    unsigned k = 63 - (unsigned)__builtin_clzll(x);   /* 2^k <= n-1 < 2^(k+1) */
    uint64_t step = (uint64_t)1 << (k - 2);
    return (n + step - 1) & ~(step - 1);
}

static uint64_t je3(uint64_t n)
{
    if (n <= 8) return 8;
    if (n <= 128) return (n + 15) & ~(uint64_t)15;
    if (n <= 3584) return je_geometric(n);
    const uint64_t page = 4096, chunk = (uint64_t)4 << 20;
    if (n <= chunk - 4 * page) return (n + page - 1) & ~(page - 1);
    return (n + chunk - 1) & ~(chunk - 1);
}

/* jemalloc 5.3 with its default 16-byte quantum on x86-64 (Debian 12's
 * libjemalloc2, which Debian's redis-server 7.0.15 links: measured against
 * the corpus: a 17-byte key sds (19 bytes) is charged 32). */
static uint64_t je16(uint64_t n)
{
    if (n <= 8) return 8;
    if (n <= 128) return (n + 15) & ~(uint64_t)15;
    return je_geometric(n);
}

uint64_t je_size(const model_profile *p, uint64_t n)
{
    return p->alloc == ALLOC_JE3 ? je3(n) : p->alloc == ALLOC_JE16 ? je16(n) : je_geometric(n);
}

/* sdsReqType: redis src/sds.h/sds.c (3.2.13 .. 7.4.1): <32 type 5 (1-byte
 * header), <256 type 8 (3), <65536 type 16 (5), <2^32 type 32 (9), else 17.
 * Valkey 8.0.1 src/sds.c: type 8 up to 256-3-1, type 16 up to 65536-5-1,
 * type 32 up to 2^32-9-1. An empty sds is created as type 8 (sdsnewlen).
 * Redis 2.8 has a single 8-byte header (struct sdshdr {int len; int free;}). */
unsigned sds_hdr(const model_profile *p, uint64_t len)
{
    if (p->ver < 300) return 8;
    if (len == 0) return 3;
    if (len < 32) return 1;
    if (p->valkey_sds_types) {
        if (len <= 256 - 3 - 1) return 3;
        if (len <= 65536 - 5 - 1) return 5;
        if (len <= 4294967296ull - 9 - 1) return 9;
        return 17;
    }
    if (len < 256) return 3;
    if (len < 65536) return 5;
    if (len < 4294967296ull) return 9;
    return 17;
}

uint64_t sds_alloc(const model_profile *p, uint64_t len)
{
    return je_size(p, sds_hdr(p, len) + len + 1);
}

/* string2ll (redis src/util.c): no sign but '-', no leading zeros, no
 * spaces, "-0" rejected, must fit a signed 64-bit integer: the parser's
 * rdb_text_to_int (rdb/numtext.h), with the model's long long. */
bool str_to_ll(const uint8_t *s, size_t len, long long *out)
{
    int64_t v;
    if (!rdb_text_to_int(s, len, &v)) return false;
    if (out) *out = (long long)v;
    return true;
}

/* listpack entry sizes: redis src/listpack.c (7.0.15 lpEncodeIntegerGetType,
 * lpEncodeString, lpEncodeBacklen). */
unsigned lp_int_size(long long v)
{
    if (v >= 0 && v <= 127) return 1;
    if (v >= -4096 && v <= 4095) return 2;
    if (v >= -32768 && v <= 32767) return 3;
    if (v >= -8388608 && v <= 8388607) return 4;
    if (v >= -2147483648LL && v <= 2147483647LL) return 5;
    return 9;
}

unsigned lp_backlen(uint64_t l)
{
    if (l <= 127) return 1;
    if (l < 16383) return 2;
    if (l < 2097151) return 3;
    if (l < 268435455) return 4;
    return 5;
}

uint64_t lp_entry_int(long long v)
{
    return lp_int_size(v) + 1;
}

static uint64_t lp_entry_strlen(uint64_t len)
{
    uint64_t l = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
    return l + lp_backlen(l);
}

uint64_t lp_entry_str(const uint8_t *s, size_t len)
{
    long long v;
    if (s && str_to_ll(s, len, &v)) return lp_entry_int(v);
    return lp_entry_strlen(len);
}

uint64_t lp_entry_item(const rdb_item *it)
{
    if (it->is_int) return lp_entry_int(it->ival);
    return lp_entry_str(it->ptr, it->len);
}

/* ziplist entry sizes: redis src/ziplist.c (2.8.24 .. 6.2.16: zipStorePrevEntryLength
 * 1 byte, 5 from ZIP_BIGLEN 254; zipStoreEntryEncoding 1/2/5 bytes for strings
 * up to 63 / 16383 / more bytes; zipTryEncoding: a string shorter than 32 bytes
 * that string2ll accepts becomes an integer of 0 (0..12 immediate), 1, 2, 3, 4
 * or 8 bytes after a 1-byte encoding). prev: the previous entry's size. */
uint64_t zl_entry_item(uint64_t prev, const rdb_item *it)
{
    long long v;
    uint64_t n = prev < 254 ? 1 : 5;
    bool isint = it->is_int ? (v = it->ival, true)
                            : (it->ptr && it->len < 32 && str_to_ll(it->ptr, it->len, &v));
    if (isint) {
        if (v >= 0 && v <= 12) return n + 1;
        if (v >= -128 && v <= 127) return n + 2;
        if (v >= -32768 && v <= 32767) return n + 3;
        if (v >= -8388608 && v <= 8388607) return n + 4;
        if (v >= -2147483648LL && v <= 2147483647LL) return n + 5;
        return n + 9;
    }
    uint64_t l = it->len;
    return n + (l <= 63 ? 1 : l <= 16383 ? 2 : 5) + l;
}

unsigned intset_width(long long v)
{
    if (v >= -32768 && v <= 32767) return 2;
    if (v >= -2147483648LL && v <= 2147483647LL) return 4;
    return 8;
}

/* _dictNextExp / _dictNextPower: the table size for n entries. No loop: the
 * old doubling loop never ended for n above 2^63 (a RESIZEDB hint can say
 * anything), so the answer saturates there. */
uint64_t next_pow2(uint64_t n)
{
    if (n <= 4) return 4;
    if (n > (uint64_t)1 << 63) return (uint64_t)1 << 63;
    return (uint64_t)1 << (64 - (unsigned)__builtin_clzll(n - 1));
}

/* double2ll (redis src/util.c 7.0.15): integral and within +-LLONG_MAX/2.
 * Written so that NaN fails the range test (the server's form lets it
 * through to an undefined conversion; it never sees one, since a load
 * refuses NaN scores, but a hostile listpack can hold the text "nan"). */
static bool double2ll(double d, long long *out)
{
    if (!(d >= (double)(-9223372036854775807LL / 2) && d <= (double)(9223372036854775807LL / 2)))
        return false;
    long long ll = (long long)d;
    if ((double)ll == d) { *out = ll; return true; }
    return false;
}

/* Shortest round-trip digits, laid out like deps/fpconv emit_digits
 * (redis 7.2.6 deps/fpconv/fpconv_dtoa.c). */
static unsigned fpconv_len(double v)
{
    char buf[40];
    /* The fewest significant digits that read back as v. Round-tripping is
     * monotonic in the digit count (the nearest p+1-digit decimal is at
     * least as close as the p-digit one, which is also a p+1-digit one), so
     * a binary search needs 5 printf/strtod pairs, not up to 17: a dump of
     * scores that need 17 digits was analysed at 2 MB/s. */
    int lo = 1, hi = 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        snprintf(buf, sizeof buf, "%.*e", mid - 1, v);
        if (strtod(buf, NULL) == v) hi = mid;
        else lo = mid + 1;
    }
    snprintf(buf, sizeof buf, "%.*e", lo - 1, v);
    /* digits and decimal exponent */
    char *e = strchr(buf, 'e');
    int exp10 = e ? atoi(e + 1) : 0;
    int ndigits = 0;
    for (char *q = buf; q < (e ? e : buf + strlen(buf)); q++)
        if (*q >= '0' && *q <= '9') ndigits++;
    /* strip trailing zeros of the mantissa (fpconv emits the minimal digit string) */
    char *q = e ? e - 1 : buf + strlen(buf) - 1;
    while (ndigits > 1 && *q == '0') { ndigits--; q--; }
    if (*q == '.') q--;
    bool neg = v < 0;
    int K = exp10 - (ndigits - 1);
    int ex = K + ndigits - 1; if (ex < 0) ex = -ex;
    unsigned len;
    if (K >= 0 && ex < ndigits + 7) len = (unsigned)(ndigits + K);
    else if (K < 0 && (K > -7 || ex < 4)) {
        int offset = ndigits - (K < 0 ? -K : K);
        if (offset <= 0) len = (unsigned)(ndigits + 2 - offset);
        else len = (unsigned)(ndigits + 1);
    } else {
        int nd = ndigits < 18 - (int)neg ? ndigits : 18 - (int)neg;
        len = 1 + (nd > 1 ? (unsigned)nd : 0) + 2;   /* d[.ddd]e+ */
        len += ex > 99 ? 3 : ex > 9 ? 2 : 1;
    }
    return len + (neg ? 1 : 0);
}

unsigned d2string_len(const model_profile *p, double v)
{
    char buf[64];
    long long ll;
    if (isnan(v)) return 3;
    if (isinf(v)) return v < 0 ? 4 : 3;
    if (v == 0) return signbit(v) ? 2 : 1;
    if (double2ll(v, &ll)) return (unsigned)rdb_int_text_len((int64_t)ll);
    if (p->d2s_fpconv) return fpconv_len(v);
    return (unsigned)snprintf(buf, sizeof buf, "%.17g", v);
}

/* zzlInsertAt (t_zset.c 7.0.15+): an integral score (double2ll) is appended as
 * a listpack integer, any other as the d2string text. */
uint64_t lp_entry_score(const model_profile *p, double score)
{
    long long ll;
    if (double2ll(score, &ll)) return lp_entry_int(ll);
    return lp_entry_strlen(d2string_len(p, score));
}
