package org.plumbline.governance;

import java.util.List;
import java.util.Set;
import org.plumbline.ontology.Approval;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.SignatureMeanings;

/**
 * The checks every e-signature passes, on a disposition or a held bundle version alike (21 CFR
 * 11.50): a meaning from the pack's vocabulary, an optional bounded comment, the role the meaning
 * asks for, and which signature fulfils a REGULATED change's model-risk approval.
 */
final class Signatures {
  static final String MODEL_RISK = "model-risk";
  static final String APPROVER = "approver";
  static final int MAX_COMMENT = 2_000;

  private Signatures() {}

  /** The declared meaning a signer's words stand for, or MEANING_NOT_ALLOWED with the list. */
  static SignatureMeanings.Meaning meaning(SignatureMeanings vocabulary, String text) {
    if (text == null || text.isBlank()) {
      throw new PlumblineException(
          RuleError.INVALID_DISPOSITION, "meaning must not be blank", List.of("meaning"));
    }
    return vocabulary
        .find(text)
        .orElseThrow(
            () ->
                new PlumblineException(
                    RuleError.MEANING_NOT_ALLOWED,
                    "'"
                        + text.strip()
                        + "' is not a signature meaning of this rule pack; allowed: "
                        + String.join(", ", vocabulary.texts()),
                    vocabulary.texts()));
  }

  /** A signer's optional comment, stripped; null when blank; refused beyond MAX_COMMENT. */
  static String comment(String comment) {
    String note = comment == null || comment.isBlank() ? null : comment.strip();
    if (note != null && note.length() > MAX_COMMENT) {
      throw new PlumblineException(
          RuleError.MEANING_NOT_ALLOWED,
          "a signature comment holds at most " + MAX_COMMENT + " characters",
          List.of("comment: " + note.length() + " characters"));
    }
    return note;
  }

  /**
   * Whether a signature fulfils the model-risk approval (CONTRACT section 3: in REGULATED, one
   * approver must hold the role model-risk): an approving signature given in that role. A review
   * signature never does.
   */
  static boolean fulfilsModelRisk(Approval a) {
    return !a.reviewOnly() && MODEL_RISK.equals(a.role());
  }

  /**
   * The role a signature is given: a meaning the pack reserves for model-risk only from its holder;
   * an approving meaning in the model-risk role when the subject still needs the model-risk
   * approval and the signer holds that role; any other in the approver role when the signer holds
   * it, else in model-risk.
   */
  static String signingRole(
      Set<String> roles, SignatureMeanings.Meaning meaning, boolean modelRiskNeeded) {
    if (meaning != null
        && meaning.approves()
        && modelRiskNeeded
        && meaning.role() == null
        && roles.contains(MODEL_RISK)) {
      return MODEL_RISK;
    }
    if (meaning != null && MODEL_RISK.equals(meaning.role())) {
      if (!roles.contains(MODEL_RISK)) {
        throw new PlumblineException(
            RuleError.NOT_AN_APPROVER,
            "the meaning '" + meaning.meaning() + "' is signed by a holder of the role model-risk");
      }
      return MODEL_RISK;
    }
    if (meaning != null && APPROVER.equals(meaning.role()) && !roles.contains(APPROVER)) {
      throw new PlumblineException(
          RuleError.NOT_AN_APPROVER,
          "the meaning '" + meaning.meaning() + "' is signed by a holder of the role approver");
    }
    if (roles.contains(APPROVER) || roles.contains("admin")) {
      return APPROVER;
    }
    if (roles.contains(MODEL_RISK)) {
      return MODEL_RISK;
    }
    throw new PlumblineException(
        RuleError.NOT_AN_APPROVER, "approving or rejecting needs the role approver or model-risk");
  }
}
