#!/usr/bin/env python3
"""gen_newer.py: writes the fixtures of tests/fixtures/newer/ (RDB 13-15,
VALKEY 80/81) from their documented layouts, with tests/encoder/rdbenc.py.

    tests/encoder/gen_newer.py [OUTDIR]     default: tests/fixtures/newer

Deterministic: the same bytes every run (tests/scripts/newer_fixtures.sh
checks that the committed files are what this script writes). The logical
content of the stream, array and hash-template fixtures is that of redis/librdb's
published test expectations (test/dumps/stream_v14_xnack.json,
array_v14_*.json, hash_template_*_v15.json, multiple_types_v15.json), so that
tests/test_newer_*.c can assert the same keys, values and counts; the bytes
are this encoder's own.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rdbenc as E  # noqa: E402

CTIME = "1790000000"


def write(outdir, name, data):
    path = os.path.join(outdir, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# ---- RDB 13 (Redis 8.6): KEY_META, STREAM_LISTPACKS_4 with IDMP -----------

def redis13():
    r = E.Rdb("REDIS0013").aux("redis-ver", "8.6.0").aux("redis-bits", "64").aux("ctime", CTIME)
    r.aux("used-mem", "1000000").aux("aof-base", "0")
    r.select(0).resize(4, 1)
    # a string with two metadata classes (an unknown module's classes: each
    # value is skipped by its opcode framing)
    r.raw(E.key_meta([("KMT1", 1, 1, [("uint", 42)]),
                      ("Ab_-", 31, 6, [("string", "hello"), ("double", 2.5), ("sint", -7),
                                       ("float", 1.5)])]))
    r.key(0, "meta:str", E.rstr("value"))
    # expiry then KEY_META (any order is accepted), one class
    r.expire_ms(1893456000000)
    r.raw(E.key_meta([("zzzz", 0, 0, [("string", "x" * 70)])]))
    r.key(0, "meta:ttl", E.rstr("v2"))
    # a plain key after them: no metadata leaks into it
    r.key(0, "plain", E.rstr("p"))
    # a type-26 stream with IDMP: 3 entries, 1 group, 2 producers
    ms = 1780000000000
    node = E.stream_node(ms, 0, [(ms, 0, [("f", "1")], False), (ms + 1, 0, [("f", "2")], False),
                                 (ms + 2, 0, [("f", "3")], False)])
    idmp = dict(duration=100, max_entries=1000,
                producers=[("producer-a", [("iid-1", ms, 0), ("iid-2", ms + 1, 0)]),
                           ("producer-b", [("iid-3", ms + 2, 0)])],
                added=3, dups=1)
    g = dict(name="g1", last_id=(ms + 2, 0), entries_read=3, pel=[(ms, 0, ms + 10, 1)],
             consumers=[("c1", ms + 10, ms + 10, [(ms, 0)])])
    r.key(26, "stream:idmp", E.stream_value(26, [node], 3, (ms + 2, 0), (ms, 0), (0, 0), 3, [g], idmp))
    return r.finish()


# ---- RDB 14 (Redis 8.8): STREAM_LISTPACKS_5 (NACK zone), ARRAY ------------

def stream_xnack():
    """The content of librdb's test/dumps/stream_v14_xnack.json."""
    r = E.Rdb("REDIS0014").aux("redis-ver", "8.8.0").aux("redis-bits", "64").aux("ctime", CTIME)
    r.select(0).resize(1, 0)
    ids = [1779170191996, 1779170191998, 1779170192000, 1779170192001]
    entries = [(ms, 0, [("field%d" % (i + 1), "value%d" % (i + 1))], False) for i, ms in enumerate(ids)]
    node = E.stream_node(ids[0], 0, entries)
    sent = 1779170192004
    g = dict(name="mygroup", last_id=(ids[3], 0), entries_read=4,
             pel=[(ids[0], 0, sent, 1), (ids[1], 0, 0, 1), (ids[2], 0, 0, 1), (ids[3], 0, sent, 1)],
             consumers=[("consumer1", sent, sent, [(ids[0], 0), (ids[3], 0)])],
             nacked=[(ids[1], 0), (ids[2], 0)])
    r.key(27, "mystream", E.stream_value(27, [node], 4, (ids[3], 0), (ids[0], 0), (0, 0), 4, [g]))
    return r.finish()


