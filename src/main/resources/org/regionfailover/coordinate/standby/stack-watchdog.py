# region-failover's stack watchdog (active/standby). Started by the JVM as a child process;
# it stops the stack through supervisord's XML-RPC API when the JVM can no longer do so:
# when the JVM exits while it holds the lease (kill -9, a crash) or stops sending
# heartbeats for longer than the deadline (SIGSTOP, a stalled VM), so the stack is down
# before the JVM's ZooKeeper session can expire and another host start its own.
#
# Why Python and not Java: it must be a separate process (a paused or killed JVM cannot
# stop anything), small and quick to start; python3 is already on every host that runs
# supervisord, which is written in it. Only the standard library is used.
#
# stdin: first line a JSON object {"url", "user", "password", "programs", "deadline_ms"}
# (the password never appears on a command line), then one command per line: "arm"
# (the stack is about to start: watch), "beat" (the JVM is alive), "disarm" (the JVM
# stopped the stack itself). It answers "ready" on stdout once it has its target.
# stderr: one JSON line per event, in the JVM's log format.
import base64
import http.client
import json
import os
import select
import signal
import socket
import sys
import time
import urllib.parse
import xmlrpc.client

NOT_RUNNING = 70
RETRY_FOR_S = 60


def log(level, event, message, **fields):
    line = {"@timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + "Z",
            "level": level, "logger_name": "stack-watchdog", "event": event,
            "message": message}
    line.update(fields)
    sys.stderr.write(json.dumps(line) + "\n")
    sys.stderr.flush()


class UnixHttpConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.socket_path)
        self.sock = s


def call(cfg, method, *params):
    url = cfg["url"]
    if url.startswith("unix://"):
        conn, path = UnixHttpConnection(url[len("unix://"):], 10), "/RPC2"
    else:
        u = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=10)
        path = u.path if u.path not in ("", "/") else "/RPC2"
    headers = {"Content-Type": "text/xml"}
    if cfg.get("user") is not None:
        token = (cfg["user"] + ":" + (cfg.get("password") or "")).encode("utf-8")
        headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
    try:
        conn.request("POST", path, xmlrpc.client.dumps(params, method).encode("utf-8"), headers)
        answer = conn.getresponse()
        body = answer.read()
    finally:
        conn.close()
    if answer.status != 200:
        raise OSError("supervisord answered HTTP %d" % answer.status)
    return xmlrpc.client.loads(body)[0][0]


def stop_stack(cfg, why):
    """Asks supervisord to stop every program at once (it kills one that outlives its
    stopwaitsecs); retries while supervisord cannot be reached."""
    started = time.monotonic()
    pending = list(cfg["programs"])
    while pending:
        failed = []
        for program in pending:
            try:
                call(cfg, "supervisor.stopProcess", program, False)
            except xmlrpc.client.Fault as f:
                if f.faultCode != NOT_RUNNING:
                    failed.append((program, "fault %d %s" % (f.faultCode, f.faultString)))
            except (OSError, http.client.HTTPException, xmlrpc.client.Error) as e:
                failed.append((program, str(e)))
        pending = [p for p, _ in failed]
        if not pending:
            break
        if time.monotonic() - started > RETRY_FOR_S:
            log("ERROR", "stack_stop_failed", "the watchdog could not stop %s: %s" % (
                ", ".join(pending), "; ".join(r for _, r in failed)), reason=why)
            return
        time.sleep(1)
    log("WARN", "stack_stopped_for_fencing", "the watchdog asked supervisord to stop the"
        " stack: " + why, reason=why, programs=cfg["programs"],
        duration_ms=int((time.monotonic() - started) * 1000), by="watchdog")


def main():
    # A SIGTERM or Ctrl-C sent to the whole process group is for the JVM, which stops the
    # stack itself and then closes stdin; the watchdog leaves when it sees that.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fd = sys.stdin.fileno()
    buffered = b""
    cfg = None
    state = "off"  # "armed": watching beats; "fired": stopped the stack, waiting for a beat
    deadline = None
    while True:
        timeout = max(0.0, deadline - time.monotonic()) if state == "armed" else None
        readable, _, _ = select.select([fd], [], [], timeout)
        if not readable:
            stop_stack(cfg, "no heartbeat from region-failover for %d ms while it held the"
                       " lease: it is paused or hung" % cfg["deadline_ms"])
            state = "fired"
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            if state == "armed":
                stop_stack(cfg, "region-failover exited while it held the lease")
            return
        buffered += chunk
        while b"\n" in buffered:
            line, buffered = buffered.split(b"\n", 1)
            if cfg is None:
                cfg = json.loads(line)
                sys.stdout.write("ready\n")
                sys.stdout.flush()
                continue
            command = line.strip().decode("ascii", "replace")
            # A beat after the watchdog fired re-arms it: the JVM was only slow, still holds
            # the lease (its loop confirms that with ZooKeeper before it starts anything),
            # and its stack must stay guarded.
            if command == "arm" or (command == "beat" and state != "off"):
                state = "armed"
                deadline = time.monotonic() + cfg["deadline_ms"] / 1000.0
            elif command == "disarm":
                state = "off"


if __name__ == "__main__":
    main()
