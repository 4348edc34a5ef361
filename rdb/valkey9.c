/* valkey9.c: the records Valkey 9.x added at record boundaries of a VALKEY
 * file (rdb-format.md §3), and the VKCS envelope that may wrap a whole file.
 *
 * SLOT_IMPORT, opcode 0xF3 (VALKEY 80+; the same byte is Redis KEY_META):
 * an atomic slot migration in progress, saved before the databases
 * (valkey-io/valkey src/cluster_migrateslots.c clusterRDBSaveSlotImports /
 * clusterRDBLoadSlotImport, 9.0):
 *
 *   F3 <string job name, 40 hex chars> <len n> n x (<len start> <len end>)
 *
 * UPDATE, opcode 0xF2 (VALKEY 81, Valkey 9.2; the same byte is Redis
 * HASH_TEMPLATES): a replication command that reached the server while a
 * forkless save streamed this RDB to a replica, written inline as RESP for the
 * replica to replay while it loads (valkey src/rdb_forkless.c
 * writeReplicationData, src/rdb.h RDB_OPCODE_UPDATE):
 *
 *   F2 '*' <argc> CRLF  argc x ('$' <len> CRLF <len bytes> CRLF)
 *
 * VKCS envelope (valkey src/compression_stream.h, after 9.0, `rdbcompression
 * lz4`): 8 bytes before the RDB, whose bytes then follow as one LZ4 frame:
 *
 *   "VKCS" <u8 version = 1> <u8 codec: 1 = LZ4> <u8 flags: bit 0 = frame
 *   checksum, others reserved> <u8 stream kind: 0 = RDB>   then the LZ4 frame
 *
 * The parser does not decompress (that is the input layer's job); it names
 * the envelope and where the frame starts. */
#include "rdb/internal.h"

#include <stdio.h>
#include <string.h>

#define CLUSTER_NAMELEN 40
#define CLUSTER_SLOTS 16384
#define UPDATE_MAX_ARGS (1u << 20)

rdb_status rdb_read_slot_import(parser *p) {
    rdb_item job;
    uint64_t at = rd_offset(&p->rd);
    rdb_status st = rdb_read_string(p, &p->pairbuf, &job, NULL, NULL, "SLOT_IMPORT job name");
    if (st) return st;
    if (job.is_int || job.len != CLUSTER_NAMELEN)
        return perr(p, RDB_ERR_FORMAT, at, "SLOT_IMPORT job name is %zu bytes, expected %d",
                    job.is_int ? (size_t)0 : job.len, CLUSTER_NAMELEN);
    uint64_t n;
    at = rd_offset(&p->rd);
    if ((st = rdb_read_plain_len(p, &n, "SLOT_IMPORT range count"))) return st;
    if (n > CLUSTER_SLOTS)
        return perr(p, RDB_ERR_FORMAT, at, "SLOT_IMPORT claims %llu slot ranges, more than the %d slots",
                    (unsigned long long)n, CLUSTER_SLOTS);
    uint64_t slots = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t a, b;
        at = rd_offset(&p->rd);
        if ((st = rdb_read_plain_len(p, &a, "SLOT_IMPORT range start"))) return st;
        if ((st = rdb_read_plain_len(p, &b, "SLOT_IMPORT range end"))) return st;
        if (a > b || b >= CLUSTER_SLOTS)
            return perr(p, RDB_ERR_FORMAT, at, "SLOT_IMPORT range %llu-%llu is not a range of slots 0-%d",
                        (unsigned long long)a, (unsigned long long)b, CLUSTER_SLOTS - 1);
        slots += b - a + 1;
    }
    if (!p->h->on_slot_import) return RDB_OK;
    rdb_slot_import s = {.job = {job.ptr, job.len}, .ranges = n, .slots = slots};
    return pcb(p, p->h->on_slot_import(p->ctx, &s));
}

/* <c> then a decimal number then CRLF, as RESP writes them (ll2string: no
 * sign for these, no leading zeros but for 0 itself). */
