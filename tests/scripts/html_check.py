#!/usr/bin/env python3
"""html_check: the HTML report (`rdblens report --format html`) in a real
browser, Debian's headless Chromium, driven over the DevTools protocol on a
pipe (--remote-debugging-pipe: no port, no network, standard library only).

  html_check.py corpus RDBLENS OUTDIR NAME [REPORT OPTIONS] DUMP.rdb...
                                       real dumps' page (several dumps: one report,
                                       per-file panels; --info: the live server's view;
                                       --shards: the cluster section)
  html_check.py hostile RDBLENS OUTDIR               a dump of hostile key names,
                                                     written by a private redis-server

Per page: the file alone (no external URL in any script, style, image or
font; exactly two <script> elements; the embedded JSON parses); then in
Chromium with JavaScript on: no console error, no exception, no request but
the page itself, no Content-Security-Policy violation, no alert; the DOM
shows the top keys as text, exactly as the JSON report names them (in their
display form); the treemap SVG has blocks and drills into a prefix; sorting
and filtering work; no element or event handler came from a key name; a
screenshot is taken and is not blank (its pixels are decoded with zlib and
counted). Then with JavaScript off: the summary and the tables are there.
The browser driver is tests/scripts/chromium_cdp.py.

Prints one line per failed check and, last, "html-NAME: N passed, N failed".
If Chromium cannot run, that is a failure with the reason.
"""

import base64
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the tree

from chromium_cdp import CdpError, Chrome, colour_stats  # noqa: E402

passed = failed = 0


def ok():
    global passed
    passed += 1


def fail(msg):
    global failed
    failed += 1
    print("FAIL: " + msg, flush=True)


def check(cond, msg):
    if cond:
        ok()
    else:
        fail(msg)
    return cond


# ------------------------------------------------------------ the key names

BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}


def display_form(b):
    """The page's display form of key bytes: the redis-cli printable form
    (report/keyfmt.h) with bidi controls as the \\xHH escapes of their bytes
    (report/html_escape.h)."""
    out, i = [], 0
    while i < len(b):
        c = b[i]
        if 0x20 <= c < 0x7F:
            out.append("\\\\" if c == 0x5C else chr(c))
            i += 1
            continue
        n = 2 if 0xC2 <= c <= 0xDF else 3 if 0xE0 <= c <= 0xEF else 4 if 0xF0 <= c <= 0xF4 else 0
        ch = None
        if n and i + n <= len(b):
            try:
                ch = b[i:i + n].decode("utf-8")
            except UnicodeDecodeError:
                ch = None
        if ch is not None and ord(ch) not in BIDI:
            out.append(ch)
            i += n
        elif ch is not None:
            out.extend("\\x%02x" % x for x in b[i:i + n])
            i += n
        else:
            out.append("\\x%02x" % c)
            i += 1
    return "".join(out)


def printable_to_display(s):
    """A key as the JSON report writes it (printable form) to the display form."""
    return "".join("".join("\\x%02x" % x for x in ch.encode()) if ord(ch) in BIDI else ch for ch in s)


# Keys that try every way out of their context: tags, attribute breaks, the
# <script> block the treemap's JSON lives in, comments, control bytes,
# invalid UTF-8, bidi overrides, JavaScript line terminators, URLs.
HOSTILE = [
    b"<script>alert(1)</script>",
    b"</script><script>alert(2)</script>",
    b"evil:</script><!--<script>alert(3)</script>",
    b"evil:<!--:-->",
    b"\"><img src=x onerror=alert(4)>",
    b"'><svg onload=alert(5)>",
    b"attr:\" onmouseover=\"alert(6)\" x=\"",
    b"ctl:\x00\x01\x1b[31mred\x7f\n\r\t",
    b"bad:\xff\xfe\xc0\xaf\xed\xa0\x80",
    "rtl:\u202egnp.exe".encode(),
    "iso:\u2066x\u2069\u200f".encode(),
    "line:\u2028sep\u2029end".encode(),
    b"amp:&lt;b&gt;&amp;&#x3c;",
    b"https://evil.invalid/x.js",
    b"javascript:alert(7)",
    b"back\\slash\\x41",
    b"__proto__",
    b"long:" + b"A" * 5000 + b"<script>alert(8)</script>",
]


