package org.plumbline.loaders.internal.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.plumbline.loaders.Format;
import org.plumbline.loaders.LoadContext;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.internal.Document;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Observations;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.ontology.Snapshot;

/**
 * A LiteLLM proxy {@code config.yaml}, mapped onto the contract's key families so that the default
 * rule packs classify it without a line of new policy:
 *
 * <ul>
 *   <li>{@code model_list} → {@code models.<model_name>[i].<litellm_params member>}, and {@code
 *       .info.<model_info member>}; {@code i} counts the deployments sharing a {@code model_name}
 *       (load balancing), in file order. {@code models.gpt-4o[0].model} matches {@code *.model}, so
 *       a deployment that points at an alias gets {@code ALIAS_MODEL_VERSION};
 *   <li>{@code router_settings} → {@code routing.*} (RELIABILITY);
 *   <li>{@code guardrails} → {@code guardrails.<guardrail_name>.<litellm_params member>}
 *       (SECURITY);
 *   <li>{@code litellm_settings} → {@code litellm.*}; {@code general_settings} → {@code gateway.*};
 *       any other section → {@code litellm.<section>.*}, except {@code environment_variables} and
 *       {@code credential_list}, which hold secrets only and are left out.
 * </ul>
 *
 * Secrets ({@code api_key}, {@code master_key}, {@code database_url}, {@code extra_headers}' {@code
 * Authorization}, ...) are redacted by {@link org.plumbline.loaders.Secrets} like every format's,
 * unless they are {@code os.environ/NAME} references, which are configuration.
 */
public final class LiteLlmConfig {
  private static final Set<String> LEFT_OUT = Set.of("environment_variables", "credential_list");

  /** The sections that make a file a LiteLLM config; any one is enough. */
  private static final List<String> SECTIONS =
      List.of(
          "model_list", "litellm_settings", "router_settings", "general_settings", "guardrails");

  private final LoadContext context;
  private final Problems problems = new Problems();
  private final ObjectNode config = JsonNodeFactory.instance.objectNode();
  private final List<String> notes = new ArrayList<>();

  private LiteLlmConfig(LoadContext context) {
    this.context = context;
  }

  public static Loaded.SnapshotsLoaded parse(List<Document> documents, LoadContext context) {
    return new LiteLlmConfig(context).parse(documents);
  }

