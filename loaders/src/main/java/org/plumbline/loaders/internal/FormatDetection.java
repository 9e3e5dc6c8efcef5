package org.plumbline.loaders.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Iterator;
import java.util.List;
import org.plumbline.loaders.Format;
import org.plumbline.loaders.LoaderError;
import org.plumbline.ontology.PlumblineException;

/**
 * Tells a file's format by the members of its first document, which each format has and the others
 * lack ({@code resourceSpans}, {@code model_list}, {@code format_version}, ...). Nothing is guessed
 * from the file name: a name can lie, and a wrong guess would load keys under the wrong names.
 */
public final class FormatDetection {
  private FormatDetection() {}

  /**
   * The format of {@code documents}.
   *
   * @throws PlumblineException {@link LoaderError#UNKNOWN_FORMAT} when no format fits
   */
  public static Format detect(List<Document> documents) {
    JsonNode root =
        documents.stream().map(Document::root).filter(r -> r != null).findFirst().orElse(null);
    Format format = root == null ? null : root.isArray() ? ofList(root) : ofObject(root);
    if (format == null) {
      throw new PlumblineException(
          LoaderError.UNKNOWN_FORMAT,
          "cannot tell the format of this file; give --format NAME",
          List.of(
              "first document: "
                  + (root == null ? "empty" : describe(root))
                  + "; known formats: "
                  + Format.names()));
    }
    return format;
  }

  private static Format ofObject(JsonNode root) {
    if (!root.isObject()) {
      return null;
    }
    if (root.has("bundle")) {
      return Format.BLUEPRINT;
    }
    if (root.has("environment") && root.has("observedAt") && root.has("config")) {
      return Format.SNAPSHOT;
    }
    if (root.has("environment") && root.has("metric") && root.has("values")) {
      return Format.METRIC_SAMPLE;
    }
    if (root.has("id") && root.has("version") && root.has("text")) {
      return Format.PROMPT;
    }
    if (root.has("format_version") || (root.has("lineage") && root.has("resources"))) {
      return Format.TERRAFORM;
    }
    if (root.has("resourceSpans")) {
      return Format.OTLP;
    }
    if (root.has("apiVersion") && root.has("kind")) {
      return Format.KUBERNETES;
    }
    if (root.has("model_list")
        || root.has("router_settings")
        || root.has("litellm_settings")
        || root.has("general_settings")) {
      return Format.LITELLM;
    }
    if (root.path("flags").isObject()) {
      Format format = flags(root);
      if (format != null) {
        return format;
      }
    }
    if (root.path("flagValues").isObject()
        || (root.has("path") && root.path("data").path("flags").isObject())) {
      return Format.LAUNCHDARKLY;
    }
    if (root.path("flags").isArray() && first(root.path("flags")).has("key")) {
      return Format.FLAGD;
    }
    if (root.has("key") && root.has("variations")) {
      return Format.LAUNCHDARKLY;
    }
    if (root.path("items").isArray() && first(root.path("items")).has("variations")) {
      return Format.LAUNCHDARKLY;
    }
    for (String member : List.of("result", "records")) {
      if (root.path(member).isArray() && first(root.path(member)).has("number")
          || root.path(member).isObject() && root.path(member).has("number")) {
        return Format.SERVICENOW;
      }
    }
    if (isServiceNowRecord(root)) {
      return Format.SERVICENOW;
    }
    if (root.path("guardrails").isArray() && first(root.path("guardrails")).has("guardrail_name")) {
      return Format.LITELLM;
    }
    if (root.has("model_versions")
        || root.has("model_version")
        || root.has("prompt_versions")
        || root.has("prompt_version")
        || (root.has("name") && root.has("version") && root.has("template"))) {
      return Format.MLFLOW;
    }
    JsonNode firstData = first(root.path("data"));
    if (root.path("data").isArray()
        && firstData.has("name")
        && (firstData.has("version") || firstData.has("versions"))) {
      return Format.LANGFUSE;
    }
    return isLangfusePrompt(root) ? Format.LANGFUSE : null;
  }

  private static Format ofList(JsonNode root) {
    JsonNode item = first(root);
    if (item.has("approvedBy") || (item.has("keys") && item.has("until"))) {
      return Format.CHANGE_REQUESTS;
    }
    if (isServiceNowRecord(item)) {
      return Format.SERVICENOW;
    }
    if (isLangfusePrompt(item)) {
      return Format.LANGFUSE;
    }
    if (item.has("name") && item.has("version") && (item.has("tags") || item.has("template"))) {
      return Format.MLFLOW;
    }
    return null;
  }

  /** flagd flags have variants and a state; LaunchDarkly SDK flags have variations and on. */
  private static Format flags(JsonNode root) {
    if (root.path("$schema").asText("").contains("flagd")) {
      return Format.FLAGD;
    }
    for (Iterator<JsonNode> it = root.get("flags").elements(); it.hasNext(); ) {
      JsonNode flag = it.next();
      if (flag.has("variants") || flag.has("defaultVariant") || flag.has("state")) {
        return Format.FLAGD;
      }
      if (flag.has("variations") || flag.has("fallthrough") || flag.has("on")) {
        return Format.LAUNCHDARKLY;
      }
    }
    return null;
  }

  /** A {@code change_request} record, plain or with {@code {value, display_value}} pairs. */
  private static boolean isServiceNowRecord(JsonNode node) {
    return node.has("number")
        && (node.has("approval")
            || node.has("cmdb_ci")
            || node.has("start_date")
            || "change_request".equals(node.path("sys_class_name").asText(null))
            || "change_request".equals(node.path("sys_class_name").path("value").asText(null)));
  }

  private static boolean isLangfusePrompt(JsonNode node) {
    return node.has("name") && node.has("version") && node.has("prompt");
  }

  private static JsonNode first(JsonNode list) {
    return list.isArray() && !list.isEmpty() && list.get(0).isObject()
        ? list.get(0)
        : MissingNode.getInstance();
  }

  private static String describe(JsonNode root) {
    if (root.isArray()) {
      return "a list of " + root.size();
    }
    if (!root.isObject()) {
      return Members.describe(root);
    }
    StringBuilder names = new StringBuilder("an object with ");
    int shown = 0;
    for (Iterator<String> it = root.fieldNames(); it.hasNext() && shown < 6; shown++) {
      names.append(shown == 0 ? "" : ", ").append(Problems.quote(it.next()));
    }
    return root.size() > shown ? names.append(", ...").toString() : names.toString();
  }
}
