package org.plumbline.loaders;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.PromptVersion;
import org.plumbline.ontology.Snapshot;

/** Parsed records as JSON, the form golden {@code expected.json} files are written in. */
final class Rendered {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Rendered() {}

  static ObjectNode blueprint(Blueprint blueprint) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("bundle", blueprint.bundle());
    node.put("version", blueprint.version());
    node.put("contentHash", blueprint.contentHash());
    ArrayNode environments = node.putArray("environments");
    for (EnvironmentSpec env : blueprint.environments()) {
      com.fasterxml.jackson.databind.node.ObjectNode e = environments.addObject();
      e.put("id", env.id())
          .put("name", env.name())
          .put("tier", env.tier().name())
          .put("owner", env.owner())
          .put("system", env.system())
          .put("ttl", env.ttl() == null ? null : env.ttl().toString());
      if (env.observeEvery() != null) {
        e.put("observeEvery", env.observeEvery().toString());
      }
    }
    if (blueprint.validated() == null) {
      node.putNull("validated");
    } else {
      node.putObject("validated")
          .put("at", blueprint.validated().at().toString())
          .put("by", blueprint.validated().by())
          .put("evidence", blueprint.validated().evidence());
    }
    node.set("config", config(blueprint.config()));
    ObjectNode overrides = node.putObject("overrides");
    new TreeMap<>(blueprint.overrides()).forEach((env, flat) -> overrides.set(env, config(flat)));
    ArrayNode dependencies = node.putArray("dependencies");
    blueprint
        .dependencies()
        .forEach(
            d ->
                dependencies
                    .addObject()
                    .put("key", d.key())
                    .set("dependsOn", strings(d.dependsOn())));
    node.set("ignore", strings(blueprint.ignore()));
    ObjectNode expectedFor = node.putObject("expectedFor");
    blueprint
        .environments()
        .forEach(env -> expectedFor.set(env.id(), config(blueprint.expectedFor(env.id()))));
    return node;
  }

  static ObjectNode snapshot(Snapshot snapshot) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("environment", snapshot.environment());
    node.put("observedAt", snapshot.observedAt().toString());
    node.put("source", snapshot.source());
    node.set("config", config(snapshot.config()));
    node.put("contentHash", snapshot.contentHash());
    return node;
  }

  /**
   * Values with their type, since a label may look like a number: {@code number 0.30} (the exact
   * decimal, as the rules receive it) or {@code label NaN}.
   */
  static ObjectNode metricSample(ParsedMetricSample sample) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("environment", sample.environment());
    node.put("metric", sample.metric());
    node.put("kind", sample.kind());
    node.put("window", sample.window());
    node.put("baseline", sample.baseline());
    ArrayNode values = node.putArray("values");
    for (Object v : sample.values()) {
      values.add(v instanceof java.math.BigDecimal d ? "number " + d : "label " + v);
    }
    return node;
  }

  static ObjectNode changeRequests(List<ChangeRequest> requests) {
    ObjectNode node = MAPPER.createObjectNode();
    ArrayNode array = node.putArray("requests");
    for (ChangeRequest r : requests) {
      ObjectNode item = array.addObject().put("id", r.id()).put("environment", r.environment());
      item.set("keys", strings(r.keys()));
      item.put("from", r.from().toString())
          .put("until", r.until().toString())
          .put("approvedBy", r.approvedBy());
    }
    return node;
  }

  static ObjectNode prompt(PromptVersion prompt) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", prompt.id())
        .put("version", prompt.version())
        .put("text", prompt.text())
        .put("contentHash", prompt.contentHash())
        .put("testedWithModel", prompt.testedWithModel())
        .put("evalScore", prompt.evalScore())
        .put("evalSuite", prompt.evalSuite())
        .put("verifiedAt", prompt.verifiedAt() == null ? null : prompt.verifiedAt().toString());
    return node;
  }

  static ObjectNode loaded(Loaded loaded) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("format", loaded.format().id());
    if (loaded instanceof Loaded.BlueprintLoaded b) {
      node.set("blueprint", blueprint(b.blueprint()));
    } else if (loaded instanceof Loaded.SnapshotsLoaded s) {
      ArrayNode snapshots = node.putArray("snapshots");
      s.snapshots().forEach(snapshot -> snapshots.add(snapshot(snapshot)));
    } else if (loaded instanceof Loaded.ChangeRequestsLoaded c) {
      node.set("requests", changeRequests(c.requests()).get("requests"));
    } else if (loaded instanceof Loaded.PromptsLoaded p) {
      ArrayNode prompts = node.putArray("prompts");
      for (PromptVersionDocument v : p.versions()) {
        try {
          prompts.add(MAPPER.readTree(v.toJson()));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
    node.set("notes", strings(loaded.notes()));
    return node;
  }

  private static ObjectNode config(FlatConfig config) {
    ObjectNode node = MAPPER.createObjectNode();
    for (Map.Entry<String, String> e : config.values().entrySet()) {
      node.put(e.getKey(), e.getValue());
    }
    return node;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = MAPPER.createArrayNode();
    values.forEach(array::add);
    return array;
  }
}
