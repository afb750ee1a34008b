package org.regionfailover.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.regionfailover.act.envfile.EnvFile;
import org.regionfailover.config.HostPort;
import org.regionfailover.config.Region;
import org.regionfailover.config.Setting;
import org.regionfailover.config.Settings;
import org.regionfailover.config.DurationParser;
import org.regionfailover.config.SetConfiguration;
import org.regionfailover.decide.Adoption;
import org.regionfailover.decide.EnvFileReading;
import org.regionfailover.probe.HttpProbe;
import org.regionfailover.probe.ProbeResult;
import org.regionfailover.probe.TlsHandshakeProbe;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;

/**
 * {@code region-failover check}: one cloudlookup probe of the active region (as the loop
 * makes it) and a TLS check of every region's host, printed as a table or JSON. The exit
 * code follows the loop's own judgement, the cloudlookup probe: TLS results say where a
 * failover could go, they do not make the active region unhealthy.
 */
final class CheckCommand {
  /**
   * The settings check reads, which its help lists: where the active region is recorded,
   * the probe exactly as the loop makes it, and the TLS check's timeout. (It validates the
   * others too: it vouches for the loop's whole configuration.)
   */
  static final List<Setting> SETTINGS = List.of(Setting.REGION, Setting.FAILOVER_LIST,
      Setting.ORG_ID, Setting.TXN_ID, Setting.ENV_FILE, Setting.SETS_DIR,
      Setting.CLOUDLOOKUP_URL, Setting.PROBE_TIMEOUT, Setting.TLS_TIMEOUT, Setting.CA_FILE,
      Setting.INSECURE_LOCALHOST);

  private final SetConfiguration set;
  private final boolean named;
  private final boolean json;
  private final PrintStream out;

  /**
   * Checks {@code set}; when {@code named} (one of several sets) the output says which: a
   * line before the table, a {@code set} field in the JSON.
   */
  CheckCommand(SetConfiguration set, boolean named, boolean json, PrintStream out) {
    this.set = set;
    this.named = named;
    this.json = json;
    this.out = out;
  }

  int call() throws InterruptedException {
    Settings settings = set.config().settings();
    Duration tlsTimeout = DurationParser.parse(Setting.TLS_TIMEOUT.label(),
        set.value(Setting.TLS_TIMEOUT).orElseThrow());
    List<Region> order = settings.order();
    // Every target is parsed before any connection, so a bad port is exit 2, not a failure row.
    Map<Region, HostPort> targets = new LinkedHashMap<>();
    settings.failoverList().regions()
        .forEach(r -> targets.put(r, HostPort.parse(Setting.FAILOVER_LIST.label(), r)));
    EnvFileReading reading = EnvFile.read(settings.envFile());
    Region active = order.get(Adoption.from(reading, order).active());
    String source = source(reading, active, settings.envFile());

    Ticker ticker = Ticker.system();
    // All checks at once: the slowest bounds the run, not the sum of the timeouts.
    ExecutorService pool =
        Executors.newFixedThreadPool(targets.size() + 1, NamedThreads.daemons("check"));
    ProbeResult lookup;
    Map<Region, ProbeResult> tls = new LinkedHashMap<>();
    try (HttpProbe http = new HttpProbe(settings.probe(), ticker)) {
      TlsHandshakeProbe handshake =
          new TlsHandshakeProbe(settings.probe().caFile(), tlsTimeout, ticker);
      Future<ProbeResult> lookupF = pool.submit(() -> http.probe(active));
      Map<Region, Future<ProbeResult>> tlsF = new LinkedHashMap<>();
      targets.keySet().forEach(r -> tlsF.put(r, pool.submit(() -> handshake.probe(r))));
      lookup = get(lookupF);
      for (var e : tlsF.entrySet()) {
        tls.put(e.getKey(), get(e.getValue()));
      }
    } finally {
      pool.shutdownNow();
    }
    if (json) {
      out.println(json(settings, active, source, lookup, targets, tls));
    } else {
      table(settings, active, source, lookup, tls);
    }
    return lookup.healthy() ? Cli.OK : Cli.FAILED;
  }

  private static ProbeResult get(Future<ProbeResult> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      // Probes report failures as results; this is a bug surfacing, shown as a failed check.
      return ProbeResult.failed(0, "error: " + e.getCause());
    }
  }

  /** Why this region counts as active, in the words an operator would look for. */
  private static String source(EnvFileReading reading, Region active, Path envFile) {
    if (reading instanceof EnvFileReading.Names n && n.region().equalsIgnoreCase(active.name())) {
      return "env file " + envFile + " names " + active.name();
    }
    String why = reading instanceof EnvFileReading.Missing ? "is missing"
        : reading instanceof EnvFileReading.Unusable u ? "is unusable (" + u.problem() + ")"
        : "names unknown region '" + ((EnvFileReading.Names) reading).region() + "'";
    return "env file " + envFile + " " + why + "; assuming the first region of the order";
  }

  private void table(Settings settings, Region active, String source, ProbeResult lookup,
      Map<Region, ProbeResult> tls) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REGION", "HOST", "ACTIVE", "CHECK", "RESULT", "LATENCY MS"});
    rows.add(row(active, true, "cloudlookup", lookup));
    for (var e : tls.entrySet()) {
      rows.add(row(e.getKey(), e.getKey().equals(active), "tls", e.getValue()));
    }
    int[] width = new int[rows.get(0).length];
    rows.forEach(r -> {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    });
    if (named) {
      out.println("Set: " + set.name());
    }
    out.println("Active region: " + active.name() + " (" + source + ")");
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    out.println(lookup.healthy()
        ? "OK: active region " + active.name() + " is healthy."
        : "FAILED: active region " + active.name() + " is not healthy: " + lookup.reason()
            + " (probe " + settings.probe().urlFor(active) + ")");
  }

  private static String[] row(Region region, boolean active, String check, ProbeResult r) {
    String result = r.healthy() ? "ok" : r.reason();
    if (r.status().isPresent() && r.healthy()) {
      result += " (status " + r.status().getAsInt() + ")";
    }
    return new String[] {region.name(), region.host(), active ? "yes" : "no", check, result,
        Long.toString(r.latencyMs())};
  }

  private String json(Settings settings, Region active, String source, ProbeResult lookup,
      Map<Region, HostPort> targets, Map<Region, ProbeResult> tls) {
    // Made here, not in a static field: the table, the common case, never loads Jackson.
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    if (named) {
      root.put("set", set.name());
    }
    root.put("active_region", active.name());
    root.put("active_source", source);
    root.put("healthy", lookup.healthy());
    ArrayNode regions = root.putArray("regions");
    for (var e : tls.entrySet()) {
      Region r = e.getKey();
      ObjectNode node = regions.addObject();
      node.put("region", r.name());
      node.put("host", r.host());
      node.put("active", r.equals(active));
      if (r.equals(active)) {
        ObjectNode c = result(node.putObject("cloudlookup"), lookup);
        c.put("url", settings.probe().urlFor(r).toString());
      }
      result(node.putObject("tls"), e.getValue()).put("port", targets.get(r).port());
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a tree of plain values", e);
    }
  }

  private static ObjectNode result(ObjectNode node, ProbeResult r) {
    node.put("healthy", r.healthy());
    node.put("result", r.healthy() ? "ok" : r.reason());
    node.put("latency_ms", r.latencyMs());
    if (r.status().isPresent()) {
      node.put("status", r.status().getAsInt());
    }
    return node;
  }
}
