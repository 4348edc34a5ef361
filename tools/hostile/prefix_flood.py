#!/usr/bin/env python3
"""Prefix-table hash flood (analyze/agg_prefix.c): N one-segment string keys
whose prefix-node hash, as it was before the table got a secret seed
(XXH3_64bits_withSeed(name, len, 1)), has its low 19 bits below 512, so
every node would land in one cluster of the linear-probing slot table.
The names are brute-forced by prefix_keys.c, compiled here with cc and
libxxhash. usage: prefix_flood.py N OUT [crafted|plain]"""
import os, subprocess, sys, tempfile
n = int(sys.argv[1]); out = sys.argv[2]; mode = sys.argv[3] if len(sys.argv) > 3 else "crafted"
here = os.path.dirname(os.path.abspath(__file__))
with tempfile.TemporaryDirectory() as tmp:
    exe = os.path.join(tmp, "prefix_keys")
    subprocess.run(["cc", "-O2", "-o", exe, os.path.join(here, "prefix_keys.c"), "-lxxhash"], check=True)
    keys = subprocess.run([exe, str(n), mode], check=True, capture_output=True).stdout.split(b"\n")[:n]
b = bytearray(b"REDIS0009\xfe\x00")
for k in keys:
    assert len(k) < 64
    b += b"\x00" + bytes([len(k)]) + k + b"\x01v"   # string key k = "v"
b += b"\xff" + b"\x00" * 8
open(out, "wb").write(b)
