package org.regionfailover.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The command line run once on a host's settings to see how it refuses them: the bad-input
 * tests of every group of settings start from {@link #host} (a valid host that needs no
 * network) and change one value.
 */
record BadInputRun(int code, String stderr) {
  /**
   * A valid host's settings in {@code dir}: two regions, ids, the env file there, a
   * supervisord socket nobody listens on, the status server on a free loopback port.
   */
  static Map<String, String> host(Path dir) {
    Map<String, String> vars = new HashMap<>();
    vars.put("EXT_CLOUD_FAILOVER_LIST", "NAM=cloud.nam.ext.com,EU=cloud.eu.ext.com");
    vars.put("CONNECTION_KEEPALIVE_ORG_ID", "org-1");
    vars.put("CONNECTION_KEEPALIVE_TXN_ID", "txn-1");
    vars.put("EXT_CLOUD_ENV_FILE", dir.resolve("ext_cloud.env").toString());
    vars.put("SUPERVISOR_SERVER_URL", "unix://" + dir.resolve("no-supervisord.sock"));
    vars.put("FAILOVER_LISTEN", "127.0.0.1:0");
    return vars;
  }

  /** The loop started with {@code vars} as its environment, no flags. */
  static BadInputRun of(Map<String, String> vars) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Cli(vars, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        new CountDownLatch(0)).run();
    return new BadInputRun(code, err.toString(StandardCharsets.UTF_8));
  }
}
