#!/usr/bin/env python3
"""near_saving.py RDBLENS FIXTURES: a near_encoding_limit finding's saving
against real servers.

For each version, the default-config main dump's keys that are hashtable on
a reload (tests/fixtures/corpus/V/reload-main.jsonl) and compact on a reload
with raised thresholds (tests/fixtures/corpus-config/V/reload-tuned-main.jsonl)
give the true saving: the difference of the two MEMORY USAGE figures. The
report is run on the default dump with the key's limit set just under its
size, so that the key is "just above" it, and its estimated saving must come
from the memory model and be within 1 % of the true one.
Prints "near_saving: N passed, N failed"."""
import json
import os
import subprocess
import sys

rdblens, fix = sys.argv[1], sys.argv[2]
CASES = [  # key, the directive that decides, the limit to set
    ("hash:large", "hash-max-listpack-entries", 500),
    ("hash:large", "hash-max-ziplist-entries", 500),   # the 6.2 spelling
    ("set:large:ints", "set-max-intset-entries", 560),
]
passed = failed = 0


def reload(path):
    out = {}
    with open(path) as f:
        for line in f:
            d = json.loads(line)
            if d.get("db", 0) == 0:
                out[d["key"]] = (d["encoding"], d["memory_usage_samples0"])
    return out


for v in sorted(os.listdir(os.path.join(fix, "corpus-config"))):
    dump = os.path.join(fix, "corpus", v, "main.rdb")
    plain = reload(os.path.join(fix, "corpus", v, "reload-main.jsonl"))
    tuned = reload(os.path.join(fix, "corpus-config", v, "reload-tuned-main.jsonl"))
    for key, directive, limit in CASES:
        if v.startswith("redis-6") != ("ziplist" in directive) and "intset" not in directive:
            continue
        (enc0, mu0), (enc1, mu1) = plain[key], tuned[key]
        if enc0 != "hashtable" or enc1 == "hashtable":
            print(f"FAIL: {v} {key}: the fixtures do not show a hashtable turning compact")
            failed += 1
            continue
        out = subprocess.run([rdblens, "report", "--format", "json", "--config",
                              f"{directive}={limit}", dump], capture_output=True, text=True)
        # near-limit keys are grouped by first segment; the key's group
        # must hold it alone for the group's saving to be the key's
        found = [f for f in json.loads(out.stdout)["findings"]
                 if f["kind"] == "near_encoding_limit" and f["keys"] == 1
                 and [x["key"] for x in f["examples"]] == [key]]
        if len(found) != 1:
            print(f"FAIL: {v} {key} {directive}={limit}: {len(found)} findings")
            failed += 1
            continue
        e = found[0]["evidence"]
        want = mu0 - mu1
        got = e["estimated_saving_bytes"]
        ok = (e["estimate"] == "memory model" and e["compact_encoding"] == enc1 and
              abs(got - want) <= want / 100)
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {v} {key}: estimated {got} ({e['estimate']}, {e['compact_encoding']}), "
                  f"true {want} ({enc0} {mu0} -> {enc1} {mu1})")
print(f"near_saving: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
