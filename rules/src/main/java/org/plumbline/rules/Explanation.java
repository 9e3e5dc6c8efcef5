package org.plumbline.rules;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.RiskCategory;
import org.plumbline.ontology.Severity;
import org.plumbline.ontology.Tier;

/**
 * The assessment of one drift in words, for the people who decide its disposition and for auditors.
 * A pure function of facts and assessment: the same input always gives the same text.
 */
public final class Explanation {
  private static final int MAX_VALUE_CHARS = 60;

  private Explanation() {}

  /** One English paragraph: what drifted, how risky and why, who is affected, what it takes. */
  public static String of(DriftFacts f, Assessment a) {
    Objects.requireNonNull(f, "facts");
    Objects.requireNonNull(a, "assessment");
    return String.join(
        " ",
        f.key()
            + " drifted in "
            + f.environment()
            + " ("
            + f.tier()
            + ") since "
            + f.detectedAt()
            + ": expected "
            + value(f.expected())
            + ", observed "
            + value(f.actual())
            + ".",
        "Risk "
            + a.riskCategory()
            + categoryReason(f, a)
            + "; severity "
            + a.severity()
            + " because "
            + severityReason(f, a)
            + ".",
        "Owner: " + (f.owner() == null ? "none recorded" : f.owner()) + ".",
        "Blast radius: " + blastRadius(a.blastRadius()) + ".",
        authorization(a),
        a.reevaluate().isEmpty()
            ? "Nothing depends on this key."
            : "Re-evaluate: " + String.join(", ", a.reevaluate()) + ".",
        findings(f, a),
        "A disposition needs " + approvals(a) + ".");
  }

  private static String value(String json) {
    if (json == null) {
      return "absent";
    }
    return json.length() <= MAX_VALUE_CHARS ? json : json.substring(0, MAX_VALUE_CHARS - 3) + "...";
  }

  private static String categoryReason(DriftFacts f, Assessment a) {
    if (f.expected() == null && a.riskCategory() == RiskCategory.GOVERNANCE) {
      return " because the blueprint does not declare the key";
    }
    return a.firedRules().stream()
        .filter(r -> r.startsWith("risk:"))
        .findFirst()
        .map(r -> " by rule \"" + r + "\"")
        .orElse("");
  }

  /**
   * Puts the default policy's reasoning into words when it explains the severity; for a severity
   * that an edited pack decided otherwise, names the severity rules that fired instead.
   */
  private static String severityReason(DriftFacts f, Assessment a) {
    RiskCategory category = a.riskCategory();
    Severity base =
        category == RiskCategory.SECURITY || category == RiskCategory.GOVERNANCE
            ? Severity.MEDIUM
            : Severity.LOW;
    int steps = f.tier() == Tier.REGULATED ? 2 : f.tier() == Tier.PROD ? 1 : 0;
    boolean switchedOff =
        a.findings().contains("GUARDRAIL_DISABLED")
            && (f.tier() == Tier.PROD || f.tier() == Tier.REGULATED)
            && a.severity() == Severity.CRITICAL;
    String override =
        "a guardrail or security switch turned off in " + f.tier() + " is always CRITICAL";
    if (base.raisedBy(steps) == a.severity()) {
      String stepped =
          category
              + " starts at "
              + base
              + (steps == 0
                  ? " and the " + f.tier() + " tier keeps it"
                  : " and the "
                      + f.tier()
                      + " tier raises "
                      + base
                      + " by "
                      + (steps == 1 ? "one step" : "two steps"));
      return switchedOff ? stepped + ", and " + override : stepped;
    }
    if (switchedOff) {
      return override;
    }
    List<String> rules = a.firedRules().stream().filter(r -> r.startsWith("severity:")).toList();
    return rules.isEmpty()
        ? "the rule pack decided so"
        : "of rules " + rules.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", "));
  }

  private static String blastRadius(List<String> others) {
    if (others.isEmpty()) {
      return "no other environment has this value";
    }
    return "shared by "
        + others.size()
        + " other environment"
        + (others.size() == 1 ? "" : "s")
        + ": "
        + String.join(", ", others);
  }

  private static String authorization(Assessment a) {
    List<String> ids = a.changeRequests();
    String requests =
        (ids.size() == 1 ? "change request " : "change requests ") + String.join(", ", ids);
    if (a.authorization() == null) {
      return "Authorization: not determined.";
    }
    return switch (a.authorization()) {
      case AUTHORIZED ->
          ids.isEmpty()
              ? "Authorized by the rule pack."
              : "Authorized by "
                  + requests
                  + ": "
                  + (ids.size() == 1 ? "its window" : "their windows")
                  + " covered the first observation.";
      case ANOMALOUS ->
          ids.isEmpty()
              ? "Anomalous: no change request covered its first observation."
              : "Anomalous: the rule pack does not accept " + requests + " as authorization.";
    };
  }

  private static String findings(DriftFacts f, Assessment a) {
    if (a.findings().isEmpty()) {
      return "No findings.";
    }
    return "Findings: "
        + a.findings().stream()
            .map(code -> finding(f, code) + " (" + code + ")")
            .collect(Collectors.joining("; "))
        + ".";
  }

  private static String finding(DriftFacts f, String code) {
    return switch (code) {
      case "UNEXPECTED_KEY" -> "the blueprint does not declare this key";
      case "MISSING_KEY" -> "the key is missing from the environment";
      case "ALIAS_MODEL_VERSION" -> "the model is named by an alias, not a pinned release";
      case "GUARDRAIL_DISABLED" -> "a guardrail or security switch is off";
      case "GRADUAL_RELAXATION" -> "the value crept away from the blueprint in small steps";
      case "STALE_FLAG" ->
          "the flag has differed from the blueprint for " + daysSinceDetected(f) + " days";
      case "REEVALUATE_DEPENDENTS" -> "keys that depend on this one need re-evaluation";
      default -> "the rule pack reported " + code;
    };
  }

  private static long daysSinceDetected(DriftFacts f) {
    return f.detectedAt() == null || f.observedAt() == null
        ? 0
        : Duration.between(f.detectedAt(), f.observedAt()).toDays();
  }

  private static String approvals(Assessment a) {
    int count = a.requiredApprovals();
    if (count == 0) {
      return "no approval";
    }
    String extras =
        a.approverRoles().stream()
            .filter(role -> !role.equals("approver"))
            .map(role -> ", one holding " + role)
            .collect(Collectors.joining());
    return count + (count == 1 ? " approval" : " approvals") + extras + ", none from the requester";
  }
}
