package org.regionfailover.coordinate;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.regionfailover.config.CoordinationSettings;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.NamedThreads;

/**
 * The one Curator client of a host, namespaced to its cluster, and the state of its
 * connection as the rest of the host needs it: {@link #connected()} turns false at the
 * first SUSPENDED (the session may be expiring; nothing may be decided on it) and true
 * again only at RECONNECTED. Reports {@code coordination_lost} and
 * {@code coordination_restored} once each way.
 */
public final class ZooKeeperClient implements AutoCloseable {
  static {
    // No JAAS file is configured: without this the client looks for one at every connect
    // and logs a warning. The embedded server of the demo and tests needs no admin server.
    if (System.getProperty("zookeeper.sasl.client") == null) {
      System.setProperty("zookeeper.sasl.client", "false");
    }
  }

  /** The longest a stop waits for the session to close. */
  static final Duration CLOSE_WITHIN = Duration.ofSeconds(1);

  /**
   * One ZooKeeper session, shared by the failover sets of a process: each set's client is a
   * namespace of it ({@code region-failover/CLUSTER/SET}), so four sets cost one
   * connection, one heartbeat and one set of Curator threads, and lose and regain
   * ZooKeeper together. Started by the first client that starts, closed by the last that
   * closes.
   */
  public static final class Session {
    private final CuratorFramework root;
    private final String url;
    private int users;
    private boolean started;
    private boolean closed;

    /** A session with {@code connectString}, with {@code sessionTimeout}; not started. */
    public Session(String connectString, Duration sessionTimeout) {
      int session = (int) sessionTimeout.toMillis();
      this.url = "zookeeper://" + connectString;
      this.root = CuratorFrameworkFactory.builder().connectString(connectString)
          .sessionTimeoutMs(session)
          // A server that does not answer is left for the next one well inside the session.
          .connectionTimeoutMs(Math.max(1000, session / 3))
          .retryPolicy(new ExponentialBackoffRetry(250, 29, 5000))
          .build();
    }

    /** The session of {@code settings}. */
    public Session(CoordinationSettings settings) {
      this(settings.connectString(), settings.sessionTimeout());
    }

    /**
     * A client joins: the session starts connecting with the first (Curator hands out a
     * namespace of a started client only), a few moments before that client's
     * {@link ZooKeeperClient#connect} waits for it.
     */
    synchronized void join() {
      users++;
      start();
    }

    synchronized void start() {
      if (!started && !closed) {
        started = true;
        root.start();
      }
    }

