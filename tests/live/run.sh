#!/usr/bin/env bash
# Live check against a real redis-server (issue 3, item 6).
#
#   RDBLENS=build/san/rdblens tests/live/run.sh
#
# 1. tools/gen_dataset.py --dataset live: a private redis-server (127.0.0.1,
#    random port, --save '', temporary dir) gets a few hundred keys of every
#    type and encoding, TTLs, binary key names; SAVE; the dump is copied out.
# 2. tools/redisctl.py capture: a FRESH server loads that dump at start-up and
#    we record per key TYPE, OBJECT ENCODING, count, MEMORY USAGE SAMPLES 0,
#    PTTL, PEXPIRETIME, plus INFO memory used_memory (truth.jsonl, meta.json).
# 3. tests/live/compare.py runs `$RDBLENS keys --format jsonl` and
#    `$RDBLENS report --format json` on the dump and asserts against the truth.
#
# Every server is a child of the python step that started it and is stopped by
# its pid, even on failure. Artifacts stay in $LIVE_OUT (default build/live).
# The memory-model checks are mandatory (LIVE_REQUIRE_MEMORY=0 turns them into skips).
# Last line: "live: N passed, N failed, N skipped"; exit 0 only when none failed.
set -uo pipefail
export PYTHONDONTWRITEBYTECODE=1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2

RDBLENS=${RDBLENS:-build/rel/rdblens}
out=${LIVE_OUT:-build/live}
seed=${LIVE_SEED:-1}
start=$EPOCHREALTIME

finish() { # $1 = message
  echo "live: $1"
  echo "live: 0 passed, 1 failed, 0 skipped"
  exit 1
}

command -v redis-server >/dev/null || finish "redis-server not found (tools/deps.sh test installs it)"
command -v python3 >/dev/null || finish "python3 not found"
[ -x "$RDBLENS" ] || finish "rdblens binary '$RDBLENS' not found (set RDBLENS)"

mkdir -p "$out" || finish "cannot create $out"
rm -f "$out/live.rdb" "$out/gen-meta.json" "$out/truth.jsonl" "$out/meta.json"

# Run one python step in the background so that a TERM/INT to this script can
# be passed on to it (it then stops its server before exiting).
child=
# shellcheck disable=SC2317  # called by the trap
on_signal() {
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi
  echo "live: interrupted"
  echo "live: 0 passed, 1 failed, 0 skipped"
  exit 130
}
trap on_signal INT TERM HUP
step() {
  "$@" &
  child=$!
  wait "$child"
  local rc=$?
  child=
  return $rc
}

step python3 tools/gen_dataset.py --dataset live --seed "$seed" --out "$out/live.rdb" \
  --meta "$out/gen-meta.json" || finish "dataset generation failed"
# Skiplist sizes depend on random levels drawn at load: also average them over
# 30 reloads, so that a 1-member skiplist cannot fail the 5 % check by chance.
step python3 tools/redisctl.py capture "$out/live.rdb" --jsonl "$out/truth.jsonl" \
  --meta "$out/meta.json" --skiplist-reloads 30 || finish "truth capture (reload of the dump) failed"
echo "live: dataset + reload truth in $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}') s; artifacts in $out"
step python3 tests/live/compare.py --name live --rdblens "$RDBLENS" --dump "$out/live.rdb" \
  --truth "$out/truth.jsonl" --meta "$out/meta.json"
exit $?
