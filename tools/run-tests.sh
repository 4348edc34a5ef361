#!/usr/bin/env bash
# Runs every test suite and prints one closing line "N passed, N failed".
#   tools/run-tests.sh BINARY...     Criterion test binaries (built by make test)
# Then the script suites: tests/scripts/*.sh (end-to-end runs of the binary:
# truncation / bit-flip sweeps) and tests/live/run.sh (a real redis-server).
# Each script prints "<name>: N passed, N failed" as its last line.
# Environment: RDBLENS (sanitizer build of the CLI), RDBLENS_REL (release build).
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0 failed=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

count_synthesis() {  # $1 = output file; adds Criterion's counts
  local line t p
  line=$(grep -a 'Synthesis: Tested:' "$1" | tail -n 1)
  if [ -z "$line" ]; then failed=$((failed + 1)); return; fi
  t=$(sed -E 's/.*Tested: ([0-9]+).*/\1/' <<<"$line")
  p=$(sed -E 's/.*Passing: ([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + t - p))
}

count_plain() {  # $1 = output file, "name: N passed, N failed"
  local line
  line=$(grep -aE '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  if [ -z "$line" ]; then failed=$((failed + 1)); return; fi
  passed=$((passed + $(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for bin in "$@"; do
  name=$(basename "$bin")
  echo "== $name"
  "$bin" --jobs 2 >"$tmp/out" 2>&1
  rc=$?
  grep -aE '^\[(FAIL|----)\]|Synthesis|ERROR|runtime error' "$tmp/out" | tail -n 60
  count_synthesis "$tmp/out"
  [ $rc -ne 0 ] && ! grep -q 'Failing: [1-9]\|Crashing: [1-9]' "$tmp/out" && failed=$((failed + 1))
done
for script in tests/scripts/*.sh tests/live/run.sh; do
  [ -x "$script" ] || continue
  echo "== $script"
  "$script" >"$tmp/out" 2>&1
  rc=$?
  tail -n 40 "$tmp/out"
  count_plain "$tmp/out"
  [ $rc -ne 0 ] && ! grep -qE ' [1-9][0-9]* failed' "$tmp/out" && failed=$((failed + 1))
done
echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
