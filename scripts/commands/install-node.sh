#!/usr/bin/env bash
# Finds substrate-contracts-node 0.42.x (CONTRACTS_NODE, PATH, cache) or builds it.
#
# usage: scripts/dev install-node [--check]
#
#   (no flag)   find or build; prints the binary's path on its last line
#   --check     find only: prints the path and exits 0 if a usable node exists, exits 1
#               (building nothing) otherwise
#
# substrate-contracts-node 0.42 (crates.io crate `contracts-node`) is the node the node
# tier, the demo's `--node` and the benchmarks run on. In order:
#
# 1. `$CONTRACTS_NODE`, the variable ink_e2e reads (a path, or a name looked up on PATH);
# 2. `substrate-contracts-node` on PATH;
# 3. the binary this command built earlier, in the cache;
# 4. otherwise it builds 0.42.0 from source into the cache (over an hour on two cores, so
#    CI never does it; the node tier runs wherever a node has been found or built).
#
# A binary from 1 or 2 is used only when its `--version` reports 0.42.x (contracts built
# for pallet-contracts of that node; another version may differ in weights, host functions
# and code limits). The command says which binary it found and why it accepted or refused
# it. A refused `$CONTRACTS_NODE` is an error (it was asked for explicitly: point it at a
# 0.42 node or unset it); a refused one on PATH is passed over for the cache.
#
# The source build fetches the crate through cargo from the configured registry (no URL
# download), then runs `cargo install contracts-node --version 0.42.0 --locked --force`
# (--force: this is reached only when no usable binary exists, so a broken one in the
# cache is replaced). It needs:
# - the contract toolchain of `scripts/dev setup` (Rust 1.86 by rustup, or the linked
#   Debian 1.85 with its wasm32 std) for the runtimes' wasm builds: WASM_BUILD_TOOLCHAIN
#   and RUSTC_BOOTSTRAP=1;
# - WASM_BUILD_WORKSPACE_HINT at the unpacked crate (which holds its Cargo.lock), so the
#   runtimes resolve their dependencies from that lock: resolved afresh they pick versions
#   that need Rust 1.87 (e.g. substrate-bip39 0.6.1), which the contract toolchain is not;
# - clang/libclang (rocksdb bindings) and protoc (libp2p protocol code), from Debian.
# The host code builds with the machine's stable Rust. Partial builds are kept in the cache
# (target/ there), so an interrupted install resumes.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

VERSION=0.42.0
ACCEPTED_SERIES=0.42
CRATE=contracts-node
NODE_ROOT=$VSSI_CACHE/contracts-node-$VERSION
NODE_BIN=$NODE_ROOT/bin/substrate-contracts-node

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) usage_error ;;
esac

log() { echo "[node] $*" >&2; }

# The version a node binary reports: the last field of the first line of `--version`
# ("substrate-contracts-node 0.42.0-<commit>"; the name is the binary's file name).
node_version() {
  timeout 30 "$1" --version 2> /dev/null | awk 'NR == 1 { print $NF }'
}

# Succeeds when the executable $2 (found as $1) reports a 0.42.x version; says why or why not.
acceptable() {
  local source=$1 bin=$2 reported
  if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
    log "$source: $bin is not an executable file: refused"
    return 1
  fi
  reported=$(node_version "$bin" || true)
  case "$reported" in
    "$ACCEPTED_SERIES".[0-9]*)
      log "$source: $bin reports $reported: accepted ($ACCEPTED_SERIES.x wanted)"
      return 0
      ;;
    "")
      log "$source: $bin printed no version for --version: refused ($ACCEPTED_SERIES.x wanted)"
      return 1
      ;;
    *)
      log "$source: $bin reports $reported: refused ($ACCEPTED_SERIES.x wanted; contracts here target that node's pallet-contracts)"
      return 1
      ;;
  esac
}

