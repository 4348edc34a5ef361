"""rdbenc.py: a small RDB encoder for test fixtures (Python 3 standard library).

No server of Redis 8.6-8.10 or Valkey 9.x runs here, so the fixtures for
those formats are built from their documented byte layouts (drawn at the top
of rdb/keymeta.c, rdb/array.c, rdb/hash_tmpl.c, rdb/stream.c, rdb/valkey9.c),
written independently of the C parser that reads them. Every primitive is
the shortest form a server writes (rdbSaveLen, rdbSaveRawString with the
integer encodings, listpack entries as lpAppend makes them), and every file
ends with EOF and a CRC-64/Jones checksum.
"""

import struct

# ---- CRC-64/Jones (reflected, poly 0xad93d23594c935a9), as redis crc64.c --

_CRC_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0x95AC9329AC4BC9B5 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


def crc64(data, crc=0):
    for b in data:
        crc = _CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


assert crc64(b"123456789") == 0xE9C6D914C4B8D9CA

# ---- primitives ---------------------------------------------------------


def rlen(n):
    """rdbSaveLen: 6-bit, 14-bit (big-endian), 32-bit or 64-bit (big-endian)."""
    if n < 1 << 6:
        return bytes([n])
    if n < 1 << 14:
        return bytes([0x40 | (n >> 8), n & 0xFF])
    if n <= 0xFFFFFFFF:
        return b"\x80" + struct.pack(">I", n)
    return b"\x81" + struct.pack(">Q", n)


def _strict_int(s):
    """string2ll: the value when s is the canonical decimal form of an int64."""
    try:
        t = s.decode("ascii")
    except UnicodeDecodeError:
        return None
    body = t[1:] if t.startswith("-") else t
    if not t or len(t) > 20 or not body.isdigit() or t != str(int(t)):
        return None
    v = int(t)
    return v if -(1 << 63) <= v < (1 << 63) else None


def rstr(s, int_encode=True):
    """rdbSaveRawString without compression: integer encodings for strings of
    at most 11 characters that parse as an int32, else length + bytes."""
    if isinstance(s, str):
        s = s.encode()
    if int_encode and len(s) <= 11:
        v = _strict_int(s)
        if v is not None:
            if -(1 << 7) <= v < 1 << 7:
                return b"\xc0" + struct.pack("<b", v)
            if -(1 << 15) <= v < 1 << 15:
                return b"\xc1" + struct.pack("<h", v)
            if -(1 << 31) <= v < 1 << 31:
                return b"\xc2" + struct.pack("<i", v)
    return rlen(len(s)) + s


def lzf_runs(data):
    """A valid LZF stream (liblzf format) for data: literal runs of up to 32
    bytes, and back-references of distance 1 over runs of one repeated byte
    (enough for the fixtures; not a general compressor)."""
    out = bytearray()
    n = len(data)
    i = 0
    while i < n:
        if i > 0 and data[i] == data[i - 1]:
            run = 0
            while i + run < n and data[i + run] == data[i - 1] and run < 264:
                run += 1
            if run >= 3:
                if run <= 8:
                    out += bytes([(run - 2) << 5, 0])
                else:
                    out += bytes([7 << 5, run - 9, 0])
                i += run
                continue
        j = i + 1
        while j < n and j - i < 32 and not (
                data[j] == data[j - 1] and j + 2 < n and data[j + 1] == data[j] and data[j + 2] == data[j]):
            j += 1
        out += bytes([j - i - 1]) + data[i:j]
        i = j
    return bytes(out)


def rstr_lzf(s):
    if isinstance(s, str):
        s = s.encode()
    c = lzf_runs(s)
    return b"\xc3" + rlen(len(c)) + rlen(len(s)) + c


def u64le(v):
    return struct.pack("<Q", v & 0xFFFFFFFFFFFFFFFF)


def i64le(v):
    return struct.pack("<q", v)


def f64le(v):
    return struct.pack("<d", v)


def raw_id(ms, seq):
    return struct.pack(">QQ", ms, seq)


# ---- listpacks (redis listpack.c) ---------------------------------------


def _backlen(n):
    if n <= 127:
        return bytes([n])
    out = []
    while True:
        out.append(n & 127)
        n >>= 7
        if not n:
            break
    # leftmost byte holds the most significant bits; all but it have bit 7
    out = out[::-1]
    return bytes([out[0]] + [b | 128 for b in out[1:]])


def lp_entry(v):
    if isinstance(v, int):
        enc = _lp_int(v)
    else:
        if isinstance(v, str):
            v = v.encode()
        iv = _strict_int(v)
        if iv is not None:
            enc = _lp_int(iv)
        elif len(v) < 64:
            enc = bytes([0x80 | len(v)]) + v
        elif len(v) < 4096:
            enc = bytes([0xE0 | (len(v) >> 8), len(v) & 0xFF]) + v
        else:
            enc = b"\xf0" + struct.pack("<I", len(v)) + v
    return enc + _backlen(len(enc))


