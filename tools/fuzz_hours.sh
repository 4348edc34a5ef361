#!/usr/bin/env bash
# Accumulates fuzzing time per harness in chunks, always feeding the harness
# that has had the least, and keeps a ledger so the hours add up across runs
# and sessions (issue: at least one CPU-hour per harness).
#
#   tools/fuzz_hours.sh run WORKER CHUNK_SECONDS TARGET_SECONDS   loop until every harness has TARGET
#   tools/fuzz_hours.sh table                                     seconds, runs, coverage per harness
#   touch $FUZZ_ROOT/stop                                         workers finish their chunk and exit
#
# (A worker killed in the middle of a chunk leaves no ledger line: its time
# is lost. The stop file ends a run with every chunk counted; a worker
# started while it exists removes it.)
#
# WORKER (a, b, ...) names a private build directory, so two workers can run
# at once; they share the corpora ($FUZZ_ROOT/corpus) and the ledger and never
# feed the same harness at the same time (a lock per harness). Before each
# chunk the worker rebuilds from the tree it runs in (tools/fuzz.sh rebuilds
# what changed), so the code being fuzzed is the code of the moment.
#
# Ledger: $FUZZ_ROOT/ledger.txt, one line per chunk:
#   <utc time> <harness> <seconds> <runs> <cov> <ft> <ok|FOUND> <cpu seconds>
# status: ok, FOUND, harness-bug (the harness, not the code, failed: its
# time is not counted), or pause-artifact (a slow-unit or timeout file
# written while the machine's owner had the fuzzer stopped with SIGSTOP,
# whose input then ran in milliseconds: no finding, its time counted).
# seconds is the chunk's wall time; cpu seconds what the fuzzer process
# used (user + system, '-' in chunks from before it was measured). The
# table shows both: at nice 19 on a shared machine the two differ.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
FUZZ_ROOT=${FUZZ_ROOT:-build/fuzz}
ledger=$FUZZ_ROOT/ledger.txt
mkdir -p "$FUZZ_ROOT/corpus" "$FUZZ_ROOT/locks"
touch "$ledger"

harnesses() {  # every harness tools/fuzz.sh knows (its mods=/all= arrays)
  bash -c 'eval "$(sed -n "/^mods=(/p; /^all=(/,/)$/p" tools/fuzz.sh)"; printf "%s\n" "${all[@]}"'
}

# a chunk cut short by a harness bug (status harness-bug) did not fuzz its time
seconds_of() { awk -v h="$1" '$2 == h && $7 != "harness-bug" { s += $3 } END { print s + 0 }' "$ledger"; }

case "${1:-}" in
table)
  printf '%-22s %8s %8s %8s %14s %8s %8s %s\n' harness wall-min cpu-min unmeas runs cov ft findings
  for h in $(harnesses); do
    # cpu-min: measured CPU; unmeas: wall minutes of chunks without a measure
    awk -v h="$h" '$2 == h && $7 != "harness-bug" { s += $3; r += $4; if ($5 > c) c = $5; if ($6 > f) f = $6; if ($7 == "FOUND") x++
                     if (NF >= 8 && $8 != "-") u += $8; else w += $3 }
      END { printf "%-22s %8.1f %8.1f %8.1f %14d %8d %8d %d\n", h, s / 60, u / 60, w / 60, r, c, f, x }' "$ledger"
  done
  ;;
run)
  worker=${2:?worker}; chunk=${3:-300}; target=${4:-3600}
  export FUZZ_DIR=$FUZZ_ROOT/worker-$worker
  mkdir -p "$FUZZ_DIR"
  [ -e "$FUZZ_DIR/corpus" ] || ln -s ../corpus "$FUZZ_DIR/corpus"
  rm -f "$FUZZ_ROOT/stop"
  while :; do
    [ -e "$FUZZ_ROOT/stop" ] && { echo "fuzz_hours: stopped ($FUZZ_ROOT/stop)"; exit 0; }
    pick=""; best=""
    for h in $(harnesses); do
      [ -e "$FUZZ_ROOT/locks/$h" ] && continue
      s=$(seconds_of "$h")
      [ "$s" -ge "$target" ] && continue
      if [ -z "$best" ] || [ "$s" -lt "$best" ]; then pick=$h; best=$s; fi
    done
    [ -z "$pick" ] && { echo "fuzz_hours: every free harness has ${target}s"; exit 0; }
    mkdir "$FUZZ_ROOT/locks/$pick" 2>/dev/null || continue
    out=$(nice -n 19 tools/fuzz.sh "$chunk" "$pick" 2>&1)
    rc=$?
    rmdir "$FUZZ_ROOT/locks/$pick"
    if [ $rc -eq 2 ]; then echo "fuzz_hours: build failed, retrying in 60 s"; echo "$out" | tail -5; sleep 60; continue; fi
    line=$(grep -a "^fuzz: $pick ok:" <<<"$out")
    runs=$(sed -nE 's/.* ok: ([0-9]+) runs.*/\1/p' <<<"$line")
    cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$line")
    ft=$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$line")
    cpu=$(sed -nE 's/.*cpu: ([0-9]+) s.*/\1/p' <<<"$line")
    status=ok; [ $rc -ne 0 ] && status=FOUND
    echo "$(date -u +%FT%TZ) $pick $chunk ${runs:-0} ${cov:-0} ${ft:-0} $status ${cpu:--}" >>"$ledger"
    [ $status = FOUND ] && { echo "$out" | grep -a -A8 'FOUND'; }
  done
  ;;
*) echo "usage: $0 run WORKER CHUNK TARGET | table" >&2; exit 2 ;;
esac
