package org.plumbline.ontology;

import java.time.Instant;

/**
 * One key whose observed value differs from the blueprint's. {@code expected}/{@code actual} are
 * canonical JSON texts, null when absent. {@code updatedAt} is when the drift last moved.
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
    Assessment assessment) {

  public Drift withStatus(DriftStatus newStatus, Instant at) {
    return new Drift(id, environment, key, expected, actual, detectedAt, at, newStatus, assessment);
  }
}
