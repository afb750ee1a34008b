package org.regionfailover.act.supervisord.xmlrpc;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes XML-RPC method calls. Values map as: Integer (and Long within 32 bits) to int,
 * Boolean, String, Double, List to array, Map with String keys to struct, null to nil.
 */
public final class XmlRpcEncoder {
  private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

  /** The UTF-8 bytes of a {@code methodCall} document; rejects values XML-RPC cannot carry. */
  public byte[] encodeCall(String method, List<?> params) {
    var bytes = new ByteArrayOutputStream();
    try {
      XMLStreamWriter out = OUTPUT.createXMLStreamWriter(bytes, "UTF-8");
      out.writeStartDocument("UTF-8", "1.0");
      out.writeStartElement("methodCall");
      element(out, "methodName", checkedText(method));
      out.writeStartElement("params");
      for (Object param : params) {
        out.writeStartElement("param");
        value(out, param);
        out.writeEndElement();
      }
      out.writeEndElement();
      out.writeEndElement();
      out.writeEndDocument();
      out.close();
    } catch (XMLStreamException e) {
      // Writing to memory cannot fail for I/O reasons; this is a bug, not a runtime condition.
      throw new IllegalStateException("cannot encode call to " + method, e);
    }
    return bytes.toByteArray();
  }

  private static void value(XMLStreamWriter out, Object v) throws XMLStreamException {
    out.writeStartElement("value");
    if (v == null) {
      out.writeEmptyElement("nil");
    } else if (v instanceof Integer i) {
      element(out, "int", i.toString());
    } else if (v instanceof Long l && l == l.intValue()) {
      element(out, "int", l.toString());
    } else if (v instanceof Boolean b) {
      element(out, "boolean", b ? "1" : "0");
    } else if (v instanceof String s) {
      element(out, "string", checkedText(s));
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new IllegalArgumentException("XML-RPC double cannot be " + d);
      }
      // Plain notation: the XML-RPC spec has no exponent form.
      element(out, "double", BigDecimal.valueOf(d).toPlainString());
    } else if (v instanceof List<?> list) {
      out.writeStartElement("array");
      out.writeStartElement("data");
      for (Object item : list) {
        value(out, item);
      }
      out.writeEndElement();
      out.writeEndElement();
    } else if (v instanceof Map<?, ?> map) {
      out.writeStartElement("struct");
      for (var entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException("XML-RPC struct keys must be strings: " + entry.getKey());
        }
        out.writeStartElement("member");
        element(out, "name", checkedText(key));
        value(out, entry.getValue());
        out.writeEndElement();
      }
      out.writeEndElement();
    } else {
      throw new IllegalArgumentException("no XML-RPC type for " + v.getClass().getName());
    }
    out.writeEndElement();
  }

  private static void element(XMLStreamWriter out, String name, String text)
      throws XMLStreamException {
    out.writeStartElement(name);
    out.writeCharacters(text); // escapes &, < and >
    out.writeEndElement();
  }

  /** XML 1.0 cannot carry most control characters even escaped; fail here, not at the server. */
  private static String checkedText(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
        throw new IllegalArgumentException(
            "character U+" + String.format("%04X", (int) c) + " cannot be sent in XML-RPC");
      }
    }
    return s;
  }
}
