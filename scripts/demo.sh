#!/usr/bin/env bash
# The main job: the whole story (F.743.24 I.1-I.5, Y.2247 10.1-10.2 and a video's evidence
# bundle) on one deployment, printed as a transcript labelled with the seeds' clauses.
#
#   scripts/demo.sh            on the in-process drink sandbox
#   scripts/demo.sh --node     on the local substrate-contracts-node (`scripts/dev node`,
#                              started if needed; the binary is CONTRACTS_NODE's, one on
#                              PATH, or one `scripts/dev install-node` built)
#
# Does its own setup (toolchain, contract bundles). Exit status non-zero if any step fails.
# Ends with the seconds each phase took (setup, contract bundles, the demo's build, the
# story), where a first run's time goes.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"
took='' mark=$SECONDS
# Records the seconds since the previous phase ended under the name `$1`.
phase() {
  took="$took${took:+, }$1 $((SECONDS - mark)) s"
  mark=$SECONDS
}
ensure_setup
phase setup
dev build-contracts >&2
phase "contract bundles"
cargo build --release --quiet -p e2e-tests --bin demo
phase "demo build"
for arg in "$@"; do
  if [ "$arg" = --node ]; then
    dev node start
    eval "$(dev node env)"
  fi
done
cargo run --release --quiet -p e2e-tests --bin demo -- "$@"
phase story
echo "[demo] took: $took" >&2
