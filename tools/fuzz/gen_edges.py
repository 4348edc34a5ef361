#!/usr/bin/env python3
"""gen_edges.py: a real server's dump of the packed values at the parser's
size edges, which the fixtures did not have (tests/fixtures/edges/).

    tools/fuzz/gen_edges.py [OUT.rdb]   default: tests/fixtures/edges/redis-<version>-edges.rdb

Starts a private redis-server (tools/redisctl.py: 127.0.0.1, a free port,
--save ''), writes the keys below with the server's default config, checks
that it encodes each one as intended (OBJECT ENCODING), SAVEs and copies the
dump out. The content is deterministic (the values come from a fixed LCG,
tests/test_edges.c recomputes them); the bytes are the server's, so the
aux fields (ctime, used-mem) differ between runs: the committed file is the
record, this script how it was made.

Why these keys (tools/fuzz.sh seeds every fixture into fuzz_rdb and
fuzz_report and extracts its blobs for the blob harnesses; the fuzz build
reads 4 KiB blocks, so a blob over 4096 bytes is walked in pieces):
  edge:intset    512 members of 8 bytes (set-max-intset-entries): a
                 4104-byte intset, walked in pieces in the fuzz build.
  edge:lzfhash   a listpack hash of about 2.8 KB whose LZF form stays over
                 2048 bytes (half a fuzz block: read into a buffer of its own
                 when a shallow parse peeks at its header).
  edge:numtext   a listpack hash whose values look like integers but do not
                 fit an int64 (or are not canonical): the server keeps them
                 as strings, and the listpack size model must too.
  edge:str:*     string values of 20 digits beyond int64 (STRINGS), which
                 the dump stores as text and the server keeps as embstr: the
                 model must not take them for integers.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import redisctl  # noqa: E402

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

# edge:numtext, in this order (HSET keeps insertion order in a listpack)
NUMTEXT = [
    ("max", "9223372036854775807"),        # INT64_MAX: an integer entry
    ("max+1", "9223372036854775808"),
    ("min", "-9223372036854775808"),       # INT64_MIN: an integer entry
    ("min-1", "-9223372036854775809"),
    ("u64max", "18446744073709551615"),
    ("u64max+1", "18446744073709551616"),
    ("twenty9s", "99999999999999999999"),
    ("minus0", "-0"),
    ("lead0", "007"),
    ("long", "123456789012345678901234567890"),
]


# string keys: name suffix -> value
STRINGS = [
    ("u64max+1", "18446744073709551616"),
    ("twenty9s", "99999999999999999999"),
]


def lcg_text(state, n):
    """n characters of ALPHABET from a 64-bit LCG (Knuth's MMIX constants);
    returns (text, state). tests/test_edges.c has the same generator."""
    out = []
    for _ in range(n):
        state = (state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        out.append(ALPHABET[(state >> 33) % len(ALPHABET)])
    return "".join(out), state


def intset_member(i):
    return (i - 256) * 10**16 + i


def lzfhash_fields():
    state = 42
    fields = []
    for i in range(40):
        v, state = lcg_text(state, 56)
        fields.append(("field:%04d" % i, v))
    return fields


def main():
    with redisctl.RedisServer() as srv:
        with srv.client() as c:
            ver = redisctl.parse_info(c.call("INFO", "server"))["redis_version"]
            out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
                "tests", "fixtures", "edges", "redis-%s-edges.rdb" % ver)
            c.call("SADD", "edge:intset", *[str(intset_member(i)) for i in range(512)])
            args = []
            for f, v in lzfhash_fields():
                args += [f, v]
            c.call("HSET", "edge:lzfhash", *args)
            args = []
            for f, v in NUMTEXT:
                args += [f, v]
            c.call("HSET", "edge:numtext", *args)
            for name, v in STRINGS:
                c.call("SET", "edge:str:" + name, v)
            for key, enc in [("edge:intset", "intset"), ("edge:lzfhash", "listpack"),
                             ("edge:numtext", "listpack")] + [("edge:str:" + n, "embstr") for n, _ in STRINGS]:
                got = c.call("OBJECT", "ENCODING", key).decode()
                if got != enc:
                    sys.exit("gen_edges: %s is %s, not %s (server config?)" % (key, got, enc))
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        srv.save_to(out)
    print("gen_edges: wrote %s (redis %s)" % (out, ver))
    # what a server that loads the dump says of each key (tests/test_edges.c
    # holds these numbers: the memory model must predict them)
    keys = ["edge:intset", "edge:lzfhash", "edge:numtext"] + ["edge:str:" + n for n, _ in STRINGS]
    with redisctl.RedisServer(dump=out) as srv:
        with srv.client() as c:
            for k in keys:
                print("  %-20s %-8s MEMORY USAGE %d" % (
                    k, c.call("OBJECT", "ENCODING", k).decode(), c.call("MEMORY", "USAGE", k, "SAMPLES", "0")))


if __name__ == "__main__":
    main()
