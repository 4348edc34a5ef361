#!/usr/bin/env bash
# inspect.sh: `rdblens inspect` end to end: the command-line contract (usage
# errors, errors before output, checked writes, -o, a missing key, a
# truncated dump), the text and JSON forms against golden files made from
# the sample dump (tests/fixtures/golden/inspect.*; their bytes and what-ifs
# are the reloaded servers' numbers, which inspect_whatif.py checks), the
# what-ifs against servers that reloaded the corpus with other limits
# (inspect_whatif.py), and the largest elements, histograms, stream groups
# and what-ifs against a live redis-server (tests/live/inspect_live.py).
source "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 2
S=tests/fixtures/sample.rdb
KEYS=(hash:large set:large:ints zset:samescore stream:big list:plain str:big:compressible ttl:hash db15:set)

# ---- usage and errors before output --------------------------------------
"$RDBLENS" inspect >"$TMP/o" 2>"$TMP/err"; expect_eq "no operand: exit" $? 2
grep -q "^rdblens inspect: no FILE given$" "$TMP/err" && ok || fail "no operand: $(cat "$TMP/err")"
"$RDBLENS" inspect "$S" >"$TMP/o" 2>"$TMP/err"; expect_eq "no KEY: exit" $? 2
grep -q "^rdblens inspect: no KEY given$" "$TMP/err" && ok || fail "no KEY: $(cat "$TMP/err")"
"$RDBLENS" inspect README.md k >"$TMP/o" 2>"$TMP/err"; expect_eq "not an RDB: exit" $? 1
expect_eq "not an RDB: nothing on stdout" "$(wc -c <"$TMP/o")" 0
grep -q "^rdblens inspect: README.md: not an RDB file" "$TMP/err" && ok || fail "not an RDB: $(cat "$TMP/err")"
"$RDBLENS" inspect /nonexistent.rdb k >"$TMP/o" 2>"$TMP/err"; expect_eq "missing file: exit" $? 1
expect_eq "missing file: one line" "$(wc -l <"$TMP/err")" 1
"$RDBLENS" inspect --escaped "$S" 'a\q' >"$TMP/o" 2>"$TMP/err"; expect_eq "bad escape: exit" $? 2
grep -q "is not in the printable form: unknown escape" "$TMP/err" && ok || fail "bad escape: $(cat "$TMP/err")"
"$RDBLENS" inspect --db x "$S" k >"$TMP/o" 2>"$TMP/err"; expect_eq "--db x: exit" $? 2

# ---- writes ----------------------------------------------------------------
"$RDBLENS" inspect "$S" hash:large >/dev/full 2>"$TMP/err"; expect_eq "/dev/full: exit" $? 1
grep -q "^rdblens inspect: writing standard output: No space left on device$" "$TMP/err" && ok \
  || fail "/dev/full: $(cat "$TMP/err")"
"$RDBLENS" inspect -f json -o "$TMP/i.json" "$S" "${KEYS[@]}"; expect_eq "-o: exit" $? 0
cmp -s "$TMP/i.json" "$FIX/golden/inspect.json" && ok || fail "-o differs from the golden JSON"
expect_eq "-o: no temporary file left" "$(ls -A "$TMP" | grep -c '^\.i\.json')" 0

# ---- golden forms ------------------------------------------------------------
"$RDBLENS" inspect --color never "$S" "${KEYS[@]}" >"$TMP/i.txt"; expect_eq "text: exit" $? 0
diff -u "$FIX/golden/inspect.txt" "$TMP/i.txt" >"$TMP/d" && ok || fail "text differs from golden: $(head -20 "$TMP/d")"
"$RDBLENS" inspect -f json "$S" "${KEYS[@]}" >"$TMP/i.json"
diff -u "$FIX/golden/inspect.json" "$TMP/i.json" >"$TMP/d" && ok || fail "JSON differs from golden: $(head -20 "$TMP/d")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema_version"] == 1' "$TMP/i.json" \
  && ok || fail "JSON does not parse"
