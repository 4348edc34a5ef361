/* opt_table.c: every option and command of rdblens, as data (opt_table.h):
 * an option's name, value kind, range, default, help line and the commands
 * that take it; a command's operands, formats and help paragraph. Parsing
 * (opt.c), --help (opt_help.c) and the completions (opt_complete.c) are
 * made from these tables.
 */
#include "cli/opt_table.h"

#include <string.h>

#include "analyze/agg_prefix.h"

static const char G_OUT[] = "output", G_SEL[] = "which keys (keys and report select the same ones)",
                  G_MODEL[] = "memory model and time", G_TAB[] = "report tables",
                  G_FIND[] = "findings", G_SPEED[] = "speed", G_GEN[] = "general",
                  G_CLUSTER[] = "cluster",
                  G_KEY[] = "key names";

const optdef OPTS[] = {
    {O_FORMAT, "format", 'f', A_TEXT, "FMT", 0, 0, WRITERS, G_OUT, NULL /* per command */, NULL},
    {O_OUTPUT, "output", 'o', A_TEXT, "FILE", 0, 0, WRITERS, G_OUT,
     "write to FILE instead of standard output; written to a temporary file in the same "
     "directory and renamed when complete, so FILE is never left half-written", NULL},
    {O_COLOR, "color", 0, A_TEXT, "WHEN", 0, 0, CMD_CHECK | TABLES | CMD_INSPECT, G_OUT,
     "auto, always or never; auto colours a terminal, never with NO_COLOR set or TERM=dumb",
     "auto"},
    {O_DB, "db", 0, A_COUNT, "N", 0, UINT32_MAX, SELECTORS | CMD_INSPECT, G_SEL,
     "only database N (inspect: look for the keys there only; default: in every database)", NULL},
    {O_TYPE, "type", 0, A_TEXT, "T[,T...]", 0, 0, SELECTORS, G_SEL,
     "only these types: string, list, set, zset, hash, stream, module, array", NULL},
    {O_MATCH, "match", 0, A_TEXT, "GLOB", 0, 0, SELECTORS, G_SEL,
     "only keys matching a Redis glob (as KEYS / SCAN MATCH: * ? [a-z] \\x)", NULL},
    {O_REGEX, "regex", 0, A_TEXT, "RE", 0, 0, SELECTORS, G_SEL,
     "only keys in which a Perl-compatible regular expression (PCRE2: \\d \\w (?i)) finds a "
     "match; anchor with ^...$", NULL},
    {O_MIN_BYTES, "min-bytes", 0, A_SIZE, "SIZE", 0, UINT64_MAX, SELECTORS, G_SEL,
     "only keys whose predicted memory is at least SIZE (512, 64K, 10MiB, 1.5GB; K = 1024)", NULL},
    {O_MIN_ELEMENTS, "min-elements", 0, A_COUNT, "N", 0, UINT64_MAX, SELECTORS, G_SEL,
     "only keys with at least N elements (strings: N bytes long)", NULL},
    {O_EXPIRY, "expiry", 0, A_TEXT, "WHAT", 0, 0, SELECTORS, G_SEL,
     "none (no TTL), any (a TTL), expired, or a range FROM..TO of time left (0..1h, 1d..) or "
     "of absolute times (2026-12-01..2026-12-02); FROM inclusive, TO exclusive", NULL},
    {O_PROFILE, "profile", 0, A_TEXT, "NAME", 0, 0, SELECTORS | CMD_INSPECT, G_MODEL,
     "predict for this server line (rdblens profiles; default: inferred from the dump)", NULL},
    {O_CONFIG, "config", 0, A_TEXT, "KEY=VALUE", 0, 0, SELECTORS | CMD_INSPECT, G_MODEL,
     "an encoding threshold of the target server, e.g. hash-max-listpack-entries=256 "
     "(repeatable)", NULL},
    {O_NOW, "now", 0, A_TIME, "TIME", 0, 0, SELECTORS | CMD_INSPECT, G_MODEL,
     "judge TTLs against TIME: Unix seconds, Unix milliseconds or ISO-8601 (default: the "
     "dump's ctime aux, else its file time)", NULL},
    {O_INFO, "info", 0, A_TEXT, "FILE", 0, 0, CMD_REPORT, G_MODEL,
     "the saved output of redis-cli INFO (or INFO memory) of the server the dump came from: "
     "its used_memory and RSS are set beside the prediction and the difference explained", NULL},
    {O_TOP, "top", 0, A_COUNT, "N", 1, 100000, TABLES, G_TAB, "keys and prefixes kept per table", "50"},
    {O_ROWS, "rows", 0, A_COUNT, "N", 0, 1000000, TABLES, G_TAB,
     "rows shown per text/md table, 0 = all kept", "20"},
    {O_SEPARATORS, "separators", 0, A_TEXT, "CHARS", 0, 0, AGGREGATES, G_TAB,
     "characters that separate key prefixes, each one a separator", "\":\""},
    {O_PREFIX_DEPTH, "prefix-depth", 0, A_COUNT, "N", 1, AGG_PREFIX_MAX_DEPTH, AGGREGATES, G_TAB,
     "prefix levels counted", "3"},
    {O_PREFIX_BUDGET, "prefix-budget", 0, A_COUNT, "N", 1000, 50000000, AGGREGATES, G_TAB,
     "prefix nodes kept before the lightest merge into (other), which the report says; about "
     "200 bytes each", "200000"},
    {O_BIG_BYTES, "big-bytes", 0, A_SIZE, "SIZE", 1, UINT64_MAX, AGGREGATES, G_FIND,
     "a key this big is a big key", "10MiB"},
    {O_BIG_ELEMENTS, "big-elements", 0, A_COUNT, "N", 1, UINT64_MAX, AGGREGATES, G_FIND,
     "a collection with this many elements is a big key", "10000"},
    {O_WALK_ALL, "walk-all", 0, A_NONE, NULL, 0, 0, AGGREGATES, G_SPEED,
     "walk every packed blob; by default blobs whose header gives their size are not walked "
     "and the keys shown are re-read for their exact largest element (same report, slower)", NULL},
    {O_THREADS, "threads", 0, A_COUNT, "N", 1, 2, CMD_REPORT, G_SPEED,
     "2: parse and model on one thread, aggregate on another (the same report, sooner with two "
     "CPUs); 1: one thread", "2 with two CPUs or more"},
    {O_CLUSTER, "cluster", 0, A_NONE, NULL, 0, 0, SELECTORS, G_CLUSTER,
     "predict a cluster node of the target server and give each key its hash slot (implied "
     "when a dump carries slot info: Redis 7.4+ SLOT_INFO, Valkey slot-info)", NULL},
    {O_SHARDS, "shards", 0, A_COUNT, "N", 1, 16384, CMD_REPORT, G_CLUSTER,
     "split the slots into N shards as redis-cli --cluster create does and predict each node "
     "(implies --cluster)", NULL},
    {O_SLOT_MAP, "slot-map", 0, A_TEXT, "FILE", 0, 0, CMD_REPORT, G_CLUSTER,
     "the shards of a real cluster: saved CLUSTER SHARDS or CLUSTER NODES output, or a "
     "nodes.conf (implies --cluster)", NULL},
    {O_MAXMEMORY, "maxmemory", 0, A_SIZE, "SIZE", 1, UINT64_MAX, CMD_REPORT, G_CLUSTER,
     "maxmemory of each node (1gb, 512MiB): how full each shard would be, flagged over 80 % "
     "and 100 %; needs --shards or --slot-map", NULL},
    {O_ACCEPT_NEWER, "accept-newer", 0, A_NONE, NULL, 0, 0, CMD_KEYS | CMD_CHECK | AGGREGATES | CMD_INSPECT, G_GEN,
     "read a dump whose RDB version is newer than the newest known (REDIS 15, VALKEY 81) as that "
     "one; stops at the first unknown type with what was read so far, as for a truncated file", NULL},
    {O_ESCAPED, "escaped", 0, A_NONE, NULL, 0, 0, CMD_INSPECT, G_KEY,
     "each KEY is in the printable form rdblens and redis-cli print: \\xHH for any byte, \\\\ "
     "for a backslash, \\\" \\n \\r \\t \\a \\b; the way to name a key holding a NUL byte, which no "
     "argument can carry", NULL},
    {O_PROGRESS, "progress", 0, A_NONE, NULL, 0, 0, CMD_KEYS | CMD_CHECK | CMD_REPORT, G_GEN,
     "a progress line on standard error (bytes, percent, MB/s, ETA) even when it is not a "
     "terminal; by default only on a terminal, outside CI and without NO_PROGRESS", NULL},
    {O_NO_PROGRESS, "no-progress", 0, A_NONE, NULL, 0, 0, CMD_KEYS | CMD_CHECK | CMD_REPORT, G_GEN,
     "no progress line", NULL},
    {O_JOBS, "jobs", 'j', A_COUNT, "N", 1, 256, CMD_REPORT, G_SPEED,
     "analyse N files at once, each on its own thread (same report as -j 1; memory up to N "
     "times one file's)", "1"},
    {O_NO_CHURN, "no-churn", 0, A_NONE, NULL, 0, 0, CMD_DIFF, G_SPEED,
     "do not count added / removed / changed keys (churn needs 21-43 bytes per key of the "
     "old dump; without it memory stays bounded like report's)", NULL},
    {O_QUIET, "quiet", 'q', A_NONE, NULL, 0, 0, ALL, G_GEN,
     "no notes on standard error, only errors (check: no report either, only the exit status)", NULL},
    {O_HELP, "help", 'h', A_NONE, NULL, 0, 0, ALL, G_GEN, "this help", NULL},
    {O_VERSION, "version", 'V', A_NONE, NULL, 0, 0, ALL, G_GEN, "print the version", NULL},
};
_Static_assert(sizeof OPTS / sizeof OPTS[0] == NOPTS, "one OPTS entry per opt_id");

