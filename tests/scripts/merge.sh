#!/usr/bin/env bash
# rdblens merge and report -j: per-file JSON reports of the corpus dumps
# merged = the report over all of them at once, byte for byte (JSON, text,
# md, prom); -j N = -j 1; the fleet recipe's GNU parallel step on local
# files; reports that cannot be merged are refused, with nothing on stdout.
source "$(dirname "$0")/lib.sh"
mapfile -t dumps < <(find "$FIX/corpus" "$FIX/corpus-modules" -name '*.rdb' | sort)
reports=()
for i in "${!dumps[@]}"; do
  "$RDBLENS" report -q -f json -o "$TMP/r$i.json" "${dumps[$i]}" || fail "report ${dumps[$i]}"
  reports+=("$TMP/r$i.json")
done
"$RDBLENS" report -q -f json "${dumps[@]}" >"$TMP/all.json"
"$RDBLENS" merge -f json "${reports[@]}" >"$TMP/merged.json"; rc=$?
expect_eq "merge exit" "$rc" 0
if cmp -s "$TMP/all.json" "$TMP/merged.json"; then ok; else fail "merge of ${#dumps[@]} reports != combined report"; diff "$TMP/all.json" "$TMP/merged.json" | head -5; fi
python3 - "$TMP/all.json" "$TMP/merged.json" <<'PY' && ok || fail "merged JSON sections"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for k in a:
    assert a[k] == b[k], k
assert a["merge"]["keys_seen"] == a["totals"]["keys"] > 1000
PY
for fmt in text md prom csv; do
  "$RDBLENS" report -q -f $fmt --rows 0 "${dumps[@]}" >"$TMP/all.$fmt"
  "$RDBLENS" merge -f $fmt --rows 0 "${reports[@]}" >"$TMP/merged.$fmt"
  cmp -s "$TMP/all.$fmt" "$TMP/merged.$fmt" && ok || fail "merge -f $fmt != report -f $fmt"
done
# cluster mode: slot sums, hash tags and shards (with a maxmemory) merge too
mapfile -t cdumps < <(find "$FIX/corpus-cluster" -name '*.rdb' | sort)
creports=()
for i in "${!cdumps[@]}"; do
  "$RDBLENS" report -q -f json --shards 3 --maxmemory 1gb -o "$TMP/c$i.json" "${cdumps[$i]}" || fail "report ${cdumps[$i]}"
  creports+=("$TMP/c$i.json")
done
for fmt in json text; do
  "$RDBLENS" report -q -f $fmt --rows 0 --shards 3 --maxmemory 1gb "${cdumps[@]}" >"$TMP/call.$fmt"
  "$RDBLENS" merge -f $fmt --rows 0 "${creports[@]}" >"$TMP/cmerged.$fmt"
  cmp -s "$TMP/call.$fmt" "$TMP/cmerged.$fmt" && ok || fail "cluster: merge -f $fmt != report --shards 3 -f $fmt"
done
grep -q '"shards"' "$TMP/cmerged.json" && ok || fail "cluster: merged report has no shards"
# a merge of merges is the same report
"$RDBLENS" merge -f json "${reports[@]:0:10}" >"$TMP/m1.json"
"$RDBLENS" merge -f json "${reports[@]:10}" >"$TMP/m2.json"
"$RDBLENS" merge -f json "$TMP/m1.json" "$TMP/m2.json" >"$TMP/mm.json"
cmp -s "$TMP/all.json" "$TMP/mm.json" && ok || fail "merge of merged reports"
# --top below what the inputs kept is exact; above it is refused
"$RDBLENS" report -q -f json --top 5 "${dumps[@]}" >"$TMP/top5.json"
"$RDBLENS" merge -f json --top 5 "${reports[@]}" >"$TMP/mtop5.json"
cmp -s "$TMP/top5.json" "$TMP/mtop5.json" && ok || fail "merge --top 5 != report --top 5"
out=$("$RDBLENS" merge --top 60 "${reports[@]:0:2}" 2>"$TMP/e"); rc=$?
expect_eq "merge --top above the inputs: exit" "$rc" 1
grep -q "fewer than the 60" "$TMP/e" && [ -z "$out" ] && ok || fail "merge --top 60: $(cat "$TMP/e")"

# report -j N: the same report as -j 1, every format
for j in 2 3; do
  "$RDBLENS" report -q -j $j -f json "${dumps[@]}" >"$TMP/j.json"
  cmp -s "$TMP/all.json" "$TMP/j.json" && ok || fail "report -j $j != -j 1"
done
"$RDBLENS" report -q -j 2 -f text --rows 0 "${dumps[@]}" >"$TMP/j.text"
cmp -s "$TMP/all.text" "$TMP/j.text" && ok || fail "report -j 2 -f text != -j 1"
c70=$FIX/corpus/redis-7.0.15/main.rdb
# -j with a truncated input: same report, same exit status
head -c 60000 "$FIX/corpus/redis-7.2.6/main.rdb" >"$TMP/cut.rdb"
"$RDBLENS" report -q -f json "$FIX/sample.rdb" "$TMP/cut.rdb" "$c70" >"$TMP/c1.json" 2>/dev/null; r1=$?
"$RDBLENS" report -q -j 2 -f json "$FIX/sample.rdb" "$TMP/cut.rdb" "$c70" >"$TMP/c2.json" 2>/dev/null; r2=$?
expect_eq "-j with a truncated input: exit" "$r2/$r1" "1/1"
cmp -s "$TMP/c1.json" "$TMP/c2.json" && ok || fail "-j with a truncated input: report differs"