expect_eq "text within 100 columns" "$(awk 'length > 100' "$TMP/i.txt" | wc -l)" 0
"$RDBLENS" inspect --color always "$S" hash:large | grep -q $'\033\[1m' && ok || fail "--color always: no bold"

# every what-if is what `keys --config` with its settings says of the key
python3 - "$RDBLENS" "$S" "$TMP/i.json" <<'PY' && ok || fail "what-ifs differ from keys --config"
import json, subprocess, sys
rdblens, dump, path = sys.argv[1:4]
n = 0
for k in json.load(open(path))["keys"]:
    for w in k.get("encoding_limits", {}).get("what_if", []):
        args = [rdblens, "keys", "--db", str(k["db"])]
        for s in w["set"]:
            args += ["--config", "%s=%d" % (s["directive"], s["to"])]
        recs = [json.loads(l) for l in subprocess.run(args + [dump], capture_output=True, check=True).stdout.splitlines()]
        r = [x for x in recs if x["key"] == k["key"]][0]
        assert (r["encoding"], r["bytes"]) == (w["encoding"], w["bytes"]), (k["key"], w, r)
        n += 1
assert n >= 4, n
PY

# ---- missing keys, several databases, a truncated dump -----------------------
"$RDBLENS" inspect -f json "$S" hash:large nope >"$TMP/m.json" 2>"$TMP/err"; expect_eq "missing key: exit" $? 1
grep -q "^rdblens inspect: $S: key 'nope' not found$" "$TMP/err" && ok || fail "missing key: $(cat "$TMP/err")"
expect_eq "missing key: the others reported" \
  "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([k["key"] for k in d["keys"]], d["not_found"])' "$TMP/m.json")" \
  "['hash:large'] ['nope']"
"$RDBLENS" inspect --db 0 "$S" db15:set >/dev/null 2>"$TMP/err"; expect_eq "--db 0: exit" $? 1
grep -q "key 'db15:set' not found in db 0$" "$TMP/err" && ok || fail "--db 0: $(cat "$TMP/err")"
head -c 100000 "$S" >"$TMP/cut.rdb"
"$RDBLENS" inspect -f json "$TMP/cut.rdb" str:int:shared_max db15:zset >"$TMP/c.json" 2>"$TMP/err"
expect_eq "truncated: exit" $? 1
expect_eq "truncated: what was read is reported" \
  "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["source"]["status"], [k["key"] for k in d["keys"]], d["not_found"])' "$TMP/c.json")" \
  "truncated ['str:int:shared_max'] ['db15:zset']"
grep -q "key 'db15:zset' not found in what could be read$" "$TMP/err" && ok || fail "truncated: $(cat "$TMP/err")"
grep -q "truncated at offset 99836" "$TMP/err" && ok || fail "truncated: no offset: $(cat "$TMP/err")"

# ---- what-ifs against reloaded servers, largest elements against a live one ---
add_counts() {  # FILE: adds "NAME: N passed, N failed" from its last such line
  local line
  line=$(grep -aE '^[a-z_]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  if [ -z "$line" ]; then fail "$1: no result line"; return; fi
  PASS=$((PASS + $(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")))
  FAIL=$((FAIL + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
}
python3 tests/scripts/inspect_whatif.py "$RDBLENS" "$FIX" >"$TMP/w" 2>&1
grep -E '^(FAIL|redis|valkey|bytes)' "$TMP/w"
add_counts "$TMP/w"
if command -v redis-server >/dev/null; then
  PYTHONDONTWRITEBYTECODE=1 python3 tests/live/inspect_live.py "$RDBLENS" >"$TMP/l" 2>&1
  grep -E '^(FAIL|inspect_live)' "$TMP/l"
  add_counts "$TMP/l"
else
  fail "redis-server not found (tools/deps.sh test installs it)"
fi
finish inspect
