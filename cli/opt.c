/* opt.c: the option table and everything made from it (opt.h). */
#include "cli/opt.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/agg_prefix.h"

typedef enum arg_kind { A_NONE, A_COUNT, A_SIZE, A_TIME, A_TEXT } arg_kind;

typedef struct optdef {
    opt_id id;
    const char *name;
    char shortopt;       /* 0: none */
    arg_kind arg;
    const char *metavar;
    uint64_t min, max;   /* A_COUNT / A_SIZE */
    unsigned cmds;
    const char *group;
    const char *help;
    const char *def;     /* the default, as help shows it, or NULL */
} optdef;

#define ALL (CMD_KEYS | CMD_CHECK | CMD_REPORT | CMD_PROFILES | CMD_INSPECT | CMD_DIFF | CMD_MERGE)
#define WRITERS ALL
#define SELECTORS (CMD_KEYS | CMD_REPORT | CMD_DIFF)
#define TABLES (CMD_REPORT | CMD_DIFF | CMD_MERGE)   /* print report tables */
#define AGGREGATES (CMD_REPORT | CMD_DIFF)           /* aggregate dumps themselves */

static const char G_OUT[] = "output", G_SEL[] = "which keys (keys and report select the same ones)",
                  G_MODEL[] = "memory model and time", G_TAB[] = "report tables",
                  G_FIND[] = "findings", G_SPEED[] = "speed", G_GEN[] = "general",
                  G_CLUSTER[] = "cluster",
                  G_KEY[] = "key names";

