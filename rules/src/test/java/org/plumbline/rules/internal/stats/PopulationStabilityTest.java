package org.plumbline.rules.internal.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.plumbline.rules.internal.stats.ChiSquareHomogeneityTest.counts;

import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Reference values computed in plain Python 3.11 from the definitions, independently of this code:
 * shares p = max(count / total, 1e-4), PSI = Σ (a − e)·ln(a / e) with {@code math.log}; cut points
 * the type-7 quantiles s[⌊h⌋] + (h − ⌊h⌋)(s[⌊h⌋+1] − s[⌊h⌋]), h = (n − 1)·k / bins, duplicates
 * dropped; a value goes to the first bin whose cut point it does not exceed.
 */
class PopulationStabilityTest {
  private static final double EPS = 1e-9;
  private static final double EPSILON = 1e-4;

  @Test
  void indexOfTwoHistograms() { // by hand: 0.2·ln(2) + 0 + ... = 0.2407945608651872
    assertEquals(
        0.2407945608651872,
        PopulationStability.index(new long[] {50, 30, 20}, new long[] {30, 30, 40}, EPSILON),
        EPS);
  }

  @Test
  void identicalHistogramsAreStable() {
    assertEquals(
        0.0, PopulationStability.index(new long[] {3, 0, 7}, new long[] {6, 0, 14}, EPSILON));
  }

  @Test
  void categoryUnseenInTheBaselineTakesEpsilon() { // 0.0999·ln(1000) + 2·0.05·ln(10/9)
    CategoryCounts counts =
        CategoryCounts.of(counts("a", 50, "b", 50), counts("a", 45, "b", 45, "c", 10));
    assertEquals(0.7006208039360982, PopulationStability.categorical(counts, EPSILON), EPS);
  }

  @Test
  void categoriesUnseenOnEitherSide() { // baseline a30 b20, window a10 b10 c5
    CategoryCounts counts =
        CategoryCounts.of(counts("a", 30, "b", 20), counts("a", 10, "b", 10, "c", 5));
    assertEquals(1.6005134232840952, PopulationStability.categorical(counts, EPSILON), EPS);
    CategoryCounts reverse =
        CategoryCounts.of(counts("a", 10, "b", 10, "c", 5), counts("a", 30, "b", 20));
    assertEquals(1.6005134232840952, PopulationStability.categorical(reverse, EPSILON), EPS);
  }

  @Test
  void decilesOfTheBaseline() {
    double[] baseline = IntStream.range(0, 100).asDoubleStream().toArray();
    assertArrayEquals(
        new double[] {9.9, 19.8, 29.7, 39.6, 49.5, 59.4, 69.3, 79.2, 89.1},
        PopulationStability.cutPoints(baseline, 10),
        1e-12);
    double[] shifted = DoubleStream.of(baseline).map(v -> v + 15).toArray();
    assertArrayEquals(
        new long[] {0, 5, 10, 10, 10, 10, 10, 10, 10, 25},
        PopulationStability.binCounts(shifted, PopulationStability.cutPoints(baseline, 10)));
    assertEquals(
        0.862185721179436, PopulationStability.continuous(baseline, shifted, 10, EPSILON), EPS);
  }

  @Test
  void tiedCutPointsMerge() { // fifty zeros, then 1..50: deciles 1 to 4 are all 0
    double[] baseline =
        DoubleStream.concat(
                DoubleStream.generate(() -> 0).limit(50),
                IntStream.rangeClosed(1, 50).asDoubleStream())
            .toArray();
    double[] cuts = PopulationStability.cutPoints(baseline, 10);
    assertArrayEquals(new double[] {0.0, 0.5, 10.4, 20.3, 30.2, 40.1}, cuts, 1e-9);
    assertArrayEquals(
        new long[] {50, 0, 10, 10, 10, 10, 10}, PopulationStability.binCounts(baseline, cuts));
    double[] window =
        DoubleStream.concat(
                DoubleStream.generate(() -> 0).limit(20),
                IntStream.rangeClosed(1, 80).asDoubleStream())
            .toArray();
    assertEquals(
        0.6907755278982137, PopulationStability.continuous(baseline, window, 10, EPSILON), EPS);
  }

  @Test
  void constantBaselineStillHasTwoBins() { // everything at 5: one cut point, (−∞, 5] and (5, ∞)
    double[] baseline = DoubleStream.generate(() -> 5).limit(20).toArray();
    double[] window = IntStream.range(0, 20).mapToDouble(i -> i < 10 ? 5 : 6).toArray();
    assertArrayEquals(new double[] {5}, PopulationStability.cutPoints(baseline, 10));
    assertEquals(
        4.60431846666895, PopulationStability.continuous(baseline, window, 10, EPSILON), EPS);
  }

  @Test
  void sameDistributionIsStable() {
    double[] baseline = IntStream.range(0, 100).asDoubleStream().toArray();
    assertEquals(0.0, PopulationStability.continuous(baseline, baseline.clone(), 10, EPSILON));
  }
}
