package org.plumbline.rules;

/**
 * How far a metric window's distribution moved from its baseline, as a band of its population
 * stability index ({@link MetricPolicy#effect}). The bands' edges are policy (the rule pack's
 * metric thresholds); the severity each band starts from is the rule packs' too.
 */
public enum EffectSize {
  /** PSI below {@code psiModerate} (default 0.1): no shift worth naming. */
  STABLE,
  /** PSI from {@code psiModerate} up to {@code psiSignificant} (default 0.1 to 0.2). */
  MODERATE,
  /** PSI above {@code psiSignificant} up to {@code psiCritical} (default above 0.2). */
  SIGNIFICANT,
  /** PSI above {@code psiCritical} (default 0.5): the distribution is a different one. */
  CRITICAL
}
