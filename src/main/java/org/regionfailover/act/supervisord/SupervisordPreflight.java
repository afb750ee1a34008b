package org.regionfailover.act.supervisord;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.regionfailover.act.supervisord.xmlrpc.CredentialsRejectedException;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcException;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcFault;
import org.regionfailover.act.PreflightException;

/**
 * Start-up check that supervisord can carry out a restart: it answers with our
 * credentials, is RUNNING, and knows every program we will stop and start. Failing here,
 * with a message naming the problem, beats failing at the first failover hours later.
 */
public final class SupervisordPreflight {
  private final SupervisorClient client;
  private final List<String> programs;

  /** A check of {@code client}'s supervisord for {@code programs} ({@code group:name}). */
  public SupervisordPreflight(SupervisorClient client, List<String> programs) {
    this.client = Objects.requireNonNull(client, "client");
    this.programs = List.copyOf(programs);
  }

  /** Runs the checks; returns each program's current state, in the given order. */
  public List<ProcessInfo> check() throws PreflightException, InterruptedException {
    String state;
    try {
      state = client.getState();
    } catch (CredentialsRejectedException e) {
      throw new SupervisordCredentialsException(e.getMessage(), e);
    } catch (XmlRpcException e) {
      throw new SupervisordUnavailableException(e.getMessage(), e);
    }
    if (!"RUNNING".equals(state)) {
      throw new SupervisordUnavailableException(
          "supervisord at " + client.url() + " is " + state + ", not RUNNING", null);
    }
    List<ProcessInfo> infos = new ArrayList<>();
    for (String program : programs) {
      try {
        infos.add(client.getProcessInfo(program));
      } catch (XmlRpcFault f) {
        if (f.code() == SupervisorFaults.BAD_NAME) {
          throw new UnknownProgramException(program, "supervisord at " + client.url()
              + " has no program '" + program + "' (BAD_NAME); it knows " + knownPrograms(), f);
        }
        throw new SupervisordUnavailableException(f.getMessage(), f);
      } catch (XmlRpcException e) {
        throw new SupervisordUnavailableException(e.getMessage(), e);
      }
    }
    return List.copyOf(infos);
  }

  /** For the BAD_NAME message: the names an operator could have meant. */
  private String knownPrograms() throws InterruptedException {
    try {
      return client.getAllProcessInfo().stream().map(ProcessInfo::spec).toList().toString();
    } catch (XmlRpcException e) {
      return "(list unavailable)";
    }
  }
}
