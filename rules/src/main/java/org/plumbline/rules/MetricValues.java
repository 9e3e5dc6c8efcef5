package org.plumbline.rules;

import java.util.List;

/**
 * The values of one metric sample: numbers for a {@link MetricKind#CONTINUOUS} metric, category
 * labels for a {@link MetricKind#CATEGORICAL} one. Validated by {@link MetricSample}.
 */
public sealed interface MetricValues {
  /** The kind these values are compared as. */
  MetricKind kind();

  /** The values, in the order they were posted. */
  List<?> values();

  /** Numbers of a {@link MetricKind#CONTINUOUS} metric. */
  record Continuous(List<Double> values) implements MetricValues {
    public Continuous {
      // -0.0 sorts before 0.0 in the statistics' comparisons, but it is the same observation
      values = values.stream().map(v -> v + 0.0).toList();
    }

    @Override
    public MetricKind kind() {
      return MetricKind.CONTINUOUS;
    }

    /** The values as a fresh array, for the statistics. */
    public double[] toArray() {
      return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  /** Labels of a {@link MetricKind#CATEGORICAL} metric. */
  record Categorical(List<String> values) implements MetricValues {
    public Categorical {
      values = List.copyOf(values);
    }

    @Override
    public MetricKind kind() {
      return MetricKind.CATEGORICAL;
    }
  }
}
