package org.regionfailover.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every setting the supervisor accepts: its flag, its environment variable, its default and
 * what it means. This is the one list the CLI, the start-up event and the docs are built
 * from, so they cannot drift apart.
 */
public enum Setting {
  REGION(Group.ESSENTIALS, "FAILOVER_REGION", null, false, "REGION",
      "Preferred region; it goes first in the failover order.", "-r", "--region"),
  FAILOVER_LIST(Group.ESSENTIALS, "EXT_CLOUD_FAILOVER_LIST", null, false, "LIST",
      "Regions in order, REGION=host,... e.g. NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com.",
      "--failover-list"),
  ORG_ID(Group.ESSENTIALS, "CONNECTION_KEEPALIVE_ORG_ID", null, false, "ID",
      "Organisation id for the probe URL; required when the URL uses {orgId}.", "--org-id"),
  TXN_ID(Group.ESSENTIALS, "CONNECTION_KEEPALIVE_TXN_ID", null, false, "ID",
      "Transaction id for the probe URL; required when the URL uses {txnId}.", "--txn-id"),
  ENV_FILE(Group.ESSENTIALS, "EXT_CLOUD_ENV_FILE", "/opt/application/tmp/ext_cloud.env", false,
      "PATH", "Env file the application stack sources; records the active region.", "--env-file"),
  DRY_RUN(Group.ESSENTIALS, "FAILOVER_DRY_RUN", "false", true, "BOOL",
      "Decide and log, but change nothing.", "--dry-run"),
  SETS_DIR(Group.ESSENTIALS, "FAILOVER_SETS_DIR", null, false, "DIR",
      "Directory of failover sets, one NAME.env file each; default: sets.d beside the settings"
          + " file (--config), used when it exists. Relative in the settings file: from the"
          + " file's directory.", "--sets-dir"),
  LOG_FORMAT(Group.ESSENTIALS, "FAILOVER_LOG_FORMAT", "auto", false, "FORMAT",
      "How the loop and the demo write their events: json (one JSON object a line, for"
          + " supervisord, journald and Datadog), text (one short line per event that matters,"
          + " for a person; probes folded to their changes), or auto: text when stdout is a"
          + " terminal, json otherwise.", "--log-format"),
  VERBOSE(Group.ESSENTIALS, "FAILOVER_VERBOSE", "false", true, "BOOL",
      "Text log format: show every probe and every step of a switch, not only the changes.",
      "-v", "--verbose"),

