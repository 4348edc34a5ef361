#!/usr/bin/env python3
"""inspect_live.py RDBLENS: `rdblens inspect` against a real redis-server.

A private redis-server (tools/redisctl.py: 127.0.0.1, a random port,
--save '', stopped by its pid) gets keys of every type whose largest
elements are known by construction and read back from the server: a hash
with binary fields, a listpack hash, sorted sets with fractional, negative
and infinite scores, a long list with integers and binary elements, sets of
strings and integers, a stream with deleted entries, three consumer groups
and pending entries, a 1 MB string, a compressible string, a key with a TTL,
binary key names, and one name in two databases. SAVE; then one
`rdblens inspect -f json` run over all of them is checked against the same
server:

  - the 20 largest elements: each name's size from HSTRLEN / STRLEN of the
    field, ZSCORE, LINDEX, SISMEMBER, XRANGE, and the list of sizes equal to
    the first 20 of all sizes sorted (HGETALL, ZRANGE, LRANGE, SMEMBERS,
    XRANGE; ties in file order where the file order is known: list index,
    stream ID);
  - the histogram, bucket by bucket, from the same full reads;
  - type, elements, absolute expiry (PEXPIRETIME), the stream's XINFO STREAM
    FULL (length, entries-added, groups and consumers with their PELs);
  - bytes and encoding against a FRESH server that loaded the dump:
    OBJECT ENCODING equal, MEMORY USAGE SAMPLES 0 equal (skiplists within
    5 %, their node levels are random);
  - every what-if: a fresh server started with the settings it names loads
    the dump, and the key's encoding and MEMORY USAGE must be what it said;
  - --escaped names, --db, a missing key (exit 1, named on stderr), a bad
    escape (exit 2), and the text form.

KEEP=1 in the environment keeps the dump and prints its path.
Prints one FAIL line per failed check; last line
"inspect_live: N passed, N failed"; exit 1 when any failed.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import redisctl  # noqa: E402

RDBLENS = sys.argv[1]
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s" % what)
    return cond


def printable(b):
    """rdblens' printable form of bytes (report/keyfmt.c): valid UTF-8 as is,
    backslash doubled, other bytes and control characters as \\xHH."""
    out = []
    i = 0
    while i < len(b):
        c = b[i]
        if 0x20 <= c < 0x7F and c != 0x5C:
            out.append(chr(c))
            i += 1
        elif c == 0x5C:
            out.append("\\\\")
            i += 1
        else:
            for n in (2, 3, 4):
                try:
                    if c >= 0x80 and i + n <= len(b):
                        out.append(b[i:i + n].decode("utf-8"))
                        i += n
                        break
                except UnicodeDecodeError:
                    continue
            else:
                out.append("\\x%02x" % c)
                i += 1
    return "".join(out)


def bucket(n):
    return n.bit_length()


def histogram(sizes):
    h = {}
    for s in sizes:
        b = bucket(s)
        c, t = h.get(b, (0, 0))
        h[b] = (c + 1, t + s)
    return h


def top20(sizes_in_order):
    """First 20 of a stable descending sort: [(size, index)]."""
    return sorted(((s, i) for i, s in enumerate(sizes_in_order)), key=lambda x: -x[0])[:20]


def run(args, **kw):
    return subprocess.run([RDBLENS] + args, capture_output=True, **kw)


# ------------------------------------------------------------------ the data

rng = random.Random(13)


def rbytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


BIN_KEY = b"bin:\x00\xff\n\"\\k"
BIN2_KEY = "bin2:caf\u00e9:\u6f22".encode() + b"\xfe"
SCORES = [0.5, -2.25, 1e-7, 3.141592653589793, float("inf"), float("-inf"), 1e300, -0.0]


def populate(c):
    cmds = []
    # h:big: 700 fields, field + value sizes distinct at the top (value i bytes)
    fields = []
    for i in range(700):
        f = b"f:%d" % i if i % 50 else b"f:\x00\xff" + rbytes(i % 7) + b"%d" % i
        fields.append((f, rbytes(i)))
    rng.shuffle(fields)
    for k in range(0, 700, 100):
        args = [b"HSET", b"h:big"]
        for f, v in fields[k:k + 100]:
            args += [f, v]
        cmds.append(args)
    # h:small: listpack (30 fields, short values)
    args = [b"HSET", b"h:small"]
    for i in range(30):
        args += [b"s%02d" % i, b"v" * (i % 11 + 1)]
    cmds.append(args)
    # z:big: 300 members, member lengths distinct at the top
    args = [b"ZADD", b"z:big"]
    for i in range(300):
        m = (b"m%d:" % i) + b"x" * (i // 2) if i < 280 else (b"m%d:" % i) + b"y" * (i + 40)
        args += [repr(SCORES[i % len(SCORES)] if i % 3 == 0 else rng.uniform(-1e6, 1e6)).encode(), m]
    cmds.append(args)
    # z:small: listpack
    args = [b"ZADD", b"z:small"]
    for i in range(20):
        args += [b"%d" % (i * 3 - 7), b"zs%d" % i]
    cmds.append(args)
    # l:big: 3000 elements with ties (sizes 0..60), integers, binary, a few long
    args = [b"RPUSH", b"l:big"]
    for i in range(3000):
        r = i % 10
        if r == 0:
            e = b"%d" % rng.randint(-10 ** 12, 10 ** 12)
        elif r == 1:
            e = rbytes(rng.randint(0, 60))
        else:
            e = b"e" * rng.randint(0, 60)
        if i in (17, 1234, 2999):
            e = rbytes(5000 + i)
        args.append(e)
    cmds.append(args)
    # s:strs: 600 string members (hashtable), distinct lengths at the top
    args = [b"SADD", b"s:strs"]
    for i in range(600):
        args.append(b"member:%d:" % i + b"q" * (i // 4 if i < 580 else i))
    cmds.append(args)
    # s:ints: 800 integers (hashtable on 7.0: over set-max-intset-entries 512)
    cmds.append([b"SADD", b"s:ints"] + [b"%d" % (i * 7919 - 3000000) for i in range(800)])
    # s:smallints: 100 integers (intset)
    cmds.append([b"SADD", b"s:smallints"] + [b"%d" % (i * 1000003) for i in range(100)])
    # strings
    cmds.append([b"SET", b"str:big", rbytes(1 << 20)])
    cmds.append([b"SET", b"str:comp", b"abcdefgh" * 25000])
    cmds.append([b"SET", b"ttl:key", b"value"])
    cmds.append([b"PEXPIREAT", b"ttl:key", b"4102444800123"])
    cmds.append([b"HSET", BIN_KEY, b"a", b"1", b"\x00", b"\xff" * 70])
    cmds.append([b"SADD", BIN2_KEY, b"x", b"yy"])
    cmds.append([b"SET", b"dbkey", b"in db 0"])
    cmds.append([b"SELECT", b"3"])
    cmds.append([b"RPUSH", b"dbkey", b"in", b"db", b"3"])
    cmds.append([b"SELECT", b"0"])
    for cmd in cmds:
        c.call(*cmd)
    # the stream: 1000 entries of 1 to 3 fields, 10 deleted, 3 groups
    for i in range(1000):
        nf = i % 3 + 1
        args = [b"XADD", b"st", b"%d-1" % (1000 + i)]
        for f in range(nf):
            args += [b"field%d" % f, rbytes(rng.randint(0, 40 + (i % 97)))]
        c.call(*args)
    for i in range(10):
        c.call(b"XDEL", b"st", b"%d-1" % (1000 + i * 37))
    c.call(b"XGROUP", b"CREATE", b"st", b"g1", b"0")
    c.call(b"XGROUP", b"CREATE", b"st", b"g2", b"0")
    c.call(b"XGROUP", b"CREATE", b"st", b"idle", b"$")
    c.call(b"XREADGROUP", b"GROUP", b"g1", b"alice", b"COUNT", b"40", b"STREAMS", b"st", b">")
    c.call(b"XREADGROUP", b"GROUP", b"g1", b"bob", b"COUNT", b"7", b"STREAMS", b"st", b">")
    c.call(b"XREADGROUP", b"GROUP", b"g2", b"carol", b"COUNT", b"25", b"STREAMS", b"st", b">")
    c.call(b"XACK", b"st", b"g1", b"1001-1", b"1002-1", b"1003-1")
    c.call(b"XREADGROUP", b"GROUP", b"g1", b"bob", b"COUNT", b"1", b"STREAMS", b"st", b"0")


# ------------------------------------------------------------------ truth per type

def pairs(flat):
    return list(zip(flat[0::2], flat[1::2]))


def check_hash(c, key, got):
    full = pairs(c.call(b"HGETALL", key))
    sizes = {f: len(f) + len(v) for f, v in full}
    want = sorted(sizes.values(), reverse=True)[:20]
    items = got["largest"]["items"]
    check([x["bytes"] for x in items] == want, "%r: top sizes %s, want %s" % (key, [x["bytes"] for x in items][:5], want[:5]))
    for x in items:
        f = redisctl_unescape(x["field"])
        check(f in sizes, "%r: field %r not in the hash" % (key, f))
        if f in sizes:
            check(x["field_bytes"] == len(f) and x["value_bytes"] == c.call(b"HSTRLEN", key, f),
                  "%r: field %r sizes %d/%d" % (key, f, x["field_bytes"], x["value_bytes"]))
    return list(sizes.values())


def check_zset(c, key, got):
    full = pairs(c.call(b"ZRANGE", key, b"0", b"-1", b"WITHSCORES"))
    sizes = {m: len(m) for m, _ in full}
    want = sorted(sizes.values(), reverse=True)[:20]
    items = got["largest"]["items"]
    check([x["bytes"] for x in items] == want, "%r: top sizes" % key)
    for x in items:
        m = redisctl_unescape(x["member"])
        score = c.call(b"ZSCORE", key, m)
        s = x["score"]
        s = float(s) if isinstance(s, str) else s
        check(score is not None and float(score) == s and x["member_bytes"] == len(m),
              "%r: member %r score %r, server %r" % (key, m, x["score"], score))
    return list(sizes.values())


def check_set(c, key, got):
    full = c.call(b"SMEMBERS", key)
    want = sorted((len(m) for m in full), reverse=True)[:20]
    items = got["largest"]["items"]
    check([x["bytes"] for x in items] == want, "%r: top sizes" % key)
    for x in items:
        m = redisctl_unescape(x["member"])
        check(c.call(b"SISMEMBER", key, m) == 1 and x["member_bytes"] == len(m), "%r: member %r" % (key, m))
    return [len(m) for m in full]


def check_list(c, key, got):
    full = c.call(b"LRANGE", key, b"0", b"-1")
    sizes = [len(e) for e in full]
    want = top20(sizes)
    items = got["largest"]["items"]
    check([(x["bytes"], x["index"]) for x in items] == want, "%r: top (size, index)" % key)
    for x in items:
        e = c.call(b"LINDEX", key, x["index"])
        check(redisctl_unescape(x["element"]) == e[:4096] and x["element_bytes"] == len(e)
              and x.get("element_truncated", False) == (len(e) > 4096), "%r: element %d" % (key, x["index"]))
    return sizes


def check_stream(c, key, got):
    entries = c.call(b"XRANGE", key, b"-", b"+")
    sizes = [sum(len(b) for b in fv) for _, fv in entries]
    want = [(s, entries[i][0].decode()) for s, i in top20(sizes)]
    items = got["largest"]["items"]
    check([(x["bytes"], x["id"]) for x in items] == want, "%r: top (size, id)" % key)
    for x in items:
        e = c.call(b"XRANGE", key, x["id"], x["id"])
        check(len(e) == 1 and len(e[0][1]) // 2 == x["fields"], "%r: entry %s fields" % (key, x["id"]))
    full = c.call(b"XINFO", b"STREAM", key, b"FULL")
    info = dict(zip(full[0::2], full[1::2]))
    s = got["stream"]
    check(s["length"] == info[b"length"], "stream length")
    check(s["entries_added"] == info[b"entries-added"], "stream entries-added")
    check(s["last_id"] == info[b"last-generated-id"].decode(), "stream last id")
    check(s["max_deleted_id"] == info[b"max-deleted-entry-id"].decode(), "stream max deleted id")
    groups = [dict(zip(g[0::2], g[1::2])) for g in info[b"groups"]]
    check(s["groups"] == len(groups), "stream groups")
    check(s["pending"] == sum(g[b"pel-count"] for g in groups), "stream pending")
    byname = {g[b"name"]: g for g in groups}
    want_g = sorted(groups, key=lambda g: -g[b"pel-count"])   # stable: file order is creation order here
    check([x["name"] for x in s["largest_groups"]] == [g[b"name"].decode() for g in want_g], "group order")
    for x in s["largest_groups"]:
        g = byname[x["name"].encode()]
        check(x["pending"] == g[b"pel-count"] and x["consumers"] == len(g[b"consumers"])
              and x["last_delivered_id"] == g[b"last-delivered-id"].decode()
              and x.get("entries_read") == g[b"entries-read"], "group %s" % x["name"])
    consumers = {(g[b"name"], dict(zip(k[0::2], k[1::2]))[b"name"]): dict(zip(k[0::2], k[1::2]))
                 for g in groups for k in g[b"consumers"]}
    check(s["consumers"] == len(consumers), "stream consumers")
    for x in s["largest_consumers"]:
        k = consumers.get((x["group"].encode(), x["name"].encode()))
        check(k is not None and k[b"pel-count"] == x["pending"] and k[b"seen-time"] == x["seen_time_ms"],
              "consumer %s/%s" % (x["group"], x["name"]))
    return [sz for sz in sizes]


def redisctl_unescape(s):
    """Bytes from rdblens' printable form."""
    out = bytearray()
    i = 0
    while i < len(s):
        if s[i] == "\\" and s[i + 1] == "\\":
            out.append(0x5C)
            i += 2
        elif s[i] == "\\" and s[i + 1] == "x":
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        else:
            out += s[i].encode("utf-8")
            i += 1
    return bytes(out)


