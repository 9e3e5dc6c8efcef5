package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.plumbline.ontology.PlumblineException;

/**
 * The bounds of a metric sample document; its formats are golden cases ({@code cases/metric-*}).
 */
class MetricSampleParserTest {
  private final MetricSampleParser parser = new MetricSampleParser();

  private static byte[] sample(String metric, String window, String values) {
    return ("{\"environment\":\"e\",\"metric\":\""
            + metric
            + "\",\"kind\":\"CONTINUOUS\",\"window\":\""
            + window
            + "\",\"values\":"
            + values
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private List<String> problems(byte[] json) {
    PlumblineException e = assertThrows(PlumblineException.class, () -> parser.parse(json));
    assertEquals(LoaderError.INVALID_METRIC_SAMPLE, e.code());
    return e.details();
  }

  @Test
  void baselineDefaultsToFalseAndNumbersStayExact() {
    ParsedMetricSample s = parser.parse(sample("output.length", "2026-11-20", "[0.30, 7, \"x\"]"));
    assertEquals(false, s.baseline());
    assertEquals(List.of(new BigDecimal("0.30"), new BigDecimal("7"), "x"), s.values());
  }

  @Test
  void aSampleHoldsAtMostMaxValues() {
    String many =
        "[" + String.join(",", Collections.nCopies(MetricSampleParser.MAX_VALUES, "1")) + "]";
    assertEquals(
        MetricSampleParser.MAX_VALUES, parser.parse(sample("m", "w", many)).values().size());
    String tooMany = many.replace("[", "[1,");
    assertEquals(
        List.of("/values: 100001 values, but a sample holds at most 100000"),
        problems(sample("m", "w", tooMany)));
  }

  @ParameterizedTest
  @CsvSource({
    "output.,     /metric: must be at most 200",
    ".length,     /metric: must be at most 200",
    "a..b,        /metric: must be at most 200",
    "a b,         /metric: must be at most 200"
  })
  void metricNamesAreKeyLike(String metric, String problem) {
    assertEquals(
        problem, problems(sample(metric, "w", "[1]")).get(0).substring(0, problem.length()));
  }

  @Test
  void windowLabelsAreShortAndPrintable() {
    parser.parse(sample("m", "x".repeat(MetricSampleParser.MAX_WINDOW_LENGTH), "[1]"));
    String tooLong = "x".repeat(MetricSampleParser.MAX_WINDOW_LENGTH + 1);
    assertEquals(1, problems(sample("m", tooLong, "[1]")).size());
    assertEquals(
        "/window: must be a label of at most 100 characters without control characters, such as"
            + " 2026-11-20",
        problems(sample("m", "a\\nb", "[1]")).get(0));
  }
}
