#!/bin/sh
# Example start script for app:stunnel (install as /opt/application/bin/start-stunnel.sh).
# It reads the active region from the env file region-failover writes, and refuses to
# start (exit 5) without EXT_CLOUD, so the tunnel never connects to a half-known host.
# The cloud-client and application scripts follow the same pattern.
set -eu

env_file=${EXT_CLOUD_ENV_FILE:-/opt/application/tmp/ext_cloud.env}
if [ -r "$env_file" ]; then
  # shellcheck disable=SC1090 # the path is only known at run time
  . "$env_file"
fi
if [ -z "${EXT_CLOUD:-}" ]; then
  echo "start-stunnel: EXT_CLOUD is not set (is $env_file missing or incomplete?); refusing to start" >&2
  exit 5
fi
echo "start-stunnel: connecting to ${EXT_CLOUD} (region ${EXT_REGION:-unknown})" >&2

# stunnel reads its configuration from stdin (-fd 0) and stays in the foreground, as
# supervisord needs. Adjust accept/connect/CAfile to the host.
exec stunnel -fd 0 <<CONF
foreground = yes
pid =
[ext-cloud]
client = yes
accept = 127.0.0.1:${STUNNEL_ACCEPT_PORT:-9443}
connect = ${EXT_CLOUD}:443
verifyChain = yes
CAfile = /etc/ssl/certs/ca-certificates.crt
checkHost = ${EXT_CLOUD}
CONF
