package org.plumbline.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.BlueprintProposal;
import org.plumbline.ontology.DispositionStatus;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.Tier;
import org.plumbline.ontology.Validation;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;

/**
 * The four-eyes bypass a security review found: a loader posted a version that declared a REGULATED
 * environment DEV, adopted the observed values and carried a validated block, and so resolved its
 * drifts with no approval. Now such a version is held until approved.
 */
class BlueprintGovernanceTest {
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static RulePack shipped;

  private GraphStore store;
  private Governor governance;

  @BeforeAll
  static void compile() {
    shipped = RulePack.compile(Path.of("../rules/packs/default"));
  }

  @BeforeEach
  void open() {
    store = GraphStore.inMemory();
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    governance = new Governor(store, () -> shipped, clock);
    governance.ingestBlueprint(
        version("1.0.0", Tier.REGULATED, "0.3", "0.7", null), "loader", false);
    governance.ingestSnapshot(snapshot("e-reg", "0.9"), "loader");
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Blueprint version(
      String v, Tier regTier, String regTemperature, String devTemperature, Validation validated) {
    return new Blueprint(
        "b",
        v,
        List.of(
            new EnvironmentSpec("e-reg", "Reg", regTier, "team", "sys", null),
            new EnvironmentSpec("e-dev", "Dev", Tier.DEV, "team", "sys", null)),
        validated,
        FlatConfig.of(Map.of("llm.temperature", regTemperature)),
        Map.of("e-dev", FlatConfig.of(Map.of("llm.temperature", devTemperature))),
        List.of(),
        List.of(),
        "sha256:"
            + GovernanceTest.sha256(
                v + regTier + regTemperature + devTemperature + (validated != null)));
  }

  static Snapshot snapshot(String env, String temperature) {
    return new Snapshot(
        env,
        T0.minus(Duration.ofHours(1)),
        "test",
        FlatConfig.of(Map.of("llm.temperature", temperature)),
        "sha256:" + GovernanceTest.sha256(env + temperature));
  }

  String current() {
    return store.read(r -> r.currentBlueprint("b").orElseThrow().version());
  }

  Drift driftOf(String env) {
    return store.read(r -> r.drifts(env).get(0));
  }

  @Test
  void aVersionThatLeavesGovernedEnvironmentsAloneTakesEffectAtOnce() {
    Governance.IngestResult r =
        governance.ingestBlueprint(
            version("1.1.0", Tier.REGULATED, "0.3", "0.5", null), "loader", false);
    assertEquals("PUBLISHED", r.summary().get("publication"));
    assertEquals("1.1.0", current());
  }

  @Test
  void aLoaderCannotDowngradeAndAdoptAndValidateARegulatedEnvironment() {
    Validation forged = new Validation(T0, "loader", "VAL-FORGED");
    Governance.IngestResult r =
        governance.ingestBlueprint(
            version("2.0.0", Tier.DEV, "0.9", "0.7", forged), "loader", false);

    assertEquals("PENDING_APPROVAL", r.summary().get("publication"));
    assertEquals(2, r.summary().get("requiredApprovals"));
    assertEquals(true, r.summary().get("validationIgnored"));
    assertEquals("1.0.0", current(), "the current version stays until approved");
    assertEquals(Tier.REGULATED, store.read(r2 -> r2.environment("e-reg").orElseThrow().tier()));
    assertEquals(DriftStatus.OPEN, driftOf("e-reg").status(), "the drift is not resolved");
    List<String> reasons =
        store.read(x -> x.blueprintProposal("b", "2.0.0").orElseThrow().reasons());
    assertTrue(
        reasons.stream().anyMatch(s -> s.contains("tier REGULATED -> DEV")), reasons::toString);
    assertTrue(reasons.stream().anyMatch(s -> s.contains("llm.temperature")), reasons::toString);

    PlumblineException self =
        assertThrows(
            PlumblineException.class,
            () ->
                governance.execute(
                    new Command.ApproveBlueprint(
                        "b", "2.0.0", "approved", null, new Caller("loader", Set.of("approver")))));
    assertEquals(RuleError.SELF_APPROVAL, self.code());
    PlumblineException free =
        assertThrows(
            PlumblineException.class,
            () ->
                governance.execute(
                    new Command.ApproveBlueprint(
                        "b",
                        "2.0.0",
                        "I do NOT approve this",
                        null,
                        new Caller("carol", Set.of("approver")))));
    assertEquals(RuleError.MEANING_NOT_ALLOWED, free.code());
    governance.execute(
        new Command.ApproveBlueprint(
            "b",
            "2.0.0",
            "approved",
            "looked at the diff",
            new Caller("carol", Set.of("approver"))));
    PlumblineException notModelRisk =
        assertThrows(
            PlumblineException.class,
            () ->
                governance.execute(
                    new Command.ApproveBlueprint(
                        "b", "2.0.0", "approved", null, new Caller("dave", Set.of("approver")))));
    assertEquals(RuleError.MODEL_RISK_APPROVAL_REQUIRED, notModelRisk.code());
    assertEquals("1.0.0", current());

    BlueprintProposal done =
        governance.execute(
            new Command.ApproveBlueprint(
                "b",
                "2.0.0",
                "approved as model-risk owner",
                null,
                new Caller("bob", Set.of("approver", "model-risk"))));
    assertTrue(
        done.approvals().stream()
            .allMatch(a -> a.subjectHash().equals(BlueprintApprovals.subjectHash(done))));

    assertEquals(DispositionStatus.APPROVED, done.status());
    assertEquals("2.0.0", current());
    assertEquals(Tier.DEV, store.read(x -> x.environment("e-reg").orElseThrow().tier()));
    assertFalse(
        store.read(x -> x.bundleVersions("b")).stream()
            .filter(v -> v.version().equals("2.0.0"))
            .findFirst()
            .orElseThrow()
            .validated(),
        "a loader's validated block is never honoured");
    assertEquals(DriftStatus.RESOLVED, driftOf("e-reg").status());
    List<String> actions =
        store.read(x -> x.audit(null, null, null)).stream().map(AuditRecord::action).toList();
    assertTrue(actions.contains("blueprint.proposed"));
    assertTrue(actions.contains("blueprint.approved"));
    assertTrue(actions.contains("environment.tier.changed"), "a tier change is its own record");
  }

  @Test
  void aRejectedProposalChangesNothingAndCannotBeApprovedAfterwards() {
    governance.ingestBlueprint(
        version("1.2.0", Tier.REGULATED, "0.9", "0.7", null), "loader", false);
    governance.execute(
        new Command.RejectBlueprint(
            "b", "1.2.0", "not validated", new Caller("carol", Set.of("approver"))));
    assertEquals("1.0.0", current());
    PlumblineException late =
        assertThrows(
            PlumblineException.class,
            () ->
                governance.execute(
                    new Command.ApproveBlueprint(
                        "b", "1.2.0", "approved", null, new Caller("bob", Set.of("model-risk")))));
    assertEquals(RuleError.ILLEGAL_TRANSITION, late.code());
    Governance.IngestResult replay =
        governance.ingestBlueprint(
            version("1.2.0", Tier.REGULATED, "0.9", "0.7", null), "loader", false);
    assertTrue(replay.replay());
    assertEquals("REJECTED", replay.summary().get("publication"));
  }

  @Test
  void aValidationFromAModelRiskPosterIsHonoured() {
    Validation real = new Validation(T0, "model-validation", "VAL-1");
    governance.ingestBlueprint(version("1.0.1", Tier.REGULATED, "0.3", "0.6", real), "bob", true);
    assertTrue(
        store.read(x -> x.bundleVersions("b")).stream()
            .anyMatch(v -> v.version().equals("1.0.1") && v.validated()));
  }
}
