package org.regionfailover.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample notify hook (issue 28) ships executable and posts an event to a chat webhook. */
class NotifyChatExampleTest {
  private static final Path EXAMPLE = Path.of("packaging/examples/notify-chat");

  @TempDir Path dir;

  @Test
  void theExampleIsExecutableAndShippedAmongTheExamples() throws Exception {
    assertThat(Files.getPosixFilePermissions(EXAMPLE)).contains(PosixFilePermission.OWNER_EXECUTE);
    String pom = Files.readString(Path.of("pom.xml"));
    int at = pom.indexOf("<src>${project.basedir}/packaging/examples/notify-chat</src>");
    assertThat(at).as("pom.xml ships packaging/examples/notify-chat").isPositive();
    assertThat(pom.substring(at, pom.indexOf("</data>", at)))
        .contains("<prefix>/usr/share/doc/region-failover/examples</prefix>")
        .contains("<filemode>755</filemode>");
    assertThat(Files.readString(Path.of("packaging/debian/control")))
        .as("the hooks' process groups are killed with procps's kill").contains(", procps");
  }

  @Test
  void theExamplePostsTheEventAsChatTextWithAHookOnlyEnvironment() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/chat", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    try {
      Path urlFile = dir.resolve("chat-webhook.url");
      Files.writeString(urlFile, "http://127.0.0.1:" + server.getAddress().getPort() + "/chat\n");
      ProcessBuilder pb = new ProcessBuilder(EXAMPLE.toAbsolutePath().toString())
          .redirectErrorStream(true);
      pb.environment().clear();
      pb.environment().putAll(java.util.Map.of("PATH", "/usr/local/bin:/usr/bin:/bin",
          "NOTIFY_CHAT_URL_FILE", urlFile.toString(), "RF_EVENT", "failover", "RF_SEQ", "42",
          "RF_SET", "main", "RF_FROM", "EU", "RF_TO", "NAM", "RF_REASON", "said \"down\"",
          "RF_TIME", "2026-12-08T01:00:00Z"));
      Process p = pb.start();
      p.getOutputStream().close();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(output).isZero();
      assertThat(bodies).hasSize(1);
      assertThat(new ObjectMapper().readTree(bodies.get(0)).get("text").asText()).isEqualTo(
          "region-failover [main]: failover EU -> NAM (said \"down\") at 2026-12-08T01:00:00Z,"
              + " seq 42");
    } finally {
      server.stop(0);
    }
  }
}
