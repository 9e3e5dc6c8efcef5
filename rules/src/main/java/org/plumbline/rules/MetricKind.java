package org.plumbline.rules;

/**
 * How a behavioural metric's values are compared with its baseline (CONTRACT section 2, metric
 * samples).
 */
public enum MetricKind {
  /** Real numbers: two-sample Kolmogorov-Smirnov test and PSI over baseline quantile bins. */
  CONTINUOUS,
  /** Category labels: chi-square test of homogeneity and PSI over the categories. */
  CATEGORICAL
}
