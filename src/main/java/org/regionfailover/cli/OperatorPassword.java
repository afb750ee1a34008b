package org.regionfailover.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.regionfailover.config.ConfigException;

/**
 * Where an operator's command finds the password, first found wins: the file of
 * {@code --password-file} (its first line), the environment variable {@value #ENV}, or a
 * prompt on the terminal. Never a flag: a command line is visible to every user of the
 * host ({@code ps}), and stays in shell histories.
 */
final class OperatorPassword {
  static final String ENV = "RF_PASSWORD";
  static final String FILE_OPTION = "--password-file";
  /** A password is a line; a file far larger is not a password file. */
  private static final int MAX_FILE = 4096;

  /** Asks a person for the password without echoing it; null when there is no terminal. */
  @FunctionalInterface
  interface Terminal {
    char[] readPassword(String prompt);

    /** The process's terminal ({@link System#console()}), if it has one. */
    static Terminal console() {
      return prompt -> {
        Console c = System.console();
        return c == null ? null : c.readPassword("%s", prompt);
      };
    }
  }

  private OperatorPassword() {}

  /**
   * The password, from {@code file}, else {@code env}'s {@value #ENV}, else {@code terminal}
   * with {@code prompt}; a {@link ConfigException} (never showing any of it) when none of
   * them gives one.
   */
  static char[] read(Optional<Path> file, Map<String, String> env, Terminal terminal,
      String prompt) {
    if (file.isPresent()) {
      return fromFile(file.get());
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv.toCharArray();
    }
    char[] typed = terminal.readPassword(prompt);
    if (typed == null) {
      throw new ConfigException(FILE_OPTION + " / " + ENV, "no password: give "
          + FILE_OPTION + " FILE (its first line; chmod 600), set " + ENV + ", or run the"
          + " command on a terminal to be asked; there is no password flag, since ps would"
          + " show it to every user");
    }
    if (typed.length == 0) {
      throw new ConfigException("password", "nothing was typed");
    }
    return typed;
  }

  private static char[] fromFile(Path file) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE + 1);
    } catch (IOException e) {
      throw ConfigException.badValue(FILE_OPTION, file.toString(),
          "expected a readable file whose first line is the password ("
              + e.getClass().getSimpleName() + ")");
    }
    try {
      if (bytes.length > MAX_FILE) {
        throw ConfigException.badValue(FILE_OPTION, file.toString(), "the file is larger than "
            + MAX_FILE + " bytes; expected one line, the password");
      }
      char[] text = decode(file, bytes);
      int end = 0;
      while (end < text.length && text[end] != '\n' && text[end] != '\r') {
        end++;
      }
      char[] line = Arrays.copyOf(text, end);
      Arrays.fill(text, '\0');
      if (line.length == 0) {
        throw ConfigException.badValue(FILE_OPTION, file.toString(),
            "its first line is empty; expected the password");
      }
      return line;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static char[] decode(Path file, byte[] bytes) {
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      char[] text = new char[chars.remaining()];
      chars.get(text);
      Arrays.fill(chars.array(), '\0');
      return text;
    } catch (CharacterCodingException e) {
      throw ConfigException.badValue(FILE_OPTION, file.toString(),
          "the file is not UTF-8 text; the server compares the password as UTF-8");
    }
  }
}
