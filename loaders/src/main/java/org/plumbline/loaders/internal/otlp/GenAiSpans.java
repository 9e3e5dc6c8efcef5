package org.plumbline.loaders.internal.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.plumbline.loaders.Format;
import org.plumbline.loaders.LoadContext;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.internal.Document;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Observations;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.loaders.internal.Timestamps;
import org.plumbline.ontology.Snapshot;

/**
 * OpenTelemetry GenAI spans in OTLP JSON: one {@code ExportTraceServiceRequest}, or JSON Lines of
 * them as the collector's file exporter writes. Each environment's GenAI spans (those with {@code
 * gen_ai.request.model} or {@code gen_ai.response.model}) give one snapshot: for each key the value
 * of the newest span, observed at that span's end.
 *
 * <p>{@code model.version} is the model the application <em>requested</em> ({@code
 * gen_ai.request.model}): that is what its configuration says, what a blueprint pins and what the
 * other loaders report, so an application that asks for the alias {@code gpt-4o} drifts from a
 * pinned {@code gpt-4o-2024-08-06} with {@code ALIAS_MODEL_VERSION} even while the provider still
 * serves the pinned release. {@code model.served} is what answered ({@code gen_ai.response.model}):
 * when the alias moves, it changes while {@code model.version} does not, and the change history
 * shows the instant. Embedding spans give {@code embedding.model} and {@code embedding.served}.
 *
 * <p>The environment is {@code --environment}, else the resource attribute {@code
 * deployment.environment.name} (or the older {@code deployment.environment}).
 */
public final class GenAiSpans {
  /** Request attributes of a chat or completion span, and the keys they become. */
  private static final Map<String, String> CHAT_KEYS = new LinkedHashMap<>();

  /** Request attributes of an embeddings span. */
  private static final Map<String, String> EMBEDDING_KEYS = new LinkedHashMap<>();

  private static final Set<String> NUMERIC_KEYS =
      Set.of(
          "llm.temperature",
          "llm.top_p",
          "llm.top_k",
          "llm.max_tokens",
          "llm.frequency_penalty",
          "llm.presence_penalty",
          "llm.seed");

  static {
    CHAT_KEYS.put("gen_ai.request.model", "model.version");
    CHAT_KEYS.put("gen_ai.response.model", "model.served");
    CHAT_KEYS.put("gen_ai.provider.name", "model.provider");
    CHAT_KEYS.put("gen_ai.system", "model.provider"); // before semantic conventions 1.37
    CHAT_KEYS.put("gen_ai.request.temperature", "llm.temperature");
    CHAT_KEYS.put("gen_ai.request.top_p", "llm.top_p");
    CHAT_KEYS.put("gen_ai.request.top_k", "llm.top_k");
    CHAT_KEYS.put("gen_ai.request.max_tokens", "llm.max_tokens");
    CHAT_KEYS.put("gen_ai.request.frequency_penalty", "llm.frequency_penalty");
    CHAT_KEYS.put("gen_ai.request.presence_penalty", "llm.presence_penalty");
    CHAT_KEYS.put("gen_ai.request.seed", "llm.seed");
    CHAT_KEYS.put("gen_ai.request.stop_sequences", "llm.stop_sequences");
    EMBEDDING_KEYS.put("gen_ai.request.model", "embedding.model");
    EMBEDDING_KEYS.put("gen_ai.response.model", "embedding.served");
  }

  private final LoadContext context;
  private final Problems problems = new Problems();
  private final Map<String, Observed> byEnvironment = new LinkedHashMap<>();
  private int spans;
  private int genAiSpans;

  /** The newest value of each key in one environment, and every value seen. */
  private static final class Observed {
    final Map<String, JsonNode> values = new TreeMap<>();
    final Map<String, Instant> at = new TreeMap<>();
    final Map<String, Set<String>> seen = new TreeMap<>();
    Instant newest;
    String source;
  }

  private GenAiSpans(LoadContext context) {
    this.context = context;
  }

  public static Loaded.SnapshotsLoaded parse(List<Document> documents, LoadContext context) {
    return new GenAiSpans(context).parse(documents);
  }