def write_hostile_dump(path):
    import redisctl
    with redisctl.RedisServer() as srv, srv.client() as c:
        for i, k in enumerate(HOSTILE):
            kind = i % 4
            # each a little heavier than the next, so the order is known
            size = 4000 - 150 * i
            if kind == 0:
                c.call("SET", k, b"v" * size)
            elif kind == 1:
                c.call("HSET", k, *[x for j in range(size // 60) for x in (b"f%d<b>" % j, b"x" * 20)])
            elif kind == 2:
                c.call("RPUSH", k, *[b"</script>%d" % j for j in range(size // 40)])
            else:
                c.call("ZADD", k, *[x for j in range(size // 50) for x in (j, b"\"m%d'" % j)])
        c.call("SET", b"plain:key", b"x" * 10)
        c.call("PEXPIRE", HOSTILE[0], 3600 * 1000)
        srv.save_to(path)


# ------------------------------------------------------------ the checks

URL_RE = re.compile(rb"(?i)\b(?:https?|ftp|wss?|file|javascript):|//[a-z0-9.-]+[/.]|@import|url\(")

TRAPS = r"""
window.__alerts = [];
window.__csp = [];
for (const n of ['alert', 'confirm', 'prompt', 'open', 'print'])
  window[n] = function () { window.__alerts.push(n + ':' + Array.from(arguments).join(',')); };
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI), true);
"""

# Facts about the DOM after load, as JSON.
FACTS = r"""
(() => {
  const q = (s) => Array.from(document.querySelectorAll(s));
  const tags = new Set(q('*').map((e) => e.localName));
  const handlers = [], urls = [];
  for (const e of q('*')) {
    for (const a of Array.from(e.attributes)) {
      const n = a.name.toLowerCase();
      if (n.startsWith('on')) handlers.push(e.localName + ' ' + n);
      if (['src', 'href', 'xlink:href', 'action', 'formaction', 'srcset', 'poster', 'background',
           'data', 'ping', 'manifest'].includes(n) && !(n === 'href' && a.value.startsWith('#')))
        urls.push(e.localName + ' ' + n + '=' + a.value);
    }
  }
  const svgs = q('svg').map((s) => s.id || s.getAttribute('class') || '?');
  return {
    title: document.title,
    tags: Array.from(tags).sort(),
    handlers: handlers, urls: urls, svgs: svgs,
    scripts: q('script').map((s) => (s.type || 'js') + '#' + (s.id || '')),
    topKeys: q('#top-bytes tbody td.key code.k').map((c) => c.textContent),
    prefixNames: q('#prefix-table tbody td.key').map((c) => c.textContent),
    overview: (document.getElementById('overview') || {}).textContent || '',
    tables: q('table').length,
    charts: q('svg.chart rect.bar').length,
    tmHidden: document.getElementById('tm-svg') ? document.getElementById('tm-svg').hasAttribute('hidden') : null,
    tiles: q('#tm-svg g.node').length,
    openTiles: q('#tm-svg g.node.open').length,
    findings: q('#findings li.finding').length,
    panels: q('#files details.panel').length,
    fileColumn: q('#top-bytes thead th').some((th) => th.textContent.startsWith('file')),
    live: q('#overview h3').some((h) => h.textContent.startsWith('The live server')),
    access: q('#access table').length,
    cluster: q('#cluster table').length,
    liveParts: q('#overview svg.chart').filter((s) => /^Live used_memory [^=]* = predicted/.test(s.getAttribute('aria-label')))
      .map((s) => s.querySelectorAll('rect.bar').length),
    alerts: window.__alerts || null,
    csp: window.__csp || null,
    height: document.documentElement.scrollHeight,
  };
})()
"""

# Drill into the first block that has children; hover it; sort; filter.
INTERACT = r"""
(async () => {
  const out = {};
  const g = document.querySelector('#tm-svg g.node.open');
  out.drillable = !!g;
  if (g) {
    const label = g.getAttribute('aria-label');
    g.dispatchEvent(new MouseEvent('mousemove', {bubbles: true, clientX: 50, clientY: 50}));
    const tip = document.getElementById('tm-tip');
    out.tipShown = !tip.hidden && tip.textContent.length > 0;
    out.tipText = tip.textContent;
    g.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    out.crumbs = Array.from(document.querySelectorAll('#tm-crumbs button')).map((b) => b.textContent);
    out.tilesAfter = document.querySelectorAll('#tm-svg g.node').length;
    out.label = label;
    document.querySelector('#tm-crumbs button').click();
    out.crumbsBack = document.querySelectorAll('#tm-crumbs button').length;
  }
  const t = document.getElementById('top-bytes');
  const col = Array.from(t.tHead.rows[0].cells).findIndex((c) => c.textContent.startsWith('bytes'));
  const btn = t.tHead.rows[0].cells[col].querySelector('button');
  const vals = () => Array.from(t.tBodies[0].rows).map((r) => r.cells[col].getAttribute('data-v'))
    .filter((v) => v !== '').map(Number);
  btn.click();
  out.sortFirst = t.tHead.rows[0].cells[col].getAttribute('aria-sort');
  out.desc = vals();
  btn.click();
  out.asc = vals();
  const input = document.getElementById('keys-q');
  out.filterUi = !!input;
  if (input) {
    const first = t.tBodies[0].rows[0].querySelector('td.key').textContent;
    input.value = first.slice(0, 12);
    input.dispatchEvent(new Event('input'));
    out.visible = Array.from(t.tBodies[0].rows).filter((r) => !r.hidden).length;
    out.rows = t.tBodies[0].rows.length;
    out.visibleMatch = Array.from(t.tBodies[0].rows).filter((r) => !r.hidden)
      .every((r) => r.querySelector('td.key').textContent.toLowerCase().includes(first.slice(0, 12).toLowerCase()));
    input.value = '';
    input.dispatchEvent(new Event('input'));
  }
  /* back to the summary's order: by rank, ascending */
  const rank = t.tHead.rows[0].cells[0].querySelector('button');
  rank.click();
  rank.click();
  return out;
})()
"""

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "dl",
                "dt", "dd", "br", "span", "code", "nav", "ul", "li", "a", "main", "section", "div",
                "p", "table", "caption", "thead", "tbody", "tr", "th", "td", "svg", "g", "rect",
                "text", "ol", "strong", "details", "summary", "figure", "figcaption", "noscript",
                "em", "footer", "script", "button", "input", "label", "select", "option", "pre"}


def static_checks(html, name, allow_url_in_keys):
    n_script_close = len(re.findall(rb"(?i)</script", html))
    check(n_script_close == 2, "%s: %d '</script' in the file, want 2 (a name closed a script?)"
          % (name, n_script_close))
    check(b"<!--" not in html, "%s: '<!--' in the file" % name)
    m = re.search(rb'<script type="application/json" id="rdblens-data">(.*?)</script>', html, re.S)
    if check(m is not None, "%s: no embedded data block" % name):
        try:
            data = json.loads(m.group(1))
            ok()
            check(len(data["tree"]) > 0, "%s: the treemap data has no node" % name)
        except ValueError as e:
            fail("%s: the embedded JSON does not parse: %s" % (name, e))
    # every src/href in the page is a fragment; no URL anywhere in the page's
    # own parts (a hostile page has URL-looking key names, as text)
    for attr in re.findall(rb'(?i)\s(?:src|href|action|srcset|poster)\s*=\s*"([^"]*)"', html):
        check(attr.startswith(b"#") or attr.startswith(b"data:"), "%s: link to %r" % (name, attr[:80]))
    own = html
    if allow_url_in_keys:
        own = re.sub(rb'<code class="k">.*?</code>', b"", own, flags=re.S)
        own = re.sub(rb'<script type="application/json".*?</script>', b"", own, flags=re.S)
        own = re.sub(rb"<title>.*?</title>", b"", own, flags=re.S)
    bad = URL_RE.findall(own)
    check(not bad, "%s: external URL or import in the page: %r" % (name, bad[:5]))


def browser_checks(page, outdir, name, expect_top, expect_prefixes, nfiles, live=None, access=False,
                   cluster=0):
    url = "file://" + os.path.abspath(page)
    chrome = None
    try:
        chrome = Chrome(outdir)
        chrome.open_page()
        chrome.call("Page.addScriptToEvaluateOnNewDocument", {"source": TRAPS})
        chrome.call("Emulation.setDeviceMetricsOverride",
                    {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        chrome.call("Page.navigate", {"url": url})
        chrome.wait_event("Page.loadEventFired", timeout=60)
        facts = chrome.eval(FACTS)
        try:
            inter = chrome.eval(INTERACT)
        except CdpError as e:  # the page is broken; the DOM checks below say how
            fail("%s: interacting with the page: %s" % (name, e))
            inter = {}
        facts_after = chrome.eval(FACTS)
        # the screenshot: the whole page, and the first screen for the pixel check
        shot = chrome.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                           "clip": {"x": 0, "y": 0, "width": 1280,
                                    "height": min(facts["height"], 12000), "scale": 1}}, timeout=120)
        full = base64.b64decode(shot["data"])
        with open(os.path.join(outdir, name + ".png"), "wb") as f:
            f.write(full)
        first = base64.b64decode(chrome.call("Page.captureScreenshot", {"format": "png"})["data"])
        tm = chrome.eval("(() => { const r = document.getElementById('tm-svg').getBoundingClientRect();"
                         " return {x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height}; })()")
        tm_png = base64.b64decode(chrome.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True, "clip": {"x": tm["x"], "y": tm["y"], "width": max(1, tm["w"]),
                                      "height": max(1, tm["h"]), "scale": 0.5}})["data"])
        # without JavaScript
        chrome.call("Emulation.setScriptExecutionDisabled", {"value": True})
        chrome.call("Page.navigate", {"url": url})
        chrome.wait_event("Page.loadEventFired", timeout=60)
        nojs = chrome.eval(FACTS)
        # drain what came in meanwhile
        chrome.call("Runtime.evaluate", {"expression": "1"})
    except (CdpError, OSError, ValueError) as e:
        fail("%s: Chromium could not run the page: %s" % (name, e))
        return
    finally:
        if chrome:
            chrome.close()

    # console, exceptions, requests
    errors, requests = [], []
    for e in chrome.events:
        m, p = e["method"], e.get("params", {})
        if m == "Runtime.exceptionThrown":
            errors.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:300])
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            errors.append("console.%s: %s" % (p["type"], [a.get("value", a.get("description")) for a in p.get("args", [])]))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
            errors.append("log %s: %s" % (p["entry"]["level"], p["entry"].get("text", "")[:300]))
        elif m == "Network.requestWillBeSent":
            u = p.get("request", {}).get("url", "")
            if u != url:
                requests.append(u)
    check(not errors, "%s: console errors: %s" % (name, errors[:5]))
    check(not requests, "%s: the page made requests: %s" % (name, requests[:5]))
    for label, f in (("js", facts), ("js, after interaction", facts_after), ("no js", nojs)):
        check(not f["handlers"], "%s (%s): event handler attributes: %s" % (name, label, f["handlers"][:5]))
        check(not f["urls"], "%s (%s): URL attributes: %s" % (name, label, f["urls"][:5]))
        extra = set(f["tags"]) - ALLOWED_TAGS
        check(not extra, "%s (%s): unexpected elements %s" % (name, label, sorted(extra)))
        check(f["scripts"] == ["application/json#rdblens-data", "js#"],
              "%s (%s): scripts %s" % (name, label, f["scripts"]))
        check(all(s in ("chart", "tm-svg") for s in f["svgs"]), "%s (%s): foreign svg %s" % (name, label, f["svgs"]))
        check(f["alerts"] == [] if label != "no js" else True, "%s (%s): alerts %s" % (name, label, f["alerts"]))
        check(f["csp"] == [] if label != "no js" else True, "%s (%s): CSP violations %s" % (name, label, f["csp"]))
        got = f["topKeys"][:len(expect_top)]
        same = len(got) == len(expect_top) and all(
            g == e if e is not None else g.startswith("long:AAAA") and g.endswith("...")
            for g, e in zip(got, expect_top))
        check(same, "%s (%s): top keys in the DOM %s, want %s" % (name, label, got[:6], expect_top[:6]))
        check(f["findings"] >= 0 and f["tables"] >= 6 and f["charts"] >= 3,
              "%s (%s): tables %d charts %d" % (name, label, f["tables"], f["charts"]))
        check("keys" in f["overview"] and "findings" in f["overview"], "%s (%s): no overview" % (name, label))
        check(f["live"] == bool(live), "%s (%s): live server section %s, --info given %s"
              % (name, label, f["live"], bool(live)))
        if live and live["explained"]["gap"] >= 0 and live["explained"]["rest"] >= 0:
            # live above the prediction: one bar of its parts, a legend of six
            check(len(f["liveParts"]) == 1 and f["liveParts"][0] >= 7,
                  "%s (%s): live bar parts %s" % (name, label, f["liveParts"]))
        check((f["access"] >= 2) == access, "%s (%s): %d access tables, LRU/LFU in the dump %s"
              % (name, label, f["access"], access))
        check(f["cluster"] == cluster, "%s (%s): %d cluster tables, want %d"
              % (name, label, f["cluster"], cluster))
        want_panels = nfiles if nfiles > 1 else 0
        check(f["panels"] == want_panels and f["fileColumn"] == (nfiles > 1),
              "%s (%s): %d file panels, file column %s, for %d files" % (name, label, f["panels"], f["fileColumn"], nfiles))
    for p in expect_prefixes:
        check(p in facts["prefixNames"], "%s: prefix %r not in the prefix table" % (name, p[:80]))
    check(facts["tmHidden"] is False and facts["tiles"] > 0,
          "%s: treemap not drawn (hidden %s, %d blocks)" % (name, facts["tmHidden"], facts["tiles"]))
    check(nojs["tmHidden"] is True and nojs["tiles"] == 0, "%s: without JS the treemap should be hidden" % name)
    if not inter:
        return
    check(inter.get("drillable") and inter.get("tipShown") and len(inter.get("crumbs", [])) == 2
          and inter.get("tilesAfter", 0) > 0 and inter.get("crumbsBack") == 1,
          "%s: treemap drill-down/hover: %s" % (name, {k: inter.get(k) for k in
                                                      ("drillable", "tipShown", "crumbs", "tilesAfter", "crumbsBack")}))
    check(inter["sortFirst"] == "descending" and inter["desc"] == sorted(inter["desc"], reverse=True)
          and inter["asc"] == sorted(inter["asc"]), "%s: sorting by bytes: %s" % (name, inter))
    check(inter["filterUi"] and 0 < inter["visible"] <= inter["rows"] and inter["visibleMatch"],
          "%s: filter: %s" % (name, {k: inter.get(k) for k in ("filterUi", "visible", "rows")}))
    # not blank: the first screen and the treemap have many colours, the
    # treemap at least the few of its types
    ncol, top = colour_stats(first)
    check(ncol >= 24 and top < 0.92, "%s: first screen looks blank: %d colours, %.1f%% one colour"
          % (name, ncol, 100 * top))
    ncol_tm, top_tm = colour_stats(tm_png)
    check(ncol_tm >= 4 and top_tm < 0.9, "%s: treemap looks blank: %d colours, %.1f%% one colour"
          % (name, ncol_tm, 100 * top_tm))
    print("%s: %d bytes, screenshot %s (%d colours on the first screen, %d in the treemap, %d blocks)"
          % (name, os.path.getsize(page), os.path.join(outdir, name + ".png"), ncol, ncol_tm,
             facts["tiles"]), flush=True)


def run_report(rdblens, dumps, page, opts):
    r = subprocess.run([rdblens, "report", "--format", "html", "-o", page] + opts + dumps,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(r.returncode == 0, "report --format html on %s: exit %d: %s" % (dumps, r.returncode, r.stderr[-300:]))
    j = subprocess.run([rdblens, "report", "--format", "json"] + opts + dumps,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return json.loads(j.stdout)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("corpus", "hostile") or (sys.argv[1] == "corpus" and len(sys.argv) < 6):
        sys.exit(__doc__)
    mode, rdblens, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    name = "html-" + (mode if mode == "hostile" else sys.argv[4])
    if mode == "hostile":
        dump = os.path.join(outdir, "hostile.rdb")
        try:
            write_hostile_dump(dump)
            ok()
        except Exception as e:  # the reason is the test's result
            fail("%s: could not write the hostile dump with redis-server: %s" % (name, e))
            print("%s: %d passed, %d failed" % (name, passed, failed))
            return 1
    dumps = [dump] if mode == "hostile" else sys.argv[5:]
    # report options come before the dumps (the first argument ending in .rdb)
    first = next((i for i, a in enumerate(dumps) if a.endswith(".rdb")), len(dumps))
    opts, dumps = dumps[:first], dumps[first:]
    page = os.path.join(outdir, name + ".html")
    rep = run_report(rdblens, dumps, page, opts)
    with open(page, "rb") as f:
        html = f.read()
    static_checks(html, name, mode == "hostile")
    top = [k["key"] for k in rep["top_keys"]["by_bytes"]]
    expect_top = [printable_to_display(k) for k in top]
    if mode == "hostile":
        # the names the page must show are exactly the hostile ones, in order
        by_hand = [display_form(k) for k in HOSTILE]
        shown = [k for k in expect_top if not k.startswith("long:")]
        check(set(by_hand[:-1]) <= set(shown), "%s: the JSON report's names differ from the display forms: %s"
              % (name, set(by_hand[:-1]) - set(shown)))
        # the long name: only its head was kept, and the page cuts it
        expect_top = [k if not k.startswith("long:") else None for k in expect_top]
    prefixes = [printable_to_display(p["prefix"]) for p in rep["prefixes"]["nodes"]
                if not p["other"] and len(p["prefix"]) < 150][:10]
    live = rep.get("live")
    access = bool(rep.get("access"))
    # the cluster tables: overview, shards, slots, and hash tags when there are any
    cluster = 0
    if rep.get("cluster") and "--shards" in opts:
        cluster = 3 + (1 if rep["cluster"]["hash_tags"]["top"] else 0)
    browser_checks(page, outdir, name, expect_top[:20], prefixes, len(dumps), live, access, cluster)
    print("%s: %d passed, %d failed" % (name, passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
