#!/usr/bin/env bash
# Side-by-side throughput of /v1/ratelimit/check with many API keys (wrk + ../http/check.lua), all
# servers measured in the same run, interleaved per round:
#   sluice memory   vs  nginx limit_req (echo module, so limit_req really runs)   target: >= 1.0x
#   sluice redis    vs  Node.js http + rate-limiter-flexible (RateLimiterRedis, ioredis) on the same
#                       redis-server                                              target: >= 2.0x
# Every server gets the same limit (LIMIT per 60 s per key). Also reports each server's CPU seconds
# per 100k requests (from /proc/<pid>/stat, all threads), so a miss can be attributed.
# Loopback only, bounded: every wrk run is -t2 -c64 -d<duration>.
# Usage: run.sh <sluice-server> [duration=5s] [rounds=3] [keys=10000] [threads=0]
set -euo pipefail
SERVER=${1:?path to sluice-server}
DURATION=${2:-5s}
ROUNDS=${3:-3}
export KEYS=${4:-10000}
THREADS=${5:-0}
LIMIT=${LIMIT:-1000}
HERE=$(cd "$(dirname "$0")" && pwd)
LUA="$HERE/../http/check.lua"
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 did not open" >&2; return 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of the whole process, in clock ticks

(cd "$HERE/node-baseline" && { [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund >/dev/null; })

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!; PIDS+=($REDIS_PID)
wait_port "$REDIS_PORT"

declare -A PORT PID
start() { # name command...
    local name=$1; shift
    "$@" >"$WORK/$name.log" 2>&1 &
    PID[$name]=$!; PIDS+=($!)
}
PORT[memory]=$(free_port)
start memory env LISTEN_ADDR=127.0.0.1:${PORT[memory]} REQUEST_RATE_LIMIT=$LIMIT THREADS=$THREADS RULES_FILE= "$SERVER"
PORT[redis]=$(free_port)
start redis env LISTEN_ADDR=127.0.0.1:${PORT[redis]} REQUEST_RATE_LIMIT=$LIMIT THREADS=$THREADS RULES_FILE= REDIS_ADDR=127.0.0.1:$REDIS_PORT "$SERVER"
PORT[node]=$(free_port)
start node env PORT=${PORT[node]} REDIS_PORT=$REDIS_PORT LIMIT=$LIMIT WINDOW_S=60 node "$HERE/node-baseline/server.js"
PORT[nginx]=$(free_port)
mkdir -p "$WORK/nginx/tmp"
sed -e "s|@PREFIX@|$WORK/nginx|g; s|@PORT@|${PORT[nginx]}|g" "$HERE/../http/nginx-limit-req.conf" >"$WORK/nginx/nginx.conf"
start nginx nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;'
for n in memory redis node nginx; do wait_port "${PORT[$n]}"; done
for _ in $(seq 100); do curl -s "http://127.0.0.1:${PORT[redis]}/health" | grep -q '"mode":"redis"' && break; sleep 0.1; done

# nginx forks workers: count the master's whole process group.
group_ticks() { local sum=0 p; for p in $(pgrep -g "$(ps -o pgid= "$1" | tr -d ' ')" 2>/dev/null || echo "$1"); do sum=$((sum + $(cpu_ticks "$p" 2>/dev/null || echo 0))); done; echo $sum; }
HZ=$(getconf CLK_TCK)
run() { # name
    local name=$1 before rbefore out after rafter rps reqs
    before=$(group_ticks "${PID[$name]}"); rbefore=$(cpu_ticks "$REDIS_PID")
    out=$(wrk -t2 -c64 -d"$DURATION" --latency -s "$LUA" "http://127.0.0.1:${PORT[$name]}/v1/ratelimit/check")
    after=$(group_ticks "${PID[$name]}"); rafter=$(cpu_ticks "$REDIS_PID")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    reqs=$(awk '/requests in/ {print $1}' <<<"$out")
    printf '%s\t%s\t%s\t%s\t%s\t%.2f\t%.2f\n' "$name" "$rps" "$(awk '$1=="50%" {print $2}' <<<"$out")" \
        "$(awk '$1=="99%" {print $2}' <<<"$out")" "$(awk '/Non-2xx/ {print $5}' <<<"$out" | grep . || echo 0)" \
        "$(echo "($after - $before) / $HZ * 100000 / $reqs" | bc -l)" "$(echo "($rafter - $rbefore) / $HZ * 100000 / $reqs" | bc -l)"
}

echo "# $(date -u +%FT%TZ) duration=$DURATION rounds=$ROUNDS keys=$KEYS limit=$LIMIT/60s sluice-threads=$THREADS(0=cores) $(nproc) cpus shared by wrk, redis and the server"
printf 'server\treq/s\tp50\tp99\tnon-2xx\tserver-cpu-s/100k\tredis-cpu-s/100k\n'
for round in $(seq "$ROUNDS"); do
    for n in memory nginx redis node; do run "$n"; done
done | tee "$WORK/results.tsv"
echo
echo "# medians and ratios"
python3 - "$WORK/results.tsv" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    f = line.rstrip('\n').split('\t')
    rows[f[0]].append(float(f[1]))
med = {k: statistics.median(v) for k, v in rows.items()}
for k in ('memory', 'nginx', 'redis', 'node'):
    print(f"{k}\tmedian {med[k]:.0f} req/s\truns {' / '.join(f'{x:.0f}' for x in rows[k])}")
print(f"sluice memory / nginx limit_req = {med['memory'] / med['nginx']:.2f} (target >= 1.00)")
print(f"sluice redis / node rate-limiter-flexible = {med['redis'] / med['node']:.2f} (target >= 2.00)")
PY
grep -h "warning\|mode changed" "$WORK"/memory.log "$WORK"/redis.log || true
