package org.plumbline.loaders.internal.flags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.plumbline.loaders.Format;
import org.plumbline.loaders.LoadContext;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.internal.Document;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Observations;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.loaders.internal.Timestamps;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;

/**
 * LaunchDarkly flags: the REST API's flag list ({@code {"items": [...]}}) or one flag, whose
 * settings are per LaunchDarkly environment, or the SDK/relay flag data ({@code {"flags": {...}}})
 * of one environment. Each live flag gives {@code flags.<flag key>}: the fallthrough variation's
 * value when the flag is on, the off variation's when it is off (no key when it has none), and for
 * a percentage rollout a description such as {@code rollout: true 10%, false 90%}. Archived and
 * deleted flags have no key.
 *
 * <p>The API shape holds several LaunchDarkly environments: {@code --source-environment KEY} picks
 * one, and may be left out when the file holds only one ({@code ?env=production}). The newest
 * {@code lastModified} of the picked environment is the file's own time. Creation dates ({@code
 * creationDate}) are reported, with the flags older than 30 days: Plumbline's {@code STALE_FLAG}
 * counts from the first observation, so these show what a first import will flag a month later.
 */
public final class LaunchDarklyFlags {
  private static final Duration STALE = Duration.ofDays(30);

  private final LoadContext context;
  private final Problems problems = new Problems();
  private final ObjectNode flags = JsonNodeFactory.instance.objectNode();
  private final Map<String, Instant> created = new TreeMap<>();
  private String sourceEnvironment;
  private Instant lastModified;
  private int archived;

  private LaunchDarklyFlags(LoadContext context) {
    this.context = context;
  }

  public static Loaded.SnapshotsLoaded parse(List<Document> documents, LoadContext context) {
    return new LaunchDarklyFlags(context).parse(documents);
  }

  private Loaded.SnapshotsLoaded parse(List<Document> documents) {
    if (documents.size() != 1 || documents.get(0).root() == null) {
      problems.add("", "must be one JSON document, got " + documents.size());
      problems.throwIfAny(LoaderError.INVALID_LAUNCHDARKLY, "invalid LaunchDarkly flags");
    }
    JsonNode root = documents.get(0).root();
    Members top = Members.lenient(root, "", problems);
    int total = 0;
    if (top.isObject() && root.has("items")) {
      ArrayNode items = top.array("items", true);
      sourceEnvironment = pickEnvironment(items);
      for (int i = 0; items != null && i < items.size(); i++) {
        apiFlag(items.get(i), Problems.pointer(top.pointer("items"), i));
        total++;
      }
    } else if (top.isObject() && root.has("variations")) {
      sourceEnvironment = pickEnvironment(JsonNodeFactory.instance.arrayNode().add(root));
      apiFlag(root, "");
      total = 1;
    } else if (top.isObject() && root.has("path") && root.has("data")) {
      // A streaming put event's payload: {"path": "/", "data": {"flags": ..., "segments": ...}}.
      String path = top.text("path", true);
      if (path != null && !path.equals("/")) {
        top.problem("path", "must be / (a full put of all flags), got " + Problems.quote(path));
      }
      ObjectNode data = top.object("data", true);
      total = data == null ? 0 : sdkData(Members.lenient(data, top.pointer("data"), problems));
    } else if (top.isObject()) {
      total = sdkData(top);
    }
    problems.throwIfAny(LoaderError.INVALID_LAUNCHDARKLY, "invalid LaunchDarkly flags");
    String environment =
        Observations.requireEnvironment(
            context.environmentOr(null), Format.LAUNCHDARKLY, "LaunchDarkly flag JSON has none");
    Instant observedAt = context.observedAtOr(lastModified);
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    if (!flags.isEmpty()) {
      config.set("flags", flags);
    }
    Snapshot snapshot =
        Observations.snapshot(environment, observedAt, "launchdarkly", config, problems);
    problems.throwIfAny(LoaderError.INVALID_LAUNCHDARKLY, "invalid LaunchDarkly flags");
    return new Loaded.SnapshotsLoaded(
        Format.LAUNCHDARKLY, List.of(snapshot), notes(total, observedAt));
  }

