# Sourced by the other scripts: repository root, cache location, and the contract toolchain
# made available by setup.sh.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VSSI_CACHE=${VSSI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vssi-divs}
# Contract bundles (.contract, .wasm, .json) of every crate under contracts/.
BUNDLE_DIR=$ROOT/target/contracts
export VSSI_CACHE BUNDLE_DIR

# Runs setup.sh (seconds when everything is cached) and loads CONTRACT_TOOLCHAIN.
ensure_setup() {
  bash "$ROOT/scripts/setup.sh"
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
# what earlier runs left on the persistent chain of scripts/node.sh (whose prefunded dev
# accounts every run spends from).
with_fresh_node() {
  VSSI_NODE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vssi-node.XXXXXX")
  VSSI_NODE_PORT=$(free_port)
  export VSSI_NODE_DIR VSSI_NODE_PORT
  at_exit 'bash "$ROOT/scripts/node.sh" stop >&2; rm -rf "$VSSI_NODE_DIR"'
  bash "$ROOT/scripts/node.sh" start >&2
  eval "$(bash "$ROOT/scripts/node.sh" env)"
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
