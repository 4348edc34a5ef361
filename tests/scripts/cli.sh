#!/usr/bin/env bash
# End-to-end runs of the rdblens binary: exit codes, messages, inputs
# (file, stdin, AOF preamble, multi-part AOF directory), peer dumps.
source "$(dirname "$0")/lib.sh"
C=$FIX/corpus

# check: valid files exit 0 and say so
for f in "$C"/redis-2.8.24/main.rdb "$C"/redis-7.4.1/main.rdb "$C"/valkey-8.0.1/main.rdb; do
  out=$("$RDBLENS" check "$f" 2>&1); rc=$?
  expect_eq "check exit $f" "$rc" 0
  grep -q '^status: valid' <<<"$out" && ok || fail "check status $f: $out"
done
out=$("$RDBLENS" check "$C"/redis-7.0.15/main.rdb)
grep -q '^checksum: ok' <<<"$out" && ok || fail "7.0 checksum line"
grep -q '^db 0: 94 keys, 13 with expiry' <<<"$out" && ok || fail "7.0 db 0 counts: $out"
out=$("$RDBLENS" check "$C"/redis-7.0.15/nochecksum.rdb)
grep -q '^checksum: disabled' <<<"$out" && ok || fail "nochecksum status"

# refused files: exit 1 with a reason
out=$("$RDBLENS" check "$FIX"/peer/librdb/future_v19.rdb 2>&1); rc=$?
expect_eq "future version exit" "$rc" 1
grep -q 'offset 5: RDB version 99' <<<"$out" && ok || fail "future version message: $out"
out=$("$RDBLENS" check "$FIX"/peer/librdb/invalid_chksum_v8.rdb 2>&1); rc=$?
expect_eq "bad checksum exit" "$rc" 1
grep -q 'checksum: MISMATCH' <<<"$out" && ok || fail "bad checksum message"
out=$("$RDBLENS" check "$C"/redis-7.0.15/aof-preamble.incr.aof 2>&1); rc=$?
expect_eq "plain AOF exit" "$rc" 1
grep -q 'plain AOF' <<<"$out" && ok || fail "plain AOF hint: $out"

# usage errors exit 2
"$RDBLENS" keys --format xml "$C"/redis-7.0.15/main.rdb >/dev/null 2>&1; expect_eq "bad format exit" $? 2
"$RDBLENS" frobnicate >/dev/null 2>&1; expect_eq "bad command exit" $? 2
"$RDBLENS" keys >/dev/null 2>&1; expect_eq "missing file exit" $? 2
"$RDBLENS" keys --help | grep -q 'usage: rdblens keys' && ok || fail "keys --help"

# stdin gives the same records as the file
a=$("$RDBLENS" keys "$C"/redis-7.2.6/main.rdb | sha1sum)
b=$("$RDBLENS" keys - <"$C"/redis-7.2.6/main.rdb | sha1sum)
expect_eq "stdin == file" "$b" "$a"

# AOF with an RDB preamble (4.0-6.2 single file): the RDB part, then the tail
out=$("$RDBLENS" check "$C"/redis-6.2.16/aof-preamble.aof)
grep -q '^trailing bytes: [1-9][0-9]* after the RDB' <<<"$out" && ok || fail "aof tail: $out"
# Multi-part AOF directory (7.0+): manifest -> base RDB
mkdir -p "$TMP/appendonlydir"
cp "$C"/redis-7.0.15/aof-preamble.manifest "$TMP/appendonlydir/appendonly.aof.manifest"
cp "$C"/redis-7.0.15/aof-preamble.base.rdb "$TMP/appendonlydir/appendonly.aof.2.base.rdb"
cp "$C"/redis-7.0.15/aof-preamble.incr.aof "$TMP/appendonlydir/appendonly.aof.2.incr.aof"
out=$("$RDBLENS" check "$TMP/appendonlydir"); rc=$?
expect_eq "aof dir exit" "$rc" 0
grep -q 'aof manifest: base .*appendonly.aof.2.base.rdb, 1 incremental file(s), 268 bytes' <<<"$out" && ok || fail "aof dir: $out"
n=$("$RDBLENS" keys "$TMP/appendonlydir" | wc -l)
expect_eq "aof dir keys" "$n" "$(wc -l <"$C"/redis-7.0.15/truth-aof-preamble.jsonl)"

# keys: the binary key name is escaped losslessly, CSV has the rdb-tools header
line=$("$RDBLENS" keys "$C"/redis-7.0.15/main.rdb | grep '"bin:key')
grep -qF '"key":"bin:key:\\x00\\x01\\xff\\x0d\\x0a\\x091"' <<<"$line" && ok || fail "binary key escaping: $line"
hdr=$("$RDBLENS" keys --format csv "$C"/redis-7.0.15/main.rdb | head -1)
expect_eq "csv header" "$hdr" "database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry"

# Peer parsers' dumps: read completely, key counts agree with their JSON
for f in "$FIX"/peer/librdb/*.rdb "$FIX"/peer/hdt3213/*.rdb; do
  b=$(basename "$f" .rdb)
  case "$b" in future_v19|invalid_chksum_v8) continue ;; esac
  "$RDBLENS" check "$f" >"$TMP/out" 2>&1 && ok || fail "peer dump $b: $(tail -3 "$TMP/out")"
  json=""
  for cand in "${f%.rdb}_data.json" "${f%.rdb}.json"; do [ -f "$cand" ] && json=$cand && break; done
  [ -n "$json" ] || continue
  if [ "$b" = stream_v13 ]; then
    # librdb renders only the first of the dump's 49 streams: check that one.
    line=$("$RDBLENS" keys "$f" | grep '"stream_lp1_cg2_pel1_prod2_ent1"')
    grep -q '"rdb_type":26,' <<<"$line" && grep -q '"elements":3,' <<<"$line" && ok || fail "stream_v13 first key: $line"
    continue
  fi
  want=$(python3 "$ROOT/tests/scripts/peer_count.py" "$json")
  got=$("$RDBLENS" keys "$f" | wc -l)
  expect_eq "peer key count $b" "$got" "$want"
done
finish cli
