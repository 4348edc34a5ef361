#!/usr/bin/env bash
# rdblens diff and report --format prom: against dumps our own redis-server
# writes before and after known changes (diff_live.py: exact churn, deltas,
# top changes, saved reports = dumps, promtool, hostile label values), then
# dumps of every corpus version against each other, and bad inputs.
source "$(dirname "$0")/lib.sh"
if python3 "$ROOT/tests/scripts/diff_live.py" "$RDBLENS" "$TMP/live" >"$TMP/live.log" 2>&1; then ok
else fail "diff_live.py"; fi
tail -n 30 "$TMP/live.log"

# every corpus version against the next one, both ways round, text and JSON
prev=
for d in "$FIX"/corpus/*/main.rdb; do
  if [ -n "$prev" ]; then
    "$RDBLENS" diff "$prev" "$d" >"$TMP/d.txt" 2>"$TMP/d.err"; rc=$?
    expect_eq "diff $(basename "$(dirname "$prev")") $(basename "$(dirname "$d")")" "$rc" 0
    "$RDBLENS" diff -f json "$d" "$prev" >"$TMP/d.json" 2>>"$TMP/d.err" &&
      python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema_version"]==1 and d["churn"] is not None' "$TMP/d.json" \
      && ok || fail "diff -f json $d $prev"
  fi
  prev=$d
done
# a dump against itself: nothing moved
c70=$FIX/corpus/redis-7.0.15/main.rdb
"$RDBLENS" diff -f json "$c70" "$c70" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["churn"]["added"] == d["churn"]["removed"] == d["churn"]["changed"] == 0, d["churn"]
assert d["churn"]["unchanged"] == d["totals"]["keys"]["new"]
assert d["top_changes"] == []
for s in ("by_db", "by_type", "by_encoding", "ttl", "prefixes"):
    for r in d[s]:
        assert r["keys"]["delta"] == 0 and r["bytes"]["delta"] == 0, (s, r)
' && ok || fail "corpus dump diffed with itself is all zeros"

# bad inputs: a clear error, exit 1, nothing on stdout
"$RDBLENS" report -f json "$c70" >"$TMP/r.json"
bad() {  # bad NAME CONTENT EXPECTED-STDERR-PART
  printf '%s' "$2" >"$TMP/bad.json"
  out=$("$RDBLENS" diff "$TMP/bad.json" "$c70" 2>"$TMP/bad.err"); rc=$?
  expect_eq "diff $1: exit" "$rc" 1
  expect_eq "diff $1: stdout" "$out" ""
  grep -q -- "$3" "$TMP/bad.err" && ok || fail "diff $1: stderr '$(cat "$TMP/bad.err")' lacks '$3'"
}
bad truncated "$(head -c 2000 "$TMP/r.json")" "truncated JSON"
bad "schema 3" '{"schema_version": 3}' "schema_version 3 is not one"
bad "no schema" '{"report": 1}' "no integer schema_version"
bad "wrong type" "$(sed 's/"keys":102,/"keys":"102",/' "$TMP/r.json")" "expected a non-negative integer\|expected an integer"
bad "negative" "$(sed '0,/"keys":102,/s//"keys":-102,/' "$TMP/r.json")" "non-negative"
bad "too big" "$(sed '0,/"keys":102,/s//"keys":99999999999999999999,/' "$TMP/r.json")" "not valid JSON"
bad "duplicate member" "$(sed '0,/"keys":102,/s//"keys":102,"keys":102,/' "$TMP/r.json")" "not valid JSON"
bad "bucket out of range" "$(sed '0,/"buckets":\[\[/s//"buckets":[[99999,0],[/' "$TMP/r.json")" "out of range"
bad "record of no file" "$(sed '0,/"file":0,"db"/s//"file":7,"db"/' "$TMP/r.json")" "merge.records\[0\].file"
bad "bad escape" "$(sed '0,/"file":0,"db":0,"key":"/s//"file":0,"db":0,"key":"\\\\q/' "$TMP/r.json")" "printable form"
bad "not an object" '[1,2]' "expected an object"
finish diff
