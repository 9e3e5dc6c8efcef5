package org.plumbline.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.plumbline.ontology.Tier;
import org.plumbline.rules.pack.GateChangeWindow;
import org.plumbline.rules.pack.GateDrift;
import org.plumbline.rules.pack.GateFacts;
import org.plumbline.rules.pack.GateMetric;
import org.plumbline.rules.pack.GatePrompt;
import org.plumbline.rules.pack.GateReason;

/**
 * A golden case that asks the promotion gate: {@code "gate": {…}} holds the facts ({@link
 * GateFacts} and the lists beside it), {@code expected} the decision and the reasons' codes and
 * subjects. See {@code packs/default/tests/README.md}.
 */
final class GateCase {
  static final Instant DEFAULT_NOW = Instant.parse("2026-11-20T10:00:00Z");
  static final Set<String> FIELDS =
      Set.of(
          "bundle",
          "version",
          "environment",
          "tier",
          "environmentStatus",
          "expiresAt",
          "validated",
          "model",
          "promptHash",
          "now",
          "candidate",
          "prompts",
          "drifts",
          "metrics",
          "changeWindows");
  private static final Set<String> EXPECTED =
      Set.of("decision", "reasons", "subjects", "firedRulesInclude", "messagesContain");

  private GateCase() {}

  static Function<RulePack, List<String>> read(CaseFields f, CaseFields e) {
    if (f == null || e == null || !e.allowOnly(EXPECTED)) {
      return null;
    }
    Tier tier = f.enumValue("tier", Tier.class, null);
    if (!f.has("tier")) {
      f.problem("tier", "is required");
    }
    Instant now = f.instant("now", DEFAULT_NOW);
    Boolean validated = f.bool("validated");
    Boolean candidate = f.bool("candidate");
    GateFacts gate =
        tier == null
            ? null
            : new GateFacts(
                Objects.requireNonNullElse(f.text("bundle", false), "test-bundle"),
                Objects.requireNonNullElse(f.text("version", false), "1.0.0"),
                Objects.requireNonNullElse(f.text("environment", false), "test-env"),
                tier.name(),
                Objects.requireNonNullElse(f.text("environmentStatus", false), "ACTIVE"),
                f.instant("expiresAt", null),
                Boolean.TRUE.equals(validated),
                f.text("model", false),
                f.text("promptHash", false),
                now,
                Boolean.TRUE.equals(candidate));
    List<GatePrompt> prompts = prompts(f);
    List<GateDrift> drifts = drifts(f);
    List<GateMetric> metrics = metrics(f);
    List<GateChangeWindow> windows = windows(f);
    List<Function<PromotionDecision, String>> checks = checks(e);
    if (gate == null
        || prompts == null
        || drifts == null
        || metrics == null
        || windows == null
        || !f.ok()
        || checks.isEmpty()) {
      return null;
    }
    PromotionFacts facts = new PromotionFacts(gate, prompts, drifts, metrics, windows);
    return pack -> {
      PromotionDecision d = pack.decidePromotion(facts);
      return checks.stream().map(c -> c.apply(d)).filter(Objects::nonNull).toList();
    };
  }

  private static List<GatePrompt> prompts(CaseFields f) {
    List<CaseFields> items =
        f.objects("prompts", Set.of("id", "version", "evalScore", "testedWithModel"));
    if (items == null) {
      return null;
    }
    List<GatePrompt> out = new ArrayList<>();
    for (CaseFields p : items) {
      out.add(
          new GatePrompt(
              Objects.requireNonNullElse(p.text("id", false), "test-prompt"),
              Objects.requireNonNullElse(p.text("version", false), "1.0.0"),
              p.number("evalScore"),
              p.text("testedWithModel", false)));
    }
    return out;
  }

  private static List<GateDrift> drifts(CaseFields f) {
    List<CaseFields> items = f.objects("drifts", Set.of("id", "key", "severity", "status"));
    if (items == null) {
      return null;
    }
    List<GateDrift> out = new ArrayList<>();
    for (CaseFields d : items) {
      String id = d.text("id", true);
      String severity = d.text("severity", true);
      out.add(
          new GateDrift(
              id,
              Objects.requireNonNullElse(d.text("key", false), "some.key"),
              severity,
              Objects.requireNonNullElse(d.text("status", false), "OPEN")));
    }
    return out;
  }

  private static List<GateMetric> metrics(CaseFields f) {
    List<CaseFields> items = f.objects("metrics", Set.of("metric", "status"));
    if (items == null) {
      return null;
    }
    List<GateMetric> out = new ArrayList<>();
    for (CaseFields m : items) {
      out.add(new GateMetric(m.text("metric", true), m.text("status", true)));
    }
    return out;
  }

  private static List<GateChangeWindow> windows(CaseFields f) {
    List<CaseFields> items =
        f.objects("changeWindows", Set.of("id", "from", "until", "approvedBy"));
    if (items == null) {
      return null;
    }
    List<GateChangeWindow> out = new ArrayList<>();
    for (CaseFields w : items) {
      Instant from = w.instant("from", null);
      Instant until = w.instant("until", null);
      if (from == null || until == null) {
        w.problem("", "needs from and until");
        return null;
      }
      out.add(
          new GateChangeWindow(
              Objects.requireNonNullElse(w.text("id", false), "CR-1"),
              from,
              until,
              Objects.requireNonNullElse(w.text("approvedBy", false), "CAB")));
    }
    return out;
  }

  private static List<Function<PromotionDecision, String>> checks(CaseFields e) {
    List<Function<PromotionDecision, String>> checks = new ArrayList<>();
    PromotionDecision.Outcome decision =
        e.enumValue("decision", PromotionDecision.Outcome.class, null);
    if (decision != null) {
      checks.add(d -> same("decision", decision, d.decision()));
    }
    if (e.has("reasons")) {
      List<String> codes = e.strings("reasons").stream().sorted().toList();
      checks.add(
          d ->
              same("reasons", codes, d.reasons().stream().map(GateReason::code).sorted().toList()));
    }
    if (e.has("subjects")) {
      List<String> subjects = e.strings("subjects").stream().sorted().toList();
      checks.add(
          d ->
              same(
                  "subjects",
                  subjects,
                  d.reasons().stream().map(r -> String.valueOf(r.subject())).sorted().toList()));
    }
    if (e.has("firedRulesInclude")) {
      List<String> rules = e.strings("firedRulesInclude");
      checks.add(
          d -> {
            List<String> absent = rules.stream().filter(r -> !d.firedRules().contains(r)).toList();
            return absent.isEmpty()
                ? null
                : "expected firedRules to include " + absent + ", got " + d.firedRules();
          });
    }
    if (e.has("messagesContain")) {
      List<String> words = e.strings("messagesContain");
      checks.add(
          d -> {
            String all = String.join(" | ", d.reasons().stream().map(GateReason::message).toList());
            List<String> absent = words.stream().filter(w -> !all.contains(w)).toList();
            return absent.isEmpty()
                ? null
                : "expected messages to contain " + absent + ", got \"" + all + "\"";
          });
    }
    if (checks.isEmpty() && e.ok()) {
      e.problem("", "names no field to check (one of " + EXPECTED + ")");
    }
    return checks;
  }

  private static String same(String field, Object expected, Object got) {
    return Objects.equals(expected, got)
        ? null
        : "expected " + field + " " + expected + ", got " + got;
  }
}
