package org.regionfailover.act.supervisord;

/**
 * supervisord's answer to a log tail: {@code text}, the last bytes it read (decoded as
 * UTF-8), {@code size}, the log's size in bytes when read (the end of {@code text}), and
 * {@code overflow}, set when the log held more than was asked for after the offset.
 */
public record LogTail(String text, int size, boolean overflow) {}
