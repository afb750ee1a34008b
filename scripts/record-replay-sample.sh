#!/usr/bin/env bash
# Records the log that the replay tests replay (src/test/resources/replay/sample-run.log.gz):
# the real loop, bin/region-failover in dry run, probing three simulated regions served by
# a small HTTP server on 127.0.0.1 whose health follows the timeline below, for about a
# minute. Its stdout, untouched, is the recording. Not part of `verify`.
#
#   scripts/record-replay-sample.sh [OUT.log.gz]
#
# Order EU > NAM > APAC; interval 500 ms; threshold 3250 ms (acts as 3.5 s, and a non
# multiple of the interval keeps a few ms of logging jitter from moving the deciding probe
# when the log is replayed); direct probes every 1 s. Seconds after the first chain probe:
#    8  EU down (chain and direct), NAM down (direct)   -> failover EU > APAC, NAM skipped
#   16  NAM up again
#   20  APAC chain fails, APAC direct still up          -> repair in place on APAC, then
#                                                          failover APAC > NAM, EU skipped
#   34  NAM down (chain and direct), APAC down (direct) -> failover_blocked, reported once
#   44  EU up again                                     -> failover NAM > EU, APAC skipped
#   50  everything up; the loop is stopped at 56
# Needs python3 and supervisord (Debian: apt-get install -y supervisor): the loop checks
# supervisord and its programs at start-up, even in dry run.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-src/test/resources/replay/sample-run.log.gz}
command -v supervisord >/dev/null || { echo "needs supervisord: apt-get install -y supervisor" >&2; exit 2; }
command -v python3 >/dev/null || { echo "needs python3" >&2; exit 2; }
[ -f target/region-failover.jar ] || ./mvnw -B -q package -DskipTests

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

cat >"$tmp/regions.py" <<'PY'
import http.server, sys, threading, time

# (start, end) in seconds after the first chain probe, per region.
CHAIN_DOWN = {"EU": [(8, 44)], "NAM": [(34, 50)], "APAC": [(20, 50)]}
DIRECT_DOWN = {"EU": [(8, 44)], "NAM": [(8, 16), (34, 50)], "APAC": [(34, 50)]}
END = 56
t0 = None
lock = threading.Lock()

def down(table, region):
    t = time.monotonic() - t0
    return any(a <= t < b for a, b in table.get(region, []))

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        global t0
        kind, _, region = self.path.strip("/").partition("/")
        with lock:
            if t0 is None and kind == "chain":
                t0 = time.monotonic()
                threading.Timer(END, lambda: open(sys.argv[2], "w").close()).start()
        started = t0 is not None
        table = CHAIN_DOWN if kind == "chain" else DIRECT_DOWN
        ok = kind in ("chain", "direct") and (not started or not down(table, region))
        self.send_response(200 if ok else 503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PY

cat >"$tmp/supervisord.conf" <<EOF
[unix_http_server]
file=$tmp/supervisor.sock
chmod=0700
[supervisord]
logfile=$tmp/supervisord.log
pidfile=$tmp/supervisord.pid
childlogdir=$tmp
nodaemon=true
loglevel=warn
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
EOF
for p in stunnel cloud-client application; do
  printf '[program:%s]\ncommand=sleep 600\nautostart=false\nautorestart=false\n' "$p" >>"$tmp/supervisord.conf"
done
printf '[group:app]\nprograms=stunnel,cloud-client,application\n' >>"$tmp/supervisord.conf"

supervisord -n -c "$tmp/supervisord.conf" >"$tmp/supervisord.out" 2>&1 & pids+=($!)
python3 "$tmp/regions.py" "$tmp/port" "$tmp/done" & pids+=($!)
for _ in $(seq 100); do [ -f "$tmp/port" ] && [ -S "$tmp/supervisor.sock" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")

env -i PATH="$PATH" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
  EXT_CLOUD_FAILOVER_LIST=NAM=cloud.nam.example,EU=cloud.eu.example,APAC=cloud.apac.example \
  FAILOVER_REGION=EU \
  FAILOVER_DRY_RUN=true \
  EXT_CLOUD_ENV_FILE="$tmp/ext_cloud.env" \
  EXT_CLOUD_LOOKUP_URL="http://127.0.0.1:$port/chain/{region}" \
  EXT_CLOUD_REGION_PROBE="http://127.0.0.1:$port/direct/{region}" \
  FAILOVER_INTERVAL=500ms \
  FAILOVER_OUTAGE_THRESHOLD=3250ms \
  FAILOVER_PROBE_TIMEOUT=400ms \
  FAILOVER_REGION_INTERVAL=1s \
  FAILOVER_MAX_TRANSITIONS=10/1h \
  SUPERVISOR_SERVER_URL="unix://$tmp/supervisor.sock" \
  FAILOVER_LISTEN=127.0.0.1:0 \
  bin/region-failover >"$tmp/stdout.log" 2>"$tmp/stderr.log" & loop=$!
pids+=("$loop")
for _ in $(seq 900); do [ -f "$tmp/done" ] && break; sleep 0.1; done
kill -TERM "$loop"
wait "$loop" || { echo "the loop failed:" >&2; cat "$tmp/stderr.log" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
gzip -9n <"$tmp/stdout.log" >"$out"
echo "recorded $(wc -l <"$tmp/stdout.log") lines to $out; events:"
grep -o '"event":"[a-z_]*"' "$tmp/stdout.log" | sort | uniq -c
