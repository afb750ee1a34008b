package org.regionfailover.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** How to reach supervisord and which programs make up the application stack. */
public record SupervisorSettings(
    String url,
    Optional<String> user,
    Optional<String> password,
    List<String> programs,
    Duration timeout) {

  private static final String URL_RULE =
      "expected unix:///path/to/supervisor.sock or http://host:port (credentials go in"
          + " --supervisor-user and --supervisor-password, not in the URL)";

  public SupervisorSettings {
    Objects.requireNonNull(url, "url");
    user = user.filter(s -> !s.isBlank());
    password = password.filter(s -> !s.isBlank());
    programs = List.copyOf(programs);
    Objects.requireNonNull(timeout, "timeout");
    validateUrl(url);
    if (password.isPresent() && user.isEmpty()) {
      throw new ConfigException(Setting.SUPERVISOR_USER.label(),
          "is required when " + Setting.SUPERVISOR_PASSWORD.label() + " is set");
    }
    if (user.isPresent() && password.isEmpty()) {
      throw new ConfigException(Setting.SUPERVISOR_PASSWORD.label(),
          "is required when " + Setting.SUPERVISOR_USER.label() + " is set");
    }
    if (programs.isEmpty()) {
      throw new ConfigException(Setting.PROGRAMS.label(), "needs at least one program");
    }
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw ConfigException.badValue(Setting.SUPERVISOR_TIMEOUT.label(),
          DurationParser.text(timeout),
          "it must be at least 1s: starting a program waits for its startsecs");
    }
  }

  /** Parses the comma-separated program list, e.g. {@code app:stunnel,app:cloud-client}. */
  public static List<String> parsePrograms(String text) {
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String item : text.split(",", -1)) {
      String p = item.strip();
      if (!p.matches("[A-Za-z0-9_.\\-]+(:[A-Za-z0-9_.\\-]+)?")) {
        throw ConfigException.badValue(Setting.PROGRAMS.label(), text,
            "item '" + p + "' is not a supervisord program name; expected group:name or name,"
                + " separated by commas");
      }
      if (!seen.add(p)) {
        throw ConfigException.badValue(Setting.PROGRAMS.label(), text,
            "program " + p + " appears twice");
      }
      out.add(p);
    }
    return out;
  }

  private static void validateUrl(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw ConfigException.badValue(Setting.SUPERVISOR_URL.label(), Setting.urlWithoutUserInfo(url), URL_RULE);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme();
    boolean ok = switch (scheme) {
      case "unix" -> u.getPath() != null && u.getPath().length() > 1;
      // supervisord's inet_http_server speaks plain HTTP only.
      case "http" -> u.getHost() != null && u.getUserInfo() == null;
      default -> false;
    };
    if (!ok) {
      throw ConfigException.badValue(Setting.SUPERVISOR_URL.label(), Setting.urlWithoutUserInfo(url), URL_RULE);
    }
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "SupervisorSettings[url=" + url + ", user=" + user.orElse("-")
        + ", password=" + (password.isPresent() ? "****" : "-") + ", programs=" + programs
        + ", timeout=" + timeout + "]";
  }
}
