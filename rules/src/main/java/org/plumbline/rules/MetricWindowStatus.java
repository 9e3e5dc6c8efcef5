package org.plumbline.rules;

import java.util.Objects;

/**
 * One window of a metric's series: its comparison with the baseline and the status the persistence
 * and cool-down rules give it.
 *
 * @param result the window's test results
 * @param status the window's status
 */
public record MetricWindowStatus(MetricTestResult result, MetricStatus status) {
  public MetricWindowStatus {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(status, "status");
  }
}
