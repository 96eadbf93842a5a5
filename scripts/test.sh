#!/usr/bin/env bash
# All tests, by tier, each with its own count; ends with the total over every tier:
# "tests: N passed, N failed".
#
#   scripts/test.sh          unit (all crates) + contract build + sandbox (e2e stories and the
#                            access-control matrix on drink) + fuzz (20 s per fuzz target)
#   scripts/test.sh --node   adds the node tier: the e2e stories, the polkadot.js client and
#                            the SIGKILL durability test on a local substrate-contracts-node
#                            (needs a binary `scripts/dev install-node --check` finds;
#                            starts a node of its own on a fresh chain, removed at the end)
#
# Everything is built from the committed Cargo.lock (`--locked`; the contracts through
# scripts/lib/locked-cargo.sh): a lock that no longer matches the manifests fails the run.
# The tiers are described in docs/TESTING.md.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
node=false
for arg in "$@"; do
  case "$arg" in
    --node) node=true ;;
    *) echo "usage: scripts/test.sh [--node]" >&2; exit 2 ;;
  esac
done
ensure_setup
cd "$ROOT"
logs=$(mktemp -d)
at_exit 'rm -rf "$logs"'

# Sums "test result:" lines of cargo, "# pass/# fail" lines of node:test and the targets
# of `scripts/dev fuzz` in a tier's log.
count() {
  awk '/^test result:/ { p += $4; f += $6 }
       /^# pass / { p += $3 } /^# fail / { f += $3 }
       / ok +executions / { p += 1 } / CRASH +executions / { f += 1 }
       END { printf "%d passed, %d failed", p, f }' "$1"
}

# Seconds per tier, printed beside its count.
declare -A took
mark=$SECONDS
# Records the seconds since the previous tier ended as tier `$1`'s.
tier_took() {
  took[$1]=$((SECONDS - mark))
  mark=$SECONDS
}

echo "== tier unit: unit and property tests (shared-types, sdk, contracts)"
cargo test --locked --release --workspace --exclude e2e-tests 2>&1 | tee "$logs/unit"

tier_took unit
echo "== contract bundles"
dev build-contracts
mark=$SECONDS

echo "== tier sandbox: end-to-end stories on the drink sandbox"
cargo test --locked --release -p e2e-tests --lib --bins --test sandbox --test access_matrix --test attacks -- --nocapture --test-threads 1 2>&1 |
  tee "$logs/sandbox"
tier_took sandbox

echo "== tier fuzz: 20 s of libFuzzer per target (scripts/dev fuzz --long runs 10 million each)"
dev fuzz 2>&1 | tee "$logs/fuzz"
tier_took fuzz

if $node; then
  echo "== tier node: the same stories, the polkadot.js client and durability on substrate-contracts-node"
  # On a fresh chain of the tier's own, removed at the end; a node already running (the
  # demo's, an operator's) is left alone.
  with_fresh_node
  cargo test --locked --release -p e2e-tests --test node -- --ignored --nocapture --test-threads 1 2>&1 |
    tee "$logs/node"
  dev client-test 2>&1 | tee -a "$logs/node"
  tier_took node
fi

echo "== tiers"
for tier in unit sandbox fuzz node; do
  if [ -f "$logs/$tier" ]; then echo "tier $tier: $(count "$logs/$tier") (${took[$tier]} s)"; fi
done
cat "$logs"/unit "$logs"/sandbox "$logs"/fuzz "$logs"/node 2> /dev/null > "$logs/all" || true
echo "tests: $(count "$logs/all")"
