#!/usr/bin/env python3
"""gen_dataset: make an RDB dump with a real redis-server, deterministically.

  gen_dataset.py --dataset NAME [--seed N] [--scale X] --out FILE.rdb [--meta FILE.json]

Starts a private redis-server (tools/redisctl.py: 127.0.0.1, random port,
--save '', temporary --dir), loads the dataset over a pipelined RESP
connection, runs SAVE, copies dump.rdb to FILE.rdb, stops the server. The
meta file (default FILE.rdb.meta.json) records the dataset, seed, scale,
DBSIZE per db, key count, sizes and timings.

Datasets (values, sizes and stream IDs depend only on the seed; TTLs are
absolute times computed from the wall clock at generation):
  live         about 320 keys of every Redis 7.0 type and encoding (strings
               int shared/not, embstr, raw, LZF-compressible; quicklists with
               many nodes, >8 KB elements and forced PLAIN nodes; intset and
               hashtable sets - 7.0 has no set listpack -; listpack/skiplist
               zsets; listpack/hashtable hashes; streams with groups, PELs,
               consumers - one with 3 consumers x 200 pending entries -,
               deleted and trimmed entries), sizes on both sides of
               every conversion threshold, binary key names, TTL on about 40 %
               of keys, 3 keys already expired when saved, keys in db 1 and 15,
               a function library. For tests/live.
  mixed        realistic mix (user:{id}:profile, session:{uuid}, cart:{id},
               rank:{board}, feed:{id}, counters, caches, tags, streams, blobs,
               big keys, odd key names, db 1); about 40 % TTL; about 100 MB of
               RDB per unit of --scale (scale 10 = about 1 GB).
  strings      strings only (int, embstr, raw), about 100 MB per unit of scale.
  huge-zset    one zset of 5,000,000 members x scale (skiplist) + a few keys.
  huge-list    one list of 10,000,000 elements x scale + a few keys.
  big-string   one string of 500 MB x scale (random bytes, so the dump stores
               it raw, not LZF-compressed) + a few keys.
  prefixes     1,000,000 x scale keys `p{6 letters}:x`, every key its own,
               non-numeric first segment (the prefix-budget test of issue 4).
"""

import argparse
import json
import os
import random
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import redisctl  # noqa: E402

# Bump when a dataset's content changes, so cached dumps (tools/bench.py) are
# regenerated.
GEN_VERSION = 1

DAY_MS = 86400 * 1000
HOUR_MS = 3600 * 1000

WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima "
         "mike november oscar papa quebec romeo sierra tango uniform victor whiskey "
         "xray yankee zulu red green blue black white orange purple silver gold "
         "north south east west spring summer autumn winter river mountain forest "
         "ocean desert island valley city village market street garden bridge").split()
COUNTRIES = "de fr us gb jp br in cn es it nl se pl ca au mx kr za ng ar".split()
AGENTS = ("Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_5)", "curl/7.88.1",
          "okhttp/4.11.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)")


class Gen:
    """Generation context: a pipelined loader plus a seeded PRNG."""

    def __init__(self, client, seed):
        self.c = client
        self.L = redisctl.Loader(client)
        self.rng = random.Random(seed)
        self.now = redisctl.now_ms()
        self.db = 0
        self.keys = {}  # db -> list of key names created (for TTL assignment)

    def cmd(self, *args):
        self.L.add(*args)

    def call(self, *args):
        self.L.flush()
        return self.c.call(*args)

    def select(self, db):
        self.cmd("SELECT", db)
        self.db = db

    def reg(self, key):
        self.keys.setdefault(self.db, []).append(key)
        return key

    # -- random content
    def word(self):
        return self.rng.choice(WORDS)

    def words(self, n):
        ch = self.rng.choice
        return " ".join(ch(WORDS) for _ in range(n))

    def hexs(self, n):
        return "%0*x" % (n, self.rng.getrandbits(4 * n))

    def uuid(self):
        h = "%032x" % self.rng.getrandbits(128)
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])

    def letters(self, n):
        ch = self.rng.choice
        return "".join(ch("abcdefghijklmnopqrstuvwxyz") for _ in range(n))

    def text(self, nbytes):
        """Compressible English-like text of exactly nbytes."""
        out = []
        size = 0
        while size < nbytes:
            w = self.rng.choice(WORDS)
            out.append(w)
            size += len(w) + 1
        return " ".join(out).encode()[:nbytes]

    def json_doc(self, nbytes):
        """A JSON-looking document of about nbytes (compressible)."""
        r = self.rng
        parts = ['{"id":%d,"name":"%s","tags":[' % (r.randrange(10**9), self.words(2))]
        size = len(parts[0])
        i = 0
        while size < nbytes - 20:
            p = '%s"%s"' % ("," if i else "", self.word())
            parts.append(p)
            size += len(p)
            i += 1
        parts.append('],"ok":true}')
        return "".join(parts)

    def randbytes(self, n):
        return self.rng.randbytes(n)

    def future_ms(self, lo_ms, hi_ms):
        return (self.now + self.rng.randint(lo_ms, hi_ms)) | 1


