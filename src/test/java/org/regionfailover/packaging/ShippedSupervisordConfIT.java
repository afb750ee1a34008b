package org.regionfailover.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.SupervisordAvailable;
import org.regionfailover.act.supervisord.ProcessInfo;
import org.regionfailover.act.supervisord.SupervisorClient;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcHttpTransport;
import org.regionfailover.config.Setting;
import org.regionfailover.config.SupervisorSettings;

/**
 * The shipped packaging/supervisor/region-failover.conf, loaded by a real supervisord: a
 * small wrapper conf in a temp dir supplies the socket, log and pid paths and
 * {@code [include]}s a copy of the shipped file. The copy differs in one way only:
 * {@code autostart=true} becomes false, so the test never launches an installed
 * region-failover against this host's configuration.
 */
class ShippedSupervisordConfIT {
  private static final Path SHIPPED = Path.of("packaging/supervisor/region-failover.conf");

  @TempDir Path dir;
  private Process supervisord;

  @AfterEach
  void stop() throws Exception {
    if (supervisord != null && supervisord.isAlive()) {
      supervisord.destroy();
      if (!supervisord.waitFor(15, TimeUnit.SECONDS)) {
        supervisord.destroyForcibly();
      }
    }
  }

  @Test
  void shippedConf_loadsInSupervisord_withTheSupervisorAndTheAppGroup() throws Exception {
    Path supervisordExe = SupervisordAvailable.require();
    String shipped = Files.readString(SHIPPED);
    assertThat(shipped.split("autostart=true", -1)).as("one autostart=true (region-failover)")
        .hasSize(2);
    Files.writeString(dir.resolve("region-failover.conf"),
        shipped.replace("autostart=true", "autostart=false"));
    Path sock = dir.resolve("supervisor.sock");
    Path conf = dir.resolve("supervisord.conf");
    Files.writeString(conf, "[unix_http_server]\nfile=" + sock + "\nchmod=0700\n\n"
        + "[supervisord]\nlogfile=" + dir.resolve("supervisord.log") + "\npidfile="
        + dir.resolve("supervisord.pid") + "\nchildlogdir=" + dir
        + "\nnodaemon=true\n\n"
        + "[rpcinterface:supervisor]\n"
        + "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n"
        + "[include]\nfiles=" + dir.resolve("region-failover.conf") + "\n");
    Path out = dir.resolve("supervisord.out");
    supervisord = new ProcessBuilder(supervisordExe.toString(), "-n", "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    XmlRpcHttpTransport transport =
        new XmlRpcHttpTransport("unix://" + sock, null, null, Duration.ofSeconds(10));
    SupervisorClient client = new SupervisorClient(transport);
    await("supervisord with the shipped conf to be RUNNING").atMost(Duration.ofSeconds(15))
        .failFast(() -> {
          if (!supervisord.isAlive()) {
            throw new AssertionError("supervisord rejected the shipped conf: " + Files.readString(out));
          }
        })
        .ignoreExceptions().until(() -> "RUNNING".equals(client.getState()));

    List<String> known = client.getAllProcessInfo().stream().map(ProcessInfo::spec).toList();
    List<String> stack = SupervisorSettings.parsePrograms(Setting.PROGRAMS.defaultValue().get());
    assertThat(known).as("programs supervisord knows from the shipped conf")
        .containsExactlyInAnyOrder("region-failover:region-failover", "app:stunnel",
            "app:cloud-client", "app:application")
        .containsAll(stack);

    Map<String, Map<?, ?>> config = new HashMap<>();
    for (Object o : (List<?>) transport.call("supervisor.getAllConfigInfo", List.of())) {
      Map<?, ?> c = (Map<?, ?>) o;
      config.put(c.get("group") + ":" + c.get("name"), c);
    }
    for (String program : stack) {
      assertThat(config.get(program).get("autostart")).as(program + " autostart").isEqualTo(false);
    }
    // The supervisor's 3 s stop grace plus a restart step in progress must fit before SIGKILL.
    assertThat((Integer) config.get("region-failover:region-failover").get("stopwaitsecs"))
        .as("region-failover stopwaitsecs").isGreaterThanOrEqualTo(15);
    assertThat(client.getProcessInfo("region-failover:region-failover").statename())
        .isEqualTo("STOPPED");
  }
}
