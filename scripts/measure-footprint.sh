#!/usr/bin/env bash
# Measures what an operator cares about for a long-running supervisor and prints it:
# the jar's size, start-up time to the first probe, resident memory (RSS) and CPU seconds
# per minute (user + system, from /proc/PID/stat) while it probes a healthy local endpoint
# every 10 s. The CPU figure counts from the first probe, so start-up is not in it. Not part of `verify`: numbers, not pass/fail.
#
#   scripts/measure-footprint.sh [SECONDS]     (default 600: ten minutes)
#
# Needs the jar (./mvnw -B -q package -DskipTests), supervisord and python3 on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-600}
jar=target/region-failover.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }

work=$(mktemp -d)
cleanup() {
  [ -n "${rf:-}" ] && kill "$rf" 2>/dev/null || true
  [ -n "${web:-}" ] && kill "$web" 2>/dev/null || true
  [ -n "${sup:-}" ] && kill "$sup" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A healthy cloudlookup endpoint: a static file at the probe's path.
mkdir -p "$work/www/v2/org/cloudlookup"
echo '{}' > "$work/www/v2/org/cloudlookup/txn"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
web=$!

# A supervisord with the stack's three programs.
cat > "$work/supervisord.conf" <<CONF
[unix_http_server]
file=$work/supervisor.sock
[supervisord]
logfile=$work/supervisord.log
pidfile=$work/supervisord.pid
childlogdir=$work
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[program:stunnel]
command=sleep 100000
autostart=false
startsecs=1
[program:cloud-client]
command=sleep 100000
autostart=false
startsecs=1
[program:application]
command=sleep 100000
autostart=false
startsecs=1
[group:app]
programs=stunnel,cloud-client,application
CONF
supervisord -n -c "$work/supervisord.conf" &
sup=$!
for _ in $(seq 100); do [ -S "$work/supervisor.sock" ] && break; sleep 0.1; done

start=$(date +%s%N)
EXT_CLOUD_FAILOVER_LIST="NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com,APAC=cloud.apac.ext.com" \
EXT_CLOUD_LOOKUP_URL="http://127.0.0.1:$port/v2/{orgId}/cloudlookup/{txnId}" \
CONNECTION_KEEPALIVE_ORG_ID=org CONNECTION_KEEPALIVE_TXN_ID=txn \
EXT_CLOUD_ENV_FILE="$work/ext_cloud.env" SUPERVISOR_SERVER_URL="unix://$work/supervisor.sock" \
FAILOVER_LISTEN=127.0.0.1:0 \
  bin/region-failover --region EU > "$work/out.log" 2>&1 &
rf=$!
until grep -q '"event":"probe"' "$work/out.log" 2>/dev/null; do
  kill -0 "$rf" 2>/dev/null || { cat "$work/out.log"; exit 1; }
  sleep 0.02
done
first=$(( ($(date +%s%N) - start) / 1000000 ))

# utime + stime of the process, in clock ticks (fields 14 and 15 of /proc/PID/stat; the
# command name in field 2 has no spaces here).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$rf/stat"; }
hz=$(getconf CLK_TCK)
cpu0=$(cpu_ticks)
cpu_prev=$cpu0

echo "jar size: $(stat -c %s "$jar") bytes ($(du -h "$jar" | cut -f1))"
echo "start-up to first probe: ${first} ms"
elapsed=0
while [ "$elapsed" -lt "$duration" ]; do
  step=$(( duration - elapsed < 60 ? duration - elapsed : 60 ))
  sleep "$step"
  elapsed=$(( elapsed + step ))
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$rf/status")
  now_ticks=$(cpu_ticks)
  # Since the first probe (JIT warm-up included), and over the last step (steady state).
  cpu=$(awk -v a="$cpu0" -v b="$now_ticks" -v hz="$hz" -v t="$elapsed" \
    'BEGIN {printf "%.3f", (b - a) / hz / (t / 60)}')
  cpu_step=$(awk -v a="$cpu_prev" -v b="$now_ticks" -v hz="$hz" -v t="$step" \
    'BEGIN {printf "%.3f", (b - a) / hz / (t / 60)}')
  cpu_prev=$now_ticks
  echo "after ${elapsed} s: RSS ${rss} kB, CPU ${cpu} s/min since the first probe, ${cpu_step} s/min over the last ${step} s, probes so far $(grep -c '"event":"probe"' "$work/out.log")"
done
echo "unhealthy probes: $(grep '"event":"probe"' "$work/out.log" | grep -c '"healthy":false' || true)"
