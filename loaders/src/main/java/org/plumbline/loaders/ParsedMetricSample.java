package org.plumbline.loaders;

import java.util.List;

/**
 * A metric sample as posted (CONTRACT section 2), its document shape checked: the loaders' side of
 * the record. Whether the values suit the kind (finite numbers, non-blank labels, enough of them)
 * is checked by the rules ({@code MetricSample.of}), which also own the statistics.
 *
 * @param kind {@code CONTINUOUS} or {@code CATEGORICAL}
 * @param values each a {@link java.math.BigDecimal} (JSON numbers stay exact here) or a {@link
 *     String}, in document order
 */
public record ParsedMetricSample(
    String environment,
    String metric,
    String kind,
    String window,
    boolean baseline,
    List<Object> values) {

  public ParsedMetricSample {
    values = List.copyOf(values);
  }
}
