#!/usr/bin/env bash
# cli_contract.sh: the command line as scripts depend on it (man rdblens,
# "EXIT STATUS" and "OUTPUT"): checked writes, errors before output, option
# ranges and their messages, units and times, the same filters on keys and
# report, colour rules under a pseudo-terminal, stdin size, AOF honesty, and
# help / man page / completions agreeing with the option table.
source "$(dirname "$0")/lib.sh"
C=$FIX/corpus
S=$FIX/sample.rdb
REL=${RDBLENS_REL:-$ROOT/build/rel/rdblens}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$2"; }

# ---- 1. every write is checked ---------------------------------------------
full_case() {  # WHAT ARGS...: must exit 1 with one "writing standard output" line
  local what=$1; shift
  "$RDBLENS" "$@" >/dev/full 2>"$TMP/err"; local rc=$?
  expect_eq "/dev/full: $what exit" "$rc" 1
  if grep -q "^rdblens.*: writing standard output: No space left on device$" "$TMP/err"; then ok
  else fail "/dev/full: $what message: $(head -3 "$TMP/err")"; fi
}
full_case "keys jsonl" keys "$S"
full_case "keys csv" keys -f csv "$S"
full_case "check" check "$S"
full_case "check json" check -f json "$S"
full_case "report text" report "$S"
full_case "report json" report -f json "$S"
full_case "report md" report -f md "$S"
full_case "profiles" profiles
full_case "profiles json" profiles -f json
full_case "report --help" report --help
full_case "help report" help report
full_case "--help" --help
full_case "--version" --version
full_case "completion" completion bash
# A failed write stops the parse: keys to a full disk does not read on
"$RDBLENS" keys "$C"/redis-7.0.15/main.rdb >/dev/full 2>"$TMP/err"
expect_eq "/dev/full: one message" "$(wc -l <"$TMP/err")" 1

# -o: an I/O failure is exit 1, not a usage error; the file appears whole or not at all
"$RDBLENS" report -o /nonexistent/dir/r.txt "$S" 2>"$TMP/err"; rc=$?
expect_eq "-o missing dir exit" "$rc" 1
grep -q '^rdblens report: writing /nonexistent/dir/r.txt: No such file or directory$' "$TMP/err" && ok \
  || fail "-o missing dir message: $(cat "$TMP/err")"
mkdir -p "$TMP/out"
"$RDBLENS" report -f json -o "$TMP/out/r.json" "$S"; rc=$?
expect_eq "-o exit" "$rc" 0
"$RDBLENS" report -f json "$S" >"$TMP/stdout.json"
cmp -s "$TMP/out/r.json" "$TMP/stdout.json" && ok || fail "-o differs from stdout"
expect_eq "-o leaves no temporary file" "$(ls -A "$TMP/out")" "r.json"
expect_eq "-o file mode follows umask" "$(umask 022; "$RDBLENS" profiles -o "$TMP/out/p.txt"; stat -c %a "$TMP/out/p.txt")" 644
echo "old" >"$TMP/out/keep.txt"
"$RDBLENS" report -o "$TMP/out/keep.txt" README.md 2>/dev/null  # unreadable input: no report
expect_eq "-o untouched when nothing is reported" "$(cat "$TMP/out/keep.txt")" "old"
expect_eq "-o no temporary file after a failure" "$(ls -A "$TMP/out" | tr '\n' ' ')" "keep.txt p.txt r.json "
# a truncated dump: the partial report is written (and says so), exit 1
head -c 100000 "$S" >"$TMP/trunc.rdb"
"$RDBLENS" report -f json -o "$TMP/out/t.json" "$TMP/trunc.rdb" 2>/dev/null; rc=$?
expect_eq "-o truncated exit" "$rc" 1
expect_eq "-o truncated report kept, marked" "$(json 'd["source"]["files"][0]["status"]' "$TMP/out/t.json")" truncated
# -o to a device is written in place, never replaced by a rename
"$RDBLENS" report -o /dev/null "$S"; expect_eq "-o /dev/null exit" $? 0
[ -c /dev/null ] && ok || fail "/dev/null is no longer a device"
# an interrupted run leaves no file behind: keys streams into the temporary
# file while it reads a FIFO; SIGTERM must remove it
mkfifo "$TMP/fifo"
"$REL" keys -o "$TMP/out/int.jsonl" "$TMP/fifo" 2>/dev/null & pid=$!
exec 9>"$TMP/fifo"; head -c 60000 "$S" >&9; sleep 0.5
expect_eq "keys -o writes a temporary file first" "$(ls -A "$TMP/out" | grep -c '^\.int.jsonl\.')" 1
kill -TERM $pid; exec 9>&-; wait $pid 2>/dev/null
expect_eq "interrupted -o leaves nothing" "$(ls -A "$TMP/out" | grep -c int)" 0
# a closed pipe ends quietly with SIGPIPE's status (output well past a pipe buffer)
set +o pipefail
many=(); for i in $(seq 300); do many+=("$S"); done
"$REL" check "${many[@]}" 2>"$TMP/err" | head -1 >/dev/null
rc=${PIPESTATUS[0]}
expect_eq "| head exit" "$rc" 141
expect_eq "| head quiet" "$(cat "$TMP/err")" ""

