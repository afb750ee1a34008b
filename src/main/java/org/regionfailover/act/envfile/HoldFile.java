package org.regionfailover.act.envfile;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.regionfailover.decide.Hold;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;
import org.regionfailover.time.Ticker;

/**
 * An operator's hold kept beside the env file ({@code .<env file>.hold}, written
 * atomically), so a restart does not forget it: the hold in force and one scheduled to
 * begin later, one a line, {@code from=ISO until=ISO|none user=U address=A reason=R} (values
 * URL-encoded). On disk the times are wall-clock (the ticker restarts with the process).
 */
public final class HoldFile {
  private static final int MAX_LINES = 10;
  private final EnvFileWriter writer;
  private final Clock clock;
  private final Ticker ticker;

  public HoldFile(Path envFile, Clock clock, Ticker ticker) {
    Path file = envFile.toAbsolutePath();
    this.writer = new EnvFileWriter(file.resolveSibling("." + file.getFileName() + ".hold"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  public Path file() {
    return writer.file();
  }

  /**
   * The holds kept, as commands to take up again ({@code restored}); a missing or damaged
   * file holds none (never throws: a bad file must not keep the host from starting).
   */
  public List<Input.HoldCommand> load() {
    List<Input.HoldCommand> holds = new ArrayList<>();
    try (Stream<String> lines = Files.lines(writer.file(), StandardCharsets.UTF_8)) {
      lines.limit(MAX_LINES).forEach(line -> {
        try {
          holds.add(parse(line));
        } catch (RuntimeException e) {
          // a damaged line is skipped: the others may still be good
        }
      });
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException | RuntimeException e) {
      return List.copyOf(holds);
    }
    return List.copyOf(holds);
  }

  /** Writes the hold in force ({@code hold}, null: none) and the one scheduled (null: none). */
  public void save(Hold hold, Input.HoldCommand pending) throws IOException {
    StringBuilder text = new StringBuilder();
    if (hold != null) {
      Instant from = wall(hold.since());
      text.append(line(from, hold.expires() ? wall(hold.until()) : null, hold.by(),
          hold.reason()));
    }
    if (pending != null) {
      text.append(line(pending.from(), pending.duration() == null ? null
          : pending.from().plus(pending.duration()), pending.by(), pending.reason()));
    }
    writer.write(text.toString());
  }

  private Instant wall(long tick) {
    return clock.instant().minusNanos(ticker.read() - tick);
  }

  private static String line(Instant from, Instant until, Operator by, String reason) {
    return "from=" + from + " until=" + (until == null ? "none" : until.toString())
        + " user=" + enc(by.user()) + " address=" + enc(by.address()) + " reason="
        + enc(reason) + "\n";
  }

  private static Input.HoldCommand parse(String line) {
    Map<String, String> f = new HashMap<>();
    for (String pair : line.strip().split(" ")) {
      int eq = pair.indexOf('=');
      f.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1),
          StandardCharsets.UTF_8));
    }
    Instant from = Instant.parse(f.get("from"));
    String until = f.get("until");
    Duration length = until.equals("none") ? null : Duration.between(from, Instant.parse(until));
    return new Input.HoldCommand(length, f.get("reason"),
        new Operator(f.get("user"), f.get("address")), from, true);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
