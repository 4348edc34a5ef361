#!/usr/bin/env python3
"""cluster_live.py: rdblens's cluster view against a real Redis Cluster.

Standard library only; servers through tools/redisctl.py (private,
127.0.0.1, random ports, --save '', stopped by pid). Needs redis-server
and redis-cli 7.0+ (cluster-port).

  cluster_live.py --rdblens BIN [--fixtures DIR] [--work DIR]

1. split: eight empty cluster-enabled servers; for 3 to 8 masters,
   `redis-cli --cluster create` prints how it would assign the slots
   ("Master[i] -> Slots a - b"; answered "no", nothing changes), which must
   equal `rdblens report --shards N`'s ranges.
   Then 3 masters with a replica each: every saved form of CLUSTER
   NODES / SHARDS must give the masters' ranges and six nodes.
2. a 3-master cluster is created (--cluster-yes), a dataset is written to
   it (keys routed by a CRC16 written here), each node SAVEs, and is
   restarted from its dump; each node's used_memory right after the load
   is the truth. CLUSTER NODES and CLUSTER SHARDS are saved as redis-cli
   prints them (formatted RESP2 and RESP3, --raw, --json).
3. `rdblens report --format json --slot-map <each saved form> node1 node2
   node3` must give every node's keys exactly and its used_memory within
   1 %; the slot maps must all give the same shards.
With --fixtures DIR the saved CLUSTER NODES / SHARDS texts are copied there
(tests/fixtures/slotmap: what tests/test_slotmap.c parses).

Prints "cluster_live: N passed, N failed" last; exit 0 when none failed.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import redisctl  # noqa: E402

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)


def crc16(data):
    """CRC-16/XMODEM, bit by bit (the cluster specification's)."""
    crc = 0
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def key_slot(key):
    s = key.find(b"{")
    if s >= 0:
        e = key.find(b"}", s + 1)
        if e > s + 1:
            key = key[s + 1:e]
    return crc16(key) % 16384


class Node(redisctl.RedisServer):
    """A cluster-enabled server; its bus on a port of its own."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.bus = None

    def restart(self):
        """The same port and bus again (the cluster knows the node by them)."""
        self.stop()
        self._spawn(self.port)
        return self

    def argv_for(self, port):
        if self.bus is None:
            self.bus = redisctl.free_port()
        return super().argv_for(port) + [
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-port", str(self.bus)]


def cli(*args, stdin=None):
    p = subprocess.run(["redis-cli"] + list(args), input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=120)
    return p.stdout


def wait_ok(nodes, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        infos = []
        for n in nodes:
            with n.client() as c:
                infos.append(c.call("CLUSTER", "INFO").decode())
        if all("cluster_state:ok" in i for i in infos):
            return True
        time.sleep(0.1)
    return False


def rdblens_json(binary, args):
    p = subprocess.run([binary, "report", "--format", "json"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError("rdblens %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr[-500:]))
    return json.loads(p.stdout)


def check_split(binary, nodes, any_dump):
    for n in range(3, len(nodes) + 1):
        addrs = ["127.0.0.1:%d" % x.port for x in nodes[:n]]
        out = cli("--cluster", "create", *addrs, stdin="no\n")
        want = []
        for line in out.replace("\x1b[0m", "\n").splitlines():
            if line.startswith("Master[") and "-> Slots" in line:
                a, b = line.split("-> Slots")[1].split(" - ")
                want.append([int(a), int(b)])
        got = rdblens_json(binary, ["--shards", str(n), any_dump])["cluster"]["shards"]["nodes"]
        got = [[g["first_slot"], g["last_slot"]] for g in got]
        check(len(want) == n and got == want,
              "--shards %d: redis-cli assigns %s, rdblens %s" % (n, want, got))


def slot_map_forms(node):
    p0 = str(node.port)
    return {
        "nodes.txt": cli("-p", p0, "CLUSTER", "NODES"),
        "shards-resp2.txt": cli("-p", p0, "--no-raw", "CLUSTER", "SHARDS"),
        "shards-resp3.txt": cli("-3", "-p", p0, "--no-raw", "CLUSTER", "SHARDS"),
        "shards-raw.txt": cli("-p", p0, "--raw", "CLUSTER", "SHARDS"),
        "shards-json.txt": cli("-p", p0, "--json", "CLUSTER", "SHARDS"),
    }


def check_replicas(binary, nodes, any_dump, work):
    """3 masters with a replica each: every form of the layout gives the
    three masters' ranges, named by their addresses, and six nodes."""
    out = cli("--cluster", "create", *["127.0.0.1:%d" % x.port for x in nodes],
              "--cluster-replicas", "1", "--cluster-yes")
    check(wait_ok(nodes), "6-node cluster did not reach cluster_state:ok: " + out[-300:])
    # replicas show in CLUSTER SHARDS once they have synced
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with nodes[0].client() as c:
            view = c.call("CLUSTER", "NODES").decode()
            shards = cli("-p", str(nodes[0].port), "--raw", "CLUSTER", "SHARDS").split()
        if view.count(" slave ") == 3 and shards.count("replica") == 3:
            break
        time.sleep(0.2)
    check(view.count(" slave ") == 3, "no replicas after 60 s:\n" + view)
    masters = {}
    with nodes[0].client() as c:
        for first, last, master, *_ in c.call("CLUSTER", "SLOTS"):
            masters["127.0.0.1:%d" % master[1]] = [[first, last]]
    forms = {}
    for name, text in slot_map_forms(nodes[0]).items():
        name = name.replace(".txt", "-replicas.txt")
        forms[name] = text
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text)
        r = rdblens_json(binary, ["--slot-map", path, any_dump])["cluster"]["shards"]
        got = {s["name"]: s["ranges"] for s in r["nodes"]}
        check(got == masters and r["nodes_in_layout"] == 6,
              "%s: shards %s, %d nodes; the cluster has masters %s and 6 nodes"
              % (name, got, r["nodes_in_layout"], masters))
    return forms