def _lp_int(v):
    if 0 <= v <= 127:
        return bytes([v])
    if -4096 <= v <= 4095:
        u = v & 0x1FFF
        return bytes([0xC0 | (u >> 8), u & 0xFF])
    if -(1 << 15) <= v < 1 << 15:
        return b"\xf1" + struct.pack("<h", v)
    if -(1 << 23) <= v < 1 << 23:
        return b"\xf2" + struct.pack("<i", v)[:3]
    if -(1 << 31) <= v < 1 << 31:
        return b"\xf3" + struct.pack("<i", v)
    return b"\xf4" + struct.pack("<q", v)


def listpack(items):
    body = b"".join(lp_entry(x) for x in items)
    total = 6 + len(body) + 1
    n = len(items) if len(items) < 65535 else 65535
    return struct.pack("<IH", total, n) + body + b"\xff"


# ---- a file ---------------------------------------------------------------


class Rdb:
    def __init__(self, magic):
        assert len(magic) == 9
        self.b = bytearray(magic.encode())

    def raw(self, data):
        self.b += data
        return self

    def aux(self, k, v):
        return self.raw(b"\xfa" + rstr(k) + rstr(v))

    def select(self, db):
        return self.raw(b"\xfe" + rlen(db))

    def resize(self, keys, expires):
        return self.raw(b"\xfb" + rlen(keys) + rlen(expires))

    def expire_ms(self, ms):
        return self.raw(b"\xfc" + u64le(ms))

    def key(self, type_byte, name, payload):
        return self.raw(bytes([type_byte]) + rstr(name) + payload)

    def finish(self):
        self.b += b"\xff"
        self.b += u64le(crc64(bytes(self.b)))
        return bytes(self.b)


# ---- module opcode streams (KEY_META class values, module values) -------

MOP_EOF, MOP_SINT, MOP_UINT, MOP_FLOAT, MOP_DOUBLE, MOP_STRING = range(6)


def module_stream(ops):
    """ops: list of ('uint', n) / ('sint', n) / ('float', x) / ('double', x) /
    ('string', s); the EOF opcode is appended."""
    out = bytearray()
    for kind, v in ops:
        if kind == "uint":
            out += rlen(MOP_UINT) + rlen(v)
        elif kind == "sint":
            out += rlen(MOP_SINT) + rlen(v & 0xFFFFFFFFFFFFFFFF)
        elif kind == "float":
            out += rlen(MOP_FLOAT) + struct.pack("<f", v)
        elif kind == "double":
            out += rlen(MOP_DOUBLE) + f64le(v)
        elif kind == "string":
            out += rlen(MOP_STRING) + rstr(v)
        else:
            raise ValueError(kind)
    return bytes(out + rlen(MOP_EOF))


_KEYMETA_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def keymeta_spec(name, version, flags):
    """keyMetaClassEncode: 4 chars x 6 bits, 5-bit version, 3 flag bits."""
    assert len(name) == 4 and 0 <= version < 32 and 0 <= flags < 8
    v = 0
    for ch in name:
        v = (v << 6) | _KEYMETA_CHARSET.index(ch)
    return struct.pack("<I", ((v << 5 | version) << 3) | flags)


def key_meta(classes):
    """classes: list of (name, version, flags, ops)."""
    out = bytearray(b"\xf3" + rlen(len(classes)))
    for name, version, flags, ops in classes:
        out += keymeta_spec(name, version, flags) + module_stream(ops)
    return bytes(out)


# ---- streams (redis t_stream.c, rdb.c) -----------------------------------


def stream_node(master_ms, master_seq, entries):
    """One rax node: entries = [(ms, seq, [(field, value), ...], deleted)].
    The master fields are the first entry's; entries with the same fields
    use the SAMEFIELDS flag, as streamAppendItem does."""
    master_fields = [f for f, _ in entries[0][2]]
    live = sum(1 for e in entries if not e[3])
    dead = len(entries) - live
    items = [live, dead, len(master_fields)] + master_fields + [0]
    for ms, seq, fv, deleted in entries:
        fields = [f for f, _ in fv]
        same = fields == master_fields
        flags = (1 if deleted else 0) | (2 if same else 0)
        items += [flags, ms - master_ms, seq - master_seq]
        if same:
            items += [v for _, v in fv]
            items.append(3 + len(fv))
        else:
            items.append(len(fv))
            for f, v in fv:
                items += [f, v]
            items.append(4 + 2 * len(fv))
    return rstr(raw_id(master_ms, master_seq), int_encode=False) + rstr(listpack(items), int_encode=False)


