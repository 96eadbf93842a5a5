#!/usr/bin/env bash
# Builds every contract and the reference token into target/contracts/.
#
# usage: scripts/dev build-contracts [NAME...]
#
# Builds every crate under contracts/ and bench/ in release with cargo-contract and the
# contract toolchain, copies each bundle (.contract, .wasm, .json) to target/contracts/,
# and prints contract | optimized wasm bytes | build seconds (with its v2 build). Fails if
# a build fails or a contract exceeds 64 KiB. With NAMEs (e.g. divs_ledger), only those
# crates: a quicker rebuild while working on one contract.
#
# A crate's `build.env` (shell assignments) sets build-time variables for that crate only.
# An upgradable contract is built a second time as `<name>_v2` (VERSION 2), which the e2e
# upgrade moves a deployment to. The builds use the workspace's Cargo.lock: cargo-contract
# runs scripts/lib/locked-cargo.sh as its cargo, which says how.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
for arg in "$@"; do
  case $arg in -*) usage_error ;; esac
done
ensure_setup
LIMIT=65536

mkdir -p "$BUNDLE_DIR"
rows=() over=0
# Builds one crate (`$1`: its manifest) with cargo-contract's further arguments (`$2`...), and
# copies the bundle to $BUNDLE_DIR under the name `$name$suffix`.
build() {
  local manifest=$1 name env_file target_dir
  shift
  name=$(basename "$(dirname "$manifest")")
  env_file=$(dirname "$manifest")/build.env target_dir=$ROOT/target
  # A v1 and a v2 build share a target directory: each rebuilds only the contract crate
  # (tens of seconds per run), where a directory of its own compiles the whole wasm
  # dependency tree again on a fresh machine (about 11 minutes more, docs/benchmarks.md).
  if [ -f "$env_file" ]; then
    # Such a crate sets INK_STATIC_BUFFER_SIZE, on whose change (or first use) cargo-contract
    # runs `cargo clean`, emptying the whole target directory: give it one of its own.
    target_dir=$ROOT/target/isolated/$name
  fi
  (
    export CARGO_TARGET_DIR=$target_dir
    if [ -f "$env_file" ]; then
      set -a
      . "$env_file"
      set +a
    fi
    # Run as cargo-contract rather than `cargo contract`, which would set CARGO itself.
    RUSTUP_TOOLCHAIN=$CONTRACT_TOOLCHAIN CARGO=$ROOT/scripts/lib/locked-cargo.sh VSSI_REAL_CARGO=cargo \
      cargo-contract contract build --release --quiet --manifest-path "$manifest" "$@" >&2
  )
  for ext in contract wasm json; do cp "$target_dir/ink/$name/$name.$ext" "$BUNDLE_DIR/$name$suffix.$ext"; done
}

only=" $* "
for manifest in "$ROOT"/contracts/*/Cargo.toml "$ROOT"/bench/*/Cargo.toml; do
  name=$(basename "$(dirname "$manifest")")
  if [ $# -gt 0 ] && [[ $only != *" $name "* ]]; then continue; fi
  echo "[build] $name (toolchain $CONTRACT_TOOLCHAIN)" >&2
  started=$SECONDS
  suffix='' build "$manifest"
  size=$(stat -c %s "$BUNDLE_DIR/$name.wasm")
  [ "$size" -le "$LIMIT" ] || over=1
  # A contract that can be upgraded also gets the version-2 build its e2e upgrade moves to.
  if grep -q '^upgrade-test-v2 = ' "$manifest"; then
    echo "[build] ${name}_v2: $name with VERSION 2, for the e2e upgrade" >&2
    suffix=_v2 build "$manifest" --features upgrade-test-v2
  fi
  rows+=("$name|$size|$((SECONDS - started))")
done

printf '\n%-22s | %-20s | %s\n%s\n' contract "optimized wasm bytes" "build s" \
  "-----------------------+----------------------+--------"
for row in "${rows[@]}"; do
  IFS='|' read -r name size secs <<< "$row"
  printf '%-22s | %-20s | %s\n' "$name" "$size" "$secs"
done
printf 'bundles: %s\n' "${BUNDLE_DIR#"$ROOT"/}"
if [ "$over" = 1 ]; then echo "[build] a contract exceeds $LIMIT bytes" >&2; exit 1; fi
