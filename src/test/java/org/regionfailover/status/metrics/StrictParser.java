package org.regionfailover.status.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.regionfailover.Prerequisite;

/**
 * Parses a scrape with the Prometheus project's own Python client (Debian's
 * {@code python3-prometheus-client}), since the Java client has no parser: its OpenMetrics
 * parser is strict (types, suffixes, bucket order, {@code # EOF}), its text parser rejects
 * malformed lines. Skipped with a reason on a machine without it, a failure on CI
 * (env CI=true), where .ci/run installs it.
 */
public final class StrictParser {
  /** Debian's interpreter: the package installs there, not into a pyenv on PATH. */
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String SCRIPT = String.join("\n",
      "import json, sys",
      "from prometheus_client.parser import text_string_to_metric_families as text",
      "from prometheus_client.openmetrics.parser import text_string_to_metric_families as om",
      "parse = om if sys.argv[1] == 'openmetrics' else text",
      "for f in parse(sys.stdin.read()):",
      "    for s in f.samples:",
      "        print(json.dumps({'family': f.name, 'type': f.type, 'name': s.name,",
      "                          'labels': s.labels, 'value': s.value}))",
      "");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One parsed sample. */
  public record Sample(String family, String type, String name, Map<String, String> labels,
      double value) {}

  /** The samples of a parsed scrape, with lookups for assertions. */
  public record Parsed(List<Sample> samples) {
    /** The value of the one sample named {@code name} with exactly {@code labels} (k, v, ...). */
    public double value(String name, String... labels) {
      Map<String, String> want = new TreeMap<>();
      for (int i = 0; i < labels.length; i += 2) {
        want.put(labels[i], labels[i + 1]);
      }
      List<Sample> found = samples.stream()
          .filter(s -> s.name().equals(name) && new TreeMap<>(s.labels()).equals(want))
          .toList();
      if (found.size() != 1) {
        throw new AssertionError("expected one sample " + name + want + ", found " + found);
      }
      return found.get(0).value();
    }

    /** The type the parser gave family {@code family}, or null when there is none. */
    public String type(String family) {
      return samples.stream().filter(s -> s.family().equals(family)).map(Sample::type)
          .findFirst().orElse(null);
    }

    /**
     * The samples of set {@code set}, without their {@code set} label, and the process's
     * own (no {@code set} label): the scrape as one set sees it.
     */
    public Parsed ofSet(String set) {
      List<Sample> out = new ArrayList<>();
      for (Sample s : samples) {
        String own = s.labels().get("set");
        if (own == null || own.equals(set)) {
          Map<String, String> labels = new LinkedHashMap<>(s.labels());
          labels.remove("set");
          out.add(new Sample(s.family(), s.type(), s.name(), labels, s.value()));
        }
      }
      return new Parsed(out);
    }

    /** Every sample named {@code name}. */
    public List<Sample> named(String name) {
      return samples.stream().filter(s -> s.name().equals(name)).toList();
    }
  }

  private StrictParser() {}

  /** Parses {@code body} as the Prometheus text format. */
  public static Parsed text(byte[] body) {
    return parse("text", body);
  }

  /** Parses {@code body} as OpenMetrics. */
  public static Parsed openMetrics(byte[] body) {
    return parse("openmetrics", body);
  }

  private static Parsed parse(String format, byte[] body) {
    require();
    try {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT, format)
          .redirectErrorStream(false).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(body);
      }
      // Read both pipes before waiting: a full pipe would otherwise stall the child.
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("the " + format + " parser rejected the scrape: " + err
            + "\n--- scrape:\n" + new String(body, StandardCharsets.UTF_8));
      }
      List<Sample> samples = new ArrayList<>();
      for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(line);
        Map<String, String> labels = new LinkedHashMap<>();
        n.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        samples.add(new Sample(n.get("family").asText(), n.get("type").asText(),
            n.get("name").asText(), labels, n.get("value").asDouble()));
      }
      return new Parsed(samples);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + PYTHON + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while parsing", e);
    }
  }

  private static void require() {
    boolean present = Files.isExecutable(PYTHON) && Files.isDirectory(
        Path.of("/usr/lib/python3/dist-packages/prometheus_client"));
    if (present) {
      return;
    }
    Prerequisite.missing("Debian's python3-prometheus-client is not installed (" + PYTHON
        + " with prometheus_client); install it with apt-get");
  }
}
