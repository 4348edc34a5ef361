/* html_assets.h: the HTML report's stylesheet and script, kept in their own
 * files (html_css.c, html_js.c) as C string literals, so the page needs no
 * build step and no file at run time. */
#ifndef RDBLENS_HTML_ASSETS_H
#define RDBLENS_HTML_ASSETS_H

extern const char html_css[];
extern const char html_js[];

#endif
