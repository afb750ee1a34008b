import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load generator of scripts/bench-evidence.sh (issue 27): floods POST /evidence at a
 * fixed rate over a fixed pool of keep-alive connections, paced per connection, and counts
 * the answers by status. Raw HTTP/1.1 on plain sockets: at 10,000 requests a second on a
 * busy two-core host a client library's own overhead would be what is measured.
 *
 *   java scripts/EvidenceFlood.java PORT RATE SECONDS [CONNECTIONS] [PATH]
 *
 * Prints one line: sent=N seconds=S rate=R s204=N s429=N other=N errors=N by_status=...
 */
public final class EvidenceFlood {
  private static final byte[] BODY = ("{\"region\":\"EU\",\"ok\":1,\"errors\":{\"503\":0}}")
      .getBytes(StandardCharsets.US_ASCII);

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    double rate = Double.parseDouble(args[1]);
    double seconds = Double.parseDouble(args[2]);
    int connections = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    String path = args.length > 4 ? args[4] : "/evidence";
    byte[] request = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] whole = new byte[request.length + BODY.length];
    System.arraycopy(request, 0, whole, 0, request.length);
    System.arraycopy(BODY, 0, whole, request.length, BODY.length);

    Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    LongAdder sent = new LongAdder();
    LongAdder failures = new LongAdder();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long gap = (long) (1e9 * connections / rate); // each connection's share of the rate
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      long offset = gap * c / connections;
      Thread t = new Thread(() -> run(port, whole, start + offset, end, gap, sent, failures,
          byStatus), "flood-" + c);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double took = (System.nanoTime() - start) / 1e9;
    Map<Integer, Long> counts = new TreeMap<>();
    byStatus.forEach((k, v) -> counts.put(k, v.sum()));
    long ok = counts.getOrDefault(204, 0L);
    long limited = counts.getOrDefault(429, 0L);
    long other = counts.values().stream().mapToLong(Long::longValue).sum() - ok - limited;
    System.out.printf("sent=%d seconds=%.1f rate=%.0f s204=%d s429=%d other=%d errors=%d"
        + " by_status=%s%n", sent.sum(), took, sent.sum() / took, ok, limited, other,
        failures.sum(), counts);
  }

  private static void run(int port, byte[] request, long first, long end, long gap,
      LongAdder sent, LongAdder failures, Map<Integer, LongAdder> byStatus) {
    long due = first;
    Socket socket = null;
    InputStream in = null;
    OutputStream out = null;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      if (due > now) {
        sleepNanos(due - now);
        continue;
      }
      // Behind by more than a second (a stall): do not burst to catch up beyond that.
      due = Math.max(due, now - 1_000_000_000L) + gap;
      try {
        if (socket == null) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
          socket.setSoTimeout(5000);
          in = new BufferedInputStream(socket.getInputStream(), 8192);
          out = socket.getOutputStream();
        }
        out.write(request);
        out.flush();
        sent.increment();
        Answer a = readAnswer(in);
        byStatus.computeIfAbsent(a.status, k -> new LongAdder()).increment();
        if (a.close) {
          socket.close();
          socket = null;
        }
      } catch (IOException e) {
        failures.increment();
        try {
          if (socket != null) {
            socket.close();
          }
        } catch (IOException ignored) {
          // closing a broken socket
        }
        socket = null;
      }
    }
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // done
      }
    }
  }

  private record Answer(int status, boolean close) { }

  private static Answer readAnswer(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      throw new IOException("connection closed");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    long length = 0;
    boolean close = false;
    boolean chunked = false;
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      String lower = h.toLowerCase();
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(h.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      for (long n = Long.parseLong(line(in).trim(), 16); n > 0;
          n = Long.parseLong(line(in).trim(), 16)) {
        in.skipNBytes(n);
        line(in);
      }
      line(in);
    } else {
      in.skipNBytes(length);
    }
    return new Answer(status, close);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int n = b.length();
        return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
      }
      b.append((char) c);
    }
    return b.length() == 0 ? null : b.toString();
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