static const optdef OPTS[] = {
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
#define NOPTS (sizeof OPTS / sizeof OPTS[0])

typedef struct cmddef {
    unsigned bit;
    const char *name;
    const char *operands;    /* usage line after [options] */
    int min_files, max_files;
    const char *formats;     /* first is the default */
    const char *summary;     /* one line, for `rdblens --help` and completions */
    const char *about;       /* the help's paragraph */
} cmddef;

static const cmddef CMDS[] = {
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
#define NCMDS (sizeof CMDS / sizeof CMDS[0])

static const cmddef *cmd_def(unsigned bit) {
    for (size_t i = 0; i < NCMDS; i++)
        if (CMDS[i].bit == bit) return &CMDS[i];
    return NULL;
}

const char *cli_cmd_name(unsigned cmd) {
    const cmddef *c = cmd_def(cmd);
    return c ? c->name : NULL;
}

unsigned cli_cmd_find(const char *name) {
    for (size_t i = 0; i < NCMDS; i++)
        if (!strcmp(CMDS[i].name, name)) return CMDS[i].bit;
    return 0;
}

/* ---- help ----------------------------------------------------------------- */

/* Words of 'text' from column 'col', wrapped at 'width', continuation lines
 * indented to 'indent'. */
static void wrap(FILE *out, const char *text, int col, int indent, int width) {
    bool first = true;
    for (const char *p = text; *p;) {
        const char *w = p;
        while (*w && *w != ' ') w++;
        int len = (int)(w - p);
        if (!first && col + 1 + len > width) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (!first) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, (size_t)len, out);
        col += len;
        first = false;
        p = *w ? w + 1 : w;
    }
    fputc('\n', out);
}

static void format_help(char *buf, size_t cap, const cmddef *c) {
    char list[64];
    snprintf(list, sizeof list, "%s", c->formats);
    size_t n = 0;
    for (char *p = list; *p; p++) n += *p == ' ';
    char *last = strrchr(list, ' ');
    const char *def_end = strchr(c->formats, ' ');
    int def_len = def_end ? (int)(def_end - c->formats) : (int)strlen(c->formats);
    if (!last) {
        snprintf(buf, cap, "%s", list);
        return;
    }
    *last = '\0';
    for (char *p = list; *p; p++)
        if (*p == ' ' && n > 1) *p = ',';
    snprintf(buf, cap, "%s%s or %s (default %.*s)", list, "", last + 1, def_len, c->formats);
    /* "text,json or md" -> "text, json or md" */
    char tmp[256];
    size_t j = 0;
    for (size_t i = 0; buf[i] && j + 2 < sizeof tmp; i++) {
        tmp[j++] = buf[i];
        if (buf[i] == ',') tmp[j++] = ' ';
    }
    tmp[j] = '\0';
    snprintf(buf, cap, "%s", tmp);
}

void cli_help(FILE *out, unsigned cmd) {
    const cmddef *c = cmd_def(cmd);
    if (!c) return;
    fprintf(out, "usage: rdblens %s [options]%s%s\n\n%s\n", c->name, c->operands[0] ? " " : "",
            c->operands, c->about);
    const char *group = NULL;
    for (size_t i = 0; i < NOPTS; i++) {
        const optdef *o = &OPTS[i];
        if (!(o->cmds & cmd)) continue;
        if (o->group != group) {
            group = o->group;
            fprintf(out, "\n%s:\n", group);
        }
        char lead[80];
        if (o->shortopt)
            snprintf(lead, sizeof lead, "  -%c, --%s%s%s", o->shortopt, o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
        else
            snprintf(lead, sizeof lead, "      --%s%s%s", o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
        char help[640];
        if (o->id == O_FORMAT) {
            format_help(help, sizeof help, c);
        } else {
            /* "keys kept per table (1-100000, default 50)" */
            char range[64] = "";
            if ((o->arg == A_COUNT || o->arg == A_SIZE) && o->max != UINT64_MAX)
                snprintf(range, sizeof range, "%llu-%llu", (unsigned long long)o->min,
                         (unsigned long long)o->max);
            else if ((o->arg == A_COUNT || o->arg == A_SIZE) && o->min > 0)
                snprintf(range, sizeof range, "at least %llu", (unsigned long long)o->min);
            if (range[0] && o->def)
                snprintf(help, sizeof help, "%s (%s, default %s)", o->help, range, o->def);
            else if (range[0] || o->def)
                snprintf(help, sizeof help, "%s (%s%s)", o->help, range[0] ? range : "default ",
                         range[0] ? "" : o->def);
            else
                snprintf(help, sizeof help, "%s", o->help);
        }
        const char *h = help;
        int col = (int)strlen(lead);
        fputs(lead, out);
        if (col >= 28) {
            fprintf(out, "\n%*s", 28, "");
        } else {
            fprintf(out, "%*s", 28 - col, "");
        }
        col = 28;
        wrap(out, h, col, 28, 92);
    }
    if (c->bit == CMD_MERGE)
        fputs("\nREPORT.json is a report saved by rdblens report --format json (schema_version 2).\n", out);
    else if (c->max_files != 0)
        fputs("\nFILE is an .rdb file, - for standard input, an AOF file that starts with an RDB\n"
              "preamble, or a multi-part AOF directory (its manifest's base file is read).\n", out);
    fputs("\nexit status: 0 success; 1 an input is unreadable, invalid, corrupt, truncated or\n"
          "fails its checksum (what was read is still reported, marked incomplete), or the\n"
          "output could not be written; 2 usage error. A closed output pipe (| head) ends\n"
          "the run quietly with status 141, as for other Unix tools.\n", out);
}

void cli_usage(FILE *out) {
    fputs("usage: rdblens COMMAND [OPTIONS] FILE...\n"
          "\n"
          "Offline analysis of Redis / Valkey RDB dumps (never touches a live server).\n"
          "\n"
          "commands:\n", out);
    for (size_t i = 0; i < NCMDS; i++) fprintf(out, "  %-10s %s\n", CMDS[i].name, CMDS[i].summary);
    fputs("  help CMD   the options of a command (= rdblens CMD --help)\n"
          "  completion bash|zsh\n"
          "             a shell completion script (make install installs both)\n"
          "\n"
          "FILE is an .rdb file, - for standard input, an AOF file that starts with an RDB\n"
          "preamble, or a multi-part AOF directory (its manifest's base file is read).\n"
          "Every command takes --help, --version, --quiet, and -o/--output and -f/--format\n"
          "where it writes. man rdblens has the details.\n"
          "\n"
          "exit status: 0 success, 1 unreadable/invalid/corrupt/truncated input or an output\n"
          "that could not be written, 2 usage error.\n", out);
}

/* ---- parsing -------------------------------------------------------------- */

static int usage_error(const cli_args *a, const char *fmt, const char *x, const char *y) {
    fprintf(stderr, "rdblens %s: ", a->name);
    fprintf(stderr, fmt, x, y);
    fprintf(stderr, "\ntry 'rdblens %s --help'\n", a->name);
    return EXIT_USAGE;
}

/* "--top must be between 1 and 100000 (got 0)" */
static int range_error(const cli_args *a, const optdef *o, const char *arg) {
    if (o->arg == A_SIZE) {
        if (o->max == UINT64_MAX)
            fprintf(stderr, "rdblens %s: --%s must be at least %llu byte%s (got %s)\n", a->name,
                    o->name, (unsigned long long)o->min, o->min == 1 ? "" : "s", arg);
        else
            fprintf(stderr, "rdblens %s: --%s must be between %llu and %llu bytes (got %s)\n",
                    a->name, o->name, (unsigned long long)o->min, (unsigned long long)o->max, arg);
    } else if (o->max == UINT64_MAX) {
        fprintf(stderr, "rdblens %s: --%s must be at least %llu (got %s)\n", a->name, o->name,
                (unsigned long long)o->min, arg);
    } else {
        fprintf(stderr, "rdblens %s: --%s must be between %llu and %llu (got %s)\n", a->name,
                o->name, (unsigned long long)o->min, (unsigned long long)o->max, arg);
    }
    return EXIT_USAGE;
}

static int parse_number(const cli_args *a, const optdef *o, const char *arg, uint64_t *out) {
    char why[160];
    int r = o->arg == A_SIZE ? units_parse_size(arg, out, why, sizeof why)
                             : units_parse_count(arg, out, why, sizeof why);
    if (r < 0) {
        fprintf(stderr, "rdblens %s: --%s takes %s (got '%s')\n", a->name, o->name, why, arg);
        return EXIT_USAGE;
    }
    if (*out < o->min || *out > o->max) return range_error(a, o, arg);
    return 0;
}

static int parse_expiry(cli_args *a, const char *arg) {
    key_filter *f = &a->filter;
    f->expiry_text = arg;
    if (!strcmp(arg, "none")) f->expiry = FILTER_EXPIRY_NONE;
    else if (!strcmp(arg, "any")) f->expiry = FILTER_EXPIRY_ANY;
    else if (!strcmp(arg, "expired")) f->expiry = FILTER_EXPIRY_EXPIRED;
    else {
        const char *dots = strstr(arg, "..");
        if (!dots) goto bad;
        char lo[128], hi[128];
        snprintf(lo, sizeof lo, "%.*s", (int)(dots - arg), arg);
        snprintf(hi, sizeof hi, "%s", dots + 2);
        if (!lo[0] && !hi[0]) goto bad;
        char why[160];
        int64_t v;
        int rel = -1;  /* both bounds must be of one kind */
        const char *bounds[2] = {lo, hi};
        for (int i = 0; i < 2; i++) {
            if (!bounds[i][0]) continue;
            int is_rel;
            if (units_parse_duration(bounds[i], &v, why, sizeof why) == 0) is_rel = 1;
            else if (units_parse_time(bounds[i], &v, NULL, why, sizeof why) == 0) is_rel = 0;
            else goto bad;
            if (rel >= 0 && rel != is_rel) goto bad;
            rel = is_rel;
            if (i == 0) f->has_from = true, f->from_ms = v;
            else f->has_to = true, f->to_ms = v;
        }
        f->expiry = FILTER_EXPIRY_RANGE;
        f->range_relative = rel == 1;
    }
    return 0;
bad:
    fprintf(stderr,
            "rdblens %s: --expiry takes none, any, expired, or FROM..TO with durations of time "
            "left (0..1h, 1d..) or times (2026-12-01..2026-12-02, Unix s or ms) (got '%s')\n",
            a->name, arg);
    return EXIT_USAGE;
}

/* --info FILE: INFO output is a few KiB; more than 4 MiB is not INFO */
static int read_info(cli_args *a, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "rdblens %s: --info %s: %s\n", a->name, path, strerror(errno));
        return EXIT_USAGE;
    }
    enum { MAX = 4 << 20 };
    char *buf = malloc(MAX);
    size_t n = buf ? fread(buf, 1, MAX, f) : 0;
    bool big = buf && n == MAX && fgetc(f) != EOF;
    int rc = 0;
    char why[200];
    if (!buf) {
        fprintf(stderr, "rdblens %s: --info %s: out of memory\n", a->name, path);
        rc = EXIT_USAGE;
    } else if (ferror(f)) {
        fprintf(stderr, "rdblens %s: --info %s: %s\n", a->name, path, strerror(errno));
        rc = EXIT_USAGE;
    } else if (big) {
        fprintf(stderr, "rdblens %s: --info %s: over 4 MiB, not the output of INFO\n", a->name, path);
        rc = EXIT_USAGE;
    } else if (liveinfo_parse(buf, n, &a->live, why, sizeof why) < 0) {
        fprintf(stderr, "rdblens %s: --info %s: %s\n", a->name, path, why);
        rc = EXIT_USAGE;
    } else {
        a->has_live = true;
    }
    free(buf);
    fclose(f);
    return rc;
}

static bool in_list(const char *list, const char *word) {
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && !memcmp(p, word, n)) return true;
        p += l + (e ? 1 : 0);
    }
    return false;
}

