package org.regionfailover.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.Prerequisite;

/**
 * The alert rules docs/status-server.md tells operators to paste into Prometheus: checked
 * by Prometheus's own {@code promtool} (Debian's {@code prometheus} package), and run
 * against series with {@code promtool test rules}, so that a summary prints what it says
 * (a held host "down for 300 s", not the held gauge's 1: {@code a and b} keeps a's value).
 */
class AlertRulesTest {
  private static final Path DOC = Path.of("docs/status-server.md");

  @TempDir Path dir;
  private Path promtool;
  private Path rules;

  @BeforeEach
  void rulesFromTheDocs() throws Exception {
    promtool = Prerequisite.onPath("promtool");
    if (promtool == null) {
      Prerequisite.missing("promtool (Debian package prometheus) is not on PATH");
    }
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int start = doc.indexOf("```yaml\ngroups:");
    assertThat(start).as("the alert rules' yaml block in " + DOC).isNotNegative();
    int end = doc.indexOf("```", start + 7);
    rules = Files.writeString(dir.resolve("rules.yml"), doc.substring(start + 8, end));
  }

  @Test
  void promtoolChecksTheDocumentedRules() throws Exception {
    Result r = run("check", "rules", rules.toString());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void heldWhileDown_summarySaysHowLongTheRegionHasBeenDown() throws Exception {
    Path test = Files.writeString(dir.resolve("test.yml"), String.join("\n",
        "rule_files: [rules.yml]",
        "evaluation_interval: 1m",
        "tests:",
        "  - interval: 1m",
        "    input_series:",
        "      - series: 'region_failover_outage_seconds{instance=\"h1\",set=\"default\"}'",
        "        values: '300x10'",
        "      - series: 'region_failover_held{instance=\"h1\",set=\"default\"}'",
        "        values: '1x10'",
        "    alert_rule_test:",
        "      - eval_time: 5m",
        "        alertname: RegionFailoverHeldWhileDown",
        "        exp_alerts:",
        "          - exp_labels: {severity: page, instance: h1, set: default}",
        "            exp_annotations:",
        "              summary: 'h1 set default is held while its region has been down for 300 s'",
        ""));
    Result r = run("test", "rules", test.toString());
    assertThat(r.exit()).as(r.output()).isZero();
  }

  @Test
  void aFailover_pagesWithFromAndTo() throws Exception {
    Path test = Files.writeString(dir.resolve("failover.yml"), String.join("\n",
        "rule_files: [rules.yml]",
        "evaluation_interval: 1m",
        "tests:",
        "  - interval: 1m",
        "    input_series:",
        "      - series: 'region_failover_transitions_total{instance=\"h1\",set=\"s\",kind=\"failover\",from=\"EU\",to=\"NAM\"}'",
        "        values: '0 0 1 1 1'",
        "    alert_rule_test:",
        "      - eval_time: 3m",
        "        alertname: RegionFailover",
        "        exp_alerts:",
        "          - exp_labels: {severity: page, instance: h1, set: s, kind: failover, from: EU, to: NAM}",
        "            exp_annotations:",
        "              summary: 'h1 set s failed over EU -> NAM'",
        ""));
    Result r = run("test", "rules", test.toString());
    assertThat(r.exit()).as(r.output()).isZero();
  }

  @Test
  void aHookVetoPages_aTrafficVetoIsATicket() throws Exception {
    Path test = Files.writeString(dir.resolve("blocked.yml"), String.join("\n",
        "rule_files: [rules.yml]",
        "evaluation_interval: 1m",
        "tests:",
        "  - interval: 1m",
        "    input_series:",
        "      - series: 'region_failover_transitions_blocked_total{instance=\"h1\",set=\"s\",reason=\"hook_veto\"}'",
        "        values: '0 0 1 1 1'",
        "      - series: 'region_failover_transitions_blocked_total{instance=\"h2\",set=\"s\",reason=\"traffic_healthy\"}'",
        "        values: '0 0 1 1 1'",
        "      - series: 'region_failover_failover_blocked{instance=\"h2\",set=\"s\",reason=\"traffic_healthy\"}'",
        "        values: '0 0 1x20'",
        "    alert_rule_test:",
        "      - eval_time: 3m",
        "        alertname: RegionFailoverBlocked",
        "        exp_alerts:",
        "          - exp_labels: {severity: page, instance: h1, set: s, reason: hook_veto}",
        "            exp_annotations:",
        "              summary: 'h1 set s: a failover is due but refused (hook_veto)'",
        "      - eval_time: 15m",
        "        alertname: RegionFailoverLookupFailingCallsFine",
        "        exp_alerts:",
        "          - exp_labels: {severity: ticket, instance: h2, set: s, reason: traffic_healthy}",
        "            exp_annotations:",
        "              summary: 'h2 set s: cloudlookup fails while the applications calls go through; staying (traffic_healthy)'",
        ""));
    Result r = run("test", "rules", test.toString());
    assertThat(r.exit()).as(r.output()).isZero();
  }

  record Result(int exit, String output) {}

  private Result run(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(promtool.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }
}
