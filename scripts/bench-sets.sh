#!/usr/bin/env bash
# Memory of several failover sets in one process (issue 26): the resident memory of
# region-failover guarding one set, and guarding four, side by side, as the launcher runs
# it (bin/region-failover, its JVM flags), against one real supervisord (four groups, one
# program each) and a loopback fake cloud (python3's http.server).
#
#   scripts/bench-sets.sh [--seconds S] [--rounds R] [--sets N]
#
# Each round runs one set, then N sets (default 4), each for S seconds (default 90) at a
# 1 s interval, sampling VmRSS every 5 s; a run's figure is the median of its samples from
# the second half (after start-up and the JIT's first work). Rounds alternate, so a busy
# neighbour weighs on both alike. Prints a table and the ratio N sets / one set; the
# target is at most 1.15. Needs JDK 17, supervisord and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=90 rounds=3 nsets=4
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --sets) nsets=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scripts/bench-sets.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$seconds" "$rounds" "$nsets"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "scripts/bench-sets.sh: counts must be positive integers" >&2; exit 2; }
done
say() { echo "bench-sets: $*" >&2; }
for tool in java supervisord python3 awk; do
  command -v "$tool" >/dev/null || { echo "scripts/bench-sets.sh: needs $tool on PATH" >&2; exit 1; }
done
jar=target/region-failover.jar
if [ ! -f "$jar" ]; then
  say "building the jar (./mvnw -B -q package -DskipTests)"
  ./mvnw -B -q package -DskipTests </dev/null >&2
fi

work=$(mktemp -d /tmp/bench-sets.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

# The fake cloud: every region's cloudlookup answers 200.
mkdir -p "$work/cloud/v2/org/cloudlookup"
for r in EU NAM APAC; do echo ok > "$work/cloud/v2/org/cloudlookup/$r"; done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/cloud" >/dev/null 2>&1 &
pids+=($!)

# supervisord: one group per set, one program each, sourcing the set's env file.
{
  printf '[unix_http_server]\nfile=%s/supervisor.sock\nchmod=0700\n\n' "$work"
  printf '[supervisord]\nlogfile=%s/supervisord.log\npidfile=%s/supervisord.pid\nchildlogdir=%s\nnodaemon=true\n\n' "$work" "$work" "$work"
  printf '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n'
  for i in $(seq 1 "$nsets"); do
    mkdir -p "$work/s$i"
    printf '[program:s%s-app]\ncommand=/bin/sh -c ". %s/s%s/ext_cloud.env; exec sleep 100000"\nautostart=false\nstartsecs=0\n\n' "$i" "$work" "$i"
    printf '[group:s%s]\nprograms=s%s-app\n\n' "$i" "$i"
  done
} > "$work/supervisord.conf"
supervisord -n -c "$work/supervisord.conf" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do [ -S "$work/supervisor.sock" ] && break; sleep 0.2; done

common() {
  cat <<EOC
SUPERVISOR_SERVER_URL=unix://$work/supervisor.sock
FAILOVER_LISTEN=127.0.0.1:0
EXT_CLOUD_FAILOVER_LIST=EU=cloud.eu.example,NAM=cloud.nam.example,APAC=cloud.apac.example
FAILOVER_REGION=EU
CONNECTION_KEEPALIVE_ORG_ID=org
EXT_CLOUD_LOOKUP_URL=http://127.0.0.1:$port/v2/{orgId}/cloudlookup/{region}
EXT_CLOUD_REGION_PROBE=http://127.0.0.1:$port/v2/org/cloudlookup/{region}
FAILOVER_INTERVAL=1s
FAILOVER_PROBE_TIMEOUT=500ms
FAILOVER_REGION_INTERVAL=5s
FAILOVER_FAILBACK_AFTER=10m
EOC
}
set_file() { # set index
  printf 'EXT_CLOUD_ENV_FILE=%s/s%s/ext_cloud.env\nFAILOVER_PROGRAMS=s%s:s%s-app\n' "$work" "$1" "$1" "$1"
}

one_run() { # number of sets -> prints the median RSS (KiB) of the second half
  local n=$1 dir="$work/run$1"
  rm -rf "$dir"; mkdir -p "$dir"
  if [ "$n" = 1 ]; then
    { common; set_file 1; } > "$dir/main.env"
  else
    { common; } > "$dir/main.env"
    mkdir -p "$dir/sets.d"
    for i in $(seq 1 "$n"); do set_file "$i" > "$dir/sets.d/s$i.env"; done
  fi
  bin/region-failover --config "$dir/main.env" > "$dir/stdout.log" 2> "$dir/stderr.log" &
  local pid=$!
  local samples=() t=0
  while [ "$t" -lt "$seconds" ]; do
    sleep 5; t=$((t + 5))
    kill -0 "$pid" 2>/dev/null || { say "run of $n set(s) exited early:"; tail -5 "$dir/stderr.log" >&2; exit 1; }
    if [ "$t" -gt $((seconds / 2)) ]; then
      samples+=("$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")")
    fi
  done
  kill -TERM "$pid"; wait "$pid" || true
  # A figure is only worth something if every set was working: each must have probed.
  # (grep -c reads to the end: grep -q would leave its writer a SIGPIPE, fatal with pipefail.)
  local names=default
  [ "$n" = 1 ] || names=$(seq -f 's%g' 1 "$n")
  for s in $names; do
    grep '"event":"probe"' "$dir/stdout.log" | grep '"healthy":true' | grep -c "\"set\":\"$s\"" >/dev/null \
      || { say "run of $n set(s): set $s never probed healthy; see $dir"; exit 1; }
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

say "rounds: $rounds; each run ${seconds}s; 1 set vs $nsets sets"
one=() many=()
for r in $(seq 1 "$rounds"); do
  a=$(one_run 1); b=$(one_run "$nsets")
  one+=("$a"); many+=("$b")
  say "round $r: 1 set ${a} KiB, $nsets sets ${b} KiB"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m1=$(med "${one[@]}"); mn=$(med "${many[@]}")
echo
echo "| process | resident memory (median of $rounds rounds) |"
echo "|---|---|"
awk -v a="$m1" -v b="$mn" -v n="$nsets" 'BEGIN {
  printf "| 1 set | %.1f MiB |\n| %d sets | %.1f MiB |\n\nratio %d sets / 1 set: %.3f (target at most 1.15)\n",
    a / 1024, n, b / 1024, n, b / a }'