# the fleet recipe (README): GNU parallel runs the map step, merge reduces
if command -v parallel >/dev/null; then
  mkdir -p "$TMP/fleet"
  printf '%s\n' "${dumps[@]}" | parallel --will-cite -j 2 \
    "$RDBLENS report -q -f json -o $TMP/fleet/{#}.json {}" && ok || fail "parallel map step"
  fleet=()
  for i in $(seq 1 ${#dumps[@]}); do fleet+=("$TMP/fleet/$i.json"); done   # {#}: input order
  "$RDBLENS" merge -f json "${fleet[@]}" >"$TMP/fleet.json" 2>"$TMP/e"
  cmp -s "$TMP/all.json" "$TMP/fleet.json" && ok || fail "parallel + merge != combined report: $(cat "$TMP/e")"
else
  fail "GNU parallel not installed (tools/deps.sh test installs it)"
fi

# refused: nothing on stdout, exit 1, a message naming the file and why
refuse() {  # refuse NAME EXPECTED-STDERR FILE...
  local name=$1 want=$2; shift 2
  out=$("$RDBLENS" merge "$@" 2>"$TMP/e"); rc=$?
  expect_eq "merge $name: exit" "$rc" 1
  expect_eq "merge $name: stdout" "$out" ""
  grep -q -- "$want" "$TMP/e" && ok || fail "merge $name: stderr '$(cat "$TMP/e")' lacks '$want'"
}
python3 - "$TMP/r0.json" "$TMP/v1.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["schema_version"] = 1; del d["merge"]
json.dump(d, open(sys.argv[2], "w"))
PY
refuse "schema 1" "schema_version 1 report" "$TMP/r1.json" "$TMP/v1.json"
echo '{"schema_version": 9}' >"$TMP/v9.json"
refuse "schema 9" "written by a newer rdblens" "$TMP/v9.json"
head -c 5000 "$TMP/r1.json" >"$TMP/cut.json"
refuse truncated "truncated JSON" "$TMP/r0.json" "$TMP/cut.json"
: >"$TMP/empty.json"
refuse empty "empty file" "$TMP/empty.json"
refuse "a dump" "not valid JSON" "$c70"
"$RDBLENS" report -q -f json --separators ':/' -o "$TMP/sep.json" "$c70"
refuse "other separators" "other --separators" "$TMP/r0.json" "$TMP/sep.json"
"$RDBLENS" report -q -f json --match 'str:*' -o "$TMP/match.json" "$c70"
refuse "other filters" "other --match" "$TMP/r0.json" "$TMP/match.json"
refuse "other cluster options" "other --cluster" "$TMP/c0.json" "$TMP/r0.json"
refuse missing "No such file" "$TMP/nope.json"
# a compressed dump's report (its compression and compressed size) and a
# plain one: their merge is the report over both
zstd -q -c "$FIX/sample.rdb" >"$TMP/sample.rdb.zst"
"$RDBLENS" report -q -f json -o "$TMP/z.json" "$TMP/sample.rdb.zst"
"$RDBLENS" report -q -f json "$TMP/sample.rdb.zst" "$c70" >"$TMP/zboth.json"
"$RDBLENS" report -q -f json -o "$TMP/p.json" "$c70"
"$RDBLENS" merge -q -f json "$TMP/z.json" "$TMP/p.json" >"$TMP/zmerged.json"
grep -q '"compression":"zstd"' "$TMP/zmerged.json" && ok || fail "merge lost the compression"
cmp -s "$TMP/zboth.json" "$TMP/zmerged.json" && ok || fail "merge of a compressed dump's report != the report"
# the HTML page of a merge is the combined report's page (its treemap too),
# but for the random nonce of its Content-Security-Policy
nononce() { sed -E 's/nonce[-=]"?[A-Za-z0-9_-]*//g' "$1"; }
"$RDBLENS" report -q -f html "$TMP/sample.rdb.zst" "$c70" >"$TMP/both.html"
"$RDBLENS" merge -q -f html "$TMP/z.json" "$TMP/p.json" >"$TMP/merged.html"
"$RDBLENS" report -q -j 2 -f html "$TMP/sample.rdb.zst" "$c70" >"$TMP/j2.html"
grep -q '^\["list:",1,-1,' "$TMP/merged.html" && ok || fail "merged page has no treemap nodes"
cmp -s <(nononce "$TMP/both.html") <(nononce "$TMP/merged.html") && ok || fail "merge -f html != report -f html"
cmp -s <(nononce "$TMP/both.html") <(nononce "$TMP/j2.html") && ok || fail "report -j 2 -f html != -j 1"
finish merge
