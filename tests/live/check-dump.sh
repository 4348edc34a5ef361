#!/usr/bin/env bash
# Check rdblens against a real redis-server on any dump (not part of make test):
#   RDBLENS=build/rel/rdblens tests/live/check-dump.sh build/bench/mixed-100mb.rdb
# A fresh private redis-server loads FILE at start-up; its per-key truth
# (tools/redisctl.py capture, skiplists averaged over SKIPLIST_RELOADS loads,
# default 0) goes to $LIVE_OUT/NAME.truth.jsonl and NAME.meta.json (default
# build/live-check/); then tests/live/compare.py asserts the same checks as
# tests/live/run.sh. Exit 0 when every check passed.
set -uo pipefail
export PYTHONDONTWRITEBYTECODE=1
[ $# -ge 1 ] || { echo "usage: $0 FILE.rdb [NAME]" >&2; exit 2; }
dump=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
name=${2:-$(basename "$1" .rdb)}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/../.." || exit 2
RDBLENS=${RDBLENS:-build/rel/rdblens}
out=${LIVE_OUT:-build/live-check}
mkdir -p "$out"
python3 tools/redisctl.py capture "$dump" --jsonl "$out/$name.truth.jsonl" \
  --meta "$out/$name.meta.json" --skiplist-reloads "${SKIPLIST_RELOADS:-0}" || exit 1
exec python3 tests/live/compare.py --name "$name" --rdblens "$RDBLENS" --dump "$dump" \
  --truth "$out/$name.truth.jsonl" --meta "$out/$name.meta.json"
