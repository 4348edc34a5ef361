#!/usr/bin/env bash
# report -j N under ThreadSanitizer: the ThreadSanitizer build
# ($RDBLENS_TSAN, made by make test / make tsan) analyses the corpus dumps
# on 2 and 4 threads; any data race aborts it (halt_on_error), and the
# report must equal the single-threaded one.
source "$(dirname "$0")/lib.sh"
TSAN_BIN=${RDBLENS_TSAN:-$ROOT/build/tsan/rdblens}
if [ ! -x "$TSAN_BIN" ]; then
  fail "no ThreadSanitizer build at $TSAN_BIN (make tsan builds it)"
  finish tsan
  exit 1
fi
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
mapfile -t dumps < <(find "$FIX/corpus" "$FIX/corpus-modules" -name '*.rdb' | sort)
"$TSAN_BIN" report -q -f json "${dumps[@]}" >"$TMP/j1.json" 2>"$TMP/j1.err"; rc=$?
expect_eq "tsan -j 1 exit" "$rc" 0
for j in 2 4; do
  "$TSAN_BIN" report -q -j $j -f json "${dumps[@]}" >"$TMP/j.json" 2>"$TMP/j.err"; rc=$?
  expect_eq "tsan -j $j exit (66: a data race)" "$rc" 0
  [ $rc -ne 0 ] && head -30 "$TMP/j.err"
  cmp -s "$TMP/j1.json" "$TMP/j.json" && ok || fail "tsan -j $j report != -j 1"
done
# a truncated file and an unreadable one among them: the retry and error paths
head -c 70000 "$FIX/corpus/redis-7.4.1/main.rdb" >"$TMP/cut.rdb"
: >"$TMP/empty.rdb"
"$TSAN_BIN" report -q -j 3 -f text "${dumps[@]:0:6}" "$TMP/cut.rdb" "$TMP/empty.rdb" >/dev/null 2>"$TMP/e"; rc=$?
expect_eq "tsan -j 3 with bad inputs: exit" "$rc" 1
grep -q "ThreadSanitizer" "$TMP/e" && fail "data race: $(grep -m3 -A5 WARNING "$TMP/e")" || ok
finish tsan
