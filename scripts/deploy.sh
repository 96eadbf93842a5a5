#!/usr/bin/env bash
# Deploys the five contracts to the local node (scripts/node.sh start first), wired to each
# other, with the roles admin //Alice, ISP registrar //Bob, storage provider //Charlie and
# DIVS authority //Dave, and prints the deployment manifest (JSON). The manifest is kept
# beside the chain (<node dir>/deployment.json, or --manifest PATH); run again against the
# same chain, it recognises that deployment and deploys nothing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_setup
bash scripts/build-contracts.sh >&2
eval "$(bash scripts/node.sh env)"
args=("$@")
case " $* " in
  *" --manifest "*) ;;
  *) args+=(--manifest "$VSSI_NODE_DIR/deployment.json") ;;
esac
cargo run --release --quiet -p e2e-tests --bin deploy -- "${args[@]}"
