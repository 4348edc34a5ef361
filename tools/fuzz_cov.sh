#!/usr/bin/env bash
# Line coverage of rdb/ (the parser) by the fuzz corpora: how much of the
# parser the fuzzers have reached, and what they have not.
#
#   tools/fuzz_cov.sh [HARNESS...]     default: fuzz_rdb fuzz_rdb_block
#
# Builds each harness with clang's source-based coverage (no sanitizers,
# -fprofile-instr-generate -fcoverage-mapping), replays its kept corpus
# ($FUZZ_ROOT/corpus/HARNESS, tools/fuzz_hours.sh) and its seeds once
# (-runs=0), merges the profiles and prints llvm-cov's per-file table for
# rdb/*.c, the total, and the lines not reached. Writes under $COV_DIR
# (default $FUZZ_ROOT/cov), so the corpora can be read where a fuzzer owns
# them; needs clang and llvm-profdata / llvm-cov (Debian's clang and llvm
# packages).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
FUZZ_ROOT=${FUZZ_ROOT:-build/fuzz}
out=${COV_DIR:-$FUZZ_ROOT/cov}
mkdir -p "$out/obj"
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(fuzz_rdb fuzz_rdb_block)
CLANG=${CLANG:-clang}
FLAGS=(-std=c11 -D_GNU_SOURCE -DRD_BLOCK_SIZE=4096u -I. -g -O1 -fprofile-instr-generate -fcoverage-mapping
       $(pkg-config --cflags liblzf libxxhash libpcre2-8 2>/dev/null))
# the libraries tools/fuzz.sh links (bzip2 has no .pc on Debian 12)
LIBS=($(pkg-config --libs liblzf libxxhash libpcre2-8 yajl libcbor zlib libzstd liblz4 liblzma jansson 2>/dev/null ||
        echo -llzf -lxxhash -lpcre2-8 -lyajl -lcbor -lz -lzstd -llz4 -llzma -ljansson) -lbz2 -lm)
rm -f "$out"/*.profraw "$out"/*.profdata
objs=()
for src in rdb/*.c source/*.c analyze/*.c report/*.c cli/*.c; do
  [ "$src" = cli/main.c ] && continue
  o=$out/obj/$(echo "${src%.c}" | tr / _).o
  "$CLANG" "${FLAGS[@]}" -c "$src" -o "$o" || exit 2
  objs+=("$o")
done
bins=()
for h in "${harnesses[@]}"; do
  "$CLANG" "${FLAGS[@]}" -fsanitize=fuzzer "tools/fuzz/$h.c" "${objs[@]}" -o "$out/$h" "${LIBS[@]}" || exit 2
  dirs=()
  # its kept corpus and its seeds (tools/fuzz.sh: $FUZZ_DIR/seeds, a
  # worker's under worker-*/); fuzz_report is also fed fuzz_rdb's seeds there
  seeds=("$h"); [ "$h" = fuzz_report ] && seeds+=(fuzz_rdb)
  for d in "$FUZZ_ROOT/corpus/$h"; do [ -d "$d" ] && dirs+=("$d"); done
  for s in "${seeds[@]}"; do
    for d in "$FUZZ_ROOT/seeds/$s" "$FUZZ_ROOT"/worker-*/seeds/"$s"; do [ -d "$d" ] && dirs+=("$d"); done
  done
  [ ${#dirs[@]} -eq 0 ] && { echo "fuzz_cov: no corpus for $h under $FUZZ_ROOT" >&2; continue; }
  LLVM_PROFILE_FILE="$out/$h-%p.profraw" "$out/$h" -runs=0 "${dirs[@]}" >"$out/$h.log" 2>&1
  bins+=(-object "$out/$h")
done
llvm-profdata merge -sparse "$out"/*.profraw -o "$out/all.profdata" || exit 2
first=${bins[1]}
llvm-cov report "$first" "${bins[@]:2}" -instr-profile="$out/all.profdata" rdb/*.c
echo
echo "lines not reached (rdb/):"
llvm-cov show "$first" "${bins[@]:2}" -instr-profile="$out/all.profdata" -show-line-counts rdb/*.c \
  | awk '/^\/.*\.c:$/ { f = $0 } /^ +[0-9]+\| +0\|/ { sub(/^ +/, ""); print f " " $0 }' | head -400