static int apply(cli_args *a, const cmddef *c, const optdef *o, const char *arg) {
    char why[200];
    uint64_t v;
    int r;
    a->given[o->id] = true;
    switch (o->id) {
    case O_FORMAT: {
        const char *want = arg;
        if (c->bit == CMD_KEYS && !strcmp(arg, "json")) want = "jsonl";
        if ((c->bit & TABLES) && !strcmp(arg, "markdown")) want = "md";
        if (!in_list(c->formats, want)) {
            char h[256];
            format_help(h, sizeof h, c);
            char *paren = strstr(h, " (default");
            if (paren) *paren = '\0';
            fprintf(stderr, "rdblens %s: --format takes %s (got '%s')\n", a->name, h, arg);
            return EXIT_USAGE;
        }
        a->format = want;
        return 0;
    }
    case O_OUTPUT:
        if (!arg[0]) {
            fprintf(stderr, "rdblens %s: --output needs a file name\n", a->name);
            return EXIT_USAGE;
        }
        a->output = strcmp(arg, "-") ? arg : NULL;
        return 0;
    case O_COLOR:
        if (report_parse_color(arg, &a->color_mode) < 0) {
            fprintf(stderr, "rdblens %s: --color takes auto, always or never (got '%s')\n", a->name, arg);
            return EXIT_USAGE;
        }
        return 0;
    case O_DB:
        if ((r = parse_number(a, o, arg, &v))) return r;
        a->filter.has_db = true;
        a->filter.db = v;
        return 0;
    case O_TYPE:
        if (filter_set_types(&a->filter, arg, why, sizeof why) < 0) {
            fprintf(stderr, "rdblens %s: --type takes %s (got '%s')\n", a->name, why, arg);
            return EXIT_USAGE;
        }
        return 0;
    case O_MATCH: a->filter.match = arg; return 0;
    case O_REGEX:
        if (filter_set_regex(&a->filter, arg, why, sizeof why) < 0) {
            fprintf(stderr, "rdblens %s: --regex takes %s (got '%s')\n", a->name, why, arg);
            return EXIT_USAGE;
        }
        return 0;
    case O_MIN_BYTES: return parse_number(a, o, arg, &a->filter.min_bytes);
    case O_MIN_ELEMENTS: return parse_number(a, o, arg, &a->filter.min_elements);
    case O_EXPIRY: return parse_expiry(a, arg);
    case O_PROFILE: case O_CONFIG: {
        int opt = o->id == O_PROFILE ? OPT_PROFILE : OPT_CONFIG;
        if (o->id == O_CONFIG) {
            if (a->nconfig == sizeof a->config_args / sizeof a->config_args[0]) {
                fprintf(stderr, "rdblens %s: --config given more than %zu times\n", a->name, a->nconfig);
                return EXIT_USAGE;
            }
            a->config_args[a->nconfig++] = arg;
        }
        return model_opts_parse(&a->model, opt, arg, a->name) ? EXIT_USAGE : 0;
    }
    case O_NOW:
        if (units_parse_time(arg, &a->model.now_ms, &a->now_form, why, sizeof why) < 0) {
            fprintf(stderr, "rdblens %s: --now takes %s (got '%s')\n", a->name, why, arg);
            return EXIT_USAGE;
        }
        a->model.has_now = true;
        return 0;
    case O_TOP: return parse_number(a, o, arg, &a->top);
    case O_ROWS: return parse_number(a, o, arg, &a->rows);
    case O_PREFIX_DEPTH: return parse_number(a, o, arg, &a->prefix_depth);
    case O_PREFIX_BUDGET: return parse_number(a, o, arg, &a->prefix_budget);
    case O_BIG_BYTES: return parse_number(a, o, arg, &a->big_bytes);
    case O_BIG_ELEMENTS: return parse_number(a, o, arg, &a->big_elements);
    case O_SEPARATORS:
        if (!arg[0]) {
            fprintf(stderr, "rdblens %s: --separators needs at least one character\n", a->name);
            return EXIT_USAGE;
        }
        a->separators = arg;
        return 0;
    case O_WALK_ALL: a->walk_all = true; return 0;
    case O_THREADS: return parse_number(a, o, arg, &a->threads);
    case O_ACCEPT_NEWER: a->accept_newer = true; return 0;
    case O_INFO: return read_info(a, arg);
    case O_CLUSTER: return model_opts_parse(&a->model, OPT_CLUSTER, NULL, a->name) ? EXIT_USAGE : 0;
    case O_SHARDS: return parse_number(a, o, arg, &a->shards);
    case O_MAXMEMORY: return parse_number(a, o, arg, &a->maxmemory);
    case O_SLOT_MAP:
        if (!arg[0]) {
            fprintf(stderr, "rdblens %s: --slot-map needs a file name\n", a->name);
            return EXIT_USAGE;
        }
        a->slot_map = arg;
        return 0;
    case O_ESCAPED: a->escaped = true; return 0;
    case O_PROGRESS: a->progress = PROGRESS_ON; return 0;
    case O_NO_PROGRESS: a->progress = PROGRESS_OFF; return 0;
    case O_JOBS: return parse_number(a, o, arg, &a->jobs);
    case O_NO_CHURN: a->no_churn = true; return 0;
    case O_QUIET: a->quiet = true; return 0;
    case O_HELP: case O_VERSION: case O_COUNT_: return 0;
    }
    return 0;
}

