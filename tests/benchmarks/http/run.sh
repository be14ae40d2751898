#!/usr/bin/env bash
# Throughput of /v1/ratelimit/check with many API keys, memory and Redis mode, each next to baselines
# measured in the same run: /health on the same sluice-server, and nginx + limit_req (echo module).
# Loopback only, bounded: every wrk run is -t2 -c64 -d<duration>.
# Usage: run.sh <sluice-server> [duration=5s] [rounds=3] [keys=10000]
set -euo pipefail
SERVER=${1:?path to sluice-server}
DURATION=${2:-5s}
ROUNDS=${3:-3}
export KEYS=${4:-10000}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 did not open" >&2; return 1; }

start_sluice() { # name, extra env...
    local name=$1; shift
    local port; port=$(free_port)
    env LISTEN_ADDR=127.0.0.1:$port REQUEST_RATE_LIMIT=1000 "$@" "$SERVER" >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    wait_port "$port"
    echo "$port"
}

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
wait_port "$REDIS_PORT"

MEM_PORT=$(start_sluice memory)
REDIS_SLUICE_PORT=$(start_sluice redis REDIS_ADDR=127.0.0.1:$REDIS_PORT)
for _ in $(seq 100); do curl -s "http://127.0.0.1:$REDIS_SLUICE_PORT/health" | grep -q '"mode":"redis"' && break; sleep 0.1; done

NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/tmp"
sed -e "s|@PREFIX@|$WORK/nginx|g; s|@PORT@|$NGINX_PORT|g" "$HERE/nginx-limit-req.conf" >"$WORK/nginx/nginx.conf"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
wait_port "$NGINX_PORT"

run() { # label url [script]
    local out
    if [ -n "${3:-}" ]; then out=$(wrk -t2 -c64 -d"$DURATION" --latency -s "$3" "$2"); else out=$(wrk -t2 -c64 -d"$DURATION" --latency "$2"); fi
    local rps p50 p99 non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

echo "# $(date -u +%FT%TZ) duration=$DURATION rounds=$ROUNDS keys=$KEYS $(nproc) cpus"
printf 'config\treq/s\tp50\tp99\tnon-2xx\n'
for round in $(seq "$ROUNDS"); do
    run "health (memory server)" "http://127.0.0.1:$MEM_PORT/health"
    run "check memory" "http://127.0.0.1:$MEM_PORT/v1/ratelimit/check" "$HERE/check.lua"
    run "health (redis server)" "http://127.0.0.1:$REDIS_SLUICE_PORT/health"
    run "check redis" "http://127.0.0.1:$REDIS_SLUICE_PORT/v1/ratelimit/check" "$HERE/check.lua"
    run "nginx limit_req" "http://127.0.0.1:$NGINX_PORT/v1/ratelimit/check" "$HERE/check.lua"
done
grep -h "mode changed\|warning" "$WORK"/*.log || true
