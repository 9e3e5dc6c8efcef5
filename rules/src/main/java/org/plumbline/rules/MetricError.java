package org.plumbline.rules;

import org.plumbline.ontology.ErrorCode;

/** Error codes of behavioural (metric) drift detection. */
public enum MetricError implements ErrorCode {
  /** A metric sample is malformed; each detail is {@code /json/pointer: problem}. */
  INVALID_METRIC_SAMPLE(Kind.INVALID),
  /** A window was posted for a metric that has no baseline sample yet. */
  METRIC_BASELINE_MISSING(Kind.UNPROCESSABLE),
  /** A window's kind differs from the kind of its metric's baseline. */
  METRIC_KIND_MISMATCH(Kind.CONFLICT),
  /** The metric already has a window (or baseline) of that label with other values. */
  METRIC_WINDOW_CONFLICT(Kind.CONFLICT),
  /**
   * A new baseline was posted while the metric has a drift to govern (open, pending, approved for
   * revert or excepted): re-baselining would end it without a governed decision; CODIFY does that.
   */
  METRIC_DRIFT_OPEN(Kind.CONFLICT);

  private final Kind kind;

  MetricError(Kind kind) {
    this.kind = kind;
  }

  @Override
  public Kind kind() {
    return kind;
  }
}
