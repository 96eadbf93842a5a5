#!/usr/bin/env bash
# Runs the polkadot.js frontend test against the local node.
#
# usage: scripts/dev client-test
#
# Installs the npm packages once (node_modules is kept), deploys or recognises the
# deployment (`scripts/dev deploy`), then runs `node --test`. Needs Node.js 18 or later and
# a running node (`scripts/dev node start`, or the node tier's own). Settings:
# VSSI_MANIFEST (default <node dir>/deployment.json).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
cd "$ROOT/node-client"
command -v node > /dev/null || { echo "[client] Node.js (>= 18) is needed for the polkadot.js client" >&2; exit 1; }
if [ ! -d node_modules/@polkadot/api-contract ] || [ package-lock.json -nt node_modules ]; then
  echo "[client] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
eval "$(dev node env)"
export VSSI_MANIFEST=${VSSI_MANIFEST:-$VSSI_NODE_DIR/deployment.json}
dev deploy --manifest "$VSSI_MANIFEST" > /dev/null
node --test client-test.mjs
