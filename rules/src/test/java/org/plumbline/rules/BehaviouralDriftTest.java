package org.plumbline.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.PlumblineException;

/**
 * End to end over the public API. Reference values computed in plain Python 3.11, independently of
 * Commons Math: the exact two-sample KS p-value by counting lattice paths in integers, Pearson's
 * chi-square in fractions with Q(1, x/2) = e^(−x/2) for 2 degrees of freedom, PSI from its
 * definition (see the tests in {@code internal.stats}). The 3-shift p-value also appears in SciPy's
 * {@code test_stats.py}, {@code TestKSTwoSamples.test100_100}.
 */
class BehaviouralDriftTest {
  private static final double EPS = 1e-9;
  private static final String ENV = "credit-model-prod";
  private static final BehaviouralDrift DRIFT = new BehaviouralDrift();

  @Test
  void smallShiftIsStable() {
    MetricTestResult result = DRIFT.test(lengths("baseline", 0, true), lengths("w1", 3, false));
    assertEquals("w1", result.window());
    assertEquals(MetricKind.CONTINUOUS, result.kind());
    assertEquals(0.03, result.statistic(), 1e-12);
    assertEquals(0.9999999999962055, result.pValue(), EPS);
    assertEquals(0.0185711762521867, result.psi(), EPS);
    assertFalse(result.beyondThreshold());
    assertEquals(EffectSize.STABLE, result.effect());
  }

  @Test
  void largePsiWithoutSignificanceIsNotABreach() { // 100 values a side cannot confirm D = 0.15
    MetricTestResult result = DRIFT.test(lengths("baseline", 0, true), lengths("w1", 15, false));
    assertEquals(0.15, result.statistic(), 1e-12);
    assertEquals(0.21117008625127567, result.pValue(), EPS);
    assertEquals(0.862185721179436, result.psi(), EPS);
    assertFalse(result.beyondThreshold());
    assertEquals(EffectSize.CRITICAL, result.effect(), "a large effect the test cannot confirm");
  }

  @Test
  void shiftBeyondThreshold() {
    MetricTestResult result = DRIFT.test(lengths("baseline", 0, true), lengths("w1", 30, false));
    assertEquals(0.3, result.statistic(), 1e-12);
    assertEquals(0.00022487393174924783, result.pValue(), EPS);
    assertEquals(2.486142565446914, result.psi(), EPS);
    assertTrue(result.beyondThreshold());
    assertEquals(EffectSize.CRITICAL, result.effect());
  }

  @Test
  void categoryUnseenInTheBaseline() { // [[50, 50, 0], [45, 45, 10]]: x = 200/19
    MetricTestResult result =
        DRIFT.test(
            labels("baseline", true, "a", 50, "b", 50),
            labels("w1", false, "a", 45, "b", 45, "c", 10));
    assertEquals(200.0 / 19, result.statistic(), EPS);
    assertEquals(0.005178924370597751, result.pValue(), EPS);
    assertEquals(0.7006208039360982, result.psi(), EPS);
    assertEquals(EffectSize.CRITICAL, result.effect());
  }

  @Test
  void categoryUnseenInTheWindow() { // [[40, 30, 30], [60, 0, 40]]: x = 248/7
    MetricTestResult result =
        DRIFT.test(
            labels("baseline", true, "a", 40, "b", 30, "c", 30),
            labels("w1", false, "a", 60, "c", 40));
    assertEquals(248.0 / 7, result.statistic(), EPS);
    assertEquals(2.026671981316515e-08, result.pValue(), EPS);
    assertEquals(2.51097086240512, result.psi(), EPS);
    assertTrue(result.beyondThreshold());
  }

