#!/usr/bin/env bash
# Fuzz findings kept as regression fixtures (tests/fixtures/fuzz/*.bin,
# named <harness>-<what>.bin; tools/fuzz.sh also seeds that harness with
# them). Each goes through the sanitizer build's check, keys and report:
# exit 0 or 1 (never a signal or 2), no sanitizer report; then what each
# finding must say.
source "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

for f in "$FIX"/fuzz/*.bin; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  case $name in fuzz_rdb_block-*) continue ;; esac  # framed for that harness, not a file
  for cmd in "check" "keys" "report --format json" "report --format text --profile redis-2.8"; do
    # shellcheck disable=SC2086
    "$RDBLENS" $cmd "$f" >"$TMP/out" 2>"$TMP/err"; rc=$?
    if [ $rc -gt 1 ]; then fail "$name: rdblens $cmd exited $rc"; sed 's/^/  /' "$TMP/err" | head -5
    elif grep -qE "runtime error|AddressSanitizer|LeakSanitizer" "$TMP/err"; then
      fail "$name: rdblens $cmd: sanitizer report"; grep -E "runtime error|ERROR" "$TMP/err" | head -3
    else ok; fi
  done
done

# A key whose name starts with '-' (fuzz_report: inspect of a key `keys`
# listed exited 2, the name taken for an option): after "--" it is a key,
# and inspect ends like keys, on the file's error (exit 1).
f=$FIX/fuzz/fuzz_report-dash-key.bin
"$RDBLENS" inspect --escaped -- "$f" '-bits\xc0@\xfa\x05ctime\xc2VD\xabg\xfa' >"$TMP/out" 2>"$TMP/err"; rc=$?
expect_eq "dash key: inspect -- exit" "$rc" 1
grep -q "unknown value type 194" "$TMP/err" && ok || fail "dash key: $(head -2 "$TMP/err")"

# A NaN zset score (binary double, type 5) reached the model's double2ll,
# an undefined conversion; a server refuses such a file ("Zset with NAN
# score detected"), and so do we, with the offset of the score.
f=$FIX/fuzz/fuzz_report-nan-zset-score.bin
"$RDBLENS" check "$f" >"$TMP/out" 2>&1; rc=$?
expect_eq "nan score: check exit" "$rc" 1
if grep -q "offset 113: zset score is NaN" "$TMP/out"; then ok; else fail "nan score: message"; cat "$TMP/out"; fi

# A ctime aux of 84 digits: strtoll saturated and the seconds were multiplied
# by 1000 into a signed overflow (cli/pipeline.c). A ctime that is not a
# count of seconds fitting in milliseconds is now ignored: the reference
# time falls back to the file's mtime.
f=$FIX/fuzz/fuzz_report-ctime-overflow.bin
"$RDBLENS" report --format json "$f" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect_eq "ctime overflow: report exit" "$rc" 1
if grep -q '"reference_basis":"mtime"' "$TMP/out"; then ok; else fail "ctime overflow: reference basis"; grep -o '"reference[^,]*' "$TMP/out"; fi
"$RDBLENS" report --now 99999999999999999999 "$f" >"$TMP/out" 2>&1; rc=$?
expect_eq "--now beyond int64 ms: usage error" "$rc" 2

# Hostile inputs found by review rather than by a fuzzer
# (tests/fixtures/hostile/), each with a time limit: the first was a hang.
# A RESIZEDB hint of 2^63+1 keys sent the model's table-size doubling loop
# round forever (analyze/alloc.c next_pow2); a hint no server could allocate
# is now ignored, and the table size saturates.
f=$FIX/hostile/resizedb-2pow63-hint.rdb
for cmd in "check" "keys" "report --format json"; do
  # shellcheck disable=SC2086
  timeout 60 "$RDBLENS" $cmd "$f" >"$TMP/out" 2>"$TMP/err"; rc=$?
  expect_eq "huge RESIZEDB hint: rdblens $cmd exit" "$rc" 0
done
timeout 60 "$RDBLENS" keys --format csv "$f" >"$TMP/out" 2>&1
if grep -q '^0,string,"k",' "$TMP/out"; then ok; else fail "huge RESIZEDB hint: the key"; cat "$TMP/out"; fi

# 200,000 databases, one key each (a 2.4 MB file): every key searched the
# list of databases seen so far, in the pipeline and in the model, so check
# took 16 s and keys/report over a minute. Databases are now found through a
# hash map; well within the limit even under the sanitizers.
python3 - "$TMP/manydb.rdb" <<'PY'
import struct, sys
b = bytearray(b"REDIS0009")
for i in range(200000):
    b += b"\xfe\x80" + struct.pack(">I", i) + b"\x00\x01k\x01v"
b += b"\xff" + bytes(8)
open(sys.argv[1], "wb").write(b)
PY
for cmd in "check" "keys --format csv" "report --format json"; do
  # shellcheck disable=SC2086
  timeout 60 "$RDBLENS" $cmd "$TMP/manydb.rdb" >"$TMP/out" 2>"$TMP/err"; rc=$?
  expect_eq "200k databases: rdblens $cmd exit" "$rc" 0
  case $cmd in
    check) expect_eq "200k databases: db lines" "$(grep -c '^db [0-9]*: 1 keys' "$TMP/out")" 200000 ;;
    keys*) expect_eq "200k databases: key rows" "$(grep -c ',string,"k",' "$TMP/out")" 200000 ;;
    report*) if grep -q '"keys":200000' "$TMP/out"; then ok; else fail "200k databases: report keys"; fi ;;
  esac
done

# Hash floods (tools/hostile/): database numbers and key names chosen so
# that the hash tables' fixed hashes put them all in one slot made every
# lookup a scan: check took 29 s on 160k databases, report 36 s on 250k
# names (2-3 MB files). Both tables now hash with a per-table secret.
python3 "$ROOT/tools/hostile/idmap_flood.py" 80000 "$TMP/idflood.rdb"
python3 "$ROOT/tools/hostile/prefix_flood.py" 100000 "$TMP/pfflood.rdb"
for f in idflood pfflood; do
  for cmd in "check" "report --format json"; do
    # shellcheck disable=SC2086
    timeout 5 "$RDBLENS" $cmd "$TMP/$f.rdb" >"$TMP/out" 2>"$TMP/err"; rc=$?
    expect_eq "$f: rdblens $cmd exit (124: over 5 s, where it takes 0.3)" "$rc" 0
  done
done
# the secret changes nothing printed
"$RDBLENS" report --format json --now 1800000000 "$TMP/pfflood.rdb" >"$TMP/a" 2>&1
"$RDBLENS" report --format json --now 1800000000 "$TMP/pfflood.rdb" >"$TMP/b" 2>&1
if cmp -s "$TMP/a" "$TMP/b"; then ok; else fail "pfflood: two runs print differently"; fi

# LZF bombs (tools/hostile/lzf_bomb.py): a dump stores a run of one byte in
# about 1/88 of its length, so a 2 MB file can hold a 200 MB string value
# and a 3 MB one four 64 MiB key names. `check` decompressed each value
# whole to verify it (a 200 MB buffer), and a report kept every name whole
# in each of its tables (1.4 GB for the four). The release binary runs under
# an address-space limit the old behaviour could not fit in.
REL=${RDBLENS_REL:-$ROOT/build/rel/rdblens}
python3 "$ROOT/tools/hostile/lzf_bomb.py" value 200 "$TMP/valbomb.rdb"
(ulimit -v 120000; timeout 20 "$REL" check "$TMP/valbomb.rdb" >"$TMP/out" 2>&1); rc=$?
expect_eq "200 MB LZF value: check exit in 120 MB of address space" "$rc" 0
if grep -q '^status: valid' "$TMP/out"; then ok; else fail "200 MB LZF value: check status"; cat "$TMP/out"; fi
# the same check still finds a corrupt LZF value it does not decompress
python3 - "$TMP/badlzf.rdb" <<'PY'
import sys
data = b"\x00a\x20\x05" + b"\xe0\xff\x00" * 1000   # a reference 6 bytes back after 1
b = b"REDIS0009\xfe\x00\x00\x03bad\xc3" + b"\x80" + len(data).to_bytes(4, "big")
b += b"\x80" + (5 + 264 * 1000).to_bytes(4, "big") + data + b"\xff" + bytes(8)
open(sys.argv[1], "wb").write(b)
PY
"$RDBLENS" check "$TMP/badlzf.rdb" >"$TMP/out" 2>&1; rc=$?
expect_eq "corrupt LZF value: check exit" "$rc" 1
if grep -q "offset 16: string value: LZF data does not decompress to the 264005 bytes" "$TMP/out"; then ok
else fail "corrupt LZF value: message"; cat "$TMP/out"; fi
"$RDBLENS" report "$TMP/badlzf.rdb" >"$TMP/out" 2>&1; rc=$?
expect_eq "corrupt LZF value: report does not read it, exit" "$rc" 0

python3 "$ROOT/tools/hostile/lzf_bomb.py" names 4 64 "$TMP/namebomb.rdb"
(ulimit -v 400000; timeout 30 "$REL" report --format json "$TMP/namebomb.rdb" >"$TMP/out" 2>&1); rc=$?
expect_eq "four 64 MiB LZF key names: report exit in 400 MB of address space" "$rc" 0
# top by bytes, strings by bytes and strings by length: 3 tables of 4 (a
# string is no longer ranked among collections by elements)
expect_eq "64 MiB names: keys shown truncated" \
  "$(grep -o '"key_truncated":true,"key_length":67108802' "$TMP/out" | wc -l)" 12
expect_eq "64 MiB names: findings truncated" \
  "$(grep -o '"subject_truncated":true,"subject_length":67108802' "$TMP/out" | wc -l)" 4
if grep -q '"key":"tail","type"' "$TMP/out"; then ok; else fail "64 MiB names: a short key is printed whole"; fi
(ulimit -v 400000; timeout 30 "$REL" report --rows 50 "$TMP/namebomb.rdb" >"$TMP/out" 2>&1)
expect_eq "64 MiB names: text rows (top by bytes, strings by bytes and by length) show the head, then ..." \
  "$(grep -cE '^  [1-4]   0  a{37}\.\.\.  string' "$TMP/out")" 12
# a kept head is enough to re-read a shallow-parsed key (cli/reread.c)
python3 - "$TMP/namehash.rdb" <<'PY'
import struct, sys
sys.argv = [sys.argv[0], "names", "0", "0", sys.argv[1]]
exec(open("tools/hostile/lzf_bomb.py").read().split("b = bytearray")[0])
def ziplist(items):
    ents, prev, last = b"", 0, 0
    for it in items:
        last = 10 + len(ents)
        e = bytes([prev, len(it)]) + it
        ents += e
        prev = len(e)
    return struct.pack("<IIH", 10 + len(ents) + 1, last, len(items)) + ents + b"\xff"
b = b"REDIS0009\xfe\x00\x0d" + bomb(8) + plain(ziplist([b"field", b"value-longer-one"]))
open(sys.argv[4], "wb").write(b + b"\xff" + bytes(8))
PY
"$RDBLENS" report --format json "$TMP/namehash.rdb" >"$TMP/out" 2>&1; rc=$?
expect_eq "8 MiB hash name: report exit" "$rc" 0
if grep -q '"key_length":8388602,"type":"hash","rdb_type":13,"encoding":"ziplist","bytes":[0-9]*,"elements":1,"largest":16,' "$TMP/out"
then ok; else fail "8 MiB hash name: re-read largest"; grep -o '"key_length[^}]*' "$TMP/out" | head -2; fi
# Blob bombs (tools/hostile/blob_bomb.py): a 6 MB dump of LZF-compressed
# packed blobs (a quicklist node of 200 MB, a listpack, a ziplist and a
# zipmap hash of 100 MB each) that were decompressed whole to be walked
# (210 MB of RSS for `report`). They are walked in pieces now
# (rdb/piecewise.c): every command runs in 60 MB of address space and finds
# each key's exact element count, longest element and encoding after load
# (the memory model replays the converted hashes from their elements).
python3 "$ROOT/tools/hostile/blob_bomb.py" "$TMP/blobbomb.rdb" >"$TMP/blobbomb.facts"
expect_eq "blob bomb: 4 keys generated" "$(wc -l <"$TMP/blobbomb.facts")" 4
(ulimit -v 60000; timeout 60 "$REL" report --format json "$TMP/blobbomb.rdb" >"$TMP/out" 2>&1); rc=$?
expect_eq "blob bomb: report exit in 60 MB of address space" "$rc" 0
(ulimit -v 60000; timeout 60 "$REL" keys "$TMP/blobbomb.rdb" >"$TMP/keys" 2>&1); rc=$?
expect_eq "blob bomb: keys exit in 60 MB of address space" "$rc" 0
while read -r key elements largest encoding; do
  want="\"key\":\"$key\",[^}]*\"encoding\":\"$encoding\",[^}]*\"elements\":$elements,\"largest\":$largest,"
  if grep -q "$want" "$TMP/out"
  then ok; else fail "blob bomb: report on $key: want $encoding, $elements elements, largest $largest"; fi
  if grep -q "$want" "$TMP/keys"
  then ok; else fail "blob bomb: keys on $key: want $encoding, $elements elements, largest $largest"; fi
done <"$TMP/blobbomb.facts"
(ulimit -v 60000; timeout 60 "$REL" check "$TMP/blobbomb.rdb" >"$TMP/out" 2>&1); rc=$?
expect_eq "blob bomb: check exit in 60 MB of address space" "$rc" 0
if grep -q '^status: valid' "$TMP/out"; then ok; else fail "blob bomb: check status"; cat "$TMP/out"; fi

# Hand-built seeds (tools/fuzz/gen_seeds.py) for parser paths that no
# fixture reached: the committed files are what the script writes, and each
# says exactly what it must (the ones named fuzz_report-shallow-* fail a
# shallow parse's header check; report then walks the file, which fails at
# the same byte).
python3 tools/fuzz/gen_seeds.py "$TMP/seeds" || fail "gen_seeds.py failed"
for f in "$TMP"/seeds/*.bin; do
  if cmp -s "$f" "$FIX/fuzz/$(basename "$f")"; then ok; else fail "$(basename "$f") differs from what gen_seeds.py writes"; fi
done
seed_says() {  # FILE EXIT TEXT: check and report on FILE exit EXIT, check prints TEXT
  "$RDBLENS" check "$FIX/fuzz/$1" >"$TMP/out" 2>&1; rc=$?
  expect_eq "$1: check exit" "$rc" "$2"
  if grep -qF -- "$3" "$TMP/out"; then ok; else fail "$1: no '$3'"; cat "$TMP/out"; fi
  "$RDBLENS" report --format json "$FIX/fuzz/$1" >"$TMP/out" 2>&1; rc=$?
  expect_eq "$1: report exit" "$rc" "$2"
}
seed_says fuzz_rdb-hash-templates-40.bin 0 "keys: 40, with expiry: 0"
seed_says fuzz_rdb-zipmap-pieces.bin 0 "keys: 2, with expiry: 0"
"$RDBLENS" keys --format csv "$FIX/fuzz/fuzz_rdb-zipmap-pieces.bin" >"$TMP/out" 2>&1
if grep -q '^0,hash,"zm",[0-9]*,ziplist,80,60,$' "$TMP/out"; then ok; else fail "zipmap seed: the hash"; cat "$TMP/out"; fi
seed_says fuzz_rdb-listpack-pieces-unterminated.bin 1 \
  "error: offset 5802: corrupt listpack (byte 5766 of 5767): listpack does not end with 0xFF"
seed_says fuzz_report-shallow-zltail.bin 1 \
  "error: offset 38: corrupt ziplist (byte 4 of 31): ziplist zltail points outside the entries"
seed_says fuzz_report-shallow-odd-hash.bin 1 \
  "error: offset 52: corrupt listpack (byte 19 of 20): element count is not a multiple of the entry size"
seed_says fuzz_report-shallow-intset-order.bin 1 \
  "error: offset 45: corrupt intset (byte 12 of 14): intset members not ascending"

finish fuzz_regress
