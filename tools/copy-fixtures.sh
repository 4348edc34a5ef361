#!/usr/bin/env bash
# Copies the small real-server dumps and their ground truth from ../shared
# into tests/fixtures/, so the repository's tests stand alone. Re-run when
# ../shared/corpus changes. bigkeys dumps stay out (size); the optional
# bigkeys test reads them from ../shared when it is there.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared}
dst=$here/tests/fixtures
mkdir -p "$dst/corpus" "$dst/peer"
for vdir in "$shared"/corpus/*/; do
  v=$(basename "$vdir")
  mkdir -p "$dst/corpus/$v"
  for f in "$vdir"*; do
    b=$(basename "$f")
    case "$b" in
      bigkeys.rdb|*bigkeys*) ;;
      *.rdb|*.aof|*.manifest|truth-*.jsonl|reload-*.jsonl|reload-meta-*.json) cp "$f" "$dst/corpus/$v/$b" ;;
    esac
  done
done
# corpus-config: only the reloaded truth of the tuned dumps (what a key costs
# in the compact encodings the raised thresholds allow), for near_saving.py,
# and of the main dump loaded with tiny thresholds (what it costs converted),
# for inspect's what-ifs (tests/scripts/inspect_whatif.py)
for vdir in "$shared"/corpus-config/*/; do
  v=$(basename "$vdir")
  mkdir -p "$dst/corpus-config/$v"
  cp "$vdir/reload-tuned-main.jsonl" "$vdir/reload-tuned-shrunk.jsonl" "$dst/corpus-config/$v/"
done
# corpus-modules: real RedisBloom / RedisTimeSeries values (Redis 7.0.15)
# and what the reloaded server said about every key, for test_corpus_modules
mkdir -p "$dst/corpus-modules"
for f in "$shared"/corpus-modules/*; do
  b=$(basename "$f")
  case "$b" in
    *.rdb|reload-*.jsonl|meta-*.json|README.md) cp "$f" "$dst/corpus-modules/$b" ;;
  esac
done
# corpus-cluster: the cluster-main dump of every version with its reloaded
# cluster node's truth (bigkeys stay in ../shared: test_cluster.c reads them
# there when present)
for vdir in "$shared"/corpus-cluster/*/; do
  v=$(basename "$vdir")
  mkdir -p "$dst/corpus-cluster/$v"
  cp "$vdir"cluster-main.rdb "$vdir"reload-cluster-main.jsonl "$vdir"reload-meta-cluster-main.json \
     "$dst/corpus-cluster/$v/"
done
# corpus/whatif: per pair the per-key truth, and from its meta the one line
# test_whatif.c needs (the full metas are 0.6 MB of server facts)
mkdir -p "$dst/whatif"
for j in "$shared"/corpus/whatif/*.jsonl; do
  b=$(basename "$j" .jsonl)
  cp "$j" "$dst/whatif/"
  python3 - "$shared/corpus/whatif/$b.meta.json" >"$dst/whatif/$b.meta.jsonl" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(json.dumps({"source": m["source"], "target": m["target"], "source_dump": m["source_dump"],
                  "loaded_time_ms": m["loaded_time_ms"],
                  "used_memory": m["info_memory"]["used_memory"]}, sort_keys=True))
PY
done
for pdir in "$shared"/peer-dumps/*/; do
  p=$(basename "$pdir")
  mkdir -p "$dst/peer/$p"
  cp "$pdir"* "$dst/peer/$p/"
done
cp "$shared/peer-dumps/README.md" "$dst/peer/README.md"
chmod -R u+w "$dst"
du -sh "$dst"
