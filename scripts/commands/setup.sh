#!/usr/bin/env bash
# Makes the contract toolchain and cargo-contract 5.0.3 available (cached).
#
# usage: scripts/dev setup
#
# The contract toolchain is Rust 1.81..=1.86 with rust-src, clippy and a wasm32 std
# (pallet-contracts rejects code built with Rust 1.87 or later). Both are cached outside
# the repository; a second run only checks what is already there (seconds). Writes
# $VSSI_CACHE/toolchain.env, which the other commands source (they run this command
# rather than assuming). The other commands and README's two commands run it themselves.
#
# Routes: rustup (`rustup toolchain install 1.86` with those components) first; where
# rustup cannot download, Debian's rustc-web 1.85 packages unpacked into the cache, linked
# into rustup as vssi-rust-1.85, with a wasm32 std built for them once.
#
# Settings:
#   VSSI_CACHE            cache directory (default: ${XDG_CACHE_HOME:-~/.cache}/vssi-divs)
#   VSSI_TOOLCHAIN_ROUTE  auto (default) | rustup | debian: force one route
set -euo pipefail

# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
[ $# -eq 0 ] || usage_error
CACHE=$VSSI_CACHE
ROUTE=${VSSI_TOOLCHAIN_ROUTE:-auto}
RUSTUP_TOOLCHAIN_NAME=1.86
DEBIAN_TOOLCHAIN_NAME=vssi-rust-1.85
DEBIAN_RUST_VERSION=1.85.0+dfsg3-1~deb12u3
DEBIAN_LLVM_VERSION=1:19.1.7-3~deb12u1
CARGO_CONTRACT_VERSION=5.0.3
ENV_FILE=$CACHE/toolchain.env
mkdir -p "$CACHE"
unset RUSTUP_TOOLCHAIN # host tools below are built with the machine's default toolchain

log() { printf '[setup] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# A toolchain is usable for contracts when it has rust-src, clippy and a wasm32 std.
toolchain_ready() {
  local sysroot
  sysroot=$(rustup run "$1" rustc --print sysroot 2>/dev/null) || return 1
  [ -d "$sysroot/lib/rustlib/src/rust/library/core" ] &&
    ls "$sysroot"/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib >/dev/null 2>&1 &&
    rustup run "$1" cargo clippy --version >/dev/null 2>&1
}

try_rustup_route() {
  toolchain_ready "$RUSTUP_TOOLCHAIN_NAME" && return 0
  log "rustup route: installing $RUSTUP_TOOLCHAIN_NAME with rust-src, clippy, wasm32"
  timeout 600 rustup toolchain install "$RUSTUP_TOOLCHAIN_NAME" --profile minimal \
    --component rust-src,clippy --target wasm32-unknown-unknown >&2 || return 1
  toolchain_ready "$RUSTUP_TOOLCHAIN_NAME"
}

# Debian's rustc-web 1.85 (Debian 12 packages) unpacked into a prefix and linked into rustup:
# the packages conflict with rustup when installed normally. Its rust-lld is Debian's
# lld-19, and it ships no wasm32 std, which is built once at the end.
debian_route() {
  local prefix=$CACHE/rust-1.85 debs=$CACHE/debs
  toolchain_ready "$DEBIAN_TOOLCHAIN_NAME" && return 0
  log "debian route: unpacking rustc-web $DEBIAN_RUST_VERSION into $prefix"
  local sys_pkgs=(lld-19 libpcre3 libgit2-1.5) missing=()
  for p in "${sys_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "debian route: apt-get install ${missing[*]} (log: $CACHE/apt.log)"
    as_root apt-get update -qq >>"$CACHE/apt.log" 2>&1
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$CACHE/apt.log" 2>&1
  fi
  mkdir -p "$debs"
  local pkgs=(rustc-web libstd-rust-web-dev libstd-rust-web-1.85 cargo-web rust-web-src rust-web-clippy)
  (cd "$debs"
    for p in "${pkgs[@]}"; do
      ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download -qq "$p=$DEBIAN_RUST_VERSION" >>"$CACHE/apt.log" 2>&1
    done
    ls libllvm19_*.deb >/dev/null 2>&1 || apt-get download -qq "libllvm19=$DEBIAN_LLVM_VERSION" >>"$CACHE/apt.log" 2>&1)
  rm -rf "$prefix" && mkdir -p "$prefix"
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$prefix"; done
  for so in "$prefix"/usr/lib/x86_64-linux-gnu/*.so*; do ln -sf "$so" "$prefix/usr/lib/"; done
  mkdir -p "$prefix/usr/lib/rustlib/x86_64-unknown-linux-gnu/bin"
  ln -sf /usr/bin/lld-19 "$prefix/usr/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
  rustup toolchain link "$DEBIAN_TOOLCHAIN_NAME" "$prefix/usr" >&2

  # A real wasm32 std, so plain `--target wasm32-unknown-unknown` builds work.
  log "debian route: building the wasm32 std once"
  local probe=$CACHE/wasm-std-probe
  rm -rf "$probe" && mkdir -p "$probe/src"
  printf '[package]\nname = "wasm_std_probe"\nversion = "0.0.0"\nedition = "2021"\n[lib]\ncrate-type = ["rlib"]\n' > "$probe/Cargo.toml"
  : > "$probe/src/lib.rs"
  (cd "$probe" && RUSTUP_TOOLCHAIN=$DEBIAN_TOOLCHAIN_NAME RUSTC_BOOTSTRAP=1 \
    cargo build -q --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort >&2)
  local wasm_lib=$prefix/usr/lib/rustlib/wasm32-unknown-unknown/lib
  mkdir -p "$wasm_lib"
  find "$probe/target/wasm32-unknown-unknown/release/deps" -name '*.rlib' \
    ! -name 'libwasm_std_probe-*' -exec cp {} "$wasm_lib/" \;
  rm -rf "$probe"
  toolchain_ready "$DEBIAN_TOOLCHAIN_NAME"
}

pick_route() {
  # A cached choice that still works is reused as it is.
  if [ -f "$ENV_FILE" ] && [ "$ROUTE" = auto ]; then
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    if toolchain_ready "$CONTRACT_TOOLCHAIN"; then
      log "toolchain: $CONTRACT_TOOLCHAIN (route: $CONTRACT_TOOLCHAIN_ROUTE, cached)"
      return
    fi
  fi
  if [ "$ROUTE" != debian ] && try_rustup_route; then
    CONTRACT_TOOLCHAIN=$RUSTUP_TOOLCHAIN_NAME CONTRACT_TOOLCHAIN_ROUTE=rustup
  elif [ "$ROUTE" != rustup ]; then
    [ "$ROUTE" = debian ] || log "rustup cannot provide $RUSTUP_TOOLCHAIN_NAME with wasm32: falling back to Debian"
    debian_route
    CONTRACT_TOOLCHAIN=$DEBIAN_TOOLCHAIN_NAME CONTRACT_TOOLCHAIN_ROUTE=debian
  else
    log "rustup route requested but failed"; exit 1
  fi
  printf 'export CONTRACT_TOOLCHAIN=%s\nexport CONTRACT_TOOLCHAIN_ROUTE=%s\n' \
    "$CONTRACT_TOOLCHAIN" "$CONTRACT_TOOLCHAIN_ROUTE" > "$ENV_FILE"
  log "toolchain: $CONTRACT_TOOLCHAIN (route: $CONTRACT_TOOLCHAIN_ROUTE)"
}

ensure_cargo_contract() {
  if cargo contract --version 2>/dev/null | grep -q "cargo-contract-contract $CARGO_CONTRACT_VERSION\|$CARGO_CONTRACT_VERSION-"; then
    log "cargo-contract $CARGO_CONTRACT_VERSION: present"
    return
  fi
  log "cargo-contract $CARGO_CONTRACT_VERSION: installing (about 15 min on 2 cores, once)"
  cargo install -q "cargo-contract@$CARGO_CONTRACT_VERSION" --locked >&2
}

pick_route
ensure_cargo_contract
