/* filter.c: the key filter every command shares (filter.h). */
#include "analyze/filter.h"

#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "analyze/glob.h"

void filter_init(key_filter *f) { memset(f, 0, sizeof *f); }

void filter_free(key_filter *f) {
    if (f->re_data) pcre2_match_data_free(f->re_data);
    if (f->re_code) pcre2_code_free(f->re_code);
    f->re_data = f->re_code = NULL;
}

int filter_copy(key_filter *dst, const key_filter *src) {
    *dst = *src;
    dst->re_code = dst->re_data = NULL;
    if (!src->re_code) return 0;
    dst->re_code = pcre2_code_copy(src->re_code);
    if (dst->re_code) dst->re_data = pcre2_match_data_create_from_pattern(dst->re_code, NULL);
    if (!dst->re_code || !dst->re_data) {
        filter_free(dst);
        return -1;
    }
    return 0;
}

int filter_set_types(key_filter *f, const char *list, char *why, size_t whylen) {
    unsigned mask = 0;
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        int found = -1;
        for (int k = 0; k < RDB_KIND_COUNT_; k++) {
            const char *name = rdb_kind_name((rdb_kind)k);
            if (strlen(name) == n && memcmp(name, p, n) == 0) found = k;
        }
        if (found < 0) {
            snprintf(why, whylen, "one or more of string, list, set, zset, hash, stream, module, array, "
                                  "separated by commas");
            return -1;
        }
        mask |= 1u << found;
        if (!comma) break;
        p = comma + 1;
    }
    f->type_mask = mask;
    return 0;
}

int filter_set_regex(key_filter *f, const char *pattern, char *why, size_t whylen) {
    int code;
    PCRE2_SIZE at;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &code, &at, NULL);
    if (!re) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(why, whylen, "a Perl-compatible regular expression: %s at character %zu", (char *)msg,
                 (size_t)at + 1);
        return -1;
    }
    /* JIT makes a search per key cheap; without it (no JIT on this CPU)
     * the interpreter gives the same answers. */
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md) {
        pcre2_code_free(re);
        snprintf(why, whylen, "memory to compile it");
        return -1;
    }
    filter_free(f);
    f->regex = pattern;
    f->re_code = re;
    f->re_data = md;
    return 0;
}

bool filter_active(const key_filter *f) {
    return f->has_db || f->type_mask || (f->match && strcmp(f->match, "*") != 0) || f->regex ||
           f->min_bytes || f->min_elements || f->expiry != FILTER_EXPIRY_ALL;
}

static bool expiry_accepts(const key_filter *f, const key_record *r, int64_t reference_ms) {
    switch (f->expiry) {
    case FILTER_EXPIRY_ALL: return true;
    case FILTER_EXPIRY_NONE: return !r->has_expire;
    case FILTER_EXPIRY_ANY: return r->has_expire;
    case FILTER_EXPIRY_EXPIRED: return r->has_expire && reference_ms >= 0 && r->expire_ms <= reference_ms;
    case FILTER_EXPIRY_RANGE: break;
    }
    if (!r->has_expire) return false;
    int64_t t = r->expire_ms;
    if (f->range_relative) {
        if (reference_ms < 0) return false;
        /* expire_ms - reference_ms, saturated: both may be any int64 */
        if (__builtin_sub_overflow(t, reference_ms, &t)) t = INT64_MIN;  /* reference_ms >= 0 */
    }
    if (f->has_from && t < f->from_ms) return false;
    if (f->has_to && t >= f->to_ms) return false;
    return true;
}

bool filter_accepts(const key_filter *f, const key_record *r, int64_t reference_ms) {
    if (f->has_db && r->db != f->db) return false;
    if (f->type_mask && !(f->type_mask & (1u << r->type))) return false;
    if (f->min_bytes && (!r->has_bytes || r->bytes < f->min_bytes)) return false;
    if (f->min_elements && r->elements < f->min_elements) return false;
    if (f->expiry != FILTER_EXPIRY_ALL && !expiry_accepts(f, r, reference_ms)) return false;
    if (f->match && strcmp(f->match, "*") != 0 &&
        !glob_match(f->match, strlen(f->match), r->key, r->key_len, false))
        return false;
    if (f->re_code && pcre2_match(f->re_code, r->key, r->key_len, 0, 0, f->re_data, NULL) < 0)
        return false;
    return true;
}
