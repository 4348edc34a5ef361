#!/usr/bin/env python3
"""Checks `rdblens report --format json` on a corpus dump against numbers
computed independently from the writing server's truth file (type, db,
element count, expiry per key) and the reloaded server's facts (encoding,
MEMORY USAGE), and against `rdblens keys` for the top-key tables.

usage: report_check.py RDBLENS DUMP TRUTH_JSONL RELOAD_JSONL
Prints one line per failed check; exit status 1 when any failed."""
import collections, json, subprocess, sys

rdblens, dump, truth_path, reload_path = sys.argv[1:5]
fails = []

def check(cond, what):
    if not cond:
        fails.append(what)

def key_id(d):
    if "key_hex" in d:
        return (d["db"], bytes.fromhex(d["key_hex"]))
    return (d["db"], d["key"].encode())

truth = [json.loads(l) for l in open(truth_path, encoding="utf-8")]
reload = {key_id(d): d for d in map(json.loads, open(reload_path, encoding="utf-8"))}

# The dump's own ctime, fixed as the reference time so the TTL buckets below
# are computed against the same instant.
probe = json.loads(subprocess.run([rdblens, "report", "--format", "json", dump],
                                  capture_output=True, check=True).stdout)
now_s = int(probe["source"]["files"][0]["aux"]["ctime"])
now_ms = now_s * 1000
rep = json.loads(subprocess.run([rdblens, "report", "--format", "json", "--now", str(now_s),
                                 "--top", "100000", dump], capture_output=True, check=True).stdout)
keys = [json.loads(l) for l in subprocess.run([rdblens, "keys", "--now", str(now_s), dump],
                                              capture_output=True, check=True).stdout.splitlines()]

t = rep["totals"]
check(t["keys"] == len(truth), f"totals.keys {t['keys']} != truth {len(truth)}")
check(t["bytes"] == sum(k["bytes"] for k in keys), "totals.bytes != sum of rdblens keys bytes")
real = sum(d["memory_usage_samples0"] for d in reload.values())
check(abs(t["bytes"] - real) <= real * 0.01, f"totals.bytes {t['bytes']} vs reload {real}: > 1 %")
ttl_keys = [d for d in truth if d["expire_at_ms"] is not None]
check(t["keys_with_ttl"] == len(ttl_keys), f"keys_with_ttl {t['keys_with_ttl']} != {len(ttl_keys)}")

by_db = collections.Counter(d["db"] for d in truth)
check({r["db"]: r["keys"] for r in rep["by_db"]} == dict(by_db), f"by_db {rep['by_db']} != {dict(by_db)}")

by_type = collections.Counter(d["type"] for d in truth)
# elements are of collections; a string's count (its length) is "length"
el_type = collections.Counter()
len_type = collections.Counter()
for d in truth:
    (len_type if d["type"] == "string" else el_type)[d["type"]] += d["count"]
got = {r["type"]: (r["keys"], r["elements"], r.get("length", 0)) for r in rep["by_type"]}
want = {ty: (by_type[ty], el_type[ty], len_type[ty]) for ty in by_type}
check(got == want, f"by_type {got} != {want}")

# encodings after load: the reloaded server's OBJECT ENCODING, for keys it loaded
enc = collections.Counter()
mine = {(k["db"], k["key"]): k for k in keys}
for d in truth:
    r = reload.get(key_id(d))
    if r is not None:
        enc[(d["type"], r["encoding"])] += 1
    else:
        # expired between the save and the reload: the server never showed
        # its loaded encoding, so only this key's comes from rdblens
        k = [x for x in keys if x["db"] == d["db"] and x["type"] == d["type"]
             and x.get("expires_at_ms") == d["expire_at_ms"] and x["elements"] == d["count"]]
        check(len(k) >= 1, f"no rdblens record for unloaded key {d['key']}")
        if k:
            enc[(d["type"], k[0]["encoding"])] += 1
got = collections.Counter()
for r in rep["by_encoding"]:
    got[(r["type"], r["encoding"])] += r["keys"]
check(all(got[k] == v for k, v in enc.items()), f"by_encoding {dict(got)} != {dict(enc)}")

def bucket(exp):
    if exp is None:
        return "no_ttl"
    r = exp - now_ms
    h = 3600 * 1000
    if r <= 0: return "expired"
    if r < h: return "<1h"
    if r < 6 * h: return "1h-6h"
    if r < 24 * h: return "6h-24h"
    if r < 7 * 24 * h: return "1d-7d"
    if r < 30 * 24 * h: return "7d-30d"
    return ">30d"
buckets = collections.Counter(bucket(d["expire_at_ms"]) for d in truth)
got = {b["name"]: b["keys"] for b in rep["ttl"]["buckets"]}
check(all(got.get(n, 0) == buckets.get(n, 0) for n in got), f"ttl {got} != {dict(buckets)}")

# top keys = the head of rdblens keys sorted (stable: ties keep file order)
def ident(k):
    return (k["db"], k["key"])
collections_only = [k for k in keys if k["type"] not in ("string", "module")]
for field, name, pool in (("bytes", "by_bytes", keys), ("elements", "by_elements", collections_only)):
    want = [ident(k) for k in sorted(pool, key=lambda k: -k[field])]
    got = [ident(k) for k in rep["top_keys"][name]]
    check(got == want[:len(got)] and len(got) == min(len(pool), len(got)), f"top_keys.{name} order differs")
    check(rep["top_keys"][name][0] == sorted(pool, key=lambda k: -k[field])[0],
          f"top_keys.{name}[0] is not the same object rdblens keys prints")

# memory after a restart: the parts add up to the predicted used_memory
m = rep["memory"]
parts = sum(m[k] for k in ("startup", "keys", "tables", "functions", "modules", "templates"))
check(parts == m["used_memory"] == t["predicted_used_memory"], f"memory parts {parts} != {m['used_memory']}")

# the prefix tree's depth-1 nodes partition the keys
d1 = [n for n in rep["prefixes"]["nodes"] if n["depth"] == 1]
check(sum(n["keys"] for n in d1) == t["keys"], "depth-1 prefix keys do not sum to totals.keys")
check(sum(n["bytes"] for n in d1) == t["bytes"], "depth-1 prefix bytes do not sum to totals.bytes")

for f in fails:
    print(f"{dump}: {f}")
sys.exit(1 if fails else 0)
