#!/usr/bin/env bash
# Fuzz smoke run: every libFuzzer harness (tools/fuzz/) for a few seconds
# (FUZZ_SMOKE_SECONDS, default 7: about two minutes in all), from the seeds and
# from what earlier smoke runs kept in build/fuzz-smoke. A harness passes
# when it finds nothing. Without clang's libFuzzer this suite fails: CI
# installs clang and libclang-rt-14-dev.
source "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
secs=${FUZZ_SMOKE_SECONDS:-7}
export FUZZ_DIR=${FUZZ_SMOKE_DIR:-$ROOT/build/fuzz-smoke}
harnesses=(fuzz_rdb fuzz_rdb_block fuzz_report fuzz_listpack fuzz_ziplist fuzz_intset fuzz_zipmap fuzz_lzf_string fuzz_lzf_peek fuzz_stream
           fuzz_keymeta fuzz_array fuzz_hash_tmpl fuzz_valkey9
           fuzz_mod_bloom fuzz_mod_cuckoo fuzz_mod_cms fuzz_mod_topk fuzz_mod_tdigest fuzz_mod_tsdb fuzz_mod_json fuzz_mod_vset
           fuzz_source fuzz_json_load)

out=$(tools/fuzz.sh 0 2>&1); rc=$?
if [ $rc -ne 0 ]; then
  echo "$out"
  fail "cannot build the fuzz harnesses: clang with libFuzzer (-fsanitize=fuzzer) is unavailable or the build failed; install clang and libclang-rt-14-dev (tools/deps.sh fuzz)"
else
  for h in "${harnesses[@]}"; do
    out=$(tools/fuzz.sh "$secs" "$h" 2>&1); rc=$?
    echo "$out" | grep -a "^fuzz: $h\|^  "
    if [ $rc -eq 0 ]; then ok; else fail "$h found a problem (logs and inputs under $FUZZ_DIR)"; fi
  done
fi
finish fuzz_smoke