static int print_and_check(const cli_args *a, bool help) {
    if (help) cli_help(stdout, a->cmd);
    else printf("rdblens %s\n", RDBLENS_VERSION);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "rdblens %s: writing standard output: %s\n", a->name, strerror(errno));
        return EXIT_INVALID;
    }
    return EXIT_VALID;
}

bool cli_color_wanted(report_color mode, int fd) {
    if (mode == REPORT_COLOR_ALWAYS) return true;
    if (mode == REPORT_COLOR_NEVER) return false;
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    if (nc && nc[0]) return false;
    if (term && !strcmp(term, "dumb")) return false;
    return isatty(fd);
}

int cli_parse(unsigned cmd, int argc, char **argv, cli_args *a) {
    const cmddef *c = cmd_def(cmd);
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->name = c->name;
    a->top = 50;
    a->rows = 20;
    a->prefix_depth = 3;
    a->prefix_budget = 200000;
    a->big_bytes = 10u << 20;
    a->big_elements = 10000;
    a->separators = ":";
    a->jobs = 1;
    a->color_mode = REPORT_COLOR_AUTO;
    filter_init(&a->filter);
    const char *sp = strchr(c->formats, ' ');
    static char def_format[16];
    snprintf(def_format, sizeof def_format, "%.*s", sp ? (int)(sp - c->formats) : 15, c->formats);
    a->format = def_format;

    struct option lopts[NOPTS + 1];
    char shorts[2 * NOPTS + 2];
    size_t nl = 0, ns = 0;
    shorts[ns++] = ':';  /* report a missing value as ':' */
    for (size_t i = 0; i < NOPTS; i++) {
        if (!(OPTS[i].cmds & cmd)) continue;
        lopts[nl++] = (struct option){OPTS[i].name, OPTS[i].arg == A_NONE ? no_argument : required_argument,
                                      NULL, 256 + (int)i};
        if (OPTS[i].shortopt) {
            shorts[ns++] = OPTS[i].shortopt;
            if (OPTS[i].arg != A_NONE) shorts[ns++] = ':';
        }
    }
    lopts[nl] = (struct option){0, 0, 0, 0};
    shorts[ns] = '\0';

    opterr = 0;
    optind = 1;
    int ch;
    bool help = false, version = false;
    while ((ch = getopt_long(argc, argv, shorts, lopts, NULL)) != -1) {
        const optdef *o = NULL;
        if (ch >= 256) o = &OPTS[ch - 256];
        else
            for (size_t i = 0; i < NOPTS; i++)
                if (OPTS[i].shortopt == ch && (OPTS[i].cmds & cmd)) o = &OPTS[i];
        if (ch == '?') {
            char opt[3] = {'-', (char)optopt, 0};
            cli_args_free(a);
            return usage_error(a, "unknown option '%s'%s", optopt ? opt : argv[optind - 1], "");
        }
        if (ch == ':') {
            const char *name = argv[optind - 1];
            cli_args_free(a);
            return usage_error(a, "%s needs a value%s", name, "");
        }
        if (!o) continue;
        if (o->id == O_HELP) help = true;
        else if (o->id == O_VERSION) version = true;
        int r = apply(a, c, o, optarg);
        if (r) {
            cli_args_free(a);
            return r;
        }
    }
    if (help || version) {
        int r = print_and_check(a, help);
        cli_args_free(a);
        return r;
    }
    a->files = argv + optind;
    a->nfiles = argc - optind;
    if (a->nfiles < c->min_files) {
        cli_args_free(a);
        return usage_error(a, "no %s given%s", a->nfiles == 0 ? "FILE" : "KEY", "");
    }
    if (c->max_files >= 0 && a->nfiles > c->max_files) {
        cli_args_free(a);
        if (c->max_files == 0) return usage_error(a, "takes no operand (got '%s')%s", a->files[0], "");
        return usage_error(a, "takes one FILE (got %s more)%s", a->nfiles == 2 ? "one" : "several", "");
    }
    a->color = cli_color_wanted(a->color_mode, a->output ? -1 : STDOUT_FILENO);
    return -1;
}

