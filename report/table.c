/* table.c: see table.h. */
#include "report/table.h"

#include <stdlib.h>
#include <string.h>

#include "report/rfmt.h"

void table_init(table *t, const char *align, const char *const *heads) {
    memset(t, 0, sizeof *t);
    t->ncols = (unsigned)strlen(align);
    if (t->ncols > TABLE_MAX_COLS) t->ncols = TABLE_MAX_COLS;
    for (unsigned c = 0; c < t->ncols; c++) {
        t->head[c] = heads[c];
        t->right[c] = align[c] == 'r';
    }
}

void table_row(table *t, const char *const *cells) {
    if (t->oom) return;
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **v = realloc(t->cell, cap * t->ncols * sizeof *v);
        if (!v) { t->oom = true; return; }
        t->cell = v;
        t->cap = cap;
    }
    char **row = &t->cell[t->nrows * t->ncols];
    for (unsigned c = 0; c < t->ncols; c++) {
        row[c] = strdup(cells[c] ? cells[c] : "");
        if (!row[c]) {
            for (unsigned k = 0; k < c; k++) free(row[k]);
            t->oom = true;
            return;
        }
    }
    t->nrows++;
}

void table_free(table *t) {
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cell[i]);
    free(t->cell);
    memset(t, 0, sizeof *t);
}

static void pad(FILE *out, size_t n) {
    while (n--) fputc(' ', out);
}

static void cell_out(FILE *out, const char *s, size_t width, bool right, bool last) {
    size_t w = rfmt_width(s);
    size_t gap = width > w ? width - w : 0;
    if (right) pad(out, gap);
    fputs(s, out);
    if (!right && !last) pad(out, gap);
}

void table_print_text(FILE *out, const table *t, unsigned indent, bool color) {
    table_print_text_ex(out, t, indent, color, !color);
}

void table_print_text_ex(FILE *out, const table *t, unsigned indent, bool color, bool rule) {
    size_t width[TABLE_MAX_COLS];
    for (unsigned c = 0; c < t->ncols; c++) {
        width[c] = rfmt_width(t->head[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t w = rfmt_width(t->cell[r * t->ncols + c]);
            if (w > width[c]) width[c] = w;
        }
    }
    pad(out, indent);
    if (color) fputs("\033[1m", out);
    for (unsigned c = 0; c < t->ncols; c++) {
        if (c) fputs("  ", out);
        cell_out(out, t->head[c], width[c], t->right[c], c + 1 == t->ncols);
    }
    if (color) fputs("\033[0m", out);
    fputc('\n', out);
    if (rule) {
        pad(out, indent);
        for (unsigned c = 0; c < t->ncols; c++) {
            if (c) fputs("  ", out);
            for (size_t i = 0; i < width[c]; i++) fputc('-', out);
        }
        fputc('\n', out);
    }
    for (size_t r = 0; r < t->nrows; r++) {
        pad(out, indent);
        for (unsigned c = 0; c < t->ncols; c++) {
            if (c) fputs("  ", out);
            cell_out(out, t->cell[r * t->ncols + c], width[c], t->right[c], c + 1 == t->ncols);
        }
        fputc('\n', out);
    }
}

static void md_cell(FILE *out, const char *s) {
    fputc(' ', out);
    for (; *s; s++) {
        /* markdown punctuation that would format or split the cell */
        if (strchr("\\`*_[]<>|~", *s)) fputc('\\', out);
        fputc(*s, out);
    }
    fputs(" |", out);
}

void table_print_md(FILE *out, const table *t) {
    fputc('|', out);
    for (unsigned c = 0; c < t->ncols; c++) md_cell(out, t->head[c]);
    fputs("\n|", out);
    for (unsigned c = 0; c < t->ncols; c++) fputs(t->right[c] ? " ---: |" : " --- |", out);
    fputc('\n', out);
    for (size_t r = 0; r < t->nrows; r++) {
        fputc('|', out);
        for (unsigned c = 0; c < t->ncols; c++) md_cell(out, t->cell[r * t->ncols + c]);
        fputc('\n', out);
    }
}
