package org.plumbline.rules;

import java.util.List;
import java.util.Objects;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.rules.internal.stats.CategoryCounts;
import org.plumbline.rules.internal.stats.ChiSquareHomogeneity;
import org.plumbline.rules.internal.stats.KolmogorovSmirnov;
import org.plumbline.rules.internal.stats.PopulationStability;
import org.plumbline.rules.internal.stats.TestStatistic;

/**
 * Behavioural drift of a metric: each window compared with the metric's baseline, then the series
 * put through {@link MetricDriftTracker}. Pure and thread-safe; storage and transport are the
 * callers'.
 *
 * <ul>
 *   <li>{@link MetricKind#CONTINUOUS}: two-sample Kolmogorov-Smirnov (exact p-value while the two
 *       samples hold at most 1000 values together, asymptotic beyond) and PSI over the baseline's
 *       {@code psiBins} quantile bins.
 *   <li>{@link MetricKind#CATEGORICAL}: Pearson chi-square test of homogeneity of the 2×k table of
 *       baseline and window counts, and PSI over the categories; a category seen on one side only
 *       counts 0 on the other.
 * </ul>
 *
 * Empty bins and unseen categories take the policy's {@code psiEpsilon} as their share.
 */
public final class BehaviouralDrift {
  private final MetricPolicy policy;

  public BehaviouralDrift(MetricPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** Detection with {@link MetricPolicy#DEFAULT}. */
  public BehaviouralDrift() {
    this(MetricPolicy.DEFAULT);
  }

  public MetricPolicy policy() {
    return policy;
  }

  /**
   * Compares one window with the baseline.
   *
   * @param baseline the metric's baseline, or null when none was posted
   * @throws PlumblineException {@link MetricError#METRIC_BASELINE_MISSING} without a baseline,
   *     {@link MetricError#METRIC_KIND_MISMATCH} when the window's kind differs from the baseline's
   * @throws IllegalArgumentException when the two samples are of different environments or metrics
   */
  public MetricTestResult test(MetricSample baseline, MetricSample window) {
    Objects.requireNonNull(window, "window");
    requireComparable(baseline, window);
    TestStatistic test;
    double psi;
    if (baseline.values() instanceof MetricValues.Continuous continuous) {
      double[] expected = continuous.toArray();
      double[] actual = ((MetricValues.Continuous) window.values()).toArray();
      test = KolmogorovSmirnov.test(expected, actual);
      psi = PopulationStability.continuous(expected, actual, policy.psiBins(), policy.psiEpsilon());
    } else {
      CategoryCounts counts =
          CategoryCounts.of(
              ((MetricValues.Categorical) baseline.values()).values(),
              ((MetricValues.Categorical) window.values()).values());
      test = ChiSquareHomogeneity.test(counts);
      psi = PopulationStability.categorical(counts, policy.psiEpsilon());
    }
    boolean beyond = policy.beyondThreshold(window.kind(), test.statistic(), test.pValue(), psi);
    return new MetricTestResult(
        window.window(),
        window.kind(),
        test.statistic(),
        test.pValue(),
        psi,
        beyond,
        policy.effect(psi),
        window.values().values().size());
  }

  /**
   * Compares every window with the baseline and gives each its status.
   *
   * @param windows the metric's windows, oldest first
   * @throws PlumblineException as {@link #test}
   */
  public List<MetricWindowStatus> series(MetricSample baseline, List<MetricSample> windows) {
    return MetricDriftTracker.track(
        windows.stream().map(window -> test(baseline, window)).toList(), policy);
  }

  private static void requireComparable(MetricSample baseline, MetricSample window) {
    if (baseline == null) {
      throw new PlumblineException(
          MetricError.METRIC_BASELINE_MISSING,
          "metric "
              + window.metric()
              + " of environment "
              + window.environment()
              + " has no baseline: post a sample with baseline: true first",
          List.of("/metric: " + window.metric(), "/baseline: false"));
    }
    if (!baseline.environment().equals(window.environment())
        || !baseline.metric().equals(window.metric())) {
      throw new IllegalArgumentException(
          "baseline and window must be of one environment and metric: "
              + baseline.environment()
              + "/"
              + baseline.metric()
              + " vs "
              + window.environment()
              + "/"
              + window.metric());
    }
    if (baseline.kind() != window.kind()) {
      throw new PlumblineException(
          MetricError.METRIC_KIND_MISMATCH,
          "metric "
              + window.metric()
              + " is "
              + baseline.kind()
              + " in its baseline but window "
              + window.window()
              + " is "
              + window.kind(),
          List.of("/kind: " + window.kind() + " differs from the baseline's " + baseline.kind()));
    }
  }
}
