#!/usr/bin/env bash
# The report against the corpus truth (tests/scripts/report_check.py) on every
# version whose servers had MEMORY USAGE, plus text/md smoke runs.
source "$(dirname "$0")/lib.sh"
for v in redis-4.0.14 redis-5.0.14 redis-6.2.16 redis-7.0.15 redis-7.2.6 redis-7.4.1 valkey-8.0.1 valkey-unstable; do
  for stem in main lfu; do
    d=$FIX/corpus/$v/$stem.rdb
    [ -f "$d" ] || continue
    if python3 "$ROOT/tests/scripts/report_check.py" "$RDBLENS" "$d" "$FIX/corpus/$v/truth-$stem.jsonl" \
         "$FIX/corpus/$v/reload-$stem.jsonl"; then ok; else fail "report vs truth: $v/$stem"; fi
  done
done
# (a relative path: the commands the report prints quote it, and the width
# check below must not depend on where the repository is checked out)
out=$(cd "$ROOT" && "$RDBLENS" report tests/fixtures/sample.rdb); rc=$?
expect_eq "text report exit" "$rc" 0
grep -q '^Top keys by bytes' <<<"$out" && ok || fail "text report has no top-keys table"
# the first screen: memory after a restart and its parts, where it goes,
# what to do first, within 30 lines of 100 columns
head -30 <<<"$out" | grep -q '^After a restart: .* used_memory' && ok || fail "no used_memory in the first lines"
head -30 <<<"$out" | grep -q '^  = keys .* + startup .* + tables' && ok || fail "no breakdown in the first lines"
head -30 <<<"$out" | grep -q '^Biggest prefixes' && ok || fail "no prefixes in the first lines"
head -30 <<<"$out" | grep -q '^Biggest keys' && ok || fail "no keys in the first lines"
head -30 <<<"$out" | grep -q '^What to do first' && ok || fail "no findings in the first lines"
head -30 <<<"$out" | grep -q 'without TTL: ' && ok || fail "no TTL share in the first lines"
# (the file named as a user would, relative: the findings' commands quote
# its path, and an absolute one depends on where the tree is checked out)
expect_eq "first screen within 100 columns" \
  "$(cd "$ROOT" && "$RDBLENS" report tests/fixtures/sample.rdb | head -30 | awk 'length > 100' | wc -l)" 0
"$RDBLENS" report --format md "$FIX/sample.rdb" | grep -q '^|' && ok || fail "md report has no table"
# A truncated dump still gets a report, marked truncated, and exit 1.
head -c 100000 "$FIX/corpus/redis-7.0.15/main.rdb" >"$TMP/cut.rdb"
"$RDBLENS" report --format json "$TMP/cut.rdb" >"$TMP/cut.json" 2>/dev/null; rc=$?
expect_eq "truncated report exit" "$rc" 1
python3 - "$TMP/cut.json" <<'PY' && ok || fail "truncated report status"
import json, sys
f = json.load(open(sys.argv[1]))["source"]["files"][0]
assert f["status"] == "truncated" and f["error"]["offset"] > 0, f
PY
# near_encoding_limit judges a key against the target server's limits (the
# profile inferred or given, with --config), and names its directive.
near() {  # near ARGS...: "key config limit" per near_encoding_limit key finding
  "$RDBLENS" report --format json "$@" | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    if f["kind"] == "near_encoding_limit" and f["subject_kind"] == "group":
        e = f["evidence"]
        for x in f["examples"]:
            print(x["key"], e["config"], e["limit"])'
}
c70=$FIX/corpus/redis-7.0.15/main.rdb c72=$FIX/corpus/redis-7.2.6/main.rdb
c62=$FIX/corpus/redis-6.2.16/main.rdb
# set:large:strs (600 short strings) is just above set-max-intset-entries but
# is no intset candidate: its members are not integers.
expect_eq "near, 7.0 defaults" "$(near "$c70")" "hash:large hash-max-listpack-entries 512"
expect_eq "near, 7.0 hash limit 500" "$(near --config hash-max-listpack-entries=500 "$c70")" \
  "hash:large hash-max-listpack-entries 500"
expect_eq "near, 7.0 hash limit 1024" "$(near --config hash-max-listpack-entries=1024 "$c70")" ""
expect_eq "near, 6.2 ziplist names" "$(near --config hash-max-ziplist-entries=500 "$c62")" \
  "hash:large hash-max-ziplist-entries 500"
# set:large:ints (700 integers) is one, once the limit is close enough
expect_eq "near, 7.0 intset candidate" "$(near --config set-max-intset-entries=560 "$c70")" \
  "$(printf 'hash:large hash-max-listpack-entries 512\nset:large:ints set-max-intset-entries 560')"
