package org.regionfailover.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The {@code replay} command's options and help, kept out of {@link Cli}'s way. */
final class ReplayHelp {
  private ReplayHelp() {}

  static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create()
        .name("replay")
        .version("region-failover " + Version.get());
    StandardHelp.addTo(spec);
    spec.usageMessage().sortOptions(false);
    spec.usageMessage()
        .description(
            "What would these settings have done? Replays recorded logs through the"
                + " decide rules; touches nothing.",
            "",
            "Reads the loop's recorded stdout (its probe and region_probe events; gzip accepted; - reads standard input;"
                + " several files are merged in time order), runs it through the same"
                + " decide rules as the loop with the rule settings its startup line records"
                + " (flags and variables given override them; a log without a startup line"
                + " needs at least --failover-list), each input at the time the loop decided"
                + " on it (decided_at), and prints the decisions as the"
                + " loop's own JSON lines (failover, repair, failover_blocked, outage_started,"
                + " ...; each with \"replay\":true), then a summary on stderr: transitions,"
                + " blocked transitions, time on each region, the longest outage, and the"
                + " lines skipped (other events, malformed lines), counted.",
            "",
            "It touches nothing: no env file, no lock, no supervisord, no Datadog, no"
                + " network. The same input and settings give the same bytes. Settings that"
                + " only describe the host are not needed: --env-file is ignored, and"
                + " --org-id and --txn-id may be left out.",
            "",
            "How the replayed host differs from the recorded one: a switch or a repair"
                + " the recording did not make too is done the instant it is decided (one it"
                + " made ends when the recording's did); the stack is always up; --interval"
                + " must be the recording's (a gap of 1.5 intervals is taken for a pause)."
                + " A chain probe only shows the region the recording was on: once the"
                + " replay has moved elsewhere, each recorded chain probe counts as a probe"
                + " of the replay's region whose result is that region's latest direct"
                + " probe (region_probe) in the log, and is not evidence when there is none."
                + " With --region-probe none, direct probes only serve for that.",
            "",
            "Several failover sets: a process of several sets writes all their lines to one"
                + " stdout, each with \"set\":\"NAME\"; replay one set at a time with"
                + " --set NAME (its lines and its own startup line; the others are skipped,"
                + " counted). Without --set, a log of several sets is exit 2 naming them; a"
                + " log of one set needs none.",
            "",
            "Reloads: a reload_applied line that changed a rule setting of the set replayed"
                + " (" + String.join(", ", ReplayReloads.RULES.stream()
                    .map(org.regionfailover.config.Setting::env).toList())
                + ") changes the replay's rules from that line on, as the loop took them:"
                + " after a switch or a repair in progress, the outage clock kept. A setting"
                + " given to the replay keeps overriding the log, reloads included; the"
                + " summary lists the reloads taken.");
    StandardHelp.exitCodes(spec,
        "0", "replayed (whatever it decided)",
        "2", "bad usage or configuration, an input that cannot be read, a log without a"
            + " startup line and no --failover-list, a log of several sets without --set, or"
            + " --set naming a set not in the log");
    spec.addOption(OptionSpec.builder(ReplayCommand.SET)
        .paramLabel("NAME")
        .type(String.class)
        .arity("1")
        .description("Replay the failover set NAME of a log of several (its \"set\" field;"
            + " sets.d/NAME.env); default for a process of one set. Needed for a log of"
            + " several sets.")
        .build());
    spec.addPositional(PositionalParamSpec.builder()
        .paramLabel("FILE")
        .arity("1..*")
        .required(true)
        .type(String[].class)
        .auxiliaryTypes(String.class)
        .description("Recorded stdout of the loop, plain or gzip; - for standard input.")
        .build());
    SettingOptions.addTo(spec, ReplayCommand.FROM_LOG, java.util.Set.of());
    return spec;
  }
}
