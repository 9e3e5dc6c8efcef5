package org.plumbline.loaders;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.plumbline.loaders.internal.Flattener;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;

/**
 * A blueprint's {@code map} section: source keys (raw paths as a loader names them) to governed
 * keys (the names blueprints and rule packs speak), so that a container's {@code LLM_TEMPERATURE}
 * is {@code llm.temperature} and its image {@code container.image}.
 *
 * <p>Each rule is {@code pattern: target}, tried in order; the first pattern that matches a key
 * renames it. In a pattern:
 *
 * <ul>
 *   <li>{@code *} matches one name: any characters but {@code .} and {@code [} (a capture);
 *   <li>{@code **} matches anything, dots included (a capture);
 *   <li>{@code [*]} matches one list index or map key, {@code [0]} or {@code ["eu-west-1"]} (a
 *       capture, without its brackets);
 *   <li>{@code [name=VALUE]} matches the list item whose member {@code name} is the string {@code
 *       VALUE}, as Kubernetes lists {@code env} and {@code containers}: {@code
 *       env[name=LLM_TEMPERATURE].value} is the value of that variable wherever it sits in the list
 *       (not a capture); the item's {@code name} key goes with the mapped value;
 *   <li>anything else matches itself.
 * </ul>
 *
 * A target may use the captures, {@code $1} to {@code $9}, left to right. A mapped value that is a
 * string reading as a number or a boolean becomes one ({@code "0.3"} is {@code 0.3}): environment
 * variables and annotations are always strings, while blueprints and rules compare numbers. Keys no
 * rule matches keep their source names. Each mapped key keeps its source key as provenance.
 *
 * <p>A pure function of the rules and the keys; immutable and thread-safe.
 */
public final class KeyMapping {
  /** No rules: every key keeps its name. */
  public static final KeyMapping NONE = new KeyMapping(List.of());

