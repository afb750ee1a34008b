package org.regionfailover.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * {@code -h/--help} and {@code -V/--version}, as picocli's {@code mixinStandardHelpOptions}
 * declares them, built directly: the mixin reads them from annotations by reflection, which
 * cost 20 ms of every start. And the exit codes' section every command's help ends with.
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

  /**
   * The list of commands with the first phrase of each one's description (up to its first
   * ". ", "? ", ": " or "; "): a command's whole first paragraph made the list 40 lines.
   */
  static void shortCommandList(CommandSpec spec) {
    UsageMessageSpec usage = spec.usageMessage();
    Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>(usage.sectionMap());
    sections.put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
        help -> help.createTextTable(summaries(help)).toString());
    usage.sectionMap(sections);
    usage.commandListHeading("%nCommands:%n");
  }

  /** Each command's first phrase, by name. */
  private static Map<String, String> summaries(Help help) {
    Map<String, String> out = new LinkedHashMap<>();
    help.subcommands().forEach((name, sub) -> {
      String[] description = sub.commandSpec().usageMessage().description();
      out.put(name, description.length == 0 ? "" : firstPhrase(description[0]));
    });
    return out;
  }

  static String firstPhrase(String text) {
    int end = text.length();
    for (String stop : new String[] {". ", "? ", ": ", "; "}) {
      int at = text.indexOf(stop);
      if (at >= 0 && at < end) {
        end = stop.startsWith("?") ? at + 1 : at;
      }
    }
    String phrase = text.substring(0, end);
    return phrase.endsWith(".") ? phrase.substring(0, phrase.length() - 1) : phrase;
  }

  /**
   * The exit codes, {@code code, meaning, code, meaning, ...}, as picocli's two-column
   * list: a meaning too long for the line wraps within its own column, under itself, not
   * back to the margin where the codes stand.
   */
  static void exitCodes(CommandSpec spec, String... codesAndMeanings) {
    Map<String, String> list = new LinkedHashMap<>();
    for (int i = 0; i < codesAndMeanings.length; i += 2) {
      list.put(codesAndMeanings[i], codesAndMeanings[i + 1]);
    }
    spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(list);
  }
}
