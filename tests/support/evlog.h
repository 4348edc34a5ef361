/* evlog.h: every parser event as one line of text, so that tests can state
 * the exact events a fixture yields (tests/test_keymeta.c, test_array.c,
 * test_hash_tmpl.c, test_stream_xnack.c, test_valkey9.c, test_forward.c).
 *
 * Line formats (bytes shown printable, others as \xHH):
 *   header REDIS0013 v13 [newer]          aux k=v          select 0
 *   key_meta NAME vV fF bytes=N           hash_template id=N fields=N bytes=N
 *   slot_import JOB ranges=N slots=N      update CMD argc=N bytes=N
 *   begin db=0 KEY type=T kind meta=N [expire=MS]
 *   string VALUE                          entry F=V [ttl=MS]
 *   member M                              zmember M score=S
 *   array_meta count=N [insert=N]         element [IDX] tag=T TEXT
 *   container KIND entries=N              stream_meta length=N groups=N
 *   group NAME pel=N consumers=N          pel MS-SEQ count=N
 *   consumer NAME pel=N                   cpel MS-SEQ
 *   nack_zone GROUP count=N               nack MS-SEQ
 *   idmp producers=N entries=N pid_bytes=N iid_bytes=N added=N dups=N
 *   end elements=N largest=N
 * Stream entries (stream_entry ...) are logged only with EVLOG_STREAM_ENTRIES. */
#ifndef RDBLENS_TEST_EVLOG_H
#define RDBLENS_TEST_EVLOG_H

#include <stdbool.h>
#include <stddef.h>

#include "rdb/rdb.h"

enum { EVLOG_STREAM_ENTRIES = 1, EVLOG_NO_AUX = 2, EVLOG_SKIP_KEYS = 4 };

typedef struct evlog {
    char *text;
    size_t len, cap;
    int flags;
} evlog;

extern const rdb_handlers evlog_handlers;

/* Parses the file at path (as a regular file) with the logging handlers;
 * returns the status, the log in l->text (free with evlog_free). */
rdb_status evlog_parse_file(const char *path, int flags, const rdb_options *opt, evlog *l,
                            rdb_result *res);
void evlog_free(evlog *l);

#endif
