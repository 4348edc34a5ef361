#!/usr/bin/env python3
"""redisctl: drive a private, throw-away redis-server for tests and benchmarks.

Standard library only. Used as a module by tools/gen_dataset.py, tools/bench.py
and tests/live/*, and as a command:

  redisctl.py exec [--dump FILE] [--keep-dir] -- CMD ARGS...
        start a private server (loading FILE at start-up when given), run CMD
        with REDIS_HOST / REDIS_PORT / REDIS_PID / REDIS_DIR in its environment,
        stop the server, exit with CMD's status.
  redisctl.py capture DUMP --jsonl OUT.jsonl --meta OUT.json
        start a FRESH server on DUMP (loaded at start-up), record per key what
        it reports right after loading (TYPE, OBJECT ENCODING, count,
        MEMORY USAGE key SAMPLES 0, PTTL, PEXPIRETIME, DEBUG OBJECT) in the
        reload-*.jsonl format of ../shared/corpus, and INFO memory in OUT.json.

The server: `redis-server` from PATH (or $REDIS_SERVER), bound to 127.0.0.1
only, on a free high port, `--save ''`, `--appendonly no`, its own temporary
`--dir`, `--daemonize no`, as a child of this process. It is stopped by its
pid (SIGTERM, then SIGKILL after a timeout) in every exit path: context
manager / try-finally, SIGTERM/SIGINT/SIGHUP of this process (turned into
exceptions so that the finally blocks run), and, should this process die
without running them (SIGKILL), the kernel's parent-death signal. No other
redis process is ever looked up or signalled.
"""

import ctypes
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

DEFAULT_BINARY = os.environ.get("REDIS_SERVER", "redis-server")

# Arguments every private server gets (besides port/dir). Matches the
# reload procedure of ../shared/corpus (reload-meta-*.json server_argv), so
# that startup memory is comparable.
BASE_ARGS = [
    "--bind", "127.0.0.1",
    "--protected-mode", "yes",
    "--save", "",
    "--appendonly", "no",
    "--daemonize", "no",
    "--enable-debug-command", "local",
    "--latency-tracking", "no",
]


class RespError(Exception):
    """An error reply (-ERR ...) from the server."""


# ---------------------------------------------------------------- RESP client

