/* opt_help.c: a command's --help and `rdblens --help`, written from the
 * option and command tables (opt_table.h): options grouped as the table
 * groups them, each with its range and default, wrapped at 92 columns.
 */
#include "cli/opt_table.h"

#include <stdbool.h>
#include <string.h>

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

void opt_format_help(char *buf, size_t cap, const cmddef *c) {
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
    const cmddef *c = opt_cmd_def(cmd);
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
            opt_format_help(help, sizeof help, c);
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