def dataset(rng):
    """(command, key) pairs: strings, hashes, lists, sets, zsets, TTLs and
    hash-tagged keys (one heavy tag)."""
    cmds = []
    for i in range(1500):
        k = "user:%06d" % rng.randrange(10 ** 6)
        cmds.append((("SET", k, "v" * rng.randrange(1, 200)), k))
    for i in range(200):
        k = "h:%d" % i
        cmds.append((("HSET", k) + tuple(x for j in range(rng.randrange(1, 40))
                                          for x in ("f%d" % j, "x" * rng.randrange(1, 30))), k))
    for i in range(100):
        k = "l:%d" % i
        cmds.append((("RPUSH", k) + tuple("e%d" % j for j in range(rng.randrange(1, 300))), k))
    for i in range(100):
        k = "s:%d" % i
        cmds.append((("SADD", k) + tuple(str(rng.randrange(10 ** 9)) for _ in range(rng.randrange(1, 700))), k))
    for i in range(100):
        k = "z:%d" % i
        cmds.append((("ZADD", k) + tuple(x for j in range(rng.randrange(1, 200))
                                          for x in (str(j), "m%d" % j)), k))
    for i in range(300):
        k = "{cart:42}:item:%d" % i
        cmds.append((("SET", k, "p" * 300), k))
    for i in range(200):
        k = "sess:%d" % i
        cmds.append((("SET", k, "s" * 50, "EX", "86400"), k))
    return cmds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rdblens", required=True)
    ap.add_argument("--fixtures")
    ap.add_argument("--work")
    a = ap.parse_args()
    redisctl.install_signal_handlers()
    work = a.work or tempfile.mkdtemp(prefix="rdblens-cluster-")
    os.makedirs(work, exist_ok=True)
    nodes = []
    try:
        for _ in range(8):
            nodes.append(Node().start())
        any_dump = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "fixtures", "sample.rdb")
        check_split(a.rdblens, nodes, any_dump)
        replica_forms = check_replicas(a.rdblens, nodes[:6], any_dump, work)
        for n in nodes:
            n.cleanup()
        nodes = [Node().start() for _ in range(3)]
        out = cli("--cluster", "create", *["127.0.0.1:%d" % x.port for x in nodes], "--cluster-yes")
        check(wait_ok(nodes), "3-node cluster did not reach cluster_state:ok: " + out[-300:])
        # which node owns which slot, from CLUSTER SLOTS
        owner = {}
        with nodes[0].client() as c:
            for first, last, master, *_ in c.call("CLUSTER", "SLOTS"):
                for s in range(first, last + 1):
                    owner[s] = master[1]
        by_port = {n.port: n for n in nodes}
        clients = {n.port: n.client() for n in nodes}
        rng = random.Random(7)
        for cmd, key in dataset(rng):
            clients[owner[key_slot(key.encode())]].call(*cmd)
        for c in clients.values():
            c.call("SAVE")
            c.close()
        # the slot maps, as redis-cli prints them
        forms = slot_map_forms(nodes[0])
        for name, text in forms.items():
            with open(os.path.join(work, name), "w") as f:
                f.write(text)
        with open(os.path.join(nodes[0].dir, "nodes.conf")) as f:
            forms["nodes.conf"] = f.read()
        with open(os.path.join(work, "nodes.conf"), "w") as f:
            f.write(forms["nodes.conf"])
        # each node reloads its own dump; used_memory right after
        dumps, used, keys = [], {}, {}
        for n in nodes:
            n.restart()
        check(wait_ok(nodes), "cluster not ok after the restart")
        for i, n in enumerate(nodes):
            with n.client() as c:
                info = c.call("INFO", "memory").decode()
                used[n.port] = int(info.split("used_memory:")[1].split()[0])
                keys[n.port] = c.call("DBSIZE")
            d = os.path.join(work, "node%d.rdb" % (i + 1))
            shutil.copyfile(os.path.join(n.dir, "dump.rdb"), d)
            dumps.append((n.port, d))
        results = {}
        for name in forms:
            try:
                r = rdblens_json(a.rdblens, ["--slot-map", os.path.join(work, name)] +
                                 [d for _, d in dumps])
            except RuntimeError as e:
                check(False, str(e))
                continue
            shards = r["cluster"]["shards"]["nodes"]
            results[name] = [(s["name"], s["ranges"], s["keys"]) for s in shards]
            check(len(shards) == 3, "%s: %d shards" % (name, len(shards)))
            for s in shards:
                port = int(s["name"].rsplit(":", 1)[1]) if ":" in s["name"] else None
                if port not in by_port:
                    check(False, "%s: shard name %r is not a node address" % (name, s["name"]))
                    continue
                check(s["keys"] == keys[port], "%s %s: keys %d, the node has %d"
                      % (name, s["name"], s["keys"], keys[port]))
                err = 100.0 * (s["predicted_used_memory"] - used[port]) / used[port]
                check(abs(err) < 0.5, "%s %s: predicted used_memory %d, real %d (%+.2f %%)"
                      % (name, s["name"], s["predicted_used_memory"], used[port], err))
                print("%-18s %-16s keys %5d  used_memory real %8d predicted %8d (%+.2f %%)"
                      % (name, s["name"], s["keys"], used[port], s["predicted_used_memory"], err))
        first = next(iter(results.values()), None)
        check(all(v == first for v in results.values()),
              "the slot-map forms give different shards: %s" % results)
        if a.fixtures:
            os.makedirs(a.fixtures, exist_ok=True)
            forms.update(replica_forms)
            for name, text in forms.items():
                with open(os.path.join(a.fixtures, name), "w") as f:
                    f.write(text)
    finally:
        for n in nodes:
            n.cleanup()
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    print("cluster_live: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
