package org.plumbline.loaders.internal.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Problems;

/**
 * A raw {@code terraform.tfstate} of format version 4 (what a loader job fetches from an S3, GCS,
 * HTTP or Terraform Cloud backend), turned into the {@code values} tree {@code terraform show
 * -json} would print for it, so that both give the same keys.
 *
 * <p>Each instance of a resource gets the address {@code terraform state list} prints: the
 * resource's {@code module} path, {@code data.} for data sources, {@code type.name}, and {@code
 * [index_key]} for {@code count} (a number) and {@code for_each} (a string, quoted). Its {@code
 * attributes} are the values; its {@code sensitive_attributes} (a list of paths, each a list of
 * {@code get_attr} and {@code index} steps) become the {@code sensitive_values} mirror, so those
 * values are redacted exactly as in {@code show -json}. Outputs keep their {@code sensitive} flag.
 */
final class RawState {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RawState() {}

  /** Whether {@code root} is a raw state rather than {@code show -json} output. */
  static boolean is(JsonNode root) {
    return root != null
        && root.isObject()
        && !root.has("format_version")
        && root.has("lineage")
        && root.has("resources");
  }

  /**
   * The {@code values} object ({@code outputs}, {@code root_module.resources}) of {@code show
   * -json}, with every problem of the raw state recorded under its own pointer.
   */
  static ObjectNode values(JsonNode root, Problems problems) {
    Members top = Members.lenient(root, "", problems);
    Long version = top.integer("version", true, 0, Integer.MAX_VALUE);
    if (version != null && version != 4) {
      top.problem(
          "version",
          "state format version "
              + version
              + " is not read; Terraform 0.12 and later write version 4 (run terraform plan once"
              + " with a current Terraform, or load terraform show -json)");
    }
    ObjectNode values = NODES.objectNode();
    ObjectNode outputs = top.object("outputs", false);
    if (outputs != null) {
      values.set("outputs", outputs);
    }
    ArrayNode resources = top.array("resources", true);
    ArrayNode shown = values.putObject("root_module").putArray("resources");
    Map<String, String> firstPointer = new HashMap<>();
    for (int i = 0; resources != null && i < resources.size(); i++) {
      resource(
          resources.get(i),
          Problems.pointer(top.pointer("resources"), i),
          shown,
          firstPointer,
          problems);
    }
    return values;
  }

  private static void resource(
      JsonNode node,
      String pointer,
      ArrayNode shown,
      Map<String, String> firstPointer,
      Problems problems) {
    Members resource = Members.lenient(node, pointer, problems);
    String mode = resource.text("mode", true);
    String type = resource.text("type", true);
    String name = resource.text("name", true);
    String module = resource.text("module", false);
    ArrayNode instances = resource.array("instances", true);
    if (mode != null && !mode.equals("managed") && !mode.equals("data")) {
      resource.problem("mode", "must be managed or data, got " + Problems.quote(mode));
      return;
    }
    if (mode == null || type == null || name == null || instances == null) {
      return;
    }
    String base =
        (module == null ? "" : module + ".")
            + (mode.equals("data") ? "data." : "")
            + type
            + "."
            + name;
    for (int i = 0; i < instances.size(); i++) {
      String at = Problems.pointer(resource.pointer("instances"), i);
      Members instance = Members.lenient(instances.get(i), at, problems);
      ObjectNode attributes = instance.object("attributes", true);
      String index = indexKey(instance);
      if (attributes == null || index == null) {
        continue;
      }
      String address = base + index;
      String earlier = firstPointer.putIfAbsent(address, at);
      if (earlier != null) {
        instance.problem(
            "index_key", "duplicate address " + Problems.quote(address) + ", as at " + earlier);
        continue;
      }
      ObjectNode entry = shown.addObject();
      entry.put("address", address);
      entry.put("mode", mode);
      entry.set("values", attributes);
      JsonNode paths = instance.get("sensitive_attributes");
      if (paths != null) {
        entry.set(
            "sensitive_values", mirror(paths, instance.pointer("sensitive_attributes"), problems));
      }
    }
  }

