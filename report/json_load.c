/* json_load.c: a saved JSON report into an aggregate (json_load.h).
 *
 * This file reads the file (through a 1 GiB cap, duplicate keys refused),
 * checks its schema_version, reads source.files (each dump's header, aux
 * fields, memory, hints, status and totals) and, in report_doc_absorb, adds
 * the whole report to an aggregate as one part: the sections
 * (json_load_sections.c) and the key lists (json_load_keys.c) in the order
 * the aggregate takes them. Values are fetched with the typed getters of
 * json_get.c (json_load_int.h says how errors work).
 */
#include "report/json_load_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading -------------------------------------------------------------- */

typedef struct capped {
    FILE *f;
    uint64_t total;
    bool over;
} capped;

static size_t read_capped(void *buf, size_t len, void *arg) {
    capped *c = arg;
    size_t n = fread(buf, 1, len, c->f);
    c->total += n;
    if (c->total > REPORT_LOAD_MAX_BYTES) {
        c->over = true;
        return (size_t)-1;
    }
    if (n == 0 && ferror(c->f)) return (size_t)-1;
    return n;
}

/* Checks the parsed document's top level and makes the report_doc. */
static int make_doc(jctx *c, const char *path, json_t *root, report_doc **out) {
    if (!json_is_object(root)) {
        jl_fail(c, "not a JSON report: expected an object at the top level");
        json_decref(root);
        return -1;
    }
    json_t *v = json_object_get(root, "schema_version");
    if (!v || !json_is_integer(v)) {
        jl_fail(c, "not an rdblens JSON report: no integer schema_version (rdblens report --format json writes one)");
        json_decref(root);
        return -1;
    }
    json_int_t sv = json_integer_value(v);
    if (sv < 1 || sv > 2) {
        jl_fail(c, "schema_version %lld is not one this rdblens reads (1 and 2)%s", (long long)sv,
                sv > 2 ? "; it was written by a newer rdblens" : "");
        json_decref(root);
        return -1;
    }
    report_doc *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        json_decref(root);
        jl_fail(c, "out of memory");
        return -1;
    }
    d->root = root;
    d->schema = (int)sv;
    *out = d;
    return 0;
}

static void parse_error(jctx *c, const json_error_t *je, uint64_t total) {
    if (total == 0) jl_fail(c, "empty file: not a JSON report");
    else if (json_error_code(je) == json_error_premature_end_of_input)
        jl_fail(c, "truncated JSON: input ends at byte %d (line %d) before the report does", je->position, je->line);
    else jl_fail(c, "not valid JSON at line %d, column %d: %s", je->line, je->column, je->text);
}

int report_doc_load(const char *path, report_doc **out, char *err, size_t cap) {
    *out = NULL;
    jctx c = {path, err, cap, false};
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        jl_fail(&c, "%s", strerror(errno));
        return -1;
    }
    capped cp = {f, 0, false};
    json_error_t je;
    json_t *root = json_load_callback(read_capped, &cp, JSON_REJECT_DUPLICATES, &je);
    bool read_error = ferror(f);
    if (f != stdin) fclose(f);
    if (!root) {
        if (cp.over) jl_fail(&c, "larger than %llu bytes: not a report", (unsigned long long)REPORT_LOAD_MAX_BYTES);
        else if (read_error) jl_fail(&c, "read error");
        else parse_error(&c, &je, cp.total);
        return -1;
    }
    return make_doc(&c, path, root, out);
}

int report_doc_parse(const char *name, const void *buf, size_t len, report_doc **out, char *err, size_t cap) {
    *out = NULL;
    jctx c = {name, err, cap, false};
    if (len > REPORT_LOAD_MAX_BYTES) {
        jl_fail(&c, "larger than %llu bytes: not a report", (unsigned long long)REPORT_LOAD_MAX_BYTES);
        return -1;
    }
    json_error_t je;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        parse_error(&c, &je, len);
        return -1;
    }
    return make_doc(&c, name, root, out);
}

void report_doc_free(report_doc *d) {
    if (!d) return;
    json_decref(d->root);
    slotmap_free(&d->layout);
    for (size_t i = 0; i < d->ntexts; i++) free(d->texts[i]);
    free(d->texts);
    free(d->path);
    free(d);
}

