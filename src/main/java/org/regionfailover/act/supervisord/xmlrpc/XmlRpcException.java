package org.regionfailover.act.supervisord.xmlrpc;

/**
 * A remote call did not produce a value: the server answered with a fault, the answer was
 * not XML-RPC, or the server could not be reached. Messages never contain a secret.
 */
public class XmlRpcException extends Exception {
  public XmlRpcException(String message) {
    super(message);
  }

  public XmlRpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