  /** {@code ""}, {@code "[0]"} or {@code "[\"eu-west-1\"]"}; {@code null} when malformed. */
  private static String indexKey(Members instance) {
    JsonNode key = instance.get("index_key");
    if (key == null) {
      return "";
    }
    if (key.isIntegralNumber() && key.canConvertToLong() && key.longValue() >= 0) {
      return "[" + key.longValue() + "]";
    }
    if (key.isTextual()) {
      return "[\"" + key.textValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }
    instance.problem(
        "index_key",
        "must be a whole number (count) or a string (for_each), got " + Members.describe(key));
    return null;
  }

  /**
   * The {@code sensitive_values} mirror of a list of attribute paths: {@code true} at each path's
   * end, objects for {@code get_attr} steps and for {@code index} steps into maps, lists for
   * numeric indexes.
   */
  private static JsonNode mirror(JsonNode paths, String pointer, Problems problems) {
    ObjectNode mirror = NODES.objectNode();
    if (!paths.isArray()) {
      problems.add(pointer, "must be a list of attribute paths, got " + Members.describe(paths));
      return mirror;
    }
    for (int i = 0; i < paths.size(); i++) {
      String at = Problems.pointer(pointer, i);
      JsonNode path = paths.get(i);
      if (!path.isArray() || path.isEmpty()) {
        problems.add(at, "must be a non-empty list of steps, got " + Members.describe(path));
        continue;
      }
      mark(mirror, path, at, problems);
    }
    return mirror;
  }

  private static void mark(ObjectNode mirror, JsonNode path, String pointer, Problems problems) {
    JsonNode node = mirror;
    for (int s = 0; s < path.size(); s++) {
      String at = Problems.pointer(pointer, s);
      Object step = step(path.get(s), at, problems);
      if (step == null) {
        return;
      }
      boolean last = s == path.size() - 1;
      Object nextStep = last ? null : peek(path.get(s + 1));
      JsonNode child =
          last
              ? NODES.booleanNode(true)
              : nextStep instanceof Integer ? NODES.arrayNode() : NODES.objectNode();
      if (step instanceof Integer index && node instanceof ArrayNode list) {
        while (list.size() <= index) {
          list.add(NODES.objectNode());
        }
        if (last
            || !(list.get(index).isContainerNode())
            || list.get(index).isArray() != child.isArray()) {
          list.set(index, child);
        }
        node = list.get(index);
      } else if (step instanceof String name && node instanceof ObjectNode object) {
        JsonNode existing = object.get(name);
        if (last || existing == null || existing.isArray() != child.isArray()) {
          object.set(name, child);
        }
        node = object.get(name);
      } else {
        problems.add(at, "does not fit the steps before it");
        return;
      }
      if (!node.isContainerNode()) {
        return; // the whole value above is sensitive already
      }
    }
  }

  /** A step: an attribute or map key ({@code String}), or a list index ({@code Integer}). */
  private static Object step(JsonNode step, String pointer, Problems problems) {
    String type = step.path("type").asText("");
    JsonNode value = step.get("value");
    if (type.equals("get_attr") && value != null && value.isTextual()) {
      return value.textValue();
    }
    if (type.equals("index") && value != null) {
      JsonNode key = value.isObject() ? value.get("value") : value;
      if (key != null
          && key.isIntegralNumber()
          && key.canConvertToInt()
          && key.intValue() >= 0
          && key.intValue() < 10_000) {
        return key.intValue();
      }
      if (key != null && key.isTextual()) {
        return key.textValue();
      }
    }
    problems.add(
        pointer,
        "must be {type: get_attr, value: NAME} or {type: index, value: {value, type}}, got "
            + Members.describe(step));
    return null;
  }

  private static Object peek(JsonNode step) {
    JsonNode value = step.get("value");
    JsonNode key = value != null && value.isObject() ? value.get("value") : value;
    return "index".equals(step.path("type").asText()) && key != null && key.isIntegralNumber()
        ? Integer.valueOf(0)
        : "";
  }
}
