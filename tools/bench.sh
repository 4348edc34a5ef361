#!/usr/bin/env bash
# make bench: throughput / peak-RSS benchmark of rdblens (see tools/bench.py).
#   tools/bench.sh build/rel/rdblens
#   BENCH_SIZES=small tools/bench.sh build/rel/rdblens   # without the ~1 GB dump
#   BENCH_ONLY=mixed-100mb,prefixes BENCH_RUNS=3 tools/bench.sh build/rel/rdblens
# Dumps are generated once by a private redis-server and cached in build/bench/.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 PATH/TO/rdblens" >&2
  exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."
command -v redis-server >/dev/null || { echo "bench: redis-server not found (tools/deps.sh bench)" >&2; exit 1; }
command -v redis-check-rdb >/dev/null || { echo "bench: redis-check-rdb not found" >&2; exit 1; }
shift
python3 tools/bench.py "$bin" "$@"
# diff, report -j and merge (the nightly review and fleet commands)
exec python3 tools/bench_fleet.py "$bin"