# ---- 2. errors before output ----------------------------------------------
: >"$TMP/empty.rdb"
err_case() {  # WHAT WANT_STDERR_REGEX CMD ARGS...
  local what=$1 want=$2; shift 2
  "$RDBLENS" "$@" >"$TMP/o" 2>"$TMP/err"; local rc=$?
  expect_eq "$what: exit" "$rc" 1
  expect_eq "$what: nothing on stdout" "$(wc -c <"$TMP/o")" 0
  expect_eq "$what: one line" "$(wc -l <"$TMP/err")" 1
  grep -qE "$want" "$TMP/err" && ok || fail "$what: $(cat "$TMP/err")"
}
for cmd in report keys; do
  err_case "$cmd missing" "^rdblens $cmd: cannot open /nonexistent.rdb: No such file or directory$" $cmd /nonexistent.rdb
  err_case "$cmd empty" "^rdblens $cmd: .*empty.rdb: not an RDB file: the input is empty \(0 bytes\)$" $cmd "$TMP/empty.rdb"
  err_case "$cmd not rdb" "^rdblens $cmd: README.md: not an RDB file: expected magic REDIS or VALKEY" $cmd README.md
  err_case "$cmd stdin empty" "^rdblens $cmd: -: not an RDB file: the input is empty" $cmd - </dev/null
done
err_case "keys csv not rdb" "not an RDB file" keys -f csv README.md
err_case "report json not rdb" "not an RDB file" report -f json README.md
# several files: the readable ones are reported, the others named
"$RDBLENS" report -f json "$S" README.md /nonexistent.rdb >"$TMP/multi.json" 2>"$TMP/err"; rc=$?
expect_eq "multi exit" "$rc" 1
expect_eq "multi statuses" "$(json '[f["status"] for f in d["source"]["files"]]' "$TMP/multi.json")" \
  "['complete', 'unreadable', 'unreadable']"
expect_eq "multi keys from the readable one" "$(json 'd["totals"]["keys"]' "$TMP/multi.json")" 104
expect_eq "multi stderr names both" "$(grep -c 'README.md\|nonexistent' "$TMP/err")" 2

# ---- 3. option values ------------------------------------------------------
range_case() {  # CMD OPTION VALUE WANT
  "$RDBLENS" "$1" "$2" "$3" "$S" >/dev/null 2>"$TMP/err"; local rc=$?
  expect_eq "$1 $2 $3: exit" "$rc" 2
  expect_eq "$1 $2 $3: message" "$(cat "$TMP/err")" "$4"
}
range_case report --top 0 "rdblens report: --top must be between 1 and 100000 (got 0)"
range_case report --top 100001 "rdblens report: --top must be between 1 and 100000 (got 100001)"
range_case report --prefix-depth 0 "rdblens report: --prefix-depth must be between 1 and 64 (got 0)"
range_case report --prefix-depth 99 "rdblens report: --prefix-depth must be between 1 and 64 (got 99)"
range_case report --prefix-budget 10 "rdblens report: --prefix-budget must be between 1000 and 50000000 (got 10)"
range_case report --rows 1000001 "rdblens report: --rows must be between 0 and 1000000 (got 1000001)"
range_case report --big-elements 0 "rdblens report: --big-elements must be at least 1 (got 0)"
range_case report --big-bytes 0 "rdblens report: --big-bytes must be at least 1 byte (got 0)"
range_case keys --db 4294967296 "rdblens keys: --db must be between 0 and 4294967295 (got 4294967296)"
range_case report --top x "rdblens report: --top takes a whole number (got 'x')"
range_case keys --min-bytes 1Q \
  "rdblens keys: --min-bytes takes a size such as 512, 64K, 10MiB or 1.5GB (units are binary: K = 1024) (got '1Q')"
range_case report --now yesterday \
  "rdblens report: --now takes Unix seconds, Unix milliseconds or an ISO-8601 time such as 2026-12-03T10:00:00Z (got 'yesterday')"
