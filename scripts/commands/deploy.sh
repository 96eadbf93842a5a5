#!/usr/bin/env bash
# Deploys the five contracts to the local node, or recognises that deployment.
#
# usage: scripts/dev deploy [--manifest PATH] [--fault-threshold N]
#
# Deploys the five contracts to the node of `scripts/dev node start` (or $VSSI_NODE_URL),
# wired to each other, with the roles of a dev installation: admin //Alice, ISP registrar
# //Bob, storage provider //Charlie and DIVS authority //Dave (for a local dev chain
# only: their keys are as public as those accounts). Prints the deployment manifest (JSON)
# and keeps it beside the chain (<node dir>/deployment.json, or --manifest PATH); run again
# against the same chain, it recognises that deployment and deploys nothing.
#
#   --manifest PATH        where the manifest is read from and written to
#   --fault-threshold N    faults after which resource_registry suspends a storage
#                          provider (default 3)
#
# Builds the contract bundles first (`scripts/dev build-contracts`).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
cd "$ROOT"
ensure_setup
dev build-contracts >&2
eval "$(dev node env)"
args=("$@")
case " $* " in
  *" --manifest "*) ;;
  *) args+=(--manifest "$VSSI_NODE_DIR/deployment.json") ;;
esac
cargo run --release --quiet -p e2e-tests --bin deploy -- "${args[@]}"
