/* reread.c: exact largest for the keys a report keeps (reread.h). */
#include "cli/reread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys already re-read: one key may sit in several tables (top by bytes,
 * its type's top, a finding), and is read once. A few hundred at most. */
typedef struct done_key { uint64_t offset, largest; } done_key;

typedef struct reread {
    const input *in;
    const rdb_header *hdr;
    done_key *done;
    size_t n, cap;
    const key_record *want;   /* the record being re-read */
    bool seen, name_ok;
    uint64_t largest;
    char *err;
    size_t errlen;
} reread;

static int rr_key_begin(void *ctx, const rdb_key *k) {
    reread *r = ctx;
    /* a kept name may be only the head of the key (agg_topn.h) */
    uint64_t full = r->want->key_full_len ? r->want->key_full_len : r->want->key_len;
    r->name_ok = k->name_len == full &&
                 (r->want->key_len == 0 || memcmp(k->name, r->want->key, r->want->key_len) == 0) &&
                 k->rdb_type == r->want->rdb_type;
    /* no element events: the walk alone computes largest */
    return r->name_ok ? RDB_SKIP : -1;
}

static int rr_key_end(void *ctx, const rdb_key *k, const rdb_key_end *end) {
    reread *r = ctx;
    (void)k;
    r->seen = true;
    r->largest = end->largest;
    return end->largest_exact ? RDB_CONTINUE : -1;
}

static const rdb_handlers rr_handlers = {.on_key_begin = rr_key_begin, .on_key_end = rr_key_end};

static int patch(void *ctx, key_record *rec) {
    reread *r = ctx;
    for (size_t i = 0; i < r->n; i++)
        if (r->done[i].offset == rec->offset) {
            rec->largest = r->done[i].largest;
            rec->largest_exact = true;
            return 0;
        }
    r->want = rec;
    r->seen = r->name_ok = false;
    rdb_options opt = {.input_size = r->in->size};   /* shallow_max 0: walk it all */
    rdb_result res;
    rdb_status st = rdb_parse_key_at(r->in->fd, rec->offset, r->hdr, &rr_handlers, r, &opt, &res);
    if (st != RDB_OK || !r->seen) {
        if (st == RDB_ERR_ABORTED || st == RDB_OK)
            snprintf(r->err, r->errlen, "the key at offset %llu is no longer the one first read",
                     (unsigned long long)rec->offset);
        else
            snprintf(r->err, r->errlen, "re-reading the key at offset %llu: %s at offset %llu: %s",
                     (unsigned long long)rec->offset, rdb_status_name(st),
                     (unsigned long long)res.error.offset, res.error.message);
        return -1;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        done_key *d = realloc(r->done, cap * sizeof *d);
        if (!d) {
            snprintf(r->err, r->errlen, "out of memory");
            return -1;
        }
        r->done = d;
        r->cap = cap;
    }
    r->done[r->n++] = (done_key){rec->offset, r->largest};
    rec->largest = r->largest;
    rec->largest_exact = true;
    return 0;
}

int reread_inexact(agg *a, const input *in, const rdb_header *hdr, char *err, size_t errlen) {
    reread r = {.in = in, .hdr = hdr, .err = err, .errlen = errlen};
    int rc = agg_visit_inexact(a, patch, &r);
    free(r.done);
    return rc ? -1 : 0;
}
