/* array.c: Redis ARRAY values (RDB type 28, RDB 14+, Redis 8.8): sparse
 * arrays indexed by 64-bit positions.
 *
 * Sources: redis/redis src/sparsearray.h (AR_RDB_TAG_*, the value encoding),
 * src/sparsearray.c (arValueFromRdbInt / Float / SmallStr, arFormatFloat);
 * redis/librdb 2.3.0 src/lib/parser.c elementArray (layout and its checks),
 * librdb PRs #98/#100; librdb test/dumps/array_v14_*.json (what a loader
 * shows for them).
 *
 *   <len count>                  elements that are set, > 0 (an empty array is no key)
 *   <len insert_idx_flag>        0 or 1
 *   [<len insert_idx>]           with flag 1: the last-insert cursor (ARINSERT)
 *   count x:
 *     <len index>                a plain length (not a string encoding), never 2^64-1
 *     <len tag>                  0 SDS, 1 INT, 2 FLOAT, 3 SMALLSTR
 *     tag 0, 3: <string>         SMALLSTR: at most 7 bytes inline in the server
 *     tag 1:    <8 bytes>        signed 64-bit, little-endian (rdbSaveSignedInteger)
 *     tag 2:    <8 bytes>        IEEE-754 double, little-endian
 *
 * Each element is one on_entry event: member = its text (an INT as decimal,
 * a FLOAT as arFormatFloat writes it: the shortest round-trip form with
 * ".0" kept on whole numbers), index, array_tag, and for FLOAT the value in
 * score. A server saves in index order; this parser does not require it. */
#include "rdb/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdb/numtext.h"

/* Shortest "%.*g" text that reads back as d, as d2string does (fpconv
 * shortest), plus ".0" for whole numbers (arFormatFloat). buf: 40 bytes. */
size_t rdb_array_float_text(double d, char buf[40]) {
    int n = 0;
    if (isnan(d)) n = snprintf(buf, 40, "nan");
    else if (isinf(d)) n = snprintf(buf, 40, d > 0 ? "inf" : "-inf");
    else {
        for (int prec = 1; prec <= 17; prec++) {
            n = snprintf(buf, 40, "%.*g", prec, d);
            if (strtod(buf, NULL) == d) break;
        }
        if (!memchr(buf, '.', (size_t)n) && !memchr(buf, 'e', (size_t)n) && n + 2 < 40) {
            buf[n++] = '.';
            buf[n++] = '0';
            buf[n] = '\0';
        }
    }
    return n > 0 ? (size_t)n : 0;
}

rdb_status rdb_read_array(parser *p) {
    uint64_t at = rd_offset(&p->rd);
    uint64_t count, flag;
    rdb_array_meta meta = {0};
    rdb_status st = rdb_read_plain_len(p, &count, "array element count");
    if (st) return st;
    if (count == 0) return perr(p, RDB_ERR_FORMAT, at, "array with 0 elements (an empty array is not saved)");
    /* every element takes at least 3 bytes: index, tag and a 1-byte string */
    uint64_t here = rd_offset(&p->rd);
    if (p->opt.input_size && here <= p->opt.input_size && count > (p->opt.input_size - here) / 3)
        return perr(p, RDB_ERR_TRUNCATED, at, "array claims %llu elements but only %llu bytes remain",
                    (unsigned long long)count, (unsigned long long)(p->opt.input_size - here));
    at = rd_offset(&p->rd);
    if ((st = rdb_read_plain_len(p, &flag, "array insert-index flag"))) return st;
    if (flag > 1) return perr(p, RDB_ERR_FORMAT, at, "array insert-index flag is %llu, expected 0 or 1",
                              (unsigned long long)flag);
    if (flag && (st = rdb_read_plain_len(p, &meta.insert_idx, "array insert index"))) return st;
    meta.count = count;
    meta.has_insert_idx = flag == 1;
    if (p->h->on_array_meta && (st = pcb(p, p->h->on_array_meta(p->ctx, &p->key, &meta)))) return st;
    rdb_entry e = {0};
    char text[40];
    for (uint64_t i = 0; i < count; i++) {
        uint64_t tag;
        bool encoded;
        at = rd_offset(&p->rd);
        if ((st = rdb_read_len(p, &e.index, &encoded, "array element index"))) return st;
        if (encoded || e.index == UINT64_MAX)
            return perr(p, RDB_ERR_FORMAT, at, "array element index is %s",
                        encoded ? "a string encoding, not a length" : "2^64-1, which no array can hold");
        at = rd_offset(&p->rd);
        if ((st = rdb_read_plain_len(p, &tag, "array element type tag"))) return st;
        e.array_tag = (uint8_t)tag;
        e.score = 0;
        switch (tag) {
        case RDB_AR_SDS:
        case RDB_AR_SMALLSTR:
            if ((st = rdb_read_string(p, NULL, &e.member, NULL, NULL, "array element"))) return st;
            break;
        case RDB_AR_INT:
            if ((st = rdb_read_i64le(p, &e.member.ival, "array integer element"))) return st;
            e.member.is_int = true;
            e.member.ptr = NULL;
            e.member.len = rdb_int_text_len(e.member.ival);
            break;
        case RDB_AR_FLOAT:
            if ((st = rdb_read_double_bin(p, &e.score, "array float element"))) return st;
            if (!isfinite(e.score))
                return perr(p, RDB_ERR_FORMAT, at + 1, "array float element is not finite");
            e.member.is_int = false;
            e.member.len = rdb_array_float_text(e.score, text);
            e.member.ptr = (const uint8_t *)text;
            break;
        default:
            return perr(p, RDB_ERR_FORMAT, at, "array element type tag %llu, expected 0-3 (SDS, INT, FLOAT, SMALLSTR)",
                        (unsigned long long)tag);
        }
        kend_largest(p, e.member.len);
        if (!p->skip && p->h->on_entry && (st = pcb(p, p->h->on_entry(p->ctx, &p->key, &e)))) return st;
    }
    p->kend.elements = count;
    return RDB_OK;
}
