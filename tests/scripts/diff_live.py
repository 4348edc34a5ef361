#!/usr/bin/env python3
"""diff and prom against dumps written by our own private redis-server.

  diff_live.py RDBLENS WORKDIR

A fresh server (127.0.0.1, random port, --save '', stopped by pid:
tools/redisctl.py) gets a known keyspace; SAVE gives before.rdb. Then known
changes: keys added, deleted, grown, shrunk, given a TTL, and a hash grown
past hash-max-listpack-entries (listpack -> hashtable); SAVE gives
after.rdb. `rdblens diff` must then report:
  - churn exactly: added / removed as written, changed / unchanged as the
    per-key bytes of `rdblens keys` on both dumps say (an independent path);
  - every section's deltas equal to sums over `rdblens keys`;
  - top changes equal to the keys with the largest |delta| from `keys`;
  - the TTL move (no_ttl -> 1h-6h) and the encoding move (listpack ->
    hashtable) in their sections;
  - the same aggregates from saved JSON reports as from the dumps;
  - all zeros for a dump against itself.
The same dumps carry hostile key names for `report --format prom`:
promtool must accept it, each label must read back as the printable form,
and the series must sum to the JSON totals.
Last line: "diff_live: N passed, N failed".
"""

import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import redisctl  # noqa: E402

RDBLENS, WORK = sys.argv[1], sys.argv[2]
PASS = FAIL = 0

N_ADD, N_DEL, N_TTL = 25, 30, 10
HOSTILE = [b'q"uote:x', b'back\\slash:x', b'new\nline:x', b'brace}{:x', b'bad\xff\xfeutf8:x',
           b'(other)', b'\xe2\x82\xac-euro:x', b'ctl\x01\x1b[31m:x']


def check(what, ok, detail=""):
    global PASS, FAIL
    if ok:
        PASS += 1
    else:
        FAIL += 1
        print("FAIL: %s %s" % (what, detail))


def run(*args, ok_codes=(0,)):
    p = subprocess.run([RDBLENS] + list(args), capture_output=True)
    if p.returncode not in ok_codes:
        raise SystemExit("rdblens %s exited %d: %s" % (" ".join(args), p.returncode, p.stderr.decode(errors="replace")))
    return p.stdout


def build(before, after):
    with redisctl.RedisServer() as srv:
        c = srv.client()
        cmds = []
        for i in range(200):
            cmds.append(("SET", "keep:str:%d" % i, "v" * (i % 50 + 1)))
        for i in range(N_DEL):
            cmds.append(("SET", "del:%d" % i, "x" * (i * 7 + 1)))
        for i in range(N_TTL):
            cmds.append(("SET", "ttl:%d" % i, "t" * 20))
        cmds.append(("SET", "grow:str", "g" * 100))
        cmds.append(("RPUSH", "grow:list") + tuple("e%d" % i for i in range(10)))
        cmds.append(("SET", "shrink:str", "s" * 10000))
        cmds.append(("SADD", "shrink:set") + tuple("m%d" % i for i in range(300)))
        cmds.append(("HSET", "enc:hash") + tuple(x for i in range(100) for x in ("f%d" % i, "v")))
        cmds.append(("HSET", "db1:hash", "a", "1"))
        for h in HOSTILE:
            cmds.append(("SET", h, b"hostile"))
        c.pipeline(cmds)
        c.call("SELECT", "1")
        c.call("SET", "db1:str", "x" * 30)
        c.call("SELECT", "0")
        srv.save_to(before)
        cmds = []
        for i in range(N_ADD):
            cmds.append(("SET", "add:%d" % i, "a" * (i * 11 + 1)))
        cmds.append(("DEL",) + tuple("del:%d" % i for i in range(N_DEL)))
        for i in range(N_TTL):
            cmds.append(("EXPIRE", "ttl:%d" % i, 7200))
        cmds.append(("APPEND", "grow:str", "G" * 5000))
        cmds.append(("RPUSH", "grow:list") + tuple("n%d" % i for i in range(500)))
        cmds.append(("SET", "shrink:str", "s" * 10))
        cmds.append(("SREM", "shrink:set") + tuple("m%d" % i for i in range(250)))
        cmds.append(("HSET", "enc:hash") + tuple(x for i in range(100, 700) for x in ("f%d" % i, "v")))
        c.pipeline(cmds)
        srv.save_to(after)


def keys_of(dump):
    out = {}
    order = []
    for line in run("keys", dump).splitlines():
        r = json.loads(line)
        k = (r["db"], r["key"])
        out[k] = r
        order.append(k)
    return out, order