  private Loaded.SnapshotsLoaded parse(List<Document> documents) {
    if (documents.size() != 1 || documents.get(0).root() == null) {
      problems.add("", "must be one YAML or JSON document, got " + documents.size());
      problems.throwIfAny(LoaderError.INVALID_LITELLM, "invalid LiteLLM config");
    }
    Members top = Members.lenient(documents.get(0).root(), "", problems);
    int deployments = 0;
    int guardrails = 0;
    if (top.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = top.node().properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> section = it.next();
        String name = section.getKey();
        switch (name) {
          case "model_list" -> deployments = models(top);
          case "guardrails" -> guardrails = guardrails(top);
          case "router_settings" -> settings(top, name, "routing");
          case "litellm_settings" -> settings(top, name, "litellm");
          case "general_settings" -> settings(top, name, "gateway");
          default -> {
            if (LEFT_OUT.contains(name)) {
              notes.add(name + " left out (secrets only)");
            } else if (!section.getValue().isNull()) {
              litellmSection(name, section.getValue());
            }
          }
        }
      }
      if (!top.node().has("model_list")) {
        if (SECTIONS.stream().noneMatch(top.node()::has)) {
          top.problem(
              "", "has none of " + String.join(", ", SECTIONS) + ": not a LiteLLM proxy config");
        } else {
          // A proxy that keeps its models in its database (STORE_MODEL_IN_DB) has no model_list.
          notes.add("models kept in the proxy's database: settings and guardrails only");
        }
      }
    }
    problems.throwIfAny(LoaderError.INVALID_LITELLM, "invalid LiteLLM config");
    String environment =
        Observations.requireEnvironment(
            context.environmentOr(null), Format.LITELLM, "a LiteLLM config has none");
    Snapshot snapshot =
        Observations.snapshot(environment, context.observedAtOr(null), "litellm", config, problems);
    problems.throwIfAny(LoaderError.INVALID_LITELLM, "invalid LiteLLM config");
    notes.add(
        0,
        (config.has("models") ? "" : "no model_list, ")
            + deployments
            + (deployments == 1 ? " deployment in " : " deployments in ")
            + (config.has("models") ? config.get("models").size() : 0)
            + " model groups, "
            + guardrails
            + (guardrails == 1 ? " guardrail" : " guardrails"));
    return new Loaded.SnapshotsLoaded(Format.LITELLM, List.of(snapshot), notes);
  }

  private int models(Members top) {
    ArrayNode list = top.array("model_list", true);
    ObjectNode models = JsonNodeFactory.instance.objectNode();
    int count = 0;
    for (int i = 0; list != null && i < list.size(); i++) {
      Members entry =
          Members.lenient(list.get(i), Problems.pointer(top.pointer("model_list"), i), problems);
      String name = entry.text("model_name", true);
      ObjectNode params = entry.object("litellm_params", true);
      ObjectNode info = entry.object("model_info", false);
      if (params != null) {
        Members.lenient(params, entry.pointer("litellm_params"), problems).text("model", true);
      }
      if (name == null || params == null) {
        continue;
      }
      ObjectNode deployment = params.deepCopy();
      if (info != null) {
        if (deployment.has("info")) {
          entry.problem("litellm_params", "a parameter named 'info' would collide with model_info");
        }
        deployment.set("info", info);
      }
      // Not withArray(name): it reads a name starting with '/' as a JSON pointer.
      ArrayNode group =
          models.get(name) instanceof ArrayNode existing ? existing : models.putArray(name);
      group.add(deployment);
      count++;
    }
    if (!models.isEmpty()) {
      config.set("models", models);
    }
    return count;
  }

  private int guardrails(Members top) {
    ArrayNode list = top.array("guardrails", false);
    ObjectNode guardrails = JsonNodeFactory.instance.objectNode();
    Map<String, String> firstPointer = new HashMap<>();
    for (int i = 0; list != null && i < list.size(); i++) {
      String pointer = Problems.pointer(top.pointer("guardrails"), i);
      Members entry = Members.lenient(list.get(i), pointer, problems);
      String name = entry.text("guardrail_name", true);
      ObjectNode params = entry.object("litellm_params", true);
      ObjectNode info = entry.object("guardrail_info", false);
      if (params != null) {
        Members.lenient(params, entry.pointer("litellm_params"), problems).text("guardrail", true);
      }
      if (name == null || params == null) {
        continue;
      }
      String earlier = firstPointer.putIfAbsent(name, pointer);
      if (earlier != null) {
        entry.problem(
            "guardrail_name", "duplicate guardrail " + Problems.quote(name) + ", as at " + earlier);
        continue;
      }
      ObjectNode guardrail = params.deepCopy();
      if (info != null) {
        guardrail.set("info", info);
      }
      guardrails.set(name, guardrail);
    }
    if (!guardrails.isEmpty()) {
      config.set("guardrails", guardrails);
    }
    return guardrails.size();
  }

  private void settings(Members top, String section, String root) {
    ObjectNode settings = top.object(section, false);
    if (settings == null) {
      return;
    }
    ObjectNode target = config.has(root) ? (ObjectNode) config.get(root) : config.putObject(root);
    settings
        .properties()
        .forEach(
            member -> {
              if (target.has(member.getKey())) {
                top.problem(section, "member " + member.getKey() + " collides in " + root + ".*");
              }
              target.set(member.getKey(), member.getValue());
            });
  }

  private void litellmSection(String section, JsonNode value) {
    ObjectNode target =
        config.has("litellm") ? (ObjectNode) config.get("litellm") : config.putObject("litellm");
    if (target.has(section)) {
      problems.add(Problems.pointer("", section), "collides with litellm_settings." + section);
    }
    target.set(section, value);
  }
}
