package org.plumbline.loaders;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.plumbline.loaders.internal.ContentHash;
import org.plumbline.loaders.internal.DocumentReader;
import org.plumbline.loaders.internal.Flattener;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.Dependency;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Tier;
import org.plumbline.ontology.Validation;

/**
 * Parses a blueprint (CONTRACT section 2) written in YAML or JSON. Unknown fields are refused at
 * every level, and every problem of one document is reported together.
 *
 * <p>YAML is read safely: no tags, no aliases, bounded nesting and size (see {@link ParseLimits}).
 * {@link Blueprint#contentHash()} is taken over the parsed, normalised content (sorted keys,
 * flattened canonical config, defaults filled in), so the same blueprint written in YAML or JSON,
 * in any key order, has the same hash. Thread-safe.
 */
public final class BlueprintParser {
  private static final List<String> FIELDS =
      List.of(
          "bundle",
          "version",
          "environments",
          "validated",
          "config",
          "overrides",
          "dependencies",
          "ignore",
          "map");
  private static final List<String> ENVIRONMENT_FIELDS =
      List.of("id", "name", "tier", "owner", "system", "ttl", "observeEvery");

  /** The longest declared observation interval: a loader that posts less often is not watching. */
  private static final Duration MAX_OBSERVE_EVERY = Duration.ofDays(90);

