/* aoftail.h: what an analysis of the RDB part leaves out of an AOF.
 *
 * An AOF with an RDB preamble is the RDB followed by RESP commands; a
 * Redis 7+ multi-part AOF directory adds incremental AOF files. rdblens
 * reads only the RDB, so it says how much was not applied: bytes and
 * commands after the preamble, and in the incremental files.
 *
 * Commands are counted by walking the RESP framing (an array "*N\r\n" of N
 * bulk strings "$LEN\r\n<LEN bytes>\r\n"; "#..." annotation lines, which
 * aof-timestamp-enabled writes, are skipped) in bounded memory, never by
 * holding a command. A tail that is not RESP keeps its byte count and gets
 * no command count (resp_ok false, with the offset where it stopped being
 * RESP). From standard input the bytes the parser had already buffered
 * past the RDB cannot be walked again: they are counted as bytes, and the
 * command count is left unknown.
 */
#ifndef RDBLENS_CLI_AOFTAIL_H
#define RDBLENS_CLI_AOFTAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/input.h"

typedef struct aof_tail {
    uint64_t bytes;            /* after the RDB, in the input the parser read */
    uint64_t commands;         /* ... of which whole RESP commands */
    bool resp_ok;              /* commands is exact */
    uint64_t incr_files, incr_bytes, incr_commands;  /* multi-part AOF */
    bool incr_resp_ok;
} aof_tail;

/* rdb_end: the RDB's length (rdb_result.bytes_read); input_bytes: what the
 * parser took from the fd (rdb_result.input_bytes). Regular files are read
 * with pread from rdb_end; standard input is read to its end; a compressed
 * input was decompressed to its end by pipeline_run, input_bytes its length. 0, or -1 on
 * a read error (what was counted stays). */
int aof_tail_count(const input *in, uint64_t rdb_end, uint64_t input_bytes, aof_tail *t);

/* The RESP walker, exposed for tests: feed bytes in any pieces. */
typedef struct resp_walk {
    int state;
    uint64_t num, left, items;
    bool neg, in_array;
    uint64_t commands, consumed;
    bool bad;
    uint64_t bad_at;
} resp_walk;

void resp_walk_init(resp_walk *w);
void resp_walk_feed(resp_walk *w, const uint8_t *p, size_t n);
/* true when the input ended between commands (not inside one) */
bool resp_walk_complete(const resp_walk *w);

#endif
