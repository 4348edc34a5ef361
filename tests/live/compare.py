#!/usr/bin/env python3
"""compare.py: check rdblens' view of a dump against what a real server said.

  compare.py --truth T.jsonl --meta M.json (--rdblens BIN --dump FILE | --keys K.jsonl [--report R.json])
             [--require-memory] [--name live]

T.jsonl / M.json: the reload truth of the dump (tools/redisctl.py capture, or
a reload-*.jsonl / reload-meta-*.json pair of ../shared/corpus; .gz accepted).
With --rdblens, runs `BIN keys --format jsonl FILE` and
`BIN report --format json FILE` itself.

Always asserted: rdblens keys exits 0 with one JSON object per line; the same
key set (keys in the dump whose expiry had passed when the server loaded it
are expected to be missing from the truth); no key twice; type; elements
(STRLEN/LLEN/SCARD/ZCARD/HLEN/XLEN); absolute expiry in ms (when the truth
has expire_at_ms). Once rdblens prints them (mandatory with
--require-memory): `encoding` equal to OBJECT ENCODING; `bytes` equal to
MEMORY USAGE key SAMPLES 0 for every non-skiplist key, within 5 % for
skiplists; report totals.predicted_used_memory within 1 % of used_memory.

Prints one line per check and closes with "NAME: N passed, N failed, N skipped";
exits 1 when a check failed.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys

MAX_SHOW = 15


def open_text(path):
    return gzip.open(path, "rt") if path.endswith(".gz") else open(path)


def unescape(s):
    """Key bytes from a printable form: both rdblens' (UTF-8 kept, \\\\ and
    \\xHH) and the corpus' (ASCII kept, \\\\ and \\xNN) forms decode here."""
    out = bytearray()
    i = 0
    n = len(s)
    while i < n:
        ch = s[i]
        if ch == "\\" and i + 1 < n:
            nx = s[i + 1]
            if nx == "\\":
                out.append(0x5C)
                i += 2
                continue
            if nx == "x" and i + 3 < n and _ishex(s[i + 2:i + 4]):
                out.append(int(s[i + 2:i + 4], 16))
                i += 4
                continue
        out += ch.encode("utf-8", "surrogatepass")
        i += 1
    return bytes(out)


def _ishex(t):
    return len(t) == 2 and all(c in "0123456789abcdefABCDEF" for c in t)


def show_key(db, kb):
    out = []
    for b in kb[:80]:
        if b == 0x5C:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
    more = "...(%d bytes)" % len(kb) if len(kb) > 80 else ""
    return 'db%d "%s%s"' % (db, "".join(out), more)


def load_truth(path):
    rows = {}
    with open_text(path) as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("aof_tail"):
                continue  # not in the RDB part
            kb = bytes.fromhex(r["key_hex"]) if r.get("key_hex") is not None else unescape(r["key"])
            rows[(int(r["db"]), kb)] = r
    return rows


class Checks:
    def __init__(self, name):
        self.name = name
        self.passed = self.failed = self.skipped = 0

    def ok(self, what, detail=""):
        self.passed += 1
        print("%s: PASS %s%s" % (self.name, what, (": " + detail) if detail else ""))

    def fail(self, what, detail="", lines=()):
        self.failed += 1
        print("%s: FAIL %s%s" % (self.name, what, (": " + detail) if detail else ""))
        lines = list(lines)
        for ln in lines[:MAX_SHOW]:
            print("    " + ln)
        if len(lines) > MAX_SHOW:
            print("    ... %d more" % (len(lines) - MAX_SHOW))

    def skip(self, what, detail=""):
        self.skipped += 1
        print("SKIP: %s%s" % (what, (" (" + detail + ")") if detail else ""))

    def check_list(self, what, bad, total, detail_ok=""):
        if bad:
            self.fail(what, "%d of %d keys differ" % (len(bad), total), bad)
        else:
            self.ok(what, detail_ok or "%d keys" % total)

    def summary(self):
        print("%s: %d passed, %d failed, %d skipped"
              % (self.name, self.passed, self.failed, self.skipped))


def sanitizer_trouble(stderr):
    return any(s in stderr for s in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                                     "runtime error:", "Segmentation fault"))


