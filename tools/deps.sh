#!/usr/bin/env bash
# Make sure the Debian packages a make target needs are present.
# Usage: tools/deps.sh build|test|bench|fuzz
# As root, installs what is missing with apt-get; otherwise prints the exact
# apt-get line and fails, so a build never half-works on a machine without them.
set -euo pipefail
what=${1:-build}

# compressed inputs (source/): zlib, zstd, lz4, xz, bzip2 libraries;
# jansson reads summaries back (merge, diff)
pkgs_build="pkg-config liblzf-dev libxxhash-dev libpcre2-dev libyajl-dev libcbor-dev zlib1g-dev libzstd-dev liblz4-dev liblzma-dev libbz2-dev libjansson-dev"
# gzip zstd lz4 xz-utils bzip2: the real tools make the compressed test inputs;
# prometheus: promtool checks the --format prom output; parallel: the fleet
# recipe's map step (tests/scripts/merge.sh); chromium: the HTML report's
# browser tests (fonts-dejavu-core: its screenshots)
pkgs_test="$pkgs_build libcriterion-dev redis-server redis-tools python3 time clang libclang-rt-14-dev bsdutils man-db zsh gzip zstd lz4 xz-utils bzip2 prometheus parallel chromium fonts-dejavu-core"
pkgs_bench="$pkgs_test"
pkgs_fuzz="$pkgs_build clang libclang-rt-14-dev"

case "$what" in
  build) want=$pkgs_build ;;
  test)  want=$pkgs_test ;;
  bench) want=$pkgs_bench ;;
  fuzz)  want=$pkgs_fuzz ;;
  *) echo "usage: $0 build|test|bench|fuzz" >&2; exit 2 ;;
esac

missing=()
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  # Debian's redis-server and prometheus packages start system instances;
  # tests start their own servers and need only promtool.
  for svc in redis-server prometheus; do
    if printf '%s\n' "${missing[@]}" | grep -qx "$svc"; then
      (systemctl stop "$svc" 2>/dev/null || service "$svc" stop 2>/dev/null || true) >/dev/null 2>&1
    fi
  done
else
  echo "rdblens needs these Debian packages; run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
