package org.regionfailover.act.supervisord;

import java.util.Map;

/**
 * What supervisord's {@code getProcessInfo} says about one program: its state name
 * (STOPPED, STARTING, RUNNING, BACKOFF, STOPPING, EXITED, FATAL, UNKNOWN), the reason the
 * last spawn failed (empty if none), its pid (0 when not running) and last exit status.
 */
public record ProcessInfo(String group, String name, String statename, String spawnerr,
    int pid, int exitstatus) {

  /** Reads the struct supervisord returns; missing fields read as empty or 0. */
  static ProcessInfo fromStruct(Map<?, ?> s) {
    return new ProcessInfo(text(s, "group"), text(s, "name"), text(s, "statename"),
        text(s, "spawnerr"), number(s, "pid"), number(s, "exitstatus"));
  }

  /** The {@code group:name} spec that the other calls take. */
  public String spec() {
    return group + ":" + name;
  }

  /** True when the program is up and has outlived its {@code startsecs}. */
  public boolean isRunning() {
    return "RUNNING".equals(statename);
  }

  private static String text(Map<?, ?> s, String key) {
    return s.get(key) instanceof String v ? v : "";
  }

  private static int number(Map<?, ?> s, String key) {
    return s.get(key) instanceof Integer v ? v : 0;
  }
}