def arrays():
    """librdb's array_v14_{basic,mixed_types,with_insert_idx,
    insert_idx_boundary,insert_idx_none}.json: each a key "arr", here in
    databases 0-4."""
    r = E.Rdb("REDIS0014").aux("redis-ver", "8.8.0").aux("redis-bits", "64").aux("ctime", CTIME)
    cases = [
        ([(i, E.AR_SMALLSTR, "a%d" % i) for i in range(100)], None),
        ([(0, E.AR_SDS, "this_is_a_long_sds_string_value_long_enough"), (1, E.AR_INT, 42),
          (2, E.AR_FLOAT, 1.5), (3, E.AR_SMALLSTR, "abc")], None),
        ([(1000000, E.AR_SMALLSTR, "first"), (1000100, E.AR_SMALLSTR, "mid"),
          (1001000, E.AR_SMALLSTR, "third")], 49),
        ([(0, E.AR_SMALLSTR, "a"), (1, E.AR_SMALLSTR, "b")], 18446744073709551614),
        ([(0, E.AR_SMALLSTR, "x"), (1, E.AR_SMALLSTR, "y"), (2, E.AR_SMALLSTR, "z")], None),
    ]
    for db, (els, ins) in enumerate(cases):
        r.select(db).resize(1, 0)
        r.key(28, "arr", E.array_value(els, ins))
    # one more, for the memory model: a dense run past one slice and a
    # superdir index
    r.select(5).resize(1, 0)
    big = [(i, E.AR_INT, i * 3) for i in range(5000)] + [(1 << 40, E.AR_SDS, "far away element")]
    r.key(28, "arr:big", E.array_value(big, 4999))
    return r.finish()


# ---- RDB 15 (Redis 8.10): hash templates --------------------------------

def hash_templates():
    """librdb's hash_template_v15 (LP_REF), hash_template_array_v15
    (ARRAY_REF), hash_template_values_v15 and the self-contained
    hash_template_self_*_v15 expectations, in one file: databases 0-3."""
    r = E.Rdb("REDIS0015").aux("redis-ver", "8.10.0").aux("redis-bits", "64").aux("ctime", CTIME)
    person = E.template_order(["name", "age", "city"])          # age, city, name
    greek = E.template_order(["alpha", "beta", "gamma", "delta"])  # beta, alpha, delta, gamma
    vals = E.template_order(["num", "empty", "big"])            # big, num, empty
    r.raw(E.hash_template_record(0, person))
    r.raw(E.hash_template_record(7, greek))
    r.raw(E.hash_template_record(1 << 40, vals))                 # a sparse id
    r.select(0).resize(5, 0)
    for i in range(1, 6):
        v = {"name": "n%d" % i, "age": "a%d" % i, "city": "c%d" % i}
        r.key(30, "h%d" % i, E.tmpl_lp_ref(0, [v[f] for f in person]))
    r.select(1).resize(3, 0)
    for i in range(1, 4):
        v = {f: f[0].upper() + str(i) for f in ["alpha", "beta", "gamma", "delta"]}
        r.key(32, "k%d" % i, E.tmpl_array_ref(7, [v[f] for f in greek]))
    r.select(2).resize(3, 0)
    big = "a" * 400
    for i in range(1, 4):
        v = {"num": str(i * 1000000), "empty": "", "big": big}
        # num is integer-encoded (rstr), big LZF-compressed
        r.key(32, "e%d" % i, E.tmpl_array_ref(1 << 40, [v[f] for f in vals], lzf=(0,)))
    r.select(3).resize(4, 0)
    for i, (lpv, lpf) in enumerate([(True, True), (True, False), (False, True), (False, False)], 1):
        v = {"age": "a%d" % i, "city": "c%d" % i, "name": "n%d" % i}
        t = 29 if lpv else 31
        r.key(t, "s%d" % i, E.tmpl_self(person, [v[f] for f in person], lpv, lpf))
    return r.finish()


