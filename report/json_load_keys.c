/* json_load_keys.c: a saved report's key records back into the aggregate
 * (json_load_int.h).
 *
 * Schema 2 keeps every key a table may show once, in merge.records; the top
 * lists, the findings' worst keys, the near-limit groups' worst keys and the
 * cold keys name them as [record, score] pairs, so that a merge ranks them
 * again exactly. Schema 1 has only top_keys.by_bytes, whole KEY objects in
 * their order, which is what diff needs.
 */
#include "report/json_load_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A KEY object (schema 1 top_keys) or a REC (schema 2 merge.records) into r;
 * module (10 bytes) receives a module name. */
static void read_record(jctx *c, report_doc *d, agg *a, json_t *o, const char *w, bool rec,
                        key_record *r, char *module) {
    memset(r, 0, sizeof *r);
    r->db = jl_get_u64(c, o, w, "db");
    r->key = jl_get_bytes(c, d, o, w, "key", &r->key_len);
    if (rec) {
        uint64_t full = jl_get_u64(c, o, w, "key_length");
        if (!c->failed && full < r->key_len) jl_fail(c, "%s.key_length: shorter than the key", w);
        if (full > r->key_len) r->key_full_len = full;
    } else if (json_object_get(o, "key_length")) {
        r->key_full_len = jl_get_u64(c, o, w, "key_length");
    }
    int k = jl_kind_of(c, jl_get_str(c, o, w, "type", false), w);
    r->type = k < 0 ? RDB_KIND_STRING : (rdb_kind)k;
    uint64_t rt = jl_get_u64(c, o, w, "rdb_type");
    if (!c->failed && rt > 255) jl_fail(c, "%s.rdb_type: out of range", w);
    r->rdb_type = (uint8_t)rt;
    const char *enc = rec ? jl_get_str(c, o, w, "encoding", true)
                          : (json_object_get(o, "encoding") ? jl_get_str(c, o, w, "encoding", false) : NULL);
    if (enc && !(r->encoding = agg_intern(a, enc))) jl_fail(c, "out of memory");
    bool has;
    if (rec || json_object_get(o, "bytes")) {
        r->bytes = jl_get_u64_opt(c, o, w, "bytes", &has);
        r->has_bytes = has;
    }
    r->elements = jl_get_u64(c, o, w, "elements");
    r->largest = jl_get_u64(c, o, w, "largest");
    r->largest_exact = true;
    json_t *ex = jl_get(c, o, w, "expires_at_ms", JSON_INTEGER, true);
    if (ex) {
        r->has_expire = true;
        r->expire_ms = (int64_t)json_integer_value(ex);
    }
    if (rec) {
        r->ram = jl_get_u64(c, o, w, "ram");
        const char *ce = jl_get_str(c, o, w, "compact_encoding", true);
        if (ce && !(r->compact_encoding = agg_intern(a, ce))) jl_fail(c, "out of memory");
        r->compact_bytes = jl_get_u64(c, o, w, "compact_bytes");
        r->largest_exact = jl_get_bool(c, o, w, "largest_exact");
        r->int_members = jl_get_bool(c, o, w, "int_members");
        r->offset = jl_get_u64(c, o, w, "offset");
        uint64_t ev = jl_get_u64(c, o, w, "module_encver"), basis = jl_get_u64(c, o, w, "bytes_basis");
        if (!c->failed && (ev > UINT32_MAX || basis >= KEY_BASIS_COUNT_))
            jl_fail(c, "%s: module_encver or bytes_basis out of range", w);
        r->module_encver = (unsigned)ev;
        r->bytes_basis = (key_bytes_basis)basis;
        r->serialized_bytes = jl_get_u64(c, o, w, "serialized_bytes");
        bool hs;
        uint64_t sl = jl_get_u64_opt(c, o, w, "slot", &hs);
        if (!c->failed && hs && sl >= SLOT_COUNT) jl_fail(c, "%s.slot: out of range", w);
        r->has_slot = hs;
        r->slot = (uint16_t)sl;
    }
    if (rec || json_object_get(o, "idle_s")) r->idle_s = jl_get_u64_opt(c, o, w, "idle_s", &r->has_idle);
    if (rec || json_object_get(o, "freq")) {
        uint64_t fq = jl_get_u64_opt(c, o, w, "freq", &r->has_freq);
        if (!c->failed && fq > 255) jl_fail(c, "%s.freq: out of range", w);
        r->freq = (uint8_t)fq;
    }
    const char *mod = (rec || json_object_get(o, "module")) ? jl_get_str(c, o, w, "module", true) : NULL;
    if (mod) {
        if (strlen(mod) >= 10) jl_fail(c, "%s.module: longer than 9 bytes", w);
        else {
            strcpy(module, mod);
            r->module_name = module;
        }
    }
}