def chunks(seq, n):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def push_many(g, cmd, key, items, per=500):
    for part in chunks(items, per):
        g.cmd(cmd, key, *part)


def zadd_many(g, key, pairs, per=500):
    for part in chunks(pairs, per):
        args = []
        for member, score in part:
            args += [repr(float(score)) if isinstance(score, float) else score, member]
        g.cmd("ZADD", key, *args)


def hset_many(g, key, pairs, per=500):
    for part in chunks(pairs, per):
        args = []
        for f, v in part:
            args += [f, v]
        g.cmd("HSET", key, *args)


# ============================================================ (a) live dataset

def gen_live(g, scale):
    r = g.rng
    notes = []
    g.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    g.select(0)
    cmd = g.cmd
    reg = g.reg

    # ---- strings
    for v in (0, 1, 42, 9999):                       # shared integers
        cmd("SET", reg("str:int:shared:%d" % v), v)
    for v in (10000, -1, -128, -32768, 2147483647, -2147483648,
              9223372036854775807, -9223372036854775808, 123456789012345):
        cmd("SET", reg("str:int:%d" % v), v)
    for i, v in enumerate(("007", "+5", "3.14159", " 12", "9223372036854775808",
                           "-0", "1e3", "12345678901234567890123")):
        cmd("SET", reg("str:intlike:%d" % i), v)
    cmd("INCRBY", reg("str:counter"), 123456)
    cmd("INCRBYFLOAT", reg("str:float_counter"), "3.5")
    cmd("INCRBYFLOAT", "str:float_counter", "0.25")
    for n in (0, 1, 10, 20, 21, 39, 40, 44, 45, 64, 100, 500, 1000, 4000):
        cmd("SET", reg("str:len:%d" % n), g.letters(n))
    cmd("SET", reg("str:rand:200"), g.randbytes(200))
    cmd("SET", reg("str:binary"), bytes(range(256)))
    cmd("SET", reg("str:big:compressible"), g.json_doc(64 * 1024))
    cmd("SET", reg("str:big:incompressible"), g.randbytes(24 * 1024))
    cmd("SET", reg("str:medium:compressible"), g.text(5000))
    cmd("SET", reg("str:appended"), "start")
    for i in range(60):
        cmd("APPEND", "str:appended", "-%d" % i)
    cmd("SETRANGE", reg("str:setrange"), 100, "tail")
    cmd("SETBIT", reg("str:bitmap"), 60000, 1)
    cmd("PFADD", reg("str:hll:sparse"), *["e%d" % i for i in range(10)])
    for part in chunks(["d%d" % i for i in range(5000)], 1000):
        cmd("PFADD", reg("str:hll:dense"), *part)
    cmd("SET", reg("str:utf8:ключ"), "значение ✓ 日本語")

    # ---- lists (7.0: always quicklist of listpack nodes)
    cmd("RPUSH", reg("list:small:ints"), 0, 12, -5, 127, -128, 4095, -4096, 32767,
        -32768, 8388607, -8388608, 2147483647, 100000, 9223372036854775807,
        -9223372036854775808)
    cmd("RPUSH", reg("list:small:strs"), "", "a", "x" * 63, "y" * 64, "z" * 100,
        "w" * 4095, "v" * 4096)
    cmd("LPUSH", reg("list:small:lpushed"), *["item%d" % i for i in range(10)])
    cmd("RPUSH", reg("list:single"), "only")
    mixed = [r.randrange(-10**6, 10**6) if r.random() < 0.5 else g.words(r.randint(1, 4))
             for _ in range(1200)]
    push_many(g, "RPUSH", reg("list:large:mixed"), mixed)
    push_many(g, "RPUSH", reg("list:large:ints"), [r.randrange(10**9) for _ in range(5000)])
    push_many(g, "RPUSH", reg("list:manynodes"), ["n%06d" % i for i in range(20000)])
    cmd("RPUSH", reg("list:bigelems"), "a", "b", g.text(9000), "c", g.randbytes(20000),
        "d", g.text(12000), "e")
    # PLAIN quicklist nodes: 7.0 makes them only for elements >= 1 GB, so lower
    # the threshold just for this key (as the corpus does).
    g.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "8193")
    cmd("RPUSH", reg("list:plain:forced"), "s1", g.text(9000), "s2", g.randbytes(10000), "s3")
    g.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1gb")
    notes.append("list:plain:forced created with DEBUG QUICKLIST-PACKED-THRESHOLD 8193")

    # ---- sets (7.0: intset or hashtable; set listpack is 7.2+)
    cmd("SADD", reg("set:intset:16"), *range(-100, 100, 7))
    cmd("SADD", reg("set:intset:32"), *[r.randrange(-2**31, 2**31) for _ in range(40)])
    cmd("SADD", reg("set:intset:64"), *[r.randrange(-2**63, 2**63) for _ in range(30)])
    cmd("SADD", reg("set:intset:512"), *range(1000, 1512))
    cmd("SADD", reg("set:ints:513"), *range(1000, 1513))
    cmd("SADD", reg("set:large:ints"), *[r.randrange(10**12) for _ in range(700)])
    cmd("SADD", reg("set:bigints"), "9223372036854775808", "-9223372036854775809", "1", "2")
    cmd("SADD", reg("set:small:strs"), *["m%d" % i for i in range(20)])
    # Integers and strings: loaded as an intset, converted at the first string
    # (rdb.c presizes to the integers so far, then to the whole set). Four
    # members keep that inside one 4-bucket table; with five, a dump that
    # lists 3 integers first leaves a 4 -> 8 rehash whose progress depends on
    # the loading process's hash seed (the model takes the likelier outcome),
    # which an exact-bytes check cannot pin down.
    cmd("SADD", reg("set:small:mixed"), 1, 2, "x", "y")
    cmd("SADD", reg("set:large:strs"), *["member:%s" % g.hexs(8) for _ in range(600)])
    cmd("SADD", reg("set:longmember"), "a" * 100, "b")
    cmd("SADD", reg("set:single:int"), 7)

    # ---- sorted sets
    cmd("ZADD", reg("zset:small:mixed"), 1, "one", 2.5, "two.5", -3.75, "neg", 0, "zero",
        "1e100", "huge", "-1e-100", "tiny", "+inf", "pinf", "-inf", "ninf",
        123456789012, "big", 0.1, "tenth", repr(1 / 3), "third", "-0.0", "negzero")
    cmd("ZADD", reg("zset:small:intmembers"), *sum(([i * 3, i] for i in range(20)), []))
    zadd_many(g, reg("zset:128"), [("m%d" % i, i) for i in range(128)])
    zadd_many(g, reg("zset:129"), [("m%d" % i, i) for i in range(129)])
    cmd("ZADD", reg("zset:member64"), 1, "a" * 64, 2, "b")
    cmd("ZADD", reg("zset:member65"), 1, "a" * 65, 2, "b")
    pairs = []
    for i in range(400):
        k = i % 5
        s = (i if k == 0 else r.random() * 1000 if k == 1 else -r.randrange(10**6)
             if k == 2 else float(2**53 - i) if k == 3 else r.uniform(-1, 1))
        pairs.append(("player:%d" % i, s))
    pairs += [("pinf", "+inf"), ("ninf", "-inf")]
    zadd_many(g, reg("zset:large:skiplist"), pairs)
    zadd_many(g, reg("zset:samescore"), [("s%d" % i, 5) for i in range(50)])
    cmd("ZADD", reg("zset:longmember"), 1, "L" * 100)

    # ---- hashes
    cmd("HSET", reg("hash:small:mixed"), "name", "Ada", "age", 36, "score", "99.5",
        "empty", "", "neg", -42, "big", 9223372036854775807, "text", "hello world")
    hset_many(g, reg("hash:small:intfields"), [(i, i * i) for i in range(15)])
    hset_many(g, reg("hash:512"), [("f%d" % i, "v%d" % i) for i in range(512)])
    hset_many(g, reg("hash:513"), [("f%d" % i, "v%d" % i) for i in range(513)])
    cmd("HSET", reg("hash:value64"), "f", "v" * 64, "g", 1)
    cmd("HSET", reg("hash:value65"), "f", "v" * 65, "g", 1)
    cmd("HSET", reg("hash:field65"), "f" * 65, "v")
    hset_many(g, reg("hash:large"), [("field:%d" % i, g.words(r.randint(1, 3)))
                                     for i in range(600)])
    cmd("HSET", reg("hash:longvalue"), "a", g.text(200), "b", "x")

    # ---- streams
    base = 1600000001000
    sb = reg("stream:basic")
    for i in range(10):
        cmd("XADD", sb, "%d-0" % (base + i * 50), "field", "value%d" % i, "n", i)
    g.call("XSETID", sb, "%d-0" % (base + 500), "ENTRIESADDED", 25,
           "MAXDELETEDID", "%d-0" % (base + 100))
    sbig = reg("stream:big")
    for i in range(500):
        cmd("XADD", sbig, "%d-0" % (base + 1000 + i * 7), "user", "u%d" % r.randrange(1000),
            "action", r.choice(("view", "click", "buy")), "amount", r.randrange(100000))
    ids = ["%d-0" % (base + 1000 + i * 7) for i in range(500)]
    for i in range(0, 500, 9):
        cmd("XDEL", sbig, ids[i])
    g.call("XGROUP", "CREATE", sbig, "g1", ids[20])
    g.call("XGROUP", "CREATE", sbig, "g2", "$")
    g.call("XGROUP", "CREATE", sbig, "g3", "0")
    g.call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", 20, "STREAMS", sbig, ">")
    got = g.call("XREADGROUP", "GROUP", "g1", "bob", "COUNT", 10, "STREAMS", sbig, ">")
    g.call("XREADGROUP", "GROUP", "g1", "dave", "COUNT", 3, "STREAMS", sbig, ">")
    g.call("XREADGROUP", "GROUP", "g3", "carol", "COUNT", 7, "STREAMS", sbig, ">")
    bob_ids = [e[0] for e in got[0][1]]
    g.call("XACK", sbig, "g1", bob_ids[0], bob_ids[1])
    g.call("XCLAIM", sbig, "g1", "dave", 0, bob_ids[2])
    g.call("XGROUP", "CREATECONSUMER", sbig, "g2", "eve")
    sv = reg("stream:varfields")
    for i in range(30):
        nf = 1 + i % 4
        args = []
        for j in range(nf):
            args += ["f%d_%d" % (i % 3, j), r.randrange(10**6) if j % 2 else g.word()]
        cmd("XADD", sv, "%d-%d" % (base + 10**6, i), *args)
    se = reg("stream:emptied")
    for i in range(3):
        cmd("XADD", se, "%d-0" % (base + i), "k", "v")
    for i in range(3):
        cmd("XDEL", se, "%d-0" % (base + i))
    g.call("XGROUP", "CREATE", reg("stream:mkstream"), "grp", "$", "MKSTREAM")
    st = reg("stream:trimmed")
    for i in range(300):
        cmd("XADD", st, "%d-0" % (base + 5 * 10**6 + i), "i", i, "pad", g.letters(20))
    cmd("XTRIM", st, "MAXLEN", 120)
    # Three consumers holding 200 pending entries each, handed out in rounds
    # of 20: every consumer PEL is a rax of its own with branches of its own,
    # which MEMORY USAGE walks (object.c objectComputeSize).
    sp = reg("stream:pel:3x200")
    for i in range(600):
        cmd("XADD", sp, "%d-%d" % (base + 7 * 10**6 + i // 4, i % 4), "n", i)
    g.call("XGROUP", "CREATE", sp, "workers", "0")
    for _ in range(10):
        for consumer in ("w1", "w2", "w3"):
            g.call("XREADGROUP", "GROUP", "workers", consumer, "COUNT", 20, "STREAMS", sp, ">")

    # ---- binary and odd key names
    odd = [bytes(range(256)), b"bin:\r\n", b"bin:\x00", b"bin:key:\x00\x01\xff\r\n\t1",
           b"back\\slash", b"bin:\\x41 literal", b'quote"comma,semi;', b"\x7fdel\x1besc",
           "utf8:ключ:日本:🙂".encode(), b"bad:\xc3\x28", b"surrogate:\xed\xa0\x80",
           b"overlong:\xc0\xaf", b"trunc:\xe2\x82", b"k" * 1000, b"", b" space lead",
           b"\xff\xfe\xfd"]
    for i, k in enumerate(odd):
        reg(k)
        t = i % 5
        if t == 0:
            cmd("SET", k, "value-%d" % i)
        elif t == 1:
            cmd("HSET", k, "f\x00\xff", "v\r\n", "g", 1)
        elif t == 2:
            cmd("RPUSH", k, b"\x00", b"\xff", b"\r\n")
        elif t == 3:
            cmd("SADD", k, b"\x00x", b"\xffy")
        else:
            cmd("ZADD", k, 1, b"\x00\xff")

    # ---- filler: realistic keys so the file is not all edge cases
    for i in range(40):
        cmd("HSET", reg("user:%d:profile" % (1000 + i)), "name", g.word().title(),
            "email", "%s@example.com" % g.word(), "age", r.randint(18, 90),
            "country", r.choice(COUNTRIES), "created", 1600000000 + r.randrange(10**8))
    for i in range(40):
        cmd("SET", reg("session:%s" % g.uuid()), g.json_doc(r.randint(60, 300)))
    for i in range(25):
        hset_many(g, reg("cart:%d" % i), [("sku:%05d" % r.randrange(10**5), r.randint(1, 9))
                                          for _ in range(r.randint(1, 6))])
    for i in range(12):
        n = r.choice((5, 40, 120, 200, 700))
        zadd_many(g, reg("rank:board%d" % i),
                  [("player:%d" % r.randrange(10**6), r.randrange(10**5)) for _ in range(n)])
    for i in range(25):
        n = r.choice((3, 30, 300, 3000))
        push_many(g, "RPUSH", reg("feed:%d" % i), [r.randrange(10**8) for _ in range(n)])
    for i in range(20):
        k = reg("tag:%d" % i)
        if i % 2:
            cmd("SADD", k, *[r.randrange(10**5) for _ in range(r.randint(1, 60))])
        else:
            cmd("SADD", k, *[g.word() + str(j) for j in range(r.randint(1, 60))])
    for i in range(30):
        cmd("SET", reg("counter:%d" % i), r.choice((r.randrange(10000), r.randrange(10**12))))

    # ---- function library (FUNCTION2 opcode; counts in used_memory)
    g.call("FUNCTION", "LOAD", "REPLACE",
           "#!lua name=rdblenslive\n"
           "redis.register_function('rdblens_echo', function(keys, args) return args[1] end)\n"
           "redis.register_function{function_name='rdblens_get', "
           "callback=function(keys, args) return redis.call('GET', keys[1]) end, "
           "flags={'no-writes'}}\n")

    # ---- db 1 and db 15
    g.select(1)
    cmd("SET", reg("db1:str"), "hello from db1")
    cmd("HSET", reg("db1:hash"), "a", 1, "b", 2)
    cmd("SET", reg("db1:int"), 77)
    cmd("RPUSH", reg("db1:list"), "x", "y")
    cmd("ZADD", reg("db1:zset"), 1, "a")
    cmd("SET", reg("db1:ttl"), "expires")
    g.select(15)
    cmd("RPUSH", reg("db15:list"), 1, 2, 3)
    cmd("ZADD", reg("db15:zset"), 1.5, "a", 2.5, "b")
    cmd("SET", reg("db15:int"), 12345678)
    cmd("SADD", reg("db15:set"), 1, 2, 3)
    cmd("XADD", reg("db15:stream"), "1-1", "a", "b")

    # ---- TTLs: about 40 % of the keys of every db, 1 h .. 10 y from now
    # (odd milliseconds), plus fixed ones
    n_ttl = 0
    for db in sorted(g.keys):
        g.select(db)
        for k in g.keys[db]:
            if r.random() < 0.4:
                cmd("PEXPIREAT", k, g.future_ms(HOUR_MS, 3650 * DAY_MS))
                n_ttl += 1
    g.select(0)
    cmd("SET", reg("ttl:y2100"), "fixed", "PXAT", 4102444800123)
    cmd("SET", reg("ttl:int"), 5, "PX", 2 * HOUR_MS + 7)
    g.select(1)
    cmd("PEXPIREAT", "db1:ttl", g.future_ms(DAY_MS, 2 * DAY_MS))
    # already expired when saved: active expire is off and nothing reads them,
    # so they are in the dump; a server loading it drops them.
    g.select(0)
    for k, t in (("expired:str", "s"), ("expired:hash", "h"), ("expired:list", "l")):
        reg(k)
        if t == "s":
            cmd("SET", k, "gone", "PX", 1)
        elif t == "h":
            cmd("HSET", k, "a", 1)
            cmd("PEXPIRE", k, 1)
        else:
            cmd("RPUSH", k, 1, 2)
            cmd("PEXPIRE", k, 1)
    g.L.flush()
    time.sleep(0.05)
    return {"notes": notes, "ttl_assigned": n_ttl,
            "expired_at_save": ["expired:str", "expired:hash", "expired:list"]}


# ============================================================ (b) mixed bench dataset

def gen_mixed(g, scale):
    r = g.rng
    cmd = g.cmd
    g.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    g.select(0)
    S = lambda n: max(1, int(n * scale))  # noqa: E731

    def ttl_args(p, lo=HOUR_MS, hi=30 * DAY_MS):
        return ("PXAT", g.future_ms(lo, hi)) if r.random() < p else ()

    def maybe_expire(k, p, lo=HOUR_MS, hi=30 * DAY_MS):
        if r.random() < p:
            cmd("PEXPIREAT", k, g.future_ms(lo, hi))

    # user:{id}:profile: listpack hashes, 5 % TTL
    for i in range(S(100000)):
        k = "user:%d:profile" % (100000 + i)
        args = ["name", g.word().title() + " " + g.word().title(),
                "email", "%s.%d@example.com" % (g.word(), i), "age", r.randint(18, 90),
                "country", r.choice(COUNTRIES), "created", 1500000000 + r.randrange(2 * 10**8)]
        if r.random() < 0.5:
            args += ["bio", g.words(r.randint(3, 10))]
        if r.random() < 0.3:
            args += ["score", "%.2f" % (r.random() * 1000)]
        cmd("HSET", k, *args)
        maybe_expire(k, 0.05)
    # session:{uuid}: JSON strings, all with TTL 30 min .. 1 day
    for i in range(S(120000)):
        doc = ('{"uid":%d,"ip":"10.%d.%d.%d","ua":"%s","csrf":"%s","roles":["%s"],"cart":%d}'
               % (r.randrange(10**7), r.randrange(256), r.randrange(256), r.randrange(256),
                  r.choice(AGENTS), g.hexs(32), g.word(), r.randrange(10**6)))
        if r.random() < 0.2:
            doc += g.json_doc(r.randint(50, 200))
        cmd("SET", "session:%s" % g.uuid(), doc, "PXAT", g.future_ms(HOUR_MS // 2, DAY_MS))
    # cart:{id}: 1-5 items, a third with TTL
    for i in range(S(50000)):
        k = "cart:%d" % (500000 + i)
        args = []
        for _ in range(r.randint(1, 5)):
            args += ["sku:%06d" % r.randrange(10**6), r.randint(1, 9)]
        cmd("HSET", k, *args)
        maybe_expire(k, 0.33)
    # rank:{board}: zsets, listpack (<=128) and skiplist
    for i in range(S(2500)):
        k = "rank:board%d" % i
        n = r.randint(5, 120) if r.random() < 0.7 else r.randint(129, 1000)
        zadd_many(g, k, [("player:%d" % r.randrange(10**7),
                          r.randrange(10**6) if r.random() < 0.7 else r.random() * 1000)
                         for _ in range(n)])
        maybe_expire(k, 0.2)
    # feed:{id}: lists of post ids / short strings; a few long ones
    for i in range(S(20000)):
        k = "feed:%d" % i
        n = r.randint(5, 90) if r.random() < 0.99 else r.randint(1000, 3000)
        if r.random() < 0.6:
            items = [r.randrange(10**9) for _ in range(n)]
        else:
            items = ["post:%d:%s" % (r.randrange(10**7), g.word()) for _ in range(n)]
        push_many(g, "RPUSH", k, items)
        maybe_expire(k, 0.3)
    # counters: integers, shared (< 10000) and not
    for i in range(S(150000)):
        v = r.randrange(10000) if r.random() < 0.5 else r.randrange(10**4, 10**15)
        cmd("SET", "counter:%s:%d" % (r.choice(("views", "likes", "hits")), i), v,
            *ttl_args(0.1))
    # cache:item:{n}: embstr, 60 % with TTL 1 min .. 6 h
    for i in range(S(100000)):
        cmd("SET", "cache:item:%d" % i, g.letters(r.randint(10, 44)),
            *ttl_args(0.6, 60 * 1000, 6 * HOUR_MS))
    # tag:{id}: intset / small string sets / big int sets (hashtable)
    for i in range(S(15000)):
        k = "tag:%d" % i
        t = i % 10
        if t < 5:
            cmd("SADD", k, *[r.randrange(10**6) for _ in range(r.randint(5, 300))])
        elif t < 9:
            cmd("SADD", k, *["%s%d" % (g.word(), j) for j in range(r.randint(5, 60))])
        else:
            push_many(g, "SADD", k, [r.randrange(10**9) for _ in range(r.randint(600, 900))])
        maybe_expire(k, 0.4)
    # blobs: raw strings 1-40 KB, half incompressible
    for i in range(S(600)):
        n = r.randint(1024, 40 * 1024)
        cmd("SET", "blob:%d" % i, g.randbytes(n) if i % 2 else g.text(n), *ttl_args(0.4))
    # streams with groups, PELs, deletions
    for s in range(max(1, int(4 * scale ** 0.5))):
        k = "events:%d" % s
        base = 1700000000000 + s * 10**8
        n = S(100000) // max(1, int(4 * scale ** 0.5))
        for i in range(n):
            cmd("XADD", k, "%d-%d" % (base + i // 3, i % 3), "type", r.choice(("view", "buy")),
                "user", r.randrange(10**6), "v", g.letters(r.randint(5, 30)))
        for i in range(0, n, 13):
            cmd("XDEL", k, "%d-%d" % (base + i // 3, i % 3))
        if s % 2 == 0:
            g.call("XGROUP", "CREATE", k, "workers", "0")
            g.call("XGROUP", "CREATE", k, "audit", "$")
            for c in range(3):
                g.call("XREADGROUP", "GROUP", "workers", "c%d" % c, "COUNT", 200,
                       "STREAMS", k, ">")
    # big keys
    cmd("SET", "bigkey:string:json", g.json_doc(8 * 1024 * 1024))
    hset_many(g, "bigkey:hash:sessions", [("sess:%d" % i, g.hexs(24)) for i in range(S(100000))])
    push_many(g, "RPUSH", "bigkey:list:queue",
              ["job:%d:%s" % (i, g.word()) for i in range(S(300000))])
    push_many(g, "SADD", "bigkey:set:visitors", ["v:%s" % g.hexs(12) for _ in range(S(100000))])
    zadd_many(g, "bigkey:zset:leaderboard", [("p:%d" % i, r.randrange(10**9))
                                             for i in range(S(200000))])
    # odd key names
    cmd("SET", bytes(range(256)), "all bytes")
    cmd("SET", b"bin:\r\n\x00\xff", "binary key")
    cmd("SET", "k" * 1000, "long key")
    cmd("SET", "unicode:ключ:日本:🙂", "unicode key")
    cmd("SET", b"", "empty key")
    # already expired when saved (stay in the dump, dropped by a loading server)
    for i in range(S(1000)):
        cmd("SET", "expired:%d" % i, g.letters(20), "PX", 1)
    # db 1
    g.select(1)
    for i in range(S(10000)):
        if i % 2:
            cmd("SET", "db1:key:%d" % i, g.letters(r.randint(5, 60)), *ttl_args(0.4))
        else:
            cmd("HSET", "db1:obj:%d" % i, "a", r.randrange(1000), "b", g.word())
    g.L.flush()
    time.sleep(0.01)
    return {}


# ============================================================ (c) strings only

def gen_strings(g, scale):
    r = g.rng
    cmd = g.cmd
    g.select(0)
    n = int(600000 * scale)
    for i in range(n):
        x = r.random()
        if x < 0.2:
            v = r.randrange(10000) if r.random() < 0.5 else r.randrange(-10**15, 10**15)
        elif x < 0.6:
            v = g.letters(r.randint(1, 44))
        elif x < 0.9:
            v = g.text(r.randint(45, 500))
        else:
            v = g.randbytes(r.randint(500, 1000)) if r.random() < 0.5 else g.text(r.randint(500, 1000))
        if r.random() < 0.4:
            cmd("SET", "str:%d" % i, v, "PXAT", g.future_ms(HOUR_MS, 30 * DAY_MS))
        else:
            cmd("SET", "str:%d" % i, v)
    g.L.flush()
    return {}


# ============================================================ (d) one huge key

def gen_huge_zset(g, scale):
    r = g.rng
    n = int(5000000 * scale)
    g.select(0)
    per = 1000
    for start in range(0, n, per):
        args = []
        for i in range(start, min(n, start + per)):
            args += [r.randrange(10**9) if i % 4 else r.random() * 10**6, "member:%d" % i]
        g.cmd("ZADD", "huge:zset", *args)
    for i in range(100):
        g.cmd("SET", "small:%d" % i, g.letters(20))
    g.L.flush()
    return {"huge_key": "huge:zset", "members": n}


def gen_huge_list(g, scale):
    r = g.rng
    n = int(10000000 * scale)
    g.select(0)
    per = 2000
    for start in range(0, n, per):
        m = min(n, start + per) - start
        g.cmd("RPUSH", "huge:list", *[r.randrange(10**9) if (start + j) % 3 else
                                       "job:%d" % (start + j) for j in range(m)])
    for i in range(100):
        g.cmd("SET", "small:%d" % i, g.letters(20))
    g.L.flush()
    return {"huge_key": "huge:list", "elements": n}


def gen_big_string(g, scale):
    """Built by APPENDs of 8 MiB, so that neither side holds a 500 MB command."""
    n = int(500 * 1000 * 1000 * scale)
    g.select(0)
    piece = 8 << 20
    done = 0
    while done < n:
        m = min(piece, n - done)
        g.cmd("APPEND", "big:string", g.randbytes(m))
        done += m
        g.L.flush()
    for i in range(100):
        g.cmd("SET", "small:%d" % i, g.letters(20))
    g.L.flush()
    return {"big_key": "big:string", "length": n}


# ============================================================ (e) a million prefixes

def gen_prefixes(g, scale):
    """`p{6 letters}:x` for i in 0..n-1 through a bijection of 26**6, so every
    key has its own non-numeric first segment."""
    r = g.rng
    n = int(1000000 * scale)
    space = 26 ** 6
    if n > space:
        raise SystemExit("prefixes: at most %d keys" % space)
    mult = 7919 * 3  # coprime with 26 (odd, not a multiple of 13)
    off = r.randrange(space)
    g.select(0)
    abc = "abcdefghijklmnopqrstuvwxyz"
    for i in range(n):
        x = (i * mult + off) % space
        s = []
        for _ in range(6):
            x, d = divmod(x, 26)
            s.append(abc[d])
        k = "p%s:x" % "".join(s)
        if i % 5 < 2:
            g.cmd("SET", k, i, "PXAT", g.future_ms(HOUR_MS, 30 * DAY_MS))
        else:
            g.cmd("SET", k, i)
    g.L.flush()
    return {"distinct_prefixes": n}


DATASETS = {
    "live": gen_live,
    "mixed": gen_mixed,
    "strings": gen_strings,
    "huge-zset": gen_huge_zset,
    "huge-list": gen_huge_list,
    "big-string": gen_big_string,
    "prefixes": gen_prefixes,
}


def generate(dataset, out, seed=1, scale=1.0, meta_path=None, quiet=False):
    fn = DATASETS[dataset]
    meta_path = meta_path or out + ".meta.json"
    out_dir = os.path.dirname(os.path.abspath(out))
    os.makedirs(out_dir, exist_ok=True)
    t0 = time.monotonic()
    # The server works in a temporary dir beside OUT, so that the dump is
    # moved, not copied, out of it (a 1 GB dump needs no second 1 GB).
    with redisctl.RedisServer(dir_parent=out_dir) as srv:
        with srv.client() as c:
            g = Gen(c, seed)
            extra = fn(g, scale)
            g.L.flush()
            t_load = time.monotonic() - t0
            info_mem = redisctl.parse_info(c.call("INFO", "memory"))
            keyspace = redisctl.parse_info(c.call("INFO", "keyspace"))
            dbsize = {}
            for k in sorted(keyspace):
                db = int(k[2:])
                c.call("SELECT", db)
                dbsize[str(db)] = c.call("DBSIZE")
            save_ms = redisctl.now_ms()
            t1 = time.monotonic()
            c.call("SAVE")
            t_save = time.monotonic() - t1
        os.replace(os.path.join(srv.dir, "dump.rdb"), out)
    meta = {
        "dataset": dataset, "seed": seed, "scale": scale,
        "generator": "tools/gen_dataset.py", "gen_version": GEN_VERSION,
        "file": os.path.basename(out), "file_size": os.path.getsize(out),
        "dbsize": dbsize, "keys_total": sum(dbsize.values()),
        "used_memory_before_save": info_mem.get("used_memory"),
        "save_time_ms": save_ms, "generated_at_ms": g.now,
        "load_seconds": round(t_load, 2), "save_seconds": round(t_save, 2),
        "total_seconds": round(time.monotonic() - t0, 2),
    }
    meta.update(extra or {})
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
        f.write("\n")
    if not quiet:
        print("gen_dataset: %s seed=%d scale=%g -> %s: %d keys, %.1f MB, load %.1f s, "
              "save %.1f s" % (dataset, seed, scale, out, meta["keys_total"],
                               meta["file_size"] / 1e6, t_load, t_save), file=sys.stderr)
    return meta


def main(argv):
    ap = argparse.ArgumentParser(description="Generate an RDB dump with a real redis-server.")
    ap.add_argument("--dataset", required=True, choices=sorted(DATASETS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--out", required=True, help="where to write the RDB file")
    ap.add_argument("--meta", help="meta JSON (default OUT.meta.json)")
    a = ap.parse_args(argv)
    generate(a.dataset, a.out, a.seed, a.scale, a.meta)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except redisctl._Terminated as e:  # noqa: SLF001
        print("gen_dataset: stopped by %s" % e, file=sys.stderr)
        sys.exit(143)
