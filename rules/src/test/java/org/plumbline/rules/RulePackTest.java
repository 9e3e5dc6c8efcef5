package org.plumbline.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.Authorization;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.RiskCategory;
import org.plumbline.ontology.Severity;
import org.plumbline.ontology.Tier;

/** The rule pack engine with real Drools over the shipped packs and broken copies of them. */
class RulePackTest {
  private static final Path SHIPPED = Path.of("packs/default");
  private static RulePack pack;

  @BeforeAll
  static void compileShippedPack() {
    pack = RulePack.compile(SHIPPED);
  }

  @Test
  void shippedPackPassesItsGoldenCases() {
    TestReport report = RulePackTester.run(SHIPPED);
    assertEquals(0, report.failed(), report::render);
    assertTrue(report.total() >= 30, () -> "only " + report.total() + " golden cases");
    assertTrue(report.render().endsWith(report.total() + " passed, 0 failed\n"));
  }

  @Test
  void aRulesFolderCompilesItsDefaultPack() {
    // The server's default rules folder is ./rules, which holds packs/default.
    assertEquals(pack.version(), RulePack.compile(Path.of(".")).version());
    assertEquals(SHIPPED, pack.directory());
  }

  @Test
  void brokenDrlNamesFileAndLine(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("broken.drl"),
        String.join(
            "\n",
            "package org.plumbline.rules.pack;",
            "import org.plumbline.rules.DriftFacts;",
            "rule \"broken\"",
            "when",
            "    DriftFacts( key == )",
            "then",
            "end",
            ""));
    PlumblineException e = assertThrows(PlumblineException.class, () -> RulePack.compile(dir));
    assertEquals(RuleError.PACK_COMPILE_FAILED, e.code());
    assertTrue(
        e.details().stream().anyMatch(d -> d.startsWith("broken.drl:5: ")), e.details()::toString);
  }

  @Test
  void emptyFolderIsPackEmpty(@TempDir Path dir) throws IOException {
    assertEquals(RuleError.PACK_EMPTY, compileError(dir));
    // A decision table without the .drl.csv suffix is no pack file (BUILD-NOTES pitfall 5).
    Files.copy(SHIPPED.resolve("approvals.drl.csv"), dir.resolve("approvals.csv"));
    assertEquals(RuleError.PACK_EMPTY, compileError(dir));
  }

  @Test
  void missingFolderIsPackNotFound(@TempDir Path dir) {
    assertEquals(RuleError.PACK_NOT_FOUND, compileError(dir.resolve("absent")));
  }

  @Test
  void decisionTableRowsAreRules(@TempDir Path dir) throws IOException {
    Files.copy(SHIPPED.resolve("approvals.drl.csv"), dir.resolve("approvals.drl.csv"));
    RulePack tableOnly = RulePack.compile(dir);
    // 16 tier x severity rows of approvals and 4 tier rows of limits.
    assertEquals(20, tableOnly.ruleCount(), tableOnly.ruleNames()::toString);
    assertTrue(pack.ruleNames().containsAll(tableOnly.ruleNames()));
    assertEquals(
        new RequiredApprovals(2, List.of("approver", "model-risk")),
        tableOnly.requiredApprovals(Tier.REGULATED, Severity.LOW));
    assertEquals(
        new RequiredApprovals(1, List.of("approver")),
        tableOnly.requiredApprovals(Tier.DEV, Severity.CRITICAL));
    assertEquals(
        new RequiredApprovals(0, List.of()),
        tableOnly.requiredApprovals(Tier.STAGING, Severity.LOW));
    assertEquals(Duration.ofDays(14), tableOnly.policyLimits(Tier.PROD).longestAccept());
    assertEquals(Duration.ofDays(365), tableOnly.policyLimits(Tier.REGULATED).longestExtension());
  }

  @Test
  void aWrongGoldenCaseIsReportedAlone(@TempDir Path dir) throws IOException {
    copyPack(dir);
    Path cases = dir.resolve("tests/severity.json");
    String text = Files.readString(cases);
    String right = "\"expected\": {\"severity\": \"HIGH\", \"firedRulesInclude\"";
    assertTrue(text.contains(right));
    Files.writeString(cases, text.replace(right, right.replace("HIGH", "MEDIUM")));

    TestReport report = RulePackTester.run(dir);

    assertEquals(1, report.failed(), report::render);
    TestReport.CaseResult failure = report.failures().get(0);
    assertEquals("SECURITY in PROD is HIGH", failure.name());
    assertEquals("severity.json", failure.file());
    assertEquals("expected severity MEDIUM, got HIGH", failure.message());
    assertTrue(
        report
            .render()
            .contains(
                "FAIL severity.json: SECURITY in PROD is HIGH: expected severity MEDIUM, got HIGH\n"));
    assertTrue(report.render().endsWith((report.total() - 1) + " passed, 1 failed\n"));
    PlumblineException e = assertThrows(PlumblineException.class, report::requirePassed);
    assertEquals(RuleError.PACK_TEST_FAILED, e.code());
  }

  @Test
  void malformedGoldenCasesAreAllReported(@TempDir Path dir) throws IOException {
    copyPack(dir);
    Files.writeString(
        dir.resolve("tests/zz-bad.json"),
        """
        [ {"name": "typo", "facts": {"tier": "PROD", "key": "a"}, "expected": {"serverity": "HIGH"}},
          {"name": "bad tier", "facts": {"tier": "LIVE", "key": "a"}, "expected": {"severity": "HIGH"}} ]
        """);
    PlumblineException e = assertThrows(PlumblineException.class, () -> RulePackTester.run(dir));
    assertEquals(RuleError.INVALID_TEST_CASE, e.code(), e.getMessage() + e.details());
    assertEquals(2, e.details().size(), e.details()::toString);
    assertTrue(
        e.details()
            .get(0)
            .startsWith("zz-bad.json: case 1 (typo): expected: serverity: unknown field"));
    assertTrue(
        e.details()
            .get(1)
            .startsWith("zz-bad.json: case 2 (bad tier): facts: tier: LIVE is not one of"));
  }

  @Test
  void explanationIsDeterministicAndSaysWhy() {
    DriftFacts facts = contractSnapshot();
    Assessment first = pack.assess(facts);
    Assessment second = pack.assess(facts);

    assertEquals(first, second);
    assertEquals(first.explanation(), Explanation.of(facts, first));
    assertEquals(
        "model.version drifted in credit-model-prod (REGULATED) since 2026-11-20T10:00:00Z:"
            + " expected \"gpt-4o-2024-08-06\", observed \"gpt-4o\"."
            + " Risk GOVERNANCE by rule \"risk: governance keys\"; severity CRITICAL because"
            + " GOVERNANCE starts at MEDIUM and the REGULATED tier raises MEDIUM by two steps."
            + " Owner: team-credit-risk."
            + " Blast radius: shared by 2 other environments: fraud-model-prod, kyc-model-prod."
            + " Anomalous: no change request covered its first observation."
            + " Re-evaluate: guardrails.enabled, guardrails.toxicity.threshold."
            + " Findings: the model is named by an alias, not a pinned release (ALIAS_MODEL_VERSION);"
            + " keys that depend on this one need re-evaluation (REEVALUATE_DEPENDENTS)."
            + " A disposition needs 2 approvals, one holding model-risk, none from the requester.",
        first.explanation());
  }

  @Test
  void assessmentCarriesFactsRulesAndVersion() {
    Assessment a = pack.assess(contractSnapshot());
    assertEquals(RiskCategory.GOVERNANCE, a.riskCategory());
    assertEquals(Severity.CRITICAL, a.severity());
    assertEquals(Authorization.ANOMALOUS, a.authorization());
    assertEquals("team-credit-risk", a.owner());
    assertEquals(List.of("fraud-model-prod", "kyc-model-prod"), a.blastRadius());
    assertEquals(List.of("approver", "model-risk"), a.approverRoles());
    assertEquals(pack.version(), a.rulePackVersion());
    // Firing order: category, then severity stages, then findings, then approvals.
    assertEquals("risk: governance keys", a.firedRules().get(0));
    assertEquals(
        "approvals: take the table's answer", a.firedRules().get(a.firedRules().size() - 1));
    assertTrue(
        a.firedRules().indexOf("severity: regulated raises two steps")
            < a.firedRules().indexOf("approvals: regulated critical"));
  }

  @Test
  void sessionsDoNotShareState() {
    List<DriftFacts> facts =
        IntStream.range(0, 64)
            .mapToObj(
                i ->
                    facts(
                        Tier.values()[i % 4],
                        i % 2 == 0 ? "llm.temperature" : "guardrails.enabled",
                        i % 2 == 0 ? "0.3" : "true",
                        i % 2 == 0 ? "0.7" : "false"))
            .toList();
    List<Assessment> sequential = facts.stream().map(pack::assess).toList();
    List<Assessment> parallel = facts.parallelStream().map(pack::assess).toList();
    assertEquals(sequential, parallel);
  }

  @Test
  void versionFollowsPackFiles(@TempDir Path dir) throws IOException {
    copyPack(dir);
    String before = RulePack.compile(dir).version();
    assertTrue(before.matches("sha256:[0-9a-f]{16}"), before);
    assertEquals(pack.version(), before);
    assertEquals(before, RulePack.compile(dir).version());

    Path severity = dir.resolve("severity.drl");
    Files.writeString(severity, Files.readString(severity) + "\n// reviewed\n");
    assertNotEquals(before, RulePack.compile(dir).version());
  }

  @Test
  void theShippedPackImportsOnlyThePublishedPackApi() throws IOException {
    try (Stream<Path> files = Files.list(SHIPPED)) {
      // gates.drl came after the API was published: no pack ever imported its facts from internal.
      for (Path file :
          files.filter(f -> f.toString().contains(".drl") && !f.endsWith("gates.drl")).toList()) {
        String text = Files.readString(file);
        assertTrue(!text.contains("org.plumbline.rules.internal"), file::toString);
        assertTrue(!text.contains("org.plumbline.ontology.internal"), file::toString);
      }
    }
  }

  /** A governance team's copy of the pack from before the pack API was published still works. */
  @Test
  void aPackImportingTheOldInternalPathStillCompilesAndDecidesTheSame(@TempDir Path dir)
      throws IOException {
    copyPack(dir);
    int rewritten = 0;
    try (Stream<Path> files = Files.list(dir)) {
      // gates.drl came after the API was published: no pack ever imported its facts from internal.
      for (Path file :
          files.filter(f -> f.toString().contains(".drl") && !f.endsWith("gates.drl")).toList()) {
        String text = Files.readString(file);
        String old = text.replace("org.plumbline.rules.pack.", "org.plumbline.rules.internal.");
        // the DRL package name stays: only the imports of the API move
        old =
            old.replace(
                "package org.plumbline.rules.internal;", "package org.plumbline.rules.pack;");
        old =
            old.replace(
                "\"RuleSet\",\"org.plumbline.rules.internal\"",
                "\"RuleSet\",\"org.plumbline.rules.pack\"");
        if (!old.equals(text)) {
          rewritten++;
          Files.writeString(file, old);
        }
      }
    }
    assertTrue(rewritten >= 5, "only " + rewritten + " pack files import the pack API");
    RulePack oldStyle = RulePack.compile(dir);
    assertEquals(pack.ruleNames(), oldStyle.ruleNames());
    assertNotEquals(pack.version(), oldStyle.version()); // the version hashes the files as written
    Assessment expected = pack.assess(contractSnapshot());
    Assessment actual = oldStyle.assess(contractSnapshot());
    assertEquals(expected.severity(), actual.severity());
    assertEquals(expected.riskCategory(), actual.riskCategory());
    assertEquals(expected.authorization(), actual.authorization());
    assertEquals(expected.requiredApprovals(), actual.requiredApprovals());
    assertEquals(expected.approverRoles(), actual.approverRoles());
    assertEquals(expected.findings(), actual.findings());
    assertEquals(expected.firedRules(), actual.firedRules());
    TestReport report = RulePackTester.run(dir);
    assertEquals(0, report.failed(), report::render);
  }

  @Test
  void aPackThatDecidesNothingIsIncomplete(@TempDir Path dir) throws IOException {
    Files.copy(SHIPPED.resolve("risk-classification.drl"), dir.resolve("risk-classification.drl"));
    RulePack riskOnly = RulePack.compile(dir);
    PlumblineException e =
        assertThrows(
            PlumblineException.class, () -> riskOnly.assess(facts(Tier.DEV, "a", "1", "2")));
    assertEquals(RuleError.PACK_INCOMPLETE, e.code());
    assertEquals(List.of("severity", "authorization", "requiredApprovals"), e.details());
  }

  @Test
  void metricThresholdsArePolicyInThePack(@TempDir Path dir) throws IOException {
    for (Tier tier : Tier.values()) {
      assertEquals(MetricPolicy.DEFAULT, pack.metricPolicy(tier), tier::name);
    }
    copyPack(dir);
    Path table = dir.resolve("metric-thresholds.drl.csv");
    String text = Files.readString(table);
    String prod =
        "\"metric thresholds: prod\",\"PROD\",\"0.1\",\"0.2\",\"0.5\",\"0.1\",\"0.05\",\"30\",\"3\",\"3\",\"2\"";
    assertTrue(text.contains(prod), text);
    // A governance team makes PROD quicker to open a drift, slower to close one, slower to call a
    // shift significant, and asks for larger windows.
    String edited =
        "\"metric thresholds: prod\",\"PROD\",\"0.1\",\"0.35\",\"0.5\",\"0.1\",\"0.05\",\"50\",\"2\",\"5\",\"4\"";
    Files.writeString(table, text.replace(prod, edited));

    RulePack changed = RulePack.compile(dir);

    MetricPolicy policy = changed.metricPolicy(Tier.PROD);
    assertEquals(50, policy.minSampleSize());
    assertEquals(2, policy.persistenceWindows());
    assertEquals(5, policy.closingWindows());
    assertEquals(4, policy.cooldownWindows());
    assertEquals(0.35, policy.psiSignificant());
    assertEquals(MetricPolicy.DEFAULT, changed.metricPolicy(Tier.REGULATED), "other rows stay");
    assertNotEquals(pack.version(), changed.version());
    // Two windows beyond threshold now open a drift in PROD.
    MetricTestResult beyond =
        new MetricTestResult(
            "w", MetricKind.CONTINUOUS, 0.3, 1e-6, 0.3, true, EffectSize.MODERATE, 200);
    assertEquals(
        MetricStatus.DRIFT,
        MetricDriftTracker.track(List.of(beyond, beyond), policy).get(1).status());
    // The pack's own golden cases notice both edits: the thresholds row and a severity that
    // follows the moved band edge (PSI 0.31 is now a moderate shift, MEDIUM in PROD).
    TestReport report = RulePackTester.run(changed, dir.resolve("tests"));
    assertEquals(
        List.of(
            "significant shift in PROD is HIGH",
            "PROD: a window needs 30 values to count; a drift opens after 3 windows beyond"
                + " threshold, closes after 3 within, then 2 windows of cool-down"),
        report.failures().stream().map(TestReport.CaseResult::name).toList(),
        report::render);
  }

  @Test
  void contradictoryOrMissingMetricThresholdsAreRefused(@TempDir Path dir) throws IOException {
    copyPack(dir);
    Path table = dir.resolve("metric-thresholds.drl.csv");
    Files.writeString(
        table,
        Files.readString(table).replace("\"DEV\",\"0.1\",\"0.2\"", "\"DEV\",\"0.3\",\"0.2\""));
    RulePack broken = RulePack.compile(dir);
    PlumblineException e =
        assertThrows(PlumblineException.class, () -> broken.metricPolicy(Tier.DEV));
    assertEquals(RuleError.PACK_INCOMPLETE, e.code());
    assertTrue(
        e.details().get(0).startsWith("DEV: psiSignificant must be >= psiModerate"), e::toString);
    assertEquals(MetricPolicy.DEFAULT, broken.metricPolicy(Tier.PROD));

    Files.delete(table);
    RulePack without = RulePack.compile(dir);
    PlumblineException missing =
        assertThrows(PlumblineException.class, () -> without.metricPolicy(Tier.PROD));
    assertEquals(RuleError.PACK_INCOMPLETE, missing.code());
    assertEquals("psiModerate", missing.details().get(0));
  }

  /**
   * A rule that re-activates itself through {@code modify} never settles; the firing budget must
   * end it with a coded error, and the golden-case runner must report it as a failed case, not
   * hang.
   */
  @Test
  void aRuleThatLoopsViaModifyIsStoppedNotHung(@TempDir Path dir) throws IOException {
    copyPack(dir);
    Files.writeString(dir.resolve("loop.drl"), LOOPING_RULE);
    RulePack looping = RulePack.compile(dir);

    PlumblineException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                assertThrows(
                    PlumblineException.class,
                    () -> looping.assess(facts(Tier.PROD, "llm.temperature", "0.3", "0.7"))));
    assertEquals(RuleError.PACK_INCOMPLETE, e.code());
    assertTrue(e.getMessage().contains("did not settle"), e.getMessage());
    assertTrue(e.details().contains("loop: flip forever"), e.details()::toString);

    TestReport report =
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> RulePackTester.run(dir));
    // Every drift case fails on the budget; the table-only questions never touch the loop.
    assertTrue(report.failed() > 50, report::render);
    assertTrue(
        report.failures().stream().allMatch(f -> f.message().contains("PACK_INCOMPLETE")),
        report::render);
  }

  /** A loop of slow firings (2 ms each, 20 s for the firing budget) meets the time budget first. */
  @Test
  void aSlowLoopMeetsTheTimeBudget(@TempDir Path dir) throws IOException {
    copyPack(dir);
    Files.writeString(
        dir.resolve("loop.drl"),
        LOOPING_RULE.replace(
            "then\n",
            "then\n    try { Thread.sleep( 2 ); } catch ( InterruptedException e ) { }\n"));
    RulePack slow = RulePack.compile(dir);
    PlumblineException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(15),
            () ->
                assertThrows(
                    PlumblineException.class,
                    () -> slow.assess(facts(Tier.PROD, "llm.temperature", "0.3", "0.7"))));
    assertEquals(RuleError.PACK_INCOMPLETE, e.code());
    assertTrue(e.getMessage().contains("did not settle within 5 s"), e.getMessage());
  }

  /** Flips a watched property on every firing, so the rule matches again after each modify. */
  static final String LOOPING_RULE =
      """
      package org.plumbline.rules.pack;
      import org.plumbline.rules.pack.AssessmentDraft;
      rule "loop: flip forever"
      when
          $a : AssessmentDraft( criticalOverride == true || criticalOverride == false )
      then
          modify( $a ) { setCriticalOverride( !$a.isCriticalOverride() ) }
      end
      """;

  private static RuleError compileError(Path dir) {
    return (RuleError) assertThrows(PlumblineException.class, () -> RulePack.compile(dir)).code();
  }

  private static void copyPack(Path target) throws IOException {
    Files.createDirectories(target.resolve("tests"));
    try (Stream<Path> files =
        Stream.concat(Files.list(SHIPPED), Files.list(SHIPPED.resolve("tests")))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, target.resolve(SHIPPED.relativize(file).toString()));
      }
    }
  }

  private static DriftFacts contractSnapshot() {
    return new DriftFacts(
        "credit-model-prod",
        Tier.REGULATED,
        "team-credit-risk",
        "model.version",
        "\"gpt-4o-2024-08-06\"",
        "\"gpt-4o\"",
        List.of("\"gpt-4o\""),
        Instant.parse("2026-11-20T10:00:00Z"),
        Instant.parse("2026-11-20T10:00:00Z"),
        List.of("fraud-model-prod", "kyc-model-prod"),
        List.of("guardrails.enabled", "guardrails.toxicity.threshold"),
        List.of(),
        null);
  }

  private static DriftFacts facts(Tier tier, String key, String expected, String actual) {
    Instant at = Instant.parse("2026-11-20T10:00:00Z");
    return new DriftFacts(
        "env",
        tier,
        "owner",
        key,
        expected,
        actual,
        List.of(actual),
        at,
        at,
        List.of(),
        List.of(),
        List.of("CHG-1"),
        null);
  }
}
