package org.regionfailover.cli;

import java.util.EnumSet;
import java.util.Set;
import org.regionfailover.config.Setting;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The operator's commands ({@code hold}, {@code release}, {@code failback}, {@code move},
 * {@code resign}): their options and help, kept out of {@link Cli}'s way.
 */
final class OperatorHelp {
  static final String USER = "--user";
  static final String SET = "--set";
  static final String FOR = "--for";
  static final String FROM = "--from";
  static final String REASON = "--reason";
  static final String FORCE = "--force";

  private OperatorHelp() {}

  /** The subcommands, by name, in the order the help lists them. */
  static List<CommandSpec> specs() {
    return List.of(
        spec("hold", "Holds the host where it is: no automatic transition (failover, repair in"
            + " place, fail-back) until released, or for --for. Probes, reporting and the stack"
            + " watch go on. Accepted on a host already held (the new hold replaces it).",
            duration(), from(), reason()),
        spec("release", "Ends the hold: automatic transitions resume (an outage already past"
            + " its threshold fails over at the next probe)."),
        spec("failback", "Moves the host to the preferred region (the first of the failover"
            + " order) now, through the same ordered restart as a failover. Refused when the"
            + " host is already there, a switch is in progress, or the preferred region is down"
            + " on its direct probe (unless --force).", force()),
        move(),
        spec("resign", "On an active/standby host (--role active-standby) that holds the"
            + " lease: gives the lease up; the stack stops here and another host takes the"
            + " lease and starts it. Refused on a standby (it names the holder)."));
  }

  private static CommandSpec move() {
    CommandSpec spec = spec("move", "Moves the host to REGION now, through the same ordered"
        + " restart as a failover. Refused when the host is already there, a switch is in"
        + " progress, or REGION is down on its direct probe (unless --force); an unknown"
        + " REGION is refused naming the regions.", force());
    spec.addPositional(PositionalParamSpec.builder()
        .paramLabel("REGION")
        .arity("1")
        .required(true)
        .type(String.class)
        .description("A region of the failover list, in any case (e.g. APAC).")
        .build());
    return spec;
  }

  private static CommandSpec spec(String name, String what, OptionSpec... own) {
    CommandSpec spec = CommandSpec.create()
        .name(name)
        .version("region-failover " + Version.get());
    StandardHelp.addTo(spec);
    spec.usageMessage().sortOptions(false);
    spec.usageMessage()
        .description(what, "",
            "Asks the running supervisor's status server (found as region-failover status"
                + " finds it: --config, --listen, https with the certificate of --tls-cert),"
                + " authenticated as --user against its htpasswd file, and prints its one-line"
                + " answer. The password comes from --password-file (its first line), else"
                + " the environment variable " + OperatorPassword.ENV + ", else a prompt on the"
                + " terminal; never from a flag, since ps shows a command line to every user."
                + " The server logs the command (manual_command) with the user.");
    StandardHelp.exitCodes(spec,
        "0", "accepted (the answer on stdout)",
        "1", "refused, with the server's reason on stderr: 409 (already there, a switch in"
            + " progress, the region down, not the lease holder...), 404 (an unknown region or"
            + " set), 503 (no answer from the loop in time: look at status before asking again)",
        "2", "bad usage or configuration (e.g. the listener is off, no password)",
        "3", "not running: nothing answers on the listener's address",
        "4", "not authorised: wrong user or password (401), manual control off or a"
            + " cross-site request (403), too many failed logins (429)");
    for (OptionSpec o : own) {
      spec.addOption(o);
    }
    spec.addOption(OptionSpec.builder(USER).paramLabel("NAME").type(String.class).arity("1")
        .description("The user of the listener's htpasswd file to authenticate as. Env: "
            + OperatorCommand.USER_ENV + ".")
        .build());
    spec.addOption(OptionSpec.builder(OperatorPassword.FILE_OPTION).paramLabel("FILE")
        .type(String.class).arity("1")
        .description("A file whose first line is the password (keep it chmod 600). Without"
            + " it: " + OperatorPassword.ENV + ", else a prompt on the terminal.")
        .build());
    spec.addOption(OptionSpec.builder(SET).paramLabel("NAME").type(String.class).arity("1")
        .description("The failover set to command, when the process runs several (its"
            + " sets.d/NAME.env); not needed with one.")
        .build());
    // The listener's address and certificate are read; --htpasswd and --tls-key only
    // because the listener's settings are loaded whole (as status loads them).
    SettingOptions.addTo(spec, EnumSet.of(Setting.LISTEN, Setting.TLS_CERT), Set.of());
    return spec;
  }

  private static OptionSpec duration() {
    return OptionSpec.builder(FOR).paramLabel("DURATION").type(String.class).arity("1")
        .description("Hold for this long (250ms, 10s, 4m, 2h or ISO-8601 PT2H; at most 7"
            + " days); without it, until released.")
        .build();
  }

  private static OptionSpec from() {
    return OptionSpec.builder(FROM).paramLabel("TIME").type(String.class).arity("1")
        .description("Start the hold later, at TIME: ISO-8601 in UTC or with an offset"
            + " (2026-12-01T02:00Z, 2026-12-01T03:00+01:00; a time without one is refused);"
            + " --for then counts from TIME. Kept across restarts, like every hold.")
        .build();
  }

  private static OptionSpec reason() {
    return OptionSpec.builder(REASON).paramLabel("TEXT").type(String.class).arity("1")
        .description("Why, shown in the status and the log (at most 200 characters);"
            + " default: held by USER.")
        .build();
  }

  private static OptionSpec force() {
    return OptionSpec.builder(FORCE)
        .description("Move even onto a region that is down on its direct probe.")
        .build();
  }
}
