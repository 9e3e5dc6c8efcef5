package org.plumbline.loaders.internal.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plumbline.loaders.Format;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.loaders.PromptVersionDocument;
import org.plumbline.loaders.internal.Document;
import org.plumbline.loaders.internal.DocumentReader;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.ontology.PlumblineException;

/**
 * MLflow prompt registry versions as its REST API returns them: {@code {"model_versions": [...]}}
 * (search), {@code {"model_version": {...}}} (get), or a list. A prompt version is a model version
 * whose tag {@code mlflow.prompt.text} holds the template; other model versions are left out and
 * noted. {@code name} and {@code version} become {@code id} and {@code version}; a chat prompt
 * ({@code _mlflow_prompt_type: chat}) keeps its system message as text; {@code model_name} in the
 * {@code _mlflow_prompt_model_config} tag becomes {@code testedWithModel}; tags {@code eval_score},
 * {@code eval_suite} and {@code verified_at} are taken when a team sets them.
 */
public final class MlflowPrompts {
  static final String TEXT_TAG = "mlflow.prompt.text";
  static final String TYPE_TAG = "_mlflow_prompt_type";
  static final String MODEL_CONFIG_TAG = "_mlflow_prompt_model_config";

  private MlflowPrompts() {}

  public static Loaded.PromptsLoaded parse(List<Document> documents, ParseLimits limits) {
    Problems problems = new Problems();
    if (documents.size() != 1 || documents.get(0).root() == null) {
      problems.add("", "must be one JSON document, got " + documents.size());
      problems.throwIfAny(LoaderError.INVALID_MLFLOW, "invalid MLflow prompts");
    }
    JsonNode root = documents.get(0).root();
    ArrayNode list;
    String pointer = "";
    boolean single = false;
    if (root.isArray()) {
      list = (ArrayNode) root;
    } else {
      Members top = Members.lenient(root, "", problems);
      if (top.isObject() && (root.has("model_version") || root.has("prompt_version"))) {
        String member = root.has("model_version") ? "model_version" : "prompt_version";
        list = JsonNodeFactory.instance.arrayNode().add(root.get(member));
        pointer = "/" + member;
        single = true;
      } else if (top.isObject() && root.has("template")) {
        list = JsonNodeFactory.instance.arrayNode().add(root);
        pointer = "";
        single = true;
      } else if (top.isObject() && root.has("prompt_versions")) {
        list = top.array("prompt_versions", true);
        pointer = top.pointer("prompt_versions");
      } else {
        list = top.array("model_versions", true);
        pointer = top.pointer("model_versions");
      }
    }
    DocumentReader reader = new DocumentReader(limits);
    List<PromptVersionDocument> versions = new ArrayList<>();
    List<String> described = new ArrayList<>();
    List<String> notPrompts = new ArrayList<>();
    Map<String, String> firstPointer = new HashMap<>();
    for (int i = 0; list != null && i < list.size(); i++) {
      String at = single ? pointer : Problems.pointer(pointer, i);
      Members entry = Members.lenient(list.get(i), at, problems);
      String name = entry.text("name", true);
      String version = versionText(entry);
      Map<String, String> tags = tags(entry, problems);
      if (name == null || version == null || tags == null) {
        continue;
      }
      if (!tags.containsKey(TEXT_TAG) && entry.get("template") == null) {
        notPrompts.add(name + " v" + version);
        continue;
      }
      String earlier = firstPointer.putIfAbsent(name + " v" + version, at);
      if (earlier != null) {
        entry.problem(
            "version", "duplicate version of " + Problems.quote(name) + ", as at " + earlier);
        continue;
      }
      PromptVersionDocument document = document(entry, name, version, tags, reader, problems);
      if (document != null) {
        versions.add(document);
        List<String> aliases = aliases(entry);
        described.add(
            name
                + " v"
                + version
                + (aliases == null || aliases.isEmpty()
                    ? ""
                    : " (" + String.join(", ", aliases) + ")"));
      }
    }
    problems.throwIfAny(LoaderError.INVALID_MLFLOW, "invalid MLflow prompts");
    List<String> notes = new ArrayList<>();
    notes.add(
        versions.size()
            + (versions.size() == 1 ? " prompt version: " : " prompt versions: ")
            + String.join(", ", described));
    if (!notPrompts.isEmpty()) {
      notes.add(
          "not prompts (no " + TEXT_TAG + " tag), left out: " + String.join(", ", notPrompts));
    }
    return new Loaded.PromptsLoaded(Format.MLFLOW, versions, notes);
  }

