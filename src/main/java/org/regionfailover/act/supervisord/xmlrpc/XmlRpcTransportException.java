package org.regionfailover.act.supervisord.xmlrpc;

/** The call did not get an XML-RPC answer: HTTP error status, no connection, no reply. */
public class XmlRpcTransportException extends XmlRpcException {
  public XmlRpcTransportException(String message) {
    super(message);
  }

  public XmlRpcTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
