package org.plumbline.loaders;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.plumbline.loaders.internal.DocumentReader;
import org.plumbline.loaders.internal.Members;
import org.plumbline.loaders.internal.Problems;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.PromptVersion;
import org.plumbline.ontology.SemVer;

/**
 * Parses the prompt-version JSON of CONTRACT section 2: {@code id} (letters, digits, {@code .},
 * {@code _}, {@code -}), {@code version} (semver) and {@code text} required; the evaluation
 * evidence {@code testedWithModel}, {@code evalScore} (a finite number), {@code evalSuite} and
 * {@code verifiedAt} (ISO-8601) optional; any other field is refused so typos surface. The content
 * hash is the SHA-256 of the text alone, so the same text registered under two versions has one
 * hash. Thread-safe.
 */
public final class PromptParser {
  private static final List<String> FIELDS =
      List.of("id", "version", "text", "testedWithModel", "evalScore", "evalSuite", "verifiedAt");

  private final DocumentReader reader;

  public PromptParser() {
    this(ParseLimits.DEFAULT);
  }

  public PromptParser(ParseLimits limits) {
    this.reader = new DocumentReader(Objects.requireNonNull(limits, "limits"));
  }

  /**
   * Parses one prompt version.
   *
   * @throws PlumblineException {@link LoaderError#INVALID_PROMPT} listing every problem, {@link
   *     LoaderError#INVALID_JSON} or {@link LoaderError#PAYLOAD_TOO_LARGE}
   */
  public PromptVersion parse(byte[] json) {
    JsonNode root = reader.readJson(Objects.requireNonNull(json, "json"));
    Problems problems = new Problems();
    Members members = Members.of(root, "", problems, FIELDS);
    String id = members.id("id");
    String version = version(members);
    String text = members.text("text", true);
    String model = members.text("testedWithModel", false);
    Double score = score(members);
    String suite = members.text("evalSuite", false);
    Instant verifiedAt = members.get("verifiedAt") == null ? null : members.instant("verifiedAt");
    problems.throwIfAny(LoaderError.INVALID_PROMPT, "invalid prompt");
    return new PromptVersion(id, version, text, hash(text), model, score, suite, verifiedAt);
  }

  private static String version(Members members) {
    JsonNode version = members.get("version");
    if (version == null) {
      members.text("version", true); // reports it missing
      return null;
    }
    if (!version.isTextual() || !SemVer.isValid(version.textValue())) {
      members.problem(
          "version",
          "must be a semantic version MAJOR.MINOR.PATCH[-pre.release], got "
              + Members.describe(version));
      return null;
    }
    return version.textValue();
  }

  private static Double score(Members members) {
    JsonNode value = members.get("evalScore");
    if (value == null) {
      return null;
    }
    if (!value.isNumber()) {
      members.problem("evalScore", "must be a number, got " + Members.describe(value));
      return null;
    }
    double score = value.decimalValue().doubleValue();
    if (Double.isInfinite(score)) {
      members.problem("evalScore", "must be a finite number, got " + Members.describe(value));
      return null;
    }
    return score;
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