def multiple_types_v15():
    """librdb's multiple_types_v15.json: plain types in an RDB 15 file."""
    r = E.Rdb("REDIS0015").aux("redis-ver", "8.10.0").aux("redis-bits", "64").aux("ctime", CTIME)
    r.select(0).resize(5, 0)
    r.key(0, "str", E.rstr("hello world"))
    r.key(17, "myzset", E.rstr(E.listpack(["one", 1, "two", 2, "three", 3]), int_encode=False))
    r.key(16, "myhash", E.rstr(E.listpack(["f1", "v1", "f2", "v2", "f3", "v3"]), int_encode=False))
    r.key(18, "mylist", E.rlen(1) + E.rlen(2) + E.rstr(E.listpack(["a", "b", "c", 1, 2, 3]), int_encode=False))
    r.key(20, "myset", E.rstr(E.listpack(["x", "y", "z"]), int_encode=False))
    return r.finish()


# ---- VALKEY 80 / 81 ----------------------------------------------------------

def valkey80():
    r = E.Rdb("VALKEY080").aux("valkey-ver", "9.0.0").aux("redis-bits", "64").aux("ctime", CTIME)
    r.aux("used-mem", "1000000").aux("aof-base", "0")
    r.raw(E.slot_import("0123456789abcdef0123456789abcdef01234567", [(0, 99), (1000, 1000)]))
    r.select(0).resize(3, 1)
    r.key(22, "h2", E.valkey_hash2([("f1", "v1", -1), ("f2", "v2", 1893456000000),
                                     ("f3", "v3", 1893456000500)]))
    r.key(22, "h2:expired", E.valkey_hash2([("old", "x", 1000), ("keep", "y", -1)]))
    r.expire_ms(1893456000000)
    r.key(0, "s", E.rstr("valkey"))
    return r.finish()


def valkey81():
    r = E.Rdb("VALKEY081").aux("valkey-ver", "9.2.0").aux("redis-bits", "64").aux("ctime", CTIME)
    r.select(0).resize(2, 0)
    r.key(0, "before", E.rstr("1"))
    r.raw(E.update_command(["SET", "foo", "bar"]))
    r.raw(E.update_command(["HSET", "h", "f", "x" * 100]))
    r.key(0, "after", E.rstr("2"))
    return r.finish()


# ---- refused: named errors (tests/fixtures/newer/refused) ---------------

def refused():
    out = {}
    r = E.Rdb("REDIS0015").aux("redis-ver", "8.10.0").select(0)
    r.key(0, "ok", E.rstr("1"))
    r.raw(bytes([33]) + E.rstr("limiter") + b"\x00" * 16)
    out["gcra_v15.rdb"] = r.finish()
    r = E.Rdb("VALKEY081").aux("valkey-ver", "9.2.0").select(0)
    r.key(0, "ok", E.rstr("1"))
    r.raw(bytes([23]) + E.rstr("paths") + b"\x00" * 16)
    out["path_hash_v81.rdb"] = r.finish()
    # a version newer than the newest known: a known key, then an unknown type
    r = E.Rdb("REDIS0016").aux("redis-ver", "9.0.0").select(0).resize(3, 0)
    r.key(0, "known:1", E.rstr("one"))
    r.key(16, "known:2", E.rstr(E.listpack(["f", "v"]), int_encode=False))
    r.raw(bytes([40]) + E.rstr("future") + b"\x05hello")
    out["future_v16.rdb"] = r.finish()
    r = E.Rdb("REDIS0016").aux("redis-ver", "9.0.0").select(0)
    r.key(0, "known", E.rstr("one"))
    out["future_v16_known_only.rdb"] = r.finish()
    # the VKCS envelope: 8 bytes, then (here) the start of an LZ4 frame
    out["vkcs_lz4.rdb"] = b"VKCS\x01\x01\x01\x00" + bytes.fromhex("04224d18") + b"\x00" * 8
    return out


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "newer")
    write(outdir, "redis13_keymeta_idmp.rdb", redis13())
    write(outdir, "redis14_stream_xnack.rdb", stream_xnack())
    write(outdir, "redis14_arrays.rdb", arrays())
    write(outdir, "redis15_hash_templates.rdb", hash_templates())
    write(outdir, "redis15_multiple_types.rdb", multiple_types_v15())
    write(outdir, "valkey80_hash2.rdb", valkey80())
    write(outdir, "valkey81_update.rdb", valkey81())
    for name, data in refused().items():
        write(outdir, os.path.join("refused", name), data)


if __name__ == "__main__":
    main()
