/* diff_render.h: `rdblens diff` output (report/diff_render.c): JSON as
 * docs/diff-schema.md states it (schema_version DIFF_SCHEMA_VERSION), text
 * and Markdown tables like the report's. */
#ifndef RDBLENS_DIFF_RENDER_H
#define RDBLENS_DIFF_RENDER_H

#include <stdio.h>

#include "analyze/diff.h"
#include "report/report.h"

#define DIFF_SCHEMA_VERSION 1

/* o->format: REPORT_TEXT, REPORT_JSON or REPORT_MD; 0, or -1 when a write
 * failed. */
int diff_render(FILE *out, const diff_result *d, const report_options *o);

#endif
