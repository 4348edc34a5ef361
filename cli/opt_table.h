/* opt_table.h: the option and command tables of opt.h, for the files made
 * from them (opt.c parses, opt_help.c writes --help, opt_complete.c the
 * shell completions). Not part of the interface: commands use opt.h.
 */
#ifndef RDBLENS_CLI_OPT_TABLE_H
#define RDBLENS_CLI_OPT_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/opt.h"

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

typedef struct cmddef {
    unsigned bit;
    const char *name;
    const char *operands;    /* usage line after [options] */
    int min_files, max_files;
    const char *formats;     /* first is the default */
    const char *summary;     /* one line, for `rdblens --help` and completions */
    const char *about;       /* the help's paragraph */
} cmddef;

/* Groups of commands, as an option's cmds. */
#define ALL (CMD_KEYS | CMD_CHECK | CMD_REPORT | CMD_PROFILES | CMD_INSPECT | CMD_DIFF | CMD_MERGE)
#define WRITERS ALL
#define SELECTORS (CMD_KEYS | CMD_REPORT | CMD_DIFF)
#define TABLES (CMD_REPORT | CMD_DIFF | CMD_MERGE)   /* print report tables */
#define AGGREGATES (CMD_REPORT | CMD_DIFF)           /* aggregate dumps themselves */

/* Every option once, in the order --help lists them (each opt_id exactly
 * once: the array's size is checked against O_COUNT_ where it is defined). */
#define NOPTS ((size_t)O_COUNT_)
extern const optdef OPTS[NOPTS];

/* Every command, in the order `rdblens --help` and the completions list them. */
#define NCMDS ((size_t)7)
extern const cmddef CMDS[NCMDS];

/* The command of a CMD_* bit, or NULL. */
const cmddef *opt_cmd_def(unsigned bit);

/* The formats of c for --help and its errors: "text, json or md (default
 * text)". */
void opt_format_help(char *buf, size_t cap, const cmddef *c);

#endif
