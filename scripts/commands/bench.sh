#!/usr/bin/env bash
# The benchmark table: contract sizes, message weights against a token transfer.
#
# usage: scripts/dev bench [--json] [--sandbox]
#
# The optimized wasm size of every contract, and ref_time / proof_size / storage deposit of
# every message the whole story calls, each against a transfer of the reference
# ERC-20-style token (bench/reference_token) built with the same toolchain in the same run.
#
#   (no flag)   Markdown (docs/benchmarks.md keeps this output)
#   --json      the same figures as JSON
#   --sandbox   on the sandbox even where a node is found
#
# Backend: substrate-contracts-node where `scripts/dev install-node --check` finds one (a
# node of this run's own on a fresh chain, removed at the end), else the in-process sandbox.
# Their weight schedules differ (pallet-contracts 38 vs 31): compare figures of one backend.
# Does its own setup; build logs go to stderr.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
cd "$ROOT"
json=false sandbox=false
for arg in "$@"; do
  case $arg in
    --json) json=true ;;
    --sandbox) sandbox=true ;;
    *) usage_error ;;
  esac
done
ensure_setup
dev build-contracts >&2
cargo build --release --quiet -p e2e-tests --bin bench >&2
bench_args=()
if ! $sandbox && dev install-node --check > /dev/null 2>&1; then
  with_fresh_node
  bench_args+=(--node)
fi
$json && bench_args+=(--json)
if ! $json; then
  printf '# Benchmarks\n\nProduced by `%s` at commit %s on %s (%s cores).\n\n' \
    "$(echo scripts/dev bench "$@")" "$(git describe --always --dirty 2> /dev/null || echo unknown)" \
    "$(date -u +%Y-%m-%d)" "$(nproc)"
fi
target/release/bench "${bench_args[@]}"
