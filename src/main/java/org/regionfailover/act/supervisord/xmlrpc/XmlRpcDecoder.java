package org.regionfailover.act.supervisord.xmlrpc;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads XML-RPC method responses with the JDK's StAX parser. Types map as: int/i4 to
 * Integer, boolean to Boolean, string (or bare text) to String, double to Double, array to
 * an unmodifiable List, struct to an unmodifiable Map in document order, nil to null.
 *
 * <p>DTDs are refused outright: an answer has no use for one, and a DTD is the door to
 * external-entity (XXE) and entity-expansion attacks.
 */
public final class XmlRpcDecoder {
  // Deep enough for any supervisord answer, shallow enough that a hostile one cannot blow the stack.
  private static final int MAX_DEPTH = 64;
  private static final XMLInputFactory INPUT = hardenedFactory();

  private static XMLInputFactory hardenedFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  /** The value of a {@code methodResponse}; throws the server's fault as {@link XmlRpcFault}. */
  public Object decodeResponse(InputStream in) throws XmlRpcFault, MalformedXmlRpcException {
    XMLStreamReader r = null;
    try {
      r = INPUT.createXMLStreamReader(new ControlCharacterMask(in));
      expectStart(r, "methodResponse");
      String kind = expectStart(r, "params", "fault");
      if (kind.equals("fault")) {
        expectStart(r, "value");
        throw fault(readValue(r, 0));
      }
      expectStart(r, "param");
      expectStart(r, "value");
      Object result = readValue(r, 0);
      expectEnd(r, "param");
      expectEnd(r, "params");
      expectEnd(r, "methodResponse");
      while (r.hasNext()) {
        nextTag(r); // only whitespace, comments and PIs may follow; anything else is refused
      }
      return result;
    } catch (XMLStreamException | IllegalStateException e) {
      throw new MalformedXmlRpcException("answer is not well-formed XML: " + e.getMessage(), e);
    } finally {
      close(r);
    }
  }

  private static XmlRpcFault fault(Object value) throws MalformedXmlRpcException {
    if (value instanceof Map<?, ?> m
        && m.get("faultCode") instanceof Integer code
        && m.get("faultString") instanceof String text) {
      return new XmlRpcFault(code, text);
    }
    throw new MalformedXmlRpcException("fault without an int faultCode and a string faultString");
  }

  /** Reads from just after {@code <value>} to just after {@code </value>}. */
  private static Object readValue(XMLStreamReader r, int depth)
      throws XMLStreamException, MalformedXmlRpcException {
    if (depth > MAX_DEPTH) {
      throw new MalformedXmlRpcException("values nested deeper than " + MAX_DEPTH);
    }
    var text = new StringBuilder();
    while (true) {
      int event = r.next();
      switch (event) {
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
            text.append(r.getText());
        case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> { }
        case XMLStreamConstants.END_ELEMENT -> {
          return text.toString(); // <value>text</value> is a string by the spec
        }
        case XMLStreamConstants.START_ELEMENT -> {
          if (!text.toString().isBlank()) {
            throw new MalformedXmlRpcException("text mixed with <" + r.getLocalName() + "> in a value");
          }
          Object v = readTyped(r, depth);
          expectEnd(r, "value");
          return v;
        }
        default -> throw unexpected(r);
      }
    }
  }

  private static Object readTyped(XMLStreamReader r, int depth)
      throws XMLStreamException, MalformedXmlRpcException {
    String type = r.getLocalName();
    switch (type) {
      case "int", "i4" -> {
        return parseInt(r.getElementText().strip());
      }
      case "boolean" -> {
        String b = r.getElementText().strip();
        if (b.equals("1") || b.equals("0")) {
          return b.equals("1");
        }
        throw new MalformedXmlRpcException("boolean must be 0 or 1: " + b);
      }
      case "string" -> {
        return r.getElementText();
      }
      case "double" -> {
        return parseDouble(r.getElementText().strip());
      }
      case "nil" -> {
        if (!r.getElementText().isEmpty()) {
          throw new MalformedXmlRpcException("nil must be empty");
        }
        return null;
      }
      case "array" -> {
        return readArray(r, depth);
      }
      case "struct" -> {
        return readStruct(r, depth);
      }
      default -> throw new MalformedXmlRpcException("unsupported XML-RPC type <" + type + ">");
    }
  }

  private static List<Object> readArray(XMLStreamReader r, int depth)
      throws XMLStreamException, MalformedXmlRpcException {
    expectStart(r, "data");
    List<Object> items = new ArrayList<>();
    while (expectStartOrEnd(r, "value", "data")) {
      items.add(readValue(r, depth + 1));
    }
    expectEnd(r, "array");
    return Collections.unmodifiableList(items);
  }

