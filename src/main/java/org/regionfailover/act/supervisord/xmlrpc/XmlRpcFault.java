package org.regionfailover.act.supervisord.xmlrpc;

/** The server answered the call with an XML-RPC fault: its {@code faultCode} and text. */
public final class XmlRpcFault extends XmlRpcException {
  private final int code;
  private final String faultString;

  public XmlRpcFault(int code, String faultString) {
    super("XML-RPC fault " + code + ": " + faultString);
    this.code = code;
    this.faultString = faultString;
  }

  /** The server's {@code faultCode}. */
  public int code() {
    return code;
  }

  /** The server's {@code faultString}, e.g. {@code BAD_NAME: app:nope}. */
  public String faultString() {
    return faultString;
  }
}