  CLOUDLOOKUP_URL(Group.TUNING, "EXT_CLOUD_LOOKUP_URL",
      "https://localhost:8443/v2/{orgId}/cloudlookup/{txnId}", false, "URL",
      "Probe URL; placeholders {orgId}, {txnId}, {region}, {host}.", "--cloudlookup-url"),
  INTERVAL(Group.TUNING, "FAILOVER_INTERVAL", "10s", false, "DURATION",
      "Time between probes.", "--interval"),
  OUTAGE_THRESHOLD(Group.TUNING, "FAILOVER_OUTAGE_THRESHOLD", "4m", false, "DURATION",
      "Continuous failure before failing over; at least the interval.", "--outage-threshold"),
  PROBE_TIMEOUT(Group.TUNING, "FAILOVER_PROBE_TIMEOUT", "5s", false, "DURATION",
      "Probe timeout (connect and response); below the interval.", "--probe-timeout"),
  TLS_TIMEOUT(Group.TUNING, "FAILOVER_TLS_TIMEOUT", "5s", false, "DURATION",
      "check only: timeout of the TLS check of each region's host (connect, then each read"
          + " of the handshake).", "--tls-timeout"),
  REGION_PROBE(Group.TUNING, "EXT_CLOUD_REGION_PROBE", "tls://{host}:443", false, "PROBE",
      "How each region's host is probed directly, off the chain: tls://{host}:PORT (verified"
          + " handshake), tcp://{host}:PORT (connect), an http(s):// URL template with {host},"
          + " {region}, {orgId}, {txnId} (GET, healthy = 200), or none (no direct probes).",
      "--region-probe"),
  REGION_INTERVAL(Group.TUNING, "FAILOVER_REGION_INTERVAL", "30s", false, "DURATION",
      "Time between direct probes of each region; at least the interval. A region's direct"
          + " health is unknown once its last probe is older than two of these.",
      "--region-interval"),
  FAILURE_RATIO(Group.TUNING, "FAILOVER_FAILURE_RATIO", "0.8", false, "RATIO",
      "Fraction of failed probes over one threshold window that counts as an outage even"
          + " with healthy probes in between; 1 turns it off (continuous failure only).",
      "--failure-ratio"),
  FAILBACK(Group.TUNING, "FAILOVER_FAILBACK", "auto", false, "MODE",
      "auto: move back to a region earlier in the order once it has been up on its direct"
          + " probe for --failback-after; manual: stay until an operator asks (POST /failback),"
          + " and show the fail-back as waiting; off: stay where a failover put the host.",
      "--failback"),
  FAILBACK_AFTER(Group.TUNING, "FAILOVER_FAILBACK_AFTER", "10m", false, "DURATION",
      "Continuous direct health of an earlier region, and time since the last transition,"
          + " before failing back; at least the region interval.", "--failback-after"),
  MAX_TRANSITIONS(Group.TUNING, "FAILOVER_MAX_TRANSITIONS", "3/1h", false, "BUDGET",
      "At most COUNT automatic transitions (failover, fail-back, repair) in a sliding"
          + " DURATION, kept across restarts; off for no limit.", "--max-transitions"),
  LATENCY_LIMIT(Group.TUNING, "FAILOVER_LATENCY_LIMIT", "off", false, "ENTER/EXIT",
      "A healthy probe slower than ENTER fails (slow) until one answers under EXIT, e.g."
          + " 2s/1s; off by default.", "--latency-limit"),
  CA_FILE(Group.TUNING, "EXT_CLOUD_CA_FILE", null, false, "PATH",
      "Extra PEM certificates trusted by the probe, on top of the system trust store.",
      "--ca-file"),
  INSECURE_LOCALHOST(Group.TUNING, "EXT_CLOUD_INSECURE_LOCALHOST", "false", true, "BOOL",
      "Skip TLS verification of the probe (certificate and host name); only allowed when the"
          + " URL's host is loopback.",
      "--insecure-localhost"),

  SUPERVISOR_URL(Group.INTEGRATIONS, "SUPERVISOR_SERVER_URL", "unix:///var/run/supervisor.sock",
      false, "URL", "supervisord's XML-RPC endpoint: unix:///path.sock or http://host:port"
          + " (/RPC2 implied). supervisord sets this variable for the programs it runs.",
      "--supervisor-url"),
  SUPERVISOR_USER(Group.INTEGRATIONS, "SUPERVISOR_USERNAME", null, false, "USER",
      "supervisord HTTP basic-auth user.", "--supervisor-user"),
  SUPERVISOR_PASSWORD(Group.INTEGRATIONS, "SUPERVISOR_PASSWORD", null, false, "PASSWORD",
      "supervisord HTTP basic-auth password; never logged. Prefer the variable: every user"
          + " can read a flag in ps.", "--supervisor-password"),
  PROGRAMS(Group.INTEGRATIONS, "FAILOVER_PROGRAMS", "app:stunnel,app:cloud-client,app:application",
      false, "LIST", "supervisord programs in start order; they stop in reverse order.",
      "--programs"),
  SUPERVISOR_TIMEOUT(Group.INTEGRATIONS, "SUPERVISOR_TIMEOUT", "60s", false, "DURATION",
      "Timeout of one supervisord call; must exceed the programs' startsecs and stopwaitsecs.",
      "--supervisor-timeout"),