range_case keys --type sets \
  "rdblens keys: --type takes one or more of string, list, set, zset, hash, stream, module, array, separated by commas (got 'sets')"
range_case keys --format xml "rdblens keys: --format takes jsonl or csv (got 'xml')"
range_case report --format yaml "rdblens report: --format takes text, json, md, csv, prom or html (got 'yaml')"
range_case report --color sometimes "rdblens report: --color takes auto, always or never (got 'sometimes')"
"$RDBLENS" report --frobnicate "$S" >/dev/null 2>"$TMP/err"; rc=$?
expect_eq "unknown option exit" "$rc" 2
expect_eq "unknown option message" "$(cat "$TMP/err")" "rdblens report: unknown option '--frobnicate'
try 'rdblens report --help'"
"$RDBLENS" keys "$S" "$S" >/dev/null 2>"$TMP/err"; expect_eq "keys two files exit" $? 2
"$RDBLENS" report >/dev/null 2>"$TMP/err"; expect_eq "report no file exit" $? 2
expect_eq "report no file message" "$(head -1 "$TMP/err")" "rdblens report: no FILE given"
# every numeric option of --help states its range
for cmd in keys check report profiles; do
  "$RDBLENS" $cmd --help >"$TMP/help"
  # wrapped lines: the range may sit on the next line, so check per option block
  for opt in $(grep -oE -- '--[a-z-]+ (N|SIZE)( |$)' "$TMP/help" | awk '{print $1}'); do
    block=$(awk -v o="$opt" '$0 ~ "--"substr(o,3)" " {p=1} p && /^ +(-[a-zA-Z], )?--/ && $0 !~ "--"substr(o,3)" " {p=0} p' "$TMP/help")
    grep -qE '[0-9]+-[0-9]+|at least [0-9]+|no minimum' <<<"$block" || [[ $opt == --min-* ]] || [[ $opt == --db ]] \
      && ok || fail "$cmd $opt: no range in --help"
  done
done

# ---- units and times: different spellings, the same answer ----------------
"$RDBLENS" report -f json --min-bytes 1048576 "$S" >"$TMP/a.json"
for v in 1M 1m 1MB 1MiB "1 MiB" 1024K 0.0009765625G; do
  "$RDBLENS" report -f json --min-bytes "$v" "$S" >"$TMP/b.json"
  expect_eq "--min-bytes $v" "$(json 'd["totals"]' "$TMP/b.json")" "$(json 'd["totals"]' "$TMP/a.json")"
done
expect_eq "--min-bytes 1M echo" "$(json 'd["source"]["filters"]["min_bytes"]' "$TMP/a.json")" 1048576
"$RDBLENS" report -f json --now 1795256331 "$S" >"$TMP/a.json"
for v in 1795256331000 2026-11-21T10:18:51Z "2026-11-21 11:18:51+01:00"; do
  "$RDBLENS" report -f json --now "$v" "$S" >"$TMP/b.json" 2>/dev/null
  expect_eq "--now $v" "$(json '(d["source"]["reference_time_ms"], d["ttl"])' "$TMP/b.json")" \
    "$(json '(d["source"]["reference_time_ms"], d["ttl"])' "$TMP/a.json")"
done
"$RDBLENS" report --now 1795256331000 "$S" 2>&1 >/dev/null | grep -q 'read as Unix milliseconds: 2026-11-21T10:18:51' \
  && ok || fail "--now milliseconds not said"

# ---- 4. the same filters on keys and report ---------------------------------
filter_case() {  # FILTER ARGS...: keys' records and report's totals agree
  "$RDBLENS" keys "$@" "$S" >"$TMP/k.jsonl" 2>/dev/null
  "$RDBLENS" report -f json --top 100000 "$@" "$S" >"$TMP/r.json" 2>/dev/null
  python3 - "$TMP/k.jsonl" "$TMP/r.json" "$*" <<'EOF' && ok || fail "filters $*"
import json, sys
keys = [json.loads(l) for l in open(sys.argv[1])]
r = json.load(open(sys.argv[2]))
names = sorted((k["db"], k["key"]) for k in keys)
top = sorted((k["db"], k["key"]) for k in r["top_keys"]["by_bytes"])
got = (len(keys), sum(k.get("bytes", 0) for k in keys), names)
want = (r["totals"]["keys"], r["totals"]["bytes"], top)
if got != want or (not keys and "--match nomatch" not in sys.argv[3]):
    print(f"keys {got[:2]} report {want[:2]} ({sys.argv[3]})"); sys.exit(1)
EOF
}
filter_case --db 0
filter_case --db 15
filter_case --type hash,zset
filter_case --match 'str:*'
filter_case --regex '^(set|zset):.*large'
filter_case --regex '(?i)^HASH:'
filter_case --min-bytes 1K
filter_case --min-elements 100
filter_case --expiry none
filter_case --expiry any
filter_case --expiry 0..1h
filter_case --expiry 1d..
filter_case --expiry ..2026-12-01
filter_case --db 0 --type string --min-bytes 100 --expiry none --match '*:*'
filter_case --match nomatch
"$RDBLENS" report --match 'user:\d+' --regex 'a\d' "$S" >"$TMP/r.txt" 2>/dev/null
grep -qF 'match=user:\d+ regex=a\d' "$TMP/r.txt" && ok || fail "patterns echoed as typed: $(grep filters "$TMP/r.txt")"
"$RDBLENS" report -f json --match 'user:\d+' "$S" >"$TMP/r.json"
expect_eq "json echo of the pattern" "$(json 'd["source"]["filters"]["match"]' "$TMP/r.json")" 'user:\d+'

