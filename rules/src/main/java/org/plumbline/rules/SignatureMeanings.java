package org.plumbline.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.plumbline.ontology.PlumblineException;

/**
 * The vocabulary of e-signature meanings (21 CFR 11.50: each signature states its meaning, such as
 * review, approval or responsibility), declared by the rule pack in {@code signatures.json}. A
 * meaning either counts as an approval or records a review only; one declared for the {@code
 * model-risk} role is the only one that fulfils a REGULATED disposition's model-risk approval.
 *
 * <p>A pack without the file uses {@link #DEFAULT}.
 */
public final class SignatureMeanings {
  /** The name of the vocabulary file in a pack folder. */
  public static final String FILE = "signatures.json";

  /** The role whose meaning fulfils the model-risk approval of a REGULATED disposition. */
  public static final String MODEL_RISK = "model-risk";

  /**
   * One declared meaning.
   *
   * @param meaning the words a signer chooses, as declared (matched ignoring case and extra spaces)
   * @param approves whether a signature with this meaning counts towards the required approvals
   * @param role the role a signer must hold to sign with this meaning, or null for any approver
   */
  public record Meaning(String meaning, boolean approves, String role) {}

  /** "reviewed" (does not approve), "approved", "approved as model-risk owner" (model-risk). */
  public static final SignatureMeanings DEFAULT =
      new SignatureMeanings(
          List.of(
              new Meaning("reviewed", false, null),
              new Meaning("approved", true, null),
              new Meaning("approved as model-risk owner", true, MODEL_RISK)));

  private final List<Meaning> meanings;

  private SignatureMeanings(List<Meaning> meanings) {
    this.meanings = List.copyOf(meanings);
  }

  /** Every declared meaning, in the pack's order. */
  public List<Meaning> meanings() {
    return meanings;
  }

  /** The declared texts, in the pack's order (for error messages and forms). */
  public List<String> texts() {
    return meanings.stream().map(Meaning::meaning).toList();
  }

  /** The declared meaning a signer's text stands for, ignoring case and repeated spaces. */
  public Optional<Meaning> find(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String wanted = normal(text);
    return meanings.stream().filter(m -> normal(m.meaning()).equals(wanted)).findFirst();
  }

  private static String normal(String s) {
    return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a vocabulary file; every problem is collected into one {@link
   * RuleError#PACK_COMPILE_FAILED}.
   */
  static SignatureMeanings parse(byte[] json) {
    List<String> problems = new ArrayList<>();
    List<Meaning> out = new ArrayList<>();
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw invalid(List.of(FILE + ": not JSON: " + e.getMessage()));
    }
    JsonNode list = root == null ? null : root.get("meanings");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw invalid(List.of(FILE + ": needs a non-empty list \"meanings\""));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      String where = FILE + ": meanings[" + i + "]";
      if (!m.path("meaning").isTextual() || m.get("meaning").asText().isBlank()) {
        problems.add(where + ": \"meaning\" must be a non-blank string");
        continue;
      }
      if (!m.path("approves").isBoolean()) {
        problems.add(where + ": \"approves\" must be true or false");
        continue;
      }
      JsonNode role = m.get("role");
      if (role != null
          && !role.isNull()
          && !(role.isTextual() && Set.of(MODEL_RISK, "approver").contains(role.asText()))) {
        problems.add(where + ": \"role\" must be model-risk, approver or absent");
        continue;
      }
      String text = m.get("meaning").asText().strip();
      if (!seen.add(normal(text))) {
        problems.add(where + ": \"" + text + "\" is declared twice");
        continue;
      }
      out.add(
          new Meaning(
              text,
              m.get("approves").asBoolean(),
              role == null || role.isNull() ? null : role.asText()));
    }
    if (problems.isEmpty()
        && out.stream().noneMatch(x -> x.approves() && MODEL_RISK.equals(x.role()))) {
      problems.add(
          FILE
              + ": no approving meaning for the role model-risk: REGULATED dispositions could"
              + " never be approved");
    }
    if (problems.isEmpty() && out.stream().noneMatch(x -> x.approves() && x.role() == null)) {
      problems.add(FILE + ": no approving meaning open to every approver");
    }
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    return new SignatureMeanings(out);
  }

  private static PlumblineException invalid(List<String> problems) {
    return new PlumblineException(
        RuleError.PACK_COMPILE_FAILED,
        "the signature meanings of the rule pack are invalid",
        problems);
  }

  @Override
  public String toString() {
    return "SignatureMeanings" + meanings;
  }
}
