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
  /**
   * A drift is open: opened by consecutive windows beyond threshold, and held open until enough
   * consecutive windows are back within threshold (those windows are DRIFT too, not beyond).
   */
  DRIFT,
  /** A drift closed shortly before; a window beyond threshold cannot reopen it yet. */
  COOLDOWN,
  /**
   * Fewer values than the policy's {@code minSampleSize}: stored and shown with its statistics, but
   * it changes neither the tracker nor any drift (a tiny sample must not close, nor open, one).
   */
  INSUFFICIENT
}