int report_doc_schema(const report_doc *d) { return d->schema; }
bool report_doc_exact(const report_doc *d) { return d->schema >= 2; }

const char *report_doc_profile(const report_doc *d) {
    json_t *src = json_object_get(d->root, "source");
    json_t *p = src ? json_object_get(src, "profile") : NULL;
    return json_is_string(p) ? json_string_value(p) : NULL;
}

/* ---- source.files ---------------------------------------------------------- */

static const char *const CHECKSUMS[] = {"ok", "mismatch", "disabled", "absent"};
static const rdb_checksum_status CHECKSUM_VALUES[] = {RDB_CHECKSUM_OK, RDB_CHECKSUM_MISMATCH,
                                                      RDB_CHECKSUM_DISABLED, RDB_CHECKSUM_ABSENT};

static void read_aof(jctx *c, json_t *f, const char *w, agg_aof *x) {
    json_t *a = jl_get_obj(c, f, w, "aof", true);
    memset(x, 0, sizeof *x);
    if (!a) return;
    char wa[160];
    snprintf(wa, sizeof wa, "%s.aof", w);
    x->present = true;
    x->tail_bytes = jl_get_u64(c, a, wa, "tail_bytes");
    x->tail_commands = jl_get_u64_opt(c, a, wa, "tail_commands", &x->tail_commands_known);
    x->incr_files = jl_get_u64(c, a, wa, "incremental_files");
    x->incr_bytes = jl_get_u64(c, a, wa, "incremental_bytes");
    x->incr_commands = jl_get_u64_opt(c, a, wa, "incremental_commands", &x->incr_commands_known);
}

