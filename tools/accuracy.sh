#!/bin/sh
# accuracy.sh: the memory model against real servers, over every corpus dump
# that has ground truth (../shared/corpus/*/*.rdb with reload-*.jsonl), the
# what-if pairs (../shared/corpus/whatif: each main dump loaded by every
# newer server, modelled with --profile of that server) and the cluster
# nodes (../shared/corpus-cluster, modelled with --cluster).
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
cmd="$out/accuracy_model --now-ms {now_ms} {extra} {config} {file}"
if [ $# -gt 0 ]; then
    exec python3 "$here/accuracy.py" ${ACCURACY_FLAGS:-} --cmd "$cmd" "$@"
fi
# Every dump reloaded by its own version (and the module values), then
# what-if (older dumps loaded by newer servers), then cluster nodes; each
# ends with its table.
rc=0
python3 "$here/accuracy.py" ${ACCURACY_FLAGS:-} --cmd "$cmd" "$corpus"/*/*.rdb "$modules"/modules-*.rdb || rc=1
if [ -d "$corpus/whatif" ]; then
    python3 "$here/accuracy.py" ${ACCURACY_FLAGS:-} --cmd "$cmd" --whatif "$corpus/whatif" \
        --corpus "$corpus" || rc=1
fi
cluster=${CLUSTER_CORPUS:-$(dirname "$corpus")/corpus-cluster}
if [ -d "$cluster" ]; then
    python3 "$here/accuracy.py" ${ACCURACY_FLAGS:-} --cmd "$cmd" --cluster "$cluster"/*/*.rdb || rc=1
fi
exit $rc
