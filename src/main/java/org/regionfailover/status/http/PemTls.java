package org.regionfailover.status.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.Setting;

/**
 * The server's TLS identity from two PEM files, with the JDK alone: a certificate chain
 * (leaf first) and its unencrypted PKCS#8 private key, RSA or EC. Older key formats get
 * the one command that converts them; a key that does not match the certificate is found
 * here, not at the first handshake.
 */
public final class PemTls {
  private static final Pattern KEY = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final String CERT_LABEL = Setting.TLS_CERT.label();
  private static final String KEY_LABEL = Setting.TLS_KEY.label();

  private static final String SERVER_TICKETS = "jdk.tls.server.enableSessionTicketExtension";

  private PemTls() {}

  /** An SSL context serving {@code cert} with {@code key}; problems exit 2 naming the setting. */
  public static SSLContext context(Path cert, Path key) {
    return context(keyManager(cert, key, "server"));
  }

  /** An SSL context serving what {@code keys} chooses (a {@link SwappingKeyManager}, say). */
  public static SSLContext context(X509ExtendedKeyManager keys) {
    // Sessions kept by the server (not in stateless tickets that the client holds), read
    // when the context is made: a certificate reload can then forget them, so no client
    // resumes into the old certificate (SwappingKeyManager.forgetSessions). An operator's
    // -D wins. Resumption saves little on a status server.
    if (System.getProperty(SERVER_TICKETS) == null) {
      System.setProperty(SERVER_TICKETS, "false");
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keys}, null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new ConfigException(CERT_LABEL + " / " + KEY_LABEL, "cannot build a TLS context: "
          + e.getClass().getSimpleName());
    }
  }

  /**
   * The key manager serving {@code cert} with {@code key} under {@code alias}, every file
   * checked (problems name the setting); nothing is served yet.
   */
  public static X509ExtendedKeyManager keyManager(Path cert, Path key, String alias) {
    List<X509Certificate> chain = certificates(cert);
    PrivateKey privateKey = privateKey(key, chain.get(0).getPublicKey().getAlgorithm());
    requireMatch(chain.get(0), privateKey, cert, key);
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, privateKey, password, chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      for (KeyManager km : kmf.getKeyManagers()) {
        if (km instanceof X509ExtendedKeyManager x509) {
          return x509;
        }
      }
      throw new KeyStoreException("no X.509 key manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(CERT_LABEL + " / " + KEY_LABEL, "cannot build a TLS context"
          + " from " + cert + " and " + key + ": " + e.getClass().getSimpleName());
    }
  }

  private static List<X509Certificate> certificates(Path cert) {
    try {
      byte[] bytes = Files.readAllBytes(cert);
      if (!new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
        throw new ConfigException(CERT_LABEL, cert + " has no PEM certificate (BEGIN"
            + " CERTIFICATE); expected the server's certificate chain, leaf first");
      }
      List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(bytes)).stream()
          .map(X509Certificate.class::cast).toList();
      if (chain.isEmpty()) {
        throw new ConfigException(CERT_LABEL, cert + " has no certificate");
      }
      return chain;
    } catch (IOException e) {
      throw new ConfigException(CERT_LABEL, "cannot read " + cert + " ("
          + e.getClass().getSimpleName() + ")");
    } catch (CertificateException e) {
      throw new ConfigException(CERT_LABEL, cert + " is not a valid PEM certificate chain: "
          + e.getMessage());
    }
  }

  private static PrivateKey privateKey(Path key, String algorithm) {
    String text;
    try {
      text = Files.readString(key, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(KEY_LABEL, "cannot read " + key + " ("
          + e.getClass().getSimpleName() + ")");
    }
    String convert = "; convert it to unencrypted PKCS#8 (BEGIN PRIVATE KEY) with: openssl"
        + " pkcs8 -topk8 -nocrypt -in " + key + " -out " + key + ".pk8";
    if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
      throw new ConfigException(KEY_LABEL, key + " is a PKCS#1 RSA key (BEGIN RSA PRIVATE"
          + " KEY)" + convert);
    }
    if (text.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new ConfigException(KEY_LABEL, key + " is a SEC1 EC key (BEGIN EC PRIVATE KEY)"
          + convert);
    }
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new ConfigException(KEY_LABEL, key + " is encrypted (BEGIN ENCRYPTED PRIVATE"
          + " KEY); the server starts unattended, so it needs the key unencrypted, readable by"
          + " root only" + convert);
    }
    Matcher m = KEY.matcher(text);
    if (!m.find()) {
      throw new ConfigException(KEY_LABEL, key + " has no PEM private key (BEGIN PRIVATE"
          + " KEY); expected the unencrypted PKCS#8 key of " + Setting.TLS_CERT.flag());
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | InvalidKeySpecException e) {
      // Never the exception's text: it could quote bytes of the key.
      throw new ConfigException(KEY_LABEL, key + " does not hold a valid " + algorithm
          + " PKCS#8 key, the kind of " + Setting.TLS_CERT.flag() + "'s public key");
    } catch (GeneralSecurityException e) {
      throw new ConfigException(CERT_LABEL, "the certificate's key algorithm " + algorithm
          + " is not supported; expected RSA or EC");
    }
  }

  /** Signs with the key and verifies with the certificate: the one test that fits every algorithm. */
  private static void requireMatch(X509Certificate leaf, PrivateKey key, Path cert, Path keyFile) {
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // falls through: a key that cannot sign for this certificate does not match it
    }
    throw new ConfigException(CERT_LABEL + " / " + KEY_LABEL, "the private key in " + keyFile
        + " does not belong to the first certificate in " + cert + " ("
        + leaf.getSubjectX500Principal().getName() + "); give the key of that certificate");
  }
}
