package org.regionfailover.act.supervisord.xmlrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoder and decoder agree on every type supervisord uses, and the decoder refuses hostile input. */
class XmlRpcCodecTest {
  private final XmlRpcEncoder encoder = new XmlRpcEncoder();
  private final XmlRpcDecoder decoder = new XmlRpcDecoder();

  private Object decode(String xml) throws XmlRpcException {
    return decoder.decodeResponse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static String response(String value) {
    return "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value>" + value
        + "</value>\n</param>\n</params>\n</methodResponse>\n";
  }

  /** Turns an encoded call into a response carrying the same params, to test both directions. */
  private Object roundTrip(Object value) throws XmlRpcException {
    String call = new String(encoder.encodeCall("m", Arrays.asList(value)), StandardCharsets.UTF_8);
    String params = call.substring(call.indexOf("<params>"), call.indexOf("</methodCall>"));
    return decode("<methodResponse>" + params + "</methodResponse>");
  }

  @Test
  void decode_scalarTypes_mapToJavaTypes() throws Exception {
    assertThat(decode(response("<int>42</int>"))).isEqualTo(42);
    assertThat(decode(response("<i4>-7</i4>"))).isEqualTo(-7);
    assertThat(decode(response("<boolean>1</boolean>"))).isEqualTo(true);
    assertThat(decode(response("<boolean>0</boolean>"))).isEqualTo(false);
    assertThat(decode(response("<string>a &amp; b</string>"))).isEqualTo("a & b");
    assertThat(decode(response("<string></string>"))).isEqualTo("");
    assertThat(decode(response("bare &lt;text&gt;"))).isEqualTo("bare <text>");
    assertThat(decode(response(""))).isEqualTo("");
    assertThat(decode(response("<double>-1.5</double>"))).isEqualTo(-1.5);
    assertThat(decode(response("<nil/>"))).isNull();
  }

  @Test
  void decode_controlCharactersSupervisordLeavesUnescaped_maskedNotRefused() throws Exception {
    // A log tail as supervisord sends it: ANSI colours and a stray byte, raw (XML 1.0 forbids them).
    assertThat(decode(response("<string>\u001b[31mERROR\u001b[0m \u00e9\tx\u0001y\r\n</string>")))
        .isEqualTo("?[31mERROR?[0m \u00e9\tx?y\n");
  }

  @Test
  void decode_supervisordProcessInfo_keepsStructOrderAndNesting() throws Exception {
    String xml = response("<array><data>\n<value><struct>\n"
        + "<member>\n<name>name</name>\n<value><string>stunnel</string></value>\n</member>\n"
        + "<member>\n<name>pid</name>\n<value><int>1234</int></value>\n</member>\n"
        + "<member>\n<name>spawnerr</name>\n<value><string></string></value>\n</member>\n"
        + "</struct></value>\n<value><int>2</int></value>\n</data></array>");
    Object v = decode(xml);
    assertThat(v).isInstanceOf(List.class);
    List<?> list = (List<?>) v;
    assertThat(list).hasSize(2).element(1).isEqualTo(2);
    assertThat(List.<Object>copyOf(((Map<?, ?>) list.get(0)).keySet())).containsExactly("name", "pid", "spawnerr");
    assertThat(((Map<?, ?>) list.get(0)).get("pid")).isEqualTo(1234);
  }

  @Test
  void roundTrip_everyType_comesBackEqual() throws Exception {
    Map<String, Object> struct = new LinkedHashMap<>();
    struct.put("name", "app:stunnel");
    struct.put("wait", true);
    struct.put("nothing", null);
    struct.put("list", Arrays.asList(1, "two", 3.25, false, null, List.of()));
    assertThat(roundTrip(7)).isEqualTo(7);
    assertThat(roundTrip(7L)).isEqualTo(7);
    assertThat(roundTrip(Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE);
    assertThat(roundTrip(true)).isEqualTo(true);
    assertThat(roundTrip(false)).isEqualTo(false);
    assertThat(roundTrip(0.1)).isEqualTo(0.1);
    assertThat(roundTrip(1e20)).isEqualTo(1e20);
    assertThat(roundTrip("<&>\"' é")).isEqualTo("<&>\"' é");
    assertThat(roundTrip("")).isEqualTo("");
    assertThat(roundTrip(null)).isNull();
    assertThat(roundTrip(struct)).isEqualTo(struct);
  }

  @Test
  void encodeCall_escapesMarkupInStrings() {
    String xml = new String(
        encoder.encodeCall("supervisor.startProcess", List.of("a</string><int>1", true)),
        StandardCharsets.UTF_8);
    assertThat(xml).contains("<methodName>supervisor.startProcess</methodName>")
        .contains("a&lt;/string&gt;&lt;int&gt;1")
        .contains("<boolean>1</boolean>")
        .doesNotContain("a</string>");
  }

  @Test
  void encodeCall_unencodableValues_areRejected() {
    assertThatThrownBy(() -> encoder.encodeCall("m", List.of("nul\u0000")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
    assertThatThrownBy(() -> encoder.encodeCall("m", List.of(Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.encodeCall("m", List.of(1L << 40)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.encodeCall("m", List.of(new Object())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
  }

  @Test
  void decode_fault_throwsCodeAndString() {
    String xml = "<?xml version='1.0'?><methodResponse><fault><value><struct>"
        + "<member><name>faultCode</name><value><int>10</int></value></member>"
        + "<member><name>faultString</name><value><string>BAD_NAME: app:nope</string></value></member>"
        + "</struct></value></fault></methodResponse>";
    assertThatThrownBy(() -> decode(xml))
        .isInstanceOfSatisfying(XmlRpcFault.class, f -> {
          assertThat(f.code()).isEqualTo(10);
          assertThat(f.faultString()).isEqualTo("BAD_NAME: app:nope");
        });
  }

  @Test
  void decode_faultWithoutCode_isMalformed() {
    String xml = "<methodResponse><fault><value><struct>"
        + "<member><name>faultString</name><value>x</value></member>"
        + "</struct></value></fault></methodResponse>";
    assertThatThrownBy(() -> decode(xml)).isInstanceOf(MalformedXmlRpcException.class);
  }

  @Test
  void decode_malformedInput_throwsMalformed() {
    for (String xml : List.of(
        "",
        "not xml",
        "<methodResponse><params><param><value><int>1</int></value></param>",
        "<methodResponse><params><param><value><int>x</int></value></param></params></methodResponse>",
        "<methodResponse><params><param><value><int>99999999999</int></value></param></params></methodResponse>",
        "<methodResponse><params><param><value><boolean>2</boolean></value></param></params></methodResponse>",
        "<methodResponse><params><param><value><base64>AA==</base64></value></param></params></methodResponse>",
        "<methodResponse><params><param><value>x<int>1</int></value></param></params></methodResponse>",
        "<html><body>502 Bad Gateway</body></html>")) {
      assertThatThrownBy(() -> decode(xml)).as(xml).isInstanceOf(MalformedXmlRpcException.class);
    }
  }

  @Test
  void decode_deepNesting_isRefusedNotStackOverflow() {
    String open = "<array><data><value>".repeat(200);
    String close = "</value></data></array>".repeat(200);
    assertThatThrownBy(() -> decode(response(open + "<int>1</int>" + close)))
        .isInstanceOf(MalformedXmlRpcException.class).hasMessageContaining("nested");
  }

  @Test
  void decode_externalEntity_isNotResolved(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-4711");
    String xml = "<?xml version='1.0'?>\n<!DOCTYPE methodResponse [\n"
        + "<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">\n]>\n"
        + response("<string>&xxe;</string>");
    assertThatThrownBy(() -> decode(xml))
        .isInstanceOf(MalformedXmlRpcException.class)
        .hasMessageContaining("DOCTYPE")
        .satisfies(e -> assertThat(stackText(e)).doesNotContain("TOP-SECRET-4711"));
  }

  @Test
  void decode_entityExpansion_isRefused() {
    String xml = "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
        + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" + response("<string>&b;</string>");
    assertThatThrownBy(() -> decode(xml)).isInstanceOf(MalformedXmlRpcException.class);
  }

  private static String stackText(Throwable e) {
    var sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
    }
    return sb.toString();
  }
}
