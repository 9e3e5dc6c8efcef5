package org.plumbline.rules;

import java.util.Objects;
import org.plumbline.ontology.Severity;

/**
 * One window compared with its metric's baseline.
 *
 * @param window the window's label
 * @param kind how the values were compared
 * @param statistic the KS statistic D (CONTINUOUS) or Pearson's chi-square (CATEGORICAL)
 * @param pValue the p-value of that test
 * @param psi the population stability index of the window against the baseline
 * @param beyondThreshold whether the window is beyond the policy's threshold ({@link
 *     MetricPolicy#beyondThreshold})
 * @param severity the severity the effect size suggests ({@link MetricPolicy#severity}); null when
 *     the window is within threshold
 */
public record MetricTestResult(
    String window,
    MetricKind kind,
    double statistic,
    double pValue,
    double psi,
    boolean beyondThreshold,
    Severity severity) {
  public MetricTestResult {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(kind, "kind");
    if (beyondThreshold != (severity != null)) {
      throw new IllegalArgumentException("severity must be given exactly when beyond threshold");
    }
  }
}
