/* html_svg.c: horizontal bar charts as inline SVG (html_svg.h).
 *
 *   0        LABEL_W                    BAR_X + BAR_W            WIDTH
 *   | label  |####################       | value                 |
 *
 * Sizes are in the viewBox; the SVG scales with the page (width 100 %,
 * max-width in the stylesheet), so a chart fits a phone and a printout. */
#include "report/html_svg.h"

#include "report/html_escape.h"

#define WIDTH 580
#define LABEL_W 124
#define BAR_X (LABEL_W + 8)
#define BAR_W 250
#define ROW_H 24
#define BAR_H 16

/* bar length in the viewBox for v of max; at least 1 unit for any v > 0,
 * so a tiny share is still seen to exist */
static double length(uint64_t v, uint64_t max) {
    if (!v || !max) return 0;
    double w = (double)BAR_W * ((double)v / (double)max);
    return w < 1 ? 1 : w;
}

static void open_svg(FILE *out, const char *title, unsigned height) {
    fprintf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %u\" width=\"100%%\" role=\"img\" "
                 "aria-label=\"", WIDTH, height);
    html_attr(out, title);
    fputs("\" preserveAspectRatio=\"xMinYMin meet\">\n<title>", out);
    html_text(out, title);
    fputs("</title>\n", out);
}

static void bar_title(FILE *out, const html_bar *b) {
    fputs("<title>", out);
    html_text(out, b->label);
    fputs(": ", out);
    html_text(out, b->value);
    fputs("</title>", out);
}

void html_svg_bars(FILE *out, const char *title, const html_bar *bars, size_t n) {
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (bars[i].v > max) max = bars[i].v;
    open_svg(out, title, (unsigned)(n * ROW_H + 4));
    for (size_t i = 0; i < n; i++) {
        const html_bar *b = &bars[i];
        unsigned y = (unsigned)(i * ROW_H + 2);
        fputs("<g>", out);
        bar_title(out, b);
        fprintf(out, "<text class=\"lbl\" x=\"%d\" y=\"%u\" text-anchor=\"end\">", LABEL_W,
                y + BAR_H - 3);
        html_text(out, b->label);
        fprintf(out, "</text><rect class=\"track\" x=\"%d\" y=\"%u\" width=\"%d\" height=\"%d\"/>",
                BAR_X, y, BAR_W, BAR_H);
        double w = length(b->v, max);
        if (w > 0) {
            fprintf(out, "<rect class=\"bar ");
            html_attr(out, b->cls ? b->cls : "");
            fprintf(out, "\" x=\"%d\" y=\"%u\" width=\"%.1f\" height=\"%d\"/>", BAR_X, y, w, BAR_H);
        }
        fprintf(out, "<text class=\"val\" x=\"%d\" y=\"%u\">", BAR_X + BAR_W + 8, y + BAR_H - 3);
        html_text(out, b->value);
        fputs("</text></g>\n", out);
    }
    fputs("</svg>\n", out);
}

void html_svg_stack(FILE *out, const char *title, const html_bar *parts, size_t n) {
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) total += parts[i].v;
    const unsigned full = WIDTH - 2, top = 28;
    open_svg(out, title, (unsigned)(top + 8 + n * ROW_H));
    double x = 0;
    for (size_t i = 0; i < n; i++) {
        const html_bar *b = &parts[i];
        double w = total ? (double)full * ((double)b->v / (double)total) : 0;
        if (w <= 0) continue;
        fputs("<g>", out);
        bar_title(out, b);
        fputs("<rect class=\"bar ", out);
        html_attr(out, b->cls ? b->cls : "");
        fprintf(out, "\" x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"%u\"/></g>\n", x, w, top - 6);
        x += w;
    }
    for (size_t i = 0; i < n; i++) {
        const html_bar *b = &parts[i];
        unsigned y = (unsigned)(top + 8 + i * ROW_H);
        fputs("<g>", out);
        bar_title(out, b);
        fputs("<rect class=\"bar ", out);
        html_attr(out, b->cls ? b->cls : "");
        fprintf(out, "\" x=\"0\" y=\"%u\" width=\"14\" height=\"14\"/>", y);
        fprintf(out, "<text class=\"lbl\" x=\"22\" y=\"%u\">", y + 12);
        html_text(out, b->label);
        fprintf(out, "</text><text class=\"val\" x=\"%u\" y=\"%u\" text-anchor=\"end\">", full, y + 12);
        html_text(out, b->value);
        fputs("</text></g>\n", out);
    }
    fputs("</svg>\n", out);
}
