/* evlog.c: see evlog.h. Test support only. */
#include "tests/support/evlog.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(evlog *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(evlog *l, const char *fmt, ...) {
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    size_t m = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1;
    if (l->len + m + 1 > l->cap) {
        l->cap = (l->len + m + 1) * 2;
        l->text = realloc(l->text, l->cap);
    }
    memcpy(l->text + l->len, tmp, m);
    l->len += m;
    l->text[l->len] = '\0';
}

/* Printable bytes as they are, others as \xHH; at most 120 shown. */
static const char *show(const uint8_t *p, size_t n, char *buf, size_t cap) {
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        if (i == 120) {
            o += (size_t)snprintf(buf + o, cap - o, "...(%zu)", n);
            break;
        }
        uint8_t c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') buf[o++] = (char)c;
        else o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
    }
    buf[o] = '\0';
    return buf;
}

static const char *item(const rdb_item *it, char *buf, size_t cap) {
    if (it->is_int) {
        snprintf(buf, cap, "%" PRId64, it->ival);
        return buf;
    }
    return show(it->ptr, it->len, buf, cap);
}

static int on_header(void *c, const rdb_header *h) {
    put(c, "header %s v%u%s\n", h->magic, h->version, h->newer ? " newer" : "");
    return RDB_CONTINUE;
}
static int on_aux(void *c, rdb_bytes k, rdb_bytes v) {
    evlog *l = c;
    if (l->flags & EVLOG_NO_AUX) return RDB_CONTINUE;
    char a[512], b[512];
    put(l, "aux %s=%s\n", show(k.ptr, k.len, a, sizeof a), show(v.ptr, v.len, b, sizeof b));
    return RDB_CONTINUE;
}
static int on_select_db(void *c, uint64_t db) {
    put(c, "select %" PRIu64 "\n", db);
    return RDB_CONTINUE;
}
static int on_key_meta(void *c, const rdb_key_meta *m) {
    put(c, "key_meta %s v%u f%u bytes=%" PRIu64 "\n", m->name, m->version, m->flags, m->value_bytes);
    return RDB_CONTINUE;
}
static int on_hash_template(void *c, const rdb_hash_template *t) {
    put(c, "hash_template id=%" PRIu64 " fields=%" PRIu64 " bytes=%" PRIu64 "\n", t->id, t->fields,
        t->field_bytes);
    return RDB_CONTINUE;
}
static int on_slot_import(void *c, const rdb_slot_import *s) {
    char a[512];
    put(c, "slot_import %s ranges=%" PRIu64 " slots=%" PRIu64 "\n", show(s->job.ptr, s->job.len, a, sizeof a),
        s->ranges, s->slots);
    return RDB_CONTINUE;
}
static int on_update_command(void *c, const rdb_update_command *u) {
    char a[512];
    put(c, "update %s argc=%" PRIu64 " bytes=%" PRIu64 "\n", show(u->name.ptr, u->name.len, a, sizeof a),
        u->argc, u->bytes);
    return RDB_CONTINUE;
}
static int on_key_begin(void *c, const rdb_key *k) {
    evlog *l = c;
    char a[512];
    put(l, "begin db=%" PRIu64 " %s type=%u %s meta=%u", k->db, show(k->name, k->name_len, a, sizeof a),
        k->rdb_type, rdb_kind_name(k->kind), k->meta_classes);
    if (k->has_expire) put(l, " expire=%" PRId64, k->expire_ms);
    put(l, "\n");
    return (l->flags & EVLOG_SKIP_KEYS) ? RDB_SKIP : RDB_CONTINUE;
}
static int on_string(void *c, const rdb_key *k, const rdb_string_chunk *s) {
    char a[512];
    (void)k;
    put(c, "string %s\n", s->ptr ? show(s->ptr, s->len, a, sizeof a) : "(no content)");
    return RDB_CONTINUE;
}
static int on_container(void *c, const rdb_key *k, const rdb_container *ct) {
    static const char *const kinds[] = {"ziplist", "listpack", "intset", "zipmap", "plain", "stream_node"};
    (void)k;
    put(c, "container %s entries=%u\n", kinds[ct->kind], ct->entries);
    return RDB_CONTINUE;
}
static int on_entry(void *c, const rdb_key *k, const rdb_entry *e) {
    evlog *l = c;
    char a[512], b[512];
    switch (k->kind) {
    case RDB_KIND_ARRAY:
        put(l, "element [%" PRIu64 "] tag=%u %s\n", e->index, e->array_tag, item(&e->member, a, sizeof a));
        break;
    case RDB_KIND_HASH:
        put(l, "entry %s=%s", item(&e->member, a, sizeof a), item(&e->value, b, sizeof b));
        if (e->has_ttl) put(l, " ttl=%" PRId64, e->ttl_ms);
        put(l, "\n");
        break;
    case RDB_KIND_ZSET:
        put(l, "zmember %s score=%g\n", item(&e->member, a, sizeof a), e->score);
        break;
    case RDB_KIND_STREAM:
        if (l->flags & EVLOG_STREAM_ENTRIES)
            put(l, "field %s=%s\n", item(&e->member, a, sizeof a), item(&e->value, b, sizeof b));
        break;
    default:
        put(l, "member %s\n", item(&e->member, a, sizeof a));
        break;
    }
    return RDB_CONTINUE;
}
static int on_stream_entry(void *c, const rdb_key *k, const rdb_stream_entry *e) {
    evlog *l = c;
    (void)k;
    if (l->flags & EVLOG_STREAM_ENTRIES)
        put(l, "stream_entry %" PRIu64 "-%" PRIu64 "%s fields=%u\n", e->id.ms, e->id.seq,
            e->deleted ? " deleted" : "", e->num_fields);
    return RDB_CONTINUE;
}
static int on_stream_meta(void *c, const rdb_key *k, const rdb_stream_meta *m) {
    (void)k;
    put(c, "stream_meta length=%" PRIu64 " nodes=%" PRIu64 " last=%" PRIu64 "-%" PRIu64 " first=%" PRIu64
           "-%" PRIu64 " added=%" PRIu64 " groups=%" PRIu64 "\n",
        m->length, m->nodes, m->last_id.ms, m->last_id.seq, m->first_id.ms, m->first_id.seq,
        m->entries_added, m->num_groups);
    return RDB_CONTINUE;
}
static int on_stream_group(void *c, const rdb_key *k, const rdb_stream_group *g) {
    char a[512];
    (void)k;
    put(c, "group %s last=%" PRIu64 "-%" PRIu64 " read=%" PRIu64 " pel=%" PRIu64 " consumers=%" PRIu64 "\n",
        show(g->name.ptr, g->name.len, a, sizeof a), g->last_id.ms, g->last_id.seq, g->entries_read,
        g->pel_count, g->consumers);
    return RDB_CONTINUE;
}
static int on_stream_pel(void *c, const rdb_key *k, const rdb_stream_pel *p) {
    (void)k;
    put(c, "pel %" PRIu64 "-%" PRIu64 " sent=%" PRId64 " count=%" PRIu64 "\n", p->id.ms, p->id.seq,
        p->delivery_time_ms, p->delivery_count);
    return RDB_CONTINUE;
}
static int on_stream_consumer_pel(void *c, const rdb_key *k, const rdb_stream_id *id) {
    (void)k;
    put(c, "cpel %" PRIu64 "-%" PRIu64 "\n", id->ms, id->seq);
    return RDB_CONTINUE;
}
static int on_stream_consumer(void *c, const rdb_key *k, const rdb_stream_consumer *cs) {
    char a[512];
    (void)k;
    put(c, "consumer %s seen=%" PRId64 " active=%" PRId64 " pel=%" PRIu64 "\n",
        show(cs->name.ptr, cs->name.len, a, sizeof a), cs->seen_time_ms, cs->active_time_ms, cs->pel_count);
    return RDB_CONTINUE;
}
static int on_stream_nack_zone(void *c, const rdb_key *k, const rdb_stream_nack_zone *z) {
    char a[512];
    (void)k;
    put(c, "nack_zone %s count=%" PRIu64 "\n", show(z->group.ptr, z->group.len, a, sizeof a), z->count);
    return RDB_CONTINUE;
}
static int on_stream_nack(void *c, const rdb_key *k, const rdb_stream_id *id) {
    (void)k;
    put(c, "nack %" PRIu64 "-%" PRIu64 "\n", id->ms, id->seq);
    return RDB_CONTINUE;
}
static int on_stream_idmp(void *c, const rdb_key *k, const rdb_stream_idmp *m) {
    (void)k;
    put(c, "idmp duration=%" PRIu64 " max=%" PRIu64 " producers=%" PRIu64 " entries=%" PRIu64
           " pid_bytes=%" PRIu64 " iid_bytes=%" PRIu64 " added=%" PRIu64 " dups=%" PRIu64 "\n",
        m->duration_s, m->max_entries, m->producers, m->entries, m->pid_bytes, m->iid_bytes, m->iids_added,
        m->iids_duplicates);
    return RDB_CONTINUE;
}
static int on_array_meta(void *c, const rdb_key *k, const rdb_array_meta *m) {
    evlog *l = c;
    (void)k;
    put(l, "array_meta count=%" PRIu64, m->count);
    if (m->has_insert_idx) put(l, " insert=%" PRIu64, m->insert_idx);
    put(l, "\n");
    return RDB_CONTINUE;
}
static int on_key_end(void *c, const rdb_key *k, const rdb_key_end *e) {
    (void)k;
    put(c, "end elements=%" PRIu64 " largest=%" PRIu64 "\n", e->elements, e->largest);
    return RDB_CONTINUE;
}

