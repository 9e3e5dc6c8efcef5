package org.plumbline.loaders;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Objects;
import org.plumbline.loaders.internal.Flattener;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.ontology.ErrorCode;
import org.plumbline.ontology.FlatConfig;

/**
 * Turns a nested configuration into a {@link FlatConfig}: objects joined with {@code .}, array
 * items as {@code [i]} ({@code routing.fallbacks[0]}, {@code a.b[0].c}). Empty objects and arrays
 * stay visible as {@code {}} and {@code []}; JSON null is absent. Values are canonical JSON text:
 * strings quoted with Jackson's escapes, {@code true}/{@code false}, numbers in shortest plain form
 * ({@code 0.30}, {@code 3e-1} → {@code 0.3}; {@code 1.0} → {@code 1}), at most {@value
 * Flattener#MAX_PLAIN_DIGITS} digits.
 *
 * <p>Member names are kept literally: {@code {"a.b": 1}} gives key {@code a.b}, and is refused if
 * {@code {"a": {"b": …}}} gives it too. Empty member names are refused.
 */
public final class ConfigFlattening {
  private ConfigFlattening() {}

  /**
   * Flattens an object.
   *
   * @param code the caller's error code, thrown with every problem (JSON pointers) as details
   * @throws org.plumbline.ontology.PlumblineException with {@code code} on any problem
   */
  public static FlatConfig flatten(JsonNode config, ErrorCode code) {
    Objects.requireNonNull(config, "config");
    Problems problems = new Problems();
    FlatConfig flat = Flattener.flatten(config, "", problems);
    problems.throwIfAny(code, "config cannot be flattened");
    return flat;
  }

  /**
   * The canonical text of a number, as stored in a {@link FlatConfig}.
   *
   * @throws IllegalArgumentException when its plain form has more than {@value
   *     Flattener#MAX_PLAIN_DIGITS} digits
   */
  public static String canonicalNumber(BigDecimal number) {
    String text = Flattener.canonicalNumber(number);
    if (text == null) {
      throw new IllegalArgumentException(
          "number has more than " + Flattener.MAX_PLAIN_DIGITS + " digits written out");
    }
    return text;
  }
}