  DD_API_KEY(Group.INTEGRATIONS, "DD_API_KEY", null, false, "KEY",
      "Datadog API key; shipping logs to Datadog is on when set. Environment only; never logged."),
  DD_SITE(Group.INTEGRATIONS, "DD_SITE", "datadoghq.com", false, "SITE",
      "Datadog site: datadoghq.com, datadoghq.eu, us3.datadoghq.com, ...", "--dd-site"),
  DD_LOGS_URL(Group.INTEGRATIONS, "DD_LOGS_URL", null, false, "URL",
      "Base URL of the logs intake, overriding the site (a proxy, or a local test intake).",
      "--dd-logs-url"),
  DD_SERVICE(Group.INTEGRATIONS, "DD_SERVICE", "region-failover", false, "NAME",
      "Datadog service name.", "--dd-service"),
  DD_ENV(Group.INTEGRATIONS, "DD_ENV", null, false, "ENV", "Added to every log as tag env:ENV.",
      "--dd-env"),
  DD_TAGS(Group.INTEGRATIONS, "DD_TAGS", null, false, "TAGS",
      "Tags k:v,k:v added to every log; region:<active region> is always added.", "--dd-tags"),
  DD_HOSTNAME(Group.INTEGRATIONS, "DD_HOSTNAME", null, false, "HOST",
      "Host name reported to Datadog; default: this host's name.", "--dd-hostname"),

  LISTEN(Group.LISTENER, "FAILOVER_LISTEN", "127.0.0.1:9180", false, "HOST:PORT",
      "Where the status and control server listens (health, status, metrics, the page and"
          + " the operators' commands): host:port or [v6]:port, port 0 for any free port; off"
          + " for no server. Beyond loopback it needs --htpasswd and TLS.", "--listen"),
  HTPASSWD(Group.LISTENER, "FAILOVER_HTPASSWD", null, false, "PATH",
      "Apache htpasswd file of the operators allowed to POST commands (bcrypt entries only:"
          + " htpasswd -B -C 10); none: manual control is off.", "--htpasswd"),
  TLS_CERT(Group.LISTENER, "FAILOVER_TLS_CERT", null, false, "PATH",
      "PEM certificate chain of the server (leaf first); with --tls-key the server speaks"
          + " HTTPS only.", "--tls-cert"),
  TLS_KEY(Group.LISTENER, "FAILOVER_TLS_KEY", null, false, "PATH",
      "PEM private key of --tls-cert, unencrypted PKCS#8 (BEGIN PRIVATE KEY), RSA or EC.",
      "--tls-key"),
  EVIDENCE_TOKEN_FILE(Group.LISTENER, "FAILOVER_EVIDENCE_TOKEN_FILE", null, false, "PATH",
      "File holding the bearer token the applications send with POST /evidence (its content,"
          + " stripped); none: loopback clients report without a token. Never logged.",
      "--evidence-token-file"),