const cmddef CMDS[] = {
    {CMD_KEYS, "keys", "FILE", 1, 1, "jsonl csv", "one record per key (JSONL or CSV)",
     "Prints one record per key, in file order, as the dump is read. jsonl fields: db, key,\n"
     "type, rdb_type, encoding, bytes, elements, largest, expires_at_ms, idle_s, freq; module,\n"
     "module_encver, bytes_basis, serialized_bytes for module values; slot in cluster mode.\n"
     "csv: redis-rdb-tools' memory CSV, database,type,key,size_in_bytes,encoding,\n"
     "num_elements,len_largest_element,expiry. bytes = predicted MEMORY USAGE key SAMPLES 0\n"
     "on the target server right after it loaded the dump; encoding = its OBJECT ENCODING.\n"
     "Key bytes: valid UTF-8 as is, backslash as \\\\, other bytes as \\xHH."},
    {CMD_CHECK, "check", "FILE...", 1, -1, "text json", "verify dumps: structure, checksum, keys per db",
     "Reads each dump to its end: the structure of every value and packed blob and the\n"
     "CRC-64 checksum; prints the version, aux fields, keys per db and expires, and any\n"
     "error with its byte offset."},
    {CMD_REPORT, "report", "FILE...", 1, -1, "text json md csv prom html", "the memory report",
     "Memory report of one dump, or of several combined (all shards of a cluster; per-file\n"
     "totals are kept): totals, per db / type / encoding, top keys, TTL buckets, prefixes\n"
     "and findings; in cluster mode also slots, hash tags and shards. prom: Prometheus text\n"
     "exposition for node_exporter's textfile collector."},
    {CMD_INSPECT, "inspect", "FILE KEY...", 2, -1, "text json", "drill down into big keys by name",
     "Inspects the keys named, by exact name, in one pass over the dump: type, encoding and\n"
     "predicted MEMORY USAGE after load on the target server, elements, TTL, the 20 largest\n"
     "elements (hash: field + value bytes; zset: member, with its score; set: member; list:\n"
     "element, with its index; stream: entry, by ID), a histogram of element sizes, for\n"
     "hashes, sets and sorted sets the compact-encoding limits and what raising or lowering\n"
     "them would do, for streams groups, consumers and pending entries. A KEY not in the\n"
     "dump is named on standard error and the exit status is 1. json: docs/inspect-schema.md."},
    {CMD_DIFF, "diff", "OLD NEW", 2, 2, "text json md", "what changed between two dumps or saved reports",
     "Compares two dumps, or JSON reports saved by rdblens report --format json (last night's\n"
     "report is enough): totals, per db / type / encoding, TTL buckets and prefixes as old / new /\n"
     "delta, the keys that appeared, disappeared, grew or shrank the most, and, for two dumps,\n"
     "the churn: exact counts of keys added, removed, changed and unchanged."},
    {CMD_MERGE, "merge", "REPORT.json...", 1, -1, "text json md csv prom html", "combine JSON reports into one",
     "Combines JSON reports made anywhere (one per host or shard) into exactly the report\n"
     "rdblens report gives over all those dumps at once. The reports must be made with the\n"
     "same options (separators, prefix depth and budget, thresholds, filters)."},
    {CMD_PROFILES, "profiles", "", 0, 0, "text json", "list the server memory profiles",
     "Lists the memory profiles --profile accepts; the default is inferred from the dump\n"
     "(aux redis-ver / valkey-ver, else the RDB version)."},
};
_Static_assert(sizeof CMDS / sizeof CMDS[0] == NCMDS, "NCMDS (opt_table.h) counts CMDS");

const cmddef *opt_cmd_def(unsigned bit) {
    for (size_t i = 0; i < NCMDS; i++)
        if (CMDS[i].bit == bit) return &CMDS[i];
    return NULL;
}

const char *cli_cmd_name(unsigned cmd) {
    const cmddef *c = opt_cmd_def(cmd);
    return c ? c->name : NULL;
}

unsigned cli_cmd_find(const char *name) {
    for (size_t i = 0; i < NCMDS; i++)
        if (!strcmp(CMDS[i].name, name)) return CMDS[i].bit;
    return 0;
}