  private Loaded.SnapshotsLoaded parse(List<Document> documents) {
    boolean several = documents.size() > 1;
    for (Document document : documents) {
      if (document.root() == null) {
        continue;
      }
      Members request = Members.lenient(document.root(), document.rootPointer(several), problems);
      ArrayNode resourceSpans = request.array("resourceSpans", true);
      String base = document.base(several);
      for (int i = 0; resourceSpans != null && i < resourceSpans.size(); i++) {
        resource(
            resourceSpans.get(i), Problems.pointer(Problems.pointer(base, "resourceSpans"), i));
      }
    }
    problems.throwIfAny(LoaderError.INVALID_OTLP, "invalid OTLP JSON");
    List<Snapshot> snapshots = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    notes.add(genAiSpans + " GenAI spans of " + spans);
    if (genAiSpans == 0) {
      notes.add("no GenAI spans (gen_ai.request.model): nothing to load");
    }
    for (Map.Entry<String, Observed> entry : byEnvironment.entrySet()) {
      Observed observed = entry.getValue();
      ObjectNode config = JsonNodeFactory.instance.objectNode();
      observed.values.forEach(config::set);
      snapshots.add(
          Observations.snapshot(
              entry.getKey(),
              context.observedAtOr(observed.newest),
              observed.source,
              config,
              problems));
      observed.seen.forEach(
          (key, values) -> {
            if (values.size() > 1) {
              notes.add(
                  entry.getKey()
                      + ": "
                      + key
                      + " took "
                      + values.size()
                      + " values in this file ("
                      + String.join(", ", values)
                      + "); the newest is kept");
            }
          });
    }
    problems.throwIfAny(LoaderError.INVALID_OTLP, "invalid OTLP JSON");
    return new Loaded.SnapshotsLoaded(Format.OTLP, snapshots, notes);
  }

  private void resource(JsonNode node, String pointer) {
    Members resourceSpans = Members.lenient(node, pointer, problems);
    Map<String, JsonNode> resource = Map.of();
    ObjectNode resourceNode = resourceSpans.object("resource", false);
    if (resourceNode != null) {
      Members r = Members.lenient(resourceNode, resourceSpans.pointer("resource"), problems);
      resource = attributes(r.array("attributes", false), r.pointer("attributes"));
    }
    String scopesName =
        resourceSpans.get("scopeSpans") == null
                && resourceSpans.get("instrumentationLibrarySpans") != null
            ? "instrumentationLibrarySpans" // OTLP before 0.15
            : "scopeSpans";
    ArrayNode scopes = resourceSpans.array(scopesName, false);
    for (int i = 0; scopes != null && i < scopes.size(); i++) {
      Members scope =
          Members.lenient(
              scopes.get(i), Problems.pointer(resourceSpans.pointer(scopesName), i), problems);
      ArrayNode list = scope.array("spans", false);
      for (int j = 0; list != null && j < list.size(); j++) {
        span(list.get(j), Problems.pointer(scope.pointer("spans"), j), resource);
      }
    }
  }

  private void span(JsonNode node, String pointer, Map<String, JsonNode> resource) {
    spans++;
    Members span = Members.lenient(node, pointer, problems);
    Map<String, JsonNode> attributes =
        attributes(span.array("attributes", false), span.pointer("attributes"));
    if (!attributes.containsKey("gen_ai.request.model")
        && !attributes.containsKey("gen_ai.response.model")) {
      return;
    }
    genAiSpans++;
    JsonNode endNode = span.get("endTimeUnixNano");
    String timeMember = endNode == null ? "startTimeUnixNano" : "endTimeUnixNano";
    JsonNode timeNode = endNode == null ? span.get("startTimeUnixNano") : endNode;
    Instant at = Timestamps.unixNanos(timeNode);
    if (at == null) {
      span.problem(
          timeMember,
          "must be nanoseconds since the epoch, as digits, got " + Members.describe(timeNode));
      return;
    }
    String fromResource = text(resource.get("deployment.environment.name"));
    if (fromResource == null) {
      fromResource = text(resource.get("deployment.environment"));
    }
    String environment =
        Observations.requireEnvironment(
            context.environmentOr(fromResource),
            Format.OTLP,
            "the resource attribute deployment.environment.name at " + pointer);
    String service = text(resource.get("service.name"));
    Observed observed = byEnvironment.computeIfAbsent(environment, e -> new Observed());
    boolean embeddings = "embeddings".equals(text(attributes.get("gen_ai.operation.name")));
    Map<String, String> keys = embeddings ? EMBEDDING_KEYS : CHAT_KEYS;
    for (Map.Entry<String, String> mapping : keys.entrySet()) {
      JsonNode value = attributes.get(mapping.getKey());
      String key = mapping.getValue();
      if (value == null || !valid(key, value, span.pointer("attributes"), mapping.getKey())) {
        continue;
      }
      observed.seen.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(value.toString());
      Instant previous = observed.at.get(key);
      if (previous == null || !at.isBefore(previous)) { // later spans in the file win ties
        observed.values.put(key, value);
        observed.at.put(key, at);
      }
    }
    if (observed.newest == null || !at.isBefore(observed.newest)) {
      observed.newest = at;
      observed.source = service == null ? "otel" : "otel/" + service;
    }
  }