  private static final List<String> VALIDATION_FIELDS = List.of("at", "by", "evidence");
  private static final List<String> DEPENDENCY_FIELDS = List.of("key", "dependsOn");
  private static final Pattern SEMVER =
      Pattern.compile(
          // Each number fits an int: a CODIFY bumps the patch.
          "(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

  /** Ten years: a longer TTL is no TTL, and a huge one overflows instant arithmetic. */
  private static final Duration MAX_TTL = Duration.ofDays(3653);

  private static final String TIERS =
      Arrays.stream(Tier.values()).map(Tier::name).collect(Collectors.joining(", "));

  private final DocumentReader reader;
  private final Secrets secrets;

  /** Default limits; secrets redacted under the process's {@link Secrets#ephemeral()} key. */
  public BlueprintParser() {
    this(ParseLimits.DEFAULT);
  }

  /** Secrets redacted under the process's {@link Secrets#ephemeral()} key. */
  public BlueprintParser(ParseLimits limits) {
    this(limits, Secrets.ephemeral());
  }

  /**
   * Secret values declared in config and overrides redacted by {@code secrets} (see {@link
   * Secrets}), so a declared secret compares with an observed one by their markers.
   */
  public BlueprintParser(ParseLimits limits, Secrets secrets) {
    this.reader = new DocumentReader(Objects.requireNonNull(limits, "limits"));
    this.secrets = Objects.requireNonNull(secrets, "secrets");
  }

  /**
   * Parses one blueprint.
   *
   * @param formatHint {@code "json"}, {@code "yaml"} ({@code "yml"} and {@code application/json},
   *     {@code application/yaml} media types too), or {@code null} to detect: a document whose
   *     first non-blank character is <code>{</code> is JSON, anything else YAML
   * @throws PlumblineException {@link LoaderError#INVALID_BLUEPRINT} listing every problem, {@link
   *     LoaderError#INVALID_JSON}, {@link LoaderError#PAYLOAD_TOO_LARGE} or {@link
   *     LoaderError#UNSUPPORTED_FORMAT}
   */
  public Blueprint parse(byte[] content, String formatHint) {
    Objects.requireNonNull(content, "content");
    return parse(
        isJson(content, formatHint)
            ? reader.readJson(content)
            : reader.readYaml(content, LoaderError.INVALID_BLUEPRINT));
  }

  /** A blueprint and its {@code map} section ({@link KeyMapping#NONE} when it has none). */
  public record MappedBlueprint(Blueprint blueprint, KeyMapping mapping) {}

  /**
   * Parses one blueprint with its {@code map} section, which {@link Blueprint} does not carry.
   *
   * @see #parse(byte[], String)
   */
  public MappedBlueprint parseMapped(byte[] content, String formatHint) {
    Objects.requireNonNull(content, "content");
    return parseMapped(
        isJson(content, formatHint)
            ? reader.readJson(content)
            : reader.readYaml(content, LoaderError.INVALID_BLUEPRINT));
  }

  /** Parses a blueprint already read into a tree (YAML and JSON give the same tree). */
  Blueprint parse(JsonNode root) {
    return parseMapped(root).blueprint();
  }

  private MappedBlueprint parseMapped(JsonNode root) {
    Problems problems = new Problems();
    Members members = Members.of(root, "", problems, FIELDS);
    String bundle = members.id("bundle");
    String version = version(members);
    List<EnvironmentSpec> environments = environments(members, problems);
    Validation validated = validation(members, problems);
    ObjectNode configNode = members.object("config", true);
    FlatConfig config =
        configNode == null
            ? FlatConfig.EMPTY
            : secrets.redact(Flattener.flatten(configNode, members.pointer("config"), problems));
    Map<String, FlatConfig> overrides = new HashMap<>();
    overrides(members, environments, problems)
        .forEach((env, flat) -> overrides.put(env, secrets.redact(flat)));
    List<Dependency> dependencies = dependencies(members, problems);
    List<String> ignore = members.texts("ignore", false, false);
    KeyMapping mapping = mapping(members, problems);
    problems.throwIfAny(LoaderError.INVALID_BLUEPRINT, "invalid blueprint");

    ignore = ignore == null ? List.of() : ignore;
    List<Blueprint.MapRule> map = new ArrayList<>();
    mapping.rules().forEach((pattern, target) -> map.add(new Blueprint.MapRule(pattern, target)));
    Blueprint parsed =
        new Blueprint(
            bundle,
            version,
            environments,
            validated,
            config,
            overrides,
            dependencies,
            ignore,
            map,
            "");
    return new MappedBlueprint(parsed.withContentHash(contentHash(parsed)), mapping);
  }

  /**
   * The content hash of a blueprint: SHA-256 over its canonical content (sorted keys, flattened
   * canonical config, defaults filled in), whatever wrote it. The one definition: what a posted
   * blueprint gets here, what a CODIFY gives the version it writes, so the same content is the same
   * version whichever way it arrived ({@code blueprint export} of a codified version, posted again,
   * is recognised as that version). The hash a blueprint already carries is not read.
   */
  public static String contentHash(Blueprint bp) {
    Map<String, Object> content =
        canonical(
            bp.bundle(),
            bp.version(),
            bp.environments(),
            bp.validated(),
            bp.config(),
            bp.overrides(),
            bp.dependencies(),
            bp.ignore());
    // Only when declared: blueprints without a map keep the hash they always had.
    if (!bp.map().isEmpty()) {
      content.put("map", bp.map().stream().map(r -> List.of(r.pattern(), r.target())).toList());
    }
    return ContentHash.of(content);
  }

  /** The {@code map} section: an object of source key patterns to governed keys, in order. */
  private static KeyMapping mapping(Members members, Problems problems) {
    ObjectNode map = members.object("map", false);
    if (map == null) {
      return KeyMapping.NONE;
    }
    Map<String, String> rules = new java.util.LinkedHashMap<>();
    map.properties()
        .forEach(
            rule -> {
              if (rule.getValue().isTextual()) {
                rules.put(rule.getKey(), rule.getValue().textValue());
              } else {
                problems.add(
                    Problems.pointer(members.pointer("map"), rule.getKey()),
                    "must be the governed key, a string, got " + Members.describe(rule.getValue()));
              }
            });
    return KeyMapping.compile(rules, members.pointer("map"), problems::add);
  }

  /**
   * The blueprint as CONTRACT section 2 JSON, each flattened key one literal member of {@code
   * config} and of each override; parsing it back gives the same blueprint (same content hash).
   * What the server journals in place of a posted document whose secrets it redacted.
   */
  public static String toJson(Blueprint bp) {
    ObjectNode node = JSON.createObjectNode();
    node.put("bundle", bp.bundle());
    node.put("version", bp.version());
    ArrayNode environments = node.putArray("environments");
    for (EnvironmentSpec env : bp.environments()) {
      ObjectNode e = environments.addObject();
      e.put("id", env.id());
      e.put("name", env.name());
      e.put("tier", env.tier().name());
      if (env.owner() != null) {
        e.put("owner", env.owner());
      }
      if (env.system() != null) {
        e.put("system", env.system());
      }
      if (env.ttl() != null) {
        e.put("ttl", env.ttl().toString());
      }
      if (env.observeEvery() != null) {
        e.put("observeEvery", env.observeEvery().toString());
      }
    }
    if (bp.validated() != null) {
      ObjectNode v = node.putObject("validated");
      v.put("at", bp.validated().at().toString());
      v.put("by", bp.validated().by());
      v.put("evidence", bp.validated().evidence());
    }
    node.set("config", flat(bp.config()));
    if (!bp.overrides().isEmpty()) {
      ObjectNode overrides = node.putObject("overrides");
      new TreeMap<>(bp.overrides()).forEach((env, flat) -> overrides.set(env, flat(flat)));
    }
    if (!bp.dependencies().isEmpty()) {
      ArrayNode dependencies = node.putArray("dependencies");
      for (Dependency d : bp.dependencies()) {
        ObjectNode dep = dependencies.addObject();
        dep.put("key", d.key());
        d.dependsOn().forEach(dep.putArray("dependsOn")::add);
      }
    }
    if (!bp.ignore().isEmpty()) {
      bp.ignore().forEach(node.putArray("ignore")::add);
    }
    if (!bp.map().isEmpty()) {
      ObjectNode map = node.putObject("map");
      bp.map().forEach(r -> map.put(r.pattern(), r.target()));
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode flat(FlatConfig config) {
    ObjectNode node = JSON.createObjectNode();
    for (Map.Entry<String, String> e : config.values().entrySet()) {
      try {
        node.set(e.getKey(), JSON.readTree(e.getValue()));
      } catch (JsonProcessingException ex) {
        // Flattened values are canonical JSON texts by construction.
        throw new IllegalStateException("a flattened value is not JSON", ex);
      }
    }
    return node;
  }

  /** Exact numbers both ways, as for snapshots. */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  private static boolean isJson(byte[] content, String formatHint) {
    if (formatHint == null || formatHint.isBlank()) {
      int i = 0;
      if (content.length >= 3
          && (content[0] & 0xFF) == 0xEF
          && (content[1] & 0xFF) == 0xBB
          && (content[2] & 0xFF) == 0xBF) {
        i = 3; // UTF-8 byte order mark
      }
      while (i < content.length && " \t\r\n".indexOf(content[i]) >= 0) {
        i++;
      }
      return i < content.length && content[i] == '{';
    }
    String format = formatHint.strip().toLowerCase(Locale.ROOT);
    format = format.replaceFirst(";.*", "").replaceFirst("^(application|text)/(x-)?", "").strip();
    switch (format) {
      case "json":
        return true;
      case "yaml":
      case "yml":
        return false;
      default:
        throw new PlumblineException(
            LoaderError.UNSUPPORTED_FORMAT,
            "unsupported blueprint format "
                + Problems.quote(formatHint)
                + ": expected yaml or json",
            List.of());
    }
  }

  private static String version(Members members) {
    JsonNode version = members.get("version");
    if (version == null) {
      members.text("version", true); // reports it missing
      return null;
    }
    // YAML reads `version: 2.3` as a number: say what is wrong, not just "must be a string".
    if (!version.isTextual() || !SEMVER.matcher(version.textValue()).matches()) {
      members.problem(
          "version",
          "must be a semantic version MAJOR.MINOR.PATCH[-pre.release], got "
              + Members.describe(version));
      return null;
    }
    return version.textValue();
  }

  private static List<EnvironmentSpec> environments(Members members, Problems problems) {
    ArrayNode array = members.array("environments", true);
    List<EnvironmentSpec> environments = new ArrayList<>();
    if (array == null) {
      return environments;
    }
    if (array.isEmpty()) {
      members.problem("environments", "must declare at least one environment");
    }
    Map<String, String> firstById = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      Members env =
          Members.of(
              array.get(i),
              Problems.pointer(members.pointer("environments"), i),
              problems,
              ENVIRONMENT_FIELDS);
      String id = env.id("id");
      if (id != null) {
        String earlier = firstById.putIfAbsent(id, env.pointer("id"));
        if (earlier != null) {
          env.problem(
              "id", "duplicate environment id " + Problems.quote(id) + ", as at " + earlier);
        }
      }
      Tier tier = tier(env);
      String name = env.text("name", false);
      String owner = env.text("owner", false);
      String system = env.text("system", false);
      Duration ttl = ttl(env);
      Duration observeEvery = observeEvery(env);
      if (id != null && tier != null) {
        environments.add(
            new EnvironmentSpec(
                id, name == null ? id : name, tier, owner, system, ttl, observeEvery));
      }
    }
    return environments;
  }

  private static Tier tier(Members env) {
    String tier = env.text("tier", true);
    if (tier == null) {
      return null;
    }
    try {
      return Tier.valueOf(tier);
    } catch (IllegalArgumentException e) {
      env.problem("tier", "must be one of " + TIERS + ", got " + Problems.quote(tier));
      return null;
    }
  }

  /** ISO-8601 durations, days and weeks included: {@code PT12H}, {@code P14D}, {@code P2W}. */
  /**
   * How often a loader is expected to observe the environment; null (the default, one day) when
   * absent. Past twice this interval without a snapshot the environment is stale.
   */
  private static Duration observeEvery(Members env) {
    JsonNode node = env.get("observeEvery");
    if (node == null || node.isNull()) {
      return null;
    }
    Duration every = node.isTextual() ? parseDuration(node.textValue()) : null;
    if (every == null || every.isNegative() || every.isZero()) {
      env.problem(
          "observeEvery",
          "must be a positive ISO-8601 duration such as PT1H or P1D, got "
              + Members.describe(node));
      return null;
    }
    if (every.compareTo(MAX_OBSERVE_EVERY) > 0) {
      env.problem(
          "observeEvery",
          "must be at most " + MAX_OBSERVE_EVERY.toDays() + " days, got " + node.asText());
      return null;
    }
    return every;
  }

  private static Duration ttl(Members env) {
    JsonNode node = env.get("ttl");
    if (node == null) {
      return null;
    }
    Duration ttl = node.isTextual() ? parseDuration(node.textValue()) : null;
    if (ttl != null && ttl.compareTo(MAX_TTL) > 0) {
      env.problem("ttl", "must be at most " + MAX_TTL.toDays() + " days, got " + node.asText());
      return null;
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      env.problem(
          "ttl",
          "must be a positive ISO-8601 duration such as P14D or PT12H, or null, got "
              + Members.describe(node));
      return null;
    }
    return ttl;
  }

  private static Duration parseDuration(String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      try {
        // Duration has no weeks; a Period of whole days does. Months and years have no fixed
        // length.
        Period period = Period.parse(text);
        return period.getYears() == 0 && period.getMonths() == 0
            ? Duration.ofDays(period.getDays())
            : null;
      } catch (DateTimeParseException | ArithmeticException notPeriod) {
        return null;
      }
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static Validation validation(Members members, Problems problems) {
    if (members.get("validated") == null) {
      return null;
    }
    Members validated =
        Members.of(
            members.get("validated"), members.pointer("validated"), problems, VALIDATION_FIELDS);
    Instant at = validated.instant("at");
    String by = validated.text("by", true);
    String evidence = validated.text("evidence", true);
    return at == null || by == null || evidence == null ? null : new Validation(at, by, evidence);
  }

  private static Map<String, FlatConfig> overrides(
      Members members, List<EnvironmentSpec> environments, Problems problems) {
    ObjectNode node = members.object("overrides", false);
    Map<String, FlatConfig> overrides = new HashMap<>();
    if (node == null) {
      return overrides;
    }
    List<String> declared = environments.stream().map(EnvironmentSpec::id).toList();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String pointer = Problems.pointer(members.pointer("overrides"), entry.getKey());
      if (!declared.contains(entry.getKey())) {
        problems.add(
            pointer,
            "environment is not declared in environments (declared: "
                + String.join(", ", declared)
                + ")");
      } else if (!entry.getValue().isNull()) {
        overrides.put(entry.getKey(), Flattener.flatten(entry.getValue(), pointer, problems));
      }
    }
    return overrides;
  }

  private static List<Dependency> dependencies(Members members, Problems problems) {
    ArrayNode array = members.array("dependencies", false);
    List<Dependency> dependencies = new ArrayList<>();
    for (int i = 0; array != null && i < array.size(); i++) {
      Members dependency =
          Members.of(
              array.get(i),
              Problems.pointer(members.pointer("dependencies"), i),
              problems,
              DEPENDENCY_FIELDS);
      String key = dependency.text("key", true);
      List<String> dependsOn = dependency.texts("dependsOn", true, true);
      if (key != null && dependsOn != null) {
        dependencies.add(new Dependency(key, dependsOn));
      }
    }
    return dependencies;
  }

  /** The normalised content the hash covers; environments sorted by id, as their order is moot. */
  private static Map<String, Object> canonical(
      String bundle,
      String version,
      List<EnvironmentSpec> environments,
      Validation validated,
      FlatConfig config,
      Map<String, FlatConfig> overrides,
      List<Dependency> dependencies,
      List<String> ignore) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("bundle", bundle);
    content.put("version", version);
    content.put(
        "environments",
        environments.stream()
            .sorted(Comparator.comparing(EnvironmentSpec::id))
            .map(BlueprintParser::canonical)
            .toList());
    content.put(
        "validated",
        validated == null
            ? null
            : Map.of(
                "at", validated.at().toString(),
                "by", validated.by(),
                "evidence", validated.evidence()));
    content.put("config", config.values());
    Map<String, Object> overrideValues = new LinkedHashMap<>();
    overrides.forEach((env, flat) -> overrideValues.put(env, flat.values()));
    content.put("overrides", overrideValues);
    content.put(
        "dependencies",
        dependencies.stream()
            .map(d -> Map.of("key", d.key(), "dependsOn", d.dependsOn()))
            .toList());
    content.put("ignore", ignore);
    return content;
  }

  private static Map<String, Object> canonical(EnvironmentSpec env) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("id", env.id());
    spec.put("name", env.name());
    spec.put("tier", env.tier().name());
    spec.put("owner", env.owner());
    spec.put("system", env.system());
    spec.put("ttl", env.ttl() == null ? null : env.ttl().toString());
    // Only when declared: blueprints written before observeEvery keep their content hash.
    if (env.observeEvery() != null) {
      spec.put("observeEvery", env.observeEvery().toString());
    }
    return spec;
  }
}
