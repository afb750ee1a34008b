package org.regionfailover.act.supervisord.xmlrpc;

/** Nothing answered at the URL: socket missing, connection refused or reset, or no reply in time. */
public final class EndpointUnreachableException extends XmlRpcTransportException {
  public EndpointUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
