package org.plumbline.ontology;

import java.time.Instant;

/**
 * What a list of drifts filters and sorts on, without the drift's assessment, values or trail: the
 * store keeps one beside each drift, written in the same transaction, so the inbox can filter and
 * order thousands of drifts and read in full only the page it shows.
 */
public record DriftSummary(
    String id,
    String environment,
    String key,
    DriftStatus status,
    Severity severity,
    RiskCategory riskCategory,
    Authorization authorization,
    DriftKind kind,
    Instant detectedAt) {

  /** The summary of a drift as it is stored. */
  public static DriftSummary of(Drift d) {
    Assessment a = d.assessment();
    return new DriftSummary(
        d.id(),
        d.environment(),
        d.key(),
        d.status(),
        a.severity(),
        a.riskCategory(),
        a.authorization(),
        d.kind(),
        d.detectedAt());
  }
}