void cli_args_free(cli_args *a) {
    filter_free(&a->filter);
    model_opts_free(&a->model);
}

/* ---- listings and completions -------------------------------------------- */

void cli_list_options(FILE *out) {
    for (size_t c = 0; c < NCMDS; c++)
        for (size_t i = 0; i < NOPTS; i++)
            if (OPTS[i].cmds & CMDS[c].bit) {
                fprintf(out, "%s --%s", CMDS[c].name, OPTS[i].name);
                if (OPTS[i].shortopt) fprintf(out, " -%c", OPTS[i].shortopt);
                fputc('\n', out);
            }
}

/* Completion words for an option's value; NULL: a file name or free text. */
static const char *value_words(const optdef *o, const cmddef *c) {
    switch (o->id) {
    case O_FORMAT: return c->formats;
    case O_COLOR: return "auto always never";
    case O_TYPE: return "string list set zset hash stream module";
    case O_EXPIRY: return "none any expired";
    case O_CONFIG:
        return "hash-max-listpack-entries= hash-max-listpack-value= set-max-intset-entries= "
               "set-max-listpack-entries= set-max-listpack-value= zset-max-listpack-entries= "
               "zset-max-listpack-value= list-max-listpack-size= list-compress-depth=";
    default: return NULL;
    }
}

