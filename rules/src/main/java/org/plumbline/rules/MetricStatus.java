package org.plumbline.rules;

/**
 * Where a metric stands in one window, as decided by {@link MetricDriftTracker}; the {@code status}
 * of GraphQL's {@code MetricWindow}.
 */
public enum MetricStatus {
  /** Within threshold, no drift open. */
  STABLE,
  /** Beyond threshold, but not yet in enough consecutive windows to open a drift. */
  BREACH,
  /** A drift is open: opened by, and held open by, consecutive windows beyond threshold. */
  DRIFT,
  /** A drift closed shortly before; a window beyond threshold cannot reopen it yet. */
  COOLDOWN
}
