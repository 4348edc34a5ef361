#!/usr/bin/env bash
# Fuzz findings kept as regression fixtures (tests/fixtures/fuzz/*.bin,
# named <harness>-<what>.bin; tools/fuzz.sh also seeds that harness with
# them). Each goes through the sanitizer build's check, keys and report:
# exit 0 or 1 (never a signal or 2), no sanitizer report; then what each
# finding must say.
source "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

for f in "$FIX"/fuzz/*.bin; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  case $name in fuzz_rdb_block-*) continue ;; esac  # framed for that harness, not a file
  for cmd in "check" "keys" "report --format json" "report --format text --profile redis-2.8"; do
    # shellcheck disable=SC2086
    "$RDBLENS" $cmd "$f" >"$TMP/out" 2>"$TMP/err"; rc=$?
    if [ $rc -gt 1 ]; then fail "$name: rdblens $cmd exited $rc"; sed 's/^/  /' "$TMP/err" | head -5
    elif grep -qE "runtime error|AddressSanitizer|LeakSanitizer" "$TMP/err"; then
      fail "$name: rdblens $cmd: sanitizer report"; grep -E "runtime error|ERROR" "$TMP/err" | head -3
    else ok; fi
  done
done

# A NaN zset score (binary double, type 5) reached the model's double2ll,
# an undefined conversion; a server refuses such a file ("Zset with NAN
# score detected"), and so do we, with the offset of the score.
f=$FIX/fuzz/fuzz_report-nan-zset-score.bin
"$RDBLENS" check "$f" >"$TMP/out" 2>&1; rc=$?
expect_eq "nan score: check exit" "$rc" 1
if grep -q "offset 113: zset score is NaN" "$TMP/out"; then ok; else fail "nan score: message"; cat "$TMP/out"; fi

# A ctime aux of 84 digits: strtoll saturated and the seconds were multiplied
# by 1000 into a signed overflow (cli/pipeline.c). A ctime that is not a
# count of seconds fitting in milliseconds is now ignored: the reference
# time falls back to the file's mtime.
f=$FIX/fuzz/fuzz_report-ctime-overflow.bin
"$RDBLENS" report --format json "$f" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect_eq "ctime overflow: report exit" "$rc" 1
if grep -q '"reference_basis":"mtime"' "$TMP/out"; then ok; else fail "ctime overflow: reference basis"; grep -o '"reference[^,]*' "$TMP/out"; fi
"$RDBLENS" report --now 9223372036854776 "$f" >"$TMP/out" 2>&1; rc=$?
expect_eq "--now beyond int64 ms: usage error" "$rc" 2

# Hostile inputs found by review rather than by a fuzzer
# (tests/fixtures/hostile/), each with a time limit: the first was a hang.
# A RESIZEDB hint of 2^63+1 keys sent the model's table-size doubling loop
# round forever (analyze/alloc.c next_pow2); a hint no server could allocate
# is now ignored, and the table size saturates.
f=$FIX/hostile/resizedb-2pow63-hint.rdb
for cmd in "check" "keys" "report --format json"; do
  # shellcheck disable=SC2086
  timeout 60 "$RDBLENS" $cmd "$f" >"$TMP/out" 2>"$TMP/err"; rc=$?
  expect_eq "huge RESIZEDB hint: rdblens $cmd exit" "$rc" 0
done
timeout 60 "$RDBLENS" keys --format csv "$f" >"$TMP/out" 2>&1
if grep -q '^0,string,"k",' "$TMP/out"; then ok; else fail "huge RESIZEDB hint: the key"; cat "$TMP/out"; fi

# 200,000 databases, one key each (a 2.4 MB file): every key searched the
# list of databases seen so far, in the pipeline and in the model, so check
# took 16 s and keys/report over a minute. Databases are now found through a
# hash map; well within the limit even under the sanitizers.
python3 - "$TMP/manydb.rdb" <<'PY'
import struct, sys
b = bytearray(b"REDIS0009")
for i in range(200000):
    b += b"\xfe\x80" + struct.pack(">I", i) + b"\x00\x01k\x01v"
b += b"\xff" + bytes(8)
open(sys.argv[1], "wb").write(b)
PY
for cmd in "check" "keys --format csv" "report --format json"; do
  # shellcheck disable=SC2086
  timeout 60 "$RDBLENS" $cmd "$TMP/manydb.rdb" >"$TMP/out" 2>"$TMP/err"; rc=$?
  expect_eq "200k databases: rdblens $cmd exit" "$rc" 0
  case $cmd in
    check) expect_eq "200k databases: db lines" "$(grep -c '^db [0-9]*: 1 keys' "$TMP/out")" 200000 ;;
    keys*) expect_eq "200k databases: key rows" "$(grep -c ',string,"k",' "$TMP/out")" 200000 ;;
    report*) if grep -q '"keys":200000' "$TMP/out"; then ok; else fail "200k databases: report keys"; fi ;;
  esac
done

# Hash floods (tools/hostile/): database numbers and key names chosen so
# that the hash tables' fixed hashes put them all in one slot made every
# lookup a scan: check took 29 s on 160k databases, report 36 s on 250k
# names (2-3 MB files). Both tables now hash with a per-table secret.
python3 "$ROOT/tools/hostile/idmap_flood.py" 80000 "$TMP/idflood.rdb"
python3 "$ROOT/tools/hostile/prefix_flood.py" 100000 "$TMP/pfflood.rdb"
for f in idflood pfflood; do
  for cmd in "check" "report --format json"; do
    # shellcheck disable=SC2086
    timeout 5 "$RDBLENS" $cmd "$TMP/$f.rdb" >"$TMP/out" 2>"$TMP/err"; rc=$?
    expect_eq "$f: rdblens $cmd exit (124: over 5 s, where it takes 0.3)" "$rc" 0
  done
done
# the secret changes nothing printed
"$RDBLENS" report --format json --now 1800000000 "$TMP/pfflood.rdb" >"$TMP/a" 2>&1
"$RDBLENS" report --format json --now 1800000000 "$TMP/pfflood.rdb" >"$TMP/b" 2>&1
if cmp -s "$TMP/a" "$TMP/b"; then ok; else fail "pfflood: two runs print differently"; fi

finish fuzz_regress
