#!/usr/bin/env python3
"""gen_heavy.py: a real server's dump whose heaviest keys are packed ones a
shallow report does not walk (tests/fixtures/heavy/).

    tools/gen_heavy.py [OUT.rdb]   default: tests/fixtures/heavy/redis-<version>-heavy.rdb

Starts a private redis-server (tools/redisctl.py: 127.0.0.1, a free port,
--save ''), writes the keys below, checks their encodings, SAVEs and copies
the dump out. The content is deterministic; the aux fields (ctime,
used-mem) differ between runs: the committed file is the record, this
script how it was made.

Why: a report re-reads the keys it shows whose largest element the shallow
parse left unknown, and reads those over 64 KiB early, on a thread of its
own, while the parse goes on (cli/reread.c). The corpus dumps have no such
key; this one has (tests/scripts/heavy.sh):
  heavy:list      a 40,000-element quicklist of LZF-compressed nodes
  heavy:stream:N  three streams of 4,000 entries (node listpacks, a group)
  small:*         300 strings and 100 small listpack hashes around them
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import redisctl  # noqa: E402


def main():
    with redisctl.RedisServer() as srv:
        with srv.client() as c:
            ver = redisctl.parse_info(c.call("INFO", "server"))["redis_version"]
            out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
                "tests", "fixtures", "heavy", "redis-%s-heavy.rdb" % ver)
            for i in range(300):
                c.call("SET", "small:str:%d" % i, "value-%d-%s" % (i, "x" * (i % 40)))
                if i % 3 == 0:
                    c.call("HSET", "small:hash:%d" % i, "a", str(i), "b", "text-%d" % i)
                if i == 150:
                    # the list sits between small keys (its offset is not the first)
                    for j in range(0, 40000, 1000):
                        c.call("RPUSH", "heavy:list",
                               *["job:%d:%s" % (k, "payload" * (1 + k % 5)) for k in range(j, j + 1000)])
            for s in range(3):
                k = "heavy:stream:%d" % s
                for i in range(4000):
                    c.call("XADD", k, "%d-%d" % (1700000000000 + i, s), "type", "view" if i % 3 else "buy",
                           "user", str(i * 7919 % 100003), "v", "w" * (5 + i % 30))
                c.call("XGROUP", "CREATE", k, "workers", "0")
                c.call("XREADGROUP", "GROUP", "workers", "c1", "COUNT", "50", "STREAMS", k, ">")
            for key, enc in [("heavy:list", "quicklist"), ("heavy:stream:0", "stream")]:
                got = c.call("OBJECT", "ENCODING", key).decode()
                if got != enc:
                    sys.exit("gen_heavy: %s is %s, not %s (server config?)" % (key, got, enc))
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        srv.save_to(out)
    print("gen_heavy: wrote %s (redis %s)" % (out, ver))


if __name__ == "__main__":
    main()
