package org.regionfailover.act.supervisord;

/**
 * Fault codes of supervisord's XML-RPC interface, as defined by {@code Faults} in
 * supervisor/xmlrpc.py (checked against supervisor 4.2.5).
 */
public final class SupervisorFaults {
  public static final int UNKNOWN_METHOD = 1;
  public static final int INCORRECT_PARAMETERS = 2;
  public static final int BAD_ARGUMENTS = 3;
  public static final int SHUTDOWN_STATE = 6;
  public static final int BAD_NAME = 10;
  public static final int NO_FILE = 20;
  public static final int NOT_EXECUTABLE = 21;
  public static final int FAILED = 30;
  public static final int ABNORMAL_TERMINATION = 40;
  public static final int SPAWN_ERROR = 50;
  public static final int ALREADY_STARTED = 60;
  public static final int NOT_RUNNING = 70;

  private SupervisorFaults() {}

  /** The symbolic name of {@code code}, e.g. {@code SPAWN_ERROR}, for events. */
  public static String nameOf(int code) {
    return switch (code) {
      case UNKNOWN_METHOD -> "UNKNOWN_METHOD";
      case INCORRECT_PARAMETERS -> "INCORRECT_PARAMETERS";
      case BAD_ARGUMENTS -> "BAD_ARGUMENTS";
      case SHUTDOWN_STATE -> "SHUTDOWN_STATE";
      case BAD_NAME -> "BAD_NAME";
      case NO_FILE -> "NO_FILE";
      case NOT_EXECUTABLE -> "NOT_EXECUTABLE";
      case FAILED -> "FAILED";
      case ABNORMAL_TERMINATION -> "ABNORMAL_TERMINATION";
      case SPAWN_ERROR -> "SPAWN_ERROR";
      case ALREADY_STARTED -> "ALREADY_STARTED";
      case NOT_RUNNING -> "NOT_RUNNING";
      default -> "FAULT_" + code;
    };
  }
}
