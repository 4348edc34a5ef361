#!/usr/bin/env bash
# The cluster view end to end: keys --cluster, report --cluster / --shards /
# --slot-map / --maxmemory on the cluster corpus, bad options and slot maps
# refused with a message, then tools/cluster_live.py against a real Redis
# Cluster of Debian's redis-server (redis-cli's slot split, every saved form
# of CLUSTER NODES / SHARDS, per-node keys and used_memory).
source "$(dirname "$0")/lib.sh"
CC=$FIX/corpus-cluster

# keys: a slot on every line, the slot SLOT_INFO declared before it
python3 - "$RDBLENS" "$CC/redis-7.4.1/cluster-main.rdb" <<'PY' && ok || fail "keys: slots"
import json, subprocess, sys
out = subprocess.run([sys.argv[1], "keys", sys.argv[2]], stdout=subprocess.PIPE, check=True).stdout
recs = [json.loads(l) for l in out.splitlines()]
assert recs and all("slot" in r and 0 <= r["slot"] < 16384 for r in recs), recs[:2]
assert [r["slot"] for r in recs] == sorted(r["slot"] for r in recs), "7.4 writes keys by slot"
PY
"$RDBLENS" keys "$CC/redis-7.2.6/cluster-main.rdb" | grep -q '"slot"' && fail "keys: slot without --cluster on 7.2" || ok
n=$("$RDBLENS" keys --cluster "$CC/redis-7.2.6/cluster-main.rdb" | grep -c '"slot":')
expect_eq "keys --cluster lines with a slot" "$n" 102

# report: the cluster section, shards cover every slot once, sums agree
for v in redis-6.2.16 redis-7.0.15 redis-7.2.6 redis-7.4.1 redis-unstable valkey-8.0.1; do
  "$RDBLENS" report --format json --cluster --shards 3 --maxmemory 1gb "$CC/$v/cluster-main.rdb" \
    >"$TMP/r.json" || { fail "report --shards 3: $v"; continue; }
  python3 - "$TMP/r.json" "$v" <<'PY' && ok || fail "report cluster section: $v"
import json, sys
r = json.load(open(sys.argv[1]))
c = r["cluster"]
sh = c["shards"]
covered = sorted(s for n in sh["nodes"] for a, b in n["ranges"] for s in range(a, b + 1))
assert covered == list(range(16384)), "shards do not cover 0-16383 once"
assert [[n["first_slot"], n["last_slot"]] for n in sh["nodes"]] == [[0, 5460], [5461, 10922], [10923, 16383]]
assert sum(n["keys"] for n in sh["nodes"]) == c["keys"] == sum(s["keys"] for s in c["slots"])
assert sum(n["bytes"] for n in sh["nodes"]) == c["bytes"] == sum(s["bytes"] for s in c["slots"])
assert c["keys"] == r["totals"]["keys"] - r["totals"]["keys_expired"]
assert all(n["predicted_used_memory"] > 1000000 and n["fill"] == "ok" for n in sh["nodes"])
assert sh["maxmemory"] == 1 << 30 and sh["nodes_in_layout"] == 3
assert c["node_profile"] and c["mode"]
PY
done
# the slot sums the model keeps (no filter) equal the aggregate's own,
# counted key by key (a filter that lets every key through)
for v in redis-6.2.16 redis-7.0.15 redis-7.4.1 valkey-8.0.1; do
  "$RDBLENS" report --format json --cluster "$CC/$v/cluster-main.rdb" >"$TMP/a.json"
  "$RDBLENS" report --format json --cluster --db 0 "$CC/$v/cluster-main.rdb" >"$TMP/b.json"
  python3 - "$TMP/a.json" "$TMP/b.json" <<'PY' && ok || fail "slot sums, model vs per key: $v"
