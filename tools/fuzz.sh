#!/usr/bin/env bash
# libFuzzer harnesses (tools/fuzz/*.c): the parser, each container decoder,
# each module decoder (fuzz_mod_*), and fuzz_report, the whole report
# pipeline. Build, seed, run.
#
#   tools/fuzz.sh [--total] [SECONDS] [HARNESS...]
#
# Runs each harness for SECONDS (default 60), or, with --total, splits
# SECONDS across the harnesses; 0 only builds and seeds. HARNESS names
# (fuzz_rdb, fuzz_listpack, ...) pick a subset; default all. One fuzzer at a
# time, one process each.
#
# Work directory: $FUZZ_DIR (default build/fuzz), never committed:
#   bin/       harness binaries (clang -fsanitize=fuzzer,address,undefined)
#   seeds/     seed inputs: the fixture dumps (fuzz_rdb), and blobs, stream
#              payloads, LZF strings and module values extracted from them
#              (tools/fuzz/mkseeds.c)
#   corpus/    what libFuzzer keeps between runs, per harness
#   crashes/   crash-/timeout-/oom-/leak- inputs, per harness
#   logs/      the last run's libFuzzer output, per harness
# Exit status: 0 when no harness found anything, 1 when one did (each
# finding's path is printed), 2 when the toolchain is missing.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

total=0
if [ "${1:-}" = "--total" ]; then total=1; shift; fi
secs=${1:-60}
shift || true
mods=(fuzz_mod_bloom fuzz_mod_cuckoo fuzz_mod_cms fuzz_mod_topk fuzz_mod_tdigest fuzz_mod_tsdb fuzz_mod_json fuzz_mod_vset)
all=(fuzz_rdb fuzz_rdb_block fuzz_listpack fuzz_ziplist fuzz_intset fuzz_zipmap fuzz_lzf_string fuzz_lzf_peek fuzz_stream fuzz_report
     fuzz_keymeta fuzz_array fuzz_hash_tmpl fuzz_valkey9 "${mods[@]}" fuzz_source fuzz_json_load)
