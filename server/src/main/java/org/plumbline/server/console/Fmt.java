package org.plumbline.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formatting for the templates: human timestamps (minutes, UTC, and how long ago; never
 * nanoseconds), values as a person reads them, links with their path parts encoded. The templates
 * escape everything these return.
 */
public final class Fmt {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private Fmt() {}

  /** "20 Nov 2026, 14:03 UTC", or "" for a missing instant. */
  public static String when(JsonNode iso) {
    Instant at = instant(iso);
    return at == null ? "" : WHEN.format(at);
  }

  private static final java.util.regex.Pattern ISO_INSTANT =
      java.util.regex.Pattern.compile(
          "\\b\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?Z\\b");

  /**
   * Prose from the rule pack (an assessment's explanation) with each ISO-8601 instant in it written
   * as {@link #when}: "since 2026-11-20T14:03:07.123456789Z" reads "since 20 Nov 2026, 14:03 UTC".
   */
  public static String prose(JsonNode text) {
    if (text == null || !text.isTextual()) {
      return "";
    }
    return ISO_INSTANT
        .matcher(text.asText())
        .replaceAll(
            m -> {
              try {
                return java.util.regex.Matcher.quoteReplacement(
                    WHEN.format(java.time.OffsetDateTime.parse(m.group()).toInstant()));
              } catch (DateTimeParseException e) {
                return java.util.regex.Matcher.quoteReplacement(m.group());
              }
            });
  }

  /** "20 Nov 2026". */
  public static String day(JsonNode iso) {
    Instant at = instant(iso);
    return at == null ? "" : DAY.format(at);
  }

  /** The instant as ISO-8601 to the second, for {@code <time datetime>}. */
  public static String iso(JsonNode iso) {
    Instant at = instant(iso);
    return at == null ? "" : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** "3 days ago", "in 5 hours", "just now". */
  public static String ago(JsonNode iso, Instant now) {
    Instant at = instant(iso);
    if (at == null) {
      return "";
    }
    Duration d = Duration.between(at, now);
    boolean future = d.isNegative();
    d = d.abs();
    String span;
    if (d.toMinutes() < 1) {
      return "just now";
    } else if (d.toHours() < 1) {
      span = plural(d.toMinutes(), "minute");
    } else if (d.toDays() < 1) {
      span = plural(d.toHours(), "hour");
    } else if (d.toDays() < 60) {
      span = plural(d.toDays(), "day");
    } else {
      span = plural(d.toDays() / 30, "month");
    }
    return future ? "in " + span : span + " ago";
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  static Instant instant(JsonNode iso) {
    if (iso == null || !iso.isTextual()) {
      return null;
    }
    try {
      return Instant.parse(iso.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A configuration value as a person reads it: text as is, absent as "(absent)", else JSON. */
  public static String value(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return "(absent)";
    }
    return v.isTextual() ? v.asText() : v.toString();
  }

  /** A stored trail entry (canonical JSON text) as a person reads it. */
  public static String json(String canonical) {
    if (canonical == null) {
      return "(absent)";
    }
    try {
      return value(new com.fasterxml.jackson.databind.ObjectMapper().readTree(canonical));
    } catch (java.io.IOException e) {
      return canonical;
    }
  }

  /** Text of a JSON node; "" when missing or null. */
  public static String text(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? "" : n.asText();
  }

  /** The strings of a JSON array, joined with ", ". */
  public static String join(JsonNode array) {
    return String.join(", ", strings(array));
  }

  public static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(v.asText()));
    }
    return out;
  }

  /** A count and its noun: "1 approval", "2 approvals", "0 changes". */
  public static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** An upper-case enum value as a word: "PENDING_APPROVAL" becomes "pending approval". */
  public static String word(JsonNode n) {
    return text(n).toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** A path segment or query value, percent-encoded. */
  public static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A CSS class naming a severity: "sev sev-critical". */
  public static String sev(JsonNode severity) {
    return "sev sev-" + text(severity).toLowerCase(Locale.ROOT);
  }
}