/* One of merge.records, as the lists name it by index: the record, its
 * arrival order and file, and the bytes of its module name. */
typedef struct loaded_rec {
    key_record r;
    uint64_t seq;
    uint32_t file;
    char module[10];
} loaded_rec;

/* list[i], a [record, score] pair: the record it names (one of
 * recs[0..nrecs)) and *score; NULL with the error. where names the list;
 * at, what the pair's integers' errors name. */
static const loaded_rec *record_at(jctx *c, json_t *list, size_t i, const char *where, const char *at,
                                   const loaded_rec *recs, size_t nrecs, uint64_t *score) {
    uint64_t ri;
    if (!jl_pair_at(c, list, i, where, "[record, score]", at, &ri, score)) return NULL;
    if (ri >= nrecs) {
        jl_fail(c, "%s[%zu]: record %llu does not exist", where, i, (unsigned long long)ri);
        return NULL;
    }
    return &recs[ri];
}

/* What agg_part_key or agg_part_near_key answered for where[i]. */
static void check_added(jctx *c, int rc, const char *where, size_t i) {
    if (rc == -1) jl_fail(c, "out of memory");
    else if (rc == -2) jl_fail(c, "%s[%zu]: names a file the report does not have", where, i);
}

/* A list of [record, score] pairs into the aggregate's list id. */
static void read_list(jctx *c, agg *a, json_t *m, const char *w, const loaded_rec *recs, size_t nrecs,
                      agg_list_id id) {
    if (c->failed) return;
    if (!json_is_array(m)) {
        jl_fail(c, "%s: expected an array of [record, score]", w);
        return;
    }
    for (size_t i = 0; !c->failed && i < json_array_size(m); i++) {
        uint64_t score;
        const loaded_rec *r = record_at(c, m, i, w, w, recs, nrecs, &score);
        if (!r) return;
        check_added(c, agg_part_key(a, id, score, r->seq, r->file, &r->r), w, i);
    }
}

