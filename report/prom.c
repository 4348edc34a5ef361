/* prom.c: the report as Prometheus text exposition (version 0.0.4), for
 * node_exporter's textfile collector (--collector.textfile.directory):
 * cron writes `rdblens report --format prom -o dir/redis.prom`, which -o
 * writes to a temporary file and renames, so the collector never reads a
 * half-written file.
 *
 * Names follow redis_exporter's habits: an rdblens_ prefix, _bytes for
 * sizes, a db label. Every series is a gauge. The db x type series sum to
 * the JSON report's totals.keys / totals.bytes; per-file series carry a
 * file label (the path as given), so several dumps in one report stay
 * apart and rdblens_predicted_used_memory_bytes sums to
 * totals.predicted_used_memory. Prefix series: the `rows` depth-1 prefixes
 * with the most bytes and one prefix="(other)" series holding the rest, so
 * the label's cardinality is bounded whatever the keyspace, and the series
 * still sum to the totals.
 *
 * Label values come from the dump (key prefixes, paths): they are written
 * in rdblens' printable form (valid UTF-8 as is, other bytes as \xHH), then
 * escaped as the format wants (backslash and double quote), so a value is
 * always valid UTF-8 and can never end the label or the line. */
#include "report/prom.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/keyfmt.h"

void prom_label_value(FILE *out, const uint8_t *p, size_t n) {
    static const char hexdig[] = "0123456789abcdef";
    for (size_t i = 0; i < n;) {
        uint8_t c = p[i];
        if (c == '\\') {
            fputs("\\\\\\\\", out);   /* printable "\\", then each escaped */
            i++;
        } else if (c == '"') {
            fputs("\\\"", out);
            i++;
        } else if (c >= 0x20 && c < 0x7f) {
            fputc(c, out);
            i++;
        } else if (c >= 0x80 && keyfmt_utf8_len(p + i, n - i)) {
            size_t m = keyfmt_utf8_len(p + i, n - i);
            fwrite(p + i, 1, m, out);
            i += m;
        } else {
            fprintf(out, "\\\\x%c%c", hexdig[c >> 4], hexdig[c & 15]);
            i++;
        }
    }
}