  private static PromptVersionDocument document(
      Members entry,
      String name,
      String version,
      Map<String, String> tags,
      DocumentReader reader,
      Problems problems) {
    String tagsPointer = entry.pointer("tags");
    String text = tags.get(TEXT_TAG);
    JsonNode template = entry.get("template");
    if (template != null) {
      // MLflow 3's prompt registry: the template is a member, text or a list of chat messages.
      text =
          template.isTextual()
              ? template.textValue()
              : ChatMessages.text(template, entry.pointer("template"), problems);
    } else if ("chat".equals(tags.get(TYPE_TAG))) {
      JsonNode messages = json(text, reader, tagsPointer + "[" + TEXT_TAG + "]", problems);
      text =
          messages == null
              ? null
              : ChatMessages.text(messages, tagsPointer + "[" + TEXT_TAG + "]", problems);
    }
    String model = null;
    JsonNode modelConfig = entry.get("model_config");
    if (modelConfig != null) {
      Members config = Members.lenient(modelConfig, entry.pointer("model_config"), problems);
      model = config.text("model_name", false);
    } else if (tags.containsKey(MODEL_CONFIG_TAG)) {
      String at = tagsPointer + "[" + MODEL_CONFIG_TAG + "]";
      JsonNode config = json(tags.get(MODEL_CONFIG_TAG), reader, at, problems);
      if (config != null && config.path("model_name").isTextual()) {
        model = config.path("model_name").textValue();
      } else if (config != null && config.has("model_name")) {
        problems.add(at, "model_name must be a string");
      }
    }
    BigDecimal score = null;
    if (tags.containsKey("eval_score")) {
      try {
        score = new BigDecimal(tags.get("eval_score").strip());
      } catch (NumberFormatException e) {
        problems.add(
            tagsPointer + "[eval_score]",
            "not a number: " + Problems.quote(tags.get("eval_score")));
      }
    }
    Instant verifiedAt = null;
    if (tags.containsKey("verified_at")) {
      verifiedAt = Members.parseInstant(tags.get("verified_at"));
      if (verifiedAt == null) {
        problems.add(
            tagsPointer + "[verified_at]",
            "not an ISO-8601 instant: " + Problems.quote(tags.get("verified_at")));
      }
    }
    if (text == null || text.isBlank()) {
      if (text != null) {
        problems.add(tagsPointer + "[" + TEXT_TAG + "]", "must not be blank");
      }
      return null;
    }
    return new PromptVersionDocument(
        name,
        PromptVersionDocument.semanticVersion(version),
        text,
        model,
        score,
        tags.get("eval_suite"),
        verifiedAt);
  }

  /**
   * Aliases as MLflow 3 answers them ({@code [{alias, version}]}) or as plain names; {@code null}
   * when there are none.
   */
  private static List<String> aliases(Members entry) {
    JsonNode aliases = entry.get("aliases");
    if (aliases == null || !aliases.isArray()) {
      return null;
    }
    List<String> names = new ArrayList<>();
    for (JsonNode alias : aliases) {
      if (alias.isTextual()) {
        names.add(alias.textValue());
      } else if (alias.path("alias").isTextual()) {
        names.add(alias.path("alias").textValue());
      }
    }
    return names;
  }

  /** MLflow writes versions as strings of digits ({@code "3"}); numbers are taken too. */
  private static String versionText(Members entry) {
    JsonNode version = entry.get("version");
    if (version == null) {
      entry.problem("version", "is required");
      return null;
    }
    String text =
        version.isIntegralNumber()
            ? version.asText()
            : version.isTextual() ? version.textValue() : "";
    if (!text.matches("[1-9]\\d{0,9}")) {
      entry.problem(
          "version", "must be a version number such as \"3\", got " + Members.describe(version));
      return null;
    }
    return text;
  }

  /** Tags as the REST API writes them ({@code [{key, value}]}) or as a plain object. */
  private static Map<String, String> tags(Members entry, Problems problems) {
    JsonNode tags = entry.get("tags");
    Map<String, String> out = new LinkedHashMap<>();
    if (tags == null) {
      return out;
    }
    if (tags.isObject()) {
      Members object = Members.lenient(tags, entry.pointer("tags"), problems);
      tags.fieldNames()
          .forEachRemaining(
              name -> {
                String value =
                    object.get(name) != null && object.get(name).isTextual()
                        ? object.get(name).textValue()
                        : null;
                if (value == null) {
                  object.problem(name, "a tag value must be a string");
                } else {
                  out.put(name, value);
                }
              });
      return out;
    }
    if (!tags.isArray()) {
      entry.problem("tags", "must be a list of {key, value}, got " + Members.describe(tags));
      return null;
    }
    for (int i = 0; i < tags.size(); i++) {
      Members tag =
          Members.lenient(tags.get(i), Problems.pointer(entry.pointer("tags"), i), problems);
      String key = tag.text("key", true);
      JsonNode value = tag.get("value");
      if (value != null && !value.isTextual()) {
        tag.problem("value", "must be a string, got " + Members.describe(value));
      } else if (key != null) {
        out.put(key, value == null ? "" : value.textValue());
      }
    }
    return out;
  }

  private static JsonNode json(
      String text, DocumentReader reader, String pointer, Problems problems) {
    try {
      return reader.readJson(text.getBytes(StandardCharsets.UTF_8));
    } catch (PlumblineException e) {
      problems.add(pointer, "holds no valid JSON: " + String.join("; ", e.details()));
      return null;
    }
  }
}
