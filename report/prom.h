/* prom.h: Prometheus text exposition of a report (prom.c), and the label
 * escaping it uses (unit-tested with hostile names in tests/test_prom.c). */
#ifndef RDBLENS_PROM_H
#define RDBLENS_PROM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/report.h"

/* A label value (without its quotes) for arbitrary bytes: rdblens'
 * printable form (valid UTF-8 as is, "\\" for a backslash, "\xHH" for any
 * other byte), escaped for the exposition format (\\ and \"), so the value
 * Prometheus reads back is the printable form. */
void prom_label_value(FILE *out, const uint8_t *p, size_t n);

#endif