CHECKERS = {"hash": check_hash, "zset": check_zset, "set": check_set, "list": check_list,
            "stream": check_stream}


def check_hist(key, got, sizes):
    want = histogram(sizes)
    buckets = {bucket(b["min"]) if b["min"] else 0: (b["count"], b["bytes"]) for b in got["histogram"]["buckets"]}
    check(buckets == want, "%r: histogram %s, want %s" % (key, sorted(buckets.items())[:4], sorted(want.items())[:4]))
    for b in got["histogram"]["buckets"]:
        check(b["max"] == (0 if b["min"] == 0 else 2 * b["min"] - 1), "%r: bucket bounds %r" % (key, b))


def memory_usage(c, key, enc):
    """MEMORY USAGE SAMPLES 0; for a skiplist, whose node levels are drawn
    at random by each load, the mean over 20 loads of the dump (DEBUG RELOAD
    NOSAVE: the file is loaded again as it is, not saved first), which is
    what the model predicts (tests/live/run.sh averages the same way)."""
    mu = c.call(b"MEMORY", b"USAGE", key, b"SAMPLES", b"0")
    if enc != "skiplist":
        return mu
    total = mu
    for _ in range(19):
        c.call(b"DEBUG", b"RELOAD", b"NOSAVE")   # the dump again, not a re-save
        total += c.call(b"MEMORY", b"USAGE", key, b"SAMPLES", b"0")
    return total / 20.0


