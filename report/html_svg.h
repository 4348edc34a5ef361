/* html_svg.h: the HTML report's static charts, drawn here as inline SVG so
 * they show (and print) without JavaScript. Each chart is an image with a
 * title for screen readers and a hover title per bar; the numbers it draws
 * are in a table beside it, which is the text alternative.
 *
 * Labels and values are text for the page (a display form, html_escape.h);
 * they are escaped here. Classes are the stylesheet's (html_css.c): a bar's
 * class gives its colour, e.g. "t-hash".
 */
#ifndef RDBLENS_HTML_SVG_H
#define RDBLENS_HTML_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct html_bar {
    const char *label;    /* left of the bar */
    const char *value;    /* right of the bar: the figure as shown */
    uint64_t v;           /* the bar's length, against the largest v */
    const char *cls;      /* CSS class of the bar */
} html_bar;

/* One bar per row, lengths relative to the largest v. */
void html_svg_bars(FILE *out, const char *title, const html_bar *bars, size_t n);

/* One bar cut into parts (their v add up to the whole) with a legend row
 * per part underneath. */
void html_svg_stack(FILE *out, const char *title, const html_bar *parts, size_t n);

#endif
