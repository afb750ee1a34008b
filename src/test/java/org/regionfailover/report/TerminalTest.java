package org.regionfailover.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalTest {
  @Test
  void device_pseudoTerminalsAndConsoles_only() {
    assertThat(Terminal.device("/dev/pts/3")).isTrue();
    assertThat(Terminal.device("/dev/tty1")).isTrue();
    assertThat(Terminal.device("/dev/console")).isTrue();
    assertThat(Terminal.device("pipe:[81234]")).isFalse();
    assertThat(Terminal.device("socket:[5521]")).isFalse(); // journald's stream
    assertThat(Terminal.device("/dev/null")).isFalse();
    assertThat(Terminal.device("/var/log/supervisor/region-failover.log")).isFalse();
  }

  @Test
  void colour_needsATermThatIsNotDumb_andNoNoColor() {
    assertThat(Terminal.colour(Map.of("TERM", "xterm-256color"))).isTrue();
    assertThat(Terminal.colour(Map.of("TERM", "xterm-256color", "NO_COLOR", "1"))).isFalse();
    assertThat(Terminal.colour(Map.of("TERM", "xterm-256color", "NO_COLOR", ""))).isTrue();
    assertThat(Terminal.colour(Map.of("TERM", "dumb"))).isFalse();
    assertThat(Terminal.colour(Map.of())).isFalse();
  }

  @Test
  void stdout_underTheTestRunner_isNotATerminal() {
    // Surefire's forked JVM writes to a pipe: auto means JSON here, as under supervisord.
    assertThat(Terminal.stdout()).isFalse();
  }
}
