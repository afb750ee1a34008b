package org.regionfailover.cli;

import java.util.OptionalInt;
import org.regionfailover.config.ProbeSettings;
import org.regionfailover.config.RegionProbeSettings;
import org.regionfailover.probe.HttpProbe;
import org.regionfailover.probe.Probe;
import org.regionfailover.probe.TcpConnectProbe;
import org.regionfailover.probe.TlsHandshakeProbe;
import org.regionfailover.time.Ticker;

/** Builds the direct probe of the regions that the settings ask for. */
final class RegionProbes {
  private RegionProbes() {}

  /** The probe, or null with {@code none}. TLS verification is always on, as for the chain. */
  static Probe create(RegionProbeSettings direct, ProbeSettings chain, Ticker ticker) {
    return switch (direct.kind()) {
      case NONE -> null;
      case TLS -> new TlsHandshakeProbe(chain.caFile(), direct.timeout(), ticker,
          OptionalInt.of(direct.port()));
      case TCP -> new TcpConnectProbe(direct.port(), direct.timeout(), ticker);
      case HTTP -> new HttpProbe(new ProbeSettings(direct.url(), chain.orgId(), chain.txnId(),
          direct.timeout(), chain.caFile(), false), ticker);
    };
  }
}
