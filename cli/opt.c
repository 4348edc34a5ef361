/* opt.c: a command line parsed by the option table (opt.h): getopt_long
 * over the options the command takes, each value checked (numbers and sizes
 * against the table's range, formats, times, --expiry, --info) into
 * cli_args, with the usage messages of opt.h.
 */
#include "cli/opt_table.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
            opt_format_help(h, sizeof h, c);
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
    const cmddef *c = opt_cmd_def(cmd);
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
