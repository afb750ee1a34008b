#!/usr/bin/env bash
# A flood of traffic reports (issue 27): region-failover with the `endpoint` traffic source,
# run as the launcher runs it (bin/region-failover), against one real supervisord (one
# program) and a loopback fake cloud (python3's http.server, every region 200), at a 1 s
# interval with a long threshold (nothing fails over). After a quiet start, POST /evidence
# is flooded at RATE reports a second (default 10000) for S seconds (default 60) by
# scripts/EvidenceFlood.java (JDK 17's single-file launch; a fixed pool of keep-alive
# connections, paced), which counts the answers by status.
#
#   scripts/bench-evidence.sh [--seconds S] [--rate RATE] [--connections N]
#
# Prints: the rate reached, the 204s and 429s, the reports the program says it dropped
# (its `evidence_dropped` lines summed, the last written at its stop 10 s after the
# flood: they must equal the 429s), the largest gap between consecutive `probe` lines
# during the flood, by `decided_at` (the slot: a slot skipped shows here) and by
# `@timestamp` (when written: a probe run late shows here), both to be within the
# interval + 0.2 s, and the resident memory before and after.
# Exits 1 when a target is missed. Needs JDK 17, supervisord and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60 rate=10000 connections=8
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scripts/bench-evidence.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$seconds" "$rate" "$connections"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "scripts/bench-evidence.sh: --seconds, --rate and --connections must be positive integers" >&2; exit 2; }
done
say() { echo "bench-evidence: $*" >&2; }
for tool in java supervisord python3 awk curl; do
  command -v "$tool" >/dev/null || { echo "scripts/bench-evidence.sh: needs $tool on PATH" >&2; exit 1; }
done
jar=target/region-failover.jar
if [ ! -f "$jar" ]; then
  say "building the jar (./mvnw -B -q package -DskipTests)"
  ./mvnw -B -q package -DskipTests </dev/null >&2
fi

