#!/usr/bin/env python3
"""Packed-blob bombs: LZF-compressed listpacks, ziplists and zipmaps that
decompress to about 88 times their stored size. Each blob repeats one entry
(or one field/value pair) K times, so after the first copy the LZF stream
is nothing but 3-byte back-references one period back, each producing 264
bytes; a file of about 2 MB holds blobs of hundreds of MB. A reader that
decompresses a blob whole to walk it needs that much memory; one that walks
it in pieces (rdb/piecewise.c) needs a few hundred KiB.

  blob_bomb.py OUT [MB]

writes one dump (REDIS0011, checksum 0) of about 6 MB with four keys,
each a blob of about MB MiB (default 100; the quicklist's node is twice
that):
  bomb:list  a quicklist (type 18) of one PACKED listpack node whose
             entries are 4000-byte strings
  bomb:hash  a listpack hash (type 16) of 100-byte fields and values, far
             over hash-max-listpack-entries: the loader converts it, so the
             memory model needs every field
  bomb:zl    a ziplist hash (type 13) of 60-byte fields and values
  bomb:zm    a zipmap hash (type 9) of 200-byte fields and values
and prints, per key, "key elements largest encoding" as a report must find
them (the encoding a Redis 7.x server loading the dump gives the key: the
hashes are far over their listpack/ziplist limits, so hashtables)."""
import struct
import sys


def rlen(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return bytes([0x40 | (n >> 8), n & 0xFF])
    return b"\x80" + struct.pack(">I", n)


def plain(b):
    return rlen(len(b)) + b


def literals(data):
    out = bytearray()
    for i in range(0, len(data), 32):
        chunk = data[i:i + 32]
        out += bytes([len(chunk) - 1]) + chunk
    return bytes(out)


def backrefs(total, dist):
    """LZF back-references copying 'total' bytes from 'dist' bytes back."""
    out = bytearray()
    off = dist - 1
    while total > 0:
        run = min(total, 264)
        if run < 3:                  # too short for a reference: cannot happen
            raise SystemExit("period leaves a 1-2 byte tail")
        if total - run in (1, 2):    # keep the last reference at least 3 long
            run -= 3
        if run <= 8:
            out += bytes([((run - 2) << 5) | (off >> 8), off & 0xFF])
        else:
            out += bytes([(7 << 5) | (off >> 8), run - 9, off & 0xFF])
        total -= run
    return bytes(out)


def lzf_periodic(head, period, copies, tail):
    """LZF of head + period * copies + tail: literals, then references."""
    assert len(period) <= 8192
    data = literals(head + period) + backrefs(len(period) * (copies - 1), len(period)) + literals(tail)
    ulen = len(head) + len(period) * copies + len(tail)
    return b"\xc3" + rlen(len(data)) + rlen(ulen) + data, ulen


def lp_backlen(l):
    """listpack.c lpEncodeBacklen: 7 bits a byte, high group first; every
    byte but the first has bit 7 set."""
    n = 1 if l <= 127 else 2 if l < 16383 else 3 if l < 2097151 else 4 if l < 268435455 else 5
    out = bytearray()
    for i in range(n):
        b = (l >> (7 * (n - 1 - i))) & 127
        out.append(b if i == 0 else b | 128)
    return bytes(out)


def lp_str(s):
    if len(s) < 64:
        enc = bytes([0x80 | len(s)]) + s
    elif len(s) < 4096:
        enc = bytes([0xE0 | (len(s) >> 8), len(s) & 0xFF]) + s
    else:
        enc = b"\xf0" + struct.pack("<I", len(s)) + s
    return enc + lp_backlen(len(enc))


def listpack(period, per_period, copies):
    count = per_period * copies
    total = 6 + len(period) * copies + 1
    head = struct.pack("<IH", total, min(count, 65535))
    return lzf_periodic(head, period, copies, b"\xff")


def zl_str(prev, s):
    pl = bytes([prev]) if prev < 254 else b"\xfe" + struct.pack("<I", prev)
    enc = bytes([len(s)]) if len(s) < 64 else bytes([0x40 | (len(s) >> 8), len(s) & 0xFF])
    return pl + enc + s


def ziplist(field, value, pairs):
    # the first field has prevlen 0; from the first value on, every entry
    # repeats with the same sizes
    f0 = zl_str(0, field)
    v = zl_str(len(f0), value)
    f = zl_str(len(v), field)
    v2 = zl_str(len(f), value)
    assert v2 == v
    period = f + v
    entries = len(f0) + len(v) + len(period) * (pairs - 1)
    last = 10 + entries - len(v)
    total = 10 + entries + 1
    head = struct.pack("<IIH", total, last, min(2 * pairs, 65535)) + f0 + v
    return lzf_periodic(head, period, pairs - 1, b"\xff")


def zipmap(field, value, pairs):
    period = bytes([len(field)]) + field + bytes([len(value)]) + b"\x00" + value
    return lzf_periodic(b"\xfe", period, pairs, b"\xff")


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    out = argv[1]
    mb = int(argv[2]) if len(argv) > 2 else 100
    size = mb << 20
    body = bytearray(b"REDIS0011\xfe\x00")
    facts = []

    s = b"a" * 4000                     # quicklist node: 4000-byte strings
    e = lp_str(s)
    n = 2 * size // len(e)
    blob, _ = listpack(e, 1, n)
    body += b"\x12" + plain(b"bomb:list") + rlen(1) + rlen(2) + blob
    facts.append(("bomb:list", n, 4000, "quicklist"))

    f, v = b"f" * 100, b"v" * 100         # hash listpack, converted on load
    period = lp_str(f) + lp_str(v)
    pairs = size // len(period)
    blob, _ = listpack(period, 2, pairs)
    body += b"\x10" + plain(b"bomb:hash") + blob
    facts.append(("bomb:hash", pairs, 100, "hashtable"))

    f, v = b"g" * 60, b"w" * 60          # ziplist hash
    pairs = size // 124
    blob, _ = ziplist(f, v, pairs)
    body += b"\x0d" + plain(b"bomb:zl") + blob
    facts.append(("bomb:zl", pairs, 60, "hashtable"))

    f, v = b"h" * 200, b"x" * 200        # zipmap hash
    pairs = size // 403
    blob, _ = zipmap(f, v, pairs)
    body += b"\x09" + plain(b"bomb:zm") + blob
    facts.append(("bomb:zm", pairs, 200, "hashtable"))

    body += b"\xff" + bytes(8)
    with open(out, "wb") as fh:
        fh.write(body)
    for key, elements, largest, encoding in facts:
        print(key, elements, largest, encoding)


if __name__ == "__main__":
    main(sys.argv)