  COORDINATION(Group.COORDINATION, "FAILOVER_COORDINATION", "none", false, "URL",
      "none (each host decides alone), or zookeeper://host:port[,host:port...][/chroot]: the"
          + " hosts of --cluster coordinate through that ZooKeeper ensemble.",
      "--coordination"),
  CLUSTER(Group.COORDINATION, "FAILOVER_CLUSTER", null, false, "NAME",
      "The group of hosts that coordinate (letters, digits, . _ -); required with"
          + " --coordination.", "--cluster"),
  HOST_ID(Group.COORDINATION, "FAILOVER_HOST_ID", null, false, "ID",
      "This host's name in the cluster (letters, digits, . _ -); default: the host name.",
      "--host-id"),
  ROLE(Group.COORDINATION, "FAILOVER_ROLE", "fleet", false, "ROLE",
      "fleet: every host runs its stack and one decider moves them all; active-standby: only"
          + " the leader runs the stack.", "--role"),
  SESSION_TIMEOUT(Group.COORDINATION, "FAILOVER_SESSION_TIMEOUT", "15s", false, "DURATION",
      "ZooKeeper session timeout: a host silent this long loses its lease. Must exceed the"
          + " interval plus the time to stop the stack, with a margin.", "--session-timeout"),
  QUORUM(Group.COORDINATION, "FAILOVER_QUORUM", "majority", false, "QUORUM",
      "Live hosts that must see the fleet's region down for the threshold before the fleet"
          + " moves: majority, a count (3) or a percentage of live hosts (60%).", "--quorum"),
  COORDINATION_FALLBACK(Group.COORDINATION, "FAILOVER_COORDINATION_FALLBACK", "off", false,
      "DURATION", "off (without ZooKeeper a host keeps its region and never decides alone), or"
          + " how long without ZooKeeper before a fleet host decides alone again.",
      "--coordination-fallback"),

  TRAFFIC_SOURCE(Group.TRAFFIC, "FAILOVER_TRAFFIC_SOURCE", "off", false, "SOURCES",
      "Evidence from the applications' own calls: off, or a comma list of endpoint (they POST"
          + " their counts to /evidence) and log:PROGRAM (lines of a program's log read"
          + " through supervisord).", "--traffic-source"),
  TRAFFIC_ERROR_PATTERN(Group.TRAFFIC, "FAILOVER_TRAFFIC_ERROR_PATTERN", null, false, "REGEX",
      "Java regex: a log line it finds is a call that found the region unreachable; required"
          + " with a log: source.", "--traffic-error-pattern"),
  TRAFFIC_OK_PATTERN(Group.TRAFFIC, "FAILOVER_TRAFFIC_OK_PATTERN", null, false, "REGEX",
      "Java regex: a log line it finds is a call that went through; required with a log:"
          + " source.", "--traffic-ok-pattern"),
  TRAFFIC_MIN_VOLUME(Group.TRAFFIC, "FAILOVER_TRAFFIC_MIN_VOLUME", "20", false, "COUNT",
      "Calls over one threshold window below which traffic concludes nothing.",
      "--traffic-min-volume"),
  TRAFFIC_FAILURE_RATIO(Group.TRAFFIC, "FAILOVER_TRAFFIC_FAILURE_RATIO", "0.5", false, "RATIO",
      "Share of unreachable errors among the calls over the whole threshold window that is an"
          + " outage even while the probe answers (reason traffic).", "--traffic-failure-ratio"),
  TRAFFIC_VETO(Group.TRAFFIC, "FAILOVER_TRAFFIC_VETO", "on", false, "MODE",
      "on: calls flowing at volume keep the host where the probe alone would fail it over"
          + " (failover_blocked traffic_healthy); off: the probe alone decides that.",
      "--traffic-veto"),

