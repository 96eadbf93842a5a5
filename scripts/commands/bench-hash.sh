#!/usr/bin/env bash
# Hashing throughput: sha256sum vs the SDK's multihash and segment Merkle root.
#
# usage: scripts/dev bench-hash [FILE]
#
# `sha256sum` against the SDK's streamed multihash (one core), and the segment Merkle root
# on one and two threads, with peak memory. Default FILE: 1 GiB of random bytes, written
# once to target/bench/.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
cd "$ROOT"
[ $# -le 1 ] && [[ ${1:-} != -* ]] || usage_error
file=${1:-target/bench/random-1GiB.bin}
if [ ! -f "$file" ]; then
  mkdir -p "$(dirname "$file")"
  echo "[bench] writing $file (1 GiB of random bytes)" >&2
  head -c $((1 << 30)) /dev/urandom > "$file.part"
  mv "$file.part" "$file"
fi
cargo run --release --quiet -p vssi-sdk --example hash_throughput -- "$file"