    /** Closes the session once its last client left; bounded, see {@link #close()}. */
    synchronized void leave() {
      users--;
      if (users > 0 || closed) {
        return;
      }
      closed = true;
      Thread t = NamedThreads.daemon("zookeeper-close", root::close);
      t.start();
      try {
        t.join(CLOSE_WITHIN.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    boolean connectedNow() {
      return started && root.getZookeeperClient().isConnected();
    }
  }

  private final Session session;
  private final CuratorFramework curator;
  private final EventLog log;
  private final String url;
  private final ConnectionStateListener stateListener = (c, state) -> changed(state);
  private final CopyOnWriteArrayList<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean connected;
  private volatile boolean lostReported;
  private boolean closed;
  /** What this host does without ZooKeeper, for the coordination_lost message. */
  private String lostMeans = "keeping this host's region and stack, deciding nothing until it"
      + " returns";

  /** A client for {@code settings} on a session of its own; {@link #start()} connects it. */
  public ZooKeeperClient(CoordinationSettings settings, EventLog log) {
    this(new Session(settings), settings, log);
  }

  /** A client for {@code settings} on the shared {@code session}. */
  public ZooKeeperClient(Session session, CoordinationSettings settings, EventLog log) {
    this(session, settings.cluster(), log);
    if (settings.role() == CoordinationSettings.Role.ACTIVE_STANDBY) {
      lostMeans = "a leader stops its stack (it cannot prove it holds the lease), a standby"
          + " keeps its stack stopped, until it returns";
    }
  }

  /** A client of {@code connectString} for {@code cluster}, with {@code sessionTimeout}. */
  public ZooKeeperClient(String connectString, String cluster, Duration sessionTimeout,
      EventLog log) {
    this(new Session(connectString, sessionTimeout), cluster, log);
  }

  private ZooKeeperClient(Session session, String cluster, EventLog log) {
    this.log = Objects.requireNonNull(log, "log");
    this.session = session;
    this.url = session.url;
    session.join();
    this.curator = session.root.usingNamespace(ClusterPaths.namespace(cluster));
    session.root.getConnectionStateListenable().addListener(stateListener);
  }

  /** Starts connecting; returns at once. */
  public void start() {
    session.start();
    // A session another set started may be connected already: no CONNECTED event comes.
    if (session.connectedNow()) {
      changed(ConnectionState.CONNECTED);
    }
  }

  /** Waits at most {@code wait} for the first connection; whether it came. */
  public boolean awaitConnected(Duration wait) throws InterruptedException {
    return session.root.blockUntilConnected((int) wait.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Starts, and waits at most {@code within} for the first connection; without one it
   * reports what the host does {@code meanwhile}. The host runs either way.
   */
  public void connect(Duration within, String meanwhile) throws InterruptedException {
    start();
    if (!awaitConnected(within)) {
      log.emit(Event.warn("coordination_lost", "cannot reach ZooKeeper " + url + " within "
              + within.toSeconds() + " s: " + meanwhile)
          .with("zookeeper", url).with("state", "NOT_CONNECTED"));
    }
  }

  private synchronized void changed(ConnectionState state) {
    boolean now = state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED;
    boolean before = connected;
    connected = now;
    if (!now && !lostReported) {
      lostReported = true;
      log.emit(Event.warn("coordination_lost", "lost ZooKeeper (" + url + ": "
              + state.name().toLowerCase(java.util.Locale.ROOT) + "): " + lostMeans)
          .with("zookeeper", url).with("state", state.name()));
    } else if (now && lostReported) {
      lostReported = false;
      log.emit(Event.info("coordination_restored", "ZooKeeper is back (" + url + ")")
          .with("zookeeper", url).with("state", state.name()));
    } else if (now && !before) {
      log.emit(Event.info("coordination_connected", "connected to ZooKeeper " + url
              + "; session timeout " + negotiatedTimeoutMs() + " ms")
          .with("zookeeper", url).with("session_timeout_ms", negotiatedTimeoutMs()));
    }
    if (now != before) {
      listeners.forEach(l -> l.accept(now));
    }
  }

  private int negotiatedTimeoutMs() {
    try {
      return session.root.getZookeeperClient().getZooKeeper().getSessionTimeout();
    } catch (Exception e) {
      return -1;
    }
  }

  /** Whether the session is usable now: connected, and not suspended since. */
  public boolean connected() {
    return connected;
  }

  /** Called with the new value whenever {@link #connected()} flips, on Curator's thread. */
  public void onConnectedChange(Consumer<Boolean> listener) {
    listeners.add(listener);
  }

  public CuratorFramework curator() {
    return curator;
  }

  public String url() {
    return url;
  }

  /**
   * Runs {@code leaving} (deleting this host's nodes, leaving elections) for at most
   * {@code within}, then closes the client. Without ZooKeeper those deletes retry for
   * minutes and would hold up a stop; the session's expiry removes the nodes anyway.
   */
  public void closeAfter(Runnable leaving, Duration within) throws InterruptedException {
    Thread t = NamedThreads.daemon("zookeeper-leave", leaving);
    t.start();
    t.join(Math.max(1, within.toMillis()));
    if (t.isAlive()) {
      log.emit(Event.warn("coordination_left_unclean", "could not leave the cluster through"
              + " ZooKeeper " + url + " within " + within.toMillis() + " ms; this host's nodes go"
              + " when its session expires").with("zookeeper", url));
    }
    close();
  }

  /**
   * Closes the client: it hears no more of the session, and the session closes with its
   * last client, waiting at most {@link #CLOSE_WITHIN}: closing sends closeSession and
   * waits for its answer without a timeout, so with a frozen server (SIGSTOP, a hung VM) a
   * stop would wait until the connection attempt gives up, longer than a service manager's
   * stop timeout. The session then expires on the servers instead.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    session.root.getConnectionStateListenable().removeListener(stateListener);
    session.leave();
  }
}
