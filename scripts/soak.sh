#!/usr/bin/env bash
# Soak: the supervisor as the launcher runs it (same JVM options), failing over and back
# for MINUTES (default 60) the way the demo does, and its memory sampled every minute. It
# prints RSS at 10 minutes and at the end, the growth between them, the maximum, the
# failovers and fail-backs completed, and whether the JVM died (the launcher has
# -XX:+ExitOnOutOfMemoryError, so an OutOfMemoryError ends the process). Not part of
# `verify`: numbers, not pass/fail; the README's "Footprint" section has the last run.
#
#   scripts/soak.sh [MINUTES]
#
# The cloud is a loopback HTTPS server (a fresh self-signed certificate, trusted through
# javax.net.ssl.trustStore as a deployment trusts its CA) whose regions go down and up on
# a cycle: EU, the preferred region, is down for 40 s of every 90 s, so the host fails
# over to NAM after the 5 s threshold and back to EU once EU is healthy again for 10 s.
# The stack is three programs of a real supervisord; Datadog shipping goes to a local
# intake; the status listener is on. Needs the jar (./mvnw -B -q package -DskipTests),
# supervisord, python3, openssl and keytool (the JDK's).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-60}
jar=target/region-failover.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
command -v supervisord >/dev/null || { echo "needs supervisord (apt-get install supervisor)" >&2; exit 1; }

