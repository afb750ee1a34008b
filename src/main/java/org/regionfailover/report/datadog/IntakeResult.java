package org.regionfailover.report.datadog;

import java.time.Duration;
import java.util.Optional;

/** What the intake said about one batch, reduced to what the shipper must do next. */
sealed interface IntakeResult {

  /** The batch was stored; it must not be sent again. */
  record Accepted() implements IntakeResult {}

  /** A passing failure (429, 5xx, network): send the same batch again later. */
  record Retry(String reason, Optional<Duration> notBefore) implements IntakeResult {}

  /**
   * The intake refused the request and will refuse it again (400, 403...). {@code keyProblem}
   * says whether the key is at fault (keep the batch, nothing else could succeed) or the payload
   * (drop the batch, the next one may pass).
   */
  record Rejected(int status, String reason, boolean keyProblem) implements IntakeResult {}
}
