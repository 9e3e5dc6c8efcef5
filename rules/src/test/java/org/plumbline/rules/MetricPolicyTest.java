package org.plumbline.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricPolicyTest {
  private static final MetricPolicy DEFAULT = MetricPolicy.DEFAULT;

  @Test
  void defaults() {
    assertEquals(0.1, DEFAULT.psiModerate());
    assertEquals(0.2, DEFAULT.psiSignificant());
    assertEquals(0.5, DEFAULT.psiCritical());
    assertEquals(0.1, DEFAULT.ksStatistic());
    assertEquals(0.05, DEFAULT.pValue());
    assertEquals(30, DEFAULT.minSampleSize());
    assertEquals(3, DEFAULT.persistenceWindows());
    assertEquals(3, DEFAULT.closingWindows());
    assertEquals(2, DEFAULT.cooldownWindows());
    assertEquals(10, DEFAULT.psiBins());
    assertEquals(1e-4, DEFAULT.psiEpsilon());
  }

  @ParameterizedTest
  @CsvSource({
    "0, STABLE",
    "0.0999, STABLE",
    "0.1, MODERATE",
    "0.2, MODERATE",
    "0.2001, SIGNIFICANT",
    "0.5, SIGNIFICANT",
    "0.5001, CRITICAL",
    "7, CRITICAL"
  })
  void effectSizeBands(double psi, EffectSize expected) {
    assertEquals(expected, DEFAULT.effect(psi));
  }

  @Test
  void continuousNeedsEffectSizeStatisticAndPValue() {
    MetricKind c = MetricKind.CONTINUOUS;
    assertTrue(DEFAULT.beyondThreshold(c, 0.11, 0.049, 0.1));
    assertFalse(DEFAULT.beyondThreshold(c, 0.11, 0.049, 0.0999), "PSI stable");
    assertFalse(DEFAULT.beyondThreshold(c, 0.1, 0.049, 0.3), "D not above 0.1");
    assertFalse(DEFAULT.beyondThreshold(c, 0.5, 0.05, 3.0), "p not below 0.05, however large PSI");
    assertFalse(DEFAULT.beyondThreshold(c, 0.02, 1e-12, 0.15), "significant but tiny D");
  }

  @Test
  void categoricalNeedsEffectSizeAndPValue() {
    MetricKind k = MetricKind.CATEGORICAL;
    assertTrue(DEFAULT.beyondThreshold(k, 0.0, 0.01, 0.12), "chi-square has no D threshold");
    assertFalse(DEFAULT.beyondThreshold(k, 40.0, 1e-9, 0.05), "PSI stable");
    assertFalse(DEFAULT.beyondThreshold(k, 3.0, 0.2, 0.9), "p not below 0.05");
  }

  @Test
  void aWindowCountsFromTheMinimumSampleSize() {
    assertFalse(DEFAULT.sufficient(29));
    assertTrue(DEFAULT.sufficient(30));
  }

  @Test
  void inconsistentThresholdsAreRefusedByName() {
    assertRefused(
        "psiModerate", () -> new MetricPolicy(0, 0.2, 0.5, 0.1, 0.05, 30, 3, 3, 2, 10, 1e-4));
    assertRefused(
        "psiSignificant", () -> new MetricPolicy(0.3, 0.2, 0.5, 0.1, 0.05, 30, 3, 3, 2, 10, 1e-4));
    assertRefused(
        "psiCritical", () -> new MetricPolicy(0.1, 0.2, 0.15, 0.1, 0.05, 30, 3, 3, 2, 10, 1e-4));
    assertRefused(
        "ksStatistic", () -> new MetricPolicy(0.1, 0.2, 0.5, 1, 0.05, 30, 3, 3, 2, 10, 1e-4));
    assertRefused("pValue", () -> new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0, 30, 3, 3, 2, 10, 1e-4));
    assertRefused(
        "persistenceWindows",
        () -> new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0.05, 30, 0, 3, 2, 10, 1e-4));
    assertRefused(
        "minSampleSize", () -> new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0.05, 4, 3, 3, 2, 10, 1e-4));
    assertRefused(
        "closingWindows", () -> new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0.05, 30, 3, 0, 2, 10, 1e-4));
    assertRefused(
        "cooldownWindows",
        () -> new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0.05, 30, 3, 3, -1, 10, 1e-4));
    assertRefused(
        "psiBins", () -> new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0.05, 30, 3, 3, 2, 1, 1e-4));
    assertRefused(
        "psiEpsilon", () -> new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0.05, 30, 3, 3, 2, 10, 0.1));
    assertRefused(
        "psiEpsilon", () -> new MetricPolicy(0.1, 0.2, 0.5, 0.1, 0.05, 30, 3, 3, 2, 10, 0));
  }

  private static void assertRefused(String argument, Runnable construct) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, construct::run);
    assertTrue(error.getMessage().startsWith(argument), error.getMessage());
  }
}
