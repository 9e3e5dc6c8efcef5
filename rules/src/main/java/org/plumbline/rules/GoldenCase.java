package org.plumbline.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.Authorization;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.RiskCategory;
import org.plumbline.ontology.Severity;
import org.plumbline.ontology.Tier;

/**
 * One golden case read from a pack's {@code tests/*.json}: a question to the pack and the checks
 * its answer must pass. Reading collects every problem of every file before failing, so that an
 * author fixes them in one round.
 */
final class GoldenCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant DEFAULT_DETECTED_AT = Instant.parse("2026-11-20T10:00:00Z");
  private static final Set<String> CASE_FIELDS =
      Set.of(
          "name",
          "note",
          "facts",
          "approvals",
          "limits",
          "metricPolicy",
          "signature",
          "gate",
          "expected");
  private static final List<String> QUESTIONS =
      List.of("facts", "approvals", "limits", "metricPolicy", "signature", "gate");
  private static final Set<String> FACT_FIELDS =
      Set.of(
          "environment",
          "tier",
          "owner",
          "key",
          "expected",
          "actual",
          "trail",
          "detectedAt",
          "observedAt",
          "blastRadius",
          "reevaluate",
          "changeRequests",
          "metric",
          "observation");
  private static final Set<String> OBSERVATION_FIELDS =
      Set.of("lastObservedAt", "observeEvery", "staleSince");
  private static final Set<String> METRIC_FIELDS =
      Set.of(
          "metric",
          "kind",
          "baseline",
          "window",
          "statistic",
          "pValue",
          "psi",
          "effect",
          "windowsBeyond");
  private static final List<String> METRIC_POLICY_FIELDS =
      List.of(
          "psiModerate",
          "psiSignificant",
          "psiCritical",
          "ksStatistic",
          "pValue",
          "minSampleSize",
          "persistenceWindows",
          "closingWindows",
          "cooldownWindows",
          "psiBins",
          "psiEpsilon");
  private static final Set<String> ASSESSMENT_FIELDS =
      Set.of(
          "riskCategory",
          "severity",
          "authorization",
          "requiredApprovals",
          "approverRoles",
          "findings",
          "firedRulesInclude",
          "explanationContains");

  private final String file;
  private final String name;
  private final Function<RulePack, List<String>> mismatches;

  private GoldenCase(String file, String name, Function<RulePack, List<String>> mismatches) {
    this.file = file;
    this.name = name;
    this.mismatches = mismatches;
  }

  /** Asks the pack and compares; an error the pack raises is a failed case, not a crash. */
  TestReport.CaseResult check(RulePack pack) {
    List<String> found;
    try {
      found = mismatches.apply(pack);
    } catch (PlumblineException e) {
      found = List.of("error " + e.code().name() + ": " + e.getMessage());
    }
    return new TestReport.CaseResult(name, file, found.isEmpty(), String.join("; ", found));
  }

  /** Every case of every {@code *.json} file in {@code testsDir}, files in name order. */
  static List<GoldenCase> readAll(Path testsDir) {
    if (!Files.isDirectory(testsDir)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> entries = Files.list(testsDir)) {
      files =
          entries
              .filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new PlumblineException(
          RuleError.INVALID_TEST_CASE, "cannot list " + testsDir, List.of(e.toString()), e);
    }
    List<String> problems = new ArrayList<>();
    List<GoldenCase> cases = new ArrayList<>();
    for (Path path : files) {
      readFile(path, problems, cases);
    }
    if (!problems.isEmpty()) {
      throw new PlumblineException(
          RuleError.INVALID_TEST_CASE,
          problems.size() + " problem(s) in the golden cases under " + testsDir,
          problems);
    }
    return cases;
  }

  private static void readFile(Path path, List<String> problems, List<GoldenCase> cases) {
    String file = path.getFileName().toString();
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(path));
    } catch (JsonProcessingException e) {
      problems.add(
          file + ":" + e.getLocation().getLineNr() + ": not JSON: " + e.getOriginalMessage());
      return;
    } catch (IOException e) {
      problems.add(file + ": cannot read: " + e.getMessage());
      return;
    }
    if (root == null || !root.isArray()) {
      problems.add(file + ": must hold a JSON array of cases");
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode node = root.get(i);
      String label = node.path("name").isTextual() ? " (" + node.get("name").asText() + ")" : "";
      CaseFields c =
          new CaseFields(node, file + ": case " + (i + 1) + label, problems, CASE_FIELDS);
      if (!c.ok()) {
        continue;
      }
      String name = c.text("name", true);
      if (name != null && !names.add(name)) {
        c.problem("name", "another case in this file has the same name");
      }
      CaseFields expected = c.object("expected", null);
      long questions = QUESTIONS.stream().filter(f -> node.has(f)).count();
      if (questions != 1) {
        c.problem("", "needs exactly one of " + String.join(", ", QUESTIONS));
        continue;
      }
      Function<RulePack, List<String>> check;
      if (node.has("facts")) {
        check = factsCase(c.object("facts", FACT_FIELDS), expected);
      } else if (node.has("approvals")) {
        check = approvalsCase(c.object("approvals", Set.of("tier", "severity")), expected);
      } else if (node.has("metricPolicy")) {
        check = metricPolicyCase(c, expected);
      } else if (node.has("signature")) {
        check = signatureCase(c, expected);
      } else if (node.has("gate")) {
        check = GateCase.read(c.object("gate", GateCase.FIELDS), expected);
      } else {
        check = limitsCase(c, expected);
      }
      if (check != null && name != null) {
        cases.add(new GoldenCase(file, name, check));
      }
    }
  }

  private static Function<RulePack, List<String>> factsCase(CaseFields f, CaseFields e) {
    if (f == null || e == null || !e.allowOnly(ASSESSMENT_FIELDS)) {
      return null;
    }
    String actual = f.json("actual");
    List<String> trail = f.jsonList("trail");
    Instant detectedAt = f.instant("detectedAt", DEFAULT_DETECTED_AT);
    Tier tier = f.enumValue("tier", Tier.class, null);
    String key = f.text("key", true);
    if (!f.has("tier")) {
      f.problem("tier", "is required");
    }
    Function<RulePack, MetricEvidence> metric =
        f.has("metric") ? metricEvidence(f.object("metric", METRIC_FIELDS), key, tier) : null;
    StaleObservation observation =
        f.has("observation")
            ? staleObservation(f.object("observation", OBSERVATION_FIELDS), detectedAt)
            : null;
    List<Function<Assessment, String>> checks = assessmentChecks(e);
    if (tier == null
        || key == null
        || checks.isEmpty()
        || (f.has("metric") && metric == null)
        || (f.has("observation") && observation == null)) {
      return null;
    }
    String environment = Objects.requireNonNullElse(f.text("environment", false), "test-env");
    String owner = f.text("owner", false);
    String expected = f.json("expected");
    List<String> trailOrActual =
        trail != null ? trail : actual == null ? List.of() : List.of(actual);
    Instant observedAt = f.instant("observedAt", detectedAt);
    List<String> blastRadius = f.strings("blastRadius");
    List<String> reevaluate = f.strings("reevaluate");
    List<String> changeRequests = f.strings("changeRequests");
    return pack -> {
      DriftFacts facts =
          new DriftFacts(
              environment,
              tier,
              owner,
              key,
              expected,
              actual,
              trailOrActual,
              detectedAt,
              observedAt,
              blastRadius,
              reevaluate,
              changeRequests,
              metric == null ? null : metric.apply(pack),
              observation);
      Assessment a = pack.assess(facts);
      return checks.stream().map(c -> c.apply(a)).filter(Objects::nonNull).toList();
    };
  }

  /**
   * The stale observation of a facts case: {@code observeEvery} defaults to one day, {@code
   * staleSince} to the last observation plus twice the interval (or {@code detectedAt} when none is
   * given).
   */
  private static StaleObservation staleObservation(CaseFields o, Instant detectedAt) {
    if (o == null) {
      return null;
    }
    Instant last = o.instant("lastObservedAt", null);
    Duration every = o.duration("observeEvery");
    every = every == null ? Duration.ofDays(1) : every;
    Instant since =
        o.instant("staleSince", last == null ? detectedAt : last.plus(every.multipliedBy(2)));
    return o.ok() ? new StaleObservation(last, every, since) : null;
  }

  /**
   * The metric evidence of a facts case. Without an {@code effect}, the pack under test bands the
   * {@code psi} with its own metric thresholds, so that a case also checks the thresholds table.
   */
  private static Function<RulePack, MetricEvidence> metricEvidence(
      CaseFields m, String key, Tier tier) {
    if (m == null) {
      return null;
    }
    Double psi = m.number("psi");
    if (psi == null) {
      m.problem("psi", "is required");
      return null;
    }
    String name =
        Objects.requireNonNullElse(
            m.text("metric", false),
            key != null && key.startsWith("metrics.") ? key.substring(8) : String.valueOf(key));
    MetricKind kind = m.enumValue("kind", MetricKind.class, MetricKind.CONTINUOUS);
    String baseline = Objects.requireNonNullElse(m.text("baseline", false), "baseline");
    String window = Objects.requireNonNullElse(m.text("window", false), "window");
    double statistic = Objects.requireNonNullElse(m.number("statistic"), 0.0);
    double pValue = Objects.requireNonNullElse(m.number("pValue"), 0.0);
    EffectSize effect = m.enumValue("effect", EffectSize.class, null);
    int windowsBeyond = Objects.requireNonNullElse(m.integer("windowsBeyond"), 3);
    if (!m.ok()) {
      return null;
    }
    return pack ->
        new MetricEvidence(
            name,
            kind,
            baseline,
            window,
            statistic,
            pValue,
            psi,
            effect != null || tier == null ? effect : pack.metricPolicy(tier).effect(psi),
            windowsBeyond);
  }

  private static Function<RulePack, List<String>> metricPolicyCase(CaseFields c, CaseFields e) {
    if (e == null || !e.allowOnly(Set.copyOf(METRIC_POLICY_FIELDS))) {
      return null;
    }
    Tier tier = c.enumValue("metricPolicy", Tier.class, null);
    if (tier == null) {
      c.problem("metricPolicy", "must name a tier");
      return null;
    }
    List<String> fields = METRIC_POLICY_FIELDS.stream().filter(e::has).toList();
    List<Double> wanted = fields.stream().map(e::number).toList();
    if (fields.isEmpty()) {
      e.problem("", "names no field to check (one of " + METRIC_POLICY_FIELDS + ")");
      return null;
    }
    if (wanted.contains(null)) {
      return null;
    }
    return pack -> {
      MetricPolicy got = pack.metricPolicy(tier);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < fields.size(); i++) {
        String mismatch = same(fields.get(i), wanted.get(i), field(got, fields.get(i)));
        if (mismatch != null) {
          out.add(mismatch);
        }
      }
      return out;
    };
  }

  private static double field(MetricPolicy p, String name) {
    return switch (name) {
      case "psiModerate" -> p.psiModerate();
      case "psiSignificant" -> p.psiSignificant();
      case "psiCritical" -> p.psiCritical();
      case "ksStatistic" -> p.ksStatistic();
      case "pValue" -> p.pValue();
      case "minSampleSize" -> p.minSampleSize();
      case "persistenceWindows" -> p.persistenceWindows();
      case "closingWindows" -> p.closingWindows();
      case "cooldownWindows" -> p.cooldownWindows();
      case "psiBins" -> p.psiBins();
      case "psiEpsilon" -> p.psiEpsilon();
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static List<Function<Assessment, String>> assessmentChecks(CaseFields e) {
    List<Function<Assessment, String>> checks = new ArrayList<>();
    RiskCategory category = e.enumValue("riskCategory", RiskCategory.class, null);
    if (category != null) {
      checks.add(a -> same("riskCategory", category, a.riskCategory()));
    }
    Severity severity = e.enumValue("severity", Severity.class, null);
    if (severity != null) {
      checks.add(a -> same("severity", severity, a.severity()));
    }
    Authorization authorization = e.enumValue("authorization", Authorization.class, null);
    if (authorization != null) {
      checks.add(a -> same("authorization", authorization, a.authorization()));
    }
    Integer approvals = e.integer("requiredApprovals");
    if (approvals != null) {
      checks.add(a -> same("requiredApprovals", approvals, a.requiredApprovals()));
    }
    if (e.has("approverRoles")) {
      List<String> roles = e.strings("approverRoles");
      checks.add(a -> same("approverRoles", roles, a.approverRoles()));
    }
    if (e.has("findings")) {
      List<String> findings = e.strings("findings").stream().sorted().toList();
      checks.add(a -> same("findings", findings, a.findings().stream().sorted().toList()));
    }
    if (e.has("firedRulesInclude")) {
      List<String> rules = e.strings("firedRulesInclude");
      checks.add(
          a -> {
            List<String> absent = rules.stream().filter(r -> !a.firedRules().contains(r)).toList();
            return absent.isEmpty()
                ? null
                : "expected firedRules to include " + absent + ", got " + a.firedRules();
          });
    }
    if (e.has("explanationContains")) {
      List<String> words = e.strings("explanationContains");
      checks.add(
          a -> {
            List<String> absent = words.stream().filter(w -> !a.explanation().contains(w)).toList();
            return absent.isEmpty()
                ? null
                : "expected explanation to contain " + absent + ", got \"" + a.explanation() + "\"";
          });
    }
    if (checks.isEmpty() && e.ok()) {
      e.problem("", "names no field to check (one of " + ASSESSMENT_FIELDS + ")");
    }
    return checks;
  }

  private static Function<RulePack, List<String>> approvalsCase(CaseFields q, CaseFields e) {
    if (q == null || e == null || !e.allowOnly(Set.of("requiredApprovals", "approverRoles"))) {
      return null;
    }
    Tier tier = q.enumValue("tier", Tier.class, null);
    Severity severity = q.enumValue("severity", Severity.class, null);
    Integer count = e.integer("requiredApprovals");
    List<String> roles = e.has("approverRoles") ? e.strings("approverRoles") : null;
    if (tier == null || severity == null) {
      q.problem("", "needs tier and severity");
      return null;
    }
    if (count == null && roles == null) {
      e.problem("", "names no field to check (requiredApprovals, approverRoles)");
      return null;
    }
    return pack -> {
      RequiredApprovals got = pack.requiredApprovals(tier, severity);
      return Stream.of(
              count == null ? null : same("requiredApprovals", count, got.count()),
              roles == null ? null : same("approverRoles", roles, got.roles()))
          .filter(Objects::nonNull)
          .toList();
    };
  }

  private static Function<RulePack, List<String>> limitsCase(CaseFields c, CaseFields e) {
    if (e == null || !e.allowOnly(Set.of("longestAccept", "longestExtension"))) {
      return null;
    }
    Tier tier = c.enumValue("limits", Tier.class, null);
    Duration accept = e.duration("longestAccept");
    Duration extension = e.duration("longestExtension");
    if (tier == null) {
      c.problem("limits", "must name a tier");
      return null;
    }
    if (accept == null && extension == null) {
      e.problem("", "names no field to check (longestAccept, longestExtension)");
      return null;
    }
    return pack -> {
      PolicyLimits got = pack.policyLimits(tier);
      return Stream.of(
              accept == null
                  ? null
                  : same("longestAccept", days(accept), days(got.longestAccept())),
              extension == null
                  ? null
                  : same("longestExtension", days(extension), days(got.longestExtension())))
          .filter(Objects::nonNull)
          .toList();
    };
  }

  /** One meaning of the signature vocabulary: allowed at all, counts as approval, its role. */
  private static Function<RulePack, List<String>> signatureCase(CaseFields c, CaseFields e) {
    if (e == null || !e.allowOnly(Set.of("allowed", "countsAsApproval", "role"))) {
      return null;
    }
    String meaning = c.text("signature", true);
    Boolean allowed = e.bool("allowed");
    Boolean counts = e.bool("countsAsApproval");
    String role = e.text("role", false);
    if (meaning == null) {
      return null;
    }
    if (allowed == null && counts == null && role == null) {
      e.problem("", "names no field to check (allowed, countsAsApproval, role)");
      return null;
    }
    return pack -> {
      var found = pack.signatureMeanings().find(meaning);
      return Stream.of(
              allowed == null ? null : same("allowed", allowed, found.isPresent()),
              counts == null
                  ? null
                  : same(
                      "countsAsApproval",
                      counts,
                      found.map(SignatureMeanings.Meaning::approves).orElse(false)),
              role == null
                  ? null
                  : same("role", role, found.map(SignatureMeanings.Meaning::role).orElse(null)))
          .filter(Objects::nonNull)
          .toList();
    };
  }

  private static String same(String field, Object expected, Object got) {
    return Objects.equals(expected, got)
        ? null
        : "expected " + field + " " + expected + ", got " + got;
  }

  /** Durations as authors write them: P7D rather than Java's PT168H. */
  private static String days(Duration d) {
    return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
  }
}
