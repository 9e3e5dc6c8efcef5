package org.plumbline.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.plumbline.ontology.PlumblineException;

/**
 * One posted sample of a behavioural metric (CONTRACT section 2): the baseline when {@code
 * baseline} is true, otherwise the values observed in one window.
 *
 * <p>Every sample is valid: {@code environment}, {@code metric} and {@code window} are not blank,
 * there are at least {@value #MIN_VALUES} values, continuous values are finite and category labels
 * are not blank. Otherwise construction throws {@link MetricError#INVALID_METRIC_SAMPLE} listing
 * every problem with its JSON pointer ({@code /values/3: not a finite number}).
 *
 * @param environment the environment the metric was observed in
 * @param metric the metric's name, e.g. {@code output.length}
 * @param window the window's label, e.g. {@code 2026-11-20}
 * @param baseline whether this sample is the metric's reference
 * @param values the observed values
 */
public record MetricSample(
    String environment, String metric, String window, boolean baseline, MetricValues values) {
  /**
   * The fewest values a sample may have. Below 4 per side the exact two-sample KS test cannot reach
   * p &lt; 0.05 at all (3 against 3: the smallest p-value is 0.1), so a smaller window could never
   * show drift; 5 leaves a margin and keeps PSI's bin proportions from being pure noise.
   */
  public static final int MIN_VALUES = 5;

  /** Problems beyond this are only counted, so a broken large sample does not echo itself. */
  private static final int MAX_REPORTED = 100;

  private static final int MAX_QUOTED = 40;

  public MetricSample {
    Objects.requireNonNull(values, "values");
    Problems problems = new Problems();
    check(problems, environment, metric, window, values.kind(), values.values());
    problems.throwIfAny();
  }

  /**
   * Validates a sample from already parsed JSON values: {@code kind} as posted, {@code values} as
   * parsed ({@link Number}, {@link String}, {@link Boolean}, {@code null}, lists or maps).
   *
   * @throws PlumblineException {@link MetricError#INVALID_METRIC_SAMPLE} listing every problem
   */
  public static MetricSample of(
      String environment,
      String metric,
      String kind,
      String window,
      boolean baseline,
      List<?> values) {
    Problems problems = new Problems();
    MetricKind parsed = kind(kind, problems);
    check(problems, environment, metric, window, parsed, values);
    problems.throwIfAny();
    return new MetricSample(environment, metric, window, baseline, valuesOf(parsed, values));
  }

  /** The kind of this sample's values. */
  public MetricKind kind() {
    return values.kind();
  }

  private static MetricKind kind(String kind, Problems problems) {
    if (kind == null || kind.isBlank()) {
      problems.add("/kind", "required: " + kinds());
      return null;
    }
    for (MetricKind candidate : MetricKind.values()) {
      if (candidate.name().equals(kind)) {
        return candidate;
      }
    }
    problems.add("/kind", quote(kind) + " is not " + kinds());
    return null;
  }

  private static String kinds() {
    return "one of " + Arrays.toString(MetricKind.values());
  }

  private static void check(
      Problems problems,
      String environment,
      String metric,
      String window,
      MetricKind kind,
      List<?> values) {
    required(problems, "/environment", environment);
    required(problems, "/metric", metric);
    required(problems, "/window", window);
    if (values == null) {
      problems.add("/values", "required: an array of at least " + MIN_VALUES + " values");
      return;
    }
    if (values.size() < MIN_VALUES) {
      problems.add(
          "/values", values.size() + " values, but at least " + MIN_VALUES + " are needed");
    }
    if (kind == null) {
      return; // without a kind nothing says what a value should be
    }
    for (int i = 0; i < values.size(); i++) {
      String problem =
          kind == MetricKind.CONTINUOUS
              ? numberProblem(values.get(i))
              : labelProblem(values.get(i));
      if (problem != null) {
        problems.add("/values/" + i, problem);
      }
    }
  }

  private static void required(Problems problems, String pointer, String value) {
    if (value == null || value.isBlank()) {
      problems.add(pointer, "required, not blank");
    }
  }

  private static String numberProblem(Object value) {
    if (value instanceof Number number) {
      return Double.isFinite(number.doubleValue()) ? null : "not a finite number";
    }
    return "not a number: " + describe(value);
  }

  private static String labelProblem(Object value) {
    if (value instanceof String label) {
      return label.isBlank() ? "blank category label" : null;
    }
    return "not a category label (a string): " + describe(value);
  }

  private static String describe(Object value) {
    return value instanceof String text ? quote(text) : String.valueOf(value);
  }

  private static String quote(String text) {
    return "'" + (text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text) + "'";
  }

  private static MetricValues valuesOf(MetricKind kind, List<?> values) {
    return switch (kind) {
      case CONTINUOUS ->
          new MetricValues.Continuous(
              values.stream().map(v -> ((Number) v).doubleValue()).toList());
      case CATEGORICAL ->
          new MetricValues.Categorical(values.stream().map(String.class::cast).toList());
    };
  }

  /** Every problem of one sample, reported together. */
  private static final class Problems {
    private final List<String> details = new ArrayList<>();
    private int count;

    void add(String pointer, String message) {
      if (count++ < MAX_REPORTED) {
        details.add(pointer + ": " + message);
      }
    }

    void throwIfAny() {
      if (count == 0) {
        return;
      }
      List<String> all = new ArrayList<>(details);
      if (count > MAX_REPORTED) {
        all.add("... and " + (count - MAX_REPORTED) + " more");
      }
      throw new PlumblineException(
          MetricError.INVALID_METRIC_SAMPLE,
          "invalid metric sample: " + count + (count == 1 ? " problem" : " problems"),
          all);
    }
  }
}
