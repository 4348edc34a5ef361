#!/usr/bin/env bash
# newer.sh: RDB 13-15 and VALKEY 80/81 end to end: the committed fixtures are
# what tests/encoder/gen_newer.py writes (byte for byte), rdblens reads each
# of them, refuses the undocumented types by name with their offset, and
# --accept-newer reads a newer version up to its first unknown type with a
# partial result (exit 1), as for a truncated file.
source "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
N=$FIX/newer

# the fixtures are reproducible from the encoder
python3 tests/encoder/gen_newer.py "$TMP/gen" || fail "gen_newer.py failed"
for f in $(cd "$N" && find . -name '*.rdb' | sort); do
  if cmp -s "$N/$f" "$TMP/gen/$f"; then ok; else fail "$f differs from what gen_newer.py writes"; fi
done
expect_eq "fixture count" "$(cd "$TMP/gen" && find . -name '*.rdb' | wc -l)" "$(cd "$N" && find . -name '*.rdb' | wc -l)"

# every fixture checks valid, with the checksum verified
for f in "$N"/*.rdb; do
  out=$("$RDBLENS" check "$f" 2>&1); rc=$?
  expect_eq "check $(basename "$f") exit" "$rc" 0
  grep -q '^checksum: ok' <<<"$out" && ok || fail "check $(basename "$f"): no verified checksum"
done

# key counts and types through `keys`
expect_eq "arrays keys" "$("$RDBLENS" keys --type array "$N/redis14_arrays.rdb" | wc -l)" 6
expect_eq "templates keys" "$("$RDBLENS" keys "$N/redis15_hash_templates.rdb" | grep -c '"type":"hash"')" 15
expect_eq "template encodings" "$("$RDBLENS" keys "$N/redis15_hash_templates.rdb" | grep -c 'template-')" 15
expect_eq "valkey 9 profile" "$("$RDBLENS" report --format json "$N/valkey80_hash2.rdb" | python3 -c 'import json,sys; print(json.load(sys.stdin)["source"]["profile"])')" valkey-9.0

# a newer version: refused at offset 5 by default ...
out=$("$RDBLENS" check "$N/refused/future_v16.rdb" 2>&1); rc=$?
expect_eq "v16 check exit" "$rc" 1
grep -q 'offset 5: RDB version 16 (REDIS flavor) is newer than the newest it knows' <<<"$out" && ok || fail "v16 message: $out"
# ... read up to the unknown type with --accept-newer (partial, exit 1)
out=$("$RDBLENS" check --accept-newer "$N/refused/future_v16.rdb" 2>&1); rc=$?
expect_eq "v16 accept exit" "$rc" 1
grep -q 'newer than the newest known: read with --accept-newer' <<<"$out" && ok || fail "v16 format line: $out"
grep -q 'offset 67: unknown value type 40 in a REDIS RDB version 16 file' <<<"$out" && ok || fail "v16 stop: $out"
grep -q '2 keys read before the error' <<<"$out" && ok || fail "v16 partial: $out"
expect_eq "v16 keys" "$("$RDBLENS" keys --accept-newer "$N/refused/future_v16.rdb" 2>/dev/null | wc -l)" 2
"$RDBLENS" keys --accept-newer "$N/refused/future_v16.rdb" >/dev/null 2>&1
expect_eq "v16 keys exit" "$?" 1
json=$("$RDBLENS" report --format json --accept-newer "$N/refused/future_v16.rdb" 2>/dev/null); rc=$?
expect_eq "v16 report exit" "$rc" 1
expect_eq "v16 report keys/status" "$(python3 -c 'import json,sys; d=json.load(sys.stdin); f=d["source"]["files"][0]; print(d["totals"]["keys"], f["status"], f["error"]["offset"])' <<<"$json")" "2 truncated 67"
"$RDBLENS" check --accept-newer "$N/refused/future_v16_known_only.rdb" >/dev/null 2>&1
expect_eq "v16 known-only exit" "$?" 0

# undocumented layouts: named, with the offset, what came before delivered
out=$("$RDBLENS" check "$N/refused/gcra_v15.rdb" 2>&1); rc=$?
expect_eq "gcra exit" "$rc" 1
grep -q 'offset 35: value type 33 (Redis GCRA' <<<"$out" && ok || fail "gcra: $out"
out=$("$RDBLENS" check "$N/refused/path_hash_v81.rdb" 2>&1); rc=$?
expect_eq "path hash exit" "$rc" 1
grep -q 'offset 35: value type 23 (Valkey PATH_HASH' <<<"$out" && ok || fail "path hash: $out"
out=$("$RDBLENS" check "$N/refused/vkcs_lz4.rdb" 2>&1); rc=$?
expect_eq "vkcs exit" "$rc" 1
grep -q 'offset 8: a Valkey VKCS streaming-compression envelope' <<<"$out" && ok || fail "vkcs: $out"

# the estimated profiles say so
out=$("$RDBLENS" profiles)
for p in redis-8.6 redis-8.8 redis-8.10 valkey-9.0; do
  grep -q "^$p .*ESTIMATED" <<<"$out" && ok || fail "profile $p not listed as estimated"
done
finish newer
