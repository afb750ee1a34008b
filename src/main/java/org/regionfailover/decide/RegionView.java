package org.regionfailover.decide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.regionfailover.probe.ProbeResult;

/**
 * What the direct probes say of each region, immutable. A region is {@link Health#UP} when
 * its last direct probe was healthy, {@link Health#DOWN} when it failed, and
 * {@link Health#UNKNOWN} with no probe yet, or one older than {@code staleAfterNanos}. Until
 * any direct probe has ever succeeded every region is unknown: on a host where direct
 * access is impossible (only the tunnel may leave) the rules then behave as they did
 * before they could see regions, instead of taking every region for down.
 */
public final class RegionView {
  /** A region's direct health. */
  public enum Health { UP, DOWN, UNKNOWN }

  /**
   * The last direct probe of a region: when it began, what it saw, and since when the
   * region has answered without a failed or missing probe ({@code upSince}, when healthy).
   */
  public record Seen(long at, ProbeResult result, long upSince) {
    public Seen {
      Objects.requireNonNull(result, "result");
    }
  }

  private final List<Seen> last;
  private final boolean everHealthy;
  private final boolean unusableReported;
  private final long staleAfterNanos;
  /** A region first seen up counts as up since this (a resumed view), if set. */
  private final boolean floored;
  private final long upFloor;

  private RegionView(List<Seen> last, boolean everHealthy, boolean unusableReported,
      long staleAfterNanos, boolean floored, long upFloor) {
    this.last = last;
    this.everHealthy = everHealthy;
    this.unusableReported = unusableReported;
    this.staleAfterNanos = staleAfterNanos;
    this.floored = floored;
    this.upFloor = upFloor;
  }

  /** Nothing seen yet of {@code regions} regions; a probe older than {@code staleAfterNanos} is unknown. */
  public static RegionView empty(int regions, long staleAfterNanos) {
    if (staleAfterNanos <= 0) {
      throw new IllegalArgumentException("staleness must be positive: " + staleAfterNanos);
    }
    return new RegionView(Collections.nCopies(regions, null), false, false, staleAfterNanos,
        false, 0);
  }

  /** With {@code region}'s direct probe that began at {@code at}. */
  public RegionView with(int region, long at, ProbeResult result) {
    List<Seen> next = new ArrayList<>(last);
    Seen before = last.get(region);
    boolean continued = before != null && before.result().healthy()
        && at - before.at() - staleAfterNanos <= 0;
    long upSince = continued ? before.upSince()
        : before == null && floored && upFloor - at < 0 ? upFloor : at;
    next.set(region, new Seen(at, result, upSince));
    return new RegionView(Collections.unmodifiableList(next), everHealthy || result.healthy(),
        unusableReported, staleAfterNanos, floored, upFloor);
  }

  /**
   * The same view, in which {@code region}, if up, counts as up since {@code at} at the
   * earliest: a maintenance window ended then, and the region is seen coming back from it
   * (the fail-back guard and its timer count from there, not from before the window).
   */
  public RegionView upAgainAt(int region, long at) {
    Seen before = last.get(region);
    if (before == null || !before.result().healthy() || before.upSince() - at >= 0) {
      return this;
    }
    List<Seen> next = new ArrayList<>(last);
    next.set(region, new Seen(before.at(), before.result(), at));
    return new RegionView(Collections.unmodifiableList(next), everHealthy, unusableReported,
        staleAfterNanos, floored, upFloor);
  }

  /**
   * Whether direct access looks impossible and has not been reported yet: every region was
   * probed directly, and none ever answered.
   */
  public boolean unusableToReport() {
    return !everHealthy && !unusableReported && last.stream().allMatch(Objects::nonNull);
  }

  /** The same view, with the unusable direct access reported. */
  public RegionView unusableReported() {
    return new RegionView(last, everHealthy, true, staleAfterNanos, floored, upFloor);
  }

  /**
   * The same view, in which a region not seen yet that is first seen up counts as up since
   * {@code since}: for a state resumed without the probes of before.
   */
  public RegionView upNoLaterThan(long since) {
    return new RegionView(last, everHealthy, unusableReported, staleAfterNanos, true, since);
  }

  /**
   * The same view, in which a probe older than {@code nanos} is unknown: the direct probes'
   * cadence was reloaded. Every probe seen and since when each region is up are kept (the
   * fail-back timer survives); a region last seen longer ago than the new staleness is
   * unknown until its next probe, as a region whose probe went missing.
   */
  public RegionView withStaleAfter(long nanos) {
    if (nanos <= 0) {
      throw new IllegalArgumentException("staleness must be positive: " + nanos);
    }
    return nanos == staleAfterNanos ? this
        : new RegionView(last, everHealthy, unusableReported, nanos, floored, upFloor);
  }

  /** How long a direct probe stays evidence. */
  public long staleAfterNanos() {
    return staleAfterNanos;
  }

  /** The direct health of {@code region} at {@code now}. */
  public Health health(int region, long now) {
    Seen seen = last.get(region);
    if (!everHealthy || seen == null || now - seen.at() - staleAfterNanos > 0) {
      return Health.UNKNOWN;
    }
    return seen.result().healthy() ? Health.UP : Health.DOWN;
  }

  /**
   * Whether {@code region} has been up continuously for at least {@code forNanos} at
   * {@code now} (every direct probe healthy, none missing).
   */
  public boolean upFor(int region, long forNanos, long now) {
    Seen seen = last.get(region);
    return health(region, now) == Health.UP && now - seen.upSince() - forNanos >= 0;
  }

  /** The last direct probe of {@code region}, or null. */
  public Seen last(int region) {
    return last.get(region);
  }

  /** Whether any direct probe has ever succeeded. */
  public boolean usable() {
    return everHealthy;
  }

  /** How many regions. */
  public int size() {
    return last.size();
  }
}
