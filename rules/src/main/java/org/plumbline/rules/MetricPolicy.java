package org.plumbline.rules;

/**
 * Thresholds of behavioural drift detection. The active rule pack decides them per tier (its {@code
 * metric-thresholds.drl.csv}, read by {@link RulePack#metricPolicy}); {@link #DEFAULT} holds the
 * values the shipped pack decides for every tier.
 *
 * <p>A window is <em>beyond threshold</em> when its effect size and its test agree: PSI at least
 * {@code psiModerate} and p-value below {@code pValue} (for a continuous metric the KS statistic
 * must also exceed {@code ksStatistic}). Effect size is required because with large windows a
 * negligible shift is "significant"; the test is required because with small windows PSI is
 * inflated by sampling noise.
 *
 * <p>A window of fewer than {@code minSampleSize} values is {@link MetricStatus#INSUFFICIENT}: it
 * is stored and shown, but neither counts towards opening a drift nor towards closing one. Closing
 * is as deliberate as opening: {@code closingWindows} consecutive windows within threshold close a
 * drift, as {@code persistenceWindows} consecutive ones beyond threshold open it.
 *
 * @param psiModerate PSI from which a shift is moderate (default 0.1; below is stable)
 * @param psiSignificant PSI above which a shift is significant (default 0.2)
 * @param psiCritical PSI above which a shift is critical (default 0.5)
 * @param ksStatistic KS statistic D a continuous window must exceed (default 0.1)
 * @param pValue p-value a window's test must fall below (default 0.05)
 * @param minSampleSize values a window needs to count at all (default 30)
 * @param persistenceWindows consecutive windows beyond threshold that open a drift (default 3)
 * @param closingWindows consecutive windows within threshold that close an open drift (default 3)
 * @param cooldownWindows windows after a drift closes during which it cannot reopen (default 2)
 * @param psiBins quantile bins of the baseline for a continuous metric's PSI (default 10: deciles)
 * @param psiEpsilon proportion that stands in for an empty bin or unseen category (default 1e-4)
 */
public record MetricPolicy(
    double psiModerate,
    double psiSignificant,
    double psiCritical,
    double ksStatistic,
    double pValue,
    int minSampleSize,
    int persistenceWindows,
    int closingWindows,
    int cooldownWindows,
    int psiBins,
    double psiEpsilon) {
  /** The shipped policy. */
  public static final MetricPolicy DEFAULT =
      new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0.05, 30, 3, 3, 2, 10, 1e-4);

  public MetricPolicy {
    require(psiModerate > 0, "psiModerate must be > 0: " + psiModerate);
    require(psiSignificant >= psiModerate, "psiSignificant must be >= psiModerate");
    require(psiCritical >= psiSignificant, "psiCritical must be >= psiSignificant");
    require(ksStatistic >= 0 && ksStatistic < 1, "ksStatistic must be in [0, 1): " + ksStatistic);
    require(pValue > 0 && pValue < 1, "pValue must be in (0, 1): " + pValue);
    // the statistics need a few values each (MetricSample refuses fewer than 5)
    require(minSampleSize >= 5, "minSampleSize must be >= 5: " + minSampleSize);
    require(persistenceWindows >= 1, "persistenceWindows must be >= 1: " + persistenceWindows);
    require(closingWindows >= 1, "closingWindows must be >= 1: " + closingWindows);
    require(cooldownWindows >= 0, "cooldownWindows must be >= 0: " + cooldownWindows);
    require(psiBins >= 2, "psiBins must be >= 2: " + psiBins);
    // an epsilon as large as a real bin's share would hide the very shifts PSI is there to show
    require(
        psiEpsilon > 0 && psiEpsilon < 1.0 / psiBins,
        "psiEpsilon must be in (0, 1/psiBins): " + psiEpsilon);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Whether a window of {@code values} values counts towards opening or closing a drift. */
  public boolean sufficient(int values) {
    return values >= minSampleSize;
  }

  /**
   * Whether one window's results are beyond threshold (see the class description).
   *
   * @param statistic KS statistic D for a continuous metric; ignored for a categorical one
   */
  public boolean beyondThreshold(MetricKind kind, double statistic, double pValue, double psi) {
    boolean supported =
        pValue < this.pValue && (kind != MetricKind.CONTINUOUS || statistic > ksStatistic);
    return psi >= psiModerate && supported;
  }

  /**
   * The PSI band of an effect: {@link EffectSize#STABLE} below {@code psiModerate}, {@link
   * EffectSize#MODERATE} from it up to {@code psiSignificant}, {@link EffectSize#SIGNIFICANT} above
   * that up to {@code psiCritical}, {@link EffectSize#CRITICAL} above. Which severity a band starts
   * from, and how the environment's tier raises it, is the rule packs' business.
   */
  public EffectSize effect(double psi) {
    if (psi > psiCritical) {
      return EffectSize.CRITICAL;
    }
    if (psi > psiSignificant) {
      return EffectSize.SIGNIFICANT;
    }
    return psi >= psiModerate ? EffectSize.MODERATE : EffectSize.STABLE;
  }
}
