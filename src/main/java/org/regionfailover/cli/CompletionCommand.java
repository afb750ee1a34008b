package org.regionfailover.cli;

import java.io.PrintStream;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code region-failover completion [bash]}: prints the bash completion script, made by
 * picocli's {@link AutoComplete} from the command definitions (as {@code kubectl
 * completion bash} does), so it completes what this build accepts. The Debian package
 * installs the same script, written at build time by {@link ShellDocs}.
 */
final class CompletionCommand {
  static final String NAME = "completion";
  /** The name the script completes: the command on PATH. */
  static final String PROGRAM = "region-failover";
  private static final List<String> SHELLS = List.of("bash");

  private CompletionCommand() {}

  static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name(NAME);
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
        .description("Show this help message and exit.").build());
    spec.usageMessage().description(
        "Prints the bash completion script: region-failover's commands, options and the"
            + " values of some. For this shell: source <(region-failover completion bash);"
            + " for every new one, add that line to ~/.bashrc. zsh takes the same script after"
            + " autoload -U +X bashcompinit && bashcompinit. The Debian package installs it"
            + " in /usr/share/bash-completion/completions.");
    spec.addPositional(PositionalParamSpec.builder()
        .paramLabel("SHELL")
        .arity("0..1")
        .type(String.class)
        .completionCandidates(SHELLS)
        .description("The shell: bash (the default, and the only one).")
        .build());
    StandardHelp.exitCodes(spec, "0", "printed", "2", "a shell other than bash");
    return spec;
  }

  static int call(CommandLine root, ParseResult command, PrintStream out, PrintStream err) {
    String shell = command.matchedPositionalValue(0, "bash");
    if (!SHELLS.contains(shell)) {
      err.println("region-failover completion: no completion for '"
          + org.regionfailover.config.ConfigException.escaped(shell)
          + "'; only bash (zsh: autoload -U +X bashcompinit && bashcompinit, then the bash"
          + " script)");
      return Cli.USAGE;
    }
    out.print(script(root));
    out.flush();
    return Cli.OK;
  }

  /** The bash script completing {@code root}'s commands and options. */
  static String script(CommandLine root) {
    return AutoComplete.bash(PROGRAM, root);
  }
}
