package org.regionfailover.act.envfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.regionfailover.decide.TransitionHistory;
import org.regionfailover.time.Ticker;

/**
 * The automatic transitions of the failover budget, kept beside the env file
 * ({@code .<env file>.transitions}, one epoch millisecond a line, written atomically), so a
 * supervisor that crash-loops cannot escape its budget. On disk the times are wall-clock
 * (the ticker restarts with the process); in memory they are ticker times.
 */
public final class TransitionHistoryFile {
  /** Far more than any budget holds; the file is rewritten with the window's entries only. */
  private static final int MAX_LINES = 10_000;

  private final EnvFileWriter writer;
  private final Clock clock;
  private final Ticker ticker;

  public TransitionHistoryFile(Path envFile, Clock clock, Ticker ticker) {
    Path file = envFile.toAbsolutePath();
    this.writer = new EnvFileWriter(file.resolveSibling("." + file.getFileName() + ".transitions"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** The history read back; a missing or damaged file is an empty history (never throws). */
  public TransitionHistory load() {
    long wallNow = clock.millis();
    long tickerNow = ticker.read();
    // Read lazily and capped: a huge or hostile file must not exhaust the heap at every
    // start (a crash loop would leave the host unwatched). A time in the future (the wall
    // clock stepped back) counts as now: dropping it would empty the budget.
    try (Stream<String> lines = Files.lines(writer.file(), StandardCharsets.UTF_8)) {
      long[] times = lines.limit(MAX_LINES).map(String::strip)
          .filter(l -> l.matches("\\d{1,15}")).mapToLong(Long::parseLong)
          .map(t -> Math.min(t, wallNow)).sorted()
          .map(t -> tickerNow - TimeUnit.MILLISECONDS.toNanos(wallNow - t)).toArray();
      return TransitionHistory.of(times);
    } catch (NoSuchFileException e) {
      return TransitionHistory.of();
    } catch (IOException | RuntimeException e) {
      return TransitionHistory.of();
    }
  }

  /** Writes {@code history} atomically. */
  public void save(TransitionHistory history) throws IOException {
    long wallNow = clock.millis();
    long tickerNow = ticker.read();
    StringBuilder text = new StringBuilder();
    Arrays.stream(history.toArray())
        .map(t -> wallNow - TimeUnit.NANOSECONDS.toMillis(tickerNow - t))
        .forEach(ms -> text.append(ms).append('\n'));
    writer.write(text.toString());
  }

  /** Deletes temp files a killed writer left behind. */
  public int removeLeftovers() throws IOException {
    return writer.removeLeftovers();
  }

  public Path file() {
    return writer.file();
  }
}
