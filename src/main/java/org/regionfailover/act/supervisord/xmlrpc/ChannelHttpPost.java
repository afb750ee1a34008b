package org.regionfailover.act.supervisord.xmlrpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One HTTP/1.0 POST over an already connected channel, answer read to the end.
 *
 * <p>Why hand-written: HttpClient 5.6 reaches unix sockets through an adapter that opens a
 * {@code Selector} for each stream it hands out and never closes them, about 5 descriptors
 * per call (issue 9: 10,000 open descriptors after 3 minutes of failovers). supervisord's
 * XML-RPC needs very little HTTP: one POST, one answer, connection closed by the server
 * (HTTP/1.0, so no keep-alive and no chunked answer), which is this class.
 */
final class ChannelHttpPost {
  /** The status and body of an answer. */
  record Answer(int status, byte[] body) {}

  private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private ChannelHttpPost() {}

  /** Sends the POST on {@code channel} and reads the answer, at most {@code maxBytes} of it. */
  static Answer exchange(ByteChannel channel, String path, String authorization, byte[] body,
      int maxBytes) throws IOException {
    // One write, so one segment: written apart, Nagle held the body back until supervisord
    // acknowledged the head (a delayed ACK, up to 40 ms a call), and a supervisord that
    // refused the credentials on the head alone had closed by then: the body met a closed
    // socket, the reset lost the 401, and a wrong password read as "unreachable" (seen in
    // SupervisordPreflightIT beside a busy machine).
    byte[] head = request(path, authorization, body.length);
    byte[] all = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    write(channel, all);
    return parse(readAll(channel, maxBytes));
  }

  private static byte[] request(String path, String authorization, int length) {
    StringBuilder r = new StringBuilder(256)
        .append("POST ").append(path).append(" HTTP/1.0\r\n")
        // The host only fills the header, as supervisorctl does on a unix socket.
        .append("Host: localhost\r\n")
        .append("Content-Type: text/xml\r\n")
        .append("Content-Length: ").append(length).append("\r\n")
        .append("Connection: close\r\n");
    if (authorization != null) {
      // Sent up front: supervisord would otherwise answer every call with a 401 round trip.
      r.append("Authorization: ").append(authorization).append("\r\n");
    }
    return r.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void write(ByteChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static byte[] readAll(ByteChannel channel, int maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    while (channel.read(buffer) >= 0) {
      out.write(buffer.array(), 0, buffer.position());
      buffer.clear();
      if (out.size() > maxBytes) {
        // A confused peer must not fill the heap; supervisord's answers are a few KiB.
        throw new IOException("answer larger than " + maxBytes + " bytes");
      }
    }
    return out.toByteArray();
  }

  static Answer parse(byte[] raw) throws IOException {
    int end = indexOf(raw, HEADER_END);
    if (end < 0) {
      throw new IOException("connection closed before a complete HTTP answer ("
          + raw.length + " bytes)");
    }
    String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + printable(lines[0]));
    }
    int code;
    try {
      code = Integer.parseInt(status[1]);
    } catch (NumberFormatException e) {
      throw new IOException("bad HTTP status line: " + printable(lines[0]), e);
    }
    int start = end + HEADER_END.length;
    int length = raw.length - start;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].toLowerCase(Locale.ROOT);
      if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
        throw new IOException("chunked answer to an HTTP/1.0 request");
      }
      if (line.startsWith("content-length:")) {
        length = Math.min(length, contentLength(lines[i]));
      }
    }
    byte[] body = new byte[length];
    System.arraycopy(raw, start, body, 0, length);
    return new Answer(code, body);
  }

  private static int contentLength(String line) throws IOException {
    try {
      int n = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
      if (n < 0) {
        throw new NumberFormatException("negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length: " + printable(line), e);
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
