package org.regionfailover.config;

/**
 * How the process writes its events on stdout: the {@link LogFormat}, and with the text
 * format whether every probe and step is shown ({@code verbose}) or only the changes.
 */
public record ConsoleSettings(LogFormat format, boolean verbose) {
  /** The defaults: {@code auto} (text on a terminal, JSON otherwise), not verbose. */
  public static final ConsoleSettings DEFAULT = new ConsoleSettings(LogFormat.AUTO, false);
}
