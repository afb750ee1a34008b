package org.regionfailover.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code -h/--help} and {@code -V/--version}, as picocli's {@code mixinStandardHelpOptions}
 * declares them, built directly: the mixin reads them from annotations by reflection, which
 * cost 20 ms of every start.
 */
final class StandardHelp {
  private StandardHelp() {}

  /** Adds both options to {@code spec}, first, as the mixin does. */
  static void addTo(CommandSpec spec) {
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
        .description("Show this help message and exit.").build());
    spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
        .description("Print version information and exit.").build());
  }
}
