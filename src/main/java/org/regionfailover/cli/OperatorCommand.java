package org.regionfailover.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.DurationParser;
import org.regionfailover.config.FileConfigSource;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.SettingsLoader;
import picocli.CommandLine.ParseResult;

/**
 * One of the operator's commands ({@code hold}, {@code release}, {@code failback},
 * {@code move}, {@code resign}): posts it to the running supervisor's status server as an
 * htpasswd user and prints the server's one-line answer. The loop decides, as for a POST
 * with curl; this only saves the operator the URL, the credentials and reading HTTP statuses.
 * Exit codes: 0 accepted, 1 refused, 2 usage, 3 not running, 4 not authorised.
 */
final class OperatorCommand {
  static final int NOT_AUTHORISED = 4;
  static final String USER_ENV = "RF_USER";

  /** What to post: the path and query below the listener, and the form body ("" for none). */
  record Post(String pathAndQuery, String form) {}

  private final String name;
  private final StatusClient client;
  private final Post post;
  private final boolean setGiven;
  private final String user;
  private final char[] password;
  private final PrintStream out;
  private final PrintStream err;

  private OperatorCommand(String name, StatusClient client, Post post, boolean setGiven,
      String user, char[] password, PrintStream out, PrintStream err) {
    this.name = name;
    this.client = client;
    this.post = post;
    this.setGiven = setGiven;
    this.user = user;
    this.password = password;
    this.out = out;
    this.err = err;
  }

  /**
   * The command parsed as {@code command}, its listener read from {@code source} as
   * {@code status} reads it; a {@link ConfigException} (exit 2) for a bad option, a
   * listener that cannot be asked, no user or no password.
   */
  static OperatorCommand of(ParseResult command, FileConfigSource source,
      Map<String, String> env, OperatorPassword.Terminal terminal, PrintStream out,
      PrintStream err) {
    String name = command.commandSpec().name();
    Post post = post(command);
    SettingsLoader main = source.mainLoader();
    ListenerSettings listener;
    try {
      listener = main.listener();
    } catch (ConfigException e) {
      throw main.located(e);
    }
    StatusClient client = StatusClient.of(listener, name);
    String user = Optional.ofNullable(command.<String>matchedOptionValue(OperatorHelp.USER,
        null)).or(() -> Optional.ofNullable(env.get(USER_ENV))).filter(u -> !u.isBlank())
        .orElseThrow(() -> new ConfigException(OperatorHelp.USER + " / " + USER_ENV,
            "no user: give " + OperatorHelp.USER + " NAME, a user of the listener's htpasswd"
                + " file (or set " + USER_ENV + ")"));
    if (user.indexOf(':') >= 0) {
      throw ConfigException.badValue(OperatorHelp.USER, user,
          "a user name has no ':' (HTTP basic authentication separates it from the password"
              + " with one)");
    }
    Optional<Path> file = Optional.ofNullable(
        command.<String>matchedOptionValue(OperatorPassword.FILE_OPTION, null)).map(Path::of);
    char[] password = OperatorPassword.read(file, env, terminal,
        "Password for " + user + " at " + client.base() + ": ");
    return new OperatorCommand(name, client, post, command.hasMatchedOption(OperatorHelp.SET),
        user, password, out, err);
  }

  /** The path, query and body {@code command} posts; exit 2 for a bad {@code --for}. */
  static Post post(ParseResult command) {
    String set = command.matchedOptionValue(OperatorHelp.SET, null);
    String prefix = set == null ? "" : "/set/" + segment(set);
    String force = command.hasMatchedOption(OperatorHelp.FORCE) ? "?force=true" : "";
    return switch (command.commandSpec().name()) {
      case "hold" -> hold(prefix, command);
      case "release" -> new Post(prefix + "/release", "");
      case "failback" -> new Post(prefix + "/failback" + force, "");
      case "move" -> new Post(prefix + "/region/"
          + segment(command.matchedPositional(0).getValue()) + force, "");
      case "resign" -> new Post(prefix + "/resign", "");
      default -> throw new IllegalArgumentException("not an operator command: "
          + command.commandSpec().name());
    };
  }