def mu_ok(got, want, encoding):
    if encoding == "skiplist":
        return abs(got - want) <= want * 0.05
    return got == want


# ------------------------------------------------------------------ main

KEYS = [b"h:big", b"h:small", b"z:big", b"z:small", b"l:big", b"s:strs", b"s:ints", b"s:smallints",
        b"st", b"str:big", b"str:comp", b"ttl:key", BIN2_KEY, b"dbkey"]


def main():
    redisctl.install_signal_handlers()
    tmp = tempfile.mkdtemp(prefix="rdblens-inspect-")
    dump = os.path.join(tmp, "live.rdb")
    with redisctl.RedisServer() as srv, srv.client() as c:
        populate(c)
        srv.save_to(dump)
        r = run(["inspect", "-f", "json", dump] + KEYS + [b"no:such:key"])
        check(r.returncode == 1, "exit 1 with a missing key (got %d)" % r.returncode)
        check(r.stderr.decode().strip().endswith("key 'no:such:key' not found"),
              "stderr names the missing key: %r" % r.stderr[-200:])
        doc = json.loads(r.stdout)
        check(doc["not_found"] == ["no:such:key"], "not_found lists it")
        check(doc["source"]["status"] == "complete" and doc["source"]["checksum"] == "ok", "source status")
        got = {(k["db"], redisctl_unescape(k["key"])): k for k in doc["keys"]}
        check(len(doc["keys"]) == len(KEYS) + 1, "one result per key, dbkey twice (db 0 and 3)")
        check((3, b"dbkey") in got and got[(3, b"dbkey")]["type"] == "list", "dbkey in db 3")
        ref = doc["source"]["reference_time_ms"]
        for (db, key), k in sorted(got.items()):
            c.call(b"SELECT", b"%d" % db)
            typ = c.call(b"TYPE", key)
            check(k["type"] == typ, "%r: type %s, server %s" % (key, k["type"], typ))
            if typ == "string":
                check(k["length"] == c.call(b"STRLEN", key), "%r: length" % key)
            else:
                n = c.call({"hash": b"HLEN", "zset": b"ZCARD", "set": b"SCARD", "list": b"LLEN",
                            "stream": b"XLEN"}[typ], key)
                check(k["elements"] == n and k["largest"]["of"] == n, "%r: elements %d, server %d" % (key, k["elements"], n))
                if key != b"dbkey":
                    sizes = CHECKERS[typ](c, key, k)
                    check_hist(key, k, sizes)
            pexp = c.call(b"PEXPIRETIME", key)
            check((k["expires_at_ms"] if k["expires_at_ms"] is not None else -1) == pexp, "%r: expiry" % key)
            if pexp > 0:
                check(k["ttl_ms"] == pexp - ref, "%r: ttl at the reference time" % key)
        c.call(b"SELECT", b"0")
        check(got[(0, b"str:comp")]["stored_compressed"] is True and
              got[(0, b"str:big")]["stored_compressed"] is False, "strings: LZF storage")

        # --escaped, --db, bad escape, text
        esc = printable(BIN_KEY)
        r = run(["inspect", "-f", "json", "--escaped", dump, esc])
        d = json.loads(r.stdout) if r.returncode == 0 else {"keys": []}
        check(r.returncode == 0 and len(d["keys"]) == 1 and d["keys"][0]["key"] == esc,
              "--escaped %s: rc %d %r" % (esc, r.returncode, r.stderr[-200:]))
        if d["keys"]:
            check([x["bytes"] for x in d["keys"][0]["largest"]["items"]] == [71, 2], "binary key's fields")
        r = run(["inspect", dump, esc])
        check(r.returncode == 1 and b"add --escaped" in r.stderr, "literal backslashes: not found, with the hint")
        r = run(["inspect", "--escaped", dump, "bad\\q"])
        check(r.returncode == 2 and b"not in the printable form" in r.stderr, "bad escape: exit 2")
        r = run(["inspect", "-f", "json", "--db", "3", dump, "dbkey"])
        d = json.loads(r.stdout)
        check(r.returncode == 0 and [k["db"] for k in d["keys"]] == [3], "--db 3")
        r = run(["inspect", "--db", "5", dump, "dbkey"])
        check(r.returncode == 1 and b"not found in db 5" in r.stderr, "--db 5: not found")
        r = run(["inspect", dump, "h:big", "st"])
        t = r.stdout.decode()
        check(r.returncode == 0 and "Largest fields (20 of 700" in t and "Consumer groups by pending" in t
              and "hash-max-listpack-" in t, "text form")

    # bytes and encodings after a restart, and every what-if on a restart
    # with its settings
    with redisctl.RedisServer(dump=dump) as srv, srv.client() as c:
        for (db, key), k in sorted(got.items()):
            c.call(b"SELECT", b"%d" % db)
            enc = c.call(b"OBJECT", b"ENCODING", key).decode()
            mu = memory_usage(c, key, enc)
            check(k["encoding"] == enc, "%r: encoding %s, server %s" % (key, k["encoding"], enc))
            check(mu_ok(k["bytes"], mu, enc), "%r: bytes %d, MEMORY USAGE %.0f" % (key, k["bytes"], mu))
    whatifs = 0
    for (db, key), k in sorted(got.items()):
        for w in k.get("encoding_limits", {}).get("what_if", []):
            args = []
            for s in w["set"]:
                args += ["--" + s["directive"], str(s["to"])]
            with redisctl.RedisServer(dump=dump, args=args) as srv, srv.client() as c:
                c.call(b"SELECT", b"%d" % db)
                enc = c.call(b"OBJECT", b"ENCODING", key).decode()
                mu = memory_usage(c, key, enc)
            whatifs += 1
            check(w["encoding"] == enc and mu_ok(w["bytes"], mu, enc),
                  "%r: %s: predicted %s %d, server %s %.0f" % (key, args, w["encoding"], w["bytes"], enc, mu))
            print("inspect_live: %r with %s: predicted %s %d, server %s %.0f"
                  % (key, " ".join(args), w["encoding"], w["bytes"], enc, mu))
    check(whatifs >= 6, "what-ifs checked: %d" % whatifs)
    print("inspect_live: %d what-ifs checked against restarted servers" % whatifs)
    if os.environ.get("KEEP"):
        print("inspect_live: dump kept in %s" % dump)
        return
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 - a crash is a failure, reported as such
        import traceback
        traceback.print_exc()
        check(False, "exception: %s" % e)
    print("inspect_live: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