  HOOK_PRE_SWITCH(Group.HOOKS, "FAILOVER_HOOK_PRE_SWITCH", null, false, "PATH",
      "Executable run (directly, no shell) before every switch, after the decision and before"
          + " the env file is touched; a non-zero exit or a timeout vetoes the switch"
          + " (failover_blocked hook_veto), decided again at the next probe.",
      "--hook-pre-switch"),
  HOOK_POST_SWITCH(Group.HOOKS, "FAILOVER_HOOK_POST_SWITCH", null, false, "PATH",
      "Executable run after every failover_completed or failover_failed; its exit is recorded"
          + " (hook_failed) and changes nothing.", "--hook-post-switch"),
  HOOK_NOTIFY(Group.HOOKS, "FAILOVER_HOOK_NOTIFY", null, false, "PATH",
      "Executable run on every transition, blocked transition, repair, hold, maintenance event"
          + " and recovery, in order, at least once (kept in an outbox beside the env file).",
      "--hook-notify"),
  HOOK_TIMEOUT(Group.HOOKS, "FAILOVER_HOOK_TIMEOUT", "30s", false, "DURATION",
      "A hook running longer is killed with its whole process group (hook_timed_out); with"
          + " --hook-pre-switch at most a third of the outage threshold.", "--hook-timeout"),
  NOTIFY_URL(Group.HOOKS, "FAILOVER_NOTIFY_URL", null, false, "URL",
      "http(s) URL that gets every notify delivery as a JSON POST, in order, retried with"
          + " backoff; no credentials in the URL (sign with --notify-secret-file).",
      "--notify-url"),
  NOTIFY_SECRET_FILE(Group.HOOKS, "FAILOVER_NOTIFY_SECRET_FILE", null, false, "PATH",
      "File holding the secret (its content, stripped) of the deliveries' HMAC-SHA256"
          + " signature, header X-Region-Failover-Signature: sha256=HEX. Never logged.",
      "--notify-secret-file"),
  NOTIFY_RETRY_FOR(Group.HOOKS, "FAILOVER_NOTIFY_RETRY_FOR", "1h", false, "DURATION",
      "How long a delivery to --notify-url is retried before it is dropped (notify_dropped).",
      "--notify-retry-for"),

  MAINTENANCE_FILE(Group.MAINTENANCE, "FAILOVER_MAINTENANCE_FILE", null, false, "PATH",
      "Planned maintenance windows, one a line: REGION START/DURATION reason (start in UTC or"
          + " with an offset, e.g. EU 2026-12-01T02:00Z/2h cloud maintenance); POST"
          + " /maintenance adds to it. Default: maintenance beside the settings file, else"
          + " beside the env file.", "--maintenance-file"),
  MAINTENANCE_LEAD(Group.MAINTENANCE, "FAILOVER_MAINTENANCE_LEAD", "10m", false, "DURATION",
      "How long before a window starts a host on its region makes a planned move to the next"
          + " region in the order that is up.", "--maintenance-lead");

  /** How the README groups settings. */
  public enum Group { ESSENTIALS, TUNING, INTEGRATIONS, LISTENER, COORDINATION, TRAFFIC, HOOKS,
    MAINTENANCE }

  private final Group group;
  private final String env;
  private final String defaultValue;
  private final boolean bool;
  private final String label;
  private final String description;
  private final List<String> names;

  Setting(Group group, String env, String defaultValue, boolean bool, String label,
      String description, String... names) {
    this.group = group;
    this.env = env;
    this.defaultValue = defaultValue;
    this.bool = bool;
    this.label = label;
    this.description = description;
    this.names = Arrays.asList(names);
  }

  public Group group() {
    return group;
  }

  /** The environment variable read when the flag is not given. */
  public String env() {
    return env;
  }

  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** True for switches: {@code --dry-run} alone means true. */
  public boolean isBoolean() {
    return bool;
  }

  public String paramLabel() {
    return label;
  }

  public String description() {
    return description;
  }

  /** Flag names, short first. */
  public List<String> names() {
    return names;
  }

  /** The long flag, e.g. {@code --interval}; the variable for an environment-only setting. */
  public String flag() {
    return names.isEmpty() ? env : names.get(names.size() - 1);
  }

  /** Whether the value must never be logged. */
  public boolean isSecret() {
    return this == SUPERVISOR_PASSWORD || this == DD_API_KEY;
  }

  /**
   * {@code value} with the credentials of a {@code scheme://user:password@host} URL masked,
   * so a URL setting (a proxy for the Datadog intake, say) can be logged.
   *
   * <p>Everything from {@code ://} up to the <em>last</em> {@code @} is masked: a password
   * may hold {@code @}, spaces, even {@code /}, so no parse can tell where it ends. An
   * {@code @} in a path masks the host as well; showing too little beats leaking a password.
   */
  public static String withoutUserInfo(String value) {
    int start = value.indexOf("://");
    int at = value.lastIndexOf('@');
    if (start < 0 || at < start + 3) {
      return value;
    }
    return value.substring(0, start + 3) + "****" + value.substring(at);
  }