static void head(FILE *out, const char *name, const char *help) {
    fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void file_label(FILE *out, const agg_file *f) {
    fputs("file=\"", out);
    prom_label_value(out, (const uint8_t *)f->path, strlen(f->path));
    fputc('"', out);
}

static void per_file(FILE *out, const agg_summary *s, const char *name, const char *help,
                     bool (*value)(const agg_file *, uint64_t *)) {
    bool any = false;
    for (size_t i = 0; i < s->nfiles; i++) {
        uint64_t v;
        if (!value(&s->files[i], &v)) continue;
        if (!any) head(out, name, help);
        any = true;
        fprintf(out, "%s{", name);
        file_label(out, &s->files[i]);
        fprintf(out, "} %" PRIu64 "\n", v);
    }
}

static bool v_size(const agg_file *f, uint64_t *v) { *v = f->size; return true; }
static bool v_version(const agg_file *f, uint64_t *v) { *v = f->rdb_version; return f->have_header; }
static bool v_complete(const agg_file *f, uint64_t *v) { *v = f->have_result && f->complete; return true; }
static bool v_keys(const agg_file *f, uint64_t *v) { *v = f->totals.keys; return true; }
static bool v_bytes(const agg_file *f, uint64_t *v) { *v = f->totals.bytes; return true; }
static bool v_expired(const agg_file *f, uint64_t *v) { *v = f->totals.keys_expired; return true; }
static bool v_used(const agg_file *f, uint64_t *v) {
    *v = f->totals.predicted_used_memory;
    return f->totals.has_predicted_used_memory;
}
static bool v_ctime(const agg_file *f, uint64_t *v) {
    for (size_t i = 0; i < f->naux; i++) {
        const agg_aux *x = &f->aux[i];
        if (x->key_len != 5 || memcmp(x->key, "ctime", 5) || x->val_len == 0 || x->val_len > 19) continue;
        uint64_t n = 0;
        for (size_t j = 0; j < x->val_len; j++) {
            if (x->val[j] < '0' || x->val[j] > '9') return false;
            n = n * 10 + (x->val[j] - '0');
        }
        *v = n;
        return true;
    }
    return false;
}

static const char *checksum_state(const agg_file *f) {
    if (!f->have_checksum) return "unknown";
    switch (f->checksum) {
    case RDB_CHECKSUM_OK: return "ok";
    case RDB_CHECKSUM_MISMATCH: return "mismatch";
    case RDB_CHECKSUM_DISABLED: return "disabled";
    default: return "absent";
    }
}

/* db x type series; which: 0 keys, 1 bytes, 2 keys without TTL */
static void db_type(FILE *out, const agg_summary *s, const char *name, const char *help, int which) {
    head(out, name, help);
    for (size_t i = 0; i < s->ndbs; i++) {
        const agg_db_row *d = &s->dbs[i];
        for (unsigned t = 0; t < RDB_KIND_COUNT_; t++) {
            if (!d->type_keys[t]) continue;
            uint64_t v = which == 0 ? d->type_keys[t] : which == 1 ? d->type_bytes[t] : d->type_keys_no_ttl[t];
            fprintf(out, "%s{db=\"%" PRIu64 "\",type=\"%s\"} %" PRIu64 "\n", name, d->db,
                    rdb_kind_name((rdb_kind)t), v);
        }
    }
}

static int heavier(const void *a, const void *b) {
    const agg_prefix_row *x = *(const agg_prefix_row *const *)a, *y = *(const agg_prefix_row *const *)b;
    if (x->bytes != y->bytes) return x->bytes > y->bytes ? -1 : 1;
    if (x->keys != y->keys) return x->keys > y->keys ? -1 : 1;
    size_t m = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = memcmp(x->name, y->name, m);
    return c ? c : x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

/* The `rows` heaviest depth-1 prefixes and "(other)" for the rest. A real
 * prefix spelled "(other)" goes into "(other)" too, so no series repeats. */
static void prefixes(FILE *out, const agg_summary *s, size_t rows) {
    const agg_prefix *p = s->prefix_table;
    size_t live = p ? agg_prefix_nodes(p) : 0, n = 0;
    const agg_prefix_row **v = malloc((live ? live : 1) * sizeof *v);
    if (v) {
        for (size_t i = 0; i < live; i++) {
            const agg_prefix_row *r = agg_prefix_node(p, i);
            if (r->depth == 1 && !(r->name_len == 7 && !memcmp(r->name, "(other)", 7))) v[n++] = r;
        }
        if (n > 1) qsort(v, n, sizeof *v, heavier);
    }
    if (n > rows) n = rows;
    uint64_t keys = 0, bytes = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *name = pass ? "rdblens_prefix_keys" : "rdblens_prefix_memory_bytes";
        head(out, name, pass ? "Keys under a top-level key prefix; the rest in prefix=\"(other)\"."
                             : "Predicted MEMORY USAGE under a top-level key prefix (ids folded to *); "
                               "the rest in prefix=\"(other)\".");
        keys = bytes = 0;
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%s{prefix=\"", name);
            prom_label_value(out, v[i]->name, v[i]->name_len);
            fprintf(out, "\"} %" PRIu64 "\n", pass ? v[i]->keys : v[i]->bytes);
            keys += v[i]->keys;
            bytes += v[i]->bytes;
        }
        uint64_t rk = s->totals.keys > keys ? s->totals.keys - keys : 0;
        uint64_t rb = s->totals.bytes > bytes ? s->totals.bytes - bytes : 0;
        fprintf(out, "%s{prefix=\"(other)\"} %" PRIu64 "\n", name, pass ? rk : rb);
    }
    free(v);
}

