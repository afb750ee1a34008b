package org.regionfailover.act.supervisord;
import org.regionfailover.act.PreflightException;

/** supervisord has no program by a configured name (fault BAD_NAME). */
public final class UnknownProgramException extends PreflightException {
  private final String program;

  public UnknownProgramException(String program, String message, Throwable cause) {
    super(message, cause);
    this.program = program;
  }

  /** The {@code group:name} that supervisord does not know. */
  public String program() {
    return program;
  }
}