  /**
   * A URL setting's value for a message: as {@link #withoutUserInfo}, and without a scheme
   * everything up to the last {@code @} is masked too, since {@code admin:pw@host:9001} is
   * a mistyped URL with credentials. (Not for any value: in a tag, {@code owner:ops@x.com}
   * is no secret.)
   */
  public static String urlWithoutUserInfo(String url) {
    int at = url.lastIndexOf('@');
    return url.contains("://") || at < 0 ? withoutUserInfo(url) : "****" + url.substring(at);
  }

  /**
   * Whether a reload can change the setting while the process runs. The others keep their
   * running value until a restart ({@code reload_partial} names them): the env file and the
   * programs (the stack and its lock are set up around them), the order (the running state
   * indexes its regions), dry run, supervisord's connection, Datadog's shipper, the listen
   * address and the coordination session; the traffic sources and their patterns (their
   * readers and the evidence endpoint are set up around them) and the evidence token; the
   * hooks and the notify URL (their queue and outbox are set up around them; the timeout
   * and the maintenance lead do change) and the maintenance file's path (its windows are
   * read again).
   */
  public boolean reloadable() {
    return switch (this) {
      case ORG_ID, TXN_ID, CLOUDLOOKUP_URL, INTERVAL, OUTAGE_THRESHOLD, PROBE_TIMEOUT,
          TLS_TIMEOUT, REGION_PROBE, REGION_INTERVAL, FAILURE_RATIO, FAILBACK, FAILBACK_AFTER,
          MAX_TRANSITIONS, LATENCY_LIMIT, CA_FILE, INSECURE_LOCALHOST, HTPASSWD, TLS_CERT,
          TLS_KEY, TRAFFIC_MIN_VOLUME, TRAFFIC_FAILURE_RATIO, TRAFFIC_VETO, HOOK_TIMEOUT,
          MAINTENANCE_LEAD -> true;
      default -> false;
    };
  }

  /**
   * Whether the setting belongs to one failover set (a set file may give it) rather than to
   * the process (the main settings file only): listener, Datadog, supervisord's connection,
   * coordination, the sets directory itself and the console (one stdout) are shared by every
   * set. The traffic sources
   * and rules are the set's; the evidence token belongs to the listener. Hooks are the
   * set's (their outbox lies beside its env file); the maintenance windows are the
   * process's (a region's maintenance is the same for every set), the lead is the set's.
   */
  public boolean perSet() {
    return (group == Group.ESSENTIALS && this != SETS_DIR && this != LOG_FORMAT
        && this != VERBOSE) || group == Group.TUNING
        || group == Group.TRAFFIC || group == Group.HOOKS || this == MAINTENANCE_LEAD
        || this == PROGRAMS;
  }

  /** {@code value} as a message may show it: masked for a secret, without URL credentials. */
  public String display(String value) {
    return value == null ? null : isSecret() ? "****" : withoutUserInfo(value);
  }

  /** Whether the setting has a flag (a few, like the API key, are environment only). */
  public boolean hasFlag() {
    return !names.isEmpty();
  }

  /**
   * How messages name a setting read from a settings file, by its key first:
   * {@code FAILOVER_INTERVAL (--interval)}.
   */
  public String fileLabel() {
    return hasFlag() ? env + " (" + flag() + ")" : env;
  }

  /** The setting whose environment variable (and settings file key) is {@code key}. */
  public static Optional<Setting> byEnv(String key) {
    return Arrays.stream(values()).filter(s -> s.env.equals(key)).findFirst();
  }

  /** How messages name the setting: {@code --interval (FAILOVER_INTERVAL)}. */
  public String label() {
    return hasFlag() ? flag() + " (" + env + ")" : env;
  }
}
