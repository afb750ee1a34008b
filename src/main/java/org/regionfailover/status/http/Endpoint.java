package org.regionfailover.status.http;

/**
 * One route of the status server. Runs on the server's own threads, never on the loop's:
 * it must answer from state already at hand (a published snapshot) and never wait on a
 * probe, supervisord or the loop, except for a command's bounded wait for its answer. An
 * exception becomes a 500 and is logged; the server goes on.
 */
@FunctionalInterface
public interface Endpoint {
  /** The answer to {@code request}. */
  Reply handle(Request request) throws Exception;
}
