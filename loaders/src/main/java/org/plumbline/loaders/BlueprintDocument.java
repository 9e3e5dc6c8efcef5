package org.plumbline.loaders;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.plumbline.loaders.internal.Flattener;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.Dependency;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;

/**
 * A stored bundle version written back as the document a team keeps in git: {@code config} and each
 * override nested again ({@code llm: {temperature: 0.3}}), the {@code map} section in its order,
 * every other section as CONTRACT section 2 writes it. Parsing the document gives the same version
 * (the same content hash): a configuration that cannot be nested back without changing its keys (a
 * member name holding a {@code .}, a list with a gap) is written with literal keys instead.
 */
public final class BlueprintDocument {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  static {
    YAML.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
  }

  private BlueprintDocument() {}

  /** The version as a tree, sections in the contract's order, configurations nested. */
  public static ObjectNode tree(Blueprint bp) {
    ObjectNode node = JSON.createObjectNode();
    node.put("bundle", bp.bundle());
    node.put("version", bp.version());
    ArrayNode environments = node.putArray("environments");
    for (EnvironmentSpec env : bp.environments()) {
      ObjectNode e = environments.addObject();
      e.put("id", env.id());
      if (!env.name().equals(env.id())) {
        e.put("name", env.name());
      }
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
    if (!bp.map().isEmpty()) {
      ObjectNode map = node.putObject("map");
      bp.map().forEach(r -> map.put(r.pattern(), r.target()));
    }
    node.set("config", nested(bp.config()));
    if (!bp.overrides().isEmpty()) {
      ObjectNode overrides = node.putObject("overrides");
      new TreeMap<>(bp.overrides()).forEach((env, flat) -> overrides.set(env, nested(flat)));
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
    return node;
  }

  /** The version as the YAML a team keeps in git. */
  public static String yaml(Blueprint bp) {
    return yaml(tree(bp));
  }

  /** A blueprint tree as YAML (what {@code blueprint export} and {@code blueprint init} print). */
  public static String yaml(JsonNode tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a blueprint tree always writes", e);
    }
  }

  /**
   * A flattened configuration nested again: {@code a.b[0].c} is {@code {a: {b: [{c: …}]}}}. When
   * nesting would not flatten back to exactly these keys, the keys are written literally (a member
   * per key), which the parser reads back the same.
   */
  public static ObjectNode nested(FlatConfig config) {
    ObjectNode nested = JSON.createObjectNode();
    boolean ok = true;
    for (Map.Entry<String, String> e : config.values().entrySet()) {
      if (!put(nested, path(e.getKey()), value(e.getValue()))) {
        ok = false;
        break;
      }
    }
    if (ok) {
      Problems problems = new Problems();
      FlatConfig back = Flattener.flatten(nested, "", problems);
      if (problems.isEmpty() && back.equals(config)) {
        return nested;
      }
    }
    ObjectNode literal = JSON.createObjectNode();
    config.values().forEach((k, v) -> literal.set(k, value(v)));
    return literal;
  }

  private static JsonNode value(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a flattened value is not JSON", e);
    }
  }

  /** The steps of a key: member names (String) and list indexes (Integer). */
  private static List<Object> path(String key) {
    List<Object> steps = new ArrayList<>();
    for (String part : key.split("\\.", -1)) {
      int bracket = part.indexOf('[');
      String name = bracket < 0 ? part : part.substring(0, bracket);
      String rest = bracket < 0 ? "" : part.substring(bracket);
      if (!rest.matches("(\\[\\d{1,6}\\])*")) {
        steps.add(part); // a literal member name such as this["eu-west-1"]
        continue;
      }
      steps.add(name);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(\\d+)\\]").matcher(rest);
      while (m.find()) {
        steps.add(Integer.parseInt(m.group(1)));
      }
    }
    return steps;
  }

  /** Puts {@code value} at {@code path}; false when the path runs into what is already there. */
  private static boolean put(ObjectNode root, List<Object> path, JsonNode value) {
    JsonNode at = root;
    for (int i = 0; i < path.size(); i++) {
      Object step = path.get(i);
      boolean last = i == path.size() - 1;
      Object nextStep = last ? null : path.get(i + 1);
      if (step instanceof String name) {
        if (!(at instanceof ObjectNode object) || name.isEmpty()) {
          return false;
        }
        JsonNode child = object.get(name);
        if (last) {
          if (child != null) {
            return false;
          }
          object.set(name, value);
          return true;
        }
        if (child == null) {
          child = nextStep instanceof Integer ? object.putArray(name) : object.putObject(name);
        }
        at = child;
      } else {
        int index = (Integer) step;
        if (!(at instanceof ArrayNode array)) {
          return false;
        }
        while (array.size() <= index) {
          array.addNull();
        }
        JsonNode child = array.get(index);
        if (last) {
          if (!child.isNull()) {
            return false;
          }
          array.set(index, value);
          return true;
        }
        if (child.isNull()) {
          child =
              nextStep instanceof Integer
                  ? JsonNodeFactory.instance.arrayNode()
                  : JsonNodeFactory.instance.objectNode();
          array.set(index, child);
        }
        at = child;
      }
    }
    return false;
  }
}