/* One source.files[i] into f (pointers owned by d, copied by agg_part_file). */
static void read_file(jctx *c, report_doc *d, json_t *fo, json_t *state, size_t i, agg_file *f,
                      agg_aux *aux) {
    char w[64];
    snprintf(w, sizeof w, "source.files[%zu]", i);
    memset(f, 0, sizeof *f);
    size_t n;
    f->path = (char *)jl_get_bytes(c, d, fo, w, "path", &n);
    f->size = jl_get_u64(c, fo, w, "size");
    /* absent in reports written before compressed inputs: a plain file */
    const char *comp = json_object_get(fo, "compression") ? jl_get_str(c, fo, w, "compression", true) : NULL;
    if (comp && (!comp[0] || strlen(comp) >= sizeof f->compression))
        jl_fail(c, "%s.compression: unknown value \"%s\"", w, comp);
    else if (comp) memcpy(f->compression, comp, strlen(comp) + 1);
    json_t *magic = jl_get(c, fo, w, "magic", JSON_STRING, true);
    if (magic) {
        char wm[80];
        snprintf(wm, sizeof wm, "%s.magic", w);
        uint8_t *m = jl_unprintable(c, d, magic, wm, &n);
        if (m && n >= sizeof f->magic) jl_fail(c, "%s: longer than 9 bytes", wm);
        else if (m) memcpy(f->magic, m, n);
        f->have_header = true;
    }
    bool has;
    f->rdb_version = (unsigned)jl_get_u64_opt(c, fo, w, "rdb_version", &has);
    json_t *ax = jl_get_obj(c, fo, w, "aux", false);
    if (ax && json_object_size(ax) > AGG_MAX_AUX) jl_fail(c, "%s.aux: more than %d fields", w, AGG_MAX_AUX);
    const char *k;
    json_t *v;
    if (ax && !c->failed) {
        json_object_foreach(ax, k, v) {
            char wk[80];
            snprintf(wk, sizeof wk, "%s.aux", w);
            json_t *ks = json_string(k);
            if (!ks) {
                jl_fail(c, "out of memory");
                break;
            }
            agg_aux *x = &aux[f->naux];
            x->key = jl_unprintable(c, d, ks, wk, &x->key_len);
            json_decref(ks);
            x->val = jl_unprintable(c, d, v, wk, &x->val_len);
            if (c->failed) break;
            if (x->val_len > AGG_MAX_AUX_VALUE) x->val_len = AGG_MAX_AUX_VALUE;
            f->naux++;
        }
        f->aux = aux;
    }
    f->functions = jl_get_u64(c, fo, w, "functions");
    if (jl_has_v2(d, fo, "profile")) {
        const char *prof = jl_get_str(c, fo, w, "profile", true);
        if (prof && strlen(prof) >= sizeof f->profile) jl_fail(c, "%s.profile: too long", w);
        else if (prof) strcpy(f->profile, prof);
        f->profile_basis = jl_get_str(c, fo, w, "profile_basis", true);
    }
    json_t *mem = jl_has_v2(d, fo, "memory") ? jl_get_obj(c, fo, w, "memory", true) : NULL;
    if (mem) {
        char wm[80];
        snprintf(wm, sizeof wm, "%s.memory", w);
        agg_memory *m = &f->memory;
        m->present = true;
        m->used_memory = jl_get_u64(c, mem, wm, "used_memory");
        m->startup = jl_get_u64(c, mem, wm, "startup");
        m->keys = jl_get_u64(c, mem, wm, "keys");
        m->tables = jl_get_u64(c, mem, wm, "tables");
        m->functions = jl_get_u64(c, mem, wm, "functions");
        m->modules = jl_get_u64(c, mem, wm, "modules");
        m->templates = jl_get_u64(c, mem, wm, "templates");
        m->memory_usage = jl_get_u64(c, mem, wm, "memory_usage");
        m->keys_loaded = jl_get_u64(c, mem, wm, "keys_loaded");
        m->keys_not_loaded = jl_get_u64(c, mem, wm, "keys_not_loaded");
        m->bytes_not_loaded = jl_get_u64(c, mem, wm, "bytes_not_loaded");
    }
    json_t *hints = jl_has_v2(d, fo, "config_hints") ? jl_get_arr(c, fo, w, "config_hints") : NULL;
    if (hints && json_array_size(hints) > AGG_MAX_HINTS) jl_fail(c, "%s.config_hints: more than %d", w, AGG_MAX_HINTS);
    for (size_t hi = 0; !c->failed && hints && hi < json_array_size(hints); hi++) {
        json_t *h = json_array_get(hints, hi);
        char wh[128];
        snprintf(wh, sizeof wh, "%s.config_hints[%zu]", w, hi);
        agg_hint *x = &f->hints[f->nhints];
        x->directive = jl_get_str(c, h, wh, "directive", true);
        x->value = jl_get_u64(c, h, wh, "value");
        x->keys = jl_get_u64(c, h, wh, "keys");
        x->saving = jl_get_u64(c, h, wh, "saving_bytes");
        x->sign = jl_get_str(c, h, wh, "sign", true);
        if (!c->failed) f->nhints++;
    }
    const char *cs = jl_get_str(c, fo, w, "checksum", true);
    if (cs) {
        f->have_checksum = true;
        size_t j = 0;
        while (j < 4 && strcmp(cs, CHECKSUMS[j])) j++;
        if (j == 4) jl_fail(c, "%s.checksum: unknown value \"%s\"", w, cs);
        else f->checksum = CHECKSUM_VALUES[j];
    }
    const char *st = jl_get_str(c, fo, w, "status", true);
    if (st) {
        f->have_result = true;
        if (!strcmp(st, "complete")) f->complete = true;
        else if (!strcmp(st, "unreadable")) f->unreadable = true;
        else if (strcmp(st, "truncated")) jl_fail(c, "%s.status: unknown value \"%s\"", w, st);
    }
    f->rdb_bytes = jl_get_u64(c, fo, w, "rdb_bytes");
    read_aof(c, fo, w, &f->aof);
    json_t *e = jl_get_obj(c, fo, w, "error", true);
    if (e) {
        char we[80];
        snprintf(we, sizeof we, "%s.error", w);
        f->error_offset = jl_get_u64(c, e, we, "offset");
        f->error_code = jl_get_str(c, e, we, "code", true);
        uint8_t *msg = jl_get_bytes(c, d, e, we, "message", &n);
        if (msg) snprintf(f->error_message, sizeof f->error_message, "%s", (const char *)msg);
    }
    f->reference_ms = jl_get_i64(c, fo, w, "reference_time_ms");
    f->reference_basis = jl_get_str(c, fo, w, "reference_basis", false);
    json_t *t = jl_get_obj(c, fo, w, "totals", false);
    char wt[80];
    snprintf(wt, sizeof wt, "%s.totals", w);
    jl_read_totals(c, d, t, wt, &f->totals);
    f->mtime_ms = -1;
    if (state) {
        char ws[64];
        snprintf(ws, sizeof ws, "merge.files[%zu]", i);
        json_t *l = jl_get_obj(c, state, ws, "enc_limits", true);
        if (l) {
            char wl[80];
            snprintf(wl, sizeof wl, "%s.enc_limits", ws);
            jl_get_limits(c, l, wl, &f->enc_limits);
            f->has_enc_limits = true;
        }
    }
}