  private static Post hold(String prefix, ParseResult command) {
    String duration = command.matchedOptionValue(OperatorHelp.FOR, null);
    String query = "";
    if (duration != null) {
      // Checked here too: a typo is exit 2 before any password is asked or sent.
      DurationParser.parse(OperatorHelp.FOR, duration);
      query = "?for=" + URLEncoder.encode(duration.strip(), StandardCharsets.UTF_8);
    }
    String from = command.matchedOptionValue(OperatorHelp.FROM, null);
    if (from != null) {
      try {
        // Checked here too, and said as the server would: a time without an offset is 400.
        org.regionfailover.config.MaintenanceFile.time("the time", from.strip());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(OperatorHelp.FROM, e.getMessage());
      }
      query += (query.isEmpty() ? "?" : "&") + "from="
          + URLEncoder.encode(from.strip(), StandardCharsets.UTF_8);
    }
    String reason = command.matchedOptionValue(OperatorHelp.REASON, null);
    return new Post(prefix + "/hold" + query, reason == null ? ""
        : "reason=" + URLEncoder.encode(reason, StandardCharsets.UTF_8));
  }

  /** {@code text} as one path segment. */
  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  int call() {
    StatusClient.Answer answer;
    try {
      answer = client.post(post.pathAndQuery(), user, password, post.form());
    } catch (ConnectException e) {
      err.println(prefix() + "not running: " + client.nothingListens(e));
      return StatusCommand.NOT_RUNNING;
    } catch (SocketTimeoutException e) {
      err.println(prefix() + client.base() + " accepts connections but does not answer ("
          + e.getMessage() + "): the process may be stopped (SIGSTOP) or hung");
      return StatusCommand.NOT_RUNNING;
    } catch (SSLException e) {
      err.println(prefix() + "TLS with " + client.base() + " failed (" + e.getMessage()
          + "): the listener's certificate is not the one in --tls-cert, or it does not"
          + " speak TLS");
      return Cli.USAGE;
    } catch (StatusClient.TooLarge | GeneralSecurityException e) {
      err.println(prefix() + client.base() + " is not region-failover's status server, or"
          + " the certificate of --tls-cert cannot be read: " + e.getMessage());
      return Cli.USAGE;
    } catch (IOException e) {
      err.println(prefix() + client.base() + " could not be reached (" + e + ")");
      return StatusCommand.NOT_RUNNING;
    } finally {
      Arrays.fill(password, '\0');
    }
    return answered(answer.status(), answer.text());
  }

  private int answered(int status, String text) {
    switch (status) {
      case 200, 202 -> {
        out.println(text);
        return Cli.OK;
      }
      case 409, 404, 503 -> {
        err.println(prefix() + text + hint(status, text));
        return Cli.FAILED;
      }
      case 401, 403, 429 -> {
        err.println(prefix() + "not authorised: " + text + (status == 401
            ? " (user '" + ConfigException.shown(user) + "')" : ""));
        return NOT_AUTHORISED;
      }
      case 400, 413, 415 -> {
        err.println(prefix() + "the server refused the request as malformed: " + text);
        return Cli.USAGE;
      }
      default -> {
        err.println(prefix() + client.base() + " answered HTTP " + status + " (" + text
            + "); is it region-failover's status server?");
        return Cli.USAGE;
      }
    }
  }

  /** What the server cannot know: the option that gets the operator further. */
  private String hint(int status, String text) {
    if (status == 404 && name.equals("resign")) {
      return " (resign is for a host running --role active-standby" + (setGiven ? ")"
          : "; with several sets, give " + OperatorHelp.SET + " NAME)");
    }
    if (status == 409 && !setGiven && text.contains("several failover sets")) {
      return " (choose one with " + OperatorHelp.SET + " NAME)";
    }
    return "";
  }

  private String prefix() {
    return "region-failover " + name + ": ";
  }
}
