#!/usr/bin/env bash
# report's two threads (parse + model | aggregate, cli/recqueue.c): the
# record queue stressed on its own (RECQ_STRESS: its AddressSanitizer and
# ThreadSanitizer builds), and the report with --threads 2 equal to
# --threads 1, byte for byte with the same exit code, on every fixture dump,
# several at once and damaged ones, run by the ThreadSanitizer build
# (RDBLENS_TSAN; `make tsan` and `make test` set both).
source "$(dirname "$0")/lib.sh"
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66}
NOW=(--now 1700000000)

for bin in ${RECQ_STRESS:-}; do
  if "$bin" >"$TMP/stress.out" 2>&1; then ok; else fail "$bin"; tail -5 "$TMP/stress.out"; fi
done

# same BIN ARGS...: one report with one and with two threads
same() {
  local bin=$1; shift
  "$bin" report --format json "${NOW[@]}" --threads 1 "$@" >"$TMP/1.json" 2>"$TMP/1.err"; local a=$?
  "$bin" report --format json "${NOW[@]}" --threads 2 "$@" >"$TMP/2.json" 2>"$TMP/2.err"; local b=$?
  if [ $a -eq $b ] && cmp -s "$TMP/1.json" "$TMP/2.json" && cmp -s "$TMP/1.err" "$TMP/2.err"; then
    ok
  else
    fail "--threads 2 differs from --threads 1 (exit $a vs $b): $bin $*"
    diff "$TMP/1.err" "$TMP/2.err" | head -10
  fi
}

tsan=${RDBLENS_TSAN:-}
if [ -z "$tsan" ] || [ ! -x "$tsan" ]; then
  echo "threads: no ThreadSanitizer build (RDBLENS_TSAN), report runs skipped"
  tsan=""
fi
if [ -n "$tsan" ]; then
  while IFS= read -r f; do
    same "$tsan" "$f"
  done < <(find "$FIX" -name '*.rdb' -not -path '*/fuzz/*' | sort)
  mapfile -t mains < <(find "$FIX/corpus" -name 'main.rdb' | sort)
  same "$tsan" "${mains[@]}" "$FIX/sample.rdb"
  same "$tsan" --walk-all "$FIX/sample.rdb"
  same "$tsan" --format text --rows 5 "$FIX/sample.rdb"
  # damaged files: the shallow run gives up and starts over walking all
  while IFS= read -r f; do
    same "$tsan" "$f"
  done < <(find "$FIX/fuzz" -type f | sort | head -40)
  # Early re-reads (cli/reread.c): the heavy fixture's list and streams
  # are read on a third thread during the parse; under ThreadSanitizer, in
  # runs equal to --threads 1, and at least once in five runs it got to one
  # (it is best effort: a key it did not reach is read at the end).
  heavy=$FIX/heavy/redis-7.0.15-heavy.rdb
  "$tsan" report --format json "${NOW[@]}" --threads 1 "$heavy" >"$TMP/h1.json" 2>/dev/null
  early=0
  for i in 1 2 3 4 5; do
    RDBLENS_TRACE_REREAD=1 "$tsan" report --format json "${NOW[@]}" "$heavy" >"$TMP/h2.json" 2>"$TMP/h2.err"; rc=$?
    expect_eq "heavy run $i exit (66: a data race)" "$rc" 0
    cmp -s "$TMP/h1.json" "$TMP/h2.json" && ok || fail "heavy run $i differs from --threads 1"
    n=$(sed -nE 's/.*, ([0-9]+) of them early$/\1/p' "$TMP/h2.err")
    early=$((early + ${n:-0}))
  done
  [ "$early" -gt 0 ] && ok || fail "no early re-read in five runs of $heavy"
  # A dump larger than the checksum helper's steps (rdb/trail.c, a 12 MiB
  # string): the CRC the helper thread computes is the parser's own
  # (stderr names it while the stored one differs), and once it is the
  # stored one both thread counts call the file sound.
  python3 - "$TMP/big.rdb" <<'EOF'
import struct, sys
big = bytes((i * 7) & 0xff for i in range(256)) * (48 << 10)
enc = lambda b: bytes([len(b)]) + b if len(b) < 64 else b"\x80" + struct.pack(">I", len(b)) + b
rdb = b"REDIS0009\xfe\x00" + b"\x00" + enc(b"big") + enc(big) + b"\x00" + enc(b"small") + enc(b"x")
open(sys.argv[1], "wb").write(rdb + b"\xff" + struct.pack("<Q", 1))
EOF
  same "$tsan" "$TMP/big.rdb"
  crc=$(sed -nE 's/.*computed ([0-9a-f]{16})\).*/\1/p' "$TMP/1.err")
  expect_eq "the helper's CRC is printed" "${#crc}" 16
  python3 -c 'import sys; f=open(sys.argv[1],"r+b"); f.seek(-8,2); f.write(int(sys.argv[2],16).to_bytes(8,"little"))' \
    "$TMP/big.rdb" "$crc"
  "$tsan" report --format json "${NOW[@]}" --threads 2 "$TMP/big.rdb" >"$TMP/big.json" 2>/dev/null; rc=$?
  expect_eq "big dump, stored CRC right, exit" "$rc" 0
  grep -q '"checksum":"ok"' "$TMP/big.json" && ok || fail "the helper's CRC is not the stored one"
  # the option itself
  "$tsan" report --threads 3 "$FIX/sample.rdb" >/dev/null 2>"$TMP/e"; rc=$?
  expect_eq "--threads 3 exit" "$rc" 2
fi
finish threads