def encode(*args):
    """One command as RESP bytes. Arguments: bytes, str or int/float."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, bytes):
            pass
        elif isinstance(a, str):
            a = a.encode()
        elif isinstance(a, (bytearray, memoryview)):
            a = bytes(a)
        else:
            a = str(a).encode()
        out.append(b"$%d\r\n" % len(a))
        out.append(a)
        out.append(b"\r\n")
    return b"".join(out)


class Client:
    """A small RESP2 client with pipelining."""

    def __init__(self, host="127.0.0.1", port=6379, timeout=None):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.sock.settimeout(timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.pos = 0

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- reading
    def _fill(self):
        if self.pos > 1 << 20 and self.pos > len(self.buf) // 2:
            del self.buf[:self.pos]
            self.pos = 0
        data = self.sock.recv(1 << 20)
        if not data:
            raise ConnectionError("server closed the connection")
        self.buf += data

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line = bytes(self.buf[self.pos:i])
                self.pos = i + 2
                return line
            self._fill()

    def _exact(self, n):
        while len(self.buf) - self.pos < n + 2:
            self._fill()
        data = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n + 2
        return data

    def read_reply(self):
        """One reply. Error replies are returned as RespError instances."""
        line = self._line()
        t = line[:1]
        if t == b"+":
            return line[1:].decode()
        if t == b":":
            return int(line[1:])
        if t == b"$":
            n = int(line[1:])
            return None if n < 0 else self._exact(n)
        if t == b"*":
            n = int(line[1:])
            return None if n < 0 else [self.read_reply() for _ in range(n)]
        if t == b"-":
            return RespError(line[1:].decode(errors="replace"))
        raise ConnectionError("bad RESP reply: %r" % line[:80])

    # -- commands
    def call(self, *args):
        self.sock.sendall(encode(*args))
        r = self.read_reply()
        if isinstance(r, RespError):
            raise r
        return r

    def pipeline(self, commands):
        """Send a list of commands (tuples of arguments) in one write and
        return the list of replies (errors as RespError instances)."""
        if not commands:
            return []
        self.sock.sendall(b"".join(encode(*c) for c in commands))
        return [self.read_reply() for _ in commands]

    def send_raw(self, payload, n_replies):
        """Send pre-encoded RESP commands; read and check n_replies replies.
        Raises the first error reply (after reading them all)."""
        self.sock.sendall(payload)
        first = None
        for _ in range(n_replies):
            r = self.read_reply()
            if first is None and isinstance(r, RespError):
                first = r
        if first is not None:
            raise first


class Loader:
    """Batches pre-encoded commands: add(*args) encodes and queues one; every
    `batch_bytes` the batch is sent and its replies checked (so neither side
    buffers without bound)."""

    def __init__(self, client, batch_bytes=1 << 20, batch_cmds=20000):
        self.client = client
        self.parts = []
        self.size = 0
        self.n = 0
        self.total = 0
        self.batch_bytes = batch_bytes
        self.batch_cmds = batch_cmds

    def add(self, *args):
        b = encode(*args)
        self.parts.append(b)
        self.size += len(b)
        self.n += 1
        if self.size >= self.batch_bytes or self.n >= self.batch_cmds:
            self.flush()

    def flush(self):
        if self.n:
            self.client.send_raw(b"".join(self.parts), self.n)
            self.total += self.n
            self.parts = []
            self.size = 0
            self.n = 0


# ---------------------------------------------------------------- server

class _Terminated(BaseException):
    pass


def _raise_on_signal(signum, _frame):
    raise _Terminated("signal %d" % signum)


def install_signal_handlers():
    """Turn SIGTERM / SIGHUP into an exception (SIGINT already is one) so that
    try/finally blocks stop our servers when this process is told to stop."""
    for s in (signal.SIGTERM, signal.SIGHUP):
        try:
            signal.signal(s, _raise_on_signal)
        except (ValueError, OSError):  # not the main thread
            pass


def _pdeathsig():
    """In the child, before exec: get SIGKILL if our parent dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort, Linux only
        pass


def free_port():
    """A free TCP port on 127.0.0.1 in the high range (the server may still
    lose a race for it; start() retries then)."""
    for _ in range(100):
        port = random.randint(20000, 60000)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            s.close()
    raise RuntimeError("no free port found")


def now_ms():
    return int(time.time() * 1000)


