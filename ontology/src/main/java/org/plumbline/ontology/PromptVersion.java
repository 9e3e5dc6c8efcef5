package org.plumbline.ontology;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a registered prompt with its evaluation evidence (CONTRACT section 2). Versions
 * are immutable once stored: the same id and version with other content is a conflict.
 *
 * @param id the prompt's id, shared by all its versions
 * @param version a semantic version ({@link SemVer})
 * @param text the prompt text, compared with the {@code prompt.system} that environments run
 * @param contentHash {@code sha256:} and the hex SHA-256 of {@code text} in UTF-8
 * @param testedWithModel the model the evaluation ran against; null when not recorded
 * @param evalScore the evaluation's score; null when not recorded
 * @param evalSuite the evaluation suite; null when not recorded
 * @param verifiedAt when the evaluation was verified; null when not recorded
 */
public record PromptVersion(
    String id,
    String version,
    String text,
    String contentHash,
    String testedWithModel,
    Double evalScore,
    String evalSuite,
    Instant verifiedAt) {

  public PromptVersion {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(contentHash, "contentHash");
  }
}