  private boolean valid(String key, JsonNode value, String pointer, String attribute) {
    boolean ok =
        NUMERIC_KEYS.contains(key)
            ? value.isNumber()
            : key.equals("llm.stop_sequences") ? value.isArray() : value.isTextual();
    if (!ok) {
      problems.add(
          pointer + "[" + attribute + "]",
          "must be "
              + (NUMERIC_KEYS.contains(key)
                  ? "a number (intValue or doubleValue)"
                  : key.equals("llm.stop_sequences") ? "an arrayValue" : "a stringValue")
              + ", got "
              + Members.describe(value));
    }
    return ok;
  }

  /** OTLP attributes ({@code [{key, value: AnyValue}]}) as plain JSON values by name. */
  private Map<String, JsonNode> attributes(ArrayNode list, String pointer) {
    Map<String, JsonNode> attributes = new LinkedHashMap<>();
    for (int i = 0; list != null && i < list.size(); i++) {
      Members attribute = Members.lenient(list.get(i), Problems.pointer(pointer, i), problems);
      String key = attribute.text("key", true);
      JsonNode value = attribute.get("value");
      if (key != null && value != null) {
        JsonNode plain = anyValue(value, attribute.pointer("value"));
        if (plain != null) {
          attributes.put(key, plain);
        }
      }
    }
    return attributes;
  }

  /** An OTLP {@code AnyValue}: exactly one of stringValue, boolValue, intValue, ... */
  private JsonNode anyValue(JsonNode node, String pointer) {
    Members value = Members.lenient(node, pointer, problems);
    if (!value.isObject() || node.isEmpty()) {
      return null;
    }
    if (node.size() != 1) {
      problems.add(pointer, "must hold exactly one of stringValue, boolValue, intValue, ...");
      return null;
    }
    String kind = node.fieldNames().next();
    JsonNode v = node.get(kind);
    switch (kind) {
      case "stringValue":
      case "bytesValue":
        if (!v.isTextual()) {
          value.problem(kind, "must be a string, got " + Members.describe(v));
          return null;
        }
        return v;
      case "boolValue":
        return value.bool(kind, true) == null ? null : v;
      case "intValue":
        if (v.isIntegralNumber()) {
          return v;
        }
        if (v.isTextual() && v.textValue().matches("-?\\d{1,19}")) {
          return JsonNodeFactory.instance.numberNode(new BigInteger(v.textValue()));
        }
        value.problem(kind, "must be a whole number, got " + Members.describe(v));
        return null;
      case "doubleValue":
        if (v.isNumber()) {
          return v;
        }
        if (v.isTextual()) {
          try {
            return DecimalNode.valueOf(new BigDecimal(v.textValue()));
          } catch (NumberFormatException e) {
            // NaN and Infinity are valid OTLP, but no configuration value.
          }
        }
        value.problem(kind, "must be a finite number, got " + Members.describe(v));
        return null;
      case "arrayValue":
        Members array = Members.lenient(v, value.pointer(kind), problems);
        ArrayNode items = array.array("values", false);
        ArrayNode plain = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; items != null && i < items.size(); i++) {
          JsonNode item = anyValue(items.get(i), Problems.pointer(array.pointer("values"), i));
          if (item != null) {
            plain.add(item);
          }
        }
        return plain;
      case "kvlistValue":
        Members kv = Members.lenient(v, value.pointer(kind), problems);
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        attributes(kv.array("values", false), kv.pointer("values")).forEach(object::set);
        return object;
      default:
        problems.add(Problems.pointer(pointer, kind), "unknown OTLP value kind");
        return null;
    }
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() && !node.textValue().isBlank()
        ? node.textValue()
        : null;
  }
}
