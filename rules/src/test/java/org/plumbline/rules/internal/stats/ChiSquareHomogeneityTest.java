package org.plumbline.rules.internal.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reference values: the SciPy documentation's example of {@code scipy.stats.chi2_contingency}
 * (docstring of {@code scipy/stats/contingency.py}, "A two-way example (2 x 3)"); the others in
 * plain Python 3.11: Pearson's statistic of the 2×k table in exact fractions, Σ (O − E)²/E with E =
 * row total × column total / N, and its p-value by the closed forms of the regularized upper
 * incomplete gamma Q(dof/2, x/2): e^(−x/2) Σ_{j&lt;dof/2} (x/2)^j / j! for even dof, erfc(√(x/2))
 * for dof 1.
 */
class ChiSquareHomogeneityTest {
  private static final double EPS = 1e-9;

  @Test
  void scipyDocumentationExample() { // obs = [[10, 10, 20], [20, 20, 20]]
    TestStatistic chi = test(counts("a", 10, "b", 10, "c", 20), counts("a", 20, "b", 20, "c", 20));
    assertEquals(2.7777777777777777, chi.statistic(), EPS);
    assertEquals(0.24935220877729619, chi.pValue(), EPS);
  }

  @Test
  void categoryUnseenInTheBaselineJoinsTheTable() { // [[30, 20, 0], [10, 10, 5]]: x = 45/4
    TestStatistic chi = test(counts("a", 30, "b", 20), counts("a", 10, "b", 10, "c", 5));
    assertEquals(11.25, chi.statistic(), EPS);
    assertEquals(0.0036065631360157305, chi.pValue(), EPS);
  }

  @Test
  void oneDegreeOfFreedomWithoutYatesCorrection() { // [[40, 10], [25, 25]]: x = 900/91
    TestStatistic chi = test(counts("a", 40, "b", 10), counts("a", 25, "b", 25));
    assertEquals(9.89010989010989, chi.statistic(), EPS);
    assertEquals(0.001661694457983511, chi.pValue(), EPS);
  }

  @Test
  void categoryUnseenInTheWindow() { // [[5, 9, 6, 8, 4], [12, 7, 9, 3, 0]], dof 4
    TestStatistic chi =
        test(
            counts("a", 5, "b", 9, "c", 6, "d", 8, "e", 4),
            counts("a", 12, "b", 7, "c", 9, "d", 3));
    assertEquals(148280391.0 / 14840320, chi.statistic(), EPS);
    assertEquals(0.04056731029946751, chi.pValue(), EPS);
  }

  @Test
  void oneCategoryBetweenThemCannotDiffer() {
    assertEquals(new TestStatistic(0, 1), test(counts("a", 5), counts("a", 9)));
  }

  @Test
  void countsCoverTheUnionSorted() {
    CategoryCounts counts = CategoryCounts.of(List.of("b", "a", "b"), List.of("c", "b"));
    assertEquals(List.of("a", "b", "c"), counts.categories());
    assertArrayEquals(new long[] {1, 2, 0}, counts.baseline());
    assertArrayEquals(new long[] {0, 1, 1}, counts.window());
  }

  private static TestStatistic test(List<String> baseline, List<String> window) {
    return ChiSquareHomogeneity.test(CategoryCounts.of(baseline, window));
  }

  /** Labels from (label, count) pairs. */
  static List<String> counts(Object... labelsAndCounts) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < labelsAndCounts.length; i += 2) {
      for (int n = 0; n < (Integer) labelsAndCounts[i + 1]; n++) {
        labels.add((String) labelsAndCounts[i]);
      }
    }
    return labels;
  }
}