import json, sys
a, b = (json.load(open(p))["cluster"] for p in sys.argv[1:3])
assert a["slots"] == b["slots"] and a["keys"] == b["keys"] > 0, (a["keys"], b["keys"])
PY
done
# implied: 7.4 and valkey dumps say why
out=$("$RDBLENS" report "$CC/redis-7.4.1/cluster-main.rdb")
grep -q 'assumed: the dump carries SLOT_INFO' <<<"$out" && ok || fail "7.4 cluster mode not assumed"
out=$("$RDBLENS" report "$CC/valkey-8.0.1/cluster-main.rdb")
grep -q 'assumed: the dump carries slot-info aux' <<<"$out" && ok || fail "valkey cluster mode not assumed"
out=$("$RDBLENS" report --format md --shards 2 "$CC/redis-7.0.15/cluster-main.rdb")
grep -q '^## Shards' <<<"$out" && ok || fail "md report has no shards table"
# a small maxmemory: every shard flagged, critical findings
"$RDBLENS" report --format json --shards 2 --maxmemory 2mb "$CC/redis-7.4.1/cluster-main.rdb" >"$TMP/r.json"
python3 - "$TMP/r.json" <<'PY' && ok || fail "maxmemory flags"
import json, sys
r = json.load(open(sys.argv[1]))
assert [n["fill"] for n in r["cluster"]["shards"]["nodes"]] == ["over_100", "over_100"]
assert [f["kind"] for f in r["findings"]][:2] == ["shard_over_maxmemory"] * 2
PY

# usage errors: exit 2 and a message naming the option
expect_rc2() {  # WHAT MESSAGE-PATTERN ARGS...
  local what=$1 pat=$2; shift 2
  "$RDBLENS" report "$@" >"$TMP/o" 2>"$TMP/e"; local rc=$?
  if [ "$rc" -eq 2 ] && grep -q -- "$pat" "$TMP/e"; then ok; else fail "$what: rc $rc, $(head -c 300 "$TMP/e")"; fi
}
d=$CC/redis-7.4.1/cluster-main.rdb
expect_rc2 "--shards 0" "--shards must be between 1 and 16384 (got 0)" --shards 0 "$d"
expect_rc2 "--shards 16385" "--shards must be between 1 and 16384 (got 16385)" --shards 16385 "$d"
expect_rc2 "--maxmemory alone" "--maxmemory is per shard" --maxmemory 1gb "$d"
expect_rc2 "--maxmemory 1xb" "--maxmemory takes a size" --shards 2 --maxmemory 1xb "$d"
expect_rc2 "--shards and --slot-map" "pick one" --shards 2 --slot-map "$FIX/slotmap/nodes.txt" "$d"
expect_rc2 "--cluster --profile redis-5.0" "no cluster-mode model" --cluster --profile redis-5.0 "$d"
expect_rc2 "missing slot map" "--slot-map" --slot-map "$TMP/none.txt" "$d"
printf 'this is not a slot map\n' >"$TMP/bad.txt"
expect_rc2 "garbage slot map" "no slot ranges found" --slot-map "$TMP/bad.txt" "$d"
head -c 100000 "$d" >"$TMP/bin.txt"
expect_rc2 "binary slot map" "no slot ranges found" --slot-map "$TMP/bin.txt" "$d"
sed 's/0-5460/0-5461/' "$FIX/slotmap/nodes.txt" >"$TMP/overlap.txt"
expect_rc2 "overlapping slot map" "slot 5461 is claimed by two shards" --slot-map "$TMP/overlap.txt" "$d"
sed 's/10923-16383/10923-16384/' "$FIX/slotmap/nodes.txt" >"$TMP/past.txt"
expect_rc2 "slot past 16383" "not a slot or slot range" --slot-map "$TMP/past.txt" "$d"

# the live cluster (Debian's redis-server and redis-cli)
if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
  python3 "$ROOT/tools/cluster_live.py" --rdblens "$RDBLENS" >"$TMP/live" 2>&1
  tail -n 15 "$TMP/live"
  line=$(grep -E '^cluster_live: [0-9]+ passed, [0-9]+ failed' "$TMP/live" | tail -n 1)
  if [ -n "$line" ]; then
    PASS=$((PASS + $(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")))
    FAIL=$((FAIL + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
  else
    fail "cluster_live.py did not finish"
  fi
else
  fail "redis-server / redis-cli not found (tools/deps.sh test installs them)"
fi
finish cluster
