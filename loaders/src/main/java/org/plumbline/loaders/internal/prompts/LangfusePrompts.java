package org.plumbline.loaders.internal.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.plumbline.loaders.Format;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.PromptVersionDocument;
import org.plumbline.loaders.internal.Document;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Problems;

/**
 * Langfuse prompts as its public API returns them ({@code GET /api/public/v2/prompts/{name}}): one
 * prompt, a list, or {@code {"data": [...]}}. {@code name} and {@code version} become {@code id}
 * and {@code version}; a text prompt's {@code prompt} is the text, a chat prompt's system message
 * (see {@link ChatMessages}). From {@code config}: {@code model} becomes {@code testedWithModel},
 * and {@code evalScore}, {@code evalSuite}, {@code verifiedAt} (or snake_case) are taken when a
 * team records them there.
 */
public final class LangfusePrompts {
  private LangfusePrompts() {}

  public static Loaded.PromptsLoaded parse(List<Document> documents) {
    Problems problems = new Problems();
    if (documents.size() != 1 || documents.get(0).root() == null) {
      problems.add("", "must be one JSON document, got " + documents.size());
      problems.throwIfAny(LoaderError.INVALID_LANGFUSE, "invalid Langfuse prompts");
    }
    JsonNode root = documents.get(0).root();
    ArrayNode list;
    String pointer;
    if (root.isArray()) {
      list = (ArrayNode) root;
      pointer = "";
    } else if (root.isObject() && root.has("data")) {
      Members top = Members.lenient(root, "", problems);
      list = top.array("data", true);
      pointer = top.pointer("data");
    } else {
      list = JsonNodeFactory.instance.arrayNode().add(root);
      pointer = null; // a single prompt: pointers start at its root
    }
    List<PromptVersionDocument> versions = new ArrayList<>();
    List<String> described = new ArrayList<>();
    List<String> listed = new ArrayList<>();
    Map<String, String> firstPointer = new HashMap<>();
    for (int i = 0; list != null && i < list.size(); i++) {
      String at = pointer == null ? "" : Problems.pointer(pointer, i);
      Members prompt = Members.lenient(list.get(i), at, problems);
      if (prompt.isObject() && prompt.get("versions") != null && prompt.get("prompt") == null) {
        listed.add(listed(prompt));
        continue;
      }
      PromptVersionDocument version = version(prompt, problems);
      if (version == null) {
        continue;
      }
      String earlier = firstPointer.putIfAbsent(version.id() + " v" + version.version(), at);
      if (earlier != null) {
        prompt.problem(
            "version",
            "duplicate version of " + Problems.quote(version.id()) + ", as at " + earlier);
        continue;
      }
      versions.add(version);
      List<String> labels = prompt.texts("labels", false, false);
      described.add(
          version.id()
              + " v"
              + version.version()
              + (labels == null || labels.isEmpty() ? "" : " (" + String.join(", ", labels) + ")"));
    }
    String page = root.isObject() ? page(Members.lenient(root, "", problems), problems) : null;
    problems.throwIfAny(LoaderError.INVALID_LANGFUSE, "invalid Langfuse prompts");
    List<String> notes = new ArrayList<>();
    notes.add(
        versions.isEmpty() && !listed.isEmpty()
            ? "no prompt versions"
            : versions.size()
                + (versions.size() == 1 ? " prompt version: " : " prompt versions: ")
                + String.join(", ", described));
    if (!listed.isEmpty()) {
      notes.add(
          "a prompt list holds names, not prompts; fetch each version with GET"
              + " /api/public/v2/prompts/{name}?version=N: "
              + String.join(", ", listed));
    }
    if (page != null) {
      notes.add(page);
    }
    return new Loaded.PromptsLoaded(Format.LANGFUSE, versions, notes);
  }

  /** An entry of {@code GET /api/public/v2/prompts}: a name, its versions and labels. */
  private static String listed(Members entry) {
    String name = entry.text("name", true);
    ArrayNode numbers = entry.array("versions", true);
    List<String> versions = new ArrayList<>();
    for (int i = 0; numbers != null && i < numbers.size(); i++) {
      if (!numbers.get(i).isIntegralNumber()) {
        entry.problem("versions", "must be a list of whole numbers");
        break;
      }
      versions.add(numbers.get(i).asText());
    }
    return name + " (versions " + String.join(", ", versions) + ")";
  }

  /** Where a paged answer stands ({@code meta}), when more pages follow; else {@code null}. */
  private static String page(Members top, Problems problems) {
    ObjectNode metaNode = top.get("data") == null ? null : top.object("meta", false);
    if (metaNode == null) {
      return null;
    }
    Members meta = Members.lenient(metaNode, top.pointer("meta"), problems);
    Long page = meta.integer("page", false, 0, Integer.MAX_VALUE);
    Long pages = meta.integer("totalPages", false, 0, Integer.MAX_VALUE);
    return page != null && pages != null && page < pages
        ? "page " + page + " of " + pages + ": load the other pages too (?page=" + (page + 1) + ")"
        : null;
  }

  private static PromptVersionDocument version(Members prompt, Problems problems) {
    String name = prompt.text("name", true);
    Long version = prompt.integer("version", true, 1, Integer.MAX_VALUE);
    String type = prompt.text("type", false);
    JsonNode body = prompt.get("prompt");
    String text = null;
    if (body == null) {
      prompt.problem("prompt", "is required");
    } else if ("chat".equals(type) || body.isArray()) {
      text = ChatMessages.text(body, prompt.pointer("prompt"), problems);
    } else if (body.isTextual()) {
      text = body.textValue();
    } else {
      prompt.problem(
          "prompt", "must be a string or a list of chat messages, got " + Members.describe(body));
    }
    ObjectNode configNode = prompt.object("config", false);
    Members config =
        Members.lenient(
            configNode == null ? JsonNodeFactory.instance.objectNode() : configNode,
            prompt.pointer("config"),
            problems);
    String model = config.text("model", false);
    BigDecimal score = score(config);
    String suite = config.text(config.get("evalSuite") != null ? "evalSuite" : "eval_suite", false);
    String verifiedName = config.get("verifiedAt") != null ? "verifiedAt" : "verified_at";
    Instant verifiedAt = config.get(verifiedName) == null ? null : config.instant(verifiedName);
    if (name == null || version == null || text == null) {
      return null;
    }
    return new PromptVersionDocument(
        name,
        PromptVersionDocument.semanticVersion(String.valueOf(version)),
        text,
        model,
        score,
        suite,
        verifiedAt);
  }

  private static BigDecimal score(Members config) {
    String name = config.get("evalScore") != null ? "evalScore" : "eval_score";
    JsonNode score = config.get(name);
    if (score == null) {
      return null;
    }
    if (!score.isNumber()) {
      config.problem(name, "must be a number, got " + Members.describe(score));
      return null;
    }
    return score.decimalValue();
  }
}