setcfg=(--config set-max-intset-entries=100 --config set-max-listpack-entries=500)
expect_eq "near, 7.2 set listpack" "$(near "${setcfg[@]}" "$c72")" \
  "$(printf 'hash:large hash-max-listpack-entries 512\nset:large:strs set-max-listpack-entries 500')"
expect_eq "near, 7.2 dump on a 7.0 target" "$(near --profile redis-7.0 "${setcfg[@]}" "$c72")" \
  "hash:large hash-max-listpack-entries 512"
# several files: each judged by the server inferred from its own redis-ver
expect_eq "near, per file" "$(near "${setcfg[@]}" "$c70" "$c72" | sort | uniq -c | sed 's/^ *//')" \
  "$(printf '2 hash:large hash-max-listpack-entries 512\n1 set:large:strs set-max-listpack-entries 500')"
# the saving a near_encoding_limit finding estimates, against real servers
# (each key's MEMORY USAGE in both encodings, from reloads with default and
# raised thresholds): near_saving.py
if python3 "$ROOT/tests/scripts/near_saving.py" "$RDBLENS" "$FIX" >"$TMP/ns" 2>&1; then ok
else fail "near_encoding_limit savings against the servers"; cat "$TMP/ns"; fi
# big keys get advice for their type: trim what only grows (lists,
# streams), shard and scan keyed collections with their own command
"$RDBLENS" report --format json --big-elements 2 "$FIX/sample.rdb" >"$TMP/big.json" 2>/dev/null
advice() {
  python3 - "$TMP/big.json" <<'PY'
import json, sys
seen = {}
for f in json.load(open(sys.argv[1]))["findings"]:
    if f["kind"] == "big_key" and f["subject_kind"] == "key" and "elements" in f["evidence"]:
        seen.setdefault(f["evidence"]["type"], set()).add(f["suggestion"].split(";")[0].split(":")[0][:24])
for t in sorted(seen):
    print(t, "|".join(sorted(seen[t])))
PY
}
expect_eq "big-key advice by type" "$(advice)" "$(printf '%s\n' \
  'hash shard it into buckets (f' 'list a list this long is usua' 'set shard it into buckets (f' \
  'stream cap the stream' 'zset shard it into buckets (f')"
for cmd in HSCAN LTRIM SSCAN XTRIM ZSCAN; do
  if grep -q "$cmd" "$TMP/big.json"; then ok; else fail "big-key advice names $cmd"; fi
done

# The first screen, golden, on corpus dumps (regenerate with
# RDBLENS_UPDATE_GOLDEN=1 after an intended change, and review the diff)
cd "$ROOT" || exit 1
for g in "redis-7.0.15/main" "valkey-8.0.1/main" "redis-7.4.1/listcompress"; do
  golden=tests/fixtures/golden/summary-${g/\//-}.txt
  "$RDBLENS" report --color never "tests/fixtures/corpus/$g.rdb" 2>/dev/null | head -30 >"$TMP/summary.txt"
  [ -n "${RDBLENS_UPDATE_GOLDEN:-}" ] && cp "$TMP/summary.txt" "$golden"
  if diff -u "$golden" "$TMP/summary.txt" >"$TMP/diff"; then ok; else fail "first screen of $g differs from $golden"; head -40 "$TMP/diff"; fi
done
# reference time: the dump's ctime, else the file's time, else (standard
# input) the current time, each said on stderr and in the report; --now in
# milliseconds is said too
old=tests/fixtures/corpus/redis-2.8.24/main.rdb   # RDB 6 has no ctime aux
"$RDBLENS" report -f json "$old" >"$TMP/ref.json" 2>"$TMP/err"
expect_eq "no ctime: basis" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["source"]["files"][0]["reference_basis"])' "$TMP/ref.json")" mtime
grep -q "has no ctime aux; TTLs are judged against its file time" "$TMP/err" && ok || fail "no ctime: stderr note: $(cat "$TMP/err")"
"$RDBLENS" report "$old" 2>/dev/null | grep -q "TTLs judged at .*, the file's time (no ctime aux in the dump; --now sets it)" \
  && ok || fail "no ctime: said in the report"
