package org.regionfailover.cli;

import java.io.PrintStream;
import org.regionfailover.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code region-failover help [COMMAND]}: the help of the loop, or of one command, as
 * {@code --help} prints it. Built directly rather than with picocli's annotated
 * {@code HelpCommand}, as {@link StandardHelp} is, and run by {@link Cli} (which parses
 * without picocli's execute).
 */
final class HelpCommand {
  static final String NAME = "help";

  private HelpCommand() {}

  /** The spec of {@code help}, whose COMMAND is one of {@code commands}. */
  static CommandSpec spec(java.util.Collection<String> commands) {
    CommandSpec spec = CommandSpec.create().name(NAME).helpCommand(true);
    spec.addOption(picocli.CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
        .description("Show this help message and exit.").build());
    spec.usageMessage().description(
        "Shows the help of the loop or of a command: region-failover help status prints what"
            + " region-failover status --help prints.");
    spec.addPositional(PositionalParamSpec.builder()
        .paramLabel("COMMAND")
        .arity("0..1")
        .type(String.class)
        .description("The command whose help to show: " + String.join(", ", commands)
            + ".")
        .completionCandidates(java.util.List.copyOf(commands))
        .build());
    StandardHelp.exitCodes(spec, "0", "help shown", "2", "no such command");
    return spec;
  }

  /** Prints the help {@code command} (the parsed {@code help}) asks for, of {@code root}. */
  static int call(CommandLine root, ParseResult command, PrintStream out, PrintStream err) {
    String name = command.matchedPositionalValue(0, null);
    if (name == null) {
      root.usage(out);
      return Cli.OK;
    }
    CommandLine sub = root.getSubcommands().get(name);
    if (sub == null) {
      err.println("region-failover help: no command '" + ConfigException.escaped(name)
          + "'; the commands are " + String.join(", ", root.getSubcommands().keySet()));
      return Cli.USAGE;
    }
    sub.usage(out);
    return Cli.OK;
  }
}
