/* test_html_escape.c: the HTML report's escapes (report/html_escape.c), one
 * per context, with hostile strings: exact bytes out for tags, quotes,
 * references, "</script>", "<!--", U+2028/2029, control bytes, invalid
 * UTF-8 and bidi controls; the display form against keyfmt's printable
 * form; and a whole page (report_html) over an aggregate of hostile key
 * names, where every name must appear only escaped. The same page in a real
 * browser is tests/scripts/html.sh. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/agg.h"
#include "report/html_escape.h"
#include "report/keyfmt.h"
#include "report/report.h"
#include "tests/support/keyrecs.h"

typedef void (*esc_fn)(FILE *, const char *);

/* what fn writes for s */
static char *run(esc_fn fn, const char *s) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    fn(f, s);
    fclose(f);
    return buf;
}

static void expect(esc_fn fn, const char *in, const char *want) {
    char *got = run(fn, in);
    cr_expect_str_eq(got, want, "escaping [%s]", in);
    free(got);
}

Test(html_escape, text) {
    expect(html_text, "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html_text, "\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(html_text, "'&amp;&#x3c;", "&#39;&amp;amp;&amp;#x3c;");
    expect(html_text, "<!-- -->", "&lt;!-- --&gt;");
    expect(html_text, "plain: ключ ユニコード", "plain: ключ ユニコード");
    expect(html_text, "", "");
}

Test(html_escape, attribute) {
    expect(html_attr, "\" onmouseover=\"alert(1)\" x=\"", "&quot; onmouseover=&quot;alert(1)&quot; x=&quot;");
    expect(html_attr, "' onload='x'", "&#39; onload=&#39;x&#39;");
    expect(html_attr, "a\tb\nc`d", "a&#9;b&#10;c&#96;d");
    expect(html_attr, "<>&", "&lt;&gt;&amp;");
}

Test(html_escape, script_json) {
    expect(html_json_string, "</script><script>alert(1)</script>",
           "\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\"");
    expect(html_json_string, "<!--", "\"\\u003c!--\"");
    expect(html_json_string, "a\"b\\c", "\"a\\\"b\\\\c\"");
    expect(html_json_string, "&amp;", "\"\\u0026amp;\"");
    expect(html_json_string, "x\xe2\x80\xa8y\xe2\x80\xa9z", "\"x\\u2028y\\u2029z\"");
    expect(html_json_string, "t\tn\n", "\"t\\tn\\n\"");
    expect(html_json_string, "ключ", "\"ключ\"");
}

/* No context lets a control byte, an invalid sequence or a surrogate
 * through: they become U+FFFD (the display form never has them). */
Test(html_escape, controls_and_invalid_utf8) {
    static const char repl[] = "\xef\xbf\xbd";
    char want[64];
    snprintf(want, sizeof want, "a%sb%sc%s%sd%s", repl, repl, repl, repl, repl);
    expect(html_text, "a\x01" "b\x1b" "c\xff\xc0" "d\x7f", want);
    expect(html_attr, "a\x01" "b\x1b" "c\xff\xc0" "d\x7f", want);
    snprintf(want, sizeof want, "\"a%sb%sc%s%sd%s\"", repl, repl, repl, repl, repl);
    expect(html_json_string, "a\x01" "b\x1b" "c\xff\xc0" "d\x7f", want);
    /* an encoded surrogate (ED A0 80) is three invalid bytes */
    snprintf(want, sizeof want, "%s%s%s", repl, repl, repl);
    expect(html_text, "\xed\xa0\x80", want);
}

/* Bidi controls are shown as the escapes of their bytes, everything else
 * of the text is kept. */
Test(html_escape, bidi_inert) {
    char out[256];
    html_inert_bidi(out, sizeof out, "rtl:\xe2\x80\xae" "gnp.exe");
    cr_expect_str_eq(out, "rtl:\\xe2\\x80\\xaegnp.exe");
    html_inert_bidi(out, sizeof out, "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad");
    cr_expect_str_eq(out, "\\xe2\\x80\\xaa\\xe2\\x80\\xab\\xe2\\x80\\xac\\xe2\\x80\\xad");
    html_inert_bidi(out, sizeof out, "\xe2\x81\xa6x\xe2\x81\xa9\xe2\x81\xa7\xe2\x81\xa8");
    cr_expect_str_eq(out, "\\xe2\\x81\\xa6x\\xe2\\x81\\xa9\\xe2\\x81\\xa7\\xe2\\x81\\xa8");
    html_inert_bidi(out, sizeof out, "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c");
    cr_expect_str_eq(out, "\\xe2\\x80\\x8e\\xe2\\x80\\x8f\\xd8\\x9c");
    /* neighbours of the ranges are ordinary text */
    html_inert_bidi(out, sizeof out, "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa ok");
    cr_expect_str_eq(out, "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa ok");
    /* too small: cut before the escape that does not fit, NUL-terminated */
    size_t n = html_inert_bidi(out, 10, "ab\xe2\x80\xae" "cd");
    cr_expect_eq(n, 2);
    cr_expect_str_eq(out, "ab");
}

/* The display form is keyfmt's printable form (the JSON report's and
 * `rdblens keys`' names) wherever there is no bidi control. */
Test(html_escape, display_form_is_printable_form) {
    static const struct { const char *s; size_t n; } cases[] = {
        {"user:1:cart", 11}, {"back\\slash", 10}, {"nul\0byte", 8}, {"\xff\xfe\xc0\xaf", 4},
        {"ctl\x01\x1b[31m\x7f\n", 10}, {"ключ-ユニコード", 0}, {"<script>alert(1)</script>", 0},
        {"\xf0\x9f\x98\x80 emoji", 0}, {"\xed\xa0\x80 surrogate", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = cases[i].n ? cases[i].n : strlen(cases[i].s);
        char *want = NULL;
        size_t wlen = 0;
        FILE *f = open_memstream(&want, &wlen);
        keyfmt_printable(f, (const uint8_t *)cases[i].s, n);
        fclose(f);
        char got[HTML_KEY_CAP(200)];
        html_key_form(got, sizeof got, (const uint8_t *)cases[i].s, n, 200, false);
        cr_expect_str_eq(got, want, "case %zu", i);
        free(want);
    }
    char got[HTML_KEY_CAP(200)];
    html_key_form(got, sizeof got, (const uint8_t *)"a\xe2\x80\xae" "b\\", 6, 200, false);
    cr_expect_str_eq(got, "a\\xe2\\x80\\xaeb\\\\");
}

/* Long names are cut in the middle (head_only: at the end), never inside
 * an escape, and stay within the buffer. */
Test(html_escape, display_form_cut) {
    char key[3000];
    memset(key, 'A', sizeof key);
    memcpy(key + sizeof key - 4, "\xe2\x80\xaeZ", 4);
    char got[HTML_KEY_CAP(40)];
    html_key_form(got, sizeof got, (const uint8_t *)key, sizeof key, 40, false);
    cr_expect_not_null(strstr(got, "..."));
    cr_expect(strlen(got) < sizeof got);
    cr_expect_not_null(strstr(got, "\\xe2\\x80\\xaeZ"), "the tail keeps the inert control: %s", got);
    html_key_form(got, sizeof got, (const uint8_t *)key, sizeof key, 40, true);
    size_t n = strlen(got);
    cr_expect(n > 3 && strcmp(got + n - 3, "...") == 0, "head only: %s", got);
}

/* ---- a whole page over hostile names ----------------------------------- */

static const char *const HOSTILE[] = {
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    "evil:</script><!--<script>alert(3)</script>",
    "\"><img src=x onerror=alert(4)>",
    "attr:\" onmouseover=\"alert(5)",
    "sep:\xe2\x80\xa8:\xe2\x80\xa9",
    "rtl:\xe2\x80\xae" "fdp.exe",
};
#define NHOSTILE (sizeof HOSTILE / sizeof HOSTILE[0])

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

Test(html_escape, page_keeps_hostile_names_inert) {
    agg_options o;
    agg_options_init(&o);
    o.tree_nodes = REPORT_HTML_TREE_NODES;
    agg *a = agg_new(&o);
    cr_assert_not_null(a);
    agg_begin_file(a, "dumps/<b>evil</b>\".rdb", 4096, -1);
    for (size_t i = 0; i < NHOSTILE; i++) {
        key_record r = kr(0, HOSTILE[i], RDB_KIND_HASH, "hashtable", 20000 - 100 * i, 600, 10);
        cr_assert_eq(agg_add(a, &r), 0);
    }
    agg_set_profile(a, "redis-7.2");
    const agg_summary *s = agg_finish(a);
    cr_assert_not_null(s);
    cr_assert_gt(s->nprefix_tree, 0);
    report_options ro;
    report_options_init(&ro);
    ro.format = REPORT_HTML;
    char *page = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&page, &len);
    cr_assert_eq(report_render(f, s, &ro), 0);
    fclose(f);
    /* one data block and one script, so nothing closed or opened another */
    cr_expect_eq(count(page, "<script"), 2, "script elements: %zu", count(page, "<script"));
    cr_expect_eq(count(page, "</script"), 2);
    cr_expect_eq(count(page, "<!--"), 0);
    cr_expect_eq(count(page, "<img"), 0);
    cr_expect_eq(count(page, "onmouseover=\""), 0);
    cr_expect_eq(count(page, "\xe2\x80\xae"), 0, "a raw bidi override");
    const char *data = strstr(page, "id=\"rdblens-data\">");
    cr_assert_not_null(data);
    const char *data_end = strstr(data, "</script>");
    cr_assert_not_null(data_end);
    char *block = strndup(data, (size_t)(data_end - data));
    cr_expect_eq(count(block, "\xe2\x80\xa8"), 0, "a raw U+2028 in the JSON");
    cr_expect_gt(count(block, "sep:\\u2028:"), 0, "U+2028 escaped in the JSON");
    free(block);
    /* the names are there, as text and in the treemap's JSON */
    cr_expect_gt(count(page, "<code class=\"k\">&lt;script&gt;alert(1)&lt;/script&gt;</code>"), 0);
    cr_expect_gt(count(page, "&quot;&gt;&lt;img src=x onerror=alert(4)&gt;"), 0);
    cr_expect_gt(count(page, "rtl:\\xe2\\x80\\xaefdp.exe"), 0);
    cr_expect_gt(count(page, "\"\\u003c/script\\u003e\\u003cscript\\u003ealert(2)\\u003c/script\\u003e\""), 0);
    cr_expect_gt(count(page, "dumps/&lt;b&gt;evil&lt;/b&gt;&quot;.rdb"), 0);
    /* the page's own script runs by nonce, nothing else may */
    cr_expect_gt(count(page, "script-src 'nonce-rdblens-fixed-nonce'"), 0);
    cr_expect_eq(count(page, "http:"), 0);
    cr_expect_eq(count(page, "https:"), 0);
    free(page);
    agg_free(a);
}