void report_prom(FILE *out, const agg_summary *s, const report_options *o) {
    size_t rows = o && o->rows && o->rows != SIZE_MAX ? o->rows : 20;
    db_type(out, s, "rdblens_keys", "Keys by database and type (after rdblens filters).", 0);
    db_type(out, s, "rdblens_memory_bytes",
            "Predicted MEMORY USAGE of the keys by database and type, on the target server after it "
            "loads the dump.", 1);
    db_type(out, s, "rdblens_keys_without_ttl", "Keys without an expiry by database and type.", 2);
    per_file(out, s, "rdblens_predicted_used_memory_bytes",
             "Predicted INFO used_memory of a fresh server of the target profile after loading the dump.",
             v_used);
    prefixes(out, s, rows);
    per_file(out, s, "rdblens_dump_keys", "Keys in the dump (after rdblens filters).", v_keys);
    per_file(out, s, "rdblens_dump_memory_bytes", "Predicted MEMORY USAGE of the dump's keys.", v_bytes);
    per_file(out, s, "rdblens_dump_expired_keys", "Keys already expired at the reference time (dropped on load).",
             v_expired);
    per_file(out, s, "rdblens_dump_size_bytes", "Size of the dump file.", v_size);
    per_file(out, s, "rdblens_dump_ctime_seconds", "The dump's ctime aux field: when it was written (Unix time).",
             v_ctime);
    per_file(out, s, "rdblens_dump_rdb_version", "RDB format version of the dump.", v_version);
    per_file(out, s, "rdblens_dump_complete", "1 when the dump was read to its end without error, else 0.",
             v_complete);
    head(out, "rdblens_dump_checksum", "The dump's CRC-64 check: 1 for its status (ok, mismatch, disabled, "
                                       "absent, unknown).");
    static const char *const states[] = {"ok", "mismatch", "disabled", "absent", "unknown"};
    for (size_t i = 0; i < s->nfiles; i++) {
        const char *st = checksum_state(&s->files[i]);
        for (int k = 0; k < 5; k++) {
            fputs("rdblens_dump_checksum{", out);
            file_label(out, &s->files[i]);
            fprintf(out, ",status=\"%s\"} %d\n", states[k], strcmp(st, states[k]) == 0);
        }
    }
    /* findings listed, by kind and severity ("more" rows are counts, not findings) */
    head(out, "rdblens_findings", "Findings the report lists, by kind and severity.");
    /* each (kind, severity) pair in the order the list first shows it */
    for (size_t i = 0; i < s->nfindings; i++) {
        const agg_finding *f = &s->findings[i];
        if (f->subject_kind == AGG_SUBJECT_MORE) continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = s->findings[j].subject_kind != AGG_SUBJECT_MORE && !strcmp(s->findings[j].kind, f->kind) &&
                   !strcmp(s->findings[j].severity, f->severity);
        if (seen) continue;
        uint64_t n = 0;
        for (size_t j = i; j < s->nfindings; j++)
            if (s->findings[j].subject_kind != AGG_SUBJECT_MORE && !strcmp(s->findings[j].kind, f->kind) &&
                !strcmp(s->findings[j].severity, f->severity))
                n++;
        fprintf(out, "rdblens_findings{kind=\"%s\",severity=\"%s\"} %" PRIu64 "\n", f->kind, f->severity, n);
    }
    head(out, "rdblens_finding_keys", "Keys matching a per-key finding kind, listed or not.");
    for (unsigned k = 0; k < AGG_FK_COUNT_; k++)
        fprintf(out, "rdblens_finding_keys{kind=\"%s\"} %" PRIu64 "\n", agg_find_kind_name(k), s->find_kind[k].keys);
    if (s->has_reference) {
        head(out, "rdblens_reference_time_seconds", "Time the TTLs were judged against (Unix time).");
        fprintf(out, "rdblens_reference_time_seconds %" PRId64 "\n", s->reference_ms / 1000);
    }
}