/* merge.near_groups: the near_encoding_limit groups and their worst keys */
static void read_near_groups(jctx *c, report_doc *d, agg *a, json_t *merge, const loaded_rec *recs, size_t nrecs) {
    json_t *arr = jl_get_arr(c, merge, "merge", "near_groups");
    for (size_t i = 0; !c->failed && i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        char w[64];
        snprintf(w, sizeof w, "merge.near_groups[%zu]", i);
        agg_near_group g;
        memset(&g, 0, sizeof g);
        uint64_t file = jl_get_u64(c, o, w, "file");
        int k = jl_kind_of(c, jl_get_str(c, o, w, "type", false), w);
        g.type = k < 0 ? RDB_KIND_STRING : (rdb_kind)k;
        g.nl.config = jl_get_str(c, o, w, "config", false);
        g.nl.limit = jl_get_u64(c, o, w, "limit");
        g.nl.target = jl_get_str(c, o, w, "target", false);
        uint64_t pe = jl_get_u64(c, o, w, "per_element");
        g.nl.per_element = (unsigned)(pe > UINT32_MAX ? UINT32_MAX : pe);
        g.other = jl_get_bool(c, o, w, "other");
        size_t sl = 0;
        uint8_t *seg = jl_get_bytes(c, d, o, w, "segment", &sl);
        if (!c->failed && sl > sizeof g.segment) jl_fail(c, "%s.segment: longer than %zu bytes", w, sizeof g.segment);
        if (seg && !c->failed) memcpy(g.segment, seg, sl);
        g.segment_len = sl;
        g.segment_cut = jl_get_bool(c, o, w, "segment_cut");
        g.keys = jl_get_u64(c, o, w, "keys");
        g.bytes = jl_get_u64(c, o, w, "bytes");
        g.saving = jl_get_u64(c, o, w, "saving");
        g.min_elements = jl_get_u64(c, o, w, "min_elements");
        g.max_elements = jl_get_u64(c, o, w, "max_elements");
        g.model = jl_get_bool(c, o, w, "model");
        json_t *worst = jl_get_arr(c, o, w, "worst");
        if (c->failed) return;
        g.file = (uint32_t)(file > UINT32_MAX ? UINT32_MAX : file);
        long gi = agg_part_near_group(a, &g);
        if (gi == -1) jl_fail(c, "out of memory");
        else if (gi < 0) jl_fail(c, "%s.file: the report has no file %llu", w, (unsigned long long)file);
        char ww[80];
        snprintf(ww, sizeof ww, "%s.worst", w);
        for (size_t j = 0; !c->failed && j < json_array_size(worst); j++) {
            uint64_t score;
            const loaded_rec *r = record_at(c, worst, j, ww, w, recs, nrecs, &score);
            if (!r) break;
            check_added(c, agg_part_near_key(a, gi, score, r->seq, r->file, &r->r), ww, j);
        }
    }
}

/* merge.access: keys by idle time and by LFU frequency, and the cold keys */
static void read_access(jctx *c, agg *a, json_t *merge, const loaded_rec *recs, size_t nrecs) {
    json_t *acc = jl_get_obj(c, merge, "merge", "access", false);
    if (!acc || c->failed) return;
    agg_access x;
    memset(&x, 0, sizeof x);
    x.keys_idle = jl_get_u64(c, acc, "merge.access", "keys_idle");
    x.keys_freq = jl_get_u64(c, acc, "merge.access", "keys_freq");
    const char *names[2] = {"idle", "freq"};
    unsigned counts[2] = {AGG_IDLE_COUNT_, AGG_FREQ_COUNT_};
    agg_ttl_row *rows[2] = {x.idle, x.freq};
    for (int r = 0; r < 2 && !c->failed; r++) {
        json_t *arr = jl_get_arr(c, acc, "merge.access", names[r]);
        char wr[64];
        snprintf(wr, sizeof wr, "merge.access.%s", names[r]);
        if (!c->failed && json_array_size(arr) != counts[r]) jl_fail(c, "%s: expected %u rows", wr, counts[r]);
        for (unsigned b = 0; !c->failed && b < counts[r]; b++)
            jl_pair_at(c, arr, b, wr, "[keys, bytes]", wr, &rows[r][b].keys, &rows[r][b].bytes);
    }
    if (!c->failed) agg_part_access(a, &x);
    read_list(c, a, jl_get_arr(c, acc, "merge.access", "cold"), "merge.access.cold", recs, nrecs,
              (agg_list_id){AGG_LIST_COLD, 0});
}

