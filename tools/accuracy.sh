#!/bin/sh
# accuracy.sh: the memory model against real servers, over every corpus dump
# that has ground truth (../shared/corpus/*/*.rdb with reload-*.jsonl).
#
#   tools/accuracy.sh [RDBLENS] [DUMP...]
#
# Builds tools/accuracy_model (the model driven straight by the parser; it
# needs only rdb/ and the model files of analyze/) next to RDBLENS's build
# directory, then runs tools/accuracy.py, which prints per dump and per
# type x encoding: keys, exact %, within 1 % / 5 %, median and worst error,
# total error, encoding agreement, and predicted vs real used_memory.
# ACCURACY_FLAGS='--summary' prints one line per dump.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rdblens=${1:-build/rel/rdblens}
[ $# -gt 0 ] && shift
out=$(dirname "$rdblens")/accuracy
mkdir -p "$out"
cd "$root"
lzf=$(pkg-config --cflags --libs liblzf 2>/dev/null || echo -llzf)
xxh=$(pkg-config --libs libxxhash 2>/dev/null || echo -lxxhash)
mods=$(pkg-config --libs yajl libcbor libpcre2-8 2>/dev/null || echo -lyajl -lcbor -lpcre2-8)
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -D_GNU_SOURCE -I. -O2 -Wall -Wextra -Werror -Wshadow \
    -Wstrict-prototypes -Wmissing-prototypes -o "$out/accuracy_model" \
    tools/accuracy_model.c rdb/*.c analyze/*.c $lzf $xxh $mods -lm
corpus=${CORPUS:-$root/../shared/corpus}
# module values (RedisBloom, RedisTimeSeries): shared/corpus-modules, else
# the copy in tests/fixtures; one table row per module type
modules=${CORPUS_MODULES:-$root/../shared/corpus-modules}
[ -d "$modules" ] || modules=$root/tests/fixtures/corpus-modules
if [ $# -eq 0 ]; then
    set -- "$corpus"/*/*.rdb "$modules"/modules-*.rdb
fi
exec python3 "$here/accuracy.py" ${ACCURACY_FLAGS:-} \
    --cmd "$out/accuracy_model --now-ms {now_ms} {config} {file}" "$@"
