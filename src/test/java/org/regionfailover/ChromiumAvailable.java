package org.regionfailover;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Guards browser tests: Debian's {@code chromium} and {@code chromium-driver}, at the paths
 * the packages install. Skipped with a reason on a developer machine without them, a failure
 * on CI (env CI=true), where a silent skip would hide the gap. Never downloads a browser.
 */
public final class ChromiumAvailable {
  /** Both from Debian, so their versions match (chromedriver refuses another major). */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private ChromiumAvailable() {}

  /** Returns when both are installed; skips (or fails on CI) otherwise. */
  public static void require() {
    String missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM.toString()
        : !Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER.toString() : null;
    if (missing == null) {
      return;
    }
    Prerequisite.missing(missing + " is missing; install Debian's 'chromium' and 'chromium-driver'");
  }
}
