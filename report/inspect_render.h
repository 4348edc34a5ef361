/* inspect_render.h: `rdblens inspect` output, text and JSON.
 *
 * Pure functions of the results (analyze/inspect.h) and of the facts about
 * the file below: nothing is computed here that the analysis did not. JSON
 * follows docs/inspect-schema.md (schema_version 1, exact integers). Key,
 * field, member and group names are attacker-controlled bytes: they are
 * written in the printable form of report/keyfmt.h, then escaped for JSON;
 * the text tables cut long ones in the middle (rfmt_key). */
#ifndef RDBLENS_INSPECT_RENDER_H
#define RDBLENS_INSPECT_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "analyze/inspect.h"
#include "rdb/rdb.h"

#define INSPECT_SCHEMA_VERSION 1

/* What the command knows of the file and the run. */
typedef struct inspect_source {
    const char *path;
    uint64_t size;               /* bytes of the input, 0 when unknown */
    bool have_header;
    rdb_header header;
    const char *server;          /* aux redis-ver or valkey-ver, or NULL */
    const char *profile;         /* the target profile's name, or NULL */
    const char *profile_from;    /* "--profile", "redis-ver", "valkey-ver", "rdb version" */
    const char *const *config;   /* --config KEY=VALUE as given */
    size_t nconfig;
    bool has_db;                 /* --db */
    uint64_t db;
    int64_t reference_ms;        /* < 0: none */
    const char *reference_from;  /* pipeline.reference_from */
    const char *status;          /* "complete", "truncated", "invalid" */
    bool have_trailer;
    rdb_checksum_status checksum;
    const rdb_error *error;      /* when status is not "complete" */
} inspect_source;

/* The text form, for a terminal of 100 columns; color: bold headings. */
void inspect_render_text(FILE *out, const inspect_source *src, const inspect *ins, bool color);
/* The JSON document (one line per key object, a trailing newline). */
void inspect_render_json(FILE *out, const inspect_source *src, const inspect *ins);

/* Shared by both renderers: "field + value bytes" etc., what a type's
 * element size measures, and the name of one element ("field", "member",
 * "element", "entry"); the plural for counts ("fields", ...). */
const char *inspect_size_meaning(rdb_kind kind);
const char *inspect_elem_noun(rdb_kind kind, bool plural);
/* A score as the shortest decimal that reads back as the same double
 * (15 to 17 digits); "inf", "-inf". */
char *inspect_score_text(char *buf, size_t cap, double d);

#endif
