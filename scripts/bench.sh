#!/usr/bin/env bash
# The benchmark table: optimized wasm size of every contract, ref_time / proof_size / storage
# deposit of every message the whole story calls, each against a transfer of the reference
# ERC-20-style token (bench/reference_token) built with the same toolchain in the same run.
#
#   scripts/bench.sh              Markdown (docs/benchmarks.md is this output)
#   scripts/bench.sh --json       the same figures as JSON
#   scripts/bench.sh --sandbox    on the sandbox even where the node is installed
#
# Backend: the local substrate-contracts-node where scripts/install-node.sh has installed it
# (a node of this run's own on a fresh chain, removed at the end), else the in-process
# sandbox.
# Their weight schedules differ (pallet-contracts 38 vs 31): compare figures of one backend.
# Does its own setup; build logs go to stderr.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
json=false sandbox=false
for arg in "$@"; do
  case $arg in
    --json) json=true ;;
    --sandbox) sandbox=true ;;
    *) echo "usage: scripts/bench.sh [--json] [--sandbox]" >&2; exit 2 ;;
  esac
done
ensure_setup
bash scripts/build-contracts.sh >&2
cargo build --release --quiet -p e2e-tests --bin bench >&2
bench_args=()
if ! $sandbox && bash scripts/install-node.sh --check > /dev/null 2>&1; then
  with_fresh_node
  bench_args+=(--node)
fi
$json && bench_args+=(--json)
if ! $json; then
  printf '# Benchmarks\n\nProduced by `%s` at commit %s on %s (%s cores).\n\n' \
    "$(echo scripts/bench.sh "$@")" "$(git rev-parse --short HEAD 2> /dev/null || echo unknown)" \
    "$(date -u +%Y-%m-%d)" "$(nproc)"
fi
target/release/bench "${bench_args[@]}"
