# lib.sh: a few helpers for the end-to-end script suites (sourced).
# Each suite ends with `finish NAME`, printing "NAME: N passed, N failed".
PASS=0 FAIL=0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RDBLENS=${RDBLENS:-$ROOT/build/san/rdblens}
FIX=$ROOT/tests/fixtures
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

ok()   { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
# expect_eq WHAT GOT WANT
expect_eq() { if [ "$2" == "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi; }
finish() { echo "$1: $PASS passed, $FAIL failed"; [ "$FAIL" -eq 0 ]; }
