package org.regionfailover.act.supervisord.xmlrpc;

/** The server answered HTTP 401: the user name or password is wrong (neither is repeated). */
public final class CredentialsRejectedException extends XmlRpcTransportException {
  public CredentialsRejectedException(String message) {
    super(message);
  }
}
