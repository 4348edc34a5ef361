/* table.h: a small table of text cells, printed either as aligned columns
 * for a terminal or as a GitHub-flavored markdown table. Cells are copied. */
#ifndef RDBLENS_TABLE_H
#define RDBLENS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TABLE_MAX_COLS 12

typedef struct table {
    unsigned ncols;
    const char *head[TABLE_MAX_COLS];
    bool right[TABLE_MAX_COLS];   /* right-aligned (numbers) */
    char **cell;                  /* nrows * ncols */
    size_t nrows, cap;
    bool oom;
} table;

/* align: one char per column, 'l' or 'r'; heads: ncols strings (static). */
void table_init(table *t, const char *align, const char *const *heads);
/* Adds a row of ncols cells (NULL = empty). */
void table_row(table *t, const char *const *cells);
void table_free(table *t);

/* Aligned columns, two spaces apart, each line prefixed by 'indent' spaces;
 * the header is underlined with dashes, or bold when color is on. */
void table_print_text(FILE *out, const table *t, unsigned indent, bool color);
/* rule: a line of dashes under the header (table_print_text: when not in colour) */
void table_print_text_ex(FILE *out, const table *t, unsigned indent, bool color, bool rule);
/* | a | b | with | --- | ---: | alignment; markdown punctuation in cells
 * (\ ` * _ [ ] < > | ~) is backslash-escaped so it shows literally. */
void table_print_md(FILE *out, const table *t);

#endif