static void read_files(jctx *c, report_doc *d, agg *a, json_t *merge) {
    json_t *src = jl_get_obj(c, d->root, "report", "source", false);
    json_t *files = jl_get_arr(c, src, "source", "files");
    json_t *states = merge ? jl_get_arr(c, merge, "merge", "files") : NULL;
    if (c->failed) return;
    if (states && json_array_size(states) != json_array_size(files))
        jl_fail(c, "merge.files: %zu entries for %zu source files", json_array_size(states), json_array_size(files));
    agg_aux *aux = calloc(AGG_MAX_AUX, sizeof *aux);
    if (!aux) jl_fail(c, "out of memory");
    for (size_t i = 0; !c->failed && i < json_array_size(files); i++) {
        agg_file f;
        read_file(c, d, json_array_get(files, i), states ? json_array_get(states, i) : NULL, i, &f, aux);
        if (!c->failed && agg_part_file(a, &f) < 0) jl_fail(c, "out of memory");
    }
    free(aux);
}

/* ---- the whole report ------------------------------------------------------ */

int report_doc_absorb(const report_doc *dc, agg *a, char *err, size_t cap) {
    report_doc *d = (report_doc *)dc;
    jctx c = {d->path, err, cap, false};
    json_t *merge = NULL;
    if (d->schema >= 2) merge = jl_get_obj(&c, d->root, "report", "merge", false);
    if (c.failed) return -1;
    json_t *partial = jl_get(&c, d->root, "report", "partial", JSON_TRUE, false);
    uint64_t seen = merge ? jl_get_u64(&c, merge, "merge", "keys_seen") : 0;
    uint64_t filtered = 0;
    json_t *src = jl_get_obj(&c, d->root, "report", "source", false);
    json_t *fl = jl_get_obj(&c, src, "source", "filters", false);
    filtered = jl_get_u64(&c, fl, "source.filters", "keys_filtered_out");
    if (c.failed) return -1;

    agg_part_begin(a);
    size_t nfiles_before = 0;
    read_files(&c, d, a, merge);
    json_t *files = json_object_get(src, "files");
    nfiles_before = json_array_size(files);
    agg_totals t;
    memset(&t, 0, sizeof t);
    jl_read_totals(&c, d, jl_get_obj(&c, d->root, "report", "totals", false), "totals", &t);
    if (!c.failed) agg_part_totals(a, &t);
    if (!merge && !c.failed) seen = t.keys;
    jl_read_dbs(&c, d, a);
    jl_read_types(&c, d, a, merge);
    jl_read_encodings(&c, d, a);
    jl_read_ttl(&c, d, a);
    if (merge) {
        jl_read_lists_v2(&c, d, a, merge, nfiles_before);
        jl_read_modules(&c, a, merge);
        jl_read_cluster(&c, d, a, merge);
    } else {
        jl_read_lists_v1(&c, d, a);
    }
    jl_read_prefixes(&c, d, a, merge);
    if (!c.failed && seen < t.keys)
        jl_fail(&c, "merge.keys_seen: %llu, fewer than the %llu keys of the totals", (unsigned long long)seen,
                (unsigned long long)t.keys);
    if (c.failed) return -1;
    agg_part_end(a, seen, filtered, partial && json_is_true(partial));
    return 0;
}
