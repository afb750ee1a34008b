package org.regionfailover.act.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.act.hook.NotifyOutbox.Sink;
import org.regionfailover.report.Event;

class NotifyOutboxTest {
  private static final Instant AT = Instant.parse("2026-12-08T01:00:00Z");

  @TempDir
  Path dir;

  private Path envFile() {
    return dir.resolve("ext_cloud.env");
  }

  private static Event event(String name, String region) {
    return Event.warn(name, name + " of " + region).with("region", region).build();
  }

  private NotifyOutbox open(Set<Sink> sinks) throws IOException {
    return NotifyOutbox.open(envFile(), sinks);
  }

  @Test
  void numbersEachEventInOrderAndKeepsItOnDiskBesideTheEnvFile() throws IOException {
    NotifyOutbox o = open(EnumSet.of(Sink.HOOK));
    Delivery a = o.append(event("failover", "EU"), AT);
    Delivery b = o.append(event("failover_completed", "NAM"), AT);
    assertThat(List.of(a.seq(), b.seq())).containsExactly(1L, 2L);
    assertThat(o.dir()).isEqualTo(dir.resolve(".ext_cloud.env.outbox"));
    try (var files = Files.list(o.dir())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains("0000000000000000001.json", "0000000000000000002.json", "next-seq")
          .noneMatch(n -> n.endsWith(".tmp"));
    }
    assertThat(a.line()).startsWith("{\"seq\":1,\"event\":\"failover\",\"time\":\""
        + AT + "\"");
  }

  @Test
  void aRestartDeliversWhatWasNotDeliveredInOrderWithTheSameNumbers() throws IOException {
    NotifyOutbox before = open(EnumSet.of(Sink.HOOK));
    for (int i = 0; i < 5; i++) {
      before.append(event("failover", "R" + i), AT);
    }
    before.delivered(Sink.HOOK, 2);

    NotifyOutbox after = open(EnumSet.of(Sink.HOOK));
    List<Delivery> left = after.undelivered(Sink.HOOK);
    assertThat(left).extracting(Delivery::seq).containsExactly(3L, 4L, 5L);
    assertThat(left).extracting(d -> d.variables().get("RF_REGION"))
        .containsExactly("R2", "R3", "R4");
    assertThat(left.get(0)).isEqualTo(before.undelivered(Sink.HOOK).get(0));
    assertThat(after.append(event("failback", "EU"), AT).seq()).isEqualTo(6);
  }

  @Test
  void aNumberIsNeverGivenAgainEvenOnceEveryDeliveryLeftTheOutbox() throws IOException {
    NotifyOutbox o = open(EnumSet.of(Sink.HOOK));
    o.append(event("failover", "EU"), AT);
    o.append(event("failback", "EU"), AT);
    o.delivered(Sink.HOOK, 2);
    try (var files = Files.list(o.dir())) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".json"));
    }
    assertThat(open(EnumSet.of(Sink.HOOK)).append(event("repair", "EU"), AT).seq())
        .isEqualTo(3);
  }

  @Test
  void anEntryWrittenAheadOfTheKeptNumberIsNotNumberedAgain() throws IOException {
    NotifyOutbox o = open(EnumSet.of(Sink.HOOK));
    o.append(event("failover", "EU"), AT);
    o.append(event("failback", "EU"), AT);
    // A kill between an entry's write and the next number's: the number on disk lags.
    Files.writeString(o.dir().resolve("next-seq"), "2\n");
    assertThat(open(EnumSet.of(Sink.HOOK)).append(event("repair", "EU"), AT).seq())
        .isEqualTo(3);
  }

  @Test
  void eachSinkKeepsItsOwnPlaceAndAnEntryStaysUntilBothDeliveredIt() throws IOException {
    NotifyOutbox o = open(EnumSet.of(Sink.HOOK, Sink.WEBHOOK));
    o.append(event("failover", "EU"), AT);
    o.append(event("failover_completed", "NAM"), AT);
    o.delivered(Sink.HOOK, 2);
    assertThat(o.undelivered(Sink.HOOK)).isEmpty();

    NotifyOutbox again = open(EnumSet.of(Sink.HOOK, Sink.WEBHOOK));
    assertThat(again.undelivered(Sink.WEBHOOK)).extracting(Delivery::seq).containsExactly(1L, 2L);
    assertThat(again.after(Sink.WEBHOOK, 1)).map(Delivery::seq).contains(2L);
    again.delivered(Sink.WEBHOOK, 1);
    try (var files = Files.list(o.dir())) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
          .containsExactly("0000000000000000002.json");
    }
  }

  @Test
  void aTempFileAKillLeftBehindIsRemovedAndNeverTakenForADelivery() throws IOException {
    NotifyOutbox o = open(EnumSet.of(Sink.HOOK));
    o.append(event("failover", "EU"), AT);
    Files.writeString(o.dir().resolve(".0000000000000000002.json.1234.tmp"), "{\"seq\":2");
    NotifyOutbox again = open(EnumSet.of(Sink.HOOK));
    assertThat(again.undelivered(Sink.HOOK)).extracting(Delivery::seq).containsExactly(1L);
    try (var files = Files.list(o.dir())) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void theContextOfADeliveryComesFromItsLine() throws IOException {
    Event failover = Event.error("failover", "moving").with("set", "main")
        .with("region", "EU").with("from_region", "EU").with("to_region", "NAM")
        .with("reason", "threshold").with("fleet", true).with("epoch", 7).build();
    Delivery d = open(EnumSet.of(Sink.HOOK)).append(failover, AT);
    assertThat(d.variables()).containsEntry("RF_EVENT", "failover").containsEntry("RF_SEQ", "1")
        .containsEntry("RF_SET", "main").containsEntry("RF_REGION", "EU")
        .containsEntry("RF_FROM", "EU").containsEntry("RF_TO", "NAM")
        .containsEntry("RF_REASON", "threshold").containsEntry("RF_EPOCH", "7")
        .containsEntry("RF_TIME", "2026-12-08T01:00:00Z");
    assertThat(Delivery.of(0, event("repair", "EU"), AT).variables())
        .containsEntry("RF_SEQ", "").doesNotContainKeys("RF_EPOCH", "RF_TO", "RF_FROM");
  }
}
