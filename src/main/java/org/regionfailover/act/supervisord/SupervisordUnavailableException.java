package org.regionfailover.act.supervisord;
import org.regionfailover.act.PreflightException;

/** supervisord did not answer, answered garbage, or is not in state RUNNING. */
public final class SupervisordUnavailableException extends PreflightException {
  public SupervisordUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
