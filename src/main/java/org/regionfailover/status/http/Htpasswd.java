package org.regionfailover.status.http;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.regionfailover.config.ConfigException;

/**
 * The operators of an Apache htpasswd file, read once at start-up. Only bcrypt entries
 * ({@code $2y$}, {@code $2b$}, {@code $2a$}) are taken: the other kinds htpasswd can write
 * (MD5 {@code $apr1$}, SHA-1, crypt, plain text) are fast to brute-force from a stolen
 * file, so a file with one is refused, naming its line and user, never its hash.
 */
public final class Htpasswd {
  /** A file of a few thousand operators is a few hundred KB; anything this size is a mistake. */
  static final int MAX_BYTES = 1 << 20;
  /**
   * Each step doubles a check's time: cost 14 is about 1 s a check on one core, 31 would be
   * days (and the dummy hash made at start-up would hang it).
   */
  static final int MAX_COST = 14;
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
  private static final Pattern DES = Pattern.compile("[./A-Za-z0-9]{13}");

  private final Map<String, byte[]> hashes;
  private final int maxCost;

  private Htpasswd(Map<String, byte[]> hashes, int maxCost) {
    this.hashes = Map.copyOf(hashes);
    this.maxCost = maxCost;
  }

  /** Reads {@code file}; any problem is a {@link ConfigException} naming {@code setting}. */
  public static Htpasswd read(Path file, String setting) {
    byte[] bytes;
    if (Files.isDirectory(file)) {
      throw new ConfigException(setting, "cannot read " + file + ": it is a directory; expected"
          + " a readable htpasswd file");
    }
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new ConfigException(setting, file + " is larger than " + MAX_BYTES / 1024
            + " KiB; expected an htpasswd file of user:hash lines");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(setting, "cannot read " + file + ": " + why(e)
          + "; expected a readable htpasswd file");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(setting, file + " is not UTF-8 text; expected an htpasswd"
          + " file of user:hash lines");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // a byte order mark, as some Windows editors write
    }
    return parse(text, file, setting);
  }

  private static String why(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    } else if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied for user " + System.getProperty("user.name")
          + " (the supervisor's user must be able to read it)";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }

  /** Parses the content of {@code file}. */
  static Htpasswd parse(String text, Path file, String setting) {
    Map<String, byte[]> hashes = new HashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    int maxCost = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1)
          : lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue; // Apache skips these too
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        // The line is not shown: it may be a password typed in the wrong place.
        throw new ConfigException(setting, file + " line " + number + " is not user:hash;"
            + " create the file with htpasswd -B -C 10 " + file + " USER");
      }
      String user = line.substring(0, colon);
      String hash = line.substring(colon + 1);
      if (user.isEmpty()) {
        throw new ConfigException(setting, file + " line " + number + " has an empty user"
            + " name; expected user:hash");
      }
      Matcher m = BCRYPT.matcher(hash);
      if (!m.matches()) {
        throw new ConfigException(setting, file + " line " + number + " (user '"
            + ConfigException.shown(user) + "'): " + kind(hash) + "; only bcrypt entries are"
            + " accepted: replace it with htpasswd -B -C 10 " + file + " "
            + ConfigException.shown(user));
      }
      int cost = Integer.parseInt(m.group(1));
      if (cost < 4 || cost > 31) {
        throw new ConfigException(setting, file + " line " + number + " (user '"
            + ConfigException.shown(user) + "'): a bcrypt cost of " + cost + " is outside 4-31;"
            + " replace it with htpasswd -B -C 10 " + file + " " + ConfigException.shown(user));
      }
      if (cost > MAX_COST) {
        throw new ConfigException(setting, file + " line " + number + " (user '"
            + ConfigException.shown(user) + "'): cost " + cost + " is too slow to check;"
            + " use htpasswd -B -C 10 " + file + " " + ConfigException.shown(user)
            + " (a cost of at most " + MAX_COST + ")");
      }
      Integer first = lineOf.putIfAbsent(user, number);
      if (first != null) {
        throw new ConfigException(setting, file + " line " + number + ": user '"
            + ConfigException.shown(user) + "' is already on line " + first
            + "; each user once");
      }
      hashes.put(user, hash.getBytes(StandardCharsets.US_ASCII));
      maxCost = Math.max(maxCost, cost);
    }
    if (hashes.isEmpty()) {
      throw new ConfigException(setting, file + " has no user; add one with htpasswd -B -C 10 "
          + file + " USER, or leave the setting out to turn manual control off");
    }
    return new Htpasswd(hashes, maxCost);
  }

  /** What kind of hash {@code hash} is, for the message refusing it; never the hash. */
  private static String kind(String hash) {
    if (hash.startsWith("$apr1$")) {
      return "an Apache MD5 hash ($apr1$, htpasswd -m)";
    } else if (hash.startsWith("{SHA}")) {
      return "a SHA-1 hash ({SHA}, htpasswd -s)";
    } else if (hash.startsWith("$1$")) {
      return "an MD5-crypt hash ($1$)";
    } else if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
      return "a SHA-crypt hash (" + hash.substring(0, 3) + ", htpasswd -2 or -5)";
    } else if (hash.startsWith("$2")) {
      return "a malformed or unsupported bcrypt hash";
    } else if (DES.matcher(hash).matches()) {
      return "a crypt(3) DES hash (htpasswd -d)";
    }
    return "not a hash (plain text, htpasswd -p?)";
  }

  /** The bcrypt hash of {@code user}, if the file has one. */
  Optional<byte[]> hash(String user) {
    return Optional.ofNullable(hashes.get(user));
  }

  /** The highest bcrypt cost in the file: an unknown user's check costs the same. */
  int maxCost() {
    return maxCost;
  }

  /** How many users the file has. */
  public int users() {
    return hashes.size();
  }
}