static rdb_status resp_number(parser *p, char c, uint64_t *v, const char *what) {
    uint64_t at = rd_offset(&p->rd);
    uint8_t b;
    rdb_status st = rdb_read_u8(p, &b, what);
    if (st) return st;
    if (b != (uint8_t)c)
        return perr(p, RDB_ERR_FORMAT, at, "%s: expected '%c', found byte 0x%02x", what, c, b);
    uint64_t n = 0;
    int digits = 0;
    for (;;) {
        at = rd_offset(&p->rd);
        if ((st = rdb_read_u8(p, &b, what))) return st;
        if (b == '\r') break;
        if (b < '0' || b > '9' || digits == 19 || (digits == 1 && n == 0))
            return perr(p, RDB_ERR_FORMAT, at, "%s: byte 0x%02x where a decimal digit or CR was expected",
                        what, b);
        n = n * 10 + (uint64_t)(b - '0');
        digits++;
    }
    if (digits == 0) return perr(p, RDB_ERR_FORMAT, at, "%s: no digits before CR", what);
    at = rd_offset(&p->rd);
    if ((st = rdb_read_u8(p, &b, what))) return st;
    if (b != '\n') return perr(p, RDB_ERR_FORMAT, at, "%s: CR not followed by LF", what);
    *v = n;
    return RDB_OK;
}

rdb_status rdb_read_update_command(parser *p, uint64_t op_off) {
    uint64_t argc;
    uint64_t at = rd_offset(&p->rd);
    rdb_status st = resp_number(p, '*', &argc, "UPDATE command argument count");
    if (st) return st;
    uint64_t here = rd_offset(&p->rd);
    /* each argument takes at least "$0\r\n\r\n" */
    if (argc == 0 || argc > UPDATE_MAX_ARGS ||
        (p->opt.input_size && here <= p->opt.input_size && argc > (p->opt.input_size - here) / 6))
        return perr(p, RDB_ERR_FORMAT, at, "UPDATE command claims %llu arguments", (unsigned long long)argc);
    char name[64];
    size_t name_len = 0;
    for (uint64_t i = 0; i < argc; i++) {
        uint64_t len;
        at = rd_offset(&p->rd);
        if ((st = resp_number(p, '$', &len, "UPDATE command argument length"))) return st;
        if ((st = rdb_check_len(p, len, at, "UPDATE command argument"))) return st;
        if (i == 0) {
            name_len = len < sizeof name ? (size_t)len : sizeof name;
            const uint8_t *b = NULL;
            if ((st = rdb_read_raw(p, name_len, &b, "UPDATE command name"))) return st;
            memcpy(name, b, name_len);
            len -= name_len;
        }
        rd_status s = rd_skip(&p->rd, len);
        if (s != RD_OK) return perr_rd(p, s, "UPDATE command argument");
        const uint8_t *crlf = NULL;
        at = rd_offset(&p->rd);
        if ((st = rdb_read_raw(p, 2, &crlf, "UPDATE command argument end"))) return st;
        if (crlf[0] != '\r' || crlf[1] != '\n')
            return perr(p, RDB_ERR_FORMAT, at, "UPDATE command argument not followed by CRLF");
    }
    if (!p->h->on_update_command) return RDB_OK;
    rdb_update_command c = {.name = {(const uint8_t *)name, name_len}, .argc = argc,
                            .bytes = rd_offset(&p->rd) - op_off - 1};
    return pcb(p, p->h->on_update_command(p->ctx, &c));
}

rdb_status rdb_vkcs_refusal(parser *p, const uint8_t b[9]) {
    /* b holds the first 9 bytes: "VKCS" + version, codec, flags, kind + the
     * frame's first byte */
    const char *codec = b[5] == 1 ? "LZ4" : "unknown";
    if (b[4] != 1 || b[5] != 1 || (b[6] & ~1u) || b[7] != 0)
        return perr(p, RDB_ERR_BAD_MAGIC, 4,
                    "Valkey VKCS compression envelope with version %u, codec %u (%s), flags 0x%02x, stream "
                    "kind %u: only version 1, codec 1 (LZ4), flags 0/1 and kind 0 (RDB) are defined",
                    b[4], b[5], codec, b[6], b[7]);
    return perr(p, RDB_ERR_UNSUPPORTED, 8,
                "a Valkey VKCS streaming-compression envelope (version 1, LZ4%s, RDB): the RDB is an LZ4 "
                "frame starting at byte 8; decompress it first, e.g. tail -c +9 FILE | lz4 -dc > dump.rdb",
                (b[6] & 1) ? " with frame checksums" : "");
}
