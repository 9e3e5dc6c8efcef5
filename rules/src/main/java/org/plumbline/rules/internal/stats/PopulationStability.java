package org.plumbline.rules.internal.stats;

import java.util.Arrays;

/**
 * The population stability index, PSI = Σ (a_i − e_i)·ln(a_i / e_i), where e_i and a_i are the
 * shares of bin (or category) i in the baseline (expected) and the window (actual).
 *
 * <p>An empty bin's share is taken as {@code epsilon} (default 1e-4, one in ten thousand) so the
 * logarithm stays finite: a category unseen in the baseline then costs a_i·ln(a_i/1e-4), e.g. 0.69
 * for a new category holding 10 % of the window, a significant shift as it should be, and one stray
 * value in a large window costs little. Every term is non-negative whatever epsilon is.
 */
public final class PopulationStability {
  private PopulationStability() {}

  /**
   * PSI of a continuous window over the baseline's quantile bins: the cut points are the baseline's
   * quantiles at 1/bins … (bins−1)/bins by linear interpolation between order statistics
   * (Hyndman-Fan type 7, NumPy's default); equal cut points, which ties in the baseline produce,
   * are merged, so there may be fewer bins. Bins are right-closed: (−∞, c_1], (c_1, c_2], …,
   * (c_last, ∞).
   */
  public static double continuous(double[] baseline, double[] window, int bins, double epsilon) {
    double[] cuts = cutPoints(baseline, bins);
    return index(binCounts(baseline, cuts), binCounts(window, cuts), epsilon);
  }

  /** PSI of a categorical window, over the union of the categories. */
  public static double categorical(CategoryCounts counts, double epsilon) {
    return index(counts.baseline(), counts.window(), epsilon);
  }

  /** PSI of two histograms over the same bins. */
  static double index(long[] expected, long[] actual, double epsilon) {
    double expectedTotal = Arrays.stream(expected).sum();
    double actualTotal = Arrays.stream(actual).sum();
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = Math.max(expected[i] / expectedTotal, epsilon);
      double a = Math.max(actual[i] / actualTotal, epsilon);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }

  /** The distinct cut points of the baseline's quantile bins, ascending. */
  static double[] cutPoints(double[] baseline, int bins) {
    double[] sorted = baseline.clone();
    Arrays.sort(sorted);
    double[] cuts = new double[bins - 1];
    for (int k = 1; k < bins; k++) {
      cuts[k - 1] = quantile(sorted, k, bins);
    }
    return Arrays.stream(cuts).sorted().distinct().toArray(); // sorted: interpolation may round
  }

  /** The type-7 quantile at k/bins of sorted values. */
  private static double quantile(double[] sorted, int k, int bins) {
    double h = (double) (sorted.length - 1) * k / bins;
    int low = (int) Math.floor(h);
    int high = Math.min(low + 1, sorted.length - 1);
    return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
  }

  /** How many values fall in each bin of the cut points. */
  static long[] binCounts(double[] values, double[] cuts) {
    long[] counts = new long[cuts.length + 1];
    for (double value : values) {
      int found = Arrays.binarySearch(cuts, value);
      counts[found >= 0 ? found : -found - 1]++; // equal to a cut: that cut's (right-closed) bin
    }
    return counts;
  }
}
