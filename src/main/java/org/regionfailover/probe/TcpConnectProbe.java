package org.regionfailover.probe;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
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
    return TimedCheck.run(ticker, () -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(region.host(), port), timeoutMs);
      }
    });
  }
}
