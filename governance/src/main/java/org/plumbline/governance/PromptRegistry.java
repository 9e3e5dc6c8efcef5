package org.plumbline.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.PromptVersion;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.RuleError;

/**
 * The prompt registry (CONTRACT section 2): versions of prompts with their evaluation evidence, and
 * which environments run them. A version {@linkplain #needsReevaluation needs re-evaluation} when
 * an environment whose latest observed {@code prompt.system} is exactly its text observes a {@code
 * model.version} other than the one it was tested with.
 */
public final class PromptRegistry {
  /** The observed keys that say which prompt and which model an environment runs. */
  public static final String PROMPT_KEY = "prompt.system";

  public static final String MODEL_KEY = "model.version";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;

  PromptRegistry(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * One environment that runs a prompt version's text now.
   *
   * @param model the {@code model.version} it observes now; null when it observes none
   * @param needsReevaluation whether that model differs from the one the version was tested with
   */
  public record PromptDeployment(String environment, String model, boolean needsReevaluation) {}

  /**
   * Registers a prompt version in one write transaction with its audit record. The same version
   * with the same content is an identical replay that stores nothing.
   *
   * @throws PlumblineException {@link RuleError#PROMPT_CONFLICT} when that id and version are
   *     stored with other content
   */
  Governance.IngestResult register(StoreWriter w, PromptVersion version, String actor) {
    Objects.requireNonNull(version, "version");
    String subject = version.id() + "@" + version.version();
    Optional<PromptVersion> stored = w.promptVersion(version.id(), version.version());
    if (stored.isPresent() && !stored.get().equals(version)) {
      throw new PlumblineException(
          RuleError.PROMPT_CONFLICT,
          "prompt '"
              + version.id()
              + "' already has version "
              + version.version()
              + " with other content; publish a new version",
          List.of("/version: " + version.version()));
    }
    if (stored.isEmpty()) {
      Instant now = clock.instant();
      w.putPromptVersion(version, now, actor);
      w.appendAudit(
          now,
          actor,
          "prompt.registered",
          null,
          subject,
          Governance.detail(
              "contentHash", version.contentHash(),
              "testedWithModel", version.testedWithModel(),
              "evalScore", version.evalScore() == null ? null : version.evalScore().toString(),
              "evalSuite", version.evalSuite(),
              "verifiedAt", version.verifiedAt()));
    }
    List<PromptDeployment> running = deployments(w, version);
    return new Governance.IngestResult(
        stored.isPresent(),
        subject,
        Map.of(
            "id", version.id(),
            "version", version.version(),
            "contentHash", version.contentHash(),
            "versions", w.promptVersions(version.id()).size(),
            "runningIn", running.stream().map(PromptDeployment::environment).toList(),
            "needsReevaluation", running.stream().anyMatch(PromptDeployment::needsReevaluation)));
  }

  /**
   * The environments whose latest observed {@code prompt.system} is exactly the version's text, by
   * environment id, each with the model it observes now. A version that was never tested with a
   * recorded model needs re-evaluation wherever it runs with one.
   */
  public static List<PromptDeployment> deployments(StoreReader reader, PromptVersion version) {
    Map<String, String> models = reader.currentValues(MODEL_KEY);
    List<PromptDeployment> out = new ArrayList<>();
    reader
        .currentValues(PROMPT_KEY)
        .forEach(
            (environment, value) -> {
              if (version.text().equals(text(value))) {
                String model = text(models.get(environment));
                boolean differs = model != null && !model.equals(version.testedWithModel());
                out.add(new PromptDeployment(environment, model, differs));
              }
            });
    return out;
  }

  /** Whether any environment runs the version's text with a model it was not tested with. */
  public static boolean needsReevaluation(StoreReader reader, PromptVersion version) {
    return deployments(reader, version).stream().anyMatch(PromptDeployment::needsReevaluation);
  }

  /** An observed value as text: a JSON string's content, any other JSON value as written. */
  private static String text(String canonicalJson) {
    if (canonicalJson == null) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(canonicalJson);
      return node.isTextual() ? node.textValue() : canonicalJson;
    } catch (JsonProcessingException e) {
      return canonicalJson; // stored values are canonical JSON; this is only a guard
    }
  }
}
