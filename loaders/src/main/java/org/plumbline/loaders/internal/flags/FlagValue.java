package org.plumbline.loaders.internal.flags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The value a flag key holds in a snapshot. Scalars stay as they are; an object or list variation
 * becomes one string of compact JSON with sorted members, so each flag is exactly one {@code
 * flags.<key>} key: {@code STALE_FLAG} and blueprints then count flags, not the members of their
 * payloads.
 */
final class FlagValue {
  private FlagValue() {}

  static JsonNode of(JsonNode variation) {
    if (variation == null || variation.isValueNode()) {
      return variation;
    }
    return TextNode.valueOf(sorted(variation).toString());
  }

  /** How a variation reads in a note or rollout description. */
  static String describe(JsonNode variation) {
    JsonNode value = of(variation);
    return value == null ? "null" : value.isTextual() ? value.textValue() : value.toString();
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> members = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        members.put(e.getKey(), sorted(e.getValue()));
      }
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      members.forEach(copy::set);
      return copy;
    }
    if (node.isArray()) {
      var copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> copy.add(sorted(item)));
      return copy;
    }
    return node;
  }
}
