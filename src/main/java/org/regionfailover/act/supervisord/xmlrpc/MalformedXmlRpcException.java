package org.regionfailover.act.supervisord.xmlrpc;

/** An answer that is not well-formed XML-RPC, or uses a construct we refuse (a DOCTYPE). */
public final class MalformedXmlRpcException extends XmlRpcException {
  public MalformedXmlRpcException(String message) {
    super(message);
  }

  public MalformedXmlRpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
