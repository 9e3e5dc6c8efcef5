package org.plumbline.rules;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
        f.observation() != null
            ? observationDeparture(f)
            : f.metric() == null ? configDeparture(f) : behaviourDeparture(f),
        "Risk "
            + a.riskCategory()
            + categoryReason(f, a)
            + "; severity "
            + a.severity()
            + " because "
            + severityReason(f, a)
            + ".",
        "Owner: " + (f.owner() == null ? "none recorded" : f.owner()) + ".",
        f.observation() != null
            ? "Blast radius: this environment only (its own observations are missing)."
            : f.metric() == null
                ? "Blast radius: " + blastRadius(a.blastRadius()) + "."
                : "Blast radius: this environment only (a metric is measured per environment).",
        authorization(a),
        a.reevaluate().isEmpty()
            ? "Nothing depends on this key."
            : "Re-evaluate: " + String.join(", ", a.reevaluate()) + ".",
        findings(f, a),
        "A disposition needs " + approvals(a) + ".");
  }

  private static String configDeparture(DriftFacts f) {
    return f.key()
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
        + ".";
  }

  /** How old the facts are: when it was last observed, how often it should be, since when stale. */
  private static String observationDeparture(DriftFacts f) {
    StaleObservation o = f.observation();
    return f.environment()
        + " ("
        + f.tier()
        + ") has not been observed since "
        + (o.lastObservedAt() == null ? "it was registered (no snapshot yet)" : o.lastObservedAt())
        + ": it is to be observed every "
        + o.observeEvery()
        + " and is stale since "
        + o.staleSince()
        + ", so whether it matches its blueprint is not known.";
  }

  /** The numbers a reviewer needs, in words: which windows, how far, how sure, how long. */
  private static String behaviourDeparture(DriftFacts f) {
    MetricEvidence m = f.metric();
    String test =
        m.kind() == MetricKind.CONTINUOUS
            ? "Kolmogorov-Smirnov statistic D " + number(m.statistic())
            : "chi-square " + number(m.statistic());
    return "Behaviour metric "
        + m.metric()
        + " drifted in "
        + f.environment()
        + " ("
        + f.tier()
        + ") since "
        + f.detectedAt()
        + ": window "
        + m.window()
        + " against baseline "
        + m.baseline()
        + " has PSI "
        + number(m.psi())
        + " ("
        + m.effect()
        + " effect), "
        + test
        + ", p-value "
        + number(m.pValue())
        + "; beyond threshold for "
        + m.windowsBeyond()
        + (m.windowsBeyond() == 1 ? " window." : " consecutive windows.");
  }

  /** Three significant digits, in scientific notation when small: 0.312, 35.4, 2.10e-08. */
  static String number(double x) {
    if (!Double.isFinite(x)) {
      return Double.toString(x);
    }
    if (x != 0 && Math.abs(x) < 1e-3) {
      return String.format(Locale.ROOT, "%.2e", x);
    }
    return new BigDecimal(x).round(new MathContext(3)).stripTrailingZeros().toPlainString();
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
    if (f.observation() != null) {
      return staleReason(f, a);
    }
    RiskCategory category = a.riskCategory();
    Severity base =
        f.metric() != null
            ? behaviourBase(f.metric().effect())
            : category == RiskCategory.SECURITY || category == RiskCategory.GOVERNANCE
                ? Severity.MEDIUM
                : Severity.LOW;
    String starter = f.metric() != null ? "a " + f.metric().effect() + " effect" : category.name();
    int steps = f.tier() == Tier.REGULATED ? 2 : f.tier() == Tier.PROD ? 1 : 0;
    boolean switchedOff =
        a.findings().contains("GUARDRAIL_DISABLED")
            && (f.tier() == Tier.PROD || f.tier() == Tier.REGULATED)
            && a.severity() == Severity.CRITICAL;
    String override =
        "a guardrail or security switch turned off in " + f.tier() + " is always CRITICAL";
    if (base.raisedBy(steps) == a.severity()) {
      String stepped =
          starter
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

  /**
   * The shipped pack's reasoning for a stale observation (severity.drl), or the rules that fired.
   */
  private static String staleReason(DriftFacts f, Assessment a) {
    boolean promised = f.tier() == Tier.PROD || f.tier() == Tier.REGULATED;
    Severity shipped = promised ? Severity.HIGH : Severity.MEDIUM;
    if (a.severity() == shipped) {
      return "an environment not observed for twice its interval is "
          + shipped
          + (promised ? " in PROD and REGULATED" : " outside PROD and REGULATED");
    }
    List<String> rules = a.firedRules().stream().filter(r -> r.startsWith("severity:")).toList();
    return rules.isEmpty()
        ? "the rule pack decided so"
        : "of rules " + rules.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", "));
  }

  /** The shipped pack's starting severity of a behavioural drift (severity.drl). */
  private static Severity behaviourBase(EffectSize effect) {
    return switch (effect) {
      case STABLE, MODERATE -> Severity.LOW;
      case SIGNIFICANT -> Severity.MEDIUM;
      case CRITICAL -> Severity.HIGH;
    };
  }

  static String blastRadius(List<String> others) {
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
      case "STALE_OBSERVATION" ->
          f.observation() == null
              ? "the environment was not observed for twice its interval"
              : "no snapshot for twice its observeEvery interval of "
                  + f.observation().observeEvery();
      case "BEHAVIOURAL_DRIFT" ->
          f.metric() == null
              ? "the behaviour moved away from its baseline"
              : "the behaviour moved away from baseline "
                  + f.metric().baseline()
                  + " and stayed beyond threshold";
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
