package org.plumbline.rules.internal.stats;

import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * Pearson's chi-square test of homogeneity of two samples of category counts: the 2×k contingency
 * table of baseline and window, k − 1 degrees of freedom, no continuity correction.
 *
 * <p>Homogeneity, not goodness of fit against the baseline's proportions: the baseline is itself a
 * sample, and treating its proportions as exact would understate the variance and flag drift too
 * often; goodness of fit would also divide by zero for a category the baseline never saw. Commons
 * Math's {@link ChiSquareTest#chiSquareDataSetsComparison} is this table's Pearson statistic. Its
 * p-value is taken as the regularized upper incomplete gamma Q((k−1)/2, χ²/2) rather than 1 − CDF,
 * which keeps small p-values from cancelling to 0.
 *
 * <p>As with any Pearson test, the chi-square approximation is rough when expected counts fall
 * below about 5; the decision therefore also requires PSI's effect size.
 */
public final class ChiSquareHomogeneity {
  private static final ChiSquareTest CHI_SQUARE = new ChiSquareTest();

  private ChiSquareHomogeneity() {}

  /**
   * The statistic and p-value for the counts; with fewer than two categories between them the two
   * samples cannot differ (statistic 0, p-value 1).
   */
  public static TestStatistic test(CategoryCounts counts) {
    int k = counts.categories().size();
    if (k < 2) {
      return new TestStatistic(0, 1);
    }
    double statistic = CHI_SQUARE.chiSquareDataSetsComparison(counts.baseline(), counts.window());
    return new TestStatistic(statistic, Gamma.regularizedGammaQ((k - 1) / 2.0, statistic / 2));
  }
}