def run(cmd, timeout=300):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def main(argv):
    ap = argparse.ArgumentParser(description="compare rdblens output with server truth")
    ap.add_argument("--truth", required=True)
    ap.add_argument("--meta", required=True)
    ap.add_argument("--rdblens")
    ap.add_argument("--dump")
    ap.add_argument("--keys", help="pre-made output of rdblens keys --format jsonl")
    ap.add_argument("--report", help="pre-made output of rdblens report --format json")
    ap.add_argument("--require-memory", action="store_true",
                    default=os.environ.get("LIVE_REQUIRE_MEMORY", "1") == "1",
                    help="fail (not skip) when bytes/encoding/predicted_used_memory are absent")
    ap.add_argument("--skiplist-tol", type=float, default=0.05)
    ap.add_argument("--used-memory-tol", type=float, default=0.01)
    ap.add_argument("--name", default="live")
    a = ap.parse_args(argv)
    if not a.keys and not (a.rdblens and a.dump):
        ap.error("give --keys, or --rdblens and --dump")

    C = Checks(a.name)
    truth = load_truth(a.truth)
    with open_text(a.meta) as f:
        meta = json.load(f)
    used_memory = meta.get("used_memory") or (meta.get("memory_summary") or {}).get("used_memory")
    loaded_ms = meta.get("loaded_time_ms") or meta.get("capture_end_ms")
    capture_end_ms = meta.get("capture_end_ms") or loaded_ms
    lost = set((int(x["db"]), bytes.fromhex(x["key_hex"]) if x.get("key_hex") else unescape(x["key"]))
               for x in meta.get("keys_lost_during_capture") or [] if isinstance(x, dict))

    # ---- rdblens keys
    if a.keys:
        with open(a.keys, "rb") as f:
            out, rc, err = f.read(), 0, ""
        label = a.keys
    else:
        cmd = [a.rdblens, "keys", "--format", "jsonl", a.dump]
        label = " ".join(cmd)
        try:
            rc, out, err = run(cmd)
        except subprocess.TimeoutExpired:
            C.fail("rdblens keys", "timed out: " + label)
            C.summary()
            return 1
    recs = []
    bad_lines = []
    for i, line in enumerate(out.decode("utf-8", "replace").splitlines()):
        if not line.strip():
            continue
        try:
            recs.append(json.loads(line))
        except ValueError as e:
            bad_lines.append("line %d: %s: %s" % (i + 1, e, line[:120]))
    if rc != 0 or bad_lines or sanitizer_trouble(err) or not recs:
        C.fail("rdblens keys", "exit %s, %d records, %d bad lines" % (rc, len(recs), len(bad_lines)),
               bad_lines + [ln for ln in err.splitlines()[:10]])
        C.summary()
        return 1
    C.ok("rdblens keys", "%d records" % len(recs))

    # ---- key set
    mine = {}
    dups = []
    for r in recs:
        try:
            k = (int(r["db"]), unescape(r["key"]))
        except (KeyError, TypeError, ValueError) as e:
            C.fail("record shape", "%s in %s" % (e, json.dumps(r)[:200]))
            C.summary()
            return 1
        if k in mine:
            dups.append(show_key(*k))
        mine[k] = r
    if dups:
        C.fail("no duplicate keys", "%d keys printed twice" % len(dups), dups)
    else:
        C.ok("no duplicate keys")

    missing = [k for k in truth if k not in mine]
    extra = [k for k in mine if k not in truth]
    def exp(k):
        return mine[k].get("expires_at_ms")
    # Expected absent from the truth: keys the server dropped at load (expired
    # by then), and keys that expired while the truth was being read.
    expired = set(k for k in extra if exp(k) is not None and loaded_ms and exp(k) <= loaded_ms)
    lost_ok = set(k for k in extra if k not in expired and exp(k) is not None and
                  (k in lost or (capture_end_ms and exp(k) <= capture_end_ms)))
    unexpected = [k for k in extra if k not in expired and k not in lost_ok]
    if missing or unexpected:
        C.fail("key set", "%d truth keys missing from rdblens, %d rdblens keys not in truth"
               % (len(missing), len(unexpected)),
               ["missing: " + show_key(*k) for k in missing[:MAX_SHOW]]
               + ["unexpected: " + show_key(*k) for k in unexpected[:MAX_SHOW]])
    else:
        C.ok("key set", "%d keys; %d more in the dump had expired before the server loaded it%s"
             % (len(truth), len(expired),
                "; %d expired during the capture" % len(lost_ok) if lost_ok else ""))
    common = sorted(k for k in truth if k in mine)

    # ---- type, elements, expiry
    C.check_list("type", ["%s: truth %s, rdblens %s" % (show_key(*k), truth[k]["type"],
                                                        mine[k].get("type"))
                          for k in common if mine[k].get("type") != truth[k]["type"]], len(common))
    C.check_list("elements", ["%s (%s): truth %s, rdblens %s" % (
        show_key(*k), truth[k]["type"], truth[k]["count"], mine[k].get("elements"))
        for k in common if mine[k].get("elements") != truth[k]["count"]], len(common))
    if all("expire_at_ms" in truth[k] for k in common):
        C.check_list("expiry", ["%s: truth %s, rdblens %s" % (
            show_key(*k), truth[k]["expire_at_ms"], mine[k].get("expires_at_ms"))
            for k in common if mine[k].get("expires_at_ms") != truth[k]["expire_at_ms"]],
            len(common), "%d keys, %d with TTL" % (
                len(common), sum(1 for k in common if truth[k]["expire_at_ms"] is not None)))
    else:
        C.skip("expiry", "truth file has no expire_at_ms")

    # ---- memory model columns
    have_enc = [k for k in common if mine[k].get("encoding") is not None]
    have_bytes = [k for k in common if mine[k].get("bytes") is not None]
    absent = []
    if have_enc:
        C.check_list("encoding", ["%s (%s): truth %s, rdblens %s" % (
            show_key(*k), truth[k]["type"], truth[k]["encoding"], mine[k].get("encoding"))
            for k in common if mine[k].get("encoding") != truth[k]["encoding"]], len(common))
    else:
        absent.append("encoding")
    if have_bytes and all(truth[k].get("memory_usage_samples0") is not None for k in common):
        exact_bad, skip_bad = [], []
        n_skip = 0
        worst = 0.0
        for k in common:
            t = truth[k]["memory_usage_samples0"]
            b = mine[k].get("bytes")
            line = "%s (%s/%s): truth %s, rdblens %s" % (
                show_key(*k), truth[k]["type"], truth[k]["encoding"], t, b)
            if truth[k]["encoding"] == "skiplist":
                n_skip += 1
                if b is None:
                    skip_bad.append(line)
                    continue
                # the mean over several loads when the capture took it
                # (random levels), else the single load
                ref = truth[k].get("memory_usage_samples0_mean") or t
                if ref != t:
                    line += " (mean of %s loads %.1f, range %s..%s)" % (
                        truth[k].get("memory_usage_samples0_loads"), ref,
                        truth[k].get("memory_usage_samples0_min"),
                        truth[k].get("memory_usage_samples0_max"))
                err = abs(b - ref) / ref
                worst = max(worst, err)
                if err > a.skiplist_tol:
                    skip_bad.append(line + " (%.2f %%)" % (100 * err))
            elif b != t:
                exact_bad.append(line + (" (%+d)" % (b - t) if b is not None else ""))
        C.check_list("bytes exact (non-skiplist)", exact_bad, len(common) - n_skip)
        n_mean = sum(1 for k in common if truth[k].get("memory_usage_samples0_mean"))
        C.check_list("bytes skiplist within %g %%" % (100 * a.skiplist_tol), skip_bad, n_skip,
                     "%d keys, worst %.2f %%%s" % (n_skip, 100 * worst,
                                                   " (against the mean of several loads)"
                                                   if n_mean else ""))
    else:
        absent.append("bytes")

    # ---- report: predicted used_memory
    report = None
    report_err = None
    if a.report:
        with open(a.report) as f:
            report = json.load(f)
    elif a.rdblens:
        cmd = [a.rdblens, "report", "--format", "json", a.dump]
        try:
            rc, out, err = run(cmd)
            if rc < 0 or sanitizer_trouble(err):
                C.fail("rdblens report", "exit %s" % rc, err.splitlines()[:10])
            elif rc != 0:
                report_err = "rdblens report exit %d: %s" % (rc, (err.strip().splitlines() or [""])[0])
            else:
                try:
                    report = json.loads(out)
                except ValueError as e:
                    C.fail("rdblens report", "output is not JSON: %s" % e)
        except subprocess.TimeoutExpired:
            C.fail("rdblens report", "timed out")
    pum = None
    if isinstance(report, dict):
        pum = (report.get("totals") or {}).get("predicted_used_memory")
    if pum is not None and used_memory:
        err = abs(pum - used_memory) / used_memory
        what = "predicted_used_memory within %g %%" % (100 * a.used_memory_tol)
        detail = "predicted %d, server used_memory %d (%+d, %.3f %%)" % (
            pum, used_memory, pum - used_memory, 100 * err)
        if err <= a.used_memory_tol:
            C.ok(what, detail)
        else:
            C.fail(what, detail)
    else:
        absent.append("predicted_used_memory" + (" (%s)" % report_err if report_err else ""))

    if absent:
        if a.require_memory:
            C.fail("memory model columns", "absent: " + ", ".join(absent))
        else:
            print("SKIP: memory model columns absent (%s)" % ", ".join(absent))
            C.skipped += len(absent)

    C.summary()
    return 1 if C.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
