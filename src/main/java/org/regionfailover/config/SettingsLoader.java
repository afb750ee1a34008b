package org.regionfailover.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns raw values into {@link Settings}. A flag wins over the settings files (a set's file,
 * then the main one), which win over the environment variable, which wins over the default;
 * every problem is a {@link ConfigException} naming the setting ({@link #located} adds the
 * file and line of a value read from a file).
 */
public final class SettingsLoader {
  private final Map<Setting, String> flags;
  private final List<SettingsFile> files;
  private final Map<String, String> env;
  /** Settings taken at their default whatever was given: {@link EliminatingValidator}'s. */
  private final Set<Setting> defaulted;

  /** {@code flags}: values given on the command line; {@code env}: the process environment. */
  public SettingsLoader(Map<Setting, String> flags, Map<String, String> env) {
    this(flags, List.of(), env);
  }

  /**
   * With settings files between the flags and the environment, {@code files} first to last
   * (a set's file before the main file). Their keys must be known settings by now: the
   * loader reads only the keys of {@link Setting}s.
   */
  public SettingsLoader(Map<Setting, String> flags, List<SettingsFile> files,
      Map<String, String> env) {
    this(flags, files, env, Set.of());
  }

  private SettingsLoader(Map<Setting, String> flags, List<SettingsFile> files,
      Map<String, String> env, Set<Setting> defaulted) {
    this.flags = Map.copyOf(flags);
    this.files = List.copyOf(files);
    this.env = Map.copyOf(env);
    this.defaulted = Set.copyOf(defaulted);
  }

  /** This loader with {@code settings} at their defaults, whatever was given for them. */
  SettingsLoader withDefaults(Set<Setting> settings) {
    Set<Setting> all = new HashSet<>(defaulted);
    all.addAll(settings);
    return new SettingsLoader(flags, files, env, all);
  }

  /** The settings-file line {@code s}'s value comes from, if it comes from a file. */
  public Optional<SettingsFile.Entry> entry(Setting s) {
    if (defaulted.contains(s) || flags.containsKey(s)) {
      return Optional.empty();
    }
    return files.stream().flatMap(f -> f.entry(s.env()).stream()).findFirst();
  }

  /**
   * Where {@code s}'s value comes from, for a message: {@code /etc/x.env:12}, the command
   * line, the environment or the default.
   */
  public String origin(Setting s) {
    if (!defaulted.contains(s) && flags.containsKey(s)) {
      return "the command line";
    }
    return entry(s).map(SettingsFile.Entry::where).orElse(
        !defaulted.contains(s) && env.containsKey(s.env()) ? "the environment" : "the default");
  }

  /**
   * {@code e} said at the file and line of the value it is about, when that value came from
   * a settings file ({@code /etc/x.env:12: FAILOVER_INTERVAL (--interval): ...}); else
   * {@code e} itself. A problem about two settings is placed at the first one from a file.
   */
  public ConfigException located(ConfigException e) {
    Optional<SettingsFile.Entry> at =
        named(e).stream().flatMap(s -> entry(s).stream()).findFirst();
    if (at.isEmpty()) {
      return e;
    }
    List<String> parts = new ArrayList<>();
    for (String part : e.setting().split(" / ")) {
      parts.add(settingLabelled(part).filter(s -> entry(s).isPresent())
          .map(Setting::fileLabel).orElse(part));
    }
    return e.at(at.get().where(), String.join(" / ", parts));
  }

  /** The settings {@code e} is about, read from its label ({@code --a (A) / --b (B)}). */
  static List<Setting> named(ConfigException e) {
    return Arrays.stream(e.setting().split(" / "))
        .flatMap(part -> settingLabelled(part).stream()).toList();
  }

  private static Optional<Setting> settingLabelled(String label) {
    return Arrays.stream(Setting.values()).filter(s -> s.label().equals(label.strip()))
        .findFirst();
  }

  /** The effective raw value of every setting that has one. */
  public Map<Setting, String> values() {
    Map<Setting, String> out = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      raw(s).ifPresent(v -> out.put(s, v));
    }
    return out;
  }

  /** The set {@code name} runs with these settings (validated, as {@link #configuration}). */
  public SetConfiguration set(String name) {
    return new SetConfiguration(name, configuration(), values());
  }

  /**
   * The effective raw value of a setting, if any. A value given empty or blank is an error,
   * not the default: {@code --region ''} or {@code FAILOVER_PROGRAMS=' '} is a mistake
   * (a template that rendered nothing), and silently running on the default hides it.
   */
  public Optional<String> raw(Setting s) {
    if (defaulted.contains(s)) {
      return s.defaultValue();
    }
    String v = flags.containsKey(s) ? flags.get(s)
        : entry(s).map(SettingsFile.Entry::value).orElseGet(() -> env.get(s.env()));
    if (v == null) {
      return s.defaultValue();
    }
    String value = v.strip();
    if (value.isEmpty()) {
      String unset = "an empty value is an error, not the default; for the default ("
          + s.defaultValue().orElse("none") + "), leave out "
          + (s.hasFlag() ? "the flag and " : "") + s.env();
      throw s.isSecret() ? ConfigException.badSecret(s.label(), "is empty or blank; " + unset)
          : ConfigException.badValue(s.label(), v, unset);
    }
    if (value.chars().anyMatch(c -> ConfigException.isControl((char) c))) {
      String rule = "control characters (newline, tab...) are not allowed in a setting";
      throw s.isSecret() ? ConfigException.badSecret(s.label(), "has a control character; " + rule)
          : ConfigException.badValue(s.label(), value, rule);
    }
    return Optional.of(value);
  }

  /**
   * Validates every setting, including those the command at hand does not use, so that a
   * bad value fails every command (and {@code check} vouches for the loop's configuration).
   */
  public void validateAll() {
    for (Setting s : Setting.values()) {
      raw(s);
    }
    configuration();
    duration(Setting.TLS_TIMEOUT);
    console();
  }

  /** How the process writes its events on stdout (process-wide, like the listener). */
  public ConsoleSettings console() {
    return new ConsoleSettings(LogFormat.parse(raw(Setting.LOG_FORMAT).orElseThrow()),
        bool(Setting.VERBOSE));
  }

  /** Everything the loop runs with, loaded once; the rules between settings are checked. */
  public Configuration configuration() {
    return new Configuration(load(), regionProbe(), policy(), supervisor(), datadog(),
        listener(), coordination(), traffic(), hooks(), maintenance());
  }

  /**
   * The set's hooks: each an executable file (run directly, no shell); the webhook an
   * http(s) URL without credentials, its secret file readable and not empty.
   */
  public HookSettings hooks() {
    Duration timeout = positive(Setting.HOOK_TIMEOUT);
    Duration retryFor = positive(Setting.NOTIFY_RETRY_FOR);
    Optional<java.net.URI> url = raw(Setting.NOTIFY_URL).map(SettingsLoader::notifyUrl);
    Optional<Path> secret = raw(Setting.NOTIFY_SECRET_FILE).map(v -> {
      Path p = readable(Setting.NOTIFY_SECRET_FILE, v, "secret file");
      try {
        if (Files.readString(p, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
          throw ConfigException.badValue(Setting.NOTIFY_SECRET_FILE.label(), v,
              "the file is empty; expected the secret the webhook's signature is made with");
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        throw ConfigException.badValue(Setting.NOTIFY_SECRET_FILE.label(), v,
            "expected a readable secret file (" + e.getClass().getSimpleName() + ")");
      }
      return p;
    });
    if (secret.isPresent() && url.isEmpty()) {
      throw new ConfigException(Setting.NOTIFY_SECRET_FILE.label() + " / "
          + Setting.NOTIFY_URL.label(), Setting.NOTIFY_SECRET_FILE.flag() + " signs the"
          + " deliveries to " + Setting.NOTIFY_URL.flag() + ", which is not set");
    }
    return new HookSettings(executable(Setting.HOOK_PRE_SWITCH),
        executable(Setting.HOOK_POST_SWITCH), executable(Setting.HOOK_NOTIFY), timeout, url,
        secret, retryFor);
  }

  /** Planned maintenance: the file as given (empty: the default place) and the lead. */
  public MaintenanceSettings maintenance() {
    Optional<Path> file = raw(Setting.MAINTENANCE_FILE).map(v -> {
      Path p = path(Setting.MAINTENANCE_FILE, v);
      if (Files.isDirectory(p)) {
        throw ConfigException.badValue(Setting.MAINTENANCE_FILE.label(), v,
            "it is a directory; expected a file path");
      }
      Path dir = p.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw ConfigException.badValue(Setting.MAINTENANCE_FILE.label(), v, "its directory "
            + dir + " does not exist; create it (windows added by POST /maintenance are"
            + " written there) or point the setting elsewhere");
      }
      return p;
    });
    Duration lead = duration(Setting.MAINTENANCE_LEAD);
    if (lead.isNegative()) {
      throw ConfigException.badValue(Setting.MAINTENANCE_LEAD.label(),
          raw(Setting.MAINTENANCE_LEAD).orElseThrow(), "expected a duration of 0 or more");
    }
    return new MaintenanceSettings(file, lead);
  }

  private Duration positive(Setting s) {
    Duration d = duration(s);
    if (d.isNegative() || d.isZero()) {
      throw ConfigException.badValue(s.label(), raw(s).orElseThrow(),
          "expected a duration above 0, e.g. " + s.defaultValue().orElse("30s"));
    }
    return d;
  }

  /** {@code s}'s path, checked to be a file this user may execute. */
  private Optional<Path> executable(Setting s) {
    return raw(s).map(v -> {
      Path p = path(s, v);
      if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
        throw ConfigException.badValue(s.label(), v, "expected an executable file (it is run"
            + " directly, without a shell)" + (!Files.exists(p) ? " (there is no such file)"
            : Files.isRegularFile(p) ? " (it is not executable: chmod +x)" : ""));
      }
      return p;
    });
  }

  private static java.net.URI notifyUrl(String value) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(value);
    } catch (java.net.URISyntaxException e) {
      throw ConfigException.badValue(Setting.NOTIFY_URL.label(),
          Setting.urlWithoutUserInfo(value), "expected an http(s) URL");
    }
    if (uri.getRawUserInfo() != null || value.contains("@")) {
      throw ConfigException.badValue(Setting.NOTIFY_URL.label(),
          Setting.urlWithoutUserInfo(value), "credentials in the URL are not allowed (they"
              + " would be logged with it); the signature made with "
              + Setting.NOTIFY_SECRET_FILE.flag() + " authenticates the deliveries");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw ConfigException.badValue(Setting.NOTIFY_URL.label(), value,
          "expected an http(s) URL with a host, e.g. https://chat.example.com/hooks/ops");
    }
    return uri;
  }

  /**
   * Where the set's traffic evidence comes from: {@code off}, or {@code endpoint} and
   * {@code log:PROGRAM} (a program of {@code --programs}, whose log is read with both
   * patterns); the evidence token's file, checked readable and not empty.
   */
  public TrafficSettings traffic() {
    String value = raw(Setting.TRAFFIC_SOURCE).orElseThrow();
    boolean endpoint = false;
    List<String> programs = new ArrayList<>();
    if (!value.equalsIgnoreCase("off")) {
      List<String> known = supervisor().programs();
      for (String item : value.split(",", -1)) {
        String source = item.strip();
        if (source.equals("endpoint") && !endpoint) {
          endpoint = true;
        } else if (source.startsWith("log:") && known.contains(source.substring(4))
            && !programs.contains(source.substring(4))) {
          programs.add(source.substring(4));
        } else if (source.startsWith("log:") && !source.substring(4).isEmpty()
            && !programs.contains(source.substring(4))) {
          throw ConfigException.badValue(Setting.TRAFFIC_SOURCE.label(), value, "the program '"
              + ConfigException.shown(source.substring(4)) + "' is not one of "
              + Setting.PROGRAMS.flag() + " " + known + "; a log is read from a program of the"
              + " stack");
        } else {
          throw ConfigException.badValue(Setting.TRAFFIC_SOURCE.label(), value, "expected off,"
              + " or a comma list of endpoint and log:PROGRAM (PROGRAM one of "
              + Setting.PROGRAMS.flag() + "), each at most once");
        }
      }
    }
    Optional<String> error = pattern(Setting.TRAFFIC_ERROR_PATTERN, !programs.isEmpty());
    Optional<String> ok = pattern(Setting.TRAFFIC_OK_PATTERN, !programs.isEmpty());
    Optional<Path> token = raw(Setting.EVIDENCE_TOKEN_FILE).map(this::tokenFile);
    return new TrafficSettings(endpoint, programs, error, ok, token);
  }

  /** {@code s}'s regex, checked to compile; required when {@code needed} (a log: source). */
  private Optional<String> pattern(Setting s, boolean needed) {
    Optional<String> v = raw(s);
    if (v.isEmpty() && needed) {
      throw new ConfigException(s.label() + " / " + Setting.TRAFFIC_SOURCE.label(), s.flag()
          + " is required with a log: source: it tells which lines of the log count, e.g. "
          + (s == Setting.TRAFFIC_ERROR_PATTERN
              ? "'(?i)(connection refused|connection reset|timed out|SSL|HTTP/1\\.1 50[234])'"
              : "'HTTP/1\\.1 2[0-9][0-9]'"));
    }
    v.ifPresent(p -> {
      try {
        java.util.regex.Pattern.compile(p);
      } catch (java.util.regex.PatternSyntaxException e) {
        throw ConfigException.badValue(s.label(), p, "expected a Java regular expression; "
            + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() + " ("
            + where(p, e.getIndex()) + ")" : ""));
      }
    });
    return v;
  }

  /** The pattern with a marker at {@code index}: {@code abc>>(<<def}. */
  private static String where(String pattern, int index) {
    int at = Math.min(index, pattern.length());
    return pattern.substring(0, at) + ">>" + (at < pattern.length()
        ? pattern.charAt(at) + "<<" + pattern.substring(at + 1) : "<<");
  }

  private Path tokenFile(String value) {
    Path p = readable(Setting.EVIDENCE_TOKEN_FILE, value, "token file");
    try {
      if (Files.readString(p, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
        throw ConfigException.badValue(Setting.EVIDENCE_TOKEN_FILE.label(), value,
            "the file is empty; expected the bearer token the applications send");
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw ConfigException.badValue(Setting.EVIDENCE_TOKEN_FILE.label(), value,
          "expected a readable token file (" + e.getClass().getSimpleName() + ")");
    }
    return p;
  }

  /** How traffic counts (off without a source). */
  private TrafficRules trafficRules(boolean enabled) {
    String volume = raw(Setting.TRAFFIC_MIN_VOLUME).orElseThrow();
    int minVolume;
    try {
      minVolume = volume.matches("[0-9]{1,9}") ? Integer.parseInt(volume) : 0;
    } catch (NumberFormatException e) {
      minVolume = 0;
    }
    if (minVolume < 1) {
      throw ConfigException.badValue(Setting.TRAFFIC_MIN_VOLUME.label(), volume,
          "expected a whole number of calls, at least 1 (e.g. 20)");
    }
    double ratio = ratio(Setting.TRAFFIC_FAILURE_RATIO, "e.g. 0.5");
    String veto = raw(Setting.TRAFFIC_VETO).orElseThrow().toLowerCase(Locale.ROOT);
    boolean on = switch (veto) {
      case "on" -> true;
      case "off" -> false;
      default -> throw ConfigException.badValue(Setting.TRAFFIC_VETO.label(), veto,
          "expected on or off");
    };
    return new TrafficRules(enabled, minVolume, ratio, on);
  }

  /** Whether {@code s} was given, by flag or environment, rather than left to its default. */
  private boolean given(Setting s) {
    return !defaulted.contains(s)
        && (flags.containsKey(s) || entry(s).isPresent() || env.containsKey(s.env()));
  }

  /**
   * How this host coordinates: {@link CoordinationSettings#NONE} by default. Every
   * coordination setting given without {@code --coordination} is an error: an operator who
   * set {@code --cluster} believes the host is in one.
   */
  public CoordinationSettings coordination() {
    String url = raw(Setting.COORDINATION).orElseThrow();
    if (url.equalsIgnoreCase("none")) {
      for (Setting s : new Setting[] {Setting.CLUSTER, Setting.HOST_ID, Setting.ROLE,
          Setting.SESSION_TIMEOUT, Setting.QUORUM, Setting.COORDINATION_FALLBACK}) {
        if (given(s)) {
          throw new ConfigException(s.label() + " / " + Setting.COORDINATION.label(),
              s.flag() + " is set but " + Setting.COORDINATION.flag() + " is none: set "
                  + Setting.COORDINATION.flag() + " zookeeper://host:port,... to coordinate, or"
                  + " leave out " + s.flag());
        }
      }
      return CoordinationSettings.NONE;
    }
    ZooKeeperUrl zk = ZooKeeperUrl.parse(Setting.COORDINATION.label(), url);
    String cluster = raw(Setting.CLUSTER).orElseThrow(() -> new ConfigException(
        Setting.CLUSTER.label() + " / " + Setting.COORDINATION.label(), Setting.CLUSTER.flag()
            + " is required with " + Setting.COORDINATION.flag() + ": it names the group of"
            + " hosts that coordinate, e.g. --cluster payments-eu"));
    name(Setting.CLUSTER, cluster);
    String hostId = raw(Setting.HOST_ID).orElseGet(SettingsLoader::hostName);
    name(Setting.HOST_ID, hostId);
    String role = raw(Setting.ROLE).orElseThrow().toLowerCase(Locale.ROOT);
    CoordinationSettings.Role r = switch (role) {
      case "fleet" -> CoordinationSettings.Role.FLEET;
      case "active-standby" -> CoordinationSettings.Role.ACTIVE_STANDBY;
      default -> throw ConfigException.badValue(Setting.ROLE.label(), role,
          "expected fleet or active-standby");
    };
    Duration session = duration(Setting.SESSION_TIMEOUT);
    if (session.compareTo(Duration.ofSeconds(2)) < 0 || session.compareTo(Duration.ofMinutes(10)) > 0) {
      throw ConfigException.badValue(Setting.SESSION_TIMEOUT.label(),
          raw(Setting.SESSION_TIMEOUT).orElseThrow(),
          "expected 2s to 10m; ZooKeeper grants 2 to 20 of its tickTime (4s to 40s by default)");
    }
    Quorum quorum;
    try {
      quorum = Quorum.parse(raw(Setting.QUORUM).orElseThrow());
    } catch (IllegalArgumentException e) {
      throw ConfigException.badValue(Setting.QUORUM.label(), raw(Setting.QUORUM).orElseThrow(),
          e.getMessage());
    }
    String fb = raw(Setting.COORDINATION_FALLBACK).orElseThrow();
    Duration fallback = fb.equalsIgnoreCase("off") ? null
        : DurationParser.parse(Setting.COORDINATION_FALLBACK.label(), fb);
    if (fallback != null && r == CoordinationSettings.Role.ACTIVE_STANDBY) {
      throw new ConfigException(Setting.COORDINATION_FALLBACK.label() + " / "
          + Setting.ROLE.label(), "a fallback to local decisions is for --role fleet only: a"
          + " standby that decided alone would start a second stack; set it to off");
    }
    if (fallback != null && fallback.compareTo(session) <= 0) {
      throw new ConfigException(Setting.COORDINATION_FALLBACK.label() + " / "
          + Setting.SESSION_TIMEOUT.label(), "the fallback " + DurationParser.text(fallback)
          + " must exceed the session timeout " + DurationParser.text(session) + ": before that the host's session may still be"
          + " alive, and the fleet may still decide for it");
    }
    return new CoordinationSettings(zk.servers(), zk.chroot(), cluster, hostId, r, session,
        quorum, fallback);
  }

  private static void name(Setting s, String value) {
    if (!CoordinationSettings.NAME.matcher(value).matches()) {
      throw ConfigException.badValue(s.label(), value, "expected 1 to 63 letters, digits,"
          + " '.', '_' or '-', starting with a letter or digit");
    }
  }

  private static String hostName() {
    try {
      String name = java.net.InetAddress.getLocalHost().getHostName();
      int dot = name.indexOf('.');
      return dot > 0 ? name.substring(0, dot) : name;
    } catch (java.net.UnknownHostException e) {
      throw new ConfigException(Setting.HOST_ID.label(), "this host's name cannot be read ("
          + e.getMessage() + "); set " + Setting.HOST_ID.flag());
    }
  }

  /**
   * Where the status server listens, and with what security. The files are only checked
   * to be readable here; their content is read where the server is built.
   */
  public ListenerSettings listener() {
    ListenAddress address = ListenAddress.parse(Setting.LISTEN.label(),
        raw(Setting.LISTEN).orElseThrow());
    return new ListenerSettings(address,
        raw(Setting.HTPASSWD).map(p -> readable(Setting.HTPASSWD, p, "htpasswd file")),
        raw(Setting.TLS_CERT).map(p -> readable(Setting.TLS_CERT, p, "PEM certificate file")),
        raw(Setting.TLS_KEY).map(p -> readable(Setting.TLS_KEY, p, "PEM private key file")));
  }

  /** The tunable rules of the decide stage (checked against each other in {@link Configuration}). */
  public PolicySettings policy() {
    Duration interval = duration(Setting.INTERVAL);
    Duration threshold = duration(Setting.OUTAGE_THRESHOLD);
    Duration regionInterval = regionProbe().interval();
    double ratio = ratio();
    FailbackMode failback = switch (raw(Setting.FAILBACK).orElseThrow()) {
      case "auto" -> FailbackMode.AUTO;
      case "manual" -> FailbackMode.MANUAL;
      case "off" -> FailbackMode.OFF;
      default -> throw ConfigException.badValue(Setting.FAILBACK.label(),
          raw(Setting.FAILBACK).orElseThrow(), "expected auto, manual or off");
    };
    Duration failbackAfter = duration(Setting.FAILBACK_AFTER);
    TransitionBudget budget = TransitionBudget.parse(raw(Setting.MAX_TRANSITIONS).orElseThrow());
    LatencyLimit latency = LatencyLimit.parse(raw(Setting.LATENCY_LIMIT).orElseThrow(),
        duration(Setting.PROBE_TIMEOUT));
    return new PolicySettings(interval, threshold, regionInterval, ratio, failback,
        failbackAfter, budget.count(), budget.window(), latency.enter(), latency.exit(),
        trafficRules(traffic().enabled()));
  }

  private double ratio() {
    return ratio(Setting.FAILURE_RATIO, "e.g. 0.8; 1 turns the rule off");
  }

  private double ratio(Setting s, String example) {
    String v = raw(s).orElseThrow();
    try {
      double r = Double.parseDouble(v);
      if (r > 0 && r <= 1 && v.matches("[0-9.]+")) {
        return r;
      }
    } catch (NumberFormatException e) {
      // the message below names the rule
    }
    throw ConfigException.badValue(s.label(), v,
        "expected a number above 0 and at most 1 (" + example + ")");
  }

  /** How the regions' hosts are probed directly, and how often. */
  public RegionProbeSettings regionProbe() {
    return RegionProbeSettings.parse(raw(Setting.REGION_PROBE).orElseThrow(),
        duration(Setting.REGION_INTERVAL),
        duration(Setting.PROBE_TIMEOUT));
  }

  /**
   * Fails unless a file can be created beside the env file: the loop replaces it by renaming
   * a temp file written there, and finding out at the first failover is too late. A dry run
   * writes nothing, so it is not checked.
   */
  public void requireWritableEnvFile() {
    if (bool(Setting.DRY_RUN)) {
      return;
    }
    Path file = envFile();
    Path dir = file.getParent();
    try {
      // Named like the writer's temp files, so a crash here leaves one it cleans up.
      Files.delete(Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp"));
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      throw unwritableEnvFile(file, e, "the supervisor replaces the file through a temp file"
          + " in that directory");
    }
  }

  /**
   * The env file's directory refused a file the loop must create there ({@code why} says
   * which): /proc, /sys, a read-only mount. Exit 2 naming the setting, not an exception.
   */
  public static ConfigException unwritableEnvFile(Path file, Exception e, String why) {
    // A read-only mount says so only in the reason ("Read-only file system").
    String what = e instanceof java.nio.file.FileSystemException f && f.getReason() != null
        ? f.getReason() : e.getClass().getSimpleName();
    return ConfigException.badValue(Setting.ENV_FILE.label(), file.toString(), "its directory "
        + file.getParent() + " must exist and be writable, and is not (" + what + "); " + why);
  }

  /** Problems that do not stop the start-up but must be reported, e.g. a password in ps. */
  public List<String> warnings() {
    if (flags.containsKey(Setting.SUPERVISOR_PASSWORD)) {
      return List.of(Setting.SUPERVISOR_PASSWORD.flag() + " was given on the command line,"
          + " where every user of this host can read it (ps, /proc/PID/cmdline); set "
          + Setting.SUPERVISOR_PASSWORD.env() + " in the environment instead");
    }
    return List.of();
  }

  /** Loads and validates everything the loop needs. */
  public Settings load() {
    FailoverList list = FailoverList.parse(Setting.FAILOVER_LIST.label(),
        raw(Setting.FAILOVER_LIST).orElse(null));
    Optional<Region> preferred = raw(Setting.REGION).map(name -> list.find(name).orElseThrow(
        () -> ConfigException.badValue(Setting.REGION.label(), name,
            "expected one of the regions of the failover list: " + list.names())));
    return new Settings(list, preferred, probe(), duration(Setting.INTERVAL),
        duration(Setting.OUTAGE_THRESHOLD), envFile(), bool(Setting.DRY_RUN));
  }

  /** The probe settings alone, for commands that do not run the loop. */
  public ProbeSettings probe() {
    UrlTemplate url = new UrlTemplate(raw(Setting.CLOUDLOOKUP_URL).orElseThrow());
    Optional<Path> ca = raw(Setting.CA_FILE).map(p -> readableFile(Setting.CA_FILE, p));
    return new ProbeSettings(url, raw(Setting.ORG_ID), raw(Setting.TXN_ID),
        duration(Setting.PROBE_TIMEOUT), ca, bool(Setting.INSECURE_LOCALHOST));
  }

  /** Where and how to ship logs to Datadog; shipping is off without an API key. */
  public DatadogSettings datadog() {
    java.net.URI logsUrl = raw(Setting.DD_LOGS_URL).map(u -> {
      try {
        return new java.net.URI(u);
      } catch (java.net.URISyntaxException e) {
        throw ConfigException.badValue(Setting.DD_LOGS_URL.label(), Setting.urlWithoutUserInfo(u),
            "expected an absolute http:// or https:// base URL");
      }
    }).orElse(null);
    java.util.List<String> tags = raw(Setting.DD_TAGS)
        .map(t -> Arrays.stream(t.split(",")).map(String::strip)
            .filter(x -> !x.isEmpty()).toList())
        .orElse(java.util.List.of());
    return new DatadogSettings(raw(Setting.DD_API_KEY).orElse(null),
        raw(Setting.DD_SITE).orElse(null), logsUrl, raw(Setting.DD_SERVICE).orElse(null),
        raw(Setting.DD_ENV).orElse(null), tags, raw(Setting.DD_HOSTNAME).orElse(null), 0, null);
  }

  /** How to reach supervisord. */
  public SupervisorSettings supervisor() {
    return new SupervisorSettings(raw(Setting.SUPERVISOR_URL).orElseThrow(),
        raw(Setting.SUPERVISOR_USER), raw(Setting.SUPERVISOR_PASSWORD),
        SupervisorSettings.parsePrograms(raw(Setting.PROGRAMS).orElseThrow()),
        duration(Setting.SUPERVISOR_TIMEOUT));
  }

  public java.time.Duration duration(Setting s) {
    return DurationParser.parse(s.label(), raw(s).orElseThrow());
  }

  public boolean bool(Setting s) {
    String v = raw(s).orElse("false").toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw ConfigException.badValue(s.label(), v, "expected true or false");
    };
  }

  /** The env file's absolute path; its directory must exist. */
  Path envFile() {
    Path p = path(Setting.ENV_FILE, raw(Setting.ENV_FILE).orElseThrow()).toAbsolutePath();
    Path dir = p.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw ConfigException.badValue(Setting.ENV_FILE.label(), p.toString(),
          "its directory " + dir + " does not exist; create it, writable by the user"
              + " region-failover runs as (mkdir -p " + dir + "; the supervisor writes the file"
              + " atomically inside it; a missing file inside it is fine), or point the"
              + " setting elsewhere");
    }
    if (Files.isDirectory(p)) {
      throw ConfigException.badValue(Setting.ENV_FILE.label(), p.toString(),
          "it is a directory; expected a file path");
    }
    return p;
  }

  private static Path readableFile(Setting s, String value) {
    return readable(s, value, "PEM file");
  }

  private static Path readable(Setting s, String value, String what) {
    Path p = path(s, value);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw ConfigException.badValue(s.label(), value, "expected a readable " + what
          + (Files.exists(p) ? "" : " (there is no such file)"));
    }
    return p;
  }

  private static Path path(Setting s, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw ConfigException.badValue(s.label(), value, "expected a file path");
    }
  }
}
