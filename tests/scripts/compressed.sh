#!/usr/bin/env bash
# Compressed dumps, end to end: each of the five formats made by the real
# tool (gzip, zstd, lz4, xz, bzip2), from a file and from standard input,
# gives the plain dump's report byte for byte, apart from the documented
# fields (docs/report-schema.md: the file's path, its size as stored and
# its compression); keys and check agree; cut and corrupted streams exit 1
# with an error naming the compressed and the RDB offset, and the report
# still covers what was read, marked truncated.
source "$(dirname "$0")/lib.sh"
C=$FIX/corpus
tools=("gzip -c" "zstd -q -c" "lz4 -q -c" "xz -c" "bzip2 -c")
names=(gzip zstd lz4 xz bzip2)

# A digest of the JSON report without the documented per-file differences:
# path (also a finding's subject, or quoted in its command), size,
# compression.
norm() {
  python3 - "$1" "$2" <<'PY'
import hashlib, json, sys
path = sys.argv[2]
def walk(x):
    if isinstance(x, dict):
        return {k: walk(v) for k, v in x.items()}
    if isinstance(x, list):
        return [walk(v) for v in x]
    if isinstance(x, str):   # the path itself, or quoted in a finding's command
        return "FILE" if x == path else x.replace("'" + path + "'", "'FILE'")
    return x
doc = walk(json.load(open(sys.argv[1])))
for f in doc["source"]["files"]:
    for k in ("size", "compression"):
        f.pop(k, None)
print(hashlib.sha1(json.dumps(doc, sort_keys=True).encode()).hexdigest())
PY
}
field() {  # field FILE.json NAME: the first file's NAME
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["source"]["files"][0][sys.argv[2]])' "$1" "$2"
}

for dump in "$FIX/sample.rdb" "$C/redis-7.0.15/main.rdb" "$C/valkey-8.0.1/main.rdb"; do
  "$RDBLENS" report --format json "$dump" >"$TMP/plain.json" || fail "plain report $dump"
  want=$(norm "$TMP/plain.json" "$dump")
  keys_want=$("$RDBLENS" keys "$dump" | sha1sum)
  for i in "${!tools[@]}"; do
    z=$TMP/dump.${names[$i]}
    ${tools[$i]} "$dump" >"$z"
    "$RDBLENS" report --format json "$z" >"$TMP/z.json"; rc=$?
    expect_eq "${names[$i]} report exit ($dump)" "$rc" 0
    expect_eq "${names[$i]} report == plain ($dump)" "$(norm "$TMP/z.json" "$z")" "$want"
    expect_eq "${names[$i]} compression field" "$(field "$TMP/z.json" compression)" "${names[$i]}"
    expect_eq "${names[$i]} size is the compressed size" "$(field "$TMP/z.json" size)" "$(stat -c %s "$z")"
    expect_eq "${names[$i]} rdb_bytes" "$(field "$TMP/z.json" rdb_bytes)" "$(stat -c %s "$dump")"
    "$RDBLENS" report --format json - <"$z" >"$TMP/s.json"; rc=$?
    expect_eq "${names[$i]} stdin exit" "$rc" 0
    expect_eq "${names[$i]} stdin report == plain ($dump)" "$(norm "$TMP/s.json" -)" "$want"
    expect_eq "${names[$i]} stdin: compressed size read" "$(field "$TMP/s.json" size)" "$(stat -c %s "$z")"
    expect_eq "${names[$i]} keys == plain" "$("$RDBLENS" keys "$z" | sha1sum)" "$keys_want"
    out=$("$RDBLENS" check "$z" | sed -E ':a; s/([0-9]),([0-9]{3})/\1\2/; ta'); rc=${PIPESTATUS[0]}
    expect_eq "${names[$i]} check exit" "$rc" 0
    grep -q "^compression: ${names[$i]}, $(stat -c %s "$z") bytes stored, $(stat -c %s "$dump") bytes decompressed" <<<"$out" \
      && ok || fail "${names[$i]} check compression line: $out"
  done