  private List<String> notes(int total, Instant observedAt) {
    List<String> notes = new ArrayList<>();
    notes.add(
        total
            + (total == 1 ? " flag" : " flags")
            + (sourceEnvironment == null ? "" : " in LaunchDarkly environment " + sourceEnvironment)
            + ": "
            + flags.size()
            + " served"
            + (archived > 0 ? ", " + archived + " archived or deleted (no key)" : ""));
    if (!created.isEmpty()) {
      List<String> old = new ArrayList<>();
      created.forEach(
          (key, at) -> {
            if (at.plus(STALE).isBefore(observedAt)) {
              old.add(key + " (" + at + ")");
            }
          });
      notes.add(
          "created "
              + created.values().stream().min(Instant::compareTo).orElseThrow()
              + " to "
              + created.values().stream().max(Instant::compareTo).orElseThrow()
              + (old.isEmpty()
                  ? ""
                  : "; more than 30 days before this observation: " + String.join(", ", old)));
    }
    return notes;
  }

  /** The LaunchDarkly environment to read from API flags: the option, or the only one there is. */
  private String pickEnvironment(ArrayNode items) {
    if (context.sourceEnvironment() != null) {
      return context.sourceEnvironment();
    }
    TreeSet<String> seen = new TreeSet<>();
    for (int i = 0; items != null && i < items.size(); i++) {
      JsonNode environments = items.get(i).path("environments");
      environments.fieldNames().forEachRemaining(seen::add);
    }
    if (seen.size() > 1) {
      throw new PlumblineException(
          LoaderError.ENVIRONMENT_REQUIRED,
          "these LaunchDarkly flags hold several environments: pick one with"
              + " --source-environment KEY",
          List.of("/items/*/environments: " + String.join(", ", seen)));
    }
    return seen.isEmpty() ? null : seen.first();
  }

  private void apiFlag(JsonNode node, String pointer) {
    Members flag = Members.lenient(node, pointer, problems);
    String key = flag.text("key", true);
    ArrayNode variationNodes = flag.array("variations", true);
    Boolean isArchived = flag.bool("archived", false);
    ObjectNode environments = flag.object("environments", true);
    JsonNode creation = flag.get("creationDate");
    if (creation != null && Timestamps.epochMillis(creation) == null) {
      flag.problem(
          "creationDate",
          "must be milliseconds since the epoch, got " + Members.describe(creation));
    }
    List<JsonNode> variations = new ArrayList<>();
    for (int i = 0; variationNodes != null && i < variationNodes.size(); i++) {
      Members variation =
          Members.lenient(
              variationNodes.get(i), Problems.pointer(flag.pointer("variations"), i), problems);
      variations.add(variation.isObject() ? variation.node().get("value") : null);
    }
    if (key == null || variationNodes == null || environments == null) {
      return;
    }
    if (Boolean.TRUE.equals(isArchived)) {
      archived++;
      return;
    }
    if (creation != null && Timestamps.epochMillis(creation) != null) {
      created.put(key, Timestamps.epochMillis(creation));
    }
    if (sourceEnvironment == null || !environments.has(sourceEnvironment)) {
      flag.problem(
          "environments",
          "has no LaunchDarkly environment "
              + Problems.quote(String.valueOf(sourceEnvironment))
              + " (has: "
              + String.join(", ", (Iterable<String>) environments::fieldNames)
              + ")");
      return;
    }
    Members env =
        Members.lenient(
            environments.get(sourceEnvironment),
            Problems.pointer(flag.pointer("environments"), sourceEnvironment),
            problems);
    JsonNode modified = env.get("lastModified");
    Instant at = Timestamps.epochMillis(modified);
    if (modified != null && at == null) {
      env.problem(
          "lastModified",
          "must be milliseconds since the epoch, got " + Members.describe(modified));
    } else if (at != null && (lastModified == null || at.isAfter(lastModified))) {
      lastModified = at;
    }
    served(key, env, variations);
  }

