/* sections.h: the report's tables, built once for both the text and the
 * markdown renderer so the two always show the same rows and columns.
 * Each builder fills an initialized-by-it table with at most 'rows' rows and
 * returns how many rows it left out. */
#ifndef RDBLENS_SECTIONS_H
#define RDBLENS_SECTIONS_H

#include <stddef.h>

#include "analyze/agg.h"
#include "report/table.h"

size_t sec_files(table *t, const agg_summary *s, size_t rows);
size_t sec_by_db(table *t, const agg_summary *s, size_t rows);
size_t sec_by_type(table *t, const agg_summary *s);
size_t sec_type_sizes(table *t, const agg_summary *s);
size_t sec_by_encoding(table *t, const agg_summary *s, size_t rows);
size_t sec_ttl(table *t, const agg_summary *s);
/* LRU idle time / LFU counter, weighted by bytes (when the dump has them) */
size_t sec_idle(table *t, const agg_summary *s);
size_t sec_freq(table *t, const agg_summary *s);
size_t sec_keys(table *t, const agg_summary *s, const agg_key_list *l, size_t rows, unsigned key_width);
size_t sec_prefixes(table *t, const agg_summary *s, size_t rows, unsigned key_width);
size_t sec_findings(table *t, const agg_summary *s, size_t rows, unsigned key_width);
/* sec_module.c: module values by type (only shown when the dump has some) */
size_t sec_by_module(table *t, const agg_summary *s, size_t rows);
/* "measured model 1.2 MiB (95.0%), module source 0 B (0.0%), dump size ..." */
char *sec_basis_line(char *buf, size_t cap, const agg_totals *tt);

/* ---- the first screen (sections_top.c) ---- */
/* used_memory after a restart and its parts */
void sec_memory(table *t, const agg_summary *s);
/* the heaviest prefixes worth a line (sec_prefix_shown) and keys */
size_t sec_brief_prefixes(table *t, const agg_summary *s, size_t rows, unsigned key_width);
size_t sec_brief_keys(table *t, const agg_summary *s, size_t rows, unsigned key_width);
/* the summed estimated saving of the findings that have one */
uint64_t sec_total_saving(const agg_summary *s, size_t *nfindings);

/* ---- shared cells ---- */
/* A prefix row adds something: not a single key, not the same keys and
 * bytes as a shorter prefix shown above it. */
bool sec_prefix_shown(const agg_summary *s, size_t i);
/* For each file, the byte offset in its path where the shortest suffix of
 * path components that tells it from the other files starts (malloc'd,
 * free it; NULL when out of memory: show whole paths). */
size_t *sec_file_name_offsets(const agg_summary *s);
/* "hash 80%, string 15%, list 5%" */
void sec_types_cell(char *buf, size_t cap, const agg_prefix_row *p);
/* "1.2 MiB long" (strings) or "12,000 el." */
char *sec_size_cell(char *buf, size_t cap, const key_record *r);
/* time left of a kept key at its file's reference time, "-" without TTL */
char *sec_remaining(char *buf, size_t cap, const agg_summary *s, const agg_key *e);

/* Totals as label/value rows. */
void sec_totals(table *t, const agg_summary *s);

/* One finding's subject and evidence as text (used by both renderers). */
char *sec_subject(char *buf, size_t cap, const agg_finding *f, unsigned key_width);
char *sec_evidence(char *buf, size_t cap, const agg_finding *f);

/* "REDIS0011, RDB 11, redis-ver 7.2.6, checksum ok, complete" */
/* "RDB part only: 1.2 KiB / 56 commands after the preamble ... not applied",
 * or NULL when the file is not an AOF. */
char *sec_aof_line(char *buf, size_t cap, const agg_file *f);
/* Does the file's line describe a problem (truncated, checksum mismatch,
 * unreadable)? The text report colours it. */
bool sec_file_bad(const agg_file *f);
char *sec_file_line(char *buf, size_t cap, const agg_file *f);

#endif