work=$(mktemp -d)
cleanup() {
  for p in ${rf:-} ${cloud:-} ${sup:-}; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The certificate: keytool, then PEM for python's ssl and a PKCS12 trust store for the JVM.
keytool -genkeypair -alias cloud -keyalg EC -groupname secp256r1 -dname CN=localhost \
  -ext SAN=dns:localhost,ip:127.0.0.1 -validity 2 -keystore "$work/cloud.p12" \
  -storetype PKCS12 -storepass soakpass >/dev/null 2>&1
keytool -exportcert -rfc -alias cloud -keystore "$work/cloud.p12" -storepass soakpass \
  -file "$work/cert.pem" >/dev/null 2>&1
keytool -importcert -noprompt -alias cloud -file "$work/cert.pem" -keystore "$work/trust.p12" \
  -storetype PKCS12 -storepass soakpass >/dev/null 2>&1
# python's ssl reads the key as PEM.
openssl pkcs12 -in "$work/cloud.p12" -passin pass:soakpass -nodes -nocerts -out "$work/key.pem" \
  2>/dev/null

# The cloud: /REGION/... answers 200 while REGION is up, 503 while the file down.txt
# names it; POST /api/v2/logs is the Datadog intake (plain HTTP on a second port).
cat > "$work/cloud.py" <<'PY'
import http.server, socketserver, ssl, sys, threading, os
work, tls_port_file = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def reply(self, code):
        self.send_response(code); self.send_header("Content-Length", "2")
        self.end_headers(); self.wfile.write(b"{}")
    def do_GET(self):
        region = self.path.split("/")[1].upper()
        try:
            down = open(os.path.join(work, "down.txt")).read().split()
        except OSError:
            down = []
        self.reply(503 if region in down else 200)
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.reply(202)
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
tls = S(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(work, "cert.pem"), os.path.join(work, "key.pem"))
tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
plain = S(("127.0.0.1", 0), H)
with open(tls_port_file, "w") as f:
    f.write(f"{tls.server_address[1]} {plain.server_address[1]}\n")
threading.Thread(target=plain.serve_forever, daemon=True).start()
tls.serve_forever()
PY
python3 "$work/cloud.py" "$work" "$work/ports" &
cloud=$!
for _ in $(seq 100); do [ -s "$work/ports" ] && break; sleep 0.1; done
read -r port intake < "$work/ports"

cat > "$work/supervisord.conf" <<CONF
[unix_http_server]
file=$work/supervisor.sock
[supervisord]
logfile=$work/supervisord.log
pidfile=$work/supervisord.pid
childlogdir=$work
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
CONF
for p in stunnel cloud-client application; do
  printf '[program:%s]\ncommand=sleep 100000\nautostart=false\nstartsecs=1\n' "$p" >> "$work/supervisord.conf"
done
printf '[group:app]\nprograms=stunnel,cloud-client,application\n' >> "$work/supervisord.conf"
supervisord -n -c "$work/supervisord.conf" > "$work/supervisord.out" 2>&1 &
sup=$!
for _ in $(seq 100); do [ -S "$work/supervisor.sock" ] && break; sleep 0.1; done

# The demo's settings: a 1 s interval, a 5 s threshold; fail back after 10 s of health;
# no transition budget (the cycle makes 80 transitions an hour).
EXT_CLOUD_FAILOVER_LIST="NAM=localhost,EU=127.0.0.1,APAC=127.0.0.3" \
EXT_CLOUD_LOOKUP_URL="https://localhost:$port/{region}/v2/{orgId}/cloudlookup/{txnId}" \
EXT_CLOUD_REGION_PROBE="https://localhost:$port/{region}/v2/{orgId}/cloudlookup/{txnId}" \
CONNECTION_KEEPALIVE_ORG_ID=soak CONNECTION_KEEPALIVE_TXN_ID=txn \
EXT_CLOUD_ENV_FILE="$work/ext_cloud.env" SUPERVISOR_SERVER_URL="unix://$work/supervisor.sock" \
FAILOVER_INTERVAL=1s FAILOVER_REGION_INTERVAL=1s FAILOVER_OUTAGE_THRESHOLD=5s \
FAILOVER_PROBE_TIMEOUT=500ms FAILOVER_FAILBACK_AFTER=10s FAILOVER_MAX_TRANSITIONS=off \
FAILOVER_LISTEN=127.0.0.1:0 DD_API_KEY=soak DD_LOGS_URL="http://127.0.0.1:$intake" \
JAVA_OPTS="-Djavax.net.ssl.trustStore=$work/trust.p12 -Djavax.net.ssl.trustStorePassword=soakpass ${JAVA_OPTS:-}" \
  bin/region-failover --region EU > "$work/out.log" 2>&1 &
rf=$!

rss() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$rf/status"; }
count() { grep -c "\"event\":\"$1\"" "$work/out.log" || true; }
echo "soak: $minutes min; pid $rf; cloud on $port; a line a minute: minute, RSS, failovers, fail-backs, switches completed"
start=$(date +%s)
rss10="" max=0
for minute in $(seq 1 "$minutes"); do
  # The cycle: EU down for 40 s of every 90 s.
  while [ $(( $(date +%s) - start )) -lt $(( minute * 60 )) ]; do
    phase=$(( ( $(date +%s) - start ) % 90 ))
    if [ "$phase" -ge 20 ] && [ "$phase" -lt 60 ]; then echo EU > "$work/down.txt"; else : > "$work/down.txt"; fi
    if ! kill -0 "$rf" 2>/dev/null; then
      echo "soak: the supervisor died at minute $minute:" >&2
      tail -5 "$work/out.log" >&2
      exit 1
    fi
    sleep 1
  done
  r=$(rss)
  awk -v r="$r" -v m="$max" 'BEGIN {exit !(r > m)}' && max=$r
  [ "$minute" -eq 10 ] && rss10=$r
  printf '%3d  %6s MiB  %4s  %4s  %4s\n' "$minute" "$r" "$(count failover)" "$(count failback)" \
    "$(count failover_completed)"
done
end_rss=$(rss)
echo "soak result: $minutes min, $(count failover) failovers and $(count failback) fail-backs," \
  "$(count failover_completed) switches completed; OutOfMemoryError: none (alive)"
if [ -n "$rss10" ]; then
  echo "soak result: RSS at 10 min $rss10 MiB, at $minutes min $end_rss MiB, growth $(awk -v a="$rss10" -v b="$end_rss" 'BEGIN {printf "%+.1f", b - a}') MiB, max $max MiB"
else
  echo "soak result: RSS at $minutes min $end_rss MiB, max $max MiB (run 10 minutes or more for the growth)"
fi
