# shellcheck shell=bash
# Sourced by scripts/demo.sh, scripts/test.sh and every command under scripts/commands/:
# repository root, cache location, the contract toolchain made available by
# `scripts/dev setup`, and the helpers they share.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VSSI_CACHE=${VSSI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vssi-divs}
# Contract bundles (.contract, .wasm, .json) of every crate under contracts/.
BUNDLE_DIR=$ROOT/target/contracts
export VSSI_CACHE BUNDLE_DIR

# Runs another command of scripts/dev (`dev build-contracts`, `dev node start`, ...).
dev() {
  bash "$ROOT/scripts/dev" "$@"
}

# Prints the running command's `# usage:` lines (from its leading comment) and exits 2: what
# a command does with an argument it does not know.
usage_error() {
  sed -n 's/^# usage: /usage: /p' "$0" >&2
  exit 2
}

# Runs `scripts/dev setup` (seconds when everything is cached) and loads CONTRACT_TOOLCHAIN.
ensure_setup() {
  dev setup
  # shellcheck disable=SC1091
  . "$VSSI_CACHE/toolchain.env"
}

# Runs every command given to at_exit, in order, when the calling script exits.
EXIT_HOOKS=()
at_exit() {
  EXIT_HOOKS+=("$1")
  trap 'for hook in "${EXIT_HOOKS[@]}"; do eval "$hook"; done' EXIT
}

# Starts a node of this run's own on a fresh chain (a temporary base path, a free loopback
# port) and exports its address; it is stopped and its chain removed when the calling
# script exits. Tests and measurements use it so that they neither depend on nor add to
# what earlier runs left on the persistent chain of `scripts/dev node` (whose prefunded dev
# accounts every run spends from).
with_fresh_node() {
  VSSI_NODE_DIR=$(mktemp -d -t vssi-node.XXXXXX)
  VSSI_NODE_PORT=$(free_port)
  export VSSI_NODE_DIR VSSI_NODE_PORT
  at_exit 'dev node stop >&2; rm -rf "$VSSI_NODE_DIR"'
  dev node start >&2
  eval "$(dev node env)"
}

# A loopback TCP port nothing listens on, below Linux's ephemeral range (32768 and up), which
# outgoing connections take from.
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 12000))
    if ! (: < "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "[node] no free loopback port found" >&2
  return 1
}
