package org.plumbline.rules;

import java.util.Objects;

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
 * @param effect the PSI band of the shift ({@link MetricPolicy#effect}); a window may show a large
 *     effect and still be within threshold when its test cannot confirm it
 * @param sampleSize how many values the window holds ({@link MetricPolicy#sufficient})
 */
public record MetricTestResult(
    String window,
    MetricKind kind,
    double statistic,
    double pValue,
    double psi,
    boolean beyondThreshold,
    EffectSize effect,
    int sampleSize) {
  public MetricTestResult {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(effect, "effect");
    if (sampleSize < 0) {
      throw new IllegalArgumentException("sampleSize must be >= 0: " + sampleSize);
    }
  }
}
