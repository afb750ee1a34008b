package org.regionfailover.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.regionfailover.DecideHarness.OK;
import static org.regionfailover.DecideHarness.S;
import static org.regionfailover.Regions.ORDER;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.regionfailover.DecideHarness;
import org.regionfailover.config.FailbackMode;
import org.regionfailover.config.PolicySettings;
import org.regionfailover.config.TrafficRules;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.decide.Input;

/**
 * Issue 27, point 5: {@code /history} carries, per region, the applications' calls of each
 * interval (volume, unreachable, share) while a traffic source is on, an hour of them at
 * most, and nothing at all while none is. The real policy and recorder, in zero wall time:
 * the ticker starts just before a long's wrap and the wall clock moves with it.
 */
class TrafficHistoryTest {
  private static final Instant T0 = Instant.parse("2026-12-07T03:00:00Z");
  private static final long ORIGIN = Long.MAX_VALUE - 30 * S;
  private static final TrafficRules ON = new TrafficRules(true, 20, 0.5, true);

  private DecideHarness run;

  private StatusRecorder recorder(TrafficRules rules) {
    run = new DecideHarness(new FailoverPolicy(ORDER,
        DecideHarness.defaults(FailbackMode.OFF).withTraffic(rules)), 0, ORIGIN);
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return T0.plusNanos(run.now() - ORIGIN);
      }
    };
    StatusRecorder r = new StatusRecorder(run.policy(), Duration.ofSeconds(10),
        Duration.ofSeconds(30), clock, run::now, "1.2.3", true,
        () -> new StatusRecorder.Check(true, "off"));
    run.onStep(r);
    r.begin(run.state());
    return r;
  }

  private static Input.Traffic calls(int region, long ok, long unreachable, String source) {
    return new Input.Traffic(region, ok, unreachable,
        unreachable == 0 ? Map.of() : Map.of("503", unreachable), source);
  }

  private JsonNode history(StatusRecorder recorder) {
    return StatusDocument.history(recorder.snapshot(), T0.plusNanos(run.now() - ORIGIN));
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asLong()));
    return out;
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asDouble()));
    return out;
  }

  private static long ms(long seconds) {
    return T0.plusSeconds(seconds).toEpochMilli();
  }

  @Test
  void trafficOn_eachIntervalsShareUnderItsRegion_oneDrainsSourcesAddedUp() {
    StatusRecorder recorder = recorder(ON);
    run.chain(0, OK);
    run.at(10, calls(0, 90, 10, "endpoint"));
    run.at(20, calls(0, 60, 40, "endpoint"));
    // One drain: both sources and a late report about NAM, all stamped with the same slot.
    run.at(30, calls(0, 50, 0, "endpoint"));
    run.at(30, calls(1, 7, 3, "endpoint"));
    run.at(30, calls(0, 30, 20, "log:client"));
    run.chain(40, OK);

    JsonNode regions = history(recorder).path("regions");
    JsonNode eu = regions.path(0).path("traffic");
    assertThat(longs(eu.path("t"))).containsExactly(ms(10), ms(20), ms(30));
    assertThat(longs(eu.path("volume"))).containsExactly(100L, 100L, 100L);
    assertThat(longs(eu.path("unreachable"))).containsExactly(10L, 40L, 20L);
    assertThat(doubles(eu.path("share"))).containsExactly(0.1, 0.4, 0.2);
    JsonNode nam = regions.path(1).path("traffic");
    assertThat(longs(nam.path("t"))).as("the calls go under the region they went through")
        .containsExactly(ms(30));
    assertThat(doubles(nam.path("share"))).containsExactly(0.3);
    JsonNode apac = regions.path(2).path("traffic");
    assertThat(apac.isObject()).as("on, with nothing reported yet").isTrue();
    assertThat(apac.path("t").size()).isZero();
    assertThat(recorder.snapshot().phase()).as("below the failure ratio").isEqualTo("watching");
  }

  @Test
  void shares_roundedToThreeDecimals_andAnEmptyIntervalIsZero() {
    StatusRecorder recorder = recorder(ON);
    run.at(10, calls(0, 2, 1, "endpoint"));
    run.at(20, calls(0, 0, 0, "endpoint"));

    JsonNode eu = history(recorder).at("/regions/0/traffic");
    assertThat(doubles(eu.path("share"))).containsExactly(0.333, 0.0);
    assertThat(longs(eu.path("volume"))).containsExactly(3L, 0L);
  }

  @Test
  void trafficOn_keepsAnHourOfIntervals_theNewest() {
    StatusRecorder recorder = recorder(ON);
    for (long t = 10; t <= 4000; t += 10) {
      run.at(t, calls(0, 100, t % 7, "endpoint"));
    }

    TrafficSeries eu = recorder.snapshot().regions().get(0).trafficHistory();
    assertThat(eu.size()).as("an hour at 10 s, as the chain's probes").isEqualTo(361);
    assertThat(eu.at(0)).isEqualTo(ms(4000 - 3600));
    assertThat(eu.at(360)).isEqualTo(ms(4000));
    assertThat(eu.unreachable(360)).isEqualTo(4000 % 7);
  }

  @Test
  void trafficOff_historyHasNoTrafficField_andNothingIsKept() {
    StatusRecorder recorder = recorder(TrafficRules.OFF);
    run.chain(0, OK);
    run.chain(10, OK);

    JsonNode doc = history(recorder);
    assertThat(doc.path("regions").size()).isEqualTo(3);
    doc.path("regions").forEach(r -> assertThat(r.has("traffic")).as(r.toString()).isFalse());
    assertThat(recorder.snapshot().regions()).allSatisfy(r ->
        assertThat(r.trafficHistory()).isNull());
  }

  @Test
  void reload_resizesToTheNewInterval_andTurningTheSourceOffForgetsTheCalls() {
    StatusRecorder recorder = recorder(ON);
    for (long t = 10; t <= 2000; t += 10) {
      run.at(t, calls(0, 100, 1, "endpoint"));
    }
    PolicySettings every30s = new PolicySettings(Duration.ofSeconds(30), Duration.ofMinutes(4),
        Duration.ofSeconds(30), 0.8, FailbackMode.OFF, Duration.ofMinutes(10), 3,
        Duration.ofHours(1), null, null, ON);
    recorder.reconfigured(new FailoverPolicy(ORDER, every30s), run.state(), run.now());
    TrafficSeries resized = recorder.snapshot().regions().get(0).trafficHistory();
    assertThat(resized.size()).as("an hour at 30 s").isEqualTo(121);
    assertThat(resized.at(120)).isEqualTo(ms(2000));

    recorder.reconfigured(new FailoverPolicy(ORDER, every30s.withTraffic(TrafficRules.OFF)),
        run.state(), run.now());
    assertThat(history(recorder).at("/regions/0").has("traffic")).isFalse();

    recorder.reconfigured(new FailoverPolicy(ORDER, every30s), run.state(), run.now());
    assertThat(history(recorder).at("/regions/0/traffic/t").size())
        .as("on again: from nothing").isZero();
  }
}