"$RDBLENS" report -f json - <"$old" >"$TMP/ref.json" 2>"$TMP/err"
python3 - "$TMP/ref.json" <<'PY' && ok || fail "stdin without ctime: judged against the current time"
import json, sys, time
f = json.load(open(sys.argv[1]))["source"]["files"][0]
assert f["reference_basis"] == "now", f["reference_basis"]
assert abs(f["reference_time_ms"] - time.time() * 1000) < 600000, f["reference_time_ms"]
PY
grep -q "has no ctime aux; TTLs are judged against the current time" "$TMP/err" && ok || fail "stdin: stderr note"
"$RDBLENS" report -q -f json - <"$old" >/dev/null 2>"$TMP/err"
expect_eq "--quiet keeps notes off" "$(cat "$TMP/err")" ""
"$RDBLENS" report --now 1795256331000 "$FIX/sample.rdb" 2>&1 >/dev/null | grep -q "read as Unix milliseconds" \
  && ok || fail "--now in ms said"
"$RDBLENS" report "$FIX/sample.rdb" 2>&1 >/dev/null | grep -q . && fail "a dump with ctime needs no note" || ok
cd - >/dev/null || exit 1

# Every finding's command runs and finds what the finding is about
for d in "$FIX/sample.rdb" "$FIX/corpus/redis-7.0.15/main.rdb" "$FIX/corpus/valkey-8.0.1/main.rdb"; do
  "$RDBLENS" report -f json --big-bytes 64K "$d" 2>/dev/null | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    if f["command"]: print(f["command"].split("  #")[0])' >"$TMP/cmds"
  [ -s "$TMP/cmds" ] && ok || fail "no commands in the findings of $d"
  while read -r c; do
    out=$(eval "\"$RDBLENS\"${c#rdblens}" 2>&1); rc=$?
    if [ $rc -eq 0 ] && [ -n "$out" ]; then ok; else fail "finding command fails: $c: $out"; fi
  done <"$TMP/cmds"
done

# Signs of a non-default config: list-compress-depth 1 seen in the
# listcompress dumps (quicklist nodes LZF with rdbcompression no), not in
# the others; its saving is exactly the prediction with that --config, and
# that prediction matches the reloaded server
for v in redis-3.2.13 redis-6.2.16 redis-7.0.15 redis-7.4.1 valkey-8.0.1; do
  d=$FIX/corpus/$v
  python3 - "$RDBLENS" "$d" <<'PY' && ok || fail "config hints $v"
import json, subprocess, sys
rdblens, d = sys.argv[1:]
def rep(f, *a):
    return json.loads(subprocess.run([rdblens, "report", "-f", "json", *a, f], capture_output=True).stdout)
r = rep(d + "/listcompress.rdb")
h = r["source"]["files"][0]["config_hints"]
assert [(x["directive"], x["value"]) for x in h] == [("list-compress-depth", 1)], h
c = rep(d + "/listcompress.rdb", "--config", "list-compress-depth=1")
assert c["source"]["files"][0]["config_hints"] == [], c["source"]["files"][0]["config_hints"]
assert r["memory"]["used_memory"] - h[0]["saving_bytes"] == c["memory"]["used_memory"]
truth = json.load(open(d + "/reload-meta-listcompress.json"))["info_memory"]["used_memory"]
assert abs(c["memory"]["used_memory"] - truth) <= truth * 0.002, (c["memory"]["used_memory"], truth)
for stem in ("main", "nocompress", "nochecksum"):
    assert rep(d + "/" + stem + ".rdb")["source"]["files"][0]["config_hints"] == [], stem
PY
done
"$RDBLENS" report "$FIX/corpus/redis-7.0.15/listcompress.rdb" | head -30 \
  | grep -q "config? the dump suggests list-compress-depth 1 (5 keys): --config list-compress-depth=1 predicts 62.0 KiB less" \
  && ok || fail "config hint in the first lines"
# raised limits: keys saved compact over the target's default (corpus-config, in ../shared)
if [ -d "$ROOT/../shared/corpus-config/redis-7.0.15" ]; then
  "$RDBLENS" report -f json "$ROOT/../shared/corpus-config/redis-7.0.15/tuned-main.rdb" 2>/dev/null | python3 -c '
import json, sys
h = {x["directive"]: x["value"] for x in json.load(sys.stdin)["source"]["files"][0]["config_hints"]}
assert h == {"set-max-intset-entries": 700, "hash-max-listpack-entries": 600}, h' && ok || fail "limit hints on tuned-main"
else
  echo "skip: ../shared/corpus-config absent, limit hints not checked"
fi

