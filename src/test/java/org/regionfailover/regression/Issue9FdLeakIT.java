package org.regionfailover.regression;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.RecordingEventLog;
import org.regionfailover.Regions;
import org.regionfailover.SupervisordFixture;
import org.regionfailover.act.supervisord.SupervisorClient;
import org.regionfailover.act.supervisord.SupervisordRestart;
import org.regionfailover.config.Region;
import org.regionfailover.time.Ticker;

/**
 * Issue 9, defect 1: every switch over the unix socket leaked about 45 descriptors, so a
 * host under {@code ulimit -n 400} could no longer switch after 7 failovers.
 */
class Issue9FdLeakIT {
  @TempDir Path dir;

  @Test
  void failoverRestartOverUnixSocket_200times_descriptorsStayWithin20() throws Exception {
    try (SupervisordFixture sup = SupervisordFixture.unixSocket(dir).quickStart()) {
      sup.start();
      SupervisorClient client = sup.client();
      SupervisordRestart restart = new SupervisordRestart(client,
          List.of("app:stunnel", "app:cloud-client", "app:application"), new RecordingEventLog(), Ticker.system());
      Region nam = Regions.NAM;
      restart.apply(nam); // warm up: classes, the pool's first connection
      long before = openDescriptors();
      for (int i = 0; i < 200; i++) {
        restart.apply(nam);
      }
      assertThat(openDescriptors()).as("open descriptors after 200 restarts (before: %d)", before)
          .isLessThanOrEqualTo(before + 20);
    }
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