class RedisServer:
    """A private redis-server child process.

        with RedisServer() as srv:            # empty server
            c = srv.client()
        with RedisServer(dump="x.rdb") as srv:  # loads x.rdb at start-up
            ...
    """

    def __init__(self, dump=None, workdir=None, args=(), binary=DEFAULT_BINARY,
                 start_timeout=600.0, stop_timeout=30.0, keep_dir=False, dir_parent=None):
        self.dump = dump
        self.binary = binary
        self.extra_args = list(args)
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.keep_dir = keep_dir
        self.dir_parent = dir_parent  # where the temporary dir goes (default $TMPDIR)
        self.own_dir = workdir is None
        self.dir = workdir
        self.proc = None
        self.port = None
        self.argv = None
        self.start_time_ms = None
        self.ready_time_ms = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    @property
    def logfile(self):
        return os.path.join(self.dir, "server.log")

    def argv_for(self, port):
        argv = [self.binary, "--port", str(port)] + BASE_ARGS + [
            "--dir", self.dir, "--logfile", self.logfile,
            "--dbfilename", "dump.rdb"]
        return argv + self.extra_args

    def start(self):
        if self.dir is None:
            self.dir = tempfile.mkdtemp(prefix="rdblens-redis-", dir=self.dir_parent)
        os.makedirs(self.dir, exist_ok=True)
        if self.dump is not None:
            target = os.path.join(self.dir, "dump.rdb")
            if os.path.abspath(self.dump) != os.path.abspath(target):
                if os.path.exists(target):
                    os.unlink(target)
                try:
                    os.link(self.dump, target)
                except OSError:
                    shutil.copyfile(self.dump, target)
        last_err = None
        for _attempt in range(5):
            port = free_port()
            try:
                self._spawn(port)
                return self
            except _PortTaken as e:
                last_err = e
                continue
        raise RuntimeError("redis-server could not bind a port: %s" % last_err)

    def _spawn(self, port):
        self.argv = self.argv_for(port)
        self.start_time_ms = now_ms()
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, preexec_fn=_pdeathsig, cwd=self.dir)
        self.port = port
        deadline = time.monotonic() + self.start_timeout
        try:
            while True:
                rc = self.proc.poll()
                if rc is not None:
                    log = self.read_log()
                    self.proc = None
                    if "Address already in use" in log:
                        raise _PortTaken(log[-300:])
                    raise RuntimeError("redis-server exited with %s during start-up:\n%s"
                                       % (rc, log[-2000:]))
                if self._ping():
                    self.ready_time_ms = now_ms()
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not answer PING within %.0f s"
                                       % self.start_timeout)
                time.sleep(0.02)
        except BaseException:
            self.stop()
            raise

    def _ping(self):
        try:
            with Client("127.0.0.1", self.port, timeout=5) as c:
                return c.call("PING") == "PONG"
        except (OSError, ConnectionError, RespError):
            return False  # not listening yet, or -LOADING

    def read_log(self):
        try:
            with open(self.logfile, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def client(self, timeout=None):
        return Client("127.0.0.1", self.port, timeout=timeout)

    def stop(self):
        """Stop our server by its pid: SIGTERM, then SIGKILL after
        stop_timeout. Idempotent."""
        p = self.proc
        if p is not None and p.poll() is None:
            try:
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            except BaseException:
                # interrupted while waiting: make sure it goes anyway
                if p.poll() is None:
                    p.kill()
                    p.wait()
                raise
        self.proc = None

    def cleanup(self):
        self.stop()
        if self.own_dir and not self.keep_dir and self.dir and os.path.isdir(self.dir):
            shutil.rmtree(self.dir, ignore_errors=True)

    def save_to(self, out_path):
        """SAVE, then copy the dump out of the server's dir to out_path."""
        with self.client() as c:
            c.call("SAVE")
        src = os.path.join(self.dir, "dump.rdb")
        tmp = out_path + ".tmp"
        shutil.copyfile(src, tmp)
        os.replace(tmp, out_path)
        return out_path

    def __enter__(self):
        install_signal_handlers()
        try:
            return self.start()
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, *exc):
        self.cleanup()


class _PortTaken(Exception):
    pass


# ---------------------------------------------------------------- truth capture

COUNT_CMD = {"string": "STRLEN", "list": "LLEN", "set": "SCARD", "zset": "ZCARD",
             "hash": "HLEN", "stream": "XLEN"}


def corpus_escape(key):
    """Key as the corpus writes it: printable ASCII kept, backslash doubled,
    every other byte as \\xNN (lower-case hex)."""
    out = []
    for b in key:
        if b == 0x5C:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
    return "".join(out)


def parse_info(text):
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or ":" not in line:
            continue
        k, v = line.split(":", 1)
        try:
            out[k] = int(v)
        except ValueError:
            try:
                out[k] = float(v)
            except ValueError:
                out[k] = v
    return out


def parse_debug_object(text):
    if isinstance(text, RespError) or text is None:
        return None
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    out = {}
    keep = ("refcount", "serializedlength", "ql_nodes", "ql_avg_node",
            "ql_listpack_max", "ql_ziplist_max", "ql_compressed", "ql_uncompressed_size")
    for tok in text.split():
        if ":" in tok:
            k, v = tok.split(":", 1)
            if k in keep:
                try:
                    out[k] = int(v)
                except ValueError:
                    out[k] = v
    return out


def _s(v):
    return v.decode() if isinstance(v, bytes) else v


