package org.regionfailover.config;

/**
 * Where a process's configuration comes from: the command line and the environment (fixed
 * for the life of the process) and the settings file and sets directory (read again by each
 * call). Start-up and every reload load through the same source, so a reload validates
 * exactly as the start did.
 */
@FunctionalInterface
public interface ConfigSource {
  /**
   * Reads and validates everything; a problem is a {@link ConfigException} naming the
   * setting (and, for a value from a file, the file and line).
   */
  ProcessConfiguration load();
}
