/* sec_module.c: the "By module" table and the bytes-by-basis line of the
 * text and markdown reports (sections.h). */
#include <inttypes.h>
#include <stdio.h>

#include "report/rfmt.h"
#include "report/sections.h"

#define CELL RFMT_CELL

size_t sec_by_module(table *t, const agg_summary *s, size_t rows) {
    static const char *const h[] = {"module type", "encver", "keys", "bytes", "bytes %",
                                    "in the dump", "elements", "bytes rest on"};
    table_init(t, "lrrrrrrl", h);
    size_t n = s->nmodules < rows ? s->nmodules : rows;
    for (size_t i = 0; i < n; i++) {
        const agg_module_row *m = &s->modules[i];
        char c[6][CELL];
        snprintf(c[0], CELL, "%u", m->encver);
        rfmt_count(c[1], CELL, m->keys);
        rfmt_bytes(c[2], CELL, m->bytes);
        rfmt_pct(c[3], CELL, m->bytes, s->totals.bytes);
        rfmt_bytes(c[4], CELL, m->serialized_bytes);
        rfmt_count(c[5], CELL, m->elements);
        const char *row[] = {m->module, c[0], c[1], c[2], c[3], c[4], c[5], agg_module_row_basis(m)};
        table_row(t, row);
    }
    return s->nmodules - n;
}

char *sec_basis_line(char *buf, size_t cap, const agg_totals *tt) {
    char a[CELL], b[CELL], c[CELL], ap[CELL], bp[CELL], cp[CELL];
    snprintf(buf, cap, "measured model %s (%s), module source %s (%s), dump size %s (%s)",
             rfmt_bytes(a, CELL, tt->bytes_measured_model),
             rfmt_pct(ap, CELL, tt->bytes_measured_model, tt->bytes),
             rfmt_bytes(b, CELL, tt->bytes_source_model),
             rfmt_pct(bp, CELL, tt->bytes_source_model, tt->bytes),
             rfmt_bytes(c, CELL, tt->bytes_serialized_size),
             rfmt_pct(cp, CELL, tt->bytes_serialized_size, tt->bytes));
    return buf;
}