done

# check's JSON says it too.
"$RDBLENS" check -f json "$TMP/dump.zstd" >"$TMP/c.json"
python3 - "$TMP/c.json" "$(stat -c %s "$TMP/dump.zstd")" <<'PY' && ok || fail "check json compression"
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
assert f["compression"] == {"format": "zstd", "stored_bytes": int(sys.argv[2])}, f["compression"]
assert f["status"] == "valid"
PY

# The text report names both sizes.
gzip -c "$FIX/sample.rdb" >"$TMP/s.rdb.gz"
"$RDBLENS" report --rows 1 "$TMP/s.rdb.gz" | grep -q 'KiB RDB in .* KiB gzip, REDIS0012' && ok || fail "text report sizes"

# An AOF with an RDB preamble, compressed: the tail is counted after
# decompression.
xz -c "$C/redis-6.2.16/aof-preamble.aof" >"$TMP/aof.xz"
out=$("$RDBLENS" check "$TMP/aof.xz")
grep -q '^trailing bytes: [1-9][0-9]* after the RDB' <<<"$out" && ok || fail "compressed aof tail: $out"

# Cut and corrupted streams: exit 1, both offsets named, the report marks
# the file truncated and still has what was read.
dump=$C/redis-7.4.1/main.rdb
for i in "${!tools[@]}"; do
  ${tools[$i]} "$dump" >"$TMP/full"
  size=$(stat -c %s "$TMP/full")
  for cut in $((size / 2)) $((size - 1)) $((size - 5)); do
    head -c "$cut" "$TMP/full" >"$TMP/cut"
    "$RDBLENS" report --format json "$TMP/cut" >"$TMP/cut.json" 2>"$TMP/err"; rc=$?
    expect_eq "${names[$i]} cut at $cut exit" "$rc" 1
    grep -q 'compressed offset [0-9]* (RDB offset [0-9]*)' "$TMP/err" && ok || fail "${names[$i]} cut at $cut message: $(cat "$TMP/err")"
    # (a cut before the first decompressed block yields no RDB header: then the
    # input is unreadable, one line on stderr and no report)
    if [ -s "$TMP/cut.json" ]; then
      expect_eq "${names[$i]} cut at $cut status" "$(field "$TMP/cut.json" status)" "truncated"
    else
      grep -q 'RDB offset 0)' "$TMP/err" && ok || fail "${names[$i]} cut at $cut: no report, yet RDB bytes came out: $(cat "$TMP/err")"
    fi
    "$RDBLENS" report --format json - <"$TMP/cut" >/dev/null 2>"$TMP/err"; rc=$?
    expect_eq "${names[$i]} cut at $cut from stdin exit" "$rc" 1
  done
  # a corrupted byte in the middle: the compressed stream's checks catch it
  cp "$TMP/full" "$TMP/bad"
  printf '\xa5\x5a\xa5\x5a' | dd of="$TMP/bad" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
  "$RDBLENS" check "$TMP/bad" >/dev/null 2>"$TMP/err"; rc=$?
  expect_eq "${names[$i]} corrupt exit" "$rc" 1
  grep -q "${names[$i]}: .* at compressed offset [0-9]* (RDB offset [0-9]*)" "$TMP/err" && ok \
    || fail "${names[$i]} corrupt message: $(cat "$TMP/err")"
done

# lz4's legacy format is refused with the reason.
lz4 -q -l -c "$FIX/sample.rdb" >"$TMP/legacy.lz4"
out=$("$RDBLENS" check "$TMP/legacy.lz4" 2>&1); rc=$?
expect_eq "legacy lz4 exit" "$rc" 1
grep -q 'legacy LZ4 format' <<<"$out" && ok || fail "legacy lz4 message: $out"

finish compressed
