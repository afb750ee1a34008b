package org.regionfailover.time;

import java.util.concurrent.ThreadFactory;

/**
 * The one place the program makes a thread (ArchitectureTest keeps it so). Every thread
 * has a name, so a thread dump and the JVM's report of an uncaught exception (its default
 * handler prints {@code Exception in thread "act"} and the stack trace on stderr) say
 * whose it is; and says whether it may keep the JVM alive, rather than inheriting that
 * from whichever thread happened to create it.
 */
public final class NamedThreads {
  private NamedThreads() {}

  /**
   * A thread, not started, that never keeps the JVM from exiting: for work that is
   * abandoned at exit (a deadline, a call that may hang, a post in the background).
   */
  public static Thread daemon(String name, Runnable task) {
    return thread(name, true, task);
  }

  /**
   * A thread, not started, that the JVM waits for: for work that must finish once begun
   * (the loop, fencing a lost lease, stopping the stack).
   */
  public static Thread lasting(String name, Runnable task) {
    return thread(name, false, task);
  }

  /** For an executor whose threads are all daemons named {@code name}. */
  public static ThreadFactory daemons(String name) {
    return task -> daemon(name, task);
  }

  private static Thread thread(String name, boolean daemon, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(daemon);
    return t;
  }
}