  @Test
  void seriesGoesThroughPersistenceAndCooldown() {
    MetricSample baseline = lengths("baseline", 0, true);
    // closing is as deliberate as opening: three windows back within threshold close the drift
    int[] shifts = {30, 30, 30, 30, 0, 0, 0, 30, 30, 30, 30, 30};
    List<MetricSample> windows =
        IntStream.range(0, shifts.length)
            .mapToObj(i -> lengths("w" + i, shifts[i], false))
            .toList();
    String statuses =
        DRIFT.series(baseline, windows).stream()
            .map(s -> s.status().name().substring(0, 1))
            .collect(Collectors.joining());
    assertEquals("BBDDDDSCCBBD", statuses);
  }

  @Test
  void missingBaseline() {
    PlumblineException error =
        assertThrows(PlumblineException.class, () -> DRIFT.test(null, lengths("w1", 0, false)));
    assertEquals(MetricError.METRIC_BASELINE_MISSING, error.code());
    assertTrue(error.getMessage().contains("output.length"), error.getMessage());
    assertEquals(List.of("/metric: output.length", "/baseline: false"), error.details());
  }

  @Test
  void kindMismatch() {
    PlumblineException error =
        assertThrows(
            PlumblineException.class,
            () ->
                DRIFT.test(lengths("baseline", 0, true), labelsOf("output.length", "w1", "a", 5)));
    assertEquals(MetricError.METRIC_KIND_MISMATCH, error.code());
    assertEquals(
        List.of("/kind: CATEGORICAL differs from the baseline's CONTINUOUS"), error.details());
  }

  @Test
  void samplesOfAnotherMetricAreAProgrammingError() {
    assertThrows(
        IllegalArgumentException.class,
        () -> DRIFT.test(labels("baseline", true, "a", 5), labelsOf("other", "w1", "a", 5)));
  }

  /** Fuzz: any valid pair of samples gives finite results in range, never another exception. */
  @Test
  void anyValidSamplesGiveResultsInRange() {
    Random random = new Random(20261120);
    for (int round = 0; round < 400; round++) {
      boolean continuous = random.nextBoolean();
      MetricSample baseline = randomSample(random, continuous, "baseline", round % 50 == 0);
      MetricSample window = randomSample(random, continuous, "w", round % 70 == 0);
      MetricTestResult result = DRIFT.test(baseline, window);
      String where = baseline + " / " + window;
      assertTrue(result.pValue() >= 0 && result.pValue() <= 1, where);
      assertTrue(result.psi() >= 0 && Double.isFinite(result.psi()), where);
      assertTrue(result.statistic() >= 0 && Double.isFinite(result.statistic()), where);
    }
  }

  private static MetricSample randomSample(
      Random random, boolean continuous, String window, boolean large) {
    int size = large ? 600 + random.nextInt(600) : MetricSample.MIN_VALUES + random.nextInt(60);
    int spread = 1 + random.nextInt(12); // few distinct values: many ties and unseen categories
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int v = random.nextInt(spread);
      values.add(
          continuous ? (random.nextBoolean() ? v : random.nextGaussian() * spread) : "c" + v);
    }
    return MetricSample.of(
        ENV, "m", continuous ? "CONTINUOUS" : "CATEGORICAL", window, false, values);
  }

  /** 100 output lengths, 0..99 plus {@code shift}. */
  private static MetricSample lengths(String window, int shift, boolean baseline) {
    List<Double> values = IntStream.range(0, 100).mapToObj(v -> (double) v + shift).toList();
    return new MetricSample(
        ENV, "output.length", window, baseline, new MetricValues.Continuous(values));
  }

  private static MetricSample labels(String window, boolean baseline, Object... labelsAndCounts) {
    return new MetricSample(
        ENV, "refusal", window, baseline, new MetricValues.Categorical(expand(labelsAndCounts)));
  }

  private static MetricSample labelsOf(String metric, String window, Object... labelsAndCounts) {
    return new MetricSample(
        ENV, metric, window, false, new MetricValues.Categorical(expand(labelsAndCounts)));
  }

  private static List<String> expand(Object... labelsAndCounts) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < labelsAndCounts.length; i += 2) {
      for (int n = 0; n < (Integer) labelsAndCounts[i + 1]; n++) {
        labels.add((String) labelsAndCounts[i]);
      }
    }
    return labels;
  }
}