work=$(mktemp -d /tmp/bench-evidence.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
utc() { date -u +%Y-%m-%dT%H:%M:%S.%NZ; }

# The fake cloud: every region's cloudlookup answers 200.
mkdir -p "$work/cloud/v2/org/cloudlookup"
for r in EU NAM APAC; do echo ok > "$work/cloud/v2/org/cloudlookup/$r"; done
cloud=$(free_port)
python3 -m http.server "$cloud" --bind 127.0.0.1 --directory "$work/cloud" >/dev/null 2>&1 &
pids+=($!)

{
  printf '[unix_http_server]\nfile=%s/supervisor.sock\nchmod=0700\n\n' "$work"
  printf '[supervisord]\nlogfile=%s/supervisord.log\npidfile=%s/supervisord.pid\nchildlogdir=%s\nnodaemon=true\n\n' "$work" "$work" "$work"
  printf '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n'
  printf '[program:app]\ncommand=/bin/sh -c ". %s/ext_cloud.env; exec sleep 100000"\nautostart=false\nstartsecs=0\n\n' "$work"
} > "$work/supervisord.conf"
supervisord -n -c "$work/supervisord.conf" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do [ -S "$work/supervisor.sock" ] && break; sleep 0.2; done

listen=$(free_port)
cat > "$work/main.env" <<EOC
SUPERVISOR_SERVER_URL=unix://$work/supervisor.sock
FAILOVER_LISTEN=127.0.0.1:$listen
EXT_CLOUD_FAILOVER_LIST=EU=cloud.eu.example,NAM=cloud.nam.example,APAC=cloud.apac.example
FAILOVER_REGION=EU
CONNECTION_KEEPALIVE_ORG_ID=org
EXT_CLOUD_LOOKUP_URL=http://127.0.0.1:$cloud/v2/{orgId}/cloudlookup/{region}
EXT_CLOUD_REGION_PROBE=http://127.0.0.1:$cloud/v2/org/cloudlookup/{region}
EXT_CLOUD_ENV_FILE=$work/ext_cloud.env
FAILOVER_PROGRAMS=app
FAILOVER_INTERVAL=1s
FAILOVER_PROBE_TIMEOUT=500ms
FAILOVER_OUTAGE_THRESHOLD=5m
FAILOVER_REGION_INTERVAL=5s
FAILOVER_FAILBACK_AFTER=10m
FAILOVER_TRAFFIC_SOURCE=endpoint
EOC
bin/region-failover --config "$work/main.env" > "$work/stdout.log" 2> "$work/stderr.log" &
pid=$!
pids+=($pid)
alive() { kill -0 "$pid" 2>/dev/null || { say "region-failover exited early:"; tail -5 "$work/stderr.log" >&2; exit 1; }; }

# A quiet start: the status server answers, the probes run, the JIT's first work is done.
for _ in $(seq 1 100); do
  alive
  curl -fsS -o /dev/null "http://127.0.0.1:$listen/health" 2>/dev/null && break
  sleep 0.3
done
curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
  --data '{"region":"EU","ok":1}' "http://127.0.0.1:$listen/evidence" \
  || { say "POST /evidence is not taken before the flood; see $work"; BENCH_KEEP=1; exit 1; }
sleep 10
alive
rss_before=$(rss "$pid")
say "load average before: $(cut -d' ' -f1-3 /proc/loadavg); RSS ${rss_before} KiB; flooding ${rate}/s for ${seconds}s over ${connections} connections"

flood_start=$(utc)
java -XX:+UseSerialGC -Xss256k scripts/EvidenceFlood.java "$listen" "$rate" "$seconds" "$connections" \
  > "$work/flood.out" 2> "$work/flood.err" &
flood=$!
rss_peak=$rss_before
while kill -0 "$flood" 2>/dev/null; do
  sleep 1
  alive
  r=$(rss "$pid"); [ "$r" -gt "$rss_peak" ] && rss_peak=$r
done
wait "$flood" || { say "the load generator failed:"; cat "$work/flood.err" >&2; exit 1; }
flood_end=$(utc)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
rss_after=$(rss "$pid")
say "flood done: $(cat "$work/flood.out"); load average ${load_after}"

# Quiet time for memory; then a stop, which tells the drops not yet told (the once-a-
# minute line would otherwise hold the last of them).
sleep 10
alive
rss_settled=$(rss "$pid")
kill -TERM "$pid"; wait "$pid" || true

python3 - "$work/stdout.log" "$work/flood.out" "$flood_start" "$flood_end" \
  "$rss_before" "$rss_peak" "$rss_after" "$rss_settled" "$load_after" <<'EOP'
import json, sys
from datetime import datetime
log, flood_out, start, end = sys.argv[1:5]
rss_before, rss_peak, rss_after, rss_settled = (int(x) for x in sys.argv[5:9])
load = sys.argv[9]
def t(s):  # ISO-8601 with Z, nanoseconds cut to microseconds
    s = s.rstrip('Z')
    if '.' in s:
        a, b = s.split('.'); s = a + '.' + b[:6]
    return datetime.fromisoformat(s).timestamp()
start, end = t(start), t(end)
gen = dict(kv.split('=', 1) for kv in open(flood_out).read().split() if '=' in kv and not kv.startswith('by_status'))
probes, dropped, told, lates = [], 0, 0, 0
for line in open(log):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    ev = e.get('event')
    if ev == 'probe':
        probes.append((t(e['@timestamp']), t(e['decided_at']) if 'decided_at' in e else None))
    elif ev == 'evidence_dropped':
        dropped += int(e.get('dropped', 0)); told += 1
    elif ev == 'probe_late':
        lates += 1
def largest(values):
    # consecutive pairs that touch the flood: one before it, one after it included
    values = sorted(v for v in values if v is not None)
    gaps = [b - a for a, b in zip(values, values[1:]) if b >= start and a <= end]
    return (max(gaps) if gaps else float('nan')), len(gaps)
gap_decided, n = largest(d for _, d in probes)
gap_written, _ = largest(w for w, _ in probes)
limit = 1.2
s429 = int(gen['s429'])
rows = [
    ('load average (1, 5, 15 min) at the flood\'s end', load),
    ('reports sent / s (target ' + '10000' + ')', '%s (%s sent in %s s)' % (gen['rate'], gen['sent'], gen['seconds'])),
    ('answers 204 (taken)', gen['s204']),
    ('answers 429 (dropped)', gen['s429']),
    ('other answers / connection errors', '%s / %s' % (gen['other'], gen['errors'])),
    ('dropped counted by the program (evidence_dropped summed)', '%d in %d lines (%s)' % (dropped, told, 'equal' if dropped == s429 else 'DIFFERS by %d' % (dropped - s429))),
    ('probe gaps during the flood', str(n)),
    ('largest probe gap, decided_at (target <= %.1f s)' % limit, '%.3f s' % gap_decided),
    ('largest probe gap, @timestamp (target <= %.1f s)' % limit, '%.3f s' % gap_written),
    ('probe_late lines', str(lates)),
    ('RSS before the flood', '%.1f MiB' % (rss_before / 1024)),
    ('RSS peak during / at the end of the flood', '%.1f / %.1f MiB' % (rss_peak / 1024, rss_after / 1024)),
    ('RSS 10 s after the flood', '%.1f MiB' % (rss_settled / 1024)),
]
print()
print('| measure | value |')
print('|---|---|')
for k, v in rows:
    print('| %s | %s |' % (k, v))
ok = dropped == s429 and gap_decided <= limit and gap_written <= limit
print('\n' + ('all targets met' if ok else 'a target missed'))
sys.exit(0 if ok else 1)
EOP
