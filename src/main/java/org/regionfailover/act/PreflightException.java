package org.regionfailover.act;

/** A start-up check failed: the supervisor cannot do its job as configured (exit code 2). */
public class PreflightException extends Exception {
  public PreflightException(String message, Throwable cause) {
    super(message, cause);
  }
}