  private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9_.\\[\\]\"$*/:@-]+");
  private static final Pattern CAPTURE_REF = Pattern.compile("\\$(\\d)");
  private static final Pattern SELECTOR = Pattern.compile("\\[([A-Za-z0-9_-]+)=([^\\]]*)\\]");

  private final List<Rule> rules;

  private KeyMapping(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** One compiled rule: the pattern as written, its regex, its selectors and its target. */
  private record Rule(String source, Pattern regex, List<Selector> selectors, String target) {}

  /** A {@code [field=value]} step: the regex group of its index, and what the member must hold. */
  private record Selector(String group, String field, String value) {}

  /** What a mapping made of one configuration. */
  public record Mapped(FlatConfig config, SortedMap<String, String> provenance) {
    /**
     * @param config the governed configuration: mapped keys renamed, the others as they were
     * @param provenance each governed key that a rule produced, to the source key it came from
     */
    public Mapped {
      Objects.requireNonNull(config, "config");
      provenance = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(provenance));
    }
  }

  /**
   * Compiles {@code rules} (pattern to target, in the order they are tried).
   *
   * @throws PlumblineException {@link LoaderError#INVALID_KEY_MAPPING} listing every bad rule
   */
  public static KeyMapping of(Map<String, String> rules) {
    List<String> problems = new ArrayList<>();
    KeyMapping mapping = compile(rules, "", (at, message) -> problems.add(at + ": " + message));
    if (!problems.isEmpty()) {
      throw new PlumblineException(
          LoaderError.INVALID_KEY_MAPPING,
          "invalid key mapping: "
              + problems.size()
              + (problems.size() == 1 ? " problem" : " problems"),
          problems);
    }
    return mapping;
  }

  /**
   * The mapping a stored blueprint declares (its {@code map} section), {@link #NONE} when it has
   * none.
   */
  public static KeyMapping of(org.plumbline.ontology.Blueprint blueprint) {
    if (blueprint.map().isEmpty()) {
      return NONE;
    }
    Map<String, String> rules = new LinkedHashMap<>();
    blueprint.map().forEach(r -> rules.put(r.pattern(), r.target()));
    return of(rules);
  }

  /** Compiles rules, adding {@code pointer: problem} lines for the bad ones (for parsers). */
  static KeyMapping compile(
      Map<String, String> rules,
      String pointer,
      java.util.function.BiConsumer<String, String> problems) {
    List<Rule> compiled = new ArrayList<>();
    for (Map.Entry<String, String> e : rules.entrySet()) {
      String at = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
      Rule rule = rule(e.getKey(), e.getValue(), at, problems);
      if (rule != null) {
        compiled.add(rule);
      }
    }
    return new KeyMapping(compiled);
  }

  /** Whether there is no rule. */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The rules as written, pattern to target, in order: what a blueprint's {@code map} holds. */
  public Map<String, String> rules() {
    Map<String, String> out = new LinkedHashMap<>();
    rules.forEach(r -> out.put(r.source(), r.target()));
    return out;
  }

  private static Rule rule(
      String source,
      String target,
      String at,
      java.util.function.BiConsumer<String, String> problems) {
    if (source.isBlank() || source.length() > 1000) {
      problems.accept(at, "a pattern must be 1 to 1000 characters");
      return null;
    }
    if (target == null || !TARGET.matcher(target).matches()) {
      problems.accept(
          at, "the target must be a key (letters, digits, _ . [ ] \" $ - / : @), got " + target);
      return null;
    }
    StringBuilder regex = new StringBuilder();
    List<Selector> selectors = new ArrayList<>();
    int captures = 0;
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (source.startsWith("**", i)) {
        regex.append("(.+?)");
        captures++;
        i += 2;
      } else if (c == '*') {
        regex.append("([^.\\[]+)");
        captures++;
        i++;
      } else if (source.startsWith("[*]", i)) {
        regex.append("\\[(\\d+|\"(?:[^\"\\\\]|\\\\.)*\")\\]");
        captures++;
        i += 3;
      } else if (c == '[' && SELECTOR.matcher(source).region(i, source.length()).lookingAt()) {
        Matcher m = SELECTOR.matcher(source).region(i, source.length());
        m.lookingAt();
        String group = "s" + selectors.size();
        regex.append("\\[(?<").append(group).append(">\\d+)\\]");
        selectors.add(new Selector(group, m.group(1), m.group(2)));
        i = m.end();
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    Matcher refs = CAPTURE_REF.matcher(target);
    while (refs.find()) {
      int n = Integer.parseInt(refs.group(1));
      if (n < 1 || n > captures) {
        problems.accept(
            at,
            "the target uses $"
                + n
                + " but the pattern has "
                + captures
                + (captures == 1 ? " capture" : " captures"));
        return null;
      }
    }
    return new Rule(source, Pattern.compile(regex.toString()), selectors, target);
  }

  /**
   * Renames the keys of {@code source} the rules match.
   *
   * @throws PlumblineException {@link LoaderError#KEY_MAPPING_CONFLICT} when two source keys with
   *     different values become one governed key, or a mapped key takes the name of a key no rule
   *     renamed; every conflict is listed with its source keys
   */
  public Mapped apply(FlatConfig source) {
    Objects.requireNonNull(source, "source");
    if (rules.isEmpty()) {
      return new Mapped(source, new TreeMap<>());
    }
    SortedMap<String, String> governed = new TreeMap<>();
    SortedMap<String, String> provenance = new TreeMap<>();
    java.util.Set<String> consumed = new java.util.HashSet<>();
    List<String> conflicts = new ArrayList<>();
    for (Map.Entry<String, String> e : source.values().entrySet()) {
      String key = e.getKey();
      for (Rule rule : rules) {
        Matcher m = rule.regex().matcher(key);
        if (m.matches() && selected(rule, m, key, source, consumed)) {
          String target = target(rule.target(), m);
          String value = coerce(e.getValue());
          String earlier = provenance.putIfAbsent(target, key);
          consumed.add(key);
          if (earlier != null && !governed.get(target).equals(value)) {
            conflicts.add(
                target + ": from " + earlier + " and from " + key + ", with different values");
          }
          governed.putIfAbsent(target, value);
          break;
        }
      }
    }
    for (Map.Entry<String, String> e : source.values().entrySet()) {
      String key = e.getKey();
      if (consumed.contains(key)) {
        continue;
      }
      if (governed.containsKey(key) && provenance.containsKey(key)) {
        conflicts.add(key + ": mapped from " + provenance.get(key) + ", and also a source key");
        continue;
      }
      governed.put(key, e.getValue());
    }
    if (!conflicts.isEmpty()) {
      throw new PlumblineException(
          LoaderError.KEY_MAPPING_CONFLICT,
          "the key mapping makes one governed key of several source keys",
          conflicts);
    }
    return new Mapped(new FlatConfig(governed), provenance);
  }

  /**
   * {@code snapshot} with its keys mapped (and its content hash recomputed for the new keys), or
   * {@code snapshot} itself when there is no rule.
   */
  public Snapshot apply(Snapshot snapshot) {
    if (rules.isEmpty()) {
      return snapshot;
    }
    return SnapshotParser.snapshot(
        snapshot.environment(),
        snapshot.observedAt(),
        snapshot.source(),
        apply(snapshot.config()).config());
  }

  private static boolean selected(
      Rule rule, Matcher m, String key, FlatConfig source, java.util.Set<String> consumed) {
    List<String> siblings = new ArrayList<>();
    for (Selector s : rule.selectors()) {
      String item = key.substring(0, m.end(s.group()) + 1);
      String sibling = item + "." + s.field();
      String value = source.get(sibling);
      if (value == null || !value.equals(jsonString(s.value()))) {
        return false;
      }
      siblings.add(sibling);
    }
    consumed.addAll(siblings);
    return true;
  }

  private static String target(String target, Matcher m) {
    Matcher refs = CAPTURE_REF.matcher(target);
    StringBuilder out = new StringBuilder();
    while (refs.find()) {
      String captured = m.group(Integer.parseInt(refs.group(1)));
      if (captured.startsWith("\"") && captured.endsWith("\"") && captured.length() >= 2) {
        captured = captured.substring(1, captured.length() - 1);
      }
      refs.appendReplacement(out, Matcher.quoteReplacement(captured));
    }
    refs.appendTail(out);
    return out.toString();
  }

  /** A string value that reads as a number or boolean, as that number or boolean. */
  static String coerce(String json) {
    if (json.length() < 2 || json.charAt(0) != '"' || json.indexOf('\\') >= 0) {
      return json;
    }
    String text = json.substring(1, json.length() - 1).strip();
    if (text.equals("true") || text.equals("false")) {
      return text;
    }
    if (text.isEmpty()
        || text.length() > 40
        || !text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d{1,3})?")) {
      return json;
    }
    return Flattener.canonicalNumber(new BigDecimal(text));
  }

  private static String jsonString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
