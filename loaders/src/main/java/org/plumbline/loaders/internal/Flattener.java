package org.plumbline.loaders.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.plumbline.ontology.FlatConfig;

/**
 * Flattens a JSON object to keys (CONTRACT section 1) and canonical value texts, recording problems
 * instead of throwing so one pass reports all of them.
 *
 * <p>Member names are kept literally, even when they contain {@code .} or {@code [}: escaping would
 * make keys differ from what users write in globs and rules. Two paths that flatten to the same key
 * are therefore a problem, as is an empty member name.
 */
public final class Flattener {
  /**
   * Longest plain decimal form of a number; beyond it {@code 1e1000000000} would exhaust memory.
   */
  public static final int MAX_PLAIN_DIGITS = 100;

  private final Problems problems;
  private final SortedMap<String, String> values = new TreeMap<>();
  private final Map<String, String> pointers = new TreeMap<>();

  private Flattener(Problems problems) {
    this.problems = problems;
  }

  /** Flattens {@code config}, an object at {@code pointer}; problems go to {@code problems}. */
  public static FlatConfig flatten(JsonNode config, String pointer, Problems problems) {
    Flattener flattener = new Flattener(problems);
    if (!config.isObject()) {
      problems.add(pointer, "must be an object, got " + Members.describe(config));
    } else {
      flattener.members(config, "", pointer);
    }
    return new FlatConfig(flattener.values);
  }

  private void members(JsonNode object, String key, String pointer) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      String childPointer = Problems.pointer(pointer, member.getKey());
      if (member.getKey().isEmpty()) {
        problems.add(childPointer, "member names must not be empty");
        continue;
      }
      value(
          member.getValue(),
          key.isEmpty() ? member.getKey() : key + "." + member.getKey(),
          childPointer);
    }
  }

  private void value(JsonNode node, String key, String pointer) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        put(key, "{}", pointer); // kept visible: an emptied section is a change worth seeing
      } else {
        members(node, key, pointer);
      }
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        put(key, "[]", pointer);
      }
      for (int i = 0; i < node.size(); i++) {
        value(node.get(i), key + "[" + i + "]", Problems.pointer(pointer, i));
      }
    } else if (!node.isNull()) {
      String canonical = canonical(node, pointer);
      if (canonical != null) {
        put(key, canonical, pointer);
      }
    }
  }

  private void put(String key, String value, String pointer) {
    String earlier = pointers.putIfAbsent(key, pointer);
    if (earlier != null) {
      problems.add(
          pointer, "flattens to key " + Problems.quote(key) + " like " + earlier + " does");
    } else {
      values.put(key, value);
    }
  }

  private String canonical(JsonNode scalar, String pointer) {
    if (scalar.isTextual()) {
      return '"'
          + new String(JsonStringEncoder.getInstance().quoteAsString(scalar.textValue()))
          + '"';
    }
    if (scalar.isBoolean()) {
      return scalar.booleanValue() ? "true" : "false";
    }
    if ((scalar.isDouble() || scalar.isFloat()) && !Double.isFinite(scalar.doubleValue())) {
      problems.add(pointer, "not a finite number: " + Problems.quote(scalar.asText()));
      return null;
    }
    if (scalar.isNumber()) {
      String number = canonicalNumber(scalar.decimalValue());
      if (number == null) {
        problems.add(
            pointer,
            "number "
                + Problems.quote(scalar.asText())
                + " has more than "
                + MAX_PLAIN_DIGITS
                + " digits written out");
      }
      return number;
    }
    problems.add(pointer, "unsupported value " + Members.describe(scalar));
    return null;
  }

  /**
   * The shortest plain decimal form ({@code 0.30}, {@code 3e-1} and {@code 3.0E-1} all give {@code
   * 0.3}), or {@code null} when it would exceed {@link #MAX_PLAIN_DIGITS} digits.
   */
  public static String canonicalNumber(BigDecimal number) {
    BigDecimal stripped = number.stripTrailingZeros();
    long precision = stripped.precision();
    long scale = stripped.scale();
    // Digits of the plain form, computed before building it: toPlainString of 1e1000000000 would
    // allocate a billion characters.
    long digits = scale <= 0 ? precision - scale : Math.max(precision, scale + 1);
    return digits > MAX_PLAIN_DIGITS ? null : stripped.toPlainString();
  }
}
