package org.regionfailover.status;

import java.time.Instant;
import org.regionfailover.decide.RegionView;

/**
 * One region as the status shows it: its direct health with the last direct probe
 * ({@code direct*}; times null when never probed) and its last probe through the local
 * chain ({@code chain*}; null when the chain never went there since start-up), the
 * probes of the last hour, and the applications' calls through it over the last hour
 * ({@code trafficHistory}, issue 27; null while no traffic source is on).
 */
public record RegionStatus(String name, String host, boolean active, RegionView.Health health,
    Instant directAt, long directLatencyMs, String directReason, Instant upSince,
    Instant chainAt, long chainLatencyMs, boolean chainOk, String chainReason,
    LatencySeries chainHistory, LatencySeries directHistory, TrafficSeries trafficHistory) {}
