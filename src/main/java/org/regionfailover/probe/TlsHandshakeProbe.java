package org.regionfailover.probe;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.regionfailover.config.HostPort;
import org.regionfailover.config.Region;
import org.regionfailover.config.Setting;
import org.regionfailover.time.Ticker;

/**
 * Checks that a region's host accepts a TLS connection, reaching it directly rather than
 * through the local tunnel: TCP connect, then a handshake that verifies the certificate
 * chain and the host name. Healthy means the handshake completed; no request is sent.
 */
public final class TlsHandshakeProbe implements Probe {
  private final SSLSocketFactory factory;
  private final int timeoutMs;
  private final Ticker ticker;
  private final OptionalInt port;

  /** Trusts the system store plus {@code caFile}; {@code timeout} bounds connect and each read. */
  public TlsHandshakeProbe(Optional<Path> caFile, Duration timeout, Ticker ticker) {
    this(caFile, timeout, ticker, OptionalInt.empty());
  }

  /** As above, on {@code port} rather than the port of the region's list item (default 443). */
  public TlsHandshakeProbe(Optional<Path> caFile, Duration timeout, Ticker ticker,
      OptionalInt port) {
    this.port = port;
    this.factory = ProbeTls.verifying(caFile).getSocketFactory();
    this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    this.ticker = ticker;
  }

  @Override
  public ProbeResult probe(Region region) {
    HostPort listed = HostPort.parse(Setting.FAILOVER_LIST.label(), region);
    HostPort target = port.isPresent() ? new HostPort(listed.host(), port.getAsInt()) : listed;
    return TimedCheck.run(ticker, () -> {
      try (Socket raw = new Socket()) {
        raw.connect(new InetSocketAddress(target.host(), target.port()), timeoutMs);
        raw.setSoTimeout(timeoutMs);
        try (SSLSocket tls = (SSLSocket) factory.createSocket(raw, target.host(), target.port(),
            true)) {
          SSLParameters params = tls.getSSLParameters();
          // Without this the JDK checks the chain but not that it was issued for this host.
          params.setEndpointIdentificationAlgorithm("HTTPS");
          tls.setSSLParameters(params);
          tls.startHandshake();
        }
      }
    });
  }
}
