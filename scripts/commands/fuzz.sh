#!/usr/bin/env bash
# Fuzzes every parser and verifier of untrusted bytes (cargo fuzz, libFuzzer).
#
# usage: scripts/dev fuzz [--long | --runs N] [--only TARGET]
#
# SCALE decoding of every shared type, multihash parsing, segment inclusion proofs,
# authorization codes and a store redeeming them, the I.2 handshake's M1/M2/M3 and evidence
# bundles (fuzz/fuzz_targets/).
#
#   (no flag)      short pass: 20 s per target (the test tier's)
#   --long         10 million executions per target
#   --runs N       N executions per target
#   --only TARGET  one target (e.g. --long --only evidence_verify)
#
# Prints one line per target: executions, seconds, executions per second; fails on any crash
# (the input is kept under fuzz/artifacts/<target>/). Installs cargo-fuzz once; the corpus
# is kept in the cache, so each pass starts where the last one stopped.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
cd "$ROOT"
CARGO_FUZZ_VERSION=0.13.2
limit=(-max_total_time=20)
only=""
while [ $# -gt 0 ]; do
  case $1 in
    --long) limit=(-runs=10000000) ;;
    --runs) limit=("-runs=${2:?--runs takes a count}"); shift ;;
    --only) only=${2:?--only takes a target}; shift ;;
    *) usage_error ;;
  esac
  shift
done

if [ "$(cargo fuzz --version 2> /dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  echo "[fuzz] installing cargo-fuzz $CARGO_FUZZ_VERSION" >&2
  cargo install --quiet --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" >&2
fi
# libFuzzer's instrumentation flags are unstable rustc options: the stable toolchain
# accepts them with RUSTC_BOOTSTRAP. Safe Rust needs no AddressSanitizer. Debug assertions
# (arithmetic overflow becomes a crash) come from fuzz/Cargo.toml's release profile: on in
# every crate but the cryptography crates. --release is what makes cargo fuzz use that
# profile: without it, it turns debug assertions on in every crate by its own flags.
export RUSTC_BOOTSTRAP=1
fuzz=(cargo fuzz)
build_flags=(--release --sanitizer none)
"${fuzz[@]}" build "${build_flags[@]}" >&2

failed=0
targets=$("${fuzz[@]}" list)
if [ -n "$only" ]; then
  grep -qx "$only" <<< "$targets" || { echo "[fuzz] no target $only; targets: $(echo $targets)" >&2; exit 2; }
  targets=$only
fi
for target in $targets; do
  corpus=$VSSI_CACHE/fuzz/corpus/$target
  mkdir -p "$corpus"
  log=$(mktemp)
  if "${fuzz[@]}" run "${build_flags[@]}" "$target" "$corpus" -- "${limit[@]}" > "$log" 2>&1; then
    status=ok
  else
    status=CRASH failed=1
    tail -30 "$log" >&2
  fi
  # libFuzzer ends with "Done <runs> runs in <s> second(s)".
  read -r runs seconds < <(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' "$log")
  printf '%-16s %-5s executions %12s in %5s s (%s/s), corpus %s inputs\n' "$target" "$status" \
    "${runs:-?}" "${seconds:-?}" "$(( ${runs:-0} / (${seconds:-0} > 0 ? ${seconds:-1} : 1) ))" \
    "$(find "$corpus" -type f | wc -l)"
  rm -f "$log"
done
exit "$failed"