def capture(srv, batch=2000, skiplist_reloads=0):
    """Per-key truth of a freshly loaded server, in the reload-*.jsonl format,
    plus the server-wide meta. Keys are sorted by db then key bytes.

    A skiplist's MEMORY USAGE depends on the random levels drawn while
    loading (a 1-2 member skiplist moves by 5-10 % between loads). With
    skiplist_reloads=R, after everything else was read the server reloads its
    dataset R times (DEBUG RELOAD) and each skiplist key also gets
    `memory_usage_samples0_mean` (and _min / _max) over the first load and
    those R: a reference for a model that uses the expected level."""
    rows = []
    lost = []
    with srv.client() as c:
        info_at_connect = parse_info(c.call("INFO", "memory"))
        c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")
        keyspace = parse_info(c.call("INFO", "keyspace"))
        dbs = sorted(int(k[2:]) for k in keyspace if k.startswith("db"))
        for db in dbs:
            c.call("SELECT", db)
            keys = []
            cursor = b"0"
            while True:
                cursor, chunk = c.call("SCAN", cursor, "COUNT", 1000)
                keys.extend(chunk)
                if cursor == b"0":
                    break
            keys = sorted(set(keys))
            for i in range(0, len(keys), batch):
                part = keys[i:i + batch]
                cmds = []
                for k in part:
                    cmds += [("TYPE", k), ("OBJECT", "ENCODING", k),
                             ("MEMORY", "USAGE", k, "SAMPLES", "0"), ("PTTL", k),
                             ("PEXPIRETIME", k), ("DEBUG", "OBJECT", k)]
                rep = c.pipeline(cmds)
                types = [_s(rep[6 * j]) for j in range(len(part))]
                cc = []
                for t, k in zip(types, part):
                    cc += [(COUNT_CMD.get(t, "EXISTS"), k), ("EXISTS", k)]
                cr = c.pipeline(cc)
                counts = cr[0::2]
                for j, k in enumerate(part):
                    r = rep[6 * j:6 * j + 6]
                    if types[j] == "none" or r[3] == -2 or cr[2 * j + 1] == 0:
                        # expired (lazily, on access) since SCAN listed it
                        lost.append({"db": db, "key": corpus_escape(k), "key_hex": k.hex()})
                        continue
                    for x in r[:5]:
                        if isinstance(x, RespError):
                            raise RuntimeError("capture of %r: %s" % (k, x))
                    if isinstance(counts[j], RespError):
                        raise RuntimeError("count of %r: %s" % (k, counts[j]))
                    exp = r[4]
                    rows.append({
                        "count": counts[j],
                        "db": db,
                        "debug_object": parse_debug_object(r[5]),
                        "encoding": _s(r[1]),
                        "expire_at_ms": exp if exp >= 0 else None,
                        "key": corpus_escape(k),
                        "key_hex": k.hex(),
                        "memory_usage_samples0": r[2],
                        "pttl": r[3],
                        "type": types[j],
                    })
        c.call("SLOWLOG", "RESET")
    capture_end_ms = now_ms()
    # Fresh connection, as the corpus' reload procedure: nothing but this
    # client exists when used_memory is read.
    with srv.client() as c:
        info_memory = parse_info(c.call("INFO", "memory"))
        info_keyspace = parse_info(c.call("INFO", "keyspace"))
        info_persistence = parse_info(c.call("INFO", "persistence"))
        info_server = parse_info(c.call("INFO", "server"))
        dbsize = {}
        for k in sorted(info_keyspace):
            db = int(k[2:])
            c.call("SELECT", db)
            dbsize[str(db)] = c.call("DBSIZE")
    skip = [r for r in rows if r["encoding"] == "skiplist"]
    if skiplist_reloads and skip:
        samples = {id(r): [r["memory_usage_samples0"]] for r in skip}
        with srv.client() as c:
            for _ in range(skiplist_reloads):
                c.call("DEBUG", "RELOAD")
                cmds = []
                for r in skip:
                    cmds += [("SELECT", r["db"]),
                             ("MEMORY", "USAGE", bytes.fromhex(r["key_hex"]), "SAMPLES", "0")]
                rep = c.pipeline(cmds)
                for r, v in zip(skip, rep[1::2]):
                    if isinstance(v, int):
                        samples[id(r)].append(v)
        for r in skip:
            v = samples[id(r)]
            r["memory_usage_samples0_mean"] = round(sum(v) / len(v), 1)
            r["memory_usage_samples0_min"] = min(v)
            r["memory_usage_samples0_max"] = max(v)
            r["memory_usage_samples0_loads"] = len(v)
    encodings = {}
    for r in rows:
        te = "%s/%s" % (r["type"], r["encoding"])
        encodings[te] = encodings.get(te, 0) + 1
    meta = {
        "server": "redis-%s" % info_server.get("redis_version"),
        "server_argv": [a if a != srv.dir and not a.startswith(srv.dir + "/") else
                        a.replace(srv.dir, "<tmpdir>") for a in srv.argv],
        "start_time_ms": srv.start_time_ms,
        "loaded_time_ms": srv.ready_time_ms,
        "capture_end_ms": capture_end_ms,
        "used_memory": info_memory.get("used_memory"),
        "memory_summary": {k: info_memory.get(k) for k in (
            "used_memory", "used_memory_startup", "used_memory_dataset",
            "used_memory_overhead", "mem_allocator")},
        "info_memory": info_memory,
        "info_memory_at_connect": info_at_connect,
        "info_keyspace": info_keyspace,
        "info_persistence": {k: v for k, v in info_persistence.items()
                             if k.startswith("rdb_last_load")},
        "dbsize": dbsize,
        "keys_total": len(rows),
        "keys_lost_during_capture": lost,
        "dbsize_matches_captured": sum(dbsize.values()) == len(rows),
        "encodings": dict(sorted(encodings.items())),
    }
    return rows, meta


