#!/usr/bin/env bash
# The polkadot.js frontend test (node-client/client-test.mjs) against the local node:
# installs the npm packages once (node_modules is kept), deploys or recognises the
# deployment (scripts/deploy.sh), then runs `node --test`.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT/node-client"
command -v node > /dev/null || { echo "[client] Node.js (>= 18) is needed for the polkadot.js client" >&2; exit 1; }
if [ ! -d node_modules/@polkadot/api-contract ] || [ package-lock.json -nt node_modules ]; then
  echo "[client] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
eval "$(bash "$ROOT/scripts/node.sh" env)"
export VSSI_MANIFEST=${VSSI_MANIFEST:-$VSSI_NODE_DIR/deployment.json}
bash "$ROOT/scripts/deploy.sh" --manifest "$VSSI_MANIFEST" > /dev/null
node --test client-test.mjs
