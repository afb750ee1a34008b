package org.regionfailover.report.datadog;

import com.datadog.api.client.v2.model.HTTPLogItem;
import java.util.List;

/** Somewhere a batch of log items can be posted. */
interface LogsIntake {
  /** Posts one batch once, without retrying, and says what happened; never throws. */
  IntakeResult submit(List<HTTPLogItem> batch);
}
