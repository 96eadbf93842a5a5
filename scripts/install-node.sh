#!/usr/bin/env bash
# Installs substrate-contracts-node (crates.io crate `contracts-node` 0.42.0) into the cache,
# once: a second run only checks the binary (instant). The build takes over an hour on two
# cores, so CI never does it; the node tier runs wherever this script has been run.
#
# What the build needs, as ../shared/TOOLCHAIN.md measured it:
# - the contract toolchain of setup.sh (1.86 by rustup, or the linked Debian 1.85 with its
#   wasm32 std) for the runtimes' wasm builds: WASM_BUILD_TOOLCHAIN and RUSTC_BOOTSTRAP=1;
# - WASM_BUILD_WORKSPACE_HINT at the crate's own directory, so the runtimes resolve their
#   dependencies from the crate's Cargo.lock (fresh versions need Rust 1.87);
# - clang/libclang (rocksdb bindings) and protoc (libp2p protocol code), from Debian.
# The host code builds with the machine's stable Rust. Partial builds are kept in the cache
# (target/ there), so an interrupted install resumes.
#
# Prints the binary's path on its last line. `--check` only prints it (exit 1 if missing).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION=0.42.0
NODE_ROOT=$VSSI_CACHE/contracts-node-$VERSION
NODE_BIN=$NODE_ROOT/bin/substrate-contracts-node

if [ -x "$NODE_BIN" ] && "$NODE_BIN" --version > /dev/null 2>&1; then
  [ "${1:-}" = --check ] || echo "[node] substrate-contracts-node $VERSION: present" >&2
  echo "$NODE_BIN"
  exit 0
fi
if [ "${1:-}" = --check ]; then
  echo "[node] substrate-contracts-node $VERSION is not installed: run scripts/install-node.sh (over an hour cold)" >&2
  exit 1
fi

ensure_setup

missing=()
command -v clang > /dev/null || missing+=(clang)
ls /usr/lib/llvm-*/lib/libclang.so* > /dev/null 2>&1 || missing+=(libclang-dev)
command -v protoc > /dev/null || missing+=(protobuf-compiler)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[node] installing ${missing[*]} (Debian)" >&2
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

src=$NODE_ROOT/src/contracts-node-$VERSION
if [ ! -f "$src/Cargo.lock" ]; then
  echo "[node] fetching contracts-node $VERSION from crates.io" >&2
  mkdir -p "$NODE_ROOT/src"
  curl -fsSL "https://static.crates.io/crates/contracts-node/contracts-node-$VERSION.crate" |
    tar xz -C "$NODE_ROOT/src"
fi

echo "[node] building substrate-contracts-node $VERSION (runtimes with $CONTRACT_TOOLCHAIN); over an hour on 2 cores" >&2
start=$(date +%s)
WASM_BUILD_TOOLCHAIN=$CONTRACT_TOOLCHAIN \
  RUSTC_BOOTSTRAP=1 \
  WASM_BUILD_WORKSPACE_HINT=$src \
  CARGO_TARGET_DIR=$NODE_ROOT/target \
  cargo install --locked --path "$src" --root "$NODE_ROOT" >&2
"$NODE_BIN" --version >&2
echo "[node] built in $(( ($(date +%s) - start) / 60 )) min; freeing the build directory" >&2
rm -rf "$NODE_ROOT/target"
echo "$NODE_BIN"
