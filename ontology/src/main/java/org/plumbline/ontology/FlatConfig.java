package org.plumbline.ontology;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A flattened configuration: key (CONTRACT section 1) to the value's canonical JSON text. Canonical
 * means numbers are written in their shortest plain decimal form ({@code 0.30} and {@code 3e-1} are
 * both {@code 0.3}), strings are JSON-quoted, and so two values are equal exactly when their texts
 * are. A key whose value is JSON {@code null} is treated as absent.
 */
public record FlatConfig(SortedMap<String, String> values) {
  public static final FlatConfig EMPTY = new FlatConfig(new TreeMap<>());

  public FlatConfig {
    Objects.requireNonNull(values, "values");
    TreeMap<String, String> copy = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (v != null && !v.equals("null")) {
            copy.put(k, v);
          }
        });
    values = Collections.unmodifiableSortedMap(copy);
  }

  public static FlatConfig of(Map<String, String> values) {
    return new FlatConfig(new TreeMap<>(values));
  }

  /** The canonical JSON text of a key's value, or {@code null} when absent. */
  public String get(String key) {
    return values.get(key);
  }

  /** This config with {@code overrides} laid over it. */
  public FlatConfig overlay(FlatConfig overrides) {
    TreeMap<String, String> merged = new TreeMap<>(values);
    merged.putAll(overrides.values);
    return new FlatConfig(merged);
  }

  /** This config without the keys {@code drop} accepts. */
  public FlatConfig without(Predicate<String> drop) {
    TreeMap<String, String> kept = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (!drop.test(k)) {
            kept.put(k, v);
          }
        });
    return new FlatConfig(kept);
  }

  public int size() {
    return values.size();
  }
}
