package org.plumbline.loaders.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The members of one JSON object, read by name with every problem recorded under its pointer. When
 * the value is not an object that is one problem, and every read then yields {@code null} quietly,
 * so callers need no guards and report nothing twice.
 */
public final class Members {
  /** The charset of bundle and environment ids. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");

  private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

  /** Ids are names people read and type; a longer one is an attack or a mistake. */
  public static final int MAX_ID_LENGTH = 128;

  private final JsonNode object;
  private final String pointer;
  private final Problems problems;

  private Members(JsonNode object, String pointer, Problems problems) {
    this.object = object;
    this.pointer = pointer;
    this.problems = problems;
  }

  /** Reads {@code node} as an object whose members may only be {@code known}. */
  public static Members of(JsonNode node, String pointer, Problems problems, List<String> known) {
    if (node == null || !node.isObject()) {
      problems.add(pointer, "must be an object, got " + describe(node));
      return new Members(null, pointer, problems);
    }
    for (Iterator<String> names = node.fieldNames(); known != null && names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        problems.add(
            Problems.pointer(pointer, name),
            "unknown field (expected one of " + String.join(", ", known) + ")");
      }
    }
    return new Members(node, pointer, problems);
  }

  /**
   * Reads {@code node} as an object of a format Plumbline does not own (Terraform, Kubernetes,
   * LiteLLM, ...): members it does not know are tolerated, since those formats grow.
   */
  public static Members lenient(JsonNode node, String pointer, Problems problems) {
    return Members.of(node, pointer, problems, null);
  }

  /** Whether the value was an object (when not, that is already a problem). */
  public boolean isObject() {
    return object != null;
  }

  /** The object read, or {@code null} when it was not one. */
  public ObjectNode node() {
    return (ObjectNode) object;
  }

  public String pointer() {
    return pointer;
  }

  /** A boolean member, or {@code null} when absent or not a boolean (then a problem). */
  public Boolean bool(String name, boolean required) {
    JsonNode value = present(name, required);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      problem(name, "must be true or false, got " + describe(value));
      return null;
    }
    return value.booleanValue();
  }

  /** A whole number member within {@code [min, max]}; {@code null} when absent or bad. */
  public Long integer(String name, boolean required, long min, long max) {
    JsonNode value = present(name, required);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber()
        || !value.canConvertToLong()
        || value.longValue() < min
        || value.longValue() > max) {
      problem(
          name, "must be a whole number from " + min + " to " + max + ", got " + describe(value));
      return null;
    }
    return value.longValue();
  }

  public String pointer(String name) {
    return Problems.pointer(pointer, name);
  }

  /** A member's value, or {@code null} when absent or JSON null (the two mean the same). */
  public JsonNode get(String name) {
    JsonNode value = object == null ? null : object.get(name);
    return value == null || value.isNull() ? null : value;
  }

  /** Records a problem on member {@code name}. */
  public void problem(String name, String message) {
    problems.add(pointer(name), message);
  }

  private JsonNode present(String name, boolean required) {
    JsonNode value = get(name);
    if (value == null && required && object != null) {
      problem(name, "is required");
    }
    return value;
  }

  /** A non-blank string member. */
  public String text(String name, boolean required) {
    JsonNode value = present(name, required);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      problem(name, "must be a string, got " + describe(value));
      return null;
    }
    if (value.textValue().isBlank()) {
      problem(name, "must not be blank");
      return null;
    }
    return value.textValue();
  }

  /** A required string member in the {@link #ID} charset. */
  public String id(String name) {
    String id = text(name, true);
    if (id != null && id.length() > MAX_ID_LENGTH) {
      problem(name, "must be at most " + MAX_ID_LENGTH + " characters, got " + id.length());
      return null;
    }
    if (id != null && !ID.matcher(id).matches()) {
      problem(name, "must use only letters, digits, '.', '_' and '-', got " + Problems.quote(id));
      return null;
    }
    return id;
  }

  /** A required ISO-8601 instant with an offset or zone, normalised to UTC. */
  public Instant instant(String name) {
    JsonNode value = present(name, true);
    if (value == null) {
      return null;
    }
    Instant instant = value.isTextual() ? parseInstant(value.textValue()) : null;
    if (instant == null) {
      problem(name, "not an ISO-8601 instant: " + Problems.quote(value.asText()));
    } else if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
      // Histories are walked day by day: an instant in year -999999999 would cost years of work.
      problem(name, "must lie in the years 1970 to 9999, got " + Problems.quote(value.asText()));
      return null;
    }
    return instant;
  }

  public ObjectNode object(String name, boolean required) {
    JsonNode value = present(name, required);
    if (value != null && !value.isObject()) {
      problem(name, "must be an object, got " + describe(value));
      return null;
    }
    return (ObjectNode) value;
  }

  public ArrayNode array(String name, boolean required) {
    JsonNode value = present(name, required);
    if (value != null && !value.isArray()) {
      problem(name, "must be a list, got " + describe(value));
      return null;
    }
    return (ArrayNode) value;
  }

  /** A list of non-blank strings; {@code null} when absent or when any item is bad. */
  public List<String> texts(String name, boolean required, boolean nonEmpty) {
    ArrayNode array = array(name, required);
    if (array == null) {
      return null;
    }
    if (nonEmpty && array.isEmpty()) {
      problem(name, "must not be empty");
      return null;
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode item = array.get(i);
      if (item.isTextual() && !item.textValue().isBlank()) {
        texts.add(item.textValue());
      } else {
        problems.add(
            Problems.pointer(pointer(name), i),
            "must be a non-blank string, got " + describe(item));
      }
    }
    return texts.size() == array.size() ? texts : null;
  }

  /** Parses {@code 2026-11-20T10:00:00Z}, {@code ...+01:00} or {@code ...+01:00[Europe/Paris]}. */
  public static Instant parseInstant(String text) {
    try {
      return ZonedDateTime.parse(text, DateTimeFormatter.ISO_ZONED_DATE_TIME).toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** What a value is, for messages: {@code number 2.3}, {@code an object}. */
  public static String describe(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "null";
    }
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isTextual()) {
      return "string " + Problems.quote(value.textValue());
    }
    // asText, not toPlainString: 1e1000000000 must stay short here.
    return (value.isNumber() ? "number " : "boolean ") + Problems.quote(value.asText());
  }
}
