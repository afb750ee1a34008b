package org.regionfailover;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate (for localhost unless said otherwise), made with the JDK's
 * keytool: a keystore for a test TLS server and the certificate as PEM for the client to trust.
 */
public record TestCertificate(Path keystore, String password, Path pem) {

  /** Creates the keystore and PEM in {@code dir}. */
  public static TestCertificate create(Path dir) throws IOException, InterruptedException {
    return create(dir, "localhost", "SAN=dns:localhost,ip:127.0.0.1");
  }

  /** A certificate issued for {@code name} only (not localhost), e.g. a tunnel's. */
  public static TestCertificate forName(Path dir, String name)
      throws IOException, InterruptedException {
    return create(dir, name, "SAN=dns:" + name);
  }

  private static TestCertificate create(Path dir, String cn, String san)
      throws IOException, InterruptedException {
    Path ks = dir.resolve(cn + ".p12");
    Path pem = dir.resolve(cn + ".pem");
    String pw = "test-password";
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
        "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", pw, "-keypass", pw,
        "-dname", "CN=" + cn, "-ext", san, "-validity", "2"));
    run(List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", ks.toString(),
        "-storepass", pw, "-file", pem.toString()));
    return new TestCertificate(ks, pw, pem);
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
  }
}