# LRU / LFU: the dump's IDLE and FREQ records bucketed as the servers
# reported them before SAVE (truth lfu_freq / idle_seconds)
for v in redis-5.0.14 redis-7.0.15 redis-7.4.1; do
  for stem in lfu lru; do
    "$RDBLENS" report -f json "$FIX/corpus/$v/$stem.rdb" >"$TMP/acc.json" 2>/dev/null
    python3 - "$TMP/acc.json" "$FIX/corpus/$v/truth-$stem.jsonl" "$stem" <<'PY' && ok || fail "access buckets $v/$stem"
import json, sys
r = json.load(open(sys.argv[1]))["access"]
truth = [json.loads(l) for l in open(sys.argv[2])]
if sys.argv[3] == "lfu":
    edges, field, rows, n = (5, 10, 32, 100), "lfu_freq", r["freq"], r["keys_freq"]
else:
    edges, field, rows, n = (60, 3600, 86400, 7 * 86400, 30 * 86400), "idle_seconds", r["idle"], r["keys_idle"]
want = [0] * (len(edges) + 1)
for d in truth:
    want[sum(d[field] >= e for e in edges)] += 1
assert n == len(truth), (n, len(truth))
assert [x["keys"] for x in rows] == want, ([x["keys"] for x in rows], want)
PY
  done
done

# --info: the live server's INFO beside the prediction; the named parts and
# the rest add up to the gap exactly, and the numbers are INFO's own
for v in redis-6.2.16 redis-7.0.15 redis-7.4.1 valkey-8.0.1; do
  info=$FIX/info/$v-main.info
  "$RDBLENS" report -f json --info "$info" "$FIX/corpus/$v/main.rdb" >"$TMP/live.json" 2>/dev/null
  python3 - "$TMP/live.json" "$info" <<'PY' && ok || fail "--info $v"
import json, sys
r = json.load(open(sys.argv[1]))
info = dict(l.split(":", 1) for l in open(sys.argv[2]).read().splitlines() if ":" in l)
live, x = r["live"], r["live"]["explained"]
assert live["used_memory"] == int(info["used_memory"]), live
assert live["used_memory_rss"] == int(info["used_memory_rss"]), live
assert x["predicted"] == r["memory"]["used_memory"], x
assert x["gap"] == live["used_memory"] - x["predicted"], x
assert x["clients"] + x["replication"] + x["aof_buffer"] + x["scripts"] + x["rest"] == x["gap"], x
assert x["rss_over_used_memory"] == live["used_memory_rss"] - live["used_memory"], x
assert live["keys"] == r["totals"]["keys"], (live["keys"], r["totals"]["keys"])
PY
done
# any order, LF line ends, unknown fields: the same numbers
info=$FIX/info/redis-7.0.15-main.info
tr -d '\r' <"$info" | sort -r >"$TMP/shuffled.info"
echo "some_future_field:xyz" >>"$TMP/shuffled.info"
a=$("$RDBLENS" report -f json --info "$info" "$FIX/corpus/redis-7.0.15/main.rdb" | python3 -c 'import json,sys; print(json.load(sys.stdin)["live"])')
b=$("$RDBLENS" report -f json --info "$TMP/shuffled.info" "$FIX/corpus/redis-7.0.15/main.rdb" | python3 -c 'import json,sys; print(json.load(sys.stdin)["live"])')
expect_eq "--info in any order" "$b" "$a"
"$RDBLENS" report --info "$FIX/info/redis-7.0.15-main.info" "$FIX/corpus/redis-7.0.15/main.rdb" >"$TMP/live.txt"
head -30 "$TMP/live.txt" | grep -q '^Live server (--info, version 7.0.15): used_memory 1.3 MiB, RSS 13.1 MiB' \
  && ok || fail "--info in the first lines: $(grep -A4 'Live server' "$TMP/live.txt")"
# garbage is refused, before any work
"$RDBLENS" report --info README.md "$FIX/sample.rdb" >/dev/null 2>"$TMP/err"; rc=$?
expect_eq "--info not INFO: exit" "$rc" 2
grep -q 'has no used_memory field' "$TMP/err" && ok || fail "--info not INFO: $(cat "$TMP/err")"
"$RDBLENS" report --info "$FIX/sample.rdb" "$FIX/sample.rdb" >/dev/null 2>"$TMP/err"; rc=$?
expect_eq "--info binary: exit" "$rc" 2
grep -q 'is binary' "$TMP/err" && ok || fail "--info binary: $(cat "$TMP/err")"
printf 'used_memory:12x\r\n' >"$TMP/bad.info"
"$RDBLENS" report --info "$TMP/bad.info" "$FIX/sample.rdb" >/dev/null 2>"$TMP/err"
grep -q 'line 1: used_memory is not a whole number' "$TMP/err" && ok || fail "--info bad number: $(cat "$TMP/err")"

finish report
