package org.plumbline.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed access to one golden case JSON object's fields that records what is wrong instead of
 * throwing.
 */
final class CaseFields {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode node;
  private final String where;
  private final List<String> problems;
  private final int problemsBefore;

  CaseFields(JsonNode node, String where, List<String> problems, Set<String> allowed) {
    this.node = node;
    this.where = where;
    this.problems = problems;
    this.problemsBefore = problems.size();
    if (!node.isObject()) {
      problems.add(where + ": must be a JSON object");
    } else if (allowed != null) {
      allowOnly(allowed);
    }
  }

  boolean ok() {
    return problems.size() == problemsBefore;
  }

  boolean allowOnly(Set<String> allowed) {
    boolean fine = true;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        problem(field, "unknown field (known: " + allowed.stream().sorted().toList() + ")");
        fine = false;
      }
    }
    return fine;
  }

  void problem(String field, String message) {
    problems.add(where + (field.isEmpty() ? "" : ": " + field) + ": " + message);
  }

  boolean has(String field) {
    return node.has(field) && !node.get(field).isNull();
  }

  CaseFields object(String field, Set<String> allowed) {
    if (!has(field)) {
      problem(field, "is required");
      return null;
    }
    CaseFields f = new CaseFields(node.get(field), where + ": " + field, problems, allowed);
    return f.ok() ? f : null;
  }

  /** A list of JSON objects, each checked against {@code allowed}; null when any is wrong. */
  List<CaseFields> objects(String field, Set<String> allowed) {
    if (!has(field)) {
      return List.of();
    }
    JsonNode list = node.get(field);
    if (!list.isArray()) {
      problem(field, "must be a list of objects");
      return null;
    }
    List<CaseFields> out = new ArrayList<>();
    boolean fine = true;
    for (int i = 0; i < list.size(); i++) {
      CaseFields f =
          new CaseFields(list.get(i), where + ": " + field + "[" + i + "]", problems, allowed);
      fine &= f.ok();
      out.add(f);
    }
    return fine ? out : null;
  }

  String text(String field, boolean required) {
    if (!has(field)) {
      if (required) {
        problem(field, "is required");
      }
      return null;
    }
    if (!node.get(field).isTextual()) {
      problem(field, "must be a string");
      return null;
    }
    return node.get(field).asText();
  }

  <E extends Enum<E>> E enumValue(String field, Class<E> type, E absent) {
    String value = text(field, false);
    if (value == null) {
      return absent;
    }
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      problem(field, value + " is not one of " + Arrays.toString(type.getEnumConstants()));
      return absent;
    }
  }

  Boolean bool(String field) {
    if (!has(field)) {
      return null;
    }
    if (!node.get(field).isBoolean()) {
      problem(field, "must be true or false");
      return null;
    }
    return node.get(field).asBoolean();
  }

  Integer integer(String field) {
    if (!has(field)) {
      return null;
    }
    if (!node.get(field).canConvertToExactIntegral() || !node.get(field).isNumber()) {
      problem(field, "must be a whole number");
      return null;
    }
    return node.get(field).asInt();
  }

  Double number(String field) {
    if (!has(field)) {
      return null;
    }
    if (!node.get(field).isNumber()) {
      problem(field, "must be a number");
      return null;
    }
    return node.get(field).asDouble();
  }

  Instant instant(String field, Instant absent) {
    String value = text(field, false);
    try {
      return value == null ? absent : Instant.parse(value);
    } catch (DateTimeParseException e) {
      problem(field, value + " is not an ISO-8601 instant such as 2026-11-20T10:00:00Z");
      return absent;
    }
  }

  Duration duration(String field) {
    String value = text(field, false);
    try {
      return value == null ? null : Duration.parse(value);
    } catch (DateTimeParseException e) {
      problem(field, value + " is not an ISO-8601 duration such as P14D");
      return null;
    }
  }

  List<String> strings(String field) {
    if (!has(field)) {
      return List.of();
    }
    JsonNode list = node.get(field);
    List<String> out = new ArrayList<>();
    if (list.isArray()) {
      list.forEach(item -> out.add(item.isTextual() ? item.asText() : null));
    }
    if (!list.isArray() || out.contains(null)) {
      problem(field, "must be a list of strings");
      return List.of();
    }
    return out;
  }

  /** The value as canonical JSON text, as the store holds it; {@code null} when absent. */
  String json(String field) {
    return has(field) ? canonical(node.get(field)) : null;
  }

  List<String> jsonList(String field) {
    if (!has(field)) {
      return null;
    }
    if (!node.get(field).isArray()) {
      problem(field, "must be a list of values");
      return null;
    }
    List<String> out = new ArrayList<>();
    node.get(field).forEach(item -> out.add(canonical(item)));
    return out;
  }

  private static String canonical(JsonNode value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON node always serializes", e);
    }
  }
}
