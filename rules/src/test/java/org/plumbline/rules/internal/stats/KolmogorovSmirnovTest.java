package org.plumbline.rules.internal.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.junit.jupiter.api.Test;

/**
 * Reference values: SciPy's own test suite, {@code scipy/stats/tests/test_stats.py}, class {@code
 * TestKSTwoSamples} (two-sided, {@code ks_2samp} exact mode), each re-derived to 1e-15 by an
 * independent exact count in plain Python 3.11 (fractions and integers): the number of lattice
 * paths from (0,0) to (n,m) that stay strictly inside |i/n − j/m| &lt; d, p = 1 − paths / C(n+m,
 * n). Asymptotic values: the Kolmogorov series Q(t) = 2 Σ_{k≥1} (−1)^(k−1) e^(−2k²t²), t =
 * d·√(nm/(n+m)), summed to 200 terms in Python.
 */
class KolmogorovSmirnovTest {
  private static final double EPS = 1e-9;

  @Test
  void twoVsThreeExact() { // testTwoVsThree: data1 - 0.01 against [1, 2, 3]
    TestStatistic ks = KolmogorovSmirnov.test(new double[] {0.99, 1.99}, new double[] {1, 2, 3});
    assertEquals(2.0 / 3, ks.statistic(), 1e-12);
    assertEquals(0.6, ks.pValue(), EPS);
  }

  @Test
  void twoVsFourExact() { // testTwoVsFour
    double[] four = {1, 2, 3, 4};
    TestStatistic plus = KolmogorovSmirnov.test(new double[] {1.01, 2.01}, four);
    assertEquals(0.5, plus.statistic(), 1e-12);
    assertEquals(14.0 / 15, plus.pValue(), EPS);
    TestStatistic minus = KolmogorovSmirnov.test(new double[] {0.99, 1.99}, four);
    assertEquals(0.75, minus.statistic(), 1e-12);
    assertEquals(6.0 / 15, minus.pValue(), EPS);
  }

  @Test
  void tiesAreCountedNotJittered() { // testRepeatedValues
    double[] x2233 = repeat(new double[] {2, 3, 5, 6}, new int[] {3, 4, 5, 4});
    double[] x3344 = DoubleStream.of(x2233).map(v -> v + 1).toArray();
    TestStatistic ks = KolmogorovSmirnov.test(x2233, x3344);
    assertEquals(5.0 / 16, ks.statistic(), 1e-12);
    assertEquals(0.4262934613454952, ks.pValue(), EPS);

    double[] x2356 = repeat(new double[] {2, 3, 5, 6}, new int[] {3, 4, 10, 4});
    double[] x3467 = repeat(new double[] {3, 4, 6, 7}, new int[] {10, 2, 10, 4});
    TestStatistic other = KolmogorovSmirnov.test(x2356, x3467);
    assertEquals(190.0 / 21 / 26, other.statistic(), 1e-12);
    assertEquals(0.0919245790168125, other.pValue(), EPS);
  }

  @Test
  void commonsMathDefaultWouldAnswerAStrictInequalityAfterJitter() {
    double[] x2233 = repeat(new double[] {2, 3, 5, 6}, new int[] {3, 4, 5, 4});
    double[] x3344 = DoubleStream.of(x2233).map(v -> v + 1).toArray();
    double library =
        new org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest()
            .kolmogorovSmirnovTest(x2233, x3344);
    assertEquals(0.2145, library, 1e-3); // why we do not use it: SciPy says 0.4263
  }

  @Test
  void exactWhileTheSamplesHoldAtMostAThousandValues() { // test100_110: n*m = 11 000
    double[] x100 = linspace(1, 100, 100, 0);
    double[] x110 = linspace(1, 100, 110, 20.1);
    TestStatistic ks = KolmogorovSmirnov.test(x100, x110);
    assertEquals(232.0 / 1100, ks.statistic(), 1e-12);
    assertEquals(0.015739183865607353, ks.pValue(), EPS); // asymptotic would say 0.018931
  }

  @Test
  void nearlyIdenticalSamplesExact() { // test100_100: x100 against x100 + 2.1
    TestStatistic ks = KolmogorovSmirnov.test(linspace(1, 100, 100, 0), linspace(1, 100, 100, 2.1));
    assertEquals(0.03, ks.statistic(), 1e-12);
    assertEquals(0.9999999999962055, ks.pValue(), EPS);
  }

  @Test
  void asymptoticBeyondAThousandValues() {
    double[] x = IntStream.range(0, 600).mapToDouble(i -> i / 600.0).toArray();
    double[] y = IntStream.range(0, 500).mapToDouble(j -> j / 500.0 + 0.05).toArray();
    TestStatistic ks = KolmogorovSmirnov.test(x, y);
    assertEquals(31.0 / 600, ks.statistic(), 1e-12);
    assertEquals(0.4603998863895178, ks.pValue(), EPS);

    double[] near = IntStream.range(0, 500).mapToDouble(j -> j / 500.0 + 0.01).toArray();
    TestStatistic close = KolmogorovSmirnov.test(x, near); // t = 0.193, just above the cut-off
    assertEquals(7.0 / 600, close.statistic(), 1e-12);
    assertEquals(0.9999999999999526, close.pValue(), EPS);
  }

  @Test
  void tinyStatisticsAnswerOneWhereTheLibrarySeriesGivesUp() {
    assertEquals(1.0, KolmogorovSmirnov.pValue(1e-9, 600, 601));
    assertThrows(
        TooManyIterationsException.class,
        () ->
            new org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest()
                .approximateP(1e-9, 600, 601));
  }

  @Test
  void identicalSamplesAreNotDifferent() {
    double[] x = {1, 2, 2, 3, 5};
    assertEquals(new TestStatistic(0, 1), KolmogorovSmirnov.test(x, x.clone()));
    double[] large = IntStream.range(0, 800).mapToDouble(i -> i % 7).toArray();
    assertEquals(new TestStatistic(0, 1), KolmogorovSmirnov.test(large, large.clone()));
  }

  private static double[] repeat(double[] values, int[] times) {
    return IntStream.range(0, values.length)
        .boxed()
        .flatMapToDouble(i -> DoubleStream.generate(() -> values[i]).limit(times[i]))
        .toArray();
  }

  /** NumPy's {@code linspace(start, stop, n) + shift}, computed as NumPy does for these values. */
  private static double[] linspace(double start, double stop, int n, double shift) {
    double step = (stop - start) / (n - 1);
    return IntStream.range(0, n).mapToDouble(i -> start + i * step + shift).toArray();
  }
}
