package org.plumbline.rules.pack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.plumbline.ontology.KeyPattern;

/**
 * Functions the rule packs call ({@code import function ...RuleFunctions.name;}). They take the
 * policy's parameters (globs, thresholds, durations) as arguments so the policy itself stays in the
 * DRL files that governance teams edit; only the parsing lives here. Every function is total: bad
 * or absent input gives {@code false}, never an exception in the middle of a rule firing.
 */
public final class RuleFunctions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, List<KeyPattern>> GLOBS = new ConcurrentHashMap<>();

  /** Parsed arguments: the packs pass the same few literals for every drift. */
  private static final Map<String, List<String>> NAMES = new ConcurrentHashMap<>();

  private static final Map<String, Duration> DURATIONS = new ConcurrentHashMap<>();

  // A release date or snapshot number as a token anywhere in the name: -2024-08-06, -20241022,
  // @20240620, -0613, -1106-preview, -002. Short numbers are not: "gpt-4" names a family.
  private static final Pattern RELEASE_NUMBER =
      Pattern.compile("(?:^|[-_@.:/])\\d{3,}(?=$|[-_@.:/])");
  // A version at the end: -1.5, -v2, :1, @3.
  private static final Pattern VERSION_SUFFIX =
      Pattern.compile(
          "(?:[-_]v?\\d+(?:\\.\\d+)+|[-_]v\\d+|[:@]v?\\d+(?:\\.\\d+)*)$", Pattern.CASE_INSENSITIVE);
  // Words that always mean "whatever the vendor serves today", whatever else the name holds.
  private static final Pattern ALIAS_WORD =
      Pattern.compile(
          "(?:^|[-_@.:/])(?:latest|stable|default|current)(?=$|[-_@.:/])",
          Pattern.CASE_INSENSITIVE);

  private RuleFunctions() {}

  /** A parsed literal, kept while few: a pack that passes values rather than literals gets none. */
  private static <T> T parsed(
      Map<String, T> cache, String text, java.util.function.Function<String, T> parse) {
    T known = cache.get(text);
    if (known == null) {
      known = parse.apply(text);
      if (cache.size() < 1_000) {
        cache.put(text, known);
      }
    }
    return known;
  }

  /** Whether {@code key} matches any of the space-separated globs (see {@link KeyPattern}). */
  public static boolean matchesAny(String key, String globs) {
    if (key == null || globs == null) {
      return false;
    }
    List<KeyPattern> patterns =
        GLOBS.computeIfAbsent(
            globs,
            g ->
                Arrays.stream(g.trim().split("\\s+"))
                    .filter(s -> !s.isEmpty())
                    .map(KeyPattern::of)
                    .toList());
    // A loop, not a stream: packs call this for every drift, many times over.
    for (KeyPattern p : patterns) {
      if (p.matches(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a canonical JSON value names a model by an alias rather than a pinned release: a string
   * with no release date or snapshot number and no version suffix, or one holding an alias word
   * such as {@code latest}. Names in {@code pinnedNames} (space-separated, case-insensitive, with
   * or without a provider prefix) are releases the vendor publishes without any suffix.
   */
  public static boolean isAlias(String json, String pinnedNames) {
    String raw = text(json);
    if (raw == null || raw.isBlank()) {
      return false;
    }
    String name = raw.trim();
    if (ALIAS_WORD.matcher(name).find()) {
      return true;
    }
    String bare = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (pinnedNames != null) {
      for (String p : parsed(NAMES, pinnedNames, n -> List.of(n.trim().split("\\s+")))) {
        if (p.equalsIgnoreCase(name) || p.equalsIgnoreCase(bare)) {
          return false;
        }
      }
    }
    return !RELEASE_NUMBER.matcher(name).find() && !VERSION_SUFFIX.matcher(name).find();
  }

  /**
   * Whether a numeric value crept away from the blueprint: starting at {@code expected}, the {@code
   * trail} moved at least twice, every move smaller than {@code maxStep} relative to the value
   * before it, and the last value lies more than {@code minTotal} away from {@code expected},
   * relative to it. Repeated values in the trail are not moves.
   */
  public static boolean gradualDrift(
      String expected, List<String> trail, double maxStep, double minTotal) {
    BigDecimal start = number(expected);
    if (start == null || trail == null) {
      return false;
    }
    List<BigDecimal> values = new ArrayList<>(List.of(start));
    for (String observed : trail) {
      BigDecimal value = number(observed);
      if (value == null) {
        return false;
      }
      if (value.compareTo(values.get(values.size() - 1)) != 0) {
        values.add(value);
      }
    }
    if (values.size() < 3) {
      return false;
    }
    BigDecimal step = BigDecimal.valueOf(maxStep);
    for (int i = 1; i < values.size(); i++) {
      if (relativeChange(values.get(i - 1), values.get(i)).compareTo(step) >= 0) {
        return false;
      }
    }
    return relativeChange(start, values.get(values.size() - 1))
            .compareTo(BigDecimal.valueOf(minTotal))
        > 0;
  }

  /** Whether more than the ISO-8601 {@code duration} lies between {@code from} and {@code to}. */
  public static boolean longerThan(Instant from, Instant to, String duration) {
    return from != null
        && to != null
        && Duration.between(from, to).compareTo(parsed(DURATIONS, duration, Duration::parse)) > 0;
  }

  /** Role names from a decision-table cell: separated by spaces or commas. */
  public static List<String> roles(String cell) {
    return cell == null
        ? List.of()
        : Arrays.stream(cell.trim().split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
  }

  /** The number a canonical JSON value holds, or {@code null} when it is no number. */
  public static BigDecimal number(String json) {
    if (json == null) {
      return null;
    }
    String t = json.trim();
    // What BigDecimal can parse starts so; anything else (a JSON string, true, null) is refused
    // here, without the cost of an exception, as it would be there.
    if (t.isEmpty() || "0123456789+-.".indexOf(t.charAt(0)) < 0) {
      return null;
    }
    try {
      return new BigDecimal(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The text a canonical JSON string holds, or {@code null} when it is no string. */
  public static String text(String json) {
    if (json == null || !json.startsWith("\"")) {
      return null;
    }
    try {
      return JSON.readValue(json, String.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static BigDecimal relativeChange(BigDecimal from, BigDecimal to) {
    BigDecimal delta = to.subtract(from).abs();
    if (from.signum() == 0) {
      // Any move away from zero is an unbounded relative change.
      return delta.signum() == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(Double.MAX_VALUE);
    }
    return delta.divide(from.abs(), MathContext.DECIMAL64);
  }
}
