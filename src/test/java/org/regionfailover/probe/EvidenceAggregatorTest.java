package org.regionfailover.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.regionfailover.FakeTicker;

/** Issue 27: what the endpoint source gives the loop at each drain. */
class EvidenceAggregatorTest {
  private final FakeTicker ticker = new FakeTicker();

  @Test
  void drain_sumsPerRegionSinceTheLastDrain_andStartsOver() {
    EvidenceAggregator a = new EvidenceAggregator(ticker, 100);
    a.add("EU", 10, Map.of("503", 2L, "reset", 1L), 0);
    a.add("EU", 5, Map.of("503", 1L), 4);
    a.add("NAM", 7, Map.of(), 0);

    List<TrafficCounts> first = a.drain();
    a.add("EU", 1, Map.of(), 0);
    List<TrafficCounts> second = a.drain();

    assertThat(first).extracting(TrafficCounts::region).containsExactly("EU", "NAM");
    TrafficCounts eu = first.get(0);
    assertThat(eu.ok()).isEqualTo(15);
    assertThat(eu.unreachable()).isEqualTo(4);
    assertThat(eu.byClass()).isEqualTo(Map.of("503", 3L, "reset", 1L));
    assertThat(eu.ignored()).isEqualTo(4);
    assertThat(second).singleElement().satisfies(c -> {
      assertThat(c.region()).isEqualTo("EU");
      assertThat(c.ok()).isEqualTo(1);
      assertThat(c.unreachable()).isZero();
    });
    assertThat(a.drain()).isEmpty();
  }

  @Test
  void classesThatNeverCount_areNotAddedAsUnreachable() {
    EvidenceAggregator a = new EvidenceAggregator(ticker, 100);
    a.add("EU", 3, Map.of("500", 9L, "404", 2L), 11);

    TrafficCounts eu = a.drain().get(0);

    assertThat(eu.unreachable()).isZero();
    assertThat(eu.byClass()).isEmpty();
    assertThat(eu.ignored()).isEqualTo(11);
  }

  @Test
  void admit_takesAtMostTheRateEachSecond_andCountsTheRestDropped() {
    EvidenceAggregator a = new EvidenceAggregator(ticker, 3);

    int admitted = 0;
    for (int i = 0; i < 10; i++) {
      admitted += a.admit() ? 1 : 0;
    }
    ticker.advance(Duration.ofMillis(999));
    boolean sameSecond = a.admit();
    ticker.advance(Duration.ofMillis(1));
    boolean nextSecond = a.admit();

    assertThat(admitted).isEqualTo(3);
    assertThat(sameSecond).isFalse();
    assertThat(nextSecond).isTrue();
    List<TrafficCounts> drained = a.drain();
    assertThat(drained).singleElement().satisfies(c -> {
      assertThat(c.isEmpty()).as("nothing to decide from").isTrue();
      assertThat(c.dropped()).isEqualTo(8);
    });
    assertThat(a.drain()).as("dropped counts start over too").isEmpty();
  }
}
