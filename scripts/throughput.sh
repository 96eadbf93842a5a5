#!/usr/bin/env bash
# Throughput of registrations on the local substrate-contracts-node (installed by
# scripts/install-node.sh; a node of this run's own on a fresh chain, removed at the end):
#
#   scripts/throughput.sh [--count N] [--window W]
#
# deploys the suite, signs N registrations (default 10 000: users, cameras and DIVS
# terminals in turn), submits them all, and prints the blocks that held them, how many
# succeeded and the transactions per second; fails if any is missing on chain.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_setup
bash scripts/build-contracts.sh >&2
cargo build --release --quiet -p e2e-tests --bin throughput >&2
with_fresh_node
target/release/throughput "$@"
