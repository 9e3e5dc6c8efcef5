package org.plumbline.ontology;

import java.time.Instant;

/**
 * One departure from what was declared: a configuration key whose observed value differs from the
 * blueprint's, or a behavioural metric that moved away from its baseline ({@link DriftKind}).
 * {@code expected}/{@code actual} are canonical JSON texts, null when absent. {@code updatedAt} is
 * when the drift last moved.
 */
public record Drift(
    String id,
    String environment,
    String key,
    String expected,
    String actual,
    Instant detectedAt,
    Instant updatedAt,
    DriftStatus status,
    Assessment assessment,
    DriftKind kind) {

  public Drift withStatus(DriftStatus newStatus, Instant at) {
    return new Drift(
        id, environment, key, expected, actual, detectedAt, at, newStatus, assessment, kind);
  }

  /** Whether this drift is of a behavioural metric rather than of a configuration key. */
  public boolean isMetric() {
    return kind == DriftKind.METRIC;
  }

  /** Whether this drift is of a configuration key (not of a metric, not of observation). */
  public boolean isConfig() {
    return kind == DriftKind.CONFIG;
  }
}