if [ $# -gt 0 ]; then harnesses=("$@"); else harnesses=("${all[@]}"); fi
if ! [[ "$secs" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 [--total] [SECONDS] [HARNESS...]" >&2; exit 2
fi
per=$secs
if [ $total -eq 1 ] && [ $secs -gt 0 ]; then per=$((secs / ${#harnesses[@]})); [ $per -lt 1 ] && per=1; fi

CLANG=${CLANG:-clang}
FUZZ_DIR=${FUZZ_DIR:-build/fuzz}
mkdir -p "$FUZZ_DIR"/{bin,seeds,corpus,crashes,logs}

if ! command -v "$CLANG" >/dev/null 2>&1; then
  echo "fuzz: $CLANG not found (install clang and libclang-rt-14-dev: tools/deps.sh fuzz)" >&2
  exit 2
fi
LZF_CFLAGS=$(pkg-config --cflags liblzf 2>/dev/null)
LZF_LIBS=$(pkg-config --libs liblzf 2>/dev/null || echo -llzf)
XXH_LIBS=$(pkg-config --libs libxxhash 2>/dev/null || echo -lxxhash)
PCRE_LIBS=$(pkg-config --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)
MOD_LIBS=$(pkg-config --libs yajl libcbor 2>/dev/null || echo -lyajl -lcbor)   # analyze/mod_json.c
# the decoders of compressed inputs (source/); bzip2 has no .pc on Debian 12
SRC_LIBS="$(pkg-config --libs zlib libzstd liblz4 liblzma 2>/dev/null || echo -lz -lzstd -llz4 -llzma) -lbz2"
JANSSON_LIBS=$(pkg-config --libs jansson 2>/dev/null || echo -ljansson)   # report/json_load.c (in the app objects)
# 4 KiB reader blocks (1 MiB in the real build): most inputs then cross
# block boundaries and strings beyond half a block take the copy path.
FLAGS=(-std=c11 -D_GNU_SOURCE -DRD_BLOCK_SIZE=4096u -I. -g -O1 -fno-omit-frame-pointer
       -fno-sanitize-recover=all -Wall -Wextra -Werror)

# Does this clang link a libFuzzer binary?
probe=$FUZZ_DIR/bin/.probe
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe.c"
if ! "$CLANG" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" >"$probe.log" 2>&1; then
  echo "fuzz: $CLANG cannot build with -fsanitize=fuzzer (libFuzzer runtime missing?):" >&2
  sed 's/^/  /' "$probe.log" | head -5 >&2
  echo "fuzz: install clang and libclang-rt-14-dev (tools/deps.sh fuzz)" >&2
  exit 2
fi

# Build what is out of date: the rdb/ objects once, then each harness.
srcs=(rdb/*.c rdb/*.h source/*.c source/*.h analyze/*.c analyze/*.h report/*.c report/*.h cli/*.c cli/*.h
      tools/fuzz/*.c tools/fuzz/*.h tools/fuzz.sh)
newest=$(ls -t "${srcs[@]}" | head -1)
objdir=$FUZZ_DIR/bin/obj
if [ ! -f "$objdir/.stamp" ] || [ "$newest" -nt "$objdir/.stamp" ]; then
  rm -rf "$objdir"; mkdir -p "$objdir"
  echo "fuzz: building the harnesses"
  mkdir -p "$objdir/app"
  for src in rdb/*.c source/*.c analyze/*.c report/*.c cli/*.c; do
    [ "$src" = cli/main.c ] && continue
    case $src in rdb/*|source/*) o=$objdir ;; *) o=$objdir/app ;; esac
    "$CLANG" "${FLAGS[@]}" -fsanitize=fuzzer-no-link,address,undefined $LZF_CFLAGS \
      -c "$src" -o "$o/$(echo "${src%.c}" | tr / _).o" || exit 2
  done
  for h in "${all[@]}" mkseeds; do
    if [ $h = mkseeds ]; then f=(-fsanitize=address,undefined); else f=(-fsanitize=fuzzer,address,undefined); fi
    app=(); case $h in fuzz_report|fuzz_mod_*|fuzz_json_load) app=("$objdir"/app/*.o) ;; esac
    "$CLANG" "${FLAGS[@]}" "${f[@]}" $LZF_CFLAGS "tools/fuzz/$h.c" "$objdir"/*.o "${app[@]}" \
      -o "$FUZZ_DIR/bin/$h" $LZF_LIBS $XXH_LIBS $PCRE_LIBS $MOD_LIBS $SRC_LIBS $JANSSON_LIBS -lm || exit 2
  done
  touch "$objdir/.stamp"
fi

# Seeds: regenerated when the fixtures or the extractor change.
fixtures=$(find tests/fixtures -name '*.rdb' -not -path 'tests/fixtures/fuzz/*' | sort)
if [ ! -f "$FUZZ_DIR/seeds/.stamp" ] || [ "$FUZZ_DIR/bin/mkseeds" -nt "$FUZZ_DIR/seeds/.stamp" ] ||
   [ ! -d "$FUZZ_DIR/seeds/fuzz_json_load" ]; then
  rm -rf "$FUZZ_DIR/seeds"; mkdir -p "$FUZZ_DIR/seeds/fuzz_rdb"
  for f in $fixtures; do
    cp "$f" "$FUZZ_DIR/seeds/fuzz_rdb/$(echo "${f#tests/fixtures/}" | tr / _)"
  done
  # fuzz_rdb_block: <u16 offset before the block end> + a dump.
  mkdir -p "$FUZZ_DIR/seeds/fuzz_rdb_block"; i=0
  for f in $fixtures; do
    i=$((i + 1))
    { printf "\\x$(printf %02x $((i * 37 % 256)))\\x$(printf %02x $((i % 64)))"; cat "$f"; } \
      >"$FUZZ_DIR/seeds/fuzz_rdb_block/$(echo "${f#tests/fixtures/}" | tr / _)"
  done
  # Earlier findings are seeds too.
  for f in tests/fixtures/fuzz/*.bin; do
    [ -f "$f" ] || continue
    h=$(basename "$f" | sed -E 's/^(fuzz_[a-z_]+)-.*/\1/')
    mkdir -p "$FUZZ_DIR/seeds/$h"; cp "$f" "$FUZZ_DIR/seeds/$h/"
  done
  ASAN_OPTIONS=detect_leaks=0 "$FUZZ_DIR/bin/mkseeds" "$FUZZ_DIR/seeds" $fixtures || exit 2
  # fuzz_source: the small fixtures compressed by each real tool
  mkdir -p "$FUZZ_DIR/seeds/fuzz_source"
  for f in $fixtures; do
    [ "$(stat -c %s "$f")" -le 20000 ] || continue
    b=$(echo "${f#tests/fixtures/}" | tr / _)
    for t in "gzip -c:gz" "zstd -q -c:zst" "lz4 -q -c:lz4" "xz -c:xz" "bzip2 -c:bz2"; do
      ${t%%:*} "$f" >"$FUZZ_DIR/seeds/fuzz_source/$b.${t##*:}" 2>/dev/null || true
    done
  done
  # fuzz_json_load: saved reports (schema 2 and a schema-1 one)
  mkdir -p "$FUZZ_DIR/seeds/fuzz_json_load"
  for f in tests/fixtures/golden/report.json tests/fixtures/json/*.json; do
    [ -f "$f" ] && cp "$f" "$FUZZ_DIR/seeds/fuzz_json_load/$(echo "$f" | tr / _)"
  done
  touch "$FUZZ_DIR/seeds/.stamp"
fi

[ "$per" -eq 0 ] && { echo "fuzz: built in $FUZZ_DIR/bin, seeds in $FUZZ_DIR/seeds"; exit 0; }

max_len() { case $1 in fuzz_rdb|fuzz_rdb_block|fuzz_report|fuzz_json_load) echo 262144 ;; *) echo 65536 ;; esac; }
dict() {  # the RDB-level harnesses share a dictionary of opcodes and encodings
  case $1 in fuzz_rdb|fuzz_rdb_block|fuzz_report|fuzz_lzf_string|fuzz_stream|fuzz_keymeta|fuzz_array|fuzz_hash_tmpl|fuzz_valkey9|fuzz_mod_*)
    echo "-dict=tools/fuzz/rdb.dict" ;; esac
}

found=0
for h in "${harnesses[@]}"; do
  bin=$FUZZ_DIR/bin/$h
  [ -x "$bin" ] || { echo "fuzz: no harness $h" >&2; found=1; continue; }
  mkdir -p "$FUZZ_DIR/corpus/$h" "$FUZZ_DIR/crashes/$h" "$FUZZ_DIR/seeds/$h"
  log=$FUZZ_DIR/logs/$h.log
  before=$(ls "$FUZZ_DIR/crashes/$h" | wc -l)
  echo "fuzz: $h for ${per}s"
  seeds=("$FUZZ_DIR/seeds/$h")
  [ $h = fuzz_report ] && seeds+=("$FUZZ_DIR/seeds/fuzz_rdb")   # the same dumps
  # the CPU time the fuzzer itself used (a chunk's wall time overstates it
  # when the machine is shared)
  /usr/bin/time -f '%U %S' -o "$FUZZ_DIR/logs/$h.cpu" "$bin" "$FUZZ_DIR/corpus/$h" "${seeds[@]}" \
    -max_total_time="$per" -max_len="$(max_len "$h")" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$FUZZ_DIR/crashes/$h/" $(dict "$h") >"$log" 2>&1
  rc=$?
  last=$(grep -aE '^#[0-9]+' "$log" | tail -1)
  execs=$(grep -a 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  cov=$(sed -nE 's/.*(cov: [0-9]+ ft: [0-9]+ corp: [^ ]+).*/\1/p' <<<"$last")
  after=$(ls "$FUZZ_DIR/crashes/$h" | wc -l)
  if [ $rc -ne 0 ] || [ "$after" -gt "$before" ]; then
    found=1
    echo "fuzz: $h FOUND A PROBLEM (exit $rc), log $log"
    grep -aE 'ERROR|SUMMARY|^fuzz|runtime error' "$log" | head -8 | sed 's/^/  /'
    grep -aoE "Test unit written to .*" "$log" | sed 's/^Test unit written to /  input: /'
    echo "  reproduce: $bin INPUT; minimize: $bin -minimize_crash=1 -runs=100000 INPUT"
  else
    cpu=$(awk 'NF == 2 && $1 ~ /^[0-9.]+$/ { c = $1 + $2; ok = 1 } END { if (ok) printf "%d", c }' "$FUZZ_DIR/logs/$h.cpu" 2>/dev/null)
    echo "fuzz: $h ok: ${execs:-?} runs, $cov, cpu: ${cpu:-?} s"
  fi
done
[ $found -eq 0 ] && echo "fuzz: no findings" || echo "fuzz: FINDINGS (see above)"
exit $found