static void bash_completion(FILE *out) {
    fputs("# bash completion for rdblens (generated by `rdblens completion bash`)\n"
          "_rdblens() {\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        COMPREPLY=($(compgen -W \"", out);
    for (size_t c = 0; c < NCMDS; c++) fprintf(out, "%s ", CMDS[c].name);
    fputs("help completion --help --version\" -- \"$cur\"))\n"
          "        return\n"
          "    fi\n"
          "    local cmd=${COMP_WORDS[1]}\n"
          "    [ \"$cmd\" = help ] && { COMPREPLY=($(compgen -W \"", out);
    for (size_t c = 0; c < NCMDS; c++) fprintf(out, "%s%s", c ? " " : "", CMDS[c].name);
    fputs("\" -- \"$cur\")); return; }\n"
          "    case \"$cmd $prev\" in\n", out);
    for (size_t c = 0; c < NCMDS; c++)
        for (size_t i = 0; i < NOPTS; i++) {
            const optdef *o = &OPTS[i];
            if (!(o->cmds & CMDS[c].bit) || o->arg == A_NONE) continue;
            const char *w = value_words(o, &CMDS[c]);
            fprintf(out, "    \"%s --%s\"", CMDS[c].name, o->name);
            if (o->shortopt) fprintf(out, "|\"%s -%c\"", CMDS[c].name, o->shortopt);
            if (o->id == O_PROFILE)
                fputs(") COMPREPLY=($(compgen -W \"$(rdblens profiles 2>/dev/null | cut -d' ' -f1)\" "
                      "-- \"$cur\")); return ;;\n", out);
            else if (w) fprintf(out, ") COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n", w);
            else if (o->id == O_OUTPUT) fputs(") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", out);
            else fputs(") COMPREPLY=(); return ;;\n", out);
        }
    fputs("    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        case $cmd in\n", out);
    for (size_t c = 0; c < NCMDS; c++) {
        fprintf(out, "        %s) COMPREPLY=($(compgen -W \"", CMDS[c].name);
        bool first = true;
        for (size_t i = 0; i < NOPTS; i++)
            if (OPTS[i].cmds & CMDS[c].bit) {
                fprintf(out, "%s--%s", first ? "" : " ", OPTS[i].name);
                first = false;
            }
        fputs("\" -- \"$cur\")) ;;\n", out);
    }
    fputs("        esac\n"
          "        return\n"
          "    fi\n"
          "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
          "}\n"
          "complete -o filenames -o bashdefault -F _rdblens rdblens\n",
          out);
}

