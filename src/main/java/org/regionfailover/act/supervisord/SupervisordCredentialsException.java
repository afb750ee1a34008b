package org.regionfailover.act.supervisord;
import org.regionfailover.act.PreflightException;

/** supervisord rejected the configured user name or password (which the message never repeats). */
public final class SupervisordCredentialsException extends PreflightException {
  public SupervisordCredentialsException(String message, Throwable cause) {
    super(message, cause);
  }
}