def main():
    os.makedirs(WORK, exist_ok=True)
    before, after = os.path.join(WORK, "before.rdb"), os.path.join(WORK, "after.rdb")
    build(before, after)
    old, old_order = keys_of(before)
    new, new_order = keys_of(after)

    d = json.loads(run("diff", "-f", "json", "--top", "1000", before, after))
    added = [k for k in new_order if k not in old]
    removed = [k for k in old_order if k not in new]
    changed = [k for k in new_order if k in old and old[k]["bytes"] != new[k]["bytes"]]
    unchanged = [k for k in new_order if k in old and old[k]["bytes"] == new[k]["bytes"]]
    check("added as written", len(added) == N_ADD and all(k[1].startswith("add:") for k in added), added[:3])
    check("removed as written", len(removed) == N_DEL and all(k[1].startswith("del:") for k in removed))
    check("churn", d["churn"] == {"added": len(added), "removed": len(removed), "changed": len(changed),
                                  "unchanged": len(unchanged)}, "%s vs %d/%d/%d/%d" % (
        d["churn"], len(added), len(removed), len(changed), len(unchanged)))
    for k in ("grow:str", "grow:list", "shrink:str", "shrink:set", "enc:hash"):
        check("%s changed" % k, (0, k) in changed)
    check("a TTL alone changes no bytes", all((0, "ttl:%d" % i) in unchanged for i in range(N_TTL)))

    def tri(o, n):
        return {"old": o, "new": n, "delta": n - o}
    tot = lambda ks, f: sum(r[f] for r in ks.values())
    check("totals.keys", d["totals"]["keys"] == tri(len(old), len(new)), d["totals"]["keys"])
    check("totals.bytes", d["totals"]["bytes"] == tri(tot(old, "bytes"), tot(new, "bytes")), d["totals"]["bytes"])
    for sec, field in (("by_type", "type"), ("by_db", "db")):
        want = {}
        for side, ks in ((0, old), (1, new)):
            for r in ks.values():
                w = want.setdefault(r[field], [[0, 0], [0, 0]])
                w[0][side] += 1
                w[1][side] += r["bytes"]
        got = {r[field]: r for r in d[sec]}
        ok = set(got) == set(want) and all(
            got[x]["keys"] == tri(*want[x][0]) and got[x]["bytes"] == tri(*want[x][1]) for x in want)
        check(sec + " deltas", ok, json.dumps(d[sec])[:300])
        deltas = [abs(r["bytes"]["delta"]) for r in d[sec]]
        check(sec + " sorted by |byte delta|", deltas == sorted(deltas, reverse=True))
    enc = {(r["type"], r["encoding"]): r for r in d["by_encoding"]}
    check("encoding moved", enc[("hash", "listpack")]["keys"]["delta"] == -1 and
          enc[("hash", "hashtable")]["keys"]["delta"] == 1, json.dumps(d["by_encoding"]))
    ttl = {r["name"]: r for r in d["ttl"]}
    check("TTL moved", ttl["no_ttl"]["keys"]["delta"] == N_ADD - N_DEL - N_TTL and
          ttl["1h-6h"]["keys"]["delta"] == N_TTL, json.dumps(d["ttl"]))

    # top changes: the largest |delta| over all keys, new's order then removed in old's
    moves = []
    for k in new_order:
        if k not in old:
            moves.append((new[k]["bytes"], k, 0, new[k]["bytes"], "added"))
        elif old[k]["bytes"] != new[k]["bytes"]:
            o, n = old[k]["bytes"], new[k]["bytes"]
            moves.append((abs(n - o), k, o, n, "grown" if n > o else "shrunk"))
    for k in removed:
        moves.append((old[k]["bytes"], k, old[k]["bytes"], 0, "removed"))
    moves.sort(key=lambda m: -m[0])  # stable: ties keep arrival order
    want = [(k[0], k[1], st, o, n) for _, k, o, n, st in moves]
    got = [(c["db"], c["key"], c["status"], c["bytes"]["old"], c["bytes"]["new"]) for c in d["top_changes"]]
    check("top changes exact", got == want, "%s\n    vs %s" % (got[:4], want[:4]))

    # saved reports give the same aggregates; --no-churn the same sections
    bj, aj = os.path.join(WORK, "before.json"), os.path.join(WORK, "after.json")
    with open(bj, "wb") as f:
        f.write(run("report", "-f", "json", before))
    with open(aj, "wb") as f:
        f.write(run("report", "-f", "json", after))
    dj = json.loads(run("diff", "-f", "json", "--top", "1000", bj, aj))
    dn = json.loads(run("diff", "-f", "json", "--top", "1000", "--no-churn", before, after))
    for sec in ("totals", "by_db", "by_type", "by_encoding", "ttl", "prefixes"):
        check("reports = dumps: " + sec, dj[sec] == d[sec])
        check("--no-churn = churn: " + sec, dn[sec] == d[sec])
    check("reports: churn null", dj["churn"] is None and dn["churn"] is None)
    mixed = json.loads(run("diff", "-f", "json", bj, after))
    check("report vs dump: totals", mixed["totals"] == d["totals"])
    # --no-churn: keys of the top lists, their other side looked up exactly
    for c in dn["top_changes"]:
        k = (c["db"], c["key"])
        o = old[k]["bytes"] if k in old else 0
        n = new[k]["bytes"] if k in new else 0
        if c["bytes"]["old"] != o or c["bytes"]["new"] != n:
            check("--no-churn top change exact", False, c)
            break
    else:
        check("--no-churn top changes exact", len(dn["top_changes"]) > 0)

    z = json.loads(run("diff", "-f", "json", after, after))
    check("self diff: churn", z["churn"] == {"added": 0, "removed": 0, "changed": 0, "unchanged": len(new)})
    check("self diff: no changes", z["top_changes"] == [])
    check("self diff: zero deltas", all(r[f]["delta"] == 0 for s in ("by_db", "by_type", "by_encoding", "ttl",
                                                                       "prefixes") for r in z[s] for f in ("keys", "bytes")))
    for fmt in ("text", "md"):
        out = run("diff", "-f", fmt, before, after).decode()
        check("diff %s shows churn" % fmt, "added" in out and "enc:hash" in out)

    # prom: promtool, escaping, sums
    prom = run("report", "-f", "prom", "--rows", "100", after)
    p = subprocess.run(["promtool", "check", "metrics"], input=prom, capture_output=True)
    check("promtool check metrics", p.returncode == 0, p.stdout.decode() + p.stderr.decode())
    text = prom.decode("utf-8")  # must be valid UTF-8
    series = {}
    label_re = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        m = re.match(r'^(\w+)(\{.*\})? (\S+)$', line)
        if not m:
            check("prom line parses", False, repr(line))
            continue
        labels = {}
        for k, v in label_re.findall(m.group(2) or ""):
            labels[k] = re.sub(r'\\(.)', lambda x: {"n": "\n"}.get(x.group(1), x.group(1)), v)
        series.setdefault(m.group(1), []).append((labels, int(m.group(3))))
    rep = json.loads(run("report", "-f", "json", after))
    t = rep["totals"]
    check("prom keys sum", sum(v for _, v in series["rdblens_keys"]) == t["keys"])
    check("prom bytes sum", sum(v for _, v in series["rdblens_memory_bytes"]) == t["bytes"])
    check("prom prefix sums", sum(v for _, v in series["rdblens_prefix_keys"]) == t["keys"] and
          sum(v for _, v in series["rdblens_prefix_memory_bytes"]) == t["bytes"])
    check("prom used_memory", sum(v for _, v in series["rdblens_predicted_used_memory_bytes"]) ==
          t["predicted_used_memory"])
    nottl = sum(v for _, v in series["rdblens_keys_without_ttl"])
    check("prom keys without ttl", nottl == t["keys"] - t["keys_with_ttl"])
    prefixes = {l["prefix"] for l, _ in series["rdblens_prefix_keys"]}
    # the printable form of each hostile top-level prefix (rdblens keys' escaping)
    for h in HOSTILE:
        if h == b"(other)":
            continue
        first = h.split(b":")[0] + b":"
        esc = ""
        i = 0
        while i < len(first):
            c = first[i]
            if c == 0x5c:
                esc += "\\\\"
                i += 1
            elif 0x20 <= c < 0x7f:
                esc += chr(c)
                i += 1
            elif c >= 0x80:
                for n in (4, 3, 2):
                    try:
                        esc += first[i:i + n].decode("utf-8")
                        i += n
                        break
                    except UnicodeDecodeError:
                        pass
                else:
                    esc += "\\x%02x" % c
                    i += 1
            else:
                esc += "\\x%02x" % c
                i += 1
        check("prom label for %r" % h, esc in prefixes, sorted(prefixes)[:12])
    check("prom (other) once", sum(1 for l, _ in series["rdblens_prefix_keys"] if l["prefix"] == "(other)") == 1)
    print("diff_live: %d passed, %d failed" % (PASS, FAIL))
    return 0 if FAIL == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
