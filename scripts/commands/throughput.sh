#!/usr/bin/env bash
# Registrations per second on a fresh local substrate-contracts-node.
#
# usage: scripts/dev throughput [--count N] [--window W]
#
# On a node of this run's own on a fresh chain (found by `scripts/dev install-node
# --check`; removed at the end): deploys the suite, signs N registrations (users, cameras
# and DIVS terminals in turn), submits them all, and prints the blocks that held them, how
# many succeeded and the transactions per second; fails if any is missing on chain.
#
#   --count N    transactions in all (default 10 000)
#   --window W   transactions outstanding at a time (default 200; at most the 256 blocks
#                whose events the node keeps)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
cd "$ROOT"
ensure_setup
dev build-contracts >&2
cargo build --release --quiet -p e2e-tests --bin throughput >&2
with_fresh_node
target/release/throughput "$@"