  /**
   * SDK or relay flag data: {@code flags} in the SDK form (raw {@code variations}), and the file
   * data source's {@code flagValues} (a plain flag key to value), either or both.
   */
  private int sdkData(Members data) {
    int total = 0;
    ObjectNode sdkFlags = data.object("flags", !data.isObject() || data.get("flagValues") == null);
    for (Iterator<Map.Entry<String, JsonNode>> it =
            sdkFlags == null ? null : sdkFlags.properties().iterator();
        it != null && it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      sdkFlag(
          entry.getKey(),
          entry.getValue(),
          Problems.pointer(data.pointer("flags"), entry.getKey()));
      total++;
    }
    ObjectNode values = data.object("flagValues", false);
    for (Iterator<Map.Entry<String, JsonNode>> it =
            values == null ? null : values.properties().iterator();
        it != null && it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (sdkFlags != null && sdkFlags.has(entry.getKey())) {
        problems.add(
            Problems.pointer(data.pointer("flagValues"), entry.getKey()),
            "is also a flag in /flags; a key may be in one of them only");
        continue;
      }
      put(entry.getKey(), FlagValue.of(entry.getValue()));
      total++;
    }
    return total;
  }

  private void sdkFlag(String name, JsonNode node, String pointer) {
    Members flag = Members.lenient(node, pointer, problems);
    String key = flag.text("key", false);
    if (key != null && !key.equals(name)) {
      flag.problem("key", "must equal the member name " + Problems.quote(name));
    }
    ArrayNode variationNodes = flag.array("variations", true);
    if (Boolean.TRUE.equals(flag.bool("deleted", false))) {
      archived++;
      return;
    }
    if (variationNodes == null) {
      return;
    }
    List<JsonNode> variations = new ArrayList<>();
    variationNodes.forEach(variations::add);
    served(name, flag, variations);
  }

  /** The value a flag serves by default: fallthrough when on, off variation when off. */
  private void served(String key, Members settings, List<JsonNode> variations) {
    Boolean on = settings.bool("on", true);
    if (on == null) {
      return;
    }
    if (!on) {
      Long off = variationIndex(settings, "offVariation", false, variations.size());
      if (off != null) {
        put(key, FlagValue.of(variations.get(off.intValue())));
      }
      return;
    }
    ObjectNode fallthroughNode = settings.object("fallthrough", true);
    if (fallthroughNode == null) {
      return;
    }
    Members fallthrough =
        Members.lenient(fallthroughNode, settings.pointer("fallthrough"), problems);
    if (fallthrough.get("rollout") != null) {
      rollout(key, fallthrough, variations);
      return;
    }
    Long index = variationIndex(fallthrough, "variation", true, variations.size());
    if (index != null) {
      put(key, FlagValue.of(variations.get(index.intValue())));
    }
  }

  private void rollout(String key, Members fallthrough, List<JsonNode> variations) {
    ObjectNode rolloutNode = fallthrough.object("rollout", true);
    if (rolloutNode == null) {
      return;
    }
    Members rollout = Members.lenient(rolloutNode, fallthrough.pointer("rollout"), problems);
    ArrayNode buckets = rollout.array("variations", true);
    List<String> parts = new ArrayList<>();
    for (int i = 0; buckets != null && i < buckets.size(); i++) {
      Members bucket =
          Members.lenient(
              buckets.get(i), Problems.pointer(rollout.pointer("variations"), i), problems);
      Long index = variationIndex(bucket, "variation", true, variations.size());
      // Weights are in thousandths of a percent: 100000 is everyone.
      Long weight = bucket.integer("weight", true, 0, 100_000);
      if (index != null && weight != null) {
        parts.add(
            FlagValue.describe(variations.get(index.intValue()))
                + " "
                + new java.math.BigDecimal(weight)
                    .movePointLeft(3)
                    .stripTrailingZeros()
                    .toPlainString()
                + "%");
      }
    }
    if (buckets != null && parts.size() == buckets.size()) {
      put(key, JsonNodeFactory.instance.textNode("rollout: " + String.join(", ", parts)));
    }
  }

  private Long variationIndex(Members settings, String name, boolean required, int count) {
    if (count == 0) {
      settings.problem(name, "the flag has no variations");
      return null;
    }
    return settings.integer(name, required, 0, count - 1);
  }

  private void put(String key, JsonNode value) {
    if (value != null && !value.isNull()) {
      flags.set(key, value);
    }
  }
}
