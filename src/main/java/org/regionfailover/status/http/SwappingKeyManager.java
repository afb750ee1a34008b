package org.regionfailover.status.http;

import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's TLS identity, replaceable while it serves: the JDK's HTTPS server keeps one
 * SSL context for its life, and each new handshake asks this key manager for the
 * certificate and key, so a renewed certificate serves new connections at once while
 * connections already open (and requests in flight on them) go on with the old one.
 *
 * <p>A handshake chooses an alias, then asks for its chain and key: a swap can fall in
 * between. Each identity has an alias of its own and the one before
 * the current is still asked, so such a handshake gets the old chain and key, consistently.
 */
public final class SwappingKeyManager extends X509ExtendedKeyManager {
  /** An identity read from the files, not served yet: give it to {@link #swap}. */
  public record Identity(X509ExtendedKeyManager keys, String alias) {
    /** Its certificate chain, leaf first. */
    public X509Certificate[] chain() {
      return keys.getCertificateChain(alias);
    }
  }

  private record Pair(Identity current, Identity previous) {}

  private final AtomicInteger generation = new AtomicInteger();
  private volatile Pair keys;

  private SwappingKeyManager() {}

  /** Serves {@code cert} with {@code key}; problems are a ConfigException naming the setting. */
  public static SwappingKeyManager serving(Path cert, Path key) {
    SwappingKeyManager m = new SwappingKeyManager();
    m.keys = new Pair(m.read(cert, key), null);
    return m;
  }

  /**
   * Reads and checks {@code cert} and {@code key} under an alias of their own; nothing
   * changes until {@link #swap}. Problems are a ConfigException naming the setting.
   */
  public Identity read(Path cert, Path key) {
    String alias = "server-" + generation.incrementAndGet();
    return new Identity(PemTls.keyManager(cert, key, alias), alias);
  }

  /** From now on, new handshakes take {@code next}. */
  public synchronized void swap(Identity next) {
    keys = new Pair(Objects.requireNonNull(next, "next"), keys.current());
  }

  /**
   * Makes the sessions {@code tls} served so far unusable for resumption: a client resuming
   * one would otherwise be shown the old certificate (it is not sent again) until the
   * session expires, a day later by default.
   */
  public static void forgetSessions(SSLContext tls) {
    SSLSessionContext sessions = tls.getServerSessionContext();
    for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements(); ) {
      SSLSession session = sessions.getSession(ids.nextElement());
      if (session != null) {
        session.invalidate();
      }
    }
  }

  /** What new handshakes get. */
  public Identity current() {
    return keys.current();
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return keys.current().keys().chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return keys.current().keys().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return keys.current().keys().getServerAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Pair p = keys;
    X509Certificate[] chain = p.current().keys().getCertificateChain(alias);
    return chain != null || p.previous() == null ? chain
        : p.previous().keys().getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Pair p = keys;
    PrivateKey key = p.current().keys().getPrivateKey(alias);
    return key != null || p.previous() == null ? key : p.previous().keys().getPrivateKey(alias);
  }

  /** A server has no client identity. */
  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers,
      SSLEngine engine) {
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }
}
