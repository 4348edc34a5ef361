#!/usr/bin/env python3
"""gen_seeds.py: hand-built fuzz seeds for parser paths that no fixture
reaches, written as tests/fixtures/fuzz/<harness>-<what>.bin, where
tools/fuzz.sh seeds <harness> with them and tests/scripts/fuzz_regress.sh
runs each through check, keys and report and checks what it must say.

    tools/fuzz/gen_seeds.py [OUTDIR]     default: tests/fixtures/fuzz

Deterministic (fuzz_regress.sh checks that the committed files are what
this script writes). Built with tests/encoder/rdbenc.py from the layouts
drawn at the top of rdb/*.c. The fuzz build reads 4 KiB blocks, so a blob
over 4096 bytes is walked in pieces there.

Valid files (no server that writes them runs here):
  fuzz_rdb-hash-templates-40   RDB 15 with 40 hash templates, more than the
                               registry's first table holds (it grows and
                               rehashes), then a hash per template.
  fuzz_rdb-zipmap-pieces       RDB 3 (Redis 2.4) with a 5.6 KB zipmap hash
                               (hash-max-zipmap-entries 512, values <= 64
                               bytes), walked in pieces in the fuzz build.
Damaged ones (a shallow parse, fuzz_report's default, checks only the
header of a packed value it does not walk; these fail that check):
  fuzz_report-shallow-zltail   a ziplist hash whose zltail points past it.
  fuzz_report-shallow-odd-hash a listpack hash with 5 elements.
  fuzz_report-shallow-intset-order  an intset whose last member is its smallest.
  fuzz_rdb-listpack-pieces-unterminated  a 5 KB listpack whose last byte is
                               not 0xFF: found by the walk in pieces when it
                               gets there.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "encoder"))
import rdbenc as E  # noqa: E402

CTIME = "1790000000"


def hash_templates_40():
    r = E.Rdb("REDIS0015").aux("redis-ver", "8.10.0").aux("redis-bits", "64").aux("ctime", CTIME)
    fields = {}
    for t in range(40):
        # sparse ids, so that they scatter over the table
        tid = t * 1000003
        fields[tid] = E.template_order(["f%d" % t, "g%d" % t, "common"])
        r.raw(E.hash_template_record(tid, fields[tid]))
    r.select(0).resize(40, 0)
    for t in reversed(range(40)):
        tid = t * 1000003
        values = ["%s=%d" % (f, t) for f in fields[tid]]
        if t % 2:
            r.key(30, "lp%d" % t, E.tmpl_lp_ref(tid, values))
        else:
            r.key(32, "arr%d" % t, E.tmpl_array_ref(tid, values))
    return r.finish()


def zipmap_len(n):
    return bytes([n]) if n < 254 else b"\xfe" + struct.pack("<I", n)


def zipmap(pairs):
    out = bytearray([len(pairs) if len(pairs) < 254 else 254])
    for f, v in pairs:
        f, v = f.encode(), v.encode()
        out += zipmap_len(len(f)) + f + zipmap_len(len(v)) + b"\x00" + v
    return bytes(out + b"\xff")


def zipmap_pieces():
    # RDB 3: no checksum (version < 5); the EOF byte ends the file
    r = E.Rdb("REDIS0003").select(0)
    pairs = [("field%03d" % i, ("%03d-" % i) * 15) for i in range(80)]
    blob = zipmap(pairs)
    assert len(blob) > 4096
    r.key(9, "zm", E.rstr(blob, int_encode=False))
    r.key(0, "after", E.rstr("x"))
    return bytes(r.b + b"\xff")


def ziplist(items):
    """A ziplist of short strings (< 64 bytes, prevlen < 254)."""
    body, prev, tail = bytearray(), 0, 10
    for s in items:
        s = s.encode()
        tail = 10 + len(body)
        body += bytes([prev, len(s)]) + s
        prev = 2 + len(s)
    total = 10 + len(body) + 1
    return struct.pack("<IIH", total, tail, len(items)) + bytes(body) + b"\xff"


def shallow_zltail():
    r = E.Rdb("REDIS0009").aux("redis-ver", "5.0.14").select(0)
    zl = bytearray(ziplist(["name", "ada", "lang", "c"]))
    zl[4:8] = struct.pack("<I", len(zl) + 10)   # the last entry, said to be past the end
    r.key(13, "zl", E.rstr(bytes(zl), int_encode=False))
    r.key(0, "after", E.rstr("x"))
    return r.finish()


def shallow_odd_hash():
    r = E.Rdb("REDIS0011").aux("redis-ver", "7.0.15").select(0)
    r.key(16, "h", E.rstr(E.listpack(["a", "1", "b", "2", "c"]), int_encode=False))
    r.key(0, "after", E.rstr("x"))
    return r.finish()


def shallow_intset_order():
    r = E.Rdb("REDIS0009").aux("redis-ver", "5.0.14").select(0)
    members = [5, 9, 3]
    blob = struct.pack("<II", 2, len(members)) + b"".join(struct.pack("<h", m) for m in members)
    r.key(11, "s", E.rstr(blob, int_encode=False))
    r.key(0, "after", E.rstr("x"))
    return r.finish()


def listpack_unterminated():
    r = E.Rdb("REDIS0011").aux("redis-ver", "7.0.15").select(0)
    items = []
    for i in range(80):
        items += ["field%03d" % i, ("%03d-" % i) * 15]
    lp = bytearray(E.listpack(items))
    assert len(lp) > 4096
    lp[-1] = 0x00
    r.key(16, "big", E.rstr(bytes(lp), int_encode=False))
    return r.finish()


SEEDS = {
    "fuzz_rdb-hash-templates-40.bin": hash_templates_40,
    "fuzz_rdb-zipmap-pieces.bin": zipmap_pieces,
    "fuzz_rdb-listpack-pieces-unterminated.bin": listpack_unterminated,
    "fuzz_report-shallow-zltail.bin": shallow_zltail,
    "fuzz_report-shallow-odd-hash.bin": shallow_odd_hash,
    "fuzz_report-shallow-intset-order.bin": shallow_intset_order,
}


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join("tests", "fixtures", "fuzz")
    os.makedirs(outdir, exist_ok=True)
    for name, fn in SEEDS.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(fn())


if __name__ == "__main__":
    main()