const rdb_handlers evlog_handlers = {
    .on_header = on_header, .on_aux = on_aux, .on_select_db = on_select_db,
    .on_key_begin = on_key_begin, .on_string = on_string, .on_container = on_container,
    .on_entry = on_entry, .on_stream_entry = on_stream_entry, .on_stream_meta = on_stream_meta,
    .on_stream_group = on_stream_group, .on_stream_pel = on_stream_pel,
    .on_stream_consumer_pel = on_stream_consumer_pel, .on_stream_consumer = on_stream_consumer,
    .on_stream_nack_zone = on_stream_nack_zone, .on_stream_nack = on_stream_nack,
    .on_stream_idmp = on_stream_idmp, .on_array_meta = on_array_meta, .on_key_end = on_key_end,
    .on_key_meta = on_key_meta, .on_hash_template = on_hash_template, .on_slot_import = on_slot_import,
    .on_update_command = on_update_command,
};

rdb_status evlog_parse_file(const char *path, int flags, const rdb_options *opt, evlog *l,
                            rdb_result *res) {
    memset(l, 0, sizeof *l);
    l->flags = flags;
    put(l, "%s", "");
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        memset(res, 0, sizeof *res);
        res->error.code = RDB_ERR_IO;
        snprintf(res->error.message, sizeof res->error.message, "cannot open %s", path);
        return RDB_ERR_IO;
    }
    struct stat sb;
    rdb_options o = opt ? *opt : (rdb_options){0};
    if (fstat(fd, &sb) == 0) o.input_size = (uint64_t)sb.st_size;
    rdb_status st = rdb_parse_fd(fd, &evlog_handlers, l, &o, res);
    close(fd);
    return st;
}

void evlog_free(evlog *l) {
    free(l->text);
    memset(l, 0, sizeof *l);
}
