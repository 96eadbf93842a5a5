#!/usr/bin/env bash
# Starts, stops or resets the local dev-chain node (demo --node, deploy, client).
#
# usage: scripts/dev node start|stop|status|env|reset
#
# A dev chain on loopback only, with a persistent base path; it seals a block for every
# transaction. (The node tier, the benchmarks and the throughput run start their own on a
# fresh chain: with_fresh_node in scripts/lib/common.sh sets VSSI_NODE_DIR and
# VSSI_NODE_PORT.)
#
#   start    start it (if not running) and wait until it answers RPC
#   stop     stop it (SIGTERM, then wait)
#   status   running or not, its URL and best block (exit 3 when not running)
#   env      the variables the clients read: eval "$(scripts/dev node env)"
#   reset    stop it and delete its chain and deployment manifest, so that the next start
#            begins a fresh dev chain (every run funds its parties from //Alice, whose
#            prefunded balance runs out)
#
# Settings: VSSI_NODE_DIR (base path, default <cache>/node), VSSI_NODE_PORT (default 9944).
# The binary is the one `scripts/dev install-node --check` finds (CONTRACTS_NODE, PATH or
# the cache).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

NODE_DIR=${VSSI_NODE_DIR:-$VSSI_CACHE/node}
PORT=${VSSI_NODE_PORT:-9944}
PID_FILE=$NODE_DIR/node.pid
LOG=$NODE_DIR/node.log
URL=ws://127.0.0.1:$PORT

rpc() {
  curl -fsS -H 'Content-Type: application/json' \
    -d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"params\":[]}" "http://127.0.0.1:$PORT"
}

running() {
  [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2> /dev/null
}

start() {
  if running; then
    echo "[node] already running (pid $(cat "$PID_FILE")) at $URL" >&2
    return 0
  fi
  local bin
  bin=$(dev install-node --check)
  mkdir -p "$NODE_DIR"
  setsid "$bin" --dev --base-path "$NODE_DIR/chain" --rpc-port "$PORT" \
    --no-prometheus --no-telemetry --no-mdns --listen-addr /ip4/127.0.0.1/tcp/0 \
    > "$LOG" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
  for _ in $(seq 1 120); do
    if rpc system_health > /dev/null 2>&1; then
      echo "[node] running (pid $(cat "$PID_FILE")) at $URL, base path $NODE_DIR/chain" >&2
      return 0
    fi
    running || { tail -20 "$LOG" >&2; echo "[node] exited during start-up (log: $LOG)" >&2; exit 1; }
    sleep 0.5
  done
  echo "[node] no RPC answer after 60 s (log: $LOG)" >&2
  exit 1
}

stop() {
  if ! running; then
    echo "[node] not running" >&2
    rm -f "$PID_FILE"
    return 0
  fi
  local pid
  pid=$(cat "$PID_FILE")
  kill "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2> /dev/null || { rm -f "$PID_FILE"; echo "[node] stopped" >&2; return 0; }
    sleep 0.5
  done
  echo "[node] pid $pid ignored SIGTERM for 30 s; killing it" >&2
  kill -9 "$pid"
  rm -f "$PID_FILE"
}

status() {
  if running; then
    local header
    header=$(rpc chain_getHeader | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
    echo "running (pid $(cat "$PID_FILE")) at $URL, best block #$((header)), base path $NODE_DIR/chain"
  else
    echo "not running (base path $NODE_DIR/chain)"
    return 3
  fi
}

reset() {
  stop
  rm -rf "$NODE_DIR/chain" "$NODE_DIR/deployment.json"
  echo "[node] chain and deployment manifest under $NODE_DIR removed" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  reset) reset ;;
  status) status ;;
  env)
    echo "export VSSI_NODE_URL=$URL"
    echo "export VSSI_NODE_DIR=$NODE_DIR"
    echo "export VSSI_NODE_PID_FILE=$PID_FILE"
    ;;
  *) usage_error ;;
esac
