package org.regionfailover.report;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One short line per event for a person at a terminal: the local time, the level (in colour
 * when the terminal takes it), the event, where it happened (the region, or the move
 * {@code EU->NAM}; a set other than the default before it) and the message. A library's own
 * line (no event) shows its logger's last name instead. What {@link ProbeFolding} hides
 * encodes to nothing. Control characters are escaped: a line stays one line, and a value
 * from outside cannot move the cursor or change the colours.
 */
public final class TextLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final String RESET = "\u001b[0m";
  private static final int EVENT_WIDTH = 20;
  private static final int WHERE_WIDTH = 9;

  private final boolean colour;
  private final ProbeFolding folding;
  private final ZoneId zone;
  /** Made on the first line (Jackson's start-up, off the main thread behind the async appender). */
  private volatile StructuredFields structured;

  /** In {@code zone}'s time, with ANSI colours when {@code colour}. */
  public TextLineEncoder(boolean colour, ProbeFolding folding, ZoneId zone) {
    this.colour = colour;
    this.folding = folding;
    this.zone = zone;
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    Map<String, Object> fields = fields(event);
    Object name = fields.get("event");
    if (name != null && !folding.shows(name.toString(), fields)) {
      return new byte[0];
    }
    StringBuilder line = new StringBuilder(160);
    line.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone)))
        .append(' ');
    level(line, event.getLevel());
    if (name != null) {
      pad(line, name.toString(), EVENT_WIDTH);
      pad(line, where(fields), WHERE_WIDTH);
      line.append(oneLine(event.getFormattedMessage()));
    } else {
      String logger = event.getLoggerName();
      line.append(oneLine(logger.substring(logger.lastIndexOf('.') + 1))).append(": ")
          .append(oneLine(event.getFormattedMessage()));
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        line.append(" (").append(oneLine(thrown.getClassName() + ": " + thrown.getMessage()))
            .append(')');
      }
    }
    return line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  private Map<String, Object> fields(ILoggingEvent event) {
    StructuredFields reader = structured;
    if (reader == null) {
      reader = new StructuredFields(); // two made by a race read alike
      structured = reader;
    }
    try {
      return reader.of(event);
    } catch (IOException | RuntimeException e) {
      return Map.of(); // a field that cannot be read costs the line its event, not the line
    }
  }

  private void level(StringBuilder line, Level level) {
    String padded = String.format("%-5s ", level);
    if (!colour) {
      line.append(padded);
      return;
    }
    String code = switch (level.toInt()) {
      case Level.ERROR_INT -> "\u001b[1;31m";
      case Level.WARN_INT -> "\u001b[33m";
      case Level.INFO_INT -> "\u001b[32m";
      default -> "\u001b[2m";
    };
    line.append(code).append(padded.strip()).append(RESET)
        .append(" ".repeat(padded.length() - padded.strip().length()));
  }

  /** The region, or the move {@code EU->NAM}; {@code payments/EU} for a set not the default. */
  static String where(Map<String, Object> fields) {
    Object from = fields.get("from_region");
    Object to = fields.get("to_region");
    Object region = fields.get("region");
    String at = from != null && to != null ? from + "->" + to
        : region != null ? region.toString() : "-";
    Object set = fields.get("set");
    return set == null || "default".equals(set) ? at : set + "/" + at;
  }

  private static void pad(StringBuilder line, String text, int width) {
    String shown = oneLine(text);
    line.append(shown).append(" ".repeat(Math.max(1, width - shown.length())));
  }

  /** {@code text} with every control character escaped ({@code \n}, {@code \u001B}). */
  static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04X", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }
}
