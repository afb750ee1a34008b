package org.regionfailover;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates and keys for localhost in the formats operators bring, made by
 * the machine's openssl: PKCS#8 (what the server takes) and the older PKCS#1 and SEC1.
 */
public record PemFiles(Path cert, Path key) {
  /** An RSA certificate and its PKCS#8 key, named {@code name}.pem / {@code name}.key. */
  public static PemFiles rsa(Path dir, String name) throws IOException, InterruptedException {
    return make(dir, name, List.of("-newkey", "rsa:2048"));
  }

  /** An EC (P-256) certificate and its PKCS#8 key. */
  public static PemFiles ec(Path dir, String name) throws IOException, InterruptedException {
    return make(dir, name, List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
  }

  /** This key rewritten as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}). */
  public Path traditionalKey() throws IOException, InterruptedException {
    Path out = key.resolveSibling(key.getFileName() + ".traditional");
    openssl(List.of("pkey", "-in", key.toString(), "-traditional", "-out", out.toString()));
    return out;
  }

  /** This key encrypted with a pass phrase ({@code BEGIN ENCRYPTED PRIVATE KEY}). */
  public Path encryptedKey() throws IOException, InterruptedException {
    Path out = key.resolveSibling(key.getFileName() + ".encrypted");
    openssl(List.of("pkcs8", "-topk8", "-in", key.toString(), "-passout", "pass:test-pass",
        "-out", out.toString()));
    return out;
  }

  private static PemFiles make(Path dir, String name, List<String> keyArgs)
      throws IOException, InterruptedException {
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    List<String> args = new ArrayList<>(List.of("req", "-x509"));
    args.addAll(keyArgs);
    args.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days",
        "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"));
    openssl(args);
    return new PemFiles(cert, key);
  }

  private static void openssl(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl failed: " + cmd + ": " + output);
    }
  }
}