void jl_read_lists_v2(jctx *c, report_doc *d, agg *a, json_t *merge, size_t nfiles) {
    json_t *arr = jl_get_arr(c, merge, "merge", "records");
    if (c->failed) return;
    size_t n = json_array_size(arr);
    loaded_rec *recs = calloc(n ? n : 1, sizeof *recs);
    if (!recs) {
        jl_fail(c, "out of memory");
        return;
    }
    for (size_t i = 0; !c->failed && i < n; i++) {
        char w[64];
        snprintf(w, sizeof w, "merge.records[%zu]", i);
        json_t *o = json_array_get(arr, i);
        read_record(c, d, a, o, w, true, &recs[i].r, recs[i].module);
        if (recs[i].r.module_name) recs[i].r.module_name = recs[i].module;
        recs[i].seq = jl_get_u64(c, o, w, "seq");
        uint64_t f = jl_get_u64(c, o, w, "file");
        if (!c->failed && f >= nfiles) jl_fail(c, "%s.file: %llu, the report has %zu files", w, (unsigned long long)f, nfiles);
        recs[i].file = (uint32_t)f;
    }
    json_t *lists = jl_get_obj(c, merge, "merge", "lists", false);
    const char *w = "merge.lists";
    read_list(c, a, jl_get_arr(c, lists, w, "by_bytes"), "merge.lists.by_bytes", recs, n, (agg_list_id){AGG_LIST_BYTES, 0});
    read_list(c, a, jl_get_arr(c, lists, w, "by_elements"), "merge.lists.by_elements", recs, n,
              (agg_list_id){AGG_LIST_ELEMENTS, 0});
    json_t *bt = jl_get_obj(c, lists, w, "by_type", false);
    const char *tn;
    json_t *tv;
    if (bt && !c->failed) {
        json_object_foreach(bt, tn, tv) {
            int k = jl_kind_of(c, tn, "merge.lists.by_type");
            if (k < 0) break;
            char wt[96];
            snprintf(wt, sizeof wt, "merge.lists.by_type.%s", tn);
            read_list(c, a, jl_get_arr(c, tv, wt, "by_bytes"), wt, recs, n, (agg_list_id){AGG_LIST_TYPE_BYTES, (unsigned)k});
            read_list(c, a, jl_get_arr(c, tv, wt, "by_elements"), wt, recs, n,
                      (agg_list_id){AGG_LIST_TYPE_ELEMENTS, (unsigned)k});
        }
    }
    json_t *fd = jl_get_obj(c, lists, w, "findings", false);
    for (unsigned k = 0; !c->failed && k < AGG_FK_COUNT_; k++) {
        const char *name = agg_find_kind_name(k);
        char wf[96];
        snprintf(wf, sizeof wf, "merge.lists.findings.%s", name);
        json_t *fk = jl_get_obj(c, fd, "merge.lists.findings", name, false);
        uint64_t keys = jl_get_u64(c, fk, wf, "keys"), bytes = jl_get_u64(c, fk, wf, "bytes");
        if (c->failed) break;
        agg_part_finding(a, k, keys, bytes);
        read_list(c, a, jl_get_arr(c, fk, wf, "worst"), wf, recs, n, (agg_list_id){AGG_LIST_FINDING, k});
    }
    read_near_groups(c, d, a, merge, recs, n);
    read_access(c, a, merge, recs, n);
    free(recs);
}

/* Schema 1: the KEY lists of top_keys, in their order (what diff needs). */
void jl_read_lists_v1(jctx *c, report_doc *d, agg *a) {
    json_t *tk = jl_get_obj(c, d->root, "report", "top_keys", false);
    json_t *l = jl_get_arr(c, tk, "top_keys", "by_bytes");
    for (size_t i = 0; !c->failed && i < json_array_size(l); i++) {
        char w[64], module[10] = {0};
        snprintf(w, sizeof w, "top_keys.by_bytes[%zu]", i);
        key_record r;
        read_record(c, d, a, json_array_get(l, i), w, false, &r, module);
        if (c->failed) break;
        if (agg_part_key(a, (agg_list_id){AGG_LIST_BYTES, 0}, r.has_bytes ? r.bytes : 0, i, 0, &r) == -1)
            jl_fail(c, "out of memory");
    }
}

