package org.regionfailover.act;

/** An action did not take effect; the message says why, and never contains a secret. */
public class ActionException extends Exception {
  public ActionException(String message) {
    super(message);
  }

  public ActionException(String message, Throwable cause) {
    super(message, cause);
  }
}
