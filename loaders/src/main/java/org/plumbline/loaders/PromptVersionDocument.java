package org.plumbline.loaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One prompt version in the JSON of CONTRACT section 2 ({@code POST /api/v1/prompts}). There is no
 * prompt record in the ontology yet, so loaders hand prompts on as the document the endpoint takes.
 *
 * @param id the prompt's name in its registry
 * @param version the registry's version, as text ({@code "3"} for Langfuse and MLflow, which count)
 * @param text the prompt text; for chat prompts the system message (see docs/loaders.md)
 * @param testedWithModel the model the version was configured or tested with, or {@code null}
 * @param evalScore an evaluation score recorded with the version, or {@code null}
 * @param evalSuite the evaluation suite of that score, or {@code null}
 * @param verifiedAt when the version was verified, or {@code null}
 */
public record PromptVersionDocument(
    String id,
    String version,
    String text,
    String testedWithModel,
    BigDecimal evalScore,
    String evalSuite,
    Instant verifiedAt) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public PromptVersionDocument {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(text, "text");
  }

  /**
   * A registry's whole-number version as the semantic version the prompt registry orders by: {@code
   * 4} is {@code 4.0.0} (Langfuse and MLflow number versions 1, 2, 3...). Anything else unchanged.
   */
  public static String semanticVersion(String version) {
    return version != null && version.matches("[0-9]{1,9}")
        ? Long.parseLong(version) + ".0.0"
        : version;
  }

  /** The CONTRACT section 2 document, with absent optional fields left out. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode().put("id", id).put("version", version);
    node.put("text", text);
    if (testedWithModel != null) {
      node.put("testedWithModel", testedWithModel);
    }
    if (evalScore != null) {
      node.put("evalScore", evalScore);
    }
    if (evalSuite != null) {
      node.put("evalSuite", evalSuite);
    }
    if (verifiedAt != null) {
      node.put("verifiedAt", verifiedAt.toString());
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of strings and numbers always serialises
    }
  }
}
