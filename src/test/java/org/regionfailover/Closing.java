package org.regionfailover;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test opened (a fake cloud, a supervisord, a running command line), closed after
 * it, last opened first, every one even when one fails: register with
 * {@code @RegisterExtension final Closing closing = new Closing();} and open through
 * {@code closing.add(...)}, instead of an {@code @AfterEach} of null checks in each class.
 */
public final class Closing implements AfterEachCallback {
  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  /** {@code resource}, to be closed after the test. */
  public <T extends AutoCloseable> T add(T resource) {
    open.push(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
