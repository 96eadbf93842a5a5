#!/usr/bin/env bash
# Internal, not a command: the cargo that cargo-contract runs (`scripts/dev build-contracts`
# points CARGO here), which makes the contract builds use the workspace's Cargo.lock.
#
# cargo-contract 5.0.3 builds a contract from a temporary copy of its manifest at
# <tmp>/contracts/<name>/Cargo.toml, made a workspace of its own, and copies the workspace's
# Cargo.lock to <tmp>/Cargo.lock, where cargo does not look for that workspace's lock. Every
# build would then resolve the dependencies afresh: any crates.io release changes what the
# contracts are built from and rebuilds all of them, and may need a newer Rust than the
# contract toolchain. In such a temporary workspace this script copies the lock beside the
# manifest, so that cargo keeps the locked versions (dropping the entries the contract does
# not use), and fails if cargo still had to take a package version the lock does not hold.
# Every other command goes to the real cargo unchanged.
set -euo pipefail
real_cargo=${VSSI_REAL_CARGO:?"set VSSI_REAL_CARGO to the cargo to run"}

# The manifest cargo will read: --manifest-path=PATH (how cargo-contract passes it), else the
# working directory's.
manifest_dir=$PWD
for arg in "$@"; do
  case "$arg" in --manifest-path=*) manifest_dir=$(dirname "${arg#--manifest-path=}") ;; esac
done
case "$manifest_dir" in
  */cargo-contract_*/*) ;;
  *) exec "$real_cargo" "$@" ;;
esac
outside=${manifest_dir%%/cargo-contract_*}
inside=${manifest_dir#"$outside"/}
workspace_lock=$outside/${inside%%/*}/Cargo.lock
lock=$manifest_dir/Cargo.lock
[ -f "$workspace_lock" ] || exec "$real_cargo" "$@"
[ -f "$lock" ] || cp "$workspace_lock" "$lock"

"$real_cargo" "$@"

# "name version" of every package from a registry in a lock file.
registry_packages() {
  awk '/^\[\[package\]\]/ { name = ""; version = "" }
       /^name = /    { name = $3 }
       /^version = / { version = $3 }
       /^source = "registry/ { print name, version }' "$1" | tr -d '"' | sort -u
}
unlocked=$(comm -23 <(registry_packages "$lock") <(registry_packages "$workspace_lock"))
if [ -n "$unlocked" ]; then
  echo "[build] the contract build took package versions the workspace's Cargo.lock does not" \
    "hold (run a cargo command in the workspace to update the lock, and commit it):" >&2
  echo "$unlocked" | sed 's/^/  /' >&2
  exit 1
fi
