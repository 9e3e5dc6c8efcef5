package org.plumbline.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.plumbline.ontology.PlumblineException;

class MetricSampleTest {
  private static final List<Object> FIVE = List.of(412, 388L, 455.5, new BigDecimal("401"), 0.0f);

  @Test
  void continuousFromParsedJson() {
    MetricSample sample =
        MetricSample.of(
            "credit-model-prod", "output.length", "CONTINUOUS", "2026-11-20", false, FIVE);
    assertEquals(MetricKind.CONTINUOUS, sample.kind());
    assertEquals(
        new MetricValues.Continuous(List.of(412.0, 388.0, 455.5, 401.0, 0.0)), sample.values());
    assertEquals("2026-11-20", sample.window());
  }

  @Test
  void categoricalFromParsedJson() {
    MetricSample sample =
        MetricSample.of(
            "env",
            "refusal",
            "CATEGORICAL",
            "baseline",
            true,
            List.of("ok", "ok", "refused", "ok", "n/a"));
    assertEquals(MetricKind.CATEGORICAL, sample.kind());
    assertEquals(true, sample.baseline());
    assertEquals(List.of("ok", "ok", "refused", "ok", "n/a"), sample.values().values());
  }

  @Test
  void negativeZeroIsZero() {
    MetricValues.Continuous values = new MetricValues.Continuous(List.of(-0.0, 1.0));
    assertEquals(List.of(0.0, 1.0), values.values());
  }

  @Test
  void blankFields() {
    assertProblems(
        () -> MetricSample.of(" ", null, "CONTINUOUS", "", false, FIVE),
        "/environment: required, not blank",
        "/metric: required, not blank",
        "/window: required, not blank");
  }

  @Test
  void missingOrUnknownKind() {
    assertProblems(
        () -> MetricSample.of("env", "m", null, "w", false, FIVE),
        "/kind: required: one of [CONTINUOUS, CATEGORICAL]");
    assertProblems(
        () -> MetricSample.of("env", "m", "continuous", "w", false, FIVE),
        "/kind: 'continuous' is not one of [CONTINUOUS, CATEGORICAL]");
  }

  @Test
  void missingEmptyOrTooFewValues() {
    assertProblems(
        () -> MetricSample.of("env", "m", "CONTINUOUS", "w", false, null),
        "/values: required: an array of at least 5 values");
    assertProblems(
        () -> MetricSample.of("env", "m", "CONTINUOUS", "w", false, List.of()),
        "/values: 0 values, but at least 5 are needed");
    assertProblems(
        () -> MetricSample.of("env", "m", "CATEGORICAL", "w", false, List.of("a", "b", "a", "b")),
        "/values: 4 values, but at least 5 are needed");
  }

  @Test
  void nonNumericNonFiniteAndNullContinuousValues() {
    assertProblems(
        () ->
            MetricSample.of(
                "env",
                "m",
                "CONTINUOUS",
                "w",
                false,
                Arrays.asList(
                    1, Double.NaN, "412", null, Double.POSITIVE_INFINITY, true, List.of(1))),
        "/values/1: not a finite number",
        "/values/2: not a number: '412'",
        "/values/3: not a number: null",
        "/values/4: not a finite number",
        "/values/5: not a number: true",
        "/values/6: not a number: [1]");
  }

  @Test
  void numbersTooLargeForADoubleAreNotFinite() {
    assertProblems(
        () ->
            MetricSample.of(
                "env", "m", "CONTINUOUS", "w", false, List.of(1, 2, 3, 4, new BigDecimal("1e400"))),
        "/values/4: not a finite number");
  }

  @Test
  void categoryLabelsMustBeNonBlankStrings() {
    assertProblems(
        () ->
            MetricSample.of(
                "env",
                "m",
                "CATEGORICAL",
                "w",
                false,
                Arrays.asList("ok", 3, "  ", null, Map.of(), "ok")),
        "/values/1: not a category label (a string): 3",
        "/values/2: blank category label",
        "/values/3: not a category label (a string): null",
        "/values/4: not a category label (a string): {}");
  }

  @Test
  void longStringsAreQuotedShort() {
    String longText = "x".repeat(500);
    assertProblems(
        () -> MetricSample.of("env", "m", "CONTINUOUS", "w", false, List.of(1, 2, 3, 4, longText)),
        "/values/4: not a number: '" + "x".repeat(40) + "...'");
  }

  @Test
  void everyProblemTogether() {
    PlumblineException error =
        assertThrows(
            PlumblineException.class,
            () -> MetricSample.of("", "m", "CONTINUOUS", null, false, Arrays.asList(1, "a")));
    assertEquals(
        List.of(
            "/environment: required, not blank",
            "/window: required, not blank",
            "/values: 2 values, but at least 5 are needed",
            "/values/1: not a number: 'a'"),
        error.details());
    assertEquals("invalid metric sample: 4 problems", error.getMessage());
  }

  @Test
  void aHugeBrokenSampleReportsAHundredProblemsAndCountsTheRest() {
    List<Object> values = new ArrayList<>(Collections.nCopies(250, "bad"));
    PlumblineException error =
        assertThrows(
            PlumblineException.class,
            () -> MetricSample.of("env", "m", "CONTINUOUS", "w", false, values));
    assertEquals(101, error.details().size());
    assertEquals("... and 150 more", error.details().get(100));
    assertEquals("invalid metric sample: 250 problems", error.getMessage());
  }

  @Test
  void theConstructorHoldsTheSameRules() {
    assertProblems(
        () ->
            new MetricSample(
                "env", "m", "w", false, new MetricValues.Continuous(List.of(1.0, Double.NaN))),
        "/values: 2 values, but at least 5 are needed",
        "/values/1: not a finite number");
    assertProblems(
        () ->
            new MetricSample(
                "env",
                "m",
                "w",
                false,
                new MetricValues.Categorical(List.of("", "a", "a", "a", "a"))),
        "/values/0: blank category label");
  }

  private static void assertProblems(Executable parse, String... details) {
    PlumblineException error = assertThrows(PlumblineException.class, parse);
    assertEquals(MetricError.INVALID_METRIC_SAMPLE, error.code());
    assertEquals(List.of(details), error.details());
  }
}