# ---- 5. standard input and AOF honesty ---------------------------------------
cat "$S" | "$RDBLENS" report -f json - >"$TMP/r.json"
expect_eq "stdin size" "$(json 'd["source"]["files"][0]["size"]' "$TMP/r.json")" "$(stat -c %s "$S")"
AOF=$C/redis-6.2.16/aof-preamble.aof
"$RDBLENS" report -f json "$AOF" >"$TMP/r.json"
tail_bytes=$(json 'd["source"]["files"][0]["aof"]["tail_bytes"]' "$TMP/r.json")
rdb_bytes=$(json 'd["source"]["files"][0]["rdb_bytes"]' "$TMP/r.json")
expect_eq "aof tail bytes" "$((tail_bytes + rdb_bytes))" "$(stat -c %s "$AOF")"
want_cmds=$(python3 - "$AOF" "$rdb_bytes" <<'EOF'
import sys
b = open(sys.argv[1], "rb").read()[int(sys.argv[2]):]
i = n = 0
while i < len(b):                      # an independent RESP walk
    assert b[i:i+1] == b"*", b[i:i+10]
    j = b.index(b"\r\n", i); items = int(b[i+1:j]); i = j + 2; n += 1
    for _ in range(items):
        j = b.index(b"\r\n", i); ln = int(b[i+1:j]); i = j + 2 + ln + 2
print(n)
EOF
)
expect_eq "aof tail commands" "$(json 'd["source"]["files"][0]["aof"]["tail_commands"]' "$TMP/r.json")" "$want_cmds"
"$RDBLENS" report "$AOF" | grep -q "^  aof: the RDB part only: .* ($want_cmds commands) of AOF after it not applied" \
  && ok || fail "aof tail in text"
cat "$AOF" | "$RDBLENS" report -f json - >"$TMP/r.json"
expect_eq "aof on stdin: size" "$(json 'd["source"]["files"][0]["size"]' "$TMP/r.json")" "$(stat -c %s "$AOF")"
expect_eq "aof on stdin: tail bytes" "$(json 'd["source"]["files"][0]["aof"]["tail_bytes"]' "$TMP/r.json")" "$tail_bytes"
mkdir -p "$TMP/aofdir"
cp "$C"/redis-7.0.15/aof-preamble.manifest "$TMP/aofdir/appendonly.aof.manifest"
cp "$C"/redis-7.0.15/aof-preamble.base.rdb "$TMP/aofdir/appendonly.aof.2.base.rdb"
cp "$C"/redis-7.0.15/aof-preamble.incr.aof "$TMP/aofdir/appendonly.aof.2.incr.aof"
"$RDBLENS" report -f json "$TMP/aofdir" >"$TMP/r.json"
expect_eq "aof dir: incremental" "$(json '[d["source"]["files"][0]["aof"][k] for k in ("incremental_files","incremental_bytes")]' "$TMP/r.json")" \
  "[1, $(stat -c %s "$C"/redis-7.0.15/aof-preamble.incr.aof)]"
"$RDBLENS" report "$TMP/aofdir" | grep -q 'and 1 incremental AOF file (268 B, [0-9]* commands) not applied' \
  && ok || fail "aof dir in text: $("$RDBLENS" report "$TMP/aofdir" | grep aof)"

