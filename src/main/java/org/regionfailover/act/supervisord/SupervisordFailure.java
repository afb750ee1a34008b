package org.regionfailover.act.supervisord;

import org.regionfailover.act.supervisord.xmlrpc.CredentialsRejectedException;
import org.regionfailover.act.supervisord.xmlrpc.EndpointUnreachableException;
import org.regionfailover.act.supervisord.xmlrpc.MalformedXmlRpcException;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcException;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcFault;

/**
 * Why a step on one program failed, in the words events use: a short {@code fault}
 * (SPAWN_ERROR, FATAL, UNREACHABLE...), supervisord's {@code spawnerr} and the state.
 */
final class SupervisordFailure extends Exception {
  private final String program;
  private final String fault;
  private final String spawnerr;
  private final String statename;

  private SupervisordFailure(String program, String fault, String spawnerr, String statename,
      String detail, Throwable cause) {
    super(program + ": " + fault + (spawnerr.isEmpty() ? "" : " (spawnerr: " + spawnerr + ")")
        + (detail == null ? "" : ": " + detail), cause);
    this.program = program;
    this.fault = fault;
    this.spawnerr = spawnerr;
    this.statename = statename;
  }

  /** A call on {@code program} failed; {@code info} is its state read afterwards, if readable. */
  static SupervisordFailure ofCall(String program, XmlRpcException e, ProcessInfo info) {
    String fault;
    if (e instanceof XmlRpcFault f) {
      fault = SupervisorFaults.nameOf(f.code());
    } else if (e instanceof EndpointUnreachableException) {
      fault = "UNREACHABLE";
    } else if (e instanceof CredentialsRejectedException) {
      fault = "CREDENTIALS_REJECTED";
    } else if (e instanceof MalformedXmlRpcException) {
      fault = "MALFORMED_ANSWER";
    } else {
      fault = "TRANSPORT_ERROR";
    }
    return new SupervisordFailure(program, fault, info == null ? "" : info.spawnerr(),
        info == null ? "" : info.statename(), e.getMessage(), e);
  }

  /** {@code program} answered but is not RUNNING after being started. */
  static SupervisordFailure ofState(String program, ProcessInfo info) {
    return new SupervisordFailure(program, info.statename(), info.spawnerr(), info.statename(),
        "not RUNNING after start", null);
  }

  String program() {
    return program;
  }

  String fault() {
    return fault;
  }

  String spawnerr() {
    return spawnerr;
  }

  String statename() {
    return statename;
  }
}
