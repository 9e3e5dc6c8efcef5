package org.plumbline.rules;

import java.util.Objects;

/**
 * What the rule packs see of a behavioural drift ({@link DriftFacts#metric()}): the latest window's
 * comparison with the baseline, and how long the metric has stayed beyond threshold.
 *
 * @param metric the metric's name, e.g. {@code output.length}
 * @param kind how its values are compared
 * @param baseline the window label of the baseline
 * @param window the label of the latest window
 * @param statistic the KS statistic D (CONTINUOUS) or Pearson's chi-square (CATEGORICAL)
 * @param pValue the p-value of that test
 * @param psi the population stability index against the baseline
 * @param effect the PSI band, by the pack's own metric thresholds
 * @param windowsBeyond consecutive windows beyond threshold, the latest included
 */
public record MetricEvidence(
    String metric,
    MetricKind kind,
    String baseline,
    String window,
    double statistic,
    double pValue,
    double psi,
    EffectSize effect,
    int windowsBeyond) {
  public MetricEvidence {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(effect, "effect");
  }
}
