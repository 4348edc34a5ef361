#!/usr/bin/env bash
# The progress line (cli/progress.h): under a pseudo-terminal (script(1))
# it appears, with percent and ETA for a file, and is erased at the end;
# in a pipe, with NO_PROGRESS, CI or --no-progress it never appears;
# --progress forces it into a pipe.
source "$(dirname "$0")/lib.sh"
unset CI NO_PROGRESS
export TERM=xterm

# A dump of 200,000 small string keys, each its own prefix (the slowest
# bytes to report on): long enough that the line is drawn (after 0.2 s).
big=$TMP/big.rdb
python3 - "$big" <<'PY'
import struct, sys
def s(b):
    assert len(b) < 64
    return bytes([len(b)]) + b
out = bytearray(b"REDIS0009")
out += b"\xfa" + s(b"ctime") + s(b"1700000000")   # AUX: no note about the reference time
out += b"\xfe\x00"                       # SELECTDB 0
for i in range(200000):
    out += b"\x00" + s(b"k%d:%d:v" % (i * 7919 % 1000003, i)) + s(b"value-%d" % i)
out += b"\xff" + b"\x00" * 8              # EOF, checksum disabled
open(sys.argv[1], "wb").write(out)
PY

# script's output is what the terminal saw: the command's stderr.
in_pty() { script -qec "$1" /dev/null </dev/null; }

t0=$(date +%s%N)
seen=$(in_pty "'$RDBLENS' report --format json '$big' >'$TMP/out.json'" | od -An -c | tr -s ' \n' ' ')
t1=$(date +%s%N)
grep -q '\\r' <<<"$seen" && ok || fail "no progress line on a terminal: $seen"
grep -q 'E T A' <<<"$seen" && ok || fail "no ETA: $seen"
grep -q '%' <<<"$seen" && ok || fail "no percent: $seen"
# the last thing written is the erase: carriage return, ESC [ K
tail=$(in_pty "'$RDBLENS' report --format json '$big' >/dev/null" | od -An -tx1 | tr -d ' \n' | tail -c 8)
expect_eq "line erased at the end" "$tail" "0d1b5b4b"
[ $(((t1 - t0) / 1000000)) -gt 300 ] || echo "note: the run took under 0.3 s"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out.json" && ok || fail "report damaged by progress"

# From a slow pipe (standard input): bytes and MB/s, no percent.
seen=$(in_pty "(head -c 200000 '$big'; sleep 0.6; tail -c +200001 '$big') | '$RDBLENS' check - >/dev/null" | od -An -c | tr -s ' \n' ' ')
grep -q 'B / s' <<<"$seen" && ok || fail "no rate for stdin: $seen"
grep -q 'E T A' <<<"$seen" && fail "ETA without a size: $seen" || ok

# Never: in a pipe, with NO_PROGRESS, CI, --no-progress.
err=$("$RDBLENS" report --format json "$big" 2>&1 >/dev/null | od -c)
grep -q '\\r' <<<"$err" && fail "progress in a pipe: $err" || ok
for env in NO_PROGRESS=1 CI=true; do
  seen=$(in_pty "env $env '$RDBLENS' report --format json '$big' >/dev/null" | od -c)
  grep -q '\\r' <<<"$seen" && fail "progress with $env: $seen" || ok
done
seen=$(in_pty "'$RDBLENS' keys --no-progress '$big' >/dev/null" | od -c)
grep -q '\\r' <<<"$seen" && fail "progress with --no-progress: $seen" || ok
# --progress forces it, even into a file.
(head -c 200000 "$big"; sleep 0.6; tail -c +200001 "$big") | "$RDBLENS" check --progress - >/dev/null 2>"$TMP/err"
grep -q 'B/s' "$TMP/err" && ok || fail "--progress did not force the line: $(od -c "$TMP/err" | head)"
# several files: per file and overall
seen=$(in_pty "'$RDBLENS' report --format json '$big' '$big' >/dev/null" | od -An -c | tr -s ' \n' ' ')
grep -q '\[ 2 / 2 \]' <<<"$seen" && grep -q 'a l l' <<<"$seen" && ok || fail "no per-file and overall progress: $seen"

finish progress
