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

# Starts the local node unless one is running (a node started here is stopped when the
# calling script exits) and exports its address (VSSI_NODE_URL, ...).
with_node() {
  if ! bash "$ROOT/scripts/node.sh" status > /dev/null; then
    bash "$ROOT/scripts/node.sh" start >&2
    trap 'bash "$ROOT/scripts/node.sh" stop >&2' EXIT
  fi
  eval "$(bash "$ROOT/scripts/node.sh" env)"
}