def write_jsonl(rows, path):
    with open(path, "w") as f:
        for r in rows:
            f.write(json.dumps(r, sort_keys=True) + "\n")


def capture_dump(dump, jsonl_path, meta_path, server_args=(), skiplist_reloads=0):
    """Start a fresh server on `dump`, capture, stop. Returns (rows, meta)."""
    with RedisServer(dump=dump, args=server_args) as srv:
        rows, meta = capture(srv, skiplist_reloads=skiplist_reloads)
        meta["skiplist_reloads"] = skiplist_reloads
        meta["source_dump"] = os.path.basename(dump)
    # The same binary and arguments started empty: what the server costs
    # before any key (the corpus' startup_baseline).
    with RedisServer(args=server_args) as srv:
        with srv.client() as c:
            base = parse_info(c.call("INFO", "memory"))
    meta["startup_baseline"] = {k: base.get(k) for k in (
        "used_memory", "used_memory_startup", "used_memory_dataset", "used_memory_overhead")}
    write_jsonl(rows, jsonl_path)
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
        f.write("\n")
    return rows, meta


# ---------------------------------------------------------------- command line

def _main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("exec", help="run a command against a private server")
    ex.add_argument("--dump", help="RDB file the server loads at start-up")
    ex.add_argument("--keep-dir", action="store_true")
    ex.add_argument("command", nargs=argparse.REMAINDER)
    cp = sub.add_parser("capture", help="reload truth of a dump")
    cp.add_argument("dump")
    cp.add_argument("--jsonl", required=True)
    cp.add_argument("--meta", required=True)
    cp.add_argument("--skiplist-reloads", type=int, default=0, metavar="R",
                    help="also average skiplist MEMORY USAGE over R extra loads (DEBUG RELOAD)")
    a = ap.parse_args(argv)

    if a.cmd == "exec":
        cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
        if not cmd:
            ap.error("exec needs a command")
        with RedisServer(dump=a.dump, keep_dir=a.keep_dir) as srv:
            env = dict(os.environ, REDIS_HOST="127.0.0.1", REDIS_PORT=str(srv.port),
                       REDIS_PID=str(srv.pid), REDIS_DIR=srv.dir)
            child = subprocess.Popen(cmd, env=env)
            try:
                return child.wait()
            except BaseException:
                child.terminate()
                child.wait()
                raise
    if a.cmd == "capture":
        t0 = time.monotonic()
        rows, meta = capture_dump(a.dump, a.jsonl, a.meta,
                                  skiplist_reloads=a.skiplist_reloads)
        print("capture: %d keys, used_memory %d, %.1f s"
              % (len(rows), meta["used_memory"], time.monotonic() - t0), file=sys.stderr)
        return 0
    return 2


if __name__ == "__main__":
    try:
        sys.exit(_main(sys.argv[1:]))
    except _Terminated as e:
        print("redisctl: stopped by %s" % e, file=sys.stderr)
        sys.exit(143)
