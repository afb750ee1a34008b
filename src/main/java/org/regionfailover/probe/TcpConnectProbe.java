package org.regionfailover.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.regionfailover.config.Region;
import org.regionfailover.time.Ticker;

/** Checks that a region's host accepts a TCP connection on {@code port}; nothing is sent. */
public final class TcpConnectProbe implements Probe {
  private final int port;
  private final int timeoutMs;
  private final Ticker ticker;

  public TcpConnectProbe(int port, Duration timeout, Ticker ticker) {
    this.port = port;
    this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    this.ticker = ticker;
  }

  @Override
  public ProbeResult probe(Region region) {
    long start = ticker.read();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(region.host(), port), timeoutMs);
      return new ProbeResult(true, elapsedMs(start), OptionalInt.empty(), "ok");
    } catch (IOException e) {
      return ProbeResult.failed(elapsedMs(start), HttpProbe.reason(e));
    } catch (RuntimeException e) {
      return ProbeResult.failed(elapsedMs(start), "error: " + e);
    }
  }

  private long elapsedMs(long start) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(ticker.read() - start));
  }
}
