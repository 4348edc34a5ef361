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
out=$("$RDBLENS" report "$FIX/sample.rdb"); rc=$?
expect_eq "text report exit" "$rc" 0
grep -q '^Top keys by bytes' <<<"$out" && ok || fail "text report has no top-keys table"
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
finish report
