#!/usr/bin/env bash
# The HTML report (`rdblens report --format html`) in a real browser:
# Debian's headless Chromium runs the page of a corpus dump, of two dumps in
# one report (per-file panels) and of a dump of hostile key names written by
# a private redis-server (tests/scripts/html_check.py says what is checked).
# Then the size of the bigkeys corpus dumps' pages (100k keys each), which
# must stay under 2 MB, when ../shared is present.
#
# Pages and screenshots stay in $HTML_OUT (default build/html) to look at.
# No Chromium is a failure with the reason, never a skip.
source "$(dirname "$0")/lib.sh"
out=${HTML_OUT:-$ROOT/build/html}
mkdir -p "$out" || { fail "cannot create $out"; finish html; exit 1; }
export CHROMIUM=${CHROMIUM:-chromium}

# Adds a checker's "NAME: N passed, N failed" line to this suite's counts.
run_check() {
  local log="$TMP/check.log" line p f
  python3 "$ROOT/tests/scripts/html_check.py" "$@" >"$log" 2>&1
  cat "$log"
  line=$(grep -aE '^html-[a-z]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then fail "html_check.py $1 ended without a result"; return; fi
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  PASS=$((PASS + p)) FAIL=$((FAIL + f))
}

if ! command -v "$CHROMIUM" >/dev/null; then
  fail "$CHROMIUM not found: the HTML report cannot be tested (tools/deps.sh test installs Debian's chromium)"
else
  run_check corpus "$RDBLENS" "$out" corpus "$FIX/sample.rdb"
  run_check corpus "$RDBLENS" "$out" lfu "$FIX/corpus/redis-7.4.1/lfu.rdb"
  run_check corpus "$RDBLENS" "$out" shards "$FIX/corpus/redis-7.0.15/main.rdb" \
    "$FIX/corpus/redis-7.4.1/main.rdb"
  # --info: the live server's view; the saved INFO as it is (below the
  # prediction), and with 6 MB more used_memory, 1 MB of it client buffers
  run_check corpus "$RDBLENS" "$out" live --info "$FIX/info/redis-7.4.1-main.info" \
    "$FIX/corpus/redis-7.4.1/main.rdb"
  python3 - "$FIX/info/redis-7.4.1-main.info" >"$TMP/bigger.info" <<'PY'
import re, sys
more = {"used_memory": 6000000, "mem_clients_normal": 1000000}
for line in open(sys.argv[1]):
    m = re.match(r"(\w+):(\d+)(\s*)$", line)
    if m and m.group(1) in more:
        line = "%s:%d%s" % (m.group(1), int(m.group(2)) + more[m.group(1)], m.group(3))
    sys.stdout.write(line)
PY
  grep -q '^used_memory:7457632' "$TMP/bigger.info" && ok || fail "could not make the bigger INFO"
  run_check corpus "$RDBLENS" "$out" livebig --info "$TMP/bigger.info" "$FIX/corpus/redis-7.4.1/main.rdb"
  run_check corpus "$RDBLENS" "$out" cluster --shards 3 "$FIX/corpus-cluster/redis-7.4.1/cluster-main.rdb"
  run_check hostile "$RDBLENS" "$out"
fi

# Size: what is shown (top-N, the prefix tree), not the dump.
shared=$ROOT/../shared/corpus
if compgen -G "$shared/*/bigkeys*.rdb" >/dev/null; then
  for d in "$shared"/*/bigkeys*.rdb; do
    v=$(basename "$(dirname "$d")")
    if "$RDBLENS" report --format html -o "$out/bigkeys-$v.html" "$d" 2>"$TMP/err"; then
      size=$(stat -c %s "$out/bigkeys-$v.html")
      echo "size: $v/$(basename "$d"): $size bytes"
      [ "$size" -lt 2097152 ] && ok || fail "$v bigkeys page is $size bytes, over 2 MB"
    else
      fail "report --format html on $d: $(head -c 300 "$TMP/err")"
    fi
  done
else
  echo "size: skipped, no ../shared/corpus/*/bigkeys*.rdb here"
fi
finish html
