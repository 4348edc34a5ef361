#!/usr/bin/env bash
# The report is the same with and without --walk-all (byte for byte, exit
# code and stderr too) on every fixture dump and AOF, on several files at
# once, on standard input, and on damaged files (which make the shallow run
# give up and walk everything).
source "$(dirname "$0")/lib.sh"
NOW=(--now 1700000000)

# parity ARGS...: one report both ways (standard input from $IN, if set)
parity() {
  local in=${IN:-/dev/null}
  "$RDBLENS" report --format json "${NOW[@]}" "$@" <"$in" >"$TMP/s.json" 2>"$TMP/s.err"; local a=$?
  "$RDBLENS" report --format json "${NOW[@]}" --walk-all "$@" <"$in" >"$TMP/w.json" 2>"$TMP/w.err"; local b=$?
  if [ $a -eq $b ] && cmp -s "$TMP/s.json" "$TMP/w.json" && cmp -s "$TMP/s.err" "$TMP/w.err"; then
    ok
  else
    fail "report differs with --walk-all (exit $a vs $b): $*"
    diff "$TMP/s.json" "$TMP/w.json" | head -5
    diff "$TMP/s.err" "$TMP/w.err" | head -5
  fi
}

while IFS= read -r f; do
  parity "$f"
done < <(find "$FIX" \( -name '*.rdb' -o -name '*.aof' -o -name '*.manifest' \) -not -path '*/fuzz/*' | sort)

# every fuzz finding too: they are the damaged files that broke something once
while IFS= read -r f; do
  parity "$f"
done < <(find "$FIX/fuzz" -type f | sort)

# several files, as the shards of a cluster
mapfile -t mains < <(find "$FIX/corpus" -name 'main.rdb' | sort)
parity "${mains[@]}" "$FIX/sample.rdb"
# an AOF directory (manifest) among them
parity "$FIX/corpus/redis-7.0.15" "$FIX/sample.rdb"

# standard input: walked whole, alone or among files
"$RDBLENS" report --format json "${NOW[@]}" - <"$FIX/sample.rdb" >"$TMP/in.json"; rc=$?
expect_eq "stdin report exit" "$rc" 0
IN=$FIX/sample.rdb parity -
IN=$FIX/sample.rdb parity "$FIX/corpus/redis-7.4.1/main.rdb" -
# ... which matches the file read directly (shallow), but for its name
"$RDBLENS" report --format json "${NOW[@]}" "$FIX/sample.rdb" >"$TMP/file.json"
python3 - "$TMP/in.json" "$TMP/file.json" <<'PY' && ok || fail "stdin and file reports differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for r in (a, b):
    for f in r["source"]["files"]:
        path = f.pop("path", None); f.pop("mtime", None); f.pop("size", None)
        # a finding's command names its file
        for x in r["findings"]:
            if x["command"]:
                x["command"] = x["command"].replace("'" + path + "'", "FILE")
assert a == b, "differ"
PY

# damaged: truncated, and every 997th byte of a blob-rich dump flipped
head -c 100000 "$FIX/sample.rdb" >"$TMP/cut.rdb"
parity "$TMP/cut.rdb"
parity "$TMP/cut.rdb" "$FIX/sample.rdb"
size=$(stat -c %s "$FIX/sample.rdb")
for off in $(seq 200 997 "$size" | head -40); do
  cp "$FIX/sample.rdb" "$TMP/flip.rdb"
  printf "\\x$(printf %02x $(( ($(od -An -tu1 -j "$off" -N1 "$FIX/sample.rdb") ^ 0x41) & 255 )))" |
    dd of="$TMP/flip.rdb" bs=1 seek="$off" conv=notrunc status=none
  parity "$TMP/flip.rdb"
done
finish shallow
