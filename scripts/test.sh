#!/usr/bin/env bash
# All tests: setup (cached), unit and property tests of every crate, the contract build
# (sizes table), and the end-to-end flows on the in-process drink sandbox. Ends with the
# total over every test binary: "tests: N passed, N failed".
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_setup
cd "$ROOT"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== unit and property tests (shared-types, sdk, contracts)"
cargo test --release --workspace --exclude e2e-tests 2>&1 | tee -a "$log"

echo "== contract bundles"
bash scripts/build-contracts.sh

echo "== end-to-end flows on the drink sandbox"
cargo test --release -p e2e-tests -- --nocapture --test-threads 1 2>&1 | tee -a "$log"

awk '/^test result:/ { passed += $4; failed += $6 }
     END { printf "tests: %d passed, %d failed\n", passed, failed }' "$log"
