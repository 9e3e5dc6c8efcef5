package org.plumbline.loaders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.plumbline.loaders.internal.DocumentReader;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.ontology.PlumblineException;

/**
 * Parses the metric sample JSON of CONTRACT section 2: {@code environment} (an id), {@code metric}
 * (a name such as {@code output.length}), {@code kind} ({@code CONTINUOUS} or {@code CATEGORICAL}),
 * {@code window} (a label, at most {@value #MAX_WINDOW_LENGTH} characters) and {@code values} (a
 * list of at most {@value #MAX_VALUES} numbers or strings) required; {@code baseline} optional
 * (default false); any other field is refused so typos surface.
 *
 * <p>This checks the document; whether each value suits the kind is the rules' check, which sees
 * the values as parsed: numbers exact (so {@code 1e400} is seen as the infinity it becomes),
 * strings as given ({@code "NaN"} is a string, not a number). Thread-safe.
 */
public final class MetricSampleParser {
  /** The most values one sample may hold: enough for any window, bounded for the store. */
  public static final int MAX_VALUES = 100_000;

  /** The longest window label. */
  public static final int MAX_WINDOW_LENGTH = 100;

  /** The longest metric name. */
  public static final int MAX_METRIC_LENGTH = 200;

  /** Metric names are key-like: the metric's drift is keyed {@code metrics.<name>}. */
  private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  private static final List<String> KINDS = List.of("CONTINUOUS", "CATEGORICAL");

  private static final List<String> FIELDS =
      List.of("environment", "metric", "kind", "window", "baseline", "values");

  private final DocumentReader reader;

  public MetricSampleParser() {
    this(ParseLimits.DEFAULT);
  }

  public MetricSampleParser(ParseLimits limits) {
    this.reader = new DocumentReader(Objects.requireNonNull(limits, "limits"));
  }

  /**
   * Parses one metric sample.
   *
   * @throws PlumblineException {@link LoaderError#INVALID_METRIC_SAMPLE} listing every problem,
   *     {@link LoaderError#INVALID_JSON} or {@link LoaderError#PAYLOAD_TOO_LARGE}
   */
  public ParsedMetricSample parse(byte[] json) {
    JsonNode root = reader.readJson(Objects.requireNonNull(json, "json"));
    Problems problems = new Problems();
    Members members = Members.of(root, "", problems, FIELDS);
    String environment = members.id("environment");
    String metric = metric(members);
    String kind = kind(members);
    String window = window(members);
    boolean baseline = baseline(members);
    List<Object> values = values(members, problems);
    problems.throwIfAny(LoaderError.INVALID_METRIC_SAMPLE, "invalid metric sample");
    return new ParsedMetricSample(environment, metric, kind, window, baseline, values);
  }

  private static String metric(Members members) {
    String metric = members.text("metric", true);
    if (metric == null) {
      return null;
    }
    if (metric.length() > MAX_METRIC_LENGTH || !METRIC.matcher(metric).matches()) {
      members.problem(
          "metric",
          "must be at most "
              + MAX_METRIC_LENGTH
              + " letters, digits, '_' and '-' in dot-separated parts, such as output.length, got "
              + Problems.quote(metric));
      return null;
    }
    return metric;
  }

  private static String kind(Members members) {
    String kind = members.text("kind", true);
    if (kind != null && !KINDS.contains(kind)) {
      members.problem("kind", "must be CONTINUOUS or CATEGORICAL, got " + Problems.quote(kind));
      return null;
    }
    return kind;
  }

  private static String window(Members members) {
    String window = members.text("window", true);
    if (window == null) {
      return null;
    }
    if (window.length() > MAX_WINDOW_LENGTH || window.chars().anyMatch(Character::isISOControl)) {
      members.problem(
          "window",
          "must be a label of at most "
              + MAX_WINDOW_LENGTH
              + " characters without control characters, such as 2026-11-20");
      return null;
    }
    return window;
  }

  private static boolean baseline(Members members) {
    JsonNode baseline = members.get("baseline");
    if (baseline != null && !baseline.isBoolean()) {
      members.problem("baseline", "must be true or false, got " + Members.describe(baseline));
      return false;
    }
    return baseline != null && baseline.booleanValue();
  }

  /** Numbers and strings pass as parsed; other JSON values are no sample values at all. */
  private static List<Object> values(Members members, Problems problems) {
    ArrayNode array = members.array("values", true);
    if (array == null) {
      return List.of();
    }
    if (array.size() > MAX_VALUES) {
      members.problem("values", array.size() + " values, but a sample holds at most " + MAX_VALUES);
      return List.of();
    }
    List<Object> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode item = array.get(i);
      if (item.isNumber()) {
        values.add(item.decimalValue());
      } else if (item.isTextual()) {
        values.add(item.textValue());
      } else {
        problems.add(
            Problems.pointer(members.pointer("values"), i),
            "must be a number or a category label, got " + Members.describe(item));
      }
    }
    return values;
  }
}