# ---- 6. terminal manners -----------------------------------------------------
pty() { script -qec "$1" /dev/null; }  # runs $1 with a pseudo-terminal as stdout
esc=$'\033'
out=$(TERM=xterm pty "$REL report --rows 3 $S")
grep -q "$esc\[" <<<"$out" && ok || fail "a terminal gets colour"
out=$(TERM=xterm NO_COLOR=1 pty "$REL report --rows 3 $S")
grep -q "$esc\[" <<<"$out" && fail "NO_COLOR ignored" || ok
out=$(TERM=dumb pty "$REL report --rows 3 $S")
grep -q "$esc\[" <<<"$out" && fail "TERM=dumb ignored" || ok
out=$(TERM=xterm NO_COLOR=1 pty "$REL report --color always --rows 3 $S")
grep -q "$esc\[" <<<"$out" && ok || fail "--color always beats NO_COLOR"
"$REL" report --rows 3 "$S" | grep -q "$esc\[" && fail "colour into a pipe" || ok
"$REL" check "$FIX"/peer/librdb/invalid_chksum_v8.rdb >/dev/null 2>&1
out=$(TERM=xterm pty "$REL check $FIX/peer/librdb/invalid_chksum_v8.rdb")
grep -q "$esc\[1;31mMISMATCH" <<<"$out" && ok || fail "checksum mismatch not highlighted"
out=$("$RDBLENS" check "$C"/redis-7.0.15/main.rdb)
grep -qE '^aux ctime: [0-9]+ \(20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z\)$' <<<"$out" && ok || fail "check ctime as ISO-8601"
"$RDBLENS" check "$C"/redis-7.0.15/main.rdb -q >"$TMP/o"; expect_eq "check -q quiet" "$?:$(wc -c <"$TMP/o")" "0:0"
head -c 3000 "$S" >"$TMP/cut.rdb"
"$RDBLENS" check "$TMP/cut.rdb" 2>&1 | grep -qE "type [0-9]+ [a-z0-9-]+\)" && ok || fail "errors name the type"

# ---- 7. help, man page, completions agree with the option table -------------
for cmd in keys check report profiles; do
  a=$("$RDBLENS" help $cmd); b=$("$RDBLENS" $cmd --help)
  [ "$a" == "$b" ] && ok || fail "help $cmd differs from $cmd --help"
  "$RDBLENS" $cmd --version | grep -q '^rdblens [0-9]' && ok || fail "$cmd --version"
done
"$RDBLENS" __options >"$TMP/opts"
[ "$(wc -l <"$TMP/opts")" -gt 40 ] && ok || fail "__options lists too few"
while read -r cmd long short; do
  "$RDBLENS" $cmd --help | grep -qE -- "(^|[ ,])$long( |$)" && ok || fail "$cmd --help lacks $long"
  grep -qF -- "$(sed 's/-/\\-/g' <<<"$long")" "$ROOT/docs/rdblens.1" && ok || fail "man page lacks $long"
  [ -z "$short" ] || grep -qF -- "\\$short" "$ROOT/docs/rdblens.1" && ok || fail "man page lacks $short"
done <"$TMP/opts"
make -s -C "$ROOT" install DESTDIR="$TMP/stage" PREFIX=/usr >/dev/null 2>"$TMP/err" && ok || fail "make install DESTDIR: $(cat "$TMP/err")"
for f in usr/bin/rdblens usr/share/man/man1/rdblens.1 usr/share/bash-completion/completions/rdblens \
         usr/share/zsh/site-functions/_rdblens; do
  [ -f "$TMP/stage/$f" ] && ok || fail "not installed: $f"
done
MANWIDTH=80 man -l "$TMP/stage/usr/share/man/man1/rdblens.1" 2>"$TMP/err" >"$TMP/man.txt"
grep -q "EXIT STATUS" "$TMP/man.txt" && [ ! -s "$TMP/err" ] && ok || fail "man -l: $(head -3 "$TMP/err")"
complete_words() {  # LINE: what bash completion offers for the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _rdblens; echo "${COMPREPLY[*]}"' \
    _ "$TMP/stage/usr/share/bash-completion/completions/rdblens" "$@"
}
expect_eq "complete command" "$(complete_words rdblens rep)" "report"
expect_eq "complete --form" "$(complete_words rdblens report --form)" "--format"
expect_eq "complete format" "$(complete_words rdblens report --format '')" "text json md csv prom html"
expect_eq "complete keys format" "$(complete_words rdblens keys -f '')" "jsonl csv"
expect_eq "complete type" "$(complete_words rdblens keys --type z)" "zset"
if command -v zsh >/dev/null; then
  zsh -n "$TMP/stage/usr/share/zsh/site-functions/_rdblens" && ok || fail "zsh completion does not parse"
else
  fail "zsh is not installed (tools/deps.sh test installs it)"
fi

finish cli_contract