def stream_value(type_byte, nodes, length, last_id, first_id, max_deleted, entries_added,
                 groups, idmp=None):
    """groups: [dict(name, last_id, entries_read, pel=[(ms, seq, delivery_ms,
    count)], consumers=[(name, seen_ms, active_ms, [(ms, seq)])],
    nacked=[(ms, seq)])]; idmp: dict(duration, max_entries,
    producers=[(pid, [(iid, ms, seq)])], added, dups) for types 26/27."""
    out = bytearray(rlen(len(nodes)))
    for n in nodes:
        out += n
    out += rlen(length) + rlen(last_id[0]) + rlen(last_id[1])
    out += rlen(first_id[0]) + rlen(first_id[1]) + rlen(max_deleted[0]) + rlen(max_deleted[1])
    out += rlen(entries_added) + rlen(len(groups))
    for g in groups:
        out += rstr(g["name"]) + rlen(g["last_id"][0]) + rlen(g["last_id"][1])
        out += rlen(g["entries_read"]) + rlen(len(g["pel"]))
        for ms, seq, dms, cnt in g["pel"]:
            out += raw_id(ms, seq) + i64le(dms) + rlen(cnt)
        out += rlen(len(g["consumers"]))
        for cname, seen, active, cpel in g["consumers"]:
            out += rstr(cname) + i64le(seen) + i64le(active) + rlen(len(cpel))
            for ms, seq in cpel:
                out += raw_id(ms, seq)
        if type_byte >= 27:
            out += rlen(len(g.get("nacked", [])))
            for ms, seq in g.get("nacked", []):
                out += raw_id(ms, seq)
    if type_byte >= 26:
        i = idmp or dict(duration=0, max_entries=0, producers=[], added=0, dups=0)
        out += rlen(i["duration"]) + rlen(i["max_entries"]) + rlen(len(i["producers"]))
        for pid, ents in i["producers"]:
            out += rstr(pid) + rlen(len(ents))
            for iid, ms, seq in ents:
                out += rstr(iid) + rlen(ms) + rlen(seq)
        out += rlen(i["added"]) + rlen(i["dups"])
    return bytes(out)


# ---- arrays (RDB type 28) -------------------------------------------------

AR_SDS, AR_INT, AR_FLOAT, AR_SMALLSTR = range(4)


def array_value(elements, insert_idx=None):
    """elements: [(index, tag, value)]."""
    out = bytearray(rlen(len(elements)))
    if insert_idx is None:
        out += rlen(0)
    else:
        out += rlen(1) + rlen(insert_idx)
    for idx, tag, v in elements:
        out += rlen(idx) + rlen(tag)
        if tag == AR_INT:
            out += i64le(v)
        elif tag == AR_FLOAT:
            out += f64le(v)
        else:
            out += rstr(v, int_encode=False)
    return bytes(out)


# ---- hash templates (RDB 15) ---------------------------------------------


def template_order(fields):
    """sdscmplen order: by length, then bytes."""
    return sorted(fields, key=lambda f: (len(f.encode()), f.encode()))


def hash_template_record(tid, fields):
    return b"\xf2" + rlen(tid) + rlen(len(fields)) + b"".join(rstr(f) for f in fields)


def tmpl_lp_ref(tid, values):
    return rstr(listpack([tid] + list(values)), int_encode=False)


def tmpl_array_ref(tid, values, lzf=()):
    return rlen(tid) + b"".join(rstr_lzf(v) if i in lzf else rstr(v) for i, v in enumerate(values))


def tmpl_self(fields, values, lp_values, lp_fields):
    out = bytearray()
    if lp_fields:
        out += rlen(0) + rstr(listpack(list(fields)), int_encode=False)
    else:
        out += rlen(1) + rlen(len(fields)) + b"".join(rstr(f) for f in fields)
    if lp_values:
        out += rstr(listpack([0] + list(values)), int_encode=False)
    else:
        out += b"".join(rstr(v) for v in values)
    return bytes(out)


# ---- Valkey 9 ----------------------------------------------------------------


def valkey_hash2(fields):
    """fields: [(field, value, expiry_ms or -1)]."""
    out = bytearray(rlen(len(fields)))
    for f, v, e in fields:
        out += rstr(f) + rstr(v) + i64le(e)
    return bytes(out)


def slot_import(job, ranges):
    out = bytearray(b"\xf3" + rstr(job, int_encode=False) + rlen(len(ranges)))
    for a, b in ranges:
        out += rlen(a) + rlen(b)
    return bytes(out)


def update_command(args):
    out = bytearray(b"\xf2" + b"*%d\r\n" % len(args))
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        out += b"$%d\r\n" % len(a) + a + b"\r\n"
    return bytes(out)