/* zsh _arguments specs may not contain unescaped [ ] : in descriptions. */
static void zsh_text(FILE *out, const char *s, size_t max) {
    for (size_t n = 0; *s && n < max; s++, n++) {
        if (*s == '[' || *s == ']' || *s == ':' || *s == '\'' || *s == '\\') continue;
        if (*s == '(' && strncmp(s, "(default", 8) == 0) break;
        fputc(*s, out);
    }
}

static void zsh_completion(FILE *out) {
    fputs("#compdef rdblens\n# zsh completion for rdblens (generated by `rdblens completion zsh`)\n"
          "_rdblens() {\n"
          "    local -a commands\n"
          "    commands=(\n", out);
    for (size_t c = 0; c < NCMDS; c++) {
        fprintf(out, "        '%s:", CMDS[c].name);
        zsh_text(out, CMDS[c].summary, 80);
        fputs("'\n", out);
    }
    fputs("        'help:help on a command'\n"
          "    )\n"
          "    if (( CURRENT == 2 )); then\n"
          "        _describe 'command' commands\n"
          "        return\n"
          "    fi\n"
          "    local cmd=$words[2]\n"
          "    shift words\n"
          "    (( CURRENT-- ))\n"
          "    case $cmd in\n", out);
    for (size_t c = 0; c < NCMDS; c++) {
        fprintf(out, "        %s)\n            _arguments -s", CMDS[c].name);
        for (size_t i = 0; i < NOPTS; i++) {
            const optdef *o = &OPTS[i];
            if (!(o->cmds & CMDS[c].bit)) continue;
            const char *help = o->id == O_FORMAT ? "output format" : o->help;
            fputs(" \\\n                ", out);
            if (o->shortopt)
                fprintf(out, "'(-%c --%s)'{-%c,--%s}'", o->shortopt, o->name, o->shortopt, o->name);
            else
                fprintf(out, "'--%s", o->name);
            fputc('[', out);
            zsh_text(out, help, 70);
            fputc(']', out);
            if (o->arg != A_NONE) {
                const char *w = value_words(o, &CMDS[c]);
                fprintf(out, ":%s:", o->metavar);
                if (o->id == O_OUTPUT) fputs("_files", out);
                else if (o->id == O_PROFILE) fputs("($(rdblens profiles 2>/dev/null | cut -d\" \" -f1))", out);
                else if (w) fprintf(out, "(%s)", w);
                else fputs(" ", out);
            }
            fputc('\'', out);
        }
        if (CMDS[c].max_files != 0) fputs(" \\\n                '*:dump file:_files'", out);
        fputs("\n            ;;\n", out);
    }
    fputs("        help) _describe 'command' commands ;;\n"
          "    esac\n"
          "}\n"
          "_rdblens \"$@\"\n",
          out);
}

int cli_completion(FILE *out, const char *shell) {
    if (!strcmp(shell, "bash")) bash_completion(out);
    else if (!strcmp(shell, "zsh")) zsh_completion(out);
    else return -1;
    return 0;
}