  private static Map<String, Object> readStruct(XMLStreamReader r, int depth)
      throws XMLStreamException, MalformedXmlRpcException {
    Map<String, Object> members = new LinkedHashMap<>();
    while (expectStartOrEnd(r, "member", "struct")) {
      expectStart(r, "name");
      String name = r.getElementText();
      expectStart(r, "value");
      members.put(name, readValue(r, depth + 1));
      expectEnd(r, "member");
    }
    return Collections.unmodifiableMap(members);
  }

  private static int parseInt(String s) throws MalformedXmlRpcException {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new MalformedXmlRpcException("not a 32-bit int: " + s);
    }
  }

  private static double parseDouble(String s) throws MalformedXmlRpcException {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new MalformedXmlRpcException("not a double: " + s);
    }
  }

  /** Advances to the next start or end tag, skipping whitespace, comments and PIs. */
  private static int nextTag(XMLStreamReader r) throws XMLStreamException, MalformedXmlRpcException {
    while (true) {
      int event = r.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT,
            XMLStreamConstants.END_DOCUMENT -> {
          return event;
        }
        case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION,
            XMLStreamConstants.SPACE -> { }
        case XMLStreamConstants.CHARACTERS -> {
          if (!r.isWhiteSpace()) {
            throw new MalformedXmlRpcException("unexpected text: " + abbreviate(r.getText()));
          }
        }
        default -> throw unexpected(r);
      }
    }
  }

  private static String expectStart(XMLStreamReader r, String... names)
      throws XMLStreamException, MalformedXmlRpcException {
    if (nextTag(r) == XMLStreamConstants.START_ELEMENT) {
      for (String name : names) {
        if (name.equals(r.getLocalName())) {
          return name;
        }
      }
    }
    throw new MalformedXmlRpcException("expected <" + String.join("> or <", names) + ">, found " + describe(r));
  }

  private static void expectEnd(XMLStreamReader r, String name)
      throws XMLStreamException, MalformedXmlRpcException {
    if (nextTag(r) != XMLStreamConstants.END_ELEMENT || !name.equals(r.getLocalName())) {
      throw new MalformedXmlRpcException("expected </" + name + ">, found " + describe(r));
    }
  }

  /** True at {@code <start>}, false at {@code </end>}; anything else is malformed. */
  private static boolean expectStartOrEnd(XMLStreamReader r, String start, String end)
      throws XMLStreamException, MalformedXmlRpcException {
    int event = nextTag(r);
    if (event == XMLStreamConstants.START_ELEMENT && start.equals(r.getLocalName())) {
      return true;
    }
    if (event == XMLStreamConstants.END_ELEMENT && end.equals(r.getLocalName())) {
      return false;
    }
    throw new MalformedXmlRpcException("expected <" + start + "> or </" + end + ">, found " + describe(r));
  }

  private static MalformedXmlRpcException unexpected(XMLStreamReader r) {
    if (r.getEventType() == XMLStreamConstants.DTD) {
      return new MalformedXmlRpcException("DOCTYPE is not allowed in an XML-RPC answer");
    }
    return new MalformedXmlRpcException("unexpected " + describe(r));
  }

  private static String describe(XMLStreamReader r) {
    return switch (r.getEventType()) {
      case XMLStreamConstants.START_ELEMENT -> "<" + r.getLocalName() + ">";
      case XMLStreamConstants.END_ELEMENT -> "</" + r.getLocalName() + ">";
      case XMLStreamConstants.END_DOCUMENT -> "end of document";
      case XMLStreamConstants.DTD -> "DOCTYPE";
      case XMLStreamConstants.ENTITY_REFERENCE -> "entity reference";
      default -> "XML event " + r.getEventType();
    };
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 40 ? t.substring(0, 40) + "..." : t;
  }

  private static void close(XMLStreamReader r) {
    if (r != null) {
      try {
        r.close();
      } catch (XMLStreamException ignored) {
        // Nothing was written and the stream belongs to the caller: nothing to recover.
      }
    }
  }

  /**
   * Turns the control characters XML 1.0 forbids (all below 0x20 but tab, LF and CR) into
   * '?': supervisord's Python writes them unescaped in strings, and a program's log (ANSI
   * colours, a stray byte) is full of them; refusing the whole answer would lose the log.
   * Such bytes never occur inside a multi-byte UTF-8 sequence, so masking them is safe.
   */
  private static final class ControlCharacterMask extends java.io.FilterInputStream {
    ControlCharacterMask(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws java.io.IOException {
      int b = super.read();
      return b >= 0 ? mask(b) : b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws java.io.IOException {
      int n = super.read(buf, off, len);
      for (int i = off; i < off + n; i++) {
        buf[i] = (byte) mask(buf[i] & 0xff);
      }
      return n;
    }

    private static int mask(int b) {
      return b < 0x20 && b != '\t' && b != '\n' && b != '\r' ? '?' : b;
    }
  }
}
