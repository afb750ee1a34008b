package org.regionfailover.act.supervisord;

/** One of a program's two logs in supervisord, as its XML-RPC tail methods name them. */
public enum LogStream {
  STDOUT("supervisor.tailProcessStdoutLog"),
  STDERR("supervisor.tailProcessStderrLog");

  private final String method;

  LogStream(String method) {
    this.method = method;
  }

  String method() {
    return method;
  }

  /** {@code stdout} or {@code stderr}, for events. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