# An absolute path for a command name or a (possibly relative) path, so that callers may
# change directory before running it; empty if a name is not on PATH.
absolute() {
  local found
  case "$1" in
    */*) found=$1 ;;
    *) found=$(command -v -- "$1" 2> /dev/null) || return 0 ;;
  esac
  if [ -d "$(dirname -- "$found")" ]; then
    echo "$(cd "$(dirname -- "$found")" && pwd)/$(basename -- "$found")"
  else
    echo "$found"
  fi
}

# 1. $CONTRACTS_NODE: asked for explicitly, so a refusal ends the script.
if [ -n "${CONTRACTS_NODE:-}" ]; then
  bin=$(absolute "$CONTRACTS_NODE")
  if [ -z "$bin" ]; then
    log "CONTRACTS_NODE=$CONTRACTS_NODE: no such command on PATH: refused"
    log "point CONTRACTS_NODE at a substrate-contracts-node $ACCEPTED_SERIES.x or unset it"
    exit 1
  fi
  if acceptable "CONTRACTS_NODE" "$bin"; then
    echo "$bin"
    exit 0
  fi
  log "point CONTRACTS_NODE at a substrate-contracts-node $ACCEPTED_SERIES.x or unset it"
  exit 1
fi

# 2. substrate-contracts-node on PATH (the cache's own binary is taken in step 3, quietly).
bin=$(absolute substrate-contracts-node)
if [ -n "$bin" ] && [ "$bin" != "$NODE_BIN" ]; then
  if acceptable "on PATH" "$bin"; then
    echo "$bin"
    exit 0
  fi
  log "passing over $bin; looking in the cache"
fi

# 3. The binary built earlier into the cache.
if [ -x "$NODE_BIN" ]; then
  reported=$(node_version "$NODE_BIN" || true)
  case "$reported" in
    "$ACCEPTED_SERIES".[0-9]*)
      $check || log "cache: substrate-contracts-node $reported present ($NODE_BIN)"
      echo "$NODE_BIN"
      exit 0
      ;;
    *)
      log "cache: $NODE_BIN reports '${reported:-nothing}' for --version: refused"
      $check || log "rebuilding it"
      ;;
  esac
fi
if $check; then
  log "no usable substrate-contracts-node $ACCEPTED_SERIES.x (CONTRACTS_NODE unset, none on PATH, none in the cache):"
  log "set CONTRACTS_NODE to one, or run scripts/dev install-node to build it (over an hour cold)"
  exit 1
fi

# 4. Build from source.
ensure_setup

missing=()
command -v clang > /dev/null || missing+=(clang)
ls /usr/lib/llvm-*/lib/libclang.so* > /dev/null 2>&1 || missing+=(libclang-dev)
command -v protoc > /dev/null || missing+=(protobuf-compiler)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} (Debian)"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# The crate as cargo unpacks it from the registry (checksum-verified); `cargo install`
# below builds from that same directory, so the hint names the lock it uses.
CARGO_DIR=${CARGO_HOME:-$HOME/.cargo}
unpacked() {
  local dir
  for dir in "$CARGO_DIR"/registry/src/*/"$CRATE-$VERSION"; do
    if [ -f "$dir/Cargo.lock" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}
mkdir -p "$NODE_ROOT"
if ! src=$(unpacked); then
  log "fetching $CRATE $VERSION through cargo (cargo info downloads and unpacks the crate)"
  # From the cache directory, so that no workspace's lock or toolchain file takes part.
  (cd "$NODE_ROOT" && cargo info --quiet "$CRATE@$VERSION" > /dev/null)
  src=$(unpacked) || {
    log "cargo fetched $CRATE $VERSION but no unpacked copy with Cargo.lock is under $CARGO_DIR/registry/src"
    exit 1
  }
fi
log "crate source: $src"

log "building substrate-contracts-node $VERSION (runtimes with $CONTRACT_TOOLCHAIN); over an hour on 2 cores"
start=$(date +%s)
(cd "$NODE_ROOT" &&
  WASM_BUILD_TOOLCHAIN=$CONTRACT_TOOLCHAIN \
    RUSTC_BOOTSTRAP=1 \
    WASM_BUILD_WORKSPACE_HINT=$src \
    CARGO_TARGET_DIR=$NODE_ROOT/target \
    cargo install --locked --force "$CRATE" --version "$VERSION" --root "$NODE_ROOT" >&2)
reported=$(node_version "$NODE_BIN" || true)
case "$reported" in
  "$ACCEPTED_SERIES".[0-9]*) ;;
  *) log "the build finished but $NODE_BIN reports '${reported:-nothing}' for --version"; exit 1 ;;
esac
log "built substrate-contracts-node $reported in $(( ($(date +%s) - start) / 60 )) min; freeing the build directory"
rm -rf "$NODE_ROOT/target"
echo "$NODE_BIN"
