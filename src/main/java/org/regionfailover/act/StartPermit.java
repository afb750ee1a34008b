package org.regionfailover.act;

import org.regionfailover.act.supervisord.xmlrpc.XmlRpcException;

/**
 * Asked before every program start. An active/standby host may run its stack only while it
 * holds the lease; a host that was paused may wake up still believing it does, and its
 * loop must not restart a stack that the watchdog stopped while another host runs one.
 */
@FunctionalInterface
public interface StartPermit {
  /** Every start is allowed: a single host, or a fleet member. */
  StartPermit ALWAYS = () -> { };

  /** Returns if a start may go ahead now; throws {@link StartRefusedException} if not. */
  void check() throws StartRefusedException, InterruptedException;

  /** A start was refused: this host may not run the stack now. */
  final class StartRefusedException extends XmlRpcException {
    public StartRefusedException(String message) {
      super(message);
    }
  }
}
